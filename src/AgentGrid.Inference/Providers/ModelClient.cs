using Microsoft.Extensions.AI;

namespace AgentGrid.Inference.Providers;

/// <summary>A configured model and the <see cref="IChatClient"/> that reaches its backend.</summary>
public sealed record ModelClient(
    string Name,
    string UpstreamModel,
    Uri BaseUrl,
    string? ApiKey,
    TimeSpan Timeout,
    bool Simulated,
    IChatClient ChatClient);
