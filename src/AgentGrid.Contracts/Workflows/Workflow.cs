namespace AgentGrid.Contracts.Workflows;

/// <summary>
/// A tenant's workflow: its steps as a JSON document (agents, tools, sequences, parallel fan-out, branches, hand-offs,
/// approvals; YAML is accepted and stored as JSON), checked when it is saved.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.workflow")]
public sealed record Workflow
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public string? Description { get; init; }

    /// <summary>The definition as JSON text.</summary>
    [Id(3)] public required string Definition { get; init; }
    [Id(4)] public int Version { get; init; }
    [Id(5)] public DateTimeOffset CreatedAt { get; init; }
    [Id(6)] public DateTimeOffset UpdatedAt { get; init; }
}

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<WorkflowRunStatus>))]
public enum WorkflowRunStatus
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("running")] Running,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("waiting_approval")] WaitingApproval,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("completed")] Completed,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("failed")] Failed,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("cancelled")] Cancelled,
}

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<StepStatus>))]
public enum StepStatus
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("running")] Running,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("waiting_approval")] WaitingApproval,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("completed")] Completed,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("failed")] Failed,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("skipped")] Skipped,
}

/// <summary>One step of a run as far as it got. A completed step is never run again, not even after a silo is lost.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.workflow-step-result")]
public sealed record StepResult
{
    [Id(0)] public required string StepId { get; init; }

    /// <summary><c>agent</c>, <c>tool</c>, <c>sequence</c>, <c>parallel</c>, <c>if</c>, <c>handoff</c> or <c>approval</c>.</summary>
    [Id(1)] public required string Kind { get; init; }
    [Id(2)] public StepStatus Status { get; init; }

    /// <summary>What it produced: an agent's reply, a tool's output (JSON), a parallel step's outputs by branch (JSON).</summary>
    [Id(3)] public string? Output { get; init; }
    [Id(4)] public string? Code { get; init; }
    [Id(5)] public string? Error { get; init; }

    /// <summary>The agent that answered (for a hand-off, the last one).</summary>
    [Id(6)] public string? AgentId { get; init; }

    /// <summary>For an agent step: the session the conversation is in.</summary>
    [Id(7)] public string? SessionId { get; init; }
    [Id(8)] public DateTimeOffset StartedAt { get; init; }
    [Id(9)] public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>For a step that waits for approval (an approval step, or a tool step whose tool requires approval): what the member is asked.</summary>
    [Id(10)] public string? Prompt { get; init; }

    /// <summary>For a tool step whose tool requires approval: the tool's id.</summary>
    [Id(11)] public string? ToolId { get; init; }

    /// <summary>For a tool step whose tool requires approval: the tool's name.</summary>
    [Id(12)] public string? ToolName { get; init; }

    /// <summary>For a tool step whose tool requires approval: its rendered arguments (a JSON object's text), exactly as the tool gets them once approved.</summary>
    [Id(13)] public string? Arguments { get; init; }

    /// <summary>For a tool step a member approved: what they said; the tool then runs with <see cref="Arguments"/>.</summary>
    [Id(14)] public string? Decision { get; init; }
}

/// <summary>One run of a workflow.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.workflow-run")]
public sealed record WorkflowRun
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string WorkflowId { get; init; }
    [Id(2)] public int WorkflowVersion { get; init; }
    [Id(3)] public WorkflowRunStatus Status { get; init; }
    [Id(4)] public string Input { get; init; } = "";
    [Id(5)] public string? Output { get; init; }
    [Id(6)] public string? Code { get; init; }
    [Id(7)] public string? Error { get; init; }

    /// <summary>The steps that started, in the order they started.</summary>
    [Id(8)] public IReadOnlyList<StepResult> Steps { get; init; } = [];
    [Id(9)] public DateTimeOffset CreatedAt { get; init; }
    [Id(10)] public DateTimeOffset UpdatedAt { get; init; }
    [Id(11)] public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>How many times the run was picked up again after its silo stopped.</summary>
    [Id(12)] public int Resumptions { get; init; }

    /// <summary>Grows with every change of the run: an event whose run has a lower one is older than what a reader holds.</summary>
    [Id(13)] public long Sequence { get; init; }

    /// <summary>While it waits for approval: when the wait ends, undecided, and the run fails with <c>approval_expired</c>.</summary>
    [Id(14)] public DateTimeOffset? ApprovalExpiresAt { get; init; }
}

/// <summary>A page of a workflow's runs, newest first.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.workflow-run-page")]
public sealed record WorkflowRunPage
{
    [Id(0)] public IReadOnlyList<string> RunIds { get; init; } = [];

    /// <summary>The cursor of the next, older page (pass it as <c>before</c>); null when this page ends with the workflow's first run.</summary>
    [Id(1)] public long? Next { get; init; }
}

/// <summary>A change of a run, published on stream <c>workflow-runs/{tenant}/{runId}</c> with the run as it now is.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.workflow-run-event")]
public sealed record WorkflowRunEvent
{
    /// <summary><c>run.started</c>, <c>step.started</c>, <c>step.completed</c>, <c>step.failed</c>, <c>step.waiting</c>, <c>run.completed</c>, <c>run.failed</c>, <c>run.cancelled</c>, <c>run.resumed</c>.</summary>
    [Id(0)] public required string Type { get; init; }
    [Id(1)] public string? StepId { get; init; }
    [Id(2)] public DateTimeOffset At { get; init; }
    [Id(3)] public required WorkflowRun Run { get; init; }
}
