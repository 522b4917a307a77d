using AgentGrid.Contracts.Workflows;
using AgentGrid.Grains.Records;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Workflows;

/// <summary>
/// Picks up the workflow runs that were going when the grid (or their silo) stopped, when a silo becomes active; a run
/// already going ignores it. Runs whose silo is lost while others stay up are picked up by their reminder.
/// </summary>
public sealed class WorkflowResumer(IGrainFactory grains, IRecordStore records, ILogger<WorkflowResumer> logger)
    : StartupResumer(records, WorkflowRunGrain.RunningPartition, "workflow runs", logger)
{
    protected override Task ResumeAsync(string id) => grains.GetGrain<IWorkflowRunGrain>(id).ResumeAsync();
}
