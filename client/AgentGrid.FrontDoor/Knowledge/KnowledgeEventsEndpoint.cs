using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.FrontDoor.Events;
using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Streams;

namespace AgentGrid.FrontDoor.Knowledge;

/// <summary>
/// <c>GET /api/knowledge-bases/{id}/events</c>: first a <c>documents</c> event with the list as it is now (as
/// <c>GET …/documents</c> answers), then a <c>document</c> event for each update of an ingestion as it happens.
/// Updates are best effort: a client that must not miss one reads the list again.
/// </summary>
public static class KnowledgeEventsEndpoint
{
    public static async Task<ServerSentEventsResult<object>> StreamAsync(
        string id, GridServices grid, IClusterClient client, StreamSlots slots, KeyLookup keys, HttpContext context)
    {
        if (!GrainKeys.IsValidId(id))
        {
            throw new Contracts.Errors.AgentGridException(Contracts.Errors.ErrorCodes.KnowledgeBaseNotFound, $"Knowledge base '{id}' was not found.");
        }

        var knowledgeBase = grid.Grain<IKnowledgeBaseGrain>(id);
        await knowledgeBase.GetAsync();
        var updates = await StreamUpdates<KnowledgeDocument>.SubscribeAsync(
            client, StreamId.Create(GridNames.KnowledgeStreamNamespace, GrainKeys.For(grid.Tenant, id)), slots.Take(grid.KeyId!));
        var current = await knowledgeBase.ListDocumentsAsync();
        return TypedResults.ServerSentEvents(keys.WhileValidAsync(ReadAsync(current, updates, context.RequestAborted), context.User, context.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<object>> ReadAsync(
        IReadOnlyList<KnowledgeDocument> current, StreamUpdates<KnowledgeDocument> updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using (updates)
        {
            yield return new SseItem<object>(new DocumentList(current), "documents");
            await foreach (var update in updates.Reader.ReadAllAsync(cancellationToken))
            {
                yield return new SseItem<object>(update, "document");
            }
        }
    }
}
