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

    /// <summary>The model called a tool and it starts running; <see cref="SessionEvent.ToolCall"/> holds the call.</summary>
    public const string ToolCalled = "tool.called";

    /// <summary>The tool ran; <see cref="SessionEvent.Output"/> holds its output and <see cref="SessionEvent.TotalMs"/> how long it took.</summary>
    public const string ToolCompleted = "tool.completed";

    /// <summary>The call did not run or failed (<see cref="SessionEvent.Code"/>: <c>tool_failed</c>, <c>tool_timeout</c>, <c>tool_denied</c>…); the model is told.</summary>
    public const string ToolFailed = "tool.failed";

    /// <summary>
    /// The call needs a member's approval: the turn waits (<c>POST /api/sessions/{id}/approvals/{callId}</c>) with
    /// exactly these arguments. Followed by <see cref="TurnPaused"/> once every call of the step is decided or waiting.
    /// </summary>
    public const string ToolApprovalRequested = "tool.approval_requested";

    /// <summary>The turn waits for approvals; it goes on when they are decided, with the same turn id.</summary>
    public const string TurnPaused = "turn.paused";
}
