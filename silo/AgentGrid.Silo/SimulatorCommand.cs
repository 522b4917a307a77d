using System.Globalization;
using AgentGrid.Inference.Simulator;

namespace AgentGrid.Silo;

/// <summary>
/// <c>agentgrid-silo simulator [--host 127.0.0.1] [--port 8000] [--model id] [--ttft-ms 100] [--itl-ms 15] [--tokens 40]
/// [--max-concurrency 64] [--prefill-us 0] [--load-penalty-ms 0] [--kv-cache-tokens 0] [--prefix-caching true] [--load-ms 0]
/// [--embedding-dimensions N] [--ollama true]</c>: the inference simulator alone, for load tests, for pointing other tools at, and as the
/// <c>simulator</c> runtime of workers. With <c>AGENTGRID_SIMULATOR_API_KEY</c> set, its API routes require that key.
/// </summary>
public static class SimulatorCommand
{
    private static readonly Dictionary<string, string> Switches = new()
    {
        ["--host"] = nameof(SimulatorOptions.Host),
        ["--port"] = nameof(SimulatorOptions.Port),
        ["--ttft-ms"] = "TtftMs",
        ["--itl-ms"] = "ItlMs",
        ["--tokens"] = nameof(SimulatorOptions.TokensPerReply),
        ["--max-concurrency"] = nameof(SimulatorOptions.MaxConcurrency),
        ["--model"] = "Model",
        ["--prefill-us"] = "PrefillUs",
        ["--load-penalty-ms"] = "LoadPenaltyMs",
        ["--kv-cache-tokens"] = nameof(SimulatorOptions.KvCacheTokens),
        ["--prefix-caching"] = nameof(SimulatorOptions.PrefixCaching),
        ["--load-ms"] = "LoadMs",
        ["--embedding-dimensions"] = nameof(SimulatorOptions.EmbeddingDimensions),
        ["--ollama"] = nameof(SimulatorOptions.OllamaApi),
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var config = new ConfigurationBuilder().AddCommandLine(args, Switches).Build();
        var options = new SimulatorOptions { Port = 8000 };
        config.Bind(options);
        if (config["TtftMs"] is { } ttft) options.TimeToFirstToken = TimeSpan.FromMilliseconds(double.Parse(ttft, CultureInfo.InvariantCulture));
        if (config["ItlMs"] is { } itl) options.InterTokenLatency = TimeSpan.FromMilliseconds(double.Parse(itl, CultureInfo.InvariantCulture));
        if (config["Model"] is { } model) options.Models = [model];
        if (options.OllamaApi && config["Model"] is null) options.Models = [];
        if (config["PrefillUs"] is { } prefill) options.PrefillPerToken = TimeSpan.FromMicroseconds(double.Parse(prefill, CultureInfo.InvariantCulture));
        if (config["LoadPenaltyMs"] is { } penalty) options.LoadPenaltyPerRequest = TimeSpan.FromMilliseconds(double.Parse(penalty, CultureInfo.InvariantCulture));
        if (config["LoadMs"] is { } load) options.LoadTime = TimeSpan.FromMilliseconds(double.Parse(load, CultureInfo.InvariantCulture));
        options.ApiKey = Environment.GetEnvironmentVariable("AGENTGRID_SIMULATOR_API_KEY");

        await using var server = await InferenceSimulatorServer.StartAsync(options);
        Console.WriteLine($"Inference simulator serving {string.Join(", ", options.Models)} at {server.BaseUrl} " +
            $"(TTFT {options.TimeToFirstToken.TotalMilliseconds} ms, ITL {options.InterTokenLatency.TotalMilliseconds} ms, " +
            $"{options.TokensPerReply} tokens, {options.MaxConcurrency} concurrent). Ctrl+C stops it.");

        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
        // SIGTERM (a worker draining it, a pod stopping) ends it like Ctrl+C.
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
        await stop.Task;
        return 0;
    }
}
