using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Workflows;
using AgentGrid.FrontDoor.Events;
using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Streams;

namespace AgentGrid.FrontDoor.Workflows;

/// <summary>
/// <c>GET /api/workflow-runs/{id}/events</c>: a <c>run</c> event with the run as it is now, then each change as it
/// happens (<c>step.started</c>, <c>step.completed</c>, <c>run.completed</c>…, each with the run), never one older than
/// the snapshot (by the run's <c>sequence</c>). The stream ends with the run. Changes are best effort: a client that must
/// not miss one reads the run again.
/// </summary>
public static class WorkflowRunEventsEndpoint
{
    public static async Task<ServerSentEventsResult<object>> StreamAsync(
        string id, GridServices grid, IClusterClient client, StreamSlots slots, KeyLookup keys, HttpContext context)
    {
        var run = WorkflowEndpoints.Run(id, grid);
        await run.GetAsync();
        var updates = await StreamUpdates<WorkflowRunEvent>.SubscribeAsync(
            client, StreamId.Create(GridNames.WorkflowRunStreamNamespace, GrainKeys.For(grid.Tenant, id)), slots.Take(grid.KeyId!));
        var current = await run.GetAsync();
        return TypedResults.ServerSentEvents(keys.WhileValidAsync(ReadAsync(current, updates, context.RequestAborted), context.User, context.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<object>> ReadAsync(
        WorkflowRun current, StreamUpdates<WorkflowRunEvent> updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using (updates)
        {
            yield return new SseItem<object>(current, "run");
            if (Ended(current.Status))
            {
                yield break;
            }

            await foreach (var update in updates.Reader.ReadAllAsync(cancellationToken))
            {
                if (update.Run.Sequence <= current.Sequence)
                {
                    // Published before the snapshot was read: the snapshot already holds it.
                    continue;
                }

                yield return new SseItem<object>(update, update.Type);
                if (Ended(update.Run.Status))
                {
                    yield break;
                }
            }
        }
    }

    private static bool Ended(WorkflowRunStatus status) => status is WorkflowRunStatus.Completed or WorkflowRunStatus.Failed or WorkflowRunStatus.Cancelled;
}
