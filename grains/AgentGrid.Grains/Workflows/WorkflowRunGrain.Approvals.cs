using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Tools;
using AgentGrid.Contracts.Workflows;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Workflows;

/// <summary>
/// Steps that wait for a member: approval steps, and tool steps whose tool requires approval. A waiting run keeps one
/// reminder, due at its approval deadline; undecided by then, it fails with <c>approval_expired</c> and keeps none.
/// </summary>
public sealed partial class WorkflowRunGrain
{
    public async Task<WorkflowRun> DecideAsync(string stepId, bool approved, string? comment, string? arguments)
    {
        _ = Run;
        var step = state.State.Results.GetValueOrDefault(stepId);
        if (step is { Code: ErrorCodes.ApprovalExpired })
        {
            throw Expired(stepId);
        }

        if (step is not { Status: StepStatus.WaitingApproval } || Run.Status != WorkflowRunStatus.WaitingApproval)
        {
            throw new AgentGridException(ErrorCodes.WorkflowRunConflict, $"Step '{stepId}' of run '{Key.Id}' does not wait for approval.");
        }

        if (time.GetUtcNow() >= ApprovalDeadline)
        {
            // The reminder due at the deadline has not come yet: the decision comes too late all the same.
            await ExpireAsync();
            throw Expired(stepId);
        }

        if (approved && arguments is not null && (step.Arguments is null || !Tools.ToolArguments.Same(arguments, step.Arguments)))
        {
            throw new AgentGridException(ErrorCodes.ApprovalMismatch, step.Arguments is null
                ? $"Step '{stepId}' runs no tool; approve it without arguments."
                : $"The arguments approved differ from those step '{stepId}' shows; approve the call as it is shown.", "arguments");
        }

        var note = string.IsNullOrWhiteSpace(comment) ? (approved ? "approved" : "denied") : comment.Trim();
        if (!approved)
        {
            Record(step with { Status = StepStatus.Failed, Code = ErrorCodes.WorkflowStepFailed, Error = $"Denied: {note}", CompletedAt = time.GetUtcNow() });
            await EndAsync(WorkflowRunStatus.Failed, ErrorCodes.WorkflowStepFailed, $"Step '{stepId}' was denied: {note}", "run.failed", stepId);
            await LogDenialAsync(step, note);
            return Snapshot();
        }

        var waitingSince = state.State.WaitingSince ?? Run.UpdatedAt;

        // An approval step is done once approved; an approved tool step runs next, with the arguments it showed.
        Record(step.ToolId is null
            ? step with { Status = StepStatus.Completed, Output = note, CompletedAt = time.GetUtcNow() }
            : step with { Status = StepStatus.Running, Decision = note });
        if (!state.State.Results.Values.Any(r => r.Status == StepStatus.WaitingApproval))
        {
            state.State.WaitedForDecisions += time.GetUtcNow() - waitingSince;
            state.State.WaitingSince = null;
            state.State.Run = Run with { Status = WorkflowRunStatus.Running, ApprovalExpiresAt = null };
        }

        await SaveAsync(step.ToolId is null ? "step.completed" : "step.started", stepId);
        if (Run.Status == WorkflowRunStatus.Running)
        {
            await RemindToResumeAsync();
            this.AsReference<IWorkflowRunGrain>().ExecuteAsync().Ignore();
        }

        return Snapshot();
    }

    /// <summary>An approval step: decided ones give their note; otherwise it is announced once and the run waits.</summary>
    private async Task<string?> AwaitApprovalAsync(ApprovalStep step)
    {
        if (!state.State.Results.ContainsKey(step.Id))
        {
            Record(new StepResult { StepId = step.Id, Kind = step.Kind, Status = StepStatus.WaitingApproval, StartedAt = time.GetUtcNow(), Prompt = Render(step.Prompt) });
            await SaveAsync("step.waiting", step.Id);
        }

        throw new Suspended();
    }

