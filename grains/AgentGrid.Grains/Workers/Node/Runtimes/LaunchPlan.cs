namespace AgentGrid.Grains.Workers.Node.Runtimes;

/// <summary>
/// How to start one model server: its arguments (after the runtime's executable), what to add to its environment, where to
/// ask whether it is up (<see cref="ModelsPath"/> null: <c>/health</c> alone), the model name requests use, and whether it checks
/// the API key (some runtimes have none). <see cref="Command"/>, where set, is the whole command line (a <c>custom</c> runtime).
/// </summary>
public sealed record LaunchPlan(
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string ServedModel,
    bool ChecksApiKey,
    string HealthPath = "/health",
    string? ModelsPath = "/v1/models",
    string ApiPath = "/v1",
    IReadOnlyList<string>? Command = null);
