using System.Text.Json.Nodes;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Contracts.Tools;
using AgentGrid.Contracts.Workflows;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Workflows;

/// <summary>How each kind of step runs. A step already completed (in this activation or a lost one) gives its stored output.</summary>
public sealed partial class WorkflowRunGrain
{
    private async Task<string?> RunStepsAsync(IReadOnlyList<PlanStep> steps, CancellationToken cancellationToken)
    {
        string? last = null;
        foreach (var step in steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            last = await RunStepAsync(step, cancellationToken);
        }

        return last;
    }

    private async Task<string?> RunStepAsync(PlanStep step, CancellationToken cancellationToken)
    {
        if (state.State.Results.TryGetValue(step.Id, out var done) && done.Status == StepStatus.Completed)
        {
            return done.Output;
        }

        if (step is ApprovalStep approval)
        {
            return await AwaitApprovalAsync(approval);
        }

        var started = done ?? new StepResult { StepId = step.Id, Kind = step.Kind, StartedAt = time.GetUtcNow() };
        if (done is null || step is AgentStep)
        {
            Record(started with { Status = StepStatus.Running, SessionId = started.SessionId ?? (step is AgentStep ? GrainKeys.NewId("ses") : null) });
            await SaveAsync("step.started", step.Id);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (step.TimeoutSeconds is { } seconds)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        (string? Output, string? AgentId) result;
        try
        {
            result = step switch
            {
                AgentStep agent => await RunAgentAsync(agent, state.State.Results[step.Id].SessionId!, timeout.Token),
                ToolStep tool => (await RunToolAsync(tool).WaitAsync(timeout.Token), null),
                SequenceStep sequence => (await RunStepsAsync(sequence.Steps, timeout.Token), null),
                ParallelStep parallel => (await RunParallelAsync(parallel, timeout.Token), null),
                BranchStep branch => (await RunStepsAsync(branch.Condition.Holds(Render(branch.Condition.Value)) ? branch.Then : branch.Else, timeout.Token), null),
                HandoffStep handoff => await WorkflowHandoff.RunAsync(GrainFactory, models, Key.Tenant, handoff, Render(handoff.Input), Caller, CountCall, timeout.Token),
                _ => throw new InvalidOperationException($"A {step.Kind} step has no runner."),
            };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw await FailAsync(step, ErrorCodes.WorkflowLimitExceeded, $"Step '{step.Id}' did not finish within {step.TimeoutSeconds} s.");
        }
        catch (AgentGridException e) when (e.Code == ErrorCodes.TurnCancelled && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw await FailAsync(step, ErrorCodes.WorkflowLimitExceeded, $"Step '{step.Id}' did not finish within {step.TimeoutSeconds} s.");
        }
        catch (StepFailed e)
        {
            // A step inside this one failed: this one failed with it.
            await FailAsync(step, e.Code, e.Message);
            throw;
        }
        catch (AgentGridException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The step's own failure (a tool's error, a budget spent, an agent that is gone) ends the run with its code.
            throw await FailAsync(step, e.Code, e.Message);
        }
        catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            // A silo lost or busy for a moment (just after a failover, say): the step is tried again shortly.
            throw new RetryLater(e);
        }
        catch (Exception e) when (e is not (Suspended or RunStorageException or RetryLater or OperationCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            // A grain call that timed out, a silo lost mid-call: the step fails with a typed error rather than looping.
            logger.LogWarning(e, "Workflow run {Run}: step {Step} failed", this.GetPrimaryKeyString(), step.Id);
            throw await FailAsync(step, ErrorCodes.WorkflowStepFailed, $"Step '{step.Id}' failed: the grid could not complete it ({e.GetType().Name}).");
        }

        Record(state.State.Results[step.Id] with { Status = StepStatus.Completed, Output = result.Output, AgentId = result.AgentId, CompletedAt = time.GetUtcNow() });
        await SaveAsync("step.completed", step.Id);
        await MeterAsync(step, result.AgentId);
        return result.Output;
    }

    private async Task<StepFailed> FailAsync(PlanStep step, string code, string error)
    {
        Record(state.State.Results[step.Id] with { Status = StepStatus.Failed, Code = code, Error = error, CompletedAt = time.GetUtcNow() });
        await SaveAsync("step.failed", step.Id);
        await MeterAsync(step, null);
        return new StepFailed(step.Id, code, error);
    }

    /// <summary>
    /// Counts an agent, tool or hand-off step that ended (completed or failed) in the tenant's usage ledger, under the key
    /// that started the run; sequences, branches, fan-outs and approvals are not steps of their own there. A ledger that
    /// cannot be reached does not fail the run.
    /// </summary>
    private async Task MeterAsync(PlanStep step, string? agentId)
    {
        if (step is not (AgentStep or ToolStep or HandoffStep))
        {
            return;
        }

        try
        {
            await usage.RecordAsync(new Contracts.Usage.UsageRecord
            {
                Tenant = Key.Tenant, KeyId = state.State.KeyId, AgentId = agentId, Model = "", Source = Contracts.Usage.UsageRecord.WorkflowSource,
                WorkflowSteps = 1, At = time.GetUtcNow(),
            });
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Step {Step} of workflow run {Run} could not be counted in the usage ledger", step.Id, this.GetPrimaryKeyString());
        }
    }

