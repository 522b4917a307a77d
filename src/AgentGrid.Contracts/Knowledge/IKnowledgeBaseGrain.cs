using AgentGrid.Contracts.Identity;
using Orleans.Concurrency;

namespace AgentGrid.Contracts.Knowledge;

/// <summary>
/// A knowledge base, keyed <c>{tenant}/{id}</c>: its settings and its documents' list. Documents are ingested by their
/// own grains and their chunks live in shard grains, so a knowledge base grows past what one activation holds.
/// </summary>
[Alias("agentgrid.IKnowledgeBaseGrain")]
public interface IKnowledgeBaseGrain : IGrainWithStringKey
{
    [Alias("create")] Task<KnowledgeBase> CreateAsync(KnowledgeBaseDefinition definition);

    [ReadOnly] [Alias("get")] Task<KnowledgeBase> GetAsync();

    [Alias("update")] Task<KnowledgeBase> UpdateAsync(KnowledgeBaseDefinition definition);

    /// <summary>Deletes the knowledge base with every document, chunk, index entry and vector.</summary>
    [Alias("delete")] Task DeleteAsync();

    /// <summary>
    /// Checks each file (name, type, size, content) and queues it for ingestion; a file that fails a check is refused
    /// with its code and nothing of the upload is kept. A name already present makes a new version of that document.
    /// </summary>
    [Alias("add-documents")] Task<IReadOnlyList<KnowledgeDocument>> AddDocumentsAsync(IReadOnlyList<DocumentUpload> files);

    [ReadOnly] [Alias("documents")] Task<IReadOnlyList<KnowledgeDocument>> ListDocumentsAsync();

    [ReadOnly] [Alias("document")] Task<KnowledgeDocument> GetDocumentAsync(string documentId);

    [Alias("delete-document")] Task DeleteDocumentAsync(string documentId);

    /// <summary>The best <paramref name="k"/> passages for <paramref name="query"/>; the query is embedded under <paramref name="caller"/>.</summary>
    [ReadOnly] [Alias("search")] Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int k, KnowledgeSearchMode mode, Caller caller);

    /// <summary>A document grain reports its progress.</summary>
    [Alias("document-changed")] [OneWay] Task DocumentChangedAsync(KnowledgeDocument document);
}

/// <summary>The knowledge bases of one tenant, keyed by the tenant.</summary>
[Alias("agentgrid.IKnowledgeBaseIndexGrain")]
public interface IKnowledgeBaseIndexGrain : IGrainWithStringKey
{
    [Alias("list")] Task<IReadOnlyList<string>> ListAsync();

    /// <summary>
    /// Lists a new knowledge base (before it stores itself, so a refusal leaves nothing); <c>tenant_quota_exceeded</c> when the tenant
    /// already has as many as <c>AgentGrid:TenantCaps:KnowledgeBases</c> allows. Adding a listed id again does nothing.
    /// </summary>
    [Alias("add")] Task AddAsync(string knowledgeBaseId);

    /// <summary>Forgets a knowledge base, and what its documents counted against the tenant's caps.</summary>
    [Alias("remove")] Task RemoveAsync(string knowledgeBaseId);

    /// <summary>
    /// Sets how many documents, and bytes of their files, one knowledge base keeps. A change that adds to either is
    /// refused with <c>tenant_quota_exceeded</c> when the tenant's knowledge bases together would pass
    /// <c>AgentGrid:TenantCaps:Documents</c> or <c>StoredBytes</c>; one that removes always holds. Setting the same
    /// values again does nothing, so a retried call counts once.
    /// </summary>
    [Alias("set-contents")] Task SetContentsAsync(string knowledgeBaseId, int documents, long bytes);
}
