using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Records;

/// <summary>
/// When a silo becomes active, picks up work a stop cut off: each row of <paramref name="partition"/> names a grain
/// whose work was under way, and <see cref="ResumeAsync"/> pokes it. Every silo does it; work already going ignores the
/// poke. A failure is logged and left to the work's own later pick-up.
/// </summary>
public abstract class StartupResumer(IRecordStore records, string partition, string what, ILogger logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active, Start, _ => Task.CompletedTask);

    /// <summary>Goes on with the work of the grain a row names (the row's id).</summary>
    protected abstract Task ResumeAsync(string id);

    private Task Start(CancellationToken cancellationToken)
    {
        _ = Task.Run(ResumeAllAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task ResumeAllAsync()
    {
        try
        {
            var pending = await records.ReadAsync(partition, RecordQuery.All);
            foreach (var row in pending)
            {
                await ResumeAsync(row.Id);
            }

            if (pending.Count > 0)
            {
                logger.LogInformation("Resumed {Count} {What}", pending.Count, what);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not resume {What}; they are picked up later", what);
        }
    }
}
