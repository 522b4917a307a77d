using Orleans.Concurrency;

namespace AgentGrid.Contracts.Workflows;

/// <summary>A workflow of a tenant, keyed <c>{tenant}/{workflowId}</c>.</summary>
[Alias("agentgrid.IWorkflowGrain")]
public interface IWorkflowGrain : IGrainWithStringKey
{
    /// <summary>Checks and stores the definition (JSON text); every problem is <c>validation_failed</c> naming its place.</summary>
    [Alias("create")] Task<Workflow> CreateAsync(string definition);

    [Alias("get")] [ReadOnly] Task<Workflow> GetAsync();

    [Alias("update")] Task<Workflow> UpdateAsync(string definition);

    /// <summary>Deletes the definition; its runs go on and stay readable.</summary>
    [Alias("delete")] Task DeleteAsync();

    /// <summary>
    /// Starts a run of the current version with <paramref name="input"/>, for the caller's key (its limits and budget apply);
    /// the sessions and tool runs it makes belong to <paramref name="owner"/> (the key's owner).
    /// </summary>
    [Alias("start")] Task<WorkflowRun> StartRunAsync(string input, string? keyId, string? owner = null);

    /// <summary>
    /// Its runs, newest first: at most <paramref name="limit"/> (up to <see cref="Limits.MaxRunPage"/>) started before
    /// the run numbered <paramref name="before"/> (the latest when null). Every run is kept, however many there are.
    /// </summary>
    [Alias("run-page")] [ReadOnly] Task<WorkflowRunPage> RunsAsync(long? before, int limit);
}

/// <summary>A tenant's workflows, keyed by the tenant.</summary>
[Alias("agentgrid.IWorkflowIndexGrain")]
public interface IWorkflowIndexGrain : IGrainWithStringKey
{
    /// <summary>
    /// Lists a new workflow (before it stores itself, so a refusal leaves nothing); <c>tenant_quota_exceeded</c> when the tenant
    /// already has as many as <c>AgentGrid:TenantCaps:Workflows</c> allows. Adding a listed id again does nothing.
    /// </summary>
    [Alias("add")] Task AddAsync(string workflowId);

    [Alias("remove")] Task RemoveAsync(string workflowId);

    [Alias("list")] [ReadOnly] Task<IReadOnlyList<string>> ListAsync();
}

/// <summary>
/// One run, keyed <c>{tenant}/{runId}</c>. It stores each step's result before the next step starts, so a run whose silo
/// is lost goes on from there elsewhere (a reminder and each silo's start pick it up). Reads, cancellation and
/// approvals interleave with the run in progress.
/// </summary>
[Alias("agentgrid.IWorkflowRunGrain")]
public interface IWorkflowRunGrain : IGrainWithStringKey
{
    [Alias("start")] Task<WorkflowRun> StartAsync(Workflow workflow, string input, string? keyId, string? owner = null);

    [Alias("get")] [AlwaysInterleave] Task<WorkflowRun> GetAsync();

    /// <summary>Stops the run; a step in progress is abandoned. <c>workflow_run_conflict</c> once it has ended.</summary>
    [Alias("cancel")] [AlwaysInterleave] Task<WorkflowRun> CancelAsync();

    /// <summary>
    /// Decides a step that waits for approval: an approval step, or a tool step whose tool requires approval. An approved
    /// run goes on (an approved tool step runs with exactly the arguments it showed; <paramref name="arguments"/>, when
    /// given, must equal them, else <c>approval_mismatch</c>); a denied one fails with <c>workflow_step_failed</c>. Past
    /// the run's approval deadline the run fails and the decision gets <c>approval_expired</c>.
    /// </summary>
    [Alias("approve")] [AlwaysInterleave] Task<WorkflowRun> DecideAsync(string stepId, bool approved, string? comment, string? arguments);

    /// <summary>
    /// Goes on with a run that was running when its silo stopped (nothing if it is not, or is already going); a run that
    /// waits for approval past its deadline fails with <c>approval_expired</c>.
    /// </summary>
    [Alias("resume")] [AlwaysInterleave] Task ResumeAsync();

    /// <summary>Runs the steps not completed yet; one at a time per run (the grain's own call).</summary>
    [Alias("execute")] [OneWay] Task ExecuteAsync();
}
