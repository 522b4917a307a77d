using AgentGrid.ServiceDefaults;
using System.Net;
using AgentGrid.Contracts;
using AgentGrid.FrontDoor;
using AgentGrid.FrontDoor.Cluster;
using AgentGrid.FrontDoor.Operations;
using Orleans.Dashboard;
using AgentGrid.Grains;
using AgentGrid.Grains.Cluster;
using AgentGrid.Grains.Gpu;
using AgentGrid.Grains.Records;
using AgentGrid.Grains.Storage;
using AgentGrid.Inference;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;

namespace AgentGrid.Silo;

public static class ClusterHostExtensions
{
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Composes a cluster silo: Redis membership, grain state, stream subscriptions and reminders in PostgreSQL through
    /// Orleans ADO.NET, the database schema applied at start, and the front door only when asked.
    /// </summary>
    public static WebApplicationBuilder UseAgentGridCluster(this WebApplicationBuilder builder, GridClusterOptions options)
    {
        CompositionOptions.ThrowIfInvalid(options, GridClusterOptions.SectionName, new GridClusterOptionsValidator());
        builder.Services.AddSingleton(options);
        builder.AddAgentGridServiceDefaults();
        builder.Services.AddSingleton<PostgresHealthCheck>();
        builder.Services.AddSingleton<RedisHealthCheck>();
        builder.Services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"])
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);

        if (options.MigrateOnStart)
        {
            // Before Orleans starts: its storage and reminder providers read their queries from these tables.
            builder.Services.AddHostedService<SchemaMigration>();
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (options.ServiceId, options.ClusterId));
            silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
            silo.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(options.Redis));
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = options.ProbeTimeout;
                o.NumMissedProbesLimit = options.MissedProbesLimit;
            });
            AddPostgresGrainStorage(silo.Services, GridNames.StateStore, options.Postgres, new JsonGrainStateSerializer());
            AddPostgresGrainStorage(silo.Services, ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME, options.Postgres, serializer: null);
            silo.Services.AddPostgresRecords(options.Postgres);
            silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (Invariant, options.Postgres));
            silo.AddAgentGridSilo(builder.Configuration, pubSubInMemory: false);
            silo.UseAgentGridTls(AgentGrid.FrontDoor.Cluster.ClusterTlsOptions.Read(builder.Configuration));
            silo.AddDashboard();
            if (options.Kubernetes)
            {
                silo.UseKubernetesHosting();
            }

            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = options.GrainCallTimeout);
        });
        if (options.HostFrontDoor)
        {
            builder.Services.AddAgentGridFrontDoor(builder.Configuration);
        }

        return builder;
    }

    /// <summary>
    /// Orleans' ADO.NET grain storage on PostgreSQL, registered as AddAdoNetGrainStorage does, but inside
    /// <see cref="OutageTranslatingGrainStorage"/>: a database outage reaches callers as 503 <c>service_unavailable</c>.
    /// </summary>
    private static void AddPostgresGrainStorage(IServiceCollection services, string name, string connectionString, Orleans.Storage.IGrainStorageSerializer? serializer)
    {
        services.AddOptions<AdoNetGrainStorageOptions>(name).Configure(o =>
        {
            (o.Invariant, o.ConnectionString) = (Invariant, connectionString);
            if (serializer is not null)
            {
                o.GrainStorageSerializer = serializer;
            }
        });
        services.AddTransient<IPostConfigureOptions<AdoNetGrainStorageOptions>, Orleans.Storage.DefaultStorageProviderSerializerOptionsConfigurator<AdoNetGrainStorageOptions>>();
        services.AddTransient<IPostConfigureOptions<AdoNetGrainStorageOptions>, DefaultAdoNetGrainStorageOptionsHashPickerConfigurator>();
        services.AddGrainStorage(name, (sp, key) => new OutageTranslatingGrainStorage(
            Orleans.Storage.AdoNetGrainStorageFactory.Create(sp, key), Npgsql.NpgsqlConnection.ClearAllPools));
    }

    private sealed class SchemaMigration(GridClusterOptions options, ILogger<SchemaMigration> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => PostgresSchema.MigrateAsync(options.Postgres, logger, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
