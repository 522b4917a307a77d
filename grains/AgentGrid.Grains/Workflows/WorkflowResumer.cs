using AgentGrid.Contracts.Workflows;
using AgentGrid.Grains.Records;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Workflows;

/// <summary>
/// When a silo becomes active, picks up the workflow runs that were going when the grid (or their silo) stopped. Every
/// silo does it; a run already going ignores the call. Runs whose silo is lost while others stay up are picked up by
/// their reminder.
/// </summary>
public sealed class WorkflowResumer(IGrainFactory grains, IRecordStore records, ILogger<WorkflowResumer> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(WorkflowResumer), ServiceLifecycleStage.Active, Start, _ => Task.CompletedTask);

    private Task Start(CancellationToken cancellationToken)
    {
        _ = Task.Run(ResumeAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task ResumeAsync()
    {
        try
        {
            var running = await records.ReadAsync(WorkflowRunGrain.RunningPartition, RecordQuery.All);
            foreach (var row in running)
            {
                await grains.GetGrain<IWorkflowRunGrain>(row.Id).ResumeAsync();
            }

            if (running.Count > 0)
            {
                logger.LogInformation("Picked up {Count} workflow runs", running.Count);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not pick up workflow runs; their reminders pick them up");
        }
    }
}
