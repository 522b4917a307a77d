using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Workflows;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Workflows;

/// <summary>A workflow's definition and the ids of its latest runs.</summary>
public sealed class WorkflowGrain(
    [PersistentState("workflow", GridNames.StateStore)] IPersistentState<WorkflowState> state,
    TimeProvider time,
    ILogger<WorkflowGrain> logger) : Grain, IWorkflowGrain
{
    /// <summary>Run ids a workflow lists; older runs stay readable by id.</summary>
    public const int KeptRuns = 100;

    private (string Tenant, string Id) Key => GrainKeys.Parse(this.GetPrimaryKeyString());

    public async Task<Workflow> CreateAsync(string definition)
    {
        if (state.State.Workflow is not null)
        {
            throw AgentGridException.Validation("id", $"Workflow '{Key.Id}' already exists.");
        }

        var plan = await CheckAsync(definition);
        var now = time.GetUtcNow();
        state.State.Workflow = new Workflow
        {
            Id = Key.Id, Name = plan.Name, Description = plan.Description, Definition = definition, Version = 1, CreatedAt = now, UpdatedAt = now,
        };
        await this.WriteOrDeactivateAsync(state);
        await GrainFactory.GetGrain<IWorkflowIndexGrain>(Key.Tenant).AddAsync(Key.Id);
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
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    public async Task<WorkflowRun> StartRunAsync(string input, string? keyId)
    {
        var workflow = Current;
        if (input.Length > Limits.MaxMessageLength)
        {
            throw AgentGridException.Validation("input", $"input must be at most {Limits.MaxMessageLength} characters.");
        }

        var runId = GrainKeys.NewId("run");
        var run = await GrainFactory.GetGrain<IWorkflowRunGrain>(GrainKeys.For(Key.Tenant, runId)).StartAsync(workflow, input, keyId);
        state.State.Runs.Insert(0, runId);
        if (state.State.Runs.Count > KeptRuns)
        {
            state.State.Runs.RemoveRange(KeptRuns, state.State.Runs.Count - KeptRuns);
        }

        await this.WriteOrDeactivateAsync(state);
        return run;
    }

    public Task<IReadOnlyList<string>> RunsAsync()
    {
        _ = Current;
        return Task.FromResult<IReadOnlyList<string>>([.. state.State.Runs]);
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
    public List<string> Runs { get; set; } = [];
}
