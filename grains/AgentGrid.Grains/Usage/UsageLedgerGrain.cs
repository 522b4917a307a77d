using AgentGrid.Contracts;
using AgentGrid.Contracts.Usage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Usage;

/// <summary>
/// One tenant-day of the ledger. Calls are summed in memory at once (reads are exact) and written every
/// <see cref="UsageOptions.FlushInterval"/> and when the activation ends, so a busy tenant costs one write per
/// interval, not one per call. Each record is also published on the tenant's <c>usage</c> stream.
/// </summary>
public sealed class UsageLedgerGrain(
    [PersistentState("usage-day", GridNames.StateStore)] IPersistentState<UsageDayState> state,
    IOptions<UsageOptions> options,
    ILogger<UsageLedgerGrain> logger) : Grain, IUsageLedgerGrain
{
    private bool _dirty;
    private bool _indexed;
    private IGrainTimer? _flush;
    private Orleans.Streams.IAsyncStream<UsageRecord>? _stream;
    private readonly Queue<UsageRecord> _unpublished = new();
    private Task? _publishing;

    private (string Tenant, DateOnly Day) _key;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (tenant, day) = GrainKeys.Parse(this.GetPrimaryKeyString());
        _key = (tenant, DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        return Task.CompletedTask;
    }

    public async Task RecordManyAsync(IReadOnlyList<UsageRecord> records)
    {
        foreach (var record in records)
        {
            await RecordAsync(record);
        }
    }

    public async Task RecordAsync(UsageRecord record)
    {
        if (!_indexed)
        {
            await GrainFactory.GetGrain<IUsageIndexGrain>(_key.Tenant).AddDayAsync(_key.Day);
            _indexed = true;
        }

        var start = state.State.Compacted
            ? new DateTimeOffset(_key.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : new DateTimeOffset(record.At.UtcDateTime.Date.AddHours(record.At.UtcDateTime.Hour), TimeSpan.Zero);
        var row = new UsageRow
        {
            Tenant = record.Tenant,
            Start = start,
            KeyId = record.KeyId,
            AgentId = record.AgentId,
            Model = record.Model,
            Requests = record.IsModelCall ? 1 : 0,
            InputTokens = record.InputTokens,
            OutputTokens = record.OutputTokens,
            CachedTokens = record.CachedTokens,
            CostUsd = record.CostUsd,
            TimeToFirstTokenMsSum = record.TimeToFirstTokenMs ?? 0,
            TimedRequests = record.TimeToFirstTokenMs is null ? 0 : 1,
            TotalMsSum = record.TotalMs,
            ToolRuns = record.ToolRuns,
            UploadedBytes = record.UploadedBytes,
            WorkflowSteps = record.WorkflowSteps,
        };
        var key = RowKey(row);
        state.State.Rows[key] = state.State.Rows.TryGetValue(key, out var existing) ? existing.Add(row) : row;
        _dirty = true;
        _flush ??= this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(options.Value.FlushInterval, options.Value.FlushInterval));

        // Published behind the call, in order: the ledger already holds the record, and the call it measured must not
        // wait for the event bus.
        if (_unpublished.Count < MaxUnpublished)
        {
            _unpublished.Enqueue(record);
            if (_publishing is not { IsCompleted: false })
            {
                _publishing = PublishAsync();
            }
        }
    }

    private const int MaxUnpublished = 10_000;
    private const int MaxBatch = 500;

    private async Task PublishAsync()
    {
        var inFlight = 0;
        try
        {
            _stream ??= this.GetStreamProvider(GridNames.StreamProvider).GetStream<UsageRecord>(StreamId.Create(GridNames.UsageStreamNamespace, _key.Tenant));
            // What queued up while the last batch was on its way goes in one batch: one queue write, not one per call.
            while (_unpublished.Count > 0)
            {
                var batch = new List<UsageRecord>(Math.Min(_unpublished.Count, MaxBatch));
                while (batch.Count < MaxBatch && _unpublished.TryDequeue(out var next))
                {
                    batch.Add(next);
                }

                inFlight = batch.Count;
                await _stream.OnNextBatchAsync(batch);
                inFlight = 0;
            }
        }
        catch (Exception e)
        {
            // The ledger holds the records; subscribers missing some must not fail the calls they measured.
            logger.LogWarning(e, "Usage events of {LedgerKey} could not be published; {Dropped} dropped", this.GetPrimaryKeyString(), _unpublished.Count + inFlight);
            _unpublished.Clear();
        }
    }

    public Task<IReadOnlyList<UsageRow>> GetRowsAsync() => Task.FromResult<IReadOnlyList<UsageRow>>([.. state.State.Rows.Values]);

    public async Task CompactAsync()
    {
        if (state.State.Compacted)
        {
            return;
        }

        var day = new DateTimeOffset(_key.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        state.State.Rows = state.State.Rows.Values
            .Select(r => r with { Start = day })
            .GroupBy(RowKey)
            .ToDictionary(g => g.Key, g => g.Aggregate((a, b) => a.Add(b with { Start = a.Start })), StringComparer.Ordinal);
        state.State.Compacted = true;
        await this.WriteOrDeactivateAsync(state);
        _dirty = false;
    }

    public async Task ClearAsync()
    {
        await state.ClearStateAsync();
        _dirty = false;
        DeactivateOnIdle();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_publishing is { } publishing)
        {
            await publishing;
        }

        await FlushAsync(cancellationToken);
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            _dirty = true;
            throw;
        }
    }

    private static string RowKey(UsageRow row) => $"{row.Start:O}|{row.KeyId}|{row.AgentId}|{row.Model}";
}

public sealed class UsageDayState
{
    public Dictionary<string, UsageRow> Rows { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True once the hours were folded into daily rollups.</summary>
    public bool Compacted { get; set; }
}
