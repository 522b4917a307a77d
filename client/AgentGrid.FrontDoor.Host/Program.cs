using AgentGrid.ServiceDefaults;
using AgentGrid.Contracts;
using AgentGrid.FrontDoor;
using AgentGrid.FrontDoor.Cluster;
using AgentGrid.FrontDoor.Host;
using AgentGrid.FrontDoor.Operations;
using Orleans.Dashboard;
using Orleans.Configuration;

// The front door as its own process: an Orleans client of a cluster-mode grid, scaled apart from the silos.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var cluster = CompositionOptions.Read(builder.Configuration, FrontDoorClusterOptions.SectionName, new FrontDoorClusterOptionsValidator());

// No appsettings.json of its own (the silo's is the one to edit); these are its log defaults.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Orleans", LogLevel.Warning);

builder.UseOrleansClient(client =>
{
    client.Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (cluster.ServiceId, cluster.ClusterId));
    client.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(cluster.Redis));
    client.AddMemoryStreams(GridNames.StreamProvider);
    client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = cluster.GrainCallTimeout);
    client.AddActivityPropagation();
    client.UseAgentGridTls(AgentGrid.FrontDoor.Cluster.ClusterTlsOptions.Read(builder.Configuration));
    client.AddDashboard();
    client.Services.AddSingleton<Orleans.IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<AgentGrid.FrontDoor.Cluster.FailoverRetry>());
});
builder.AddAgentGridServiceDefaults();
builder.Services.AddAgentGridFrontDoor(builder.Configuration);

var app = builder.Build();
app.MapAgentGridFrontDoor();
await app.RunAsync();
