using AgentGrid.Inference.Simulator;

namespace AgentGrid.Silo;

/// <summary>
/// <c>agentgrid-silo simulator [--port 8000] [--ttft-ms 100] [--itl-ms 15] [--tokens 40] [--max-concurrency 64] [--model id]</c>:
/// the inference simulator alone, for load tests and for pointing other tools at.
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
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var config = new ConfigurationBuilder().AddCommandLine(args, Switches).Build();
        var options = new SimulatorOptions { Port = 8000 };
        config.Bind(options);
        if (config["TtftMs"] is { } ttft) options.TimeToFirstToken = TimeSpan.FromMilliseconds(double.Parse(ttft));
        if (config["ItlMs"] is { } itl) options.InterTokenLatency = TimeSpan.FromMilliseconds(double.Parse(itl));
        if (config["Model"] is { } model) options.Models = [model];

        await using var server = await InferenceSimulatorServer.StartAsync(options);
        Console.WriteLine($"Inference simulator serving {string.Join(", ", options.Models)} at {server.BaseUrl} " +
            $"(TTFT {options.TimeToFirstToken.TotalMilliseconds} ms, ITL {options.InterTokenLatency.TotalMilliseconds} ms, " +
            $"{options.TokensPerReply} tokens, {options.MaxConcurrency} concurrent). Ctrl+C stops it.");

        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
        await stop.Task;
        return 0;
    }
}