    /// <summary>
    /// An agent step is a turn in the step's own session; the message id is fixed, so a step resumed after a lost silo
    /// gets the reply already given (or the turn goes on), never a second answer.
    /// </summary>
    private async Task<(string?, string?)> RunAgentAsync(AgentStep step, string sessionId, CancellationToken cancellationToken)
    {
        var agent = await WorkflowReferences.FindAgentAsync(GrainFactory, Key.Tenant, step.Agent)
            ?? throw AgentGridException.AgentNotFound(step.Agent);
        var session = GrainFactory.GetGrain<ISessionGrain>(GrainKeys.For(Key.Tenant, sessionId));
        try
        {
            await session.GetAsync();
        }
        catch (AgentGridException e) when (e.Code == ErrorCodes.SessionNotFound)
        {
            await session.OpenAsync(agent.Id, new Dictionary<string, string>(), owner: state.State.Owner ?? state.State.KeyId);
        }

        CountCall();
        var turn = await session.SendMessageAsync(Render(step.Input), "msg_workflow_step", state.State.KeyId, cancellationToken);
        return turn.Reply is { } reply
            ? (reply.Content, agent.Id)
            : throw new AgentGridException(ErrorCodes.ApprovalPending,
                $"Agent '{agent.Name}' waits for approval of a tool call in session '{sessionId}'; decide it there, then run the workflow again.");
    }

    /// <summary>
    /// A tool step (one whose tool requires approval first waits for it). One cut off by a lost silo is looked up in the
    /// tool's log first: if it ran, its output stands and it does not run again.
    /// </summary>
    private async Task<string?> RunToolAsync(ToolStep step)
    {
        var (toolId, arguments) = await ToolCallAsync(step);
        var grain = GrainFactory.GetGrain<IToolGrain>(GrainKeys.For(Key.Tenant, toolId));
        var marker = ToolMarker(step.Id);
        if (Run.Resumptions > 0 && (await grain.ExecutionsAsync(50)).FirstOrDefault(e => e.WorkflowStep == marker) is { } earlier)
        {
            return Outcome(earlier);
        }

        CountCall();
        ToolExecution execution;
        try
        {
            execution = await grain.InvokeAsync(arguments, new ToolCallContext(state.State.KeyId, WorkflowStep: marker, Owner: state.State.Owner ?? state.State.KeyId));
        }
        catch (AgentGridException e) when (e.Code == ErrorCodes.RateLimited)
        {
            // Refused before it ran (the tenant's tool runs in flight, the tool's own rate): tried again shortly, uncounted.
            state.State.Calls--;
            throw new RetryLater(e);
        }

        return Outcome(execution);

        static string? Outcome(ToolExecution execution) => execution.Status == ToolExecutionStatus.Success
            ? execution.Output
            : throw new AgentGridException(execution.ErrorCode ?? ErrorCodes.ToolFailed, execution.Error ?? "The tool failed.");
    }

    /// <summary>Fan-out and fan-in: every branch runs; the output is each branch's output by its id (JSON).</summary>
    private async Task<string> RunParallelAsync(ParallelStep step, CancellationToken cancellationToken)
    {
        var branches = step.Steps.Select(s => RunStepAsync(s, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(branches);
        }
        catch
        {
            // A failure outranks a wait: a run with a failed branch fails even if another waits for approval.
            var errors = branches.Where(b => b.IsFaulted).Select(b => b.Exception!.InnerException).ToList();
            throw errors.OfType<StepFailed>().FirstOrDefault() ?? errors.FirstOrDefault(e => e is not Suspended) ?? errors.FirstOrDefault()
                ?? new OperationCanceledException(cancellationToken);
        }

        var outputs = new JsonObject();
        for (var i = 0; i < step.Steps.Count; i++)
        {
            outputs[step.Steps[i].Id] = branches[i].Result;
        }

        return outputs.ToJsonString();
    }

    private static bool IsTransient(Exception e) => e.SelfAndCauses().Any(c =>
        c is SiloUnavailableException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException or TimeoutException);

    /// <summary>How the tool's log names this run's step.</summary>
    private string ToolMarker(string stepId) => $"{Key.Id}/{stepId}";

    private string Render(string template) => WorkflowTemplates.Render(template, Run.Input, Output);

    private string? Output(string stepId) => state.State.Results.TryGetValue(stepId, out var r) && r.Status == StepStatus.Completed ? r.Output : null;

    private Contracts.Identity.Caller Caller => new(Key.Tenant, state.State.KeyId);

    /// <summary>Counts one agent, tool or hand-off call against the workflow's <c>maxSteps</c>.</summary>
    private void CountCall()
    {
        if (++state.State.Calls > Plan.MaxSteps)
        {
            throw new AgentGridException(ErrorCodes.WorkflowLimitExceeded, $"The run made the {Plan.MaxSteps} calls its workflow allows (maxSteps).");
        }
    }
}
