namespace AgentGrid.Inference.Simulator;

/// <summary>What the simulator has served, as <c>GET /sim/stats</c> reports it.</summary>
public sealed record SimulatorStats(
    long Requests,
    long Refused,
    long Dropped,
    long Abandoned,
    int Running,
    int Waiting,
    long PromptTokens,
    long CachedPromptTokens,
    int KvCacheTokensInUse)
{
    public double PrefixCacheHitRate => PromptTokens == 0 ? 0 : (double)CachedPromptTokens / PromptTokens;
}
