using AgentGrid.Contracts;
using AgentGrid.Contracts.Embeddings;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.Grains.Records;
using AgentGrid.Inference;
using AgentGrid.Knowledge.Documents;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Knowledge;

/// <summary>
/// Ingests one document: stores its file, then, once its tenant's ingestion queue lets it (<see cref="IngestionSlots"/>),
/// extracts (within its limits), chunks and embeds it in the background (progress reported to its knowledge base) and
/// hands the chunks to its shard. A document whose ingestion a restart cut off is listed as
/// pending and resumed from its stored file; one that cannot be ingested ends <c>failed</c> with a code.
/// </summary>
public sealed class KnowledgeDocumentGrain(
    [PersistentState("knowledge-document", GridNames.StateStore)] IPersistentState<KnowledgeDocumentState> state,
    IRecordStore records,
    IOptions<KnowledgeOptions> options,
    IngestionSlots slots,
    TimeProvider time,
    ILogger<KnowledgeDocumentGrain> logger) : Grain, IKnowledgeDocumentGrain
{
    private const int FilePartBytes = 512 * 1024;
    private CancellationTokenSource? _work;
    private bool _settledStored;

    private string DocumentKey => this.GetPrimaryKeyString();

    private string Tenant => GrainKeys.Parse(DocumentKey).Tenant;

    public async Task<KnowledgeDocument> IngestAsync(DocumentUpload upload, DocumentIngestion settings)
    {
        var name = DocumentNames.Validate(upload.Name);
        var type = DocumentTypes.Resolve(name, upload.ContentType);
        Stop();
        var now = time.GetUtcNow();
        var parts = upload.Content.Chunk(FilePartBytes).Select((part, i) => new StoredRecord(RecordIds.Of(i), part)).ToList();
        await records.DeleteAsync(KnowledgeKeys.FilePartition(DocumentKey), RecordQuery.All);
        await records.PutAsync(KnowledgeKeys.FilePartition(DocumentKey), parts);
        await records.PutAsync(KnowledgeKeys.PendingPartition, [new StoredRecord(DocumentKey, [])]);
        state.State = new KnowledgeDocumentState
        {
            Document = new KnowledgeDocument
            {
                Id = KnowledgeKeys.LastSegment(DocumentKey), Name = name, Type = DocumentChecks.TypeName(type), SizeBytes = upload.Content.LongLength,
                Version = (state.State.Document?.Version ?? 0) + 1, State = DocumentState.Queued,
                CreatedAt = state.State.Document?.CreatedAt ?? now, UpdatedAt = now,
            },
            Settings = settings, ContentType = upload.ContentType, KeyId = upload.KeyId, FileParts = parts.Count,
        };
        await this.WriteOrDeactivateAsync(state);
        Start(upload.Content);
        return state.State.Document;
    }

    public Task<KnowledgeDocument?> GetAsync() => Task.FromResult(state.State.Document);

    public Task ResumeAsync()
    {
        if (state.State.Document is { Settled: false } && _work is null)
        {
            logger.LogInformation("Document {Document} resumes its ingestion", DocumentKey);
            Start(null);
        }
        else if (state.State.Document is null or { Settled: true })
        {
            return records.DeleteAsync(KnowledgeKeys.PendingPartition, new RecordQuery(Prefix: DocumentKey));
        }

        return Task.CompletedTask;
    }

    public async Task DeleteAsync()
    {
        Stop();
        if (state.State.Settings is { } settings)
        {
            await Shard(settings).RemoveDocumentAsync(KnowledgeKeys.LastSegment(DocumentKey));
        }

        await records.DeleteAsync(KnowledgeKeys.FilePartition(DocumentKey), RecordQuery.All);
        await records.DeleteAsync(KnowledgeKeys.PendingPartition, new RecordQuery(Prefix: DocumentKey));
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    private void Start(byte[]? content)
    {
        var work = _work = new CancellationTokenSource();
        // Runs between this grain's calls (a delete can stop it); the activation stays while it runs.
        _ = RunAsync(content, work.Token);
    }

    private void Stop()
    {
        _work?.Cancel();
        _work = null;
    }

    private async Task RunAsync(byte[]? content, CancellationToken cancellationToken)
    {
        _settledStored = false;
        var document = state.State.Document!;
        var settings = state.State.Settings!;
        try
        {
            DelayDeactivation(TimeSpan.FromHours(1));
            using var ingesting = await slots.IngestAsync(Tenant, cancellationToken);
            content ??= await ReadFileAsync();
            await MoveAsync(DocumentState.Extracting, 0.02, cancellationToken);
            var type = DocumentTypes.Resolve(document.Name, state.State.ContentType);
            ExtractedDocument extracted;
            using (await slots.ExtractAsync(cancellationToken))
            {
                extracted = await Task.Run(() => DocumentExtractor.Extract(content, type, options.Value.ExtractionLimits), cancellationToken);
            }

            await MoveAsync(DocumentState.Chunking, 0.05, cancellationToken);
            var chunks = Chunker.Split(extracted, new ChunkingOptions { MaxChars = settings.ChunkSize, OverlapChars = settings.ChunkOverlap });
            if (chunks.Count == 0)
            {
                throw new AgentGridException(ErrorCodes.DocumentEmpty, $"'{document.Name}' holds no text to index.");
            }

            await MoveAsync(DocumentState.Embedding, 0.1, cancellationToken);
            var vectors = await EmbedAsync(chunks, settings.EmbeddingModel, cancellationToken);
            await Shard(settings).PutDocumentAsync(document.Id, document.Name, document.Version,
                [.. chunks.Select((c, i) => new ShardChunk(c.Index, c.Heading, c.Text, vectors[i]))]);
            cancellationToken.ThrowIfCancellationRequested();
            state.State.Document = state.State.Document! with { Chunks = chunks.Count };
            await MoveAsync(DocumentState.Ready, 1, cancellationToken, persist: true);
            logger.LogInformation("Document {Document} version {Version} is ready: {Chunks} chunks", DocumentKey, document.Version, chunks.Count);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var (code, message) = e is AgentGridException known ? (known.Code, known.Message) : (ErrorCodes.Internal, "The document could not be ingested.");
            if (e is not AgentGridException)
            {
                logger.LogError(e, "Ingestion of document {Document} failed", DocumentKey);
            }

            state.State.Document = state.State.Document! with { ErrorCode = code, Error = message };
            await MoveAsync(DocumentState.Failed, state.State.Document.Progress, CancellationToken.None, persist: true);
        }
        finally
        {
            // Only a settled state that is stored ends the pending mark; otherwise the next start resumes it.
            if (_settledStored)
            {
                await records.DeleteAsync(KnowledgeKeys.PendingPartition, new RecordQuery(Prefix: DocumentKey));
            }
        }
    }

    private async Task<float[][]> EmbedAsync(IReadOnlyList<DocumentChunk> chunks, string model, CancellationToken cancellationToken)
    {
        var vectors = new float[chunks.Count][];
        var batch = options.Value.EmbeddingBatch;
        var caller = new Caller(Tenant, state.State.KeyId);
        for (var start = 0; start < chunks.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var texts = chunks.Skip(start).Take(batch).Select(c => c.Heading is null ? c.Text : c.Heading + "\n" + c.Text).ToList();
            var result = await GrainFactory.GetGrain<IEmbeddingGrain>(0).EmbedAsync(new EmbeddingRequest { Model = model, Inputs = texts, Caller = caller });
            result.Vectors.ToArray().CopyTo(vectors, start);
            var done = Math.Min(chunks.Count, start + batch);
            await MoveAsync(DocumentState.Embedding, 0.1 + 0.85 * done / chunks.Count, cancellationToken);
        }

        return vectors;
    }

    /// <summary>Moves the document on; states are stored, progress within a state only reported.</summary>
    private async Task MoveAsync(DocumentState next, double progress, CancellationToken cancellationToken, bool persist = false)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var changed = state.State.Document!.State != next;
        state.State.Document = state.State.Document with { State = next, Progress = Math.Round(progress, 3), UpdatedAt = time.GetUtcNow() };
        if (changed || persist)
        {
            await state.WriteStateAsync();
            _settledStored = next is DocumentState.Ready or DocumentState.Failed;
        }

        await GrainFactory.GetGrain<IKnowledgeBaseGrain>(KnowledgeKeys.BaseOf(DocumentKey)).DocumentChangedAsync(state.State.Document);
        await PublishAsync(state.State.Document);
    }

    /// <summary>Best effort: a watcher that misses an update reads the document list.</summary>
    private async Task PublishAsync(KnowledgeDocument document)
    {
        try
        {
            await this.GetStreamProvider(GridNames.StreamProvider)
                .GetStream<KnowledgeDocument>(StreamId.Create(GridNames.KnowledgeStreamNamespace, KnowledgeKeys.BaseOf(DocumentKey)))
                .OnNextAsync(document);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not publish the progress of document {Document}", DocumentKey);
        }
    }

    private async Task<byte[]> ReadFileAsync()
    {
        var parts = await records.ReadAsync(KnowledgeKeys.FilePartition(DocumentKey), RecordQuery.All);
        if (parts.Count != state.State.FileParts)
        {
            throw new AgentGridException(ErrorCodes.DocumentCorrupt, "The stored file is incomplete; upload it again.");
        }

        return [.. parts.SelectMany(p => p.Body)];
    }

    private IKnowledgeShardGrain Shard(DocumentIngestion settings) => GrainFactory.GetGrain<IKnowledgeShardGrain>(
        KnowledgeKeys.Shard(KnowledgeKeys.BaseOf(DocumentKey), (int)(Fnv1a.Hash(KnowledgeKeys.LastSegment(DocumentKey)) % (ulong)settings.Shards)));
}
