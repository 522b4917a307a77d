using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Workflows;
using AgentGrid.Grains.Records;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Workflows;

/// <summary>A workflow's definition and the list of its runs (rows of the record store, so it grows without bound).</summary>
public sealed class WorkflowGrain(
    [PersistentState("workflow", GridNames.StateStore)] IPersistentState<WorkflowState> state,
    IRecordStore records,
    TimeProvider time,
    ILogger<WorkflowGrain> logger) : Grain, IWorkflowGrain
{
    private (string Tenant, string Id) Key => GrainKeys.Parse(this.GetPrimaryKeyString());

    private WorkflowRunList Runs => new(records, this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A workflow saved by a version that kept its latest 100 run ids in its state: they become rows, once.
        if (state.State.Runs.Count > 0)
        {
            await Runs.ImportAsync(state.State.Runs);
            state.State.RunCount = state.State.Runs.Count;
            state.State.Runs.Clear();
            await this.WriteOrDeactivateAsync(state);
        }
    }

    public async Task<Workflow> CreateAsync(string definition)
    {
        if (state.State.Workflow is not null)
        {
            throw AgentGridException.Validation("id", $"Workflow '{Key.Id}' already exists.");
        }

        var plan = await CheckAsync(definition);
        var index = GrainFactory.GetGrain<IWorkflowIndexGrain>(Key.Tenant);
        // Listed before stored: the index enforces the tenant's cap, and a refusal must leave nothing behind.
        await index.AddAsync(Key.Id);
        var now = time.GetUtcNow();
        state.State.Workflow = new Workflow
        {
            Id = Key.Id, Name = plan.Name, Description = plan.Description, Definition = definition, Version = 1, CreatedAt = now, UpdatedAt = now,
        };
        try
        {
            await this.WriteOrDeactivateAsync(state);
        }
        catch
        {
            await BestEffort.UndoAsync(index.RemoveAsync(Key.Id), logger, this.GetPrimaryKeyString());
            throw;
        }

        logger.LogInformation("Workflow {Workflow} created", this.GetPrimaryKeyString());
        return state.State.Workflow;
    }

    public Task<Workflow> GetAsync() => Task.FromResult(Current);

    public async Task<Workflow> UpdateAsync(string definition)
    {
        var current = Current;
        var plan = await CheckAsync(definition);
        state.State.Workflow = current with
        {
            Name = plan.Name, Description = plan.Description, Definition = definition, Version = current.Version + 1, UpdatedAt = time.GetUtcNow(),
        };
        await this.WriteOrDeactivateAsync(state);
        return state.State.Workflow;
    }

    public async Task DeleteAsync()
    {
        _ = Current;
        await GrainFactory.GetGrain<IWorkflowIndexGrain>(Key.Tenant).RemoveAsync(Key.Id);
        await Runs.ClearAsync();
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    public async Task<WorkflowRun> StartRunAsync(string input, string? keyId, string? owner = null)
    {
        var workflow = Current;
        if (input.Length > Limits.MaxMessageLength)
        {
            throw AgentGridException.Validation("input", $"input must be at most {Limits.MaxMessageLength} characters.");
        }

        var runId = GrainKeys.NewId("run");
        var run = await GrainFactory.GetGrain<IWorkflowRunGrain>(GrainKeys.For(Key.Tenant, runId)).StartAsync(workflow, input, keyId, owner);
        // The number is stored before its row: a row that fails to land leaves a gap, never a number given twice.
        var number = ++state.State.RunCount;
        await this.WriteOrDeactivateAsync(state);
        await Runs.PutAsync(number, runId);
        return run;
    }

    public Task<WorkflowRunPage> RunsAsync(long? before, int limit)
    {
        _ = Current;
        return Runs.PageAsync(before, limit);
    }

    private async Task<WorkflowPlan> CheckAsync(string definition)
    {
        var plan = WorkflowPlan.Parse(definition);
        await WorkflowReferences.CheckAsync(GrainFactory, Key.Tenant, plan);
        return plan;
    }

    private Workflow Current => state.State.Workflow ?? throw new AgentGridException(ErrorCodes.WorkflowNotFound, $"Workflow '{Key.Id}' was not found.");
}

public sealed class WorkflowState
{
    public Workflow? Workflow { get; set; }

    /// <summary>The latest run ids, newest first, as versions before the run list kept them; moved to rows on first use.</summary>
    public List<string> Runs { get; set; } = [];

    /// <summary>Runs started so far: the number of the latest run's row.</summary>
    public long RunCount { get; set; }
}
