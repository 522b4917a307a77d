namespace AgentGrid.Bench;

/// <summary>Command-line settings: <c>--suite all|sessions|streaming|routing|packing --concurrency 16 --requests 800 --ttft-ms 20 --itl-ms 2 --tokens 32</c>.</summary>
/// <remarks><c>--grid-process true</c> runs the grid as its own process (the peer suite's default); <c>--paths</c> picks the peer suite's paths (<c>direct,portkey,floor,sdk,model,agent,turn</c>); <c>--grid-url</c> benchmarks a grid already running there (e.g. cluster mode) instead of an embedded one; its silos must
/// name the bench's simulator as model <c>bench</c> (<c>--simulator-port</c> fixes its port) and <c>--api-key</c> (or
/// <c>AGENTGRID_API_KEY</c>) is a key of that grid.</remarks>
public sealed record BenchOptions(int Concurrency, int Requests, int Warmup, double TtftMs, double ItlMs, int Tokens, int TurnsPerSession, string Suite,
    string? GridUrl = null, int SimulatorPort = 0, string? ApiKey = null, string Paths = "direct,portkey,floor,sdk,model,agent,turn", bool GridProcess = false, int DurationSeconds = 250)
{
    // The key is a secret: never printed.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Suite = {Suite}, Concurrency = {Concurrency}, Requests = {Requests}, Warmup = {Warmup}, TtftMs = {TtftMs}, ItlMs = {ItlMs}, ");
        builder.Append($"Tokens = {Tokens}, TurnsPerSession = {TurnsPerSession}, GridUrl = {GridUrl}, GridProcess = {GridProcess}, Paths = {Paths}, DurationSeconds = {DurationSeconds}");
        return true;
    }

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        T Get<T>(string name, T fallback) where T : IParsable<T> =>
            values.TryGetValue(name, out var v) ? T.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;

        return new BenchOptions(
            Concurrency: Get("concurrency", 16),
            Requests: Get("requests", 800),
            Warmup: Get("warmup", 100),
            TtftMs: Get("ttft-ms", 20.0),
            ItlMs: Get("itl-ms", 2.0),
            Tokens: Get("tokens", 32),
            TurnsPerSession: Get("turns-per-session", 10),
            Suite: values.GetValueOrDefault("suite", "all"),
            GridUrl: values.GetValueOrDefault("grid-url"),
            SimulatorPort: Get("simulator-port", 0),
            ApiKey: values.GetValueOrDefault("api-key") ?? Environment.GetEnvironmentVariable("AGENTGRID_API_KEY"),
            Paths: values.GetValueOrDefault("paths", "direct,portkey,floor,sdk,model,agent,turn"),
            // Peers run as processes of their own, so the grid does too unless told otherwise.
            GridProcess: Get("grid-process", values.GetValueOrDefault("suite") == "peer"),
            DurationSeconds: Get("duration-s", 250));
    }
}
