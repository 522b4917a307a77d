using Orleans.Concurrency;

namespace AgentGrid.Contracts.Tools;

/// <summary>One tool of a tenant, keyed <c>{tenant}/{toolId}</c>: its definition, its runs and their log.</summary>
[Alias("agentgrid.IToolGrain")]
public interface IToolGrain : IGrainWithStringKey
{
    [Alias("create")] Task<Tool> CreateAsync(ToolDefinition definition);

    [Alias("get")] [ReadOnly] Task<Tool> GetAsync();

    [Alias("update")] Task<Tool> UpdateAsync(ToolDefinition definition);

    /// <summary>
    /// Deletes the tool and its log. A tool of an attached MCP server goes only with its server (<paramref name="mcpServerId"/>
    /// names it); detach or refresh the server instead.
    /// </summary>
    [Alias("delete")] Task DeleteAsync(string? mcpServerId = null);

    /// <summary>
    /// Validates <paramref name="input"/> (JSON text) against the input schema, runs the tool, validates the output
    /// against its schema when it has one, logs the execution and returns it. Bad input is refused before anything runs.
    /// </summary>
    [Alias("invoke")] [AlwaysInterleave] Task<ToolExecution> InvokeAsync(string input, ToolCallContext context);

    /// <summary>Logs a call a member denied (status <c>denied</c>); nothing runs.</summary>
    [Alias("deny")] [AlwaysInterleave] Task<ToolExecution> RecordDenialAsync(string input, ToolCallContext context, string reason);

    /// <summary>
    /// The latest executions, newest first, before the log position <paramref name="before"/> (<see cref="ToolExecution.LogPosition"/>) when given: of one
    /// <paramref name="owner"/> (see <see cref="ToolExecution.OwnerOrKey"/>), or of everyone when null.
    /// </summary>
    [Alias("executions")] [ReadOnly] Task<IReadOnlyList<ToolExecution>> ExecutionsAsync(int limit, string? owner = null, string? before = null);
}

/// <summary>A tenant's tools by id and name, keyed by the tenant.</summary>
[Alias("agentgrid.IToolIndexGrain")]
public interface IToolIndexGrain : IGrainWithStringKey
{
    /// <summary>
    /// Claims <paramref name="name"/> for <paramref name="toolId"/>; false when another tool has it. A tool not yet listed is
    /// refused with <c>tenant_quota_exceeded</c> when the tenant has as many as <c>AgentGrid:TenantCaps:Tools</c> allows.
    /// </summary>
    [Alias("claim")] Task<bool> TryClaimAsync(string toolId, string name);

    [Alias("release")] Task ReleaseAsync(string toolId);

    [Alias("list")] Task<IReadOnlyList<string>> ListAsync();

    [Alias("find")] Task<string?> FindAsync(string name);
}
