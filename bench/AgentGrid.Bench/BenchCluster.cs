using AgentGrid.Grains.Records;
using AgentGrid.Contracts;
using AgentGrid.Grains;
using AgentGrid.Grains.Gpu;
using AgentGrid.Inference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AgentGrid.Bench;

/// <summary>
/// A simulated GPU cluster in this process: one silo per node, each declaring its own GPUs, grain state in
/// memory. The grid's real grains, placement and routing; the workers' model servers are simulators.
/// </summary>
public static class BenchCluster
{
    public static async Task<InProcessTestCluster> StartAsync(IReadOnlyList<(string Node, int Gpus, string Memory)> nodes)
    {
        var builder = new InProcessTestClusterBuilder((short)nodes.Count);
        // One secret for all silos, as a cluster has: they encrypt grain state's secrets under it.
        var hashKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Dictionary<string, string?> Settings(string silo)
        {
            var (node, gpus, memory) = nodes[int.Parse(silo.Split('_')[1])];
            return new()
            {
                ["AgentGrid:Gpu:NodeId"] = node,
                ["AgentGrid:Gpu:Discovery"] = "declared",
                ["AgentGrid:Gpu:Declared:0:Name"] = $"Simulated {memory}",
                ["AgentGrid:Gpu:Declared:0:Memory"] = memory,
                ["AgentGrid:Gpu:Declared:0:Count"] = gpus.ToString(),
                ["AgentGrid:Gpu:RefreshInterval"] = "00:00:05",
                ["AgentGrid:Pools:AutoscaleInterval"] = "00:00:01",
                ["AgentGrid:Inference:UseSimulator"] = "false",
                ["AgentGrid:Inference:DefaultModel"] = "none",
                ["AgentGrid:Inference:Models:none:BaseUrl"] = "http://127.0.0.1:9/v1",
                ["AgentGrid:Auth:HashKey"] = hashKey,
            };
        }

        builder.ConfigureSiloHost((silo, host) =>
        {
            host.Configuration.AddInMemoryCollection(Settings(silo.SiloName));
        });
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            siloBuilder.AddMemoryGrainStorage(GridNames.StateStore);
            siloBuilder.Services.AddSqliteRecords(Path.Combine(Path.GetTempPath(), $"agentgrid-bench-{Guid.NewGuid():N}.records.db"));
            siloBuilder.AddAgentGridSilo(new ConfigurationBuilder().AddInMemoryCollection(Settings(silo.SiloName)).Build());
            siloBuilder.UseInMemoryReminderService();
        });
        builder.ConfigureClient(client => client.AddMemoryStreams(GridNames.StreamProvider));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
