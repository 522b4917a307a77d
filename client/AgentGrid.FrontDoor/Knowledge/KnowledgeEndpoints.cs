using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.FrontDoor.Errors;
using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using AgentGrid.FrontDoor.Paging;

namespace AgentGrid.FrontDoor.Knowledge;

/// <summary>Knowledge bases: documents uploaded, ingested in the background, searched lexically, by vector or both.</summary>
public static class KnowledgeEndpoints
{
    public static RouteGroupBuilder MapKnowledgeApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/knowledge-bases").WithTags("Knowledge").RequireAuthorization(Policies.Reader);
        api.MapPost("/", CreateAsync).WithName("CreateKnowledgeBase").Audited().RequireAuthorization(Policies.Member);
        api.MapGet("/", ListAsync).WithName("ListKnowledgeBases");
        api.MapGet("/{id}", GetAsync).WithName("GetKnowledgeBase");
        api.MapPut("/{id}", UpdateAsync).WithName("UpdateKnowledgeBase").Audited().RequireAuthorization(Policies.Member);
        api.MapDelete("/{id}", DeleteAsync).WithName("DeleteKnowledgeBase").Audited().RequireAuthorization(Policies.Member);
        api.MapPost("/{id}/documents", DocumentUploads.UploadAsync).WithName("UploadDocuments").Audited().RequireAuthorization(Policies.Member)
            .DisableAntiforgery().WithMetadata(new RequestSizeLimitMetadata(DocumentUploads.MaxUploadBytes));
        api.MapGet("/{id}/documents", ListDocumentsAsync).WithName("ListDocuments");
        api.MapGet("/{id}/documents/{documentId}", GetDocumentAsync).WithName("GetDocument");
        api.MapDelete("/{id}/documents/{documentId}", DeleteDocumentAsync).WithName("DeleteDocument").Audited().RequireAuthorization(Policies.Member);
        api.MapGet("/{id}/search", SearchAsync).WithName("SearchKnowledgeBase");
        api.MapGet("/{id}/events", KnowledgeEventsEndpoint.StreamAsync).WithName("StreamKnowledgeEvents");
        return api;
    }

    public static async Task<Created<KnowledgeBase>> CreateAsync(KnowledgeBaseDefinition definition, GridServices grid)
    {
        var id = GrainKeys.NewId("kb");
        var created = await grid.Grain<IKnowledgeBaseGrain>(id).CreateAsync(definition);
        return TypedResults.Created($"/api/knowledge-bases/{id}", created);
    }

    /// <summary>A page of the tenant's knowledge bases in id order (<c>limit</c>, <c>after</c>, <c>Link: rel="next"</c>); only the page's are read.</summary>
    public static async Task<Ok<KnowledgeBaseList>> ListAsync(GridServices grid, HttpContext context)
    {
        var page = Pages.Read(context.Request);
        var ids = Pages.Take(await grid.Grains.GetGrain<IKnowledgeBaseIndexGrain>(grid.Tenant).ListAsync(), id => id, page, context);
        var bases = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                return await grid.Grain<IKnowledgeBaseGrain>(id).GetAsync();
            }
            catch (AgentGridException e) when (e.Code == ErrorCodes.KnowledgeBaseNotFound)
            {
                // Listed by a create whose write failed and is being undone.
                return null;
            }
        }));
        return TypedResults.Ok(new KnowledgeBaseList([.. bases.OfType<KnowledgeBase>()]));
    }

    public static async Task<Results<Ok<KnowledgeBase>, ProblemHttpResult>> GetAsync(string id, GridServices grid) =>
        GrainKeys.IsValidId(id) ? TypedResults.Ok(await grid.Grain<IKnowledgeBaseGrain>(id).GetAsync()) : NotFound(id);

    public static async Task<Results<Ok<KnowledgeBase>, ProblemHttpResult>> UpdateAsync(string id, KnowledgeBaseDefinition definition, GridServices grid) =>
        GrainKeys.IsValidId(id) ? TypedResults.Ok(await grid.Grain<IKnowledgeBaseGrain>(id).UpdateAsync(definition)) : NotFound(id);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, GridServices grid)
    {
        if (!GrainKeys.IsValidId(id))
        {
            return NotFound(id);
        }

        await grid.Grain<IKnowledgeBaseGrain>(id).DeleteAsync();
        return TypedResults.NoContent();
    }

    /// <summary>A page of the knowledge base's documents, oldest first (<c>limit</c>, <c>after</c>, <c>Link: rel="next"</c>).</summary>
    public static async Task<Results<Ok<DocumentList>, ProblemHttpResult>> ListDocumentsAsync(string id, GridServices grid, HttpContext context)
    {
        if (!GrainKeys.IsValidId(id))
        {
            return NotFound(id);
        }

        var documents = await grid.Grain<IKnowledgeBaseGrain>(id).ListDocumentsAsync();
        return TypedResults.Ok(new DocumentList(Pages.Take(documents, d => Pages.ByTime(d.CreatedAt, d.Id), Pages.Read(context.Request), context)));
    }

    public static async Task<Results<Ok<KnowledgeDocument>, ProblemHttpResult>> GetDocumentAsync(string id, string documentId, GridServices grid) =>
        !GrainKeys.IsValidId(id) ? NotFound(id)
        : !GrainKeys.IsValidId(documentId) ? DocumentNotFound(documentId)
        : TypedResults.Ok(await grid.Grain<IKnowledgeBaseGrain>(id).GetDocumentAsync(documentId));

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteDocumentAsync(string id, string documentId, GridServices grid)
    {
        if (!GrainKeys.IsValidId(id))
        {
            return NotFound(id);
        }

        if (!GrainKeys.IsValidId(documentId))
        {
            return DocumentNotFound(documentId);
        }

        await grid.Grain<IKnowledgeBaseGrain>(id).DeleteDocumentAsync(documentId);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<SearchResults>, ProblemHttpResult>> SearchAsync(string id, GridServices grid, string? q = null, int? k = null, string? mode = null)
    {
        if (!GrainKeys.IsValidId(id))
        {
            return NotFound(id);
        }

        if (!Enum.TryParse<KnowledgeSearchMode>(mode ?? "hybrid", ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(mode, out _))
        {
            return Problems.Create(ErrorCodes.ValidationFailed, "mode must be hybrid, lexical or vector.", "mode");
        }

        var hits = await grid.Grain<IKnowledgeBaseGrain>(id).SearchAsync(q ?? "", k ?? 5, parsed, new Caller(grid.Tenant, grid.KeyId));
        return TypedResults.Ok(new SearchResults(hits));
    }

    private static ProblemHttpResult NotFound(string id) =>
        Problems.Create(ErrorCodes.KnowledgeBaseNotFound, $"Knowledge base '{id}' was not found.");

    private static ProblemHttpResult DocumentNotFound(string id) =>
        Problems.Create(ErrorCodes.DocumentNotFound, $"Document '{id}' was not found.");
}

public sealed record KnowledgeBaseList(IReadOnlyList<KnowledgeBase> KnowledgeBases);

public sealed record DocumentList(IReadOnlyList<KnowledgeDocument> Documents);

public sealed record SearchResults(IReadOnlyList<KnowledgeHit> Results);

/// <summary>Endpoint metadata that raises the request body limit for one endpoint.</summary>
internal sealed class RequestSizeLimitMetadata(long limit) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => limit;
}
