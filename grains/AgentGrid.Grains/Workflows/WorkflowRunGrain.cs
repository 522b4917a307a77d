using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Workflows;
using AgentGrid.Grains.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace AgentGrid.Grains.Workflows;

/// <summary>
/// One run of a workflow. Each step's result is stored before anything that depends on it starts, so a run cut off by
/// a lost silo goes on (from a reminder, or a silo's start) without running a completed step again. The steps run in
/// the grain's own one-way call; reads, cancellation and approvals interleave with it.
/// </summary>
public sealed partial class WorkflowRunGrain(
    [PersistentState("workflow-run", GridNames.StateStore)] IPersistentState<WorkflowRunState> state,
    IRecordStore records,
    TimeProvider time,
    ModelMeter models,
    AgentGrid.Inference.Calls.UsageRecorder usage,
    Identity.TenantWorkSlots slots,
    IOptions<WorkflowOptions> options,
    ILogger<WorkflowRunGrain> logger) : Grain, IWorkflowRunGrain, IRemindable
{
    /// <summary>Rows naming the runs that are going (id: the run's grain key), read by each silo as it starts.</summary>
    public const string RunningPartition = "workflow-runs/running";

    private const string ResumeReminder = "resume";
    private static readonly TimeSpan ResumePeriod = TimeSpan.FromMinutes(1);
    private const int MaxRetries = 30;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>How soon a run that found no free slot of its tenant's (a resumed or approved one) tries again.</summary>
    private static readonly TimeSpan SlotRetryDelay = TimeSpan.FromSeconds(2);
    private int _retries;
    private readonly SemaphoreSlim _writes = new(1, 1);
    private CancellationTokenSource? _executing;

    /// <summary>The tenant's slot while this run executes on this silo (<see cref="Identity.TenantConcurrencyOptions.WorkflowRuns"/>).</summary>
    private IDisposable? _slot;
    private WorkflowPlan? _plan;

    private (string Tenant, string Id) Key => GrainKeys.Parse(this.GetPrimaryKeyString());

    private WorkflowRun Run => state.State.Run ?? throw new AgentGridException(ErrorCodes.WorkflowRunNotFound, $"Workflow run '{Key.Id}' was not found.");

    private WorkflowPlan Plan => _plan ??= WorkflowPlan.Parse(state.State.Definition);

    public async Task<WorkflowRun> StartAsync(Workflow workflow, string input, string? keyId, string? owner = null)
    {
        if (state.State.Run is not null)
        {
            throw new AgentGridException(ErrorCodes.WorkflowRunConflict, $"Workflow run '{Key.Id}' already exists.");
        }

        // A new run over the tenant's limit is refused before anything is stored (429 rate_limited); its slot carries
        // into the run's execution.
        _slot = slots.Enter(Key.Tenant, Identity.TenantWork.WorkflowRun);
        var now = time.GetUtcNow();
        state.State.Definition = workflow.Definition;
        state.State.KeyId = keyId;
        state.State.Owner = owner ?? keyId;
        state.State.Run = new WorkflowRun
        {
            Id = Key.Id, WorkflowId = workflow.Id, WorkflowVersion = workflow.Version, Status = WorkflowRunStatus.Running, Input = input, CreatedAt = now, UpdatedAt = now,
        };
        try
        {
            await records.PutAsync(RunningPartition, [new StoredRecord(this.GetPrimaryKeyString(), [])]);
            await SaveAsync("run.started", null);
            await this.RegisterOrUpdateReminder(ResumeReminder, ResumePeriod, ResumePeriod);
        }
        catch
        {
            ReleaseSlot();
            throw;
        }

        logger.LogInformation("Workflow run {Run} of {Workflow} started", this.GetPrimaryKeyString(), workflow.Id);
        this.AsReference<IWorkflowRunGrain>().ExecuteAsync().Ignore();
        return Snapshot();
    }

    public Task<WorkflowRun> GetAsync() => Task.FromResult(Snapshot());

    public async Task<WorkflowRun> CancelAsync()
    {
        if (Run.Status is not (WorkflowRunStatus.Running or WorkflowRunStatus.WaitingApproval))
        {
            throw new AgentGridException(ErrorCodes.WorkflowRunConflict, $"Workflow run '{Key.Id}' has ended ({Run.Status.ToString().ToLowerInvariant()}).");
        }

        _executing?.Cancel();
        await EndAsync(WorkflowRunStatus.Cancelled, null, null, "run.cancelled");
        return Snapshot();
    }

    public async Task ResumeAsync()
    {
        if (state.State.Run is { Status: WorkflowRunStatus.WaitingApproval })
        {
            await KeepWaitingAsync();
            return;
        }

        if (state.State.Run is not { Status: WorkflowRunStatus.Running } || _executing is not null)
        {
            if (state.State.Run is null or { Status: not (WorkflowRunStatus.Running or WorkflowRunStatus.WaitingApproval) })
            {
                await ForgetAsync();
            }

            return;
        }

        state.State.Run = Run with { Resumptions = Run.Resumptions + 1 };
        await SaveAsync("run.resumed", null);
        logger.LogInformation("Workflow run {Run} resumes after its silo stopped", this.GetPrimaryKeyString());
        this.AsReference<IWorkflowRunGrain>().ExecuteAsync().Ignore();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => ResumeAsync();

    public async Task ExecuteAsync()
    {
        if (_executing is not null)
        {
            return;
        }

        if (state.State.Run is not { Status: WorkflowRunStatus.Running })
        {
            ReleaseSlot();
            return;
        }

        // A run that goes on (resumed, approved) waits for a slot of its tenant's rather than failing.
        _slot ??= slots.TryEnter(Key.Tenant, Identity.TenantWork.WorkflowRun);
        if (_slot is null)
        {
            logger.LogInformation("Workflow run {Run} waits for one of its tenant's workflow slots on this silo", this.GetPrimaryKeyString());
            this.RegisterGrainTimer(() =>
            {
                this.AsReference<IWorkflowRunGrain>().ExecuteAsync().Ignore();
                return Task.CompletedTask;
            }, new GrainTimerCreationOptions(SlotRetryDelay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
            return;
        }

        var plan = Plan;
        // Waiting for members is bounded by the approval TTL: only the time the run spends running counts here.
        var left = Run.CreatedAt + TimeSpan.FromSeconds(plan.TimeoutSeconds) + state.State.WaitedForDecisions - time.GetUtcNow();
        using var executing = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        _executing = executing;
        try
        {
            var output = await RunStepsAsync(plan.Steps, executing.Token);
            if (Run.Status == WorkflowRunStatus.Running)
            {
                await EndAsync(WorkflowRunStatus.Completed, null, null, "run.completed", output: output);
            }
        }
        catch (Exception) when (Run.Status == WorkflowRunStatus.Cancelled)
        {
            // Cancelled by a caller while a step was out: the run has ended, whatever the step did.
        }
        catch (Suspended)
        {
            await WaitForDecisionAsync();
        }
        catch (StepFailed e)
        {
            await EndAsync(WorkflowRunStatus.Failed, e.Code, e.Message, "run.failed", e.StepId);
        }
        catch (RetryLater e) when (++_retries <= MaxRetries)
        {
            logger.LogInformation(e.InnerException, "Workflow run {Run}: a step met a passing grid error; trying again in {Delay}", this.GetPrimaryKeyString(), RetryDelay);
            this.RegisterGrainTimer(() =>
            {
                this.AsReference<IWorkflowRunGrain>().ExecuteAsync().Ignore();
                return Task.CompletedTask;
            }, new GrainTimerCreationOptions(RetryDelay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        catch (RunStorageException e)
        {
            // Storage failed: the activation is dropped, and the reminder or the next silo start picks the run up again.
            logger.LogError(e, "Workflow run {Run} could not store its progress; it resumes later", this.GetPrimaryKeyString());
            DeactivateOnIdle();
        }
        catch (Exception) when (executing.IsCancellationRequested)
        {
            await EndAsync(WorkflowRunStatus.Failed, ErrorCodes.WorkflowLimitExceeded, $"The run did not finish within its {plan.TimeoutSeconds} s.", "run.failed");
        }
        catch (Exception e)
        {
            // A bug or an error of the grid: the run fails with it rather than resuming into it again and again.
            logger.LogError(e, "Workflow run {Run} failed on an unexpected error", this.GetPrimaryKeyString());
            await EndAsync(WorkflowRunStatus.Failed, ErrorCodes.WorkflowStepFailed, "The run failed on an unexpected error of the grid.", "run.failed");
        }
        finally
        {
            _executing = null;
            ReleaseSlot();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ReleaseSlot();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    private void ReleaseSlot()
    {
        _slot?.Dispose();
        _slot = null;
    }

    private async Task EndAsync(WorkflowRunStatus status, string? code, string? error, string type, string? stepId = null, string? output = null)
    {
        var now = time.GetUtcNow();
        state.State.Run = Run with { Status = status, Code = code, Error = error, Output = output ?? Run.Output, CompletedAt = now, ApprovalExpiresAt = null };
        await SaveAsync(type, stepId);
        await ForgetAsync();
        logger.LogInformation("Workflow run {Run} ended: {Status}", this.GetPrimaryKeyString(), status);
    }

    /// <summary>A run that has ended no longer needs picking up.</summary>
    private async Task ForgetAsync()
    {
        try
        {
            if (await this.GetReminder(ResumeReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            // Run ids are of one length, so the key as a prefix names this run's row alone.
            await records.DeleteAsync(RunningPartition, new RecordQuery(Prefix: this.GetPrimaryKeyString(), Limit: 1));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Workflow run {Run} could not drop its resume reminder; it is dropped at its next tick", this.GetPrimaryKeyString());
        }
    }

    private void Record(StepResult result)
    {
        if (!state.State.Results.ContainsKey(result.StepId))
        {
            state.State.Order.Add(result.StepId);
        }

        state.State.Results[result.StepId] = result;
        state.State.Run = Run with { UpdatedAt = time.GetUtcNow() };
    }

    /// <summary>Stores the run (one write at a time: parallel branches finish together), then publishes the change.</summary>
    private async Task SaveAsync(string type, string? stepId)
    {
        await _writes.WaitAsync();
        try
        {
            state.State.Run = Run with { Sequence = Run.Sequence + 1 };
            await this.WriteOrDeactivateAsync(state);
        }
        catch (Exception e)
        {
            throw new RunStorageException(e);
        }
        finally
        {
            _writes.Release();
        }

        try
        {
            await this.GetStreamProvider(GridNames.StreamProvider)
                .GetStream<WorkflowRunEvent>(StreamId.Create(GridNames.WorkflowRunStreamNamespace, this.GetPrimaryKeyString()))
                .OnNextAsync(new WorkflowRunEvent { Type = type, StepId = stepId, At = time.GetUtcNow(), Run = Snapshot() });
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Workflow run {Run} could not publish {Type}; readers get it from the run", this.GetPrimaryKeyString(), type);
        }
    }

    private WorkflowRun Snapshot() => Run with { Steps = [.. state.State.Order.Select(id => state.State.Results[id])] };

    /// <summary>A step waits for approval: the run stops here until it is decided.</summary>
    private sealed class Suspended : Exception;

    /// <summary>A step met a passing error of the grid (a lost silo, a timeout): it runs again shortly.</summary>
    private sealed class RetryLater(Exception inner) : Exception("A step will be tried again.", inner);

    /// <summary>The run's state could not be written: the run resumes from what was stored.</summary>
    private sealed class RunStorageException(Exception inner) : Exception("The workflow run could not be stored.", inner);

    /// <summary>A step failed; the run fails with its code.</summary>
    private sealed class StepFailed(string stepId, string code, string message) : Exception(message)
    {
        public string StepId { get; } = stepId;
        public string Code { get; } = code;
    }
}

public sealed class WorkflowRunState
{
    public WorkflowRun? Run { get; set; }
    public string Definition { get; set; } = "";
    public string? KeyId { get; set; }

    /// <summary>Whose the run's sessions and tool runs are; runs from before owners belong to their key (<see cref="KeyId"/>).</summary>
    public string? Owner { get; set; }
    public Dictionary<string, StepResult> Results { get; set; } = new(StringComparer.Ordinal);
    public List<string> Order { get; set; } = [];

    /// <summary>Agent, tool and hand-off calls made, against the workflow's <c>maxSteps</c>.</summary>
    public int Calls { get; set; }

    /// <summary>When the current wait for a decision began.</summary>
    public DateTimeOffset? WaitingSince { get; set; }

    /// <summary>Time spent waiting for members' decisions, which the approval TTL bounds rather than <c>timeoutSeconds</c>.</summary>
    public TimeSpan WaitedForDecisions { get; set; }
}
