namespace AgentGrid.Contracts;

/// <summary>Explicit size limits on what users send; every one of them is enforced and tested.</summary>
public static class Limits
{
    public const int MaxAgentNameLength = 100;
    public const int MaxDescriptionLength = 2_000;
    public const int MaxSystemPromptLength = 32_000;
    public const int MaxMessageLength = 32_000;
    public const int MaxHistoryPage = 500;
    public const int MaxRunPage = 100;
    public const int MaxVariables = 64;
    public const int MaxVariableNameLength = 64;
    public const int MaxVariableValueLength = 4_000;
    public const int MaxTokensCeiling = 1_000_000;

    /// <summary>The largest prompt (every message together, UTF-8) sent to a model in one call.</summary>
    public const int MaxPromptBytes = 1 << 20;

    /// <summary>The largest system prompt once its <c>{{variables}}</c> are filled in, in characters.</summary>
    public const int MaxRenderedSystemPromptLength = 64_000;

    /// <summary>The largest request body the front door reads, in bytes.</summary>
    public const long MaxRequestBodyBytes = 1 << 20;
}
