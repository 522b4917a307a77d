using AgentGrid.Contracts.Usage;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Inference.Calls;

/// <summary>
/// A process's way into the usage ledgers, by group commit: a record is sent at once when nothing is on its way; records
/// that arrive while a send is out go together in the next one. Every caller still waits for its own record to be in its
/// ledger, so nothing is counted late; under load a ledger gets one call per batch instead of one per model call.
/// </summary>
public sealed class UsageRecorder(IGrainFactory grains, ILogger<UsageRecorder> logger)
{
    private readonly Lock _lock = new();
    private List<(UsageRecord Record, TaskCompletionSource Done)> _pending = [];
    private bool _sending;

    public Task RecordAsync(UsageRecord record)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_lock)
        {
            _pending.Add((record, done));
            start = !_sending;
            _sending = true;
        }

        if (start)
        {
            _ = Task.Run(SendAsync);
        }

        return done.Task;
    }

    private async Task SendAsync()
    {
        while (true)
        {
            List<(UsageRecord Record, TaskCompletionSource Done)> batch;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    _sending = false;
                    return;
                }

                (batch, _pending) = (_pending, []);
            }

            await Task.WhenAll(batch.GroupBy(b => IUsageLedgerGrain.KeyFor(b.Record.Tenant, DateOnly.FromDateTime(b.Record.At.UtcDateTime)))
                .Select(async day =>
                {
                    try
                    {
                        await grains.GetGrain<IUsageLedgerGrain>(day.Key).RecordManyAsync([.. day.Select(d => d.Record)]);
                    }
                    catch (Exception e)
                    {
                        logger.LogError(e, "Usage of {Count} calls could not be recorded in ledger {Ledger}", day.Count(), day.Key);
                    }
                    finally
                    {
                        foreach (var (_, done) in day)
                        {
                            done.TrySetResult();
                        }
                    }
                }));
        }
    }
}
