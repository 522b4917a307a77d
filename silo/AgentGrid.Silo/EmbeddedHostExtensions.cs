using AgentGrid.ServiceDefaults;
using AgentGrid.Contracts;
using AgentGrid.FrontDoor;
using AgentGrid.FrontDoor.Operations;
using Orleans.Dashboard;
using AgentGrid.Grains;
using AgentGrid.Grains.Gpu;
using AgentGrid.Grains.Records;
using AgentGrid.Grains.Storage;
using AgentGrid.Inference;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace AgentGrid.Silo;

public static class EmbeddedHostExtensions
{
    /// <summary>
    /// Composes the embedded default: a localhost silo with SQLite state, the inference path
    /// (the simulator when no model is configured) and the front door, in this one process.
    /// </summary>
    public static WebApplicationBuilder UseAgentGridEmbedded(this WebApplicationBuilder builder)
    {
        // The silo's ports and storage are fixed while the host is being composed, so they are checked now.
        var options = CompositionOptions.Read(builder.Configuration, EmbeddedOptions.SectionName, new EmbeddedOptionsValidator());
        builder.Services.AddSingleton(options);
        DataFolder.Secure(options.DataDirectory);
        builder.Configuration.QuietStartFacts();
        // Nothing in the grid protects data with ASP.NET Core's key ring (API keys are bearer tokens, there are no
        // cookies), so its keys stay in memory rather than being written, unencrypted, to the user's profile.
        builder.Services.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o =>
        {
            o.XmlRepository = new InMemoryXmlRepository();
            o.XmlEncryptor = new Microsoft.AspNetCore.DataProtection.XmlEncryption.NullXmlEncryptor();
        });
        builder.AddAgentGridServiceDefaults();
        // Its one node comes back with the process, so workers wait to load again rather than being released
        // (unless AgentGrid:Gpu:OnShutdown says otherwise: configuration is bound after this).
        builder.Services.Configure<GpuOptions>(o => o.OnShutdown = ShutdownActions.Resume);
        // Built-in tools keep tenants' files and databases beside the rest of the data (unless AgentGrid:Tools:DataRoot says otherwise).
        if (string.IsNullOrEmpty(builder.Configuration["AgentGrid:Tools:DataRoot"]))
        {
            builder.Services.PostConfigure<AgentGrid.Grains.Tools.ToolOptions>(o => o.DataRoot = Path.GetFullPath(Path.Combine(options.DataDirectory, "tools")));
        }

        // Launched model servers' pid files and downloaded weights live beside the rest of the data (unless AgentGrid:Gpu says otherwise).
        if (string.IsNullOrEmpty(builder.Configuration["AgentGrid:Gpu:StateDirectory"]))
        {
            builder.Services.PostConfigure<GpuOptions>(o => o.StateDirectory = Path.GetFullPath(Path.Combine(options.DataDirectory, "node")));
        }

        // A grid on this machine answers to this machine's names only (DNS rebinding cannot reach it from a web page);
        // set AllowedHosts when it is served under another name.
        if (string.IsNullOrEmpty(builder.Configuration["AllowedHosts"]))
        {
            builder.Services.PostConfigure<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>(o => o.AllowedHosts = ["localhost", "127.0.0.1", "[::1]"]);
        }

        // Keys are hashed with a secret kept beside the data; the first start makes an admin key and writes it there.
        builder.Services.PostConfigure<AgentGrid.FrontDoor.Identity.AuthOptions>(auth =>
        {
            auth.HashKeyFile ??= Path.Combine(options.DataDirectory, "auth-secret");
            auth.AdminKeyFile ??= auth.BootstrapKey is null ? Path.Combine(options.DataDirectory, "admin-key") : null;
        });
        // Its silo encrypts secrets in grain state with a key derived from the same secret.
        builder.Services.PostConfigure<AgentGrid.Grains.Secrets.StateSecretOptions>(secret =>
            secret.HashKeyFile ??= Path.Combine(options.DataDirectory, "auth-secret"));
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: "agentgrid-embedded");
            silo.AddSqliteGrainStorage(GridNames.StateStore, o => o.DatabasePath = options.DatabasePath);
            silo.Services.AddSqliteRecords(options.RecordsPath);
            silo.Services.AddRecordReminders();
            silo.AddAgentGridSilo(builder.Configuration, options.EventPollPeriod);
            silo.AddDashboard();
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = options.GrainCallTimeout);
        });
        builder.Services.AddAgentGridFrontDoor(builder.Configuration);
        builder.Services.AddHostedService<StartupBanner>();
        return builder;
    }
}
