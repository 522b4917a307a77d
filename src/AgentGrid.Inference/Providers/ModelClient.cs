using Microsoft.Extensions.AI;

namespace AgentGrid.Inference.Providers;

/// <summary>A configured model and the <see cref="IChatClient"/> that reaches its backend.</summary>
public sealed class ModelClient(string name, string upstreamModel, Uri baseUrl, string? apiKey, TimeSpan timeout, bool simulated, IChatClient chatClient)
{
    public string Name { get; } = name;
    public string UpstreamModel { get; } = upstreamModel;
    public Uri BaseUrl { get; } = baseUrl;

    /// <summary>The bearer key; kept out of <see cref="ToString"/> so it never reaches a log.</summary>
    public string? ApiKey { get; } = apiKey;
    public TimeSpan Timeout { get; } = timeout;
    public bool Simulated { get; } = simulated;
    public IChatClient ChatClient { get; } = chatClient;

    public override string ToString() => $"{Name} ({UpstreamModel} at {BaseUrl})";
}
