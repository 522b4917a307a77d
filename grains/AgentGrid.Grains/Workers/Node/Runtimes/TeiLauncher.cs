using AgentGrid.Contracts.Profiles;

namespace AgentGrid.Grains.Workers.Node.Runtimes;

/// <summary>
/// <c>text-embeddings-router</c> for embedding profiles. TEI runs on one GPU (device 0 of what it sees, pinned by
/// <c>CUDA_VISIBLE_DEVICES</c>) and has no memory setting: its reservation is placement's alone. The key is in <c>API_KEY</c>;
/// TEI has no <c>/v1/models</c>, so readiness asks <c>/info</c>.
/// </summary>
public sealed class TeiLauncher : IServerLauncher
{
    private static readonly Dictionary<string, string> BlockFlags = new()
    {
        ["pooling"] = "--pooling", ["max_batch_tokens"] = "--max-batch-tokens", ["max_client_batch_size"] = "--max-client-batch-size",
        ["auto_truncate"] = "--auto-truncate",
    };

    private static readonly HashSet<string> Switches = ["auto_truncate"];

    public string Runtime => ModelRuntimes.Tei;

    public IReadOnlyList<string> DefaultCommand => ["text-embeddings-router"];

    public LaunchPlan Plan(LaunchContext c)
    {
        var block = c.Block(Runtime);
        var flags = new Flags()
            .Add("--model-id", c.Profile.Source.ModelId)
            .Add("--revision", c.Profile.Source.Revision)
            .Add("--hostname", c.BindAddress)
            .Add("--port", c.Port)
            .Add("--prometheus-port", c.AuxiliaryPorts[0])
            .Add("--uds-path", Path.Combine(c.RunDirectory, "tei"))
            .Add("--huggingface-hub-cache", Path.Combine(c.CacheDirectory, "hub"))
            .Add("--served-model-name", c.ServedModel)
            .Add("--max-concurrent-requests", c.Admitted)
            .Add("--dtype", c.Parameter("dtype"))
            .Settings(block.Settings, BlockFlags, Switches)
            .Extra(block.ExtraArgs);
        return new LaunchPlan(flags.Arguments, new Dictionary<string, string> { ["API_KEY"] = c.ApiKey }, c.ServedModel, ChecksApiKey: true, ModelsPath: "/info");
    }
}