    /// <summary>
    /// The tool a tool step calls and the arguments it sends. A tool that requires approval is not called on the
    /// workflow's word (its arguments may come from a model's output): the step waits, showing the arguments rendered
    /// now, and once approved sends exactly those.
    /// </summary>
    private async Task<(string ToolId, string Arguments)> ToolCallAsync(ToolStep step)
    {
        var current = state.State.Results[step.Id];
        if (current is { Decision: not null, ToolId: { } approvedTool, Arguments: { } approvedArguments })
        {
            return (approvedTool, approvedArguments);
        }

        var tool = await WorkflowReferences.FindToolAsync(GrainFactory, Key.Tenant, step.Tool)
            ?? throw new AgentGridException(ErrorCodes.ToolNotFound, $"Tool '{step.Tool}' was not found.");
        var arguments = WorkflowTemplates.Render(step.Arguments, Run.Input, Output).ToJsonString();
        if (!tool.Definition.RequiresApproval)
        {
            return (tool.Id, arguments);
        }

        if (current.Status != StepStatus.WaitingApproval)
        {
            Record(current with
            {
                Status = StepStatus.WaitingApproval, ToolId = tool.Id, ToolName = tool.Definition.Name, Arguments = arguments,
                Prompt = $"Run tool '{tool.Definition.Name}' with these arguments?",
            });
            await SaveAsync("step.waiting", step.Id);
        }

        throw new Suspended();
    }

    /// <summary>A denied tool call is logged by its tool, as a session's is; the run has failed whether or not the log takes it.</summary>
    private async Task LogDenialAsync(StepResult step, string note)
    {
        if (step is not { ToolId: { } toolId, Arguments: { } arguments })
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<IToolGrain>(GrainKeys.For(Key.Tenant, toolId))
                .RecordDenialAsync(arguments, new ToolCallContext(state.State.KeyId, WorkflowStep: ToolMarker(step.StepId), Owner: state.State.Owner ?? state.State.KeyId), $"A member denied this workflow step: {note}");
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Workflow run {Run}: tool {ToolId} could not log the denial of step {Step}", this.GetPrimaryKeyString(), toolId, step.StepId);
        }
    }

    /// <summary>The run stops until a member decides: its deadline is set, and its reminder moved to it.</summary>
    private async Task WaitForDecisionAsync()
    {
        state.State.WaitingSince = time.GetUtcNow();
        state.State.Run = Run with { Status = WorkflowRunStatus.WaitingApproval, ApprovalExpiresAt = state.State.WaitingSince + options.Value.ApprovalTtl };
        await SaveAsync("run.waiting", null);
        await KeepWaitingAsync();
    }

    /// <summary>A waiting run past its deadline fails; until then its one reminder is due at the deadline, not every minute.</summary>
    private async Task KeepWaitingAsync()
    {
        var left = ApprovalDeadline - time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            await ExpireAsync();
            return;
        }

        try
        {
            // Should it tick early, it is set again for what is left; a failed expiry is tried again a period later.
            await this.RegisterOrUpdateReminder(ResumeReminder, left, ResumePeriod);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Workflow run {Run} could not move its reminder to its approval deadline; it moves it at the next tick", this.GetPrimaryKeyString());
        }
    }

    private async Task ExpireAsync()
    {
        var error = $"No member decided within {options.Value.ApprovalTtl} (by {ApprovalDeadline:u}); the approval expired.";
        var waiting = state.State.Order.Select(id => state.State.Results[id]).Where(r => r.Status == StepStatus.WaitingApproval).ToList();
        foreach (var step in waiting)
        {
            Record(step with { Status = StepStatus.Failed, Code = ErrorCodes.ApprovalExpired, Error = error, CompletedAt = time.GetUtcNow() });
        }

        await EndAsync(WorkflowRunStatus.Failed, ErrorCodes.ApprovalExpired, error, "run.failed", waiting.FirstOrDefault()?.StepId);
    }

    /// <summary>A decided run goes on: the reminder that picks it up after a lost silo ticks again.</summary>
    private async Task RemindToResumeAsync()
    {
        try
        {
            await this.RegisterOrUpdateReminder(ResumeReminder, ResumePeriod, ResumePeriod);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Workflow run {Run} could not set its resume reminder; a silo's start still picks it up", this.GetPrimaryKeyString());
        }
    }

    /// <summary>When the wait ends; a run that began waiting before runs had deadlines counts from its last change.</summary>
    private DateTimeOffset ApprovalDeadline => Run.ApprovalExpiresAt ?? Run.UpdatedAt + options.Value.ApprovalTtl;

    private AgentGridException Expired(string stepId) =>
        new(ErrorCodes.ApprovalExpired, $"The approval of step '{stepId}' of run '{Key.Id}' expired; the run has failed.");
}
