using AgentGrid.Contracts;
using AgentGrid.Contracts.Embeddings;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.Grains.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Knowledge;

/// <summary>
/// A knowledge base: its settings in grain state, its documents as rows (written when one is added, settles or goes),
/// their progress in memory. Searches read only and interleave; ingestion and chunks live in document and shard grains.
/// </summary>
public sealed class KnowledgeBaseGrain(
    [PersistentState("knowledge-base", GridNames.StateStore)] IPersistentState<KnowledgeBaseState> state,
    IRecordStore records,
    IOptions<KnowledgeOptions> options,
    AgentGrid.Inference.Calls.UsageRecorder usage,
    TimeProvider time,
    ILogger<KnowledgeBaseGrain> logger) : Grain, IKnowledgeBaseGrain
{
    private readonly Dictionary<string, KnowledgeDocument> _documents = new(StringComparer.Ordinal);

    private string BaseKey => this.GetPrimaryKeyString();

    private (string Tenant, string Id) Key => GrainKeys.Parse(BaseKey);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Name is null)
        {
            return;
        }

        foreach (var row in await records.ReadAsync(KnowledgeKeys.DocumentsPartition(BaseKey), RecordQuery.All, cancellationToken))
        {
            var document = RecordJson.Deserialize<KnowledgeDocument>(row.Body);
            _documents[document.Id] = document;
        }

        // Progress reports are one-way and only settled states are stored: ask each unsettled document where it is.
        foreach (var unsettled in _documents.Values.Where(d => !d.Settled).ToList())
        {
            var current = await DocumentGrain(unsettled.Id).GetAsync();
            if (current is null && unsettled.Version == 0)
            {
                // Listed by an upload that stopped before its ingestion started.
                await records.DeleteAsync(KnowledgeKeys.DocumentsPartition(BaseKey), new RecordQuery(Prefix: unsettled.Id));
                _documents.Remove(unsettled.Id);
            }
            else if (current is not null && current.Version >= unsettled.Version)
            {
                _documents[current.Id] = current;
                if (current.Settled)
                {
                    await StoreAsync(current);
                }
            }
        }
    }

    public async Task<KnowledgeBase> CreateAsync(KnowledgeBaseDefinition definition)
    {
        if (state.State.Name is not null)
        {
            throw new AgentGridException(ErrorCodes.ValidationFailed, $"Knowledge base '{Key.Id}' already exists.", "id");
        }

        var (size, overlap, model) = KnowledgeDefinitions.Validate(definition, null, await EmbeddingModelsAsync());
        var index = GrainFactory.GetGrain<IKnowledgeBaseIndexGrain>(Key.Tenant);
        // Listed before stored: the index enforces the tenant's cap, and a refusal must leave nothing behind.
        await index.AddAsync(Key.Id);
        var now = time.GetUtcNow();
        state.State = new KnowledgeBaseState
        {
            Name = definition.Name.Trim(), Description = definition.Description, ChunkSize = size, ChunkOverlap = overlap,
            EmbeddingModel = model, Shards = options.Value.Shards, CreatedAt = now, UpdatedAt = now,
        };
        try
        {
            await this.WriteOrDeactivateAsync(state);
        }
        catch
        {
            await BestEffort.UndoAsync(index.RemoveAsync(Key.Id), logger, BaseKey);
            throw;
        }

        logger.LogInformation("Knowledge base {KnowledgeBase} created", BaseKey);
        return Snapshot();
    }

    public Task<KnowledgeBase> GetAsync()
    {
        EnsureExists();
        return Task.FromResult(Snapshot());
    }

    public async Task<KnowledgeBase> UpdateAsync(KnowledgeBaseDefinition definition)
    {
        EnsureExists();
        var (size, overlap, model) = KnowledgeDefinitions.Validate(definition, state.State, await EmbeddingModelsAsync());
        if (model != state.State.EmbeddingModel && _documents.Count > 0)
        {
            throw AgentGridException.Validation("embeddingModel", "The embedding model cannot change while the knowledge base has documents: their vectors were made with the current one.");
        }

        (state.State.Name, state.State.Description, state.State.ChunkSize, state.State.ChunkOverlap, state.State.EmbeddingModel, state.State.UpdatedAt) =
            (definition.Name.Trim(), definition.Description, size, overlap, model, time.GetUtcNow());
        await this.WriteOrDeactivateAsync(state);
        return Snapshot();
    }

    public async Task DeleteAsync()
    {
        EnsureExists();
        await Task.WhenAll(_documents.Keys.ToList().Select(id => DocumentGrain(id).DeleteAsync()));
        await Task.WhenAll(Enumerable.Range(0, state.State.Shards).Select(s => GrainFactory.GetGrain<IKnowledgeShardGrain>(KnowledgeKeys.Shard(BaseKey, s)).ClearAsync()));
        await records.DeleteAsync(KnowledgeKeys.DocumentsPartition(BaseKey), RecordQuery.All);
        _documents.Clear();
        await GrainFactory.GetGrain<IKnowledgeBaseIndexGrain>(Key.Tenant).RemoveAsync(Key.Id);
        await state.ClearStateAsync();
        logger.LogInformation("Knowledge base {KnowledgeBase} deleted", BaseKey);
        DeactivateOnIdle();
    }

    public async Task<IReadOnlyList<KnowledgeDocument>> AddDocumentsAsync(IReadOnlyList<DocumentUpload> files)
    {
        EnsureExists();
        var limits = options.Value;
        if (files.Count == 0 || files.Count > limits.MaxFilesPerUpload)
        {
            throw new AgentGridException(files.Count == 0 ? ErrorCodes.ValidationFailed : ErrorCodes.TooManyDocuments,
                files.Count == 0 ? "Send at least one file." : $"At most {limits.MaxFilesPerUpload} files per upload; this one has {files.Count}.", "files");
        }

        // Every file is checked before any is stored: a bad one refuses the whole upload.
        var names = files.Select(f => DocumentChecks.Check(f, limits.ExtractionLimits)).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new AgentGridException(ErrorCodes.InvalidDocumentName, "Two files of the upload have the same name.", "files");
        }

        var added = names.Distinct(StringComparer.Ordinal).Count(n => FindByName(n) is null);
        if (_documents.Count + added > limits.MaxDocuments)
        {
            throw new AgentGridException(ErrorCodes.TooManyDocuments, $"A knowledge base holds at most {limits.MaxDocuments} documents.", "files");
        }

        // Each document is listed (queued) before its ingestion starts, so none can run unlisted; if one cannot start,
        // those of the upload that did are deleted again and the upload fails as a whole.
        var now = time.GetUtcNow();
        var planned = names.Select((name, i) => FindByName(name) ?? new KnowledgeDocument
        {
            Id = GrainKeys.NewId("doc"), Name = name, State = DocumentState.Queued, CreatedAt = now, UpdatedAt = now,
            Type = DocumentChecks.TypeName(AgentGrid.Knowledge.Documents.DocumentTypes.Resolve(name, files[i].ContentType)),
            SizeBytes = files[i].Content.LongLength,
        }).ToList();
        var fresh = planned.Where(d => !_documents.ContainsKey(d.Id)).ToList();

        // Counted against the tenant's caps on documents and stored bytes before anything is stored (a new version
        // replaces its name's bytes): a refusal keeps nothing.
        var bytesAfter = StoredBytes - planned.Where(d => _documents.ContainsKey(d.Id)).Sum(d => d.SizeBytes) + files.Sum(f => f.Content.LongLength);
        await Index.SetContentsAsync(Key.Id, _documents.Count + fresh.Count, bytesAfter);
        foreach (var document in fresh)
        {
            await StoreAsync(document);
        }

        var starts = planned.Select((document, i) => DocumentGrain(document.Id).IngestAsync(files[i] with { Name = names[i] }, Settings)).ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            await Task.WhenAll(planned.Where((_, i) => starts[i].IsCompletedSuccessfully).Select(d => DocumentGrain(d.Id).DeleteAsync()));
            foreach (var document in fresh)
            {
                await records.DeleteAsync(KnowledgeKeys.DocumentsPartition(BaseKey), new RecordQuery(Prefix: document.Id));
                _documents.Remove(document.Id);
            }

            await BestEffort.UndoAsync(CountContentsAsync(), logger, BaseKey);
            throw;
        }

        var prepared = starts.Select(s => s.Result).ToList();
        foreach (var document in prepared)
        {
            await StoreAsync(document);
        }

        await MeterAsync(files);
        return prepared;
    }

    /// <summary>Counts the upload's bytes in the tenant's usage ledger; a ledger that cannot be reached does not fail the upload.</summary>
    private async Task MeterAsync(IReadOnlyList<DocumentUpload> files)
    {
        try
        {
            await usage.RecordAsync(new AgentGrid.Contracts.Usage.UsageRecord
            {
                Tenant = Key.Tenant, KeyId = files[0].KeyId, Model = "", Source = AgentGrid.Contracts.Usage.UsageRecord.UploadSource,
                UploadedBytes = files.Sum(f => f.Content.LongLength), At = time.GetUtcNow(),
            });
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The upload to knowledge base {KnowledgeBase} could not be counted in the usage ledger", BaseKey);
        }
    }

    public Task<IReadOnlyList<KnowledgeDocument>> ListDocumentsAsync()
    {
        EnsureExists();
        return Task.FromResult<IReadOnlyList<KnowledgeDocument>>([.. _documents.Values.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal)]);
    }

    public Task<KnowledgeDocument> GetDocumentAsync(string documentId)
    {
        EnsureExists();
        return Task.FromResult(_documents.TryGetValue(documentId, out var document) ? document : throw NotFound(documentId));
    }

    public async Task DeleteDocumentAsync(string documentId)
    {
        EnsureExists();
        if (!_documents.ContainsKey(documentId))
        {
            throw NotFound(documentId);
        }

        await DocumentGrain(documentId).DeleteAsync();
        await records.DeleteAsync(KnowledgeKeys.DocumentsPartition(BaseKey), new RecordQuery(Prefix: documentId));
        _documents.Remove(documentId);
        await BestEffort.UndoAsync(CountContentsAsync(), logger, BaseKey);
    }

    /// <summary>Tells the tenant's index what this knowledge base keeps now (documents, bytes of their files).</summary>
    private Task CountContentsAsync() => Index.SetContentsAsync(Key.Id, _documents.Count, StoredBytes);

    private long StoredBytes => _documents.Values.Sum(d => d.SizeBytes);

    private IKnowledgeBaseIndexGrain Index => GrainFactory.GetGrain<IKnowledgeBaseIndexGrain>(Key.Tenant);

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int k, KnowledgeSearchMode mode, Caller caller)
    {
        EnsureExists();
        if (string.IsNullOrWhiteSpace(query) || query.Length > 2000)
        {
            throw AgentGridException.Validation("q", "q must be between 1 and 2000 characters.");
        }

        if (k is < 1 or > 100)
        {
            throw AgentGridException.Validation("k", "k must be between 1 and 100.");
        }

        float[]? vector = null;
        if (mode != KnowledgeSearchMode.Lexical)
        {
            var embedded = await GrainFactory.GetGrain<IEmbeddingGrain>(0).EmbedAsync(new EmbeddingRequest { Model = state.State.EmbeddingModel, Inputs = [query], Caller = caller });
            vector = embedded.Vectors[0];
        }

        var depth = Math.Max(k, Fusion.Options.CandidateDepth);
        var perShard = await Task.WhenAll(Enumerable.Range(0, state.State.Shards)
            .Select(s => GrainFactory.GetGrain<IKnowledgeShardGrain>(KnowledgeKeys.Shard(BaseKey, s)).CandidatesAsync(query, vector, depth, mode)));
        return KnowledgeFusion.Merge(perShard, k, mode, Fusion);
    }

    public async Task DocumentChangedAsync(KnowledgeDocument document)
    {
        if (state.State.Name is null || !_documents.TryGetValue(document.Id, out var known) || known.Version > document.Version)
        {
            return;
        }

        _documents[document.Id] = document;
        if (document.Settled)
        {
            await StoreAsync(document);
        }
    }

    private async Task StoreAsync(KnowledgeDocument document)
    {
        _documents[document.Id] = document;
        await records.PutAsync(KnowledgeKeys.DocumentsPartition(BaseKey), [RecordJson.Record(document.Id, document)]);
    }

    private static readonly AgentGrid.Knowledge.Search.HybridFusion Fusion = new();

    // The built-in and configured models, and embedding profiles served by workers.
    private Task<IReadOnlyList<Contracts.Embeddings.EmbeddingModel>> EmbeddingModelsAsync() => GrainFactory.GetGrain<IEmbeddingGrain>(0).ModelsAsync();

    private DocumentIngestion Settings => new(state.State.ChunkSize, state.State.ChunkOverlap, state.State.EmbeddingModel, state.State.Shards);

    private KnowledgeDocument? FindByName(string name) => _documents.Values.FirstOrDefault(d => d.Name == name);

    private IKnowledgeDocumentGrain DocumentGrain(string documentId) =>
        GrainFactory.GetGrain<IKnowledgeDocumentGrain>(KnowledgeKeys.Document(BaseKey, documentId));

    private AgentGridException NotFound(string documentId) =>
        new(ErrorCodes.DocumentNotFound, $"Document '{documentId}' was not found in knowledge base '{Key.Id}'.");

    private void EnsureExists()
    {
        if (state.State.Name is null)
        {
            throw new AgentGridException(ErrorCodes.KnowledgeBaseNotFound, $"Knowledge base '{Key.Id}' was not found.");
        }
    }

    private KnowledgeBase Snapshot() => new()
    {
        Id = Key.Id,
        Name = state.State.Name!,
        Description = state.State.Description,
        ChunkSize = state.State.ChunkSize,
        ChunkOverlap = state.State.ChunkOverlap,
        EmbeddingModel = state.State.EmbeddingModel,
        DocumentCount = _documents.Count,
        ChunkCount = _documents.Values.Sum(d => (long)d.Chunks),
        CreatedAt = state.State.CreatedAt,
        UpdatedAt = state.State.UpdatedAt,
    };
}
