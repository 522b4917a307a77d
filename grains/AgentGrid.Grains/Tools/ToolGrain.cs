using System.Diagnostics;
using System.Text.Json;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Tools;
using AgentGrid.Grains.Records;
using Json.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Tools;

/// <summary>
/// One tool: its definition in grain state, its executions as rows (newest first on read). Runs interleave; the
/// definition's schemas are parsed once per activation.
/// </summary>
public sealed class ToolGrain(
    [PersistentState("tool", GridNames.StateStore)] IPersistentState<ToolState> state,
    ToolRunner runner,
    IRecordStore records,
    IOptions<ToolOptions> options,
    AgentGrid.Inference.Calls.UsageRecorder usage,
    Identity.TenantWorkSlots slots,
    TimeProvider time,
    ILogger<ToolGrain> logger) : Grain, IToolGrain
{
    /// <summary>The most of an execution's input or output its log keeps.</summary>
    public const int MaxLoggedLength = 64 * 1024;

    private readonly Queue<DateTimeOffset> _recent = new();
    private bool _deleting;
    private (JsonSchema Input, JsonSchema? Output)? _schemas;
    private long _logged;

    private (string Tenant, string Id) Key => GrainKeys.Parse(this.GetPrimaryKeyString());

    private string Log => "tool-exec/" + this.GetPrimaryKeyString();

    private IToolIndexGrain Index => GrainFactory.GetGrain<IToolIndexGrain>(Key.Tenant);

    public async Task<Tool> CreateAsync(ToolDefinition definition)
    {
        if (state.State.Tool is not null)
        {
            throw AgentGridException.Validation("id", $"Tool '{Key.Id}' already exists.");
        }

        var valid = ToolDefinitions.Validate(definition);
        await ClaimAsync(valid.Name);
        var now = time.GetUtcNow();
        state.State.Tool = new Tool { Id = Key.Id, Definition = valid, CreatedAt = now, UpdatedAt = now };
        try
        {
            await this.WriteOrDeactivateAsync(state);
        }
        catch
        {
            // The claim holds a place under the tenant's cap: give it back.
            await BestEffort.UndoAsync(Index.ReleaseAsync(Key.Id), logger, this.GetPrimaryKeyString());
            throw;
        }

        logger.LogInformation("Tool {Tool} ({Kind}) created", this.GetPrimaryKeyString(), valid.Kind);
        return state.State.Tool;
    }

    public Task<Tool> GetAsync() => Task.FromResult(Current);

    public async Task<Tool> UpdateAsync(ToolDefinition definition)
    {
        var current = Current;
        RequireOwner(current, definition.McpServerId);
        var valid = ToolDefinitions.Validate(definition);
        await ClaimAsync(valid.Name);
        (state.State.Tool, _schemas) = (current with { Definition = valid, UpdatedAt = time.GetUtcNow() }, null);
        await this.WriteOrDeactivateAsync(state);
        return state.State.Tool;
    }

    public async Task DeleteAsync(string? mcpServerId = null)
    {
        RequireOwner(Current, mcpServerId);
        _deleting = true;
        await Index.ReleaseAsync(Key.Id);
        await state.ClearStateAsync();
        await records.DeleteAsync(Log, RecordQuery.All);
        DeactivateOnIdle();
    }

    /// <summary>A tool of an attached MCP server changes only through that server.</summary>
    private static void RequireOwner(Tool tool, string? mcpServerId)
    {
        if (tool.Definition.McpServerId is { } owner && owner != mcpServerId)
        {
            throw AgentGridException.Validation("kind", $"This tool comes from MCP server '{owner}': refresh or detach the server instead.");
        }
    }

    public async Task<ToolExecution> InvokeAsync(string input, ToolCallContext context)
    {
        var tool = _deleting ? throw new AgentGridException(ErrorCodes.ToolNotFound, $"Tool '{Key.Id}' was not found.") : Current;
        var definition = tool.Definition;
        if (!definition.Enabled)
        {
            throw new AgentGridException(ErrorCodes.ToolDisabled, $"Tool '{definition.Name}' is disabled.");
        }

        Admit(definition);
        // The tenant's runs in flight on this silo (an MCP tool's also as MCP calls); one over is refused, not queued.
        using var slot = slots.Enter(Key.Tenant, Identity.TenantWork.ToolRun);
        using var mcpSlot = definition.Kind == ToolKind.Mcp ? slots.Enter(Key.Tenant, Identity.TenantWork.McpCall) : null;
        var started = Stopwatch.GetTimestamp();
        var execution = new ToolExecution
        {
            Id = GrainKeys.NewId("exe"), ToolId = tool.Id, ToolName = definition.Name, AgentId = context.AgentId, SessionId = context.SessionId,
            KeyId = context.KeyId, Input = input, At = time.GetUtcNow(), WorkflowStep = context.WorkflowStep, Owner = context.Owner ?? context.KeyId,
        };
        JsonElement parsed;
        try
        {
            parsed = JsonDocument.Parse(input).RootElement.Clone();
            ToolSchemas.Check(Schemas.Input, parsed, "input");
        }
        catch (Exception e) when (e is JsonException or AgentGridException)
        {
            var refused = e as AgentGridException ?? AgentGridException.Validation("input", "input must be JSON.");
            await RecordAsync(execution with { Status = ToolExecutionStatus.Error, ErrorCode = refused.Code, Error = refused.Message, DurationMs = 0 });
            throw refused;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(definition.TimeoutMs ?? ToolDefinitions.DefaultTimeoutMs));
        try
        {
            var output = await runner.RunAsync(Key.Tenant, tool, parsed, context, timeout.Token);
            if (Schemas.Output is { } outputSchema)
            {
                ToolSchemas.Check(outputSchema, output, "output");
            }

            execution = execution with { Status = ToolExecutionStatus.Success, Output = output.GetRawText() };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            execution = execution with { Status = ToolExecutionStatus.Timeout, ErrorCode = ErrorCodes.ToolTimeout, Error = $"The tool did not finish within {definition.TimeoutMs ?? ToolDefinitions.DefaultTimeoutMs} ms." };
        }
        catch (AgentGridException e)
        {
            var status = e.Code == ErrorCodes.ToolTimeout ? ToolExecutionStatus.Timeout : ToolExecutionStatus.Error;
            execution = execution with { Status = status, ErrorCode = e.Code == ErrorCodes.ValidationFailed && e.Field?.StartsWith("output", StringComparison.Ordinal) == true ? ErrorCodes.ToolFailed : e.Code, Error = e.Message };
        }
        catch (Exception e)
        {
            logger.LogError(e, "Tool {Tool} failed", this.GetPrimaryKeyString());
            execution = execution with { Status = ToolExecutionStatus.Error, ErrorCode = ErrorCodes.ToolFailed, Error = "The tool failed on the server." };
        }

        execution = execution with { DurationMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2) };
        await RecordAsync(execution);
        await MeterAsync(execution);
        return execution;
    }

    public async Task<ToolExecution> RecordDenialAsync(string input, ToolCallContext context, string reason)
    {
        var tool = Current;
        var execution = new ToolExecution
        {
            Id = GrainKeys.NewId("exe"), ToolId = tool.Id, ToolName = tool.Definition.Name, AgentId = context.AgentId, SessionId = context.SessionId,
            KeyId = context.KeyId, Input = input, At = time.GetUtcNow(), Status = ToolExecutionStatus.Denied, ErrorCode = ErrorCodes.ToolDenied, Error = reason,
            WorkflowStep = context.WorkflowStep, Owner = context.Owner ?? context.KeyId,
        };
        await RecordAsync(execution);
        return execution;
    }

    public async Task<IReadOnlyList<ToolExecution>> ExecutionsAsync(int limit, string? owner = null, string? before = null)
    {
        _ = Current;
        limit = Math.Clamp(limit, 1, 501);
        if (owner is null)
        {
            var rows = await records.ReadAsync(Log, new RecordQuery(Before: before, Limit: limit, Descending: true));
            return [.. rows.Select(r => RecordJson.Deserialize<ToolExecution>(r.Body))];
        }

        // One owner's runs, read page by page from the newest; the log is bounded (KeepExecutions), and so is this.
        var found = new List<ToolExecution>();
        while (found.Count < limit)
        {
            var rows = await records.ReadAsync(Log, new RecordQuery(Before: before, Limit: 200, Descending: true));
            found.AddRange(rows.Select(r => RecordJson.Deserialize<ToolExecution>(r.Body)).Where(e => e.OwnerOrKey == owner));
            if (rows.Count < 200)
            {
                break;
            }

            before = rows[^1].Id;
        }

        return found.Count > limit ? found[..limit] : found;
    }

    private Tool Current => state.State.Tool ?? throw new AgentGridException(ErrorCodes.ToolNotFound, $"Tool '{Key.Id}' was not found.");

    private (JsonSchema Input, JsonSchema? Output) Schemas => _schemas ??= (
        ToolSchemas.Parse(Current.Definition.InputSchema!, "inputSchema"),
        Current.Definition.OutputSchema is { } output ? ToolSchemas.Parse(output, "outputSchema") : null);

    private async Task ClaimAsync(string name)
    {
        if (!await Index.TryClaimAsync(Key.Id, name))
        {
            throw new AgentGridException(ErrorCodes.ToolNameConflict, $"A tool named '{name}' exists in this tenant.", "name");
        }
    }

    /// <summary>The tool's own rate: executions in the last minute, across every caller of the tenant.</summary>
    private void Admit(ToolDefinition definition)
    {
        if (definition.RateLimitPerMinute is not { } limit)
        {
            return;
        }

        var now = time.GetUtcNow();
        while (_recent.Count > 0 && now - _recent.Peek() >= TimeSpan.FromMinutes(1))
        {
            _recent.Dequeue();
        }

        if (_recent.Count >= limit)
        {
            var retry = (int)Math.Ceiling((_recent.Peek() + TimeSpan.FromMinutes(1) - now).TotalSeconds);
            throw new AgentGridException(ErrorCodes.RateLimited, $"Tool '{definition.Name}' runs at most {limit} times a minute.") { RetryAfterSeconds = Math.Max(1, retry) };
        }

        _recent.Enqueue(now);
    }

    private static string Clip(string json) =>
        json.Length <= MaxLoggedLength ? json : System.Text.Json.JsonSerializer.Serialize(new { truncated = true, length = json.Length, start = json[..1024] });

    /// <summary>Counts the run in the tenant's usage ledger; a ledger that cannot be reached does not fail the run.</summary>
    private async Task MeterAsync(ToolExecution execution)
    {
        try
        {
            await usage.RecordAsync(new AgentGrid.Contracts.Usage.UsageRecord
            {
                Tenant = Key.Tenant, KeyId = execution.KeyId, AgentId = execution.AgentId, Model = "",
                Source = AgentGrid.Contracts.Usage.UsageRecord.ToolSource, ToolRuns = 1, TotalMs = execution.DurationMs, At = execution.At,
            });
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The run of tool {Tool} could not be counted in the usage ledger", this.GetPrimaryKeyString());
        }
    }

    private async Task RecordAsync(ToolExecution execution)
    {
        var id = execution.LogPosition;
        var kept = execution with { Input = Clip(execution.Input), Output = execution.Output is null ? null : Clip(execution.Output) };
        await records.PutAsync(Log, [RecordJson.Record(id, kept)]);
        if (++_logged % 100 == 1)
        {
            var keep = await records.ReadAsync(Log, new RecordQuery(Limit: options.Value.KeepExecutions, Descending: true));
            if (keep.Count == options.Value.KeepExecutions)
            {
                await records.DeleteAsync(Log, new RecordQuery(Before: keep[^1].Id));
            }
        }
    }
}

public sealed class ToolState
{
    public Tool? Tool { get; set; }
}
