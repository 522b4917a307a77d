namespace AgentGrid.Contracts.Sessions;

/// <summary>The <c>type</c> of each <see cref="SessionEvent"/>.</summary>
public static class SessionEventTypes
{
    /// <summary>The user message is stored; <see cref="SessionEvent.Message"/> holds it.</summary>
    public const string MessageAccepted = "message.accepted";

    /// <summary>A piece of the reply; <see cref="SessionEvent.Delta"/> holds the text.</summary>
    public const string Token = "token";

    /// <summary>The reply is stored; with its token counts, time to first token and total time.</summary>
    public const string MessageCompleted = "message.completed";

    /// <summary>The turn ended without a reply; <see cref="SessionEvent.Code"/> says why (e.g. <c>model_unavailable</c>, <c>turn_cancelled</c>).</summary>
    public const string TurnFailed = "turn.failed";

    /// <summary>
    /// The oldest turns no longer fit the model's context window and were summarised; <see cref="SessionEvent.Summary"/>
    /// holds the summary that now stands for them in prompts.
    /// </summary>
    public const string MemorySummarized = "memory.summarized";
}
