using System.Globalization;
using AgentGrid.Contracts.Embeddings;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.Grains.Records;
using AgentGrid.Knowledge.Search;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Knowledge;

/// <summary>
/// Holds a share of a knowledge base's chunks in memory with a BM25 index and a vector index, read from its rows
/// when it activates and then kept current document by document: a query never rebuilds anything.
/// </summary>
public sealed class KnowledgeShardGrain(IRecordStore records, ILogger<KnowledgeShardGrain> logger) : Grain, IKnowledgeShardGrain
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    // Sized by the first vector it holds: a knowledge base's embedding model fixes the length.
    private ChunkIndex? _index;

    private string Partition => KnowledgeKeys.ShardPartition(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var rows = await records.ReadAsync(Partition, RecordQuery.All, cancellationToken);
        var chunks = rows.Select(r => ToIndexed(RecordJson.Deserialize<StoredChunk>(r.Body))).ToList();
        if (chunks.Count > 0)
        {
            IndexFor(chunks[0].Vector.Length).Add(chunks);
        }

        logger.LogInformation("Knowledge shard {Shard} loaded {Chunks} chunks", this.GetPrimaryKeyString(), rows.Count);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _index?.Dispose();
        return Task.CompletedTask;
    }

    public async Task PutDocumentAsync(string documentId, string documentName, int version, IReadOnlyList<ShardChunk> chunks)
    {
        var stored = chunks.Select(c => new StoredChunk(ChunkId(documentId, version, c.Index), documentId, documentName, c.Heading, c.Text, VectorBytes(c.Vector))).ToList();
        var prefix = documentId + "/";
        await records.PutAsync(Partition, [.. stored.Select(c => RecordJson.Record(prefix + RowOf(version, c.ChunkId), c))]);
        // The new version is stored; the older ones are retired.
        await records.DeleteAsync(Partition, new RecordQuery(Prefix: prefix, Before: prefix + Version(version)));
        _index?.RemoveDocument(documentId);
        if (chunks.Count > 0)
        {
            IndexFor(chunks[0].Vector.Length).Add(stored.Select(ToIndexed));
        }

        _names[documentId] = documentName;
    }

    public async Task RemoveDocumentAsync(string documentId)
    {
        await records.DeleteAsync(Partition, new RecordQuery(Prefix: documentId + "/"));
        _index?.RemoveDocument(documentId);
        _names.Remove(documentId);
    }

    public Task<ShardCandidates> CandidatesAsync(string query, float[]? queryVector, int depth, KnowledgeSearchMode mode)
    {
        if (_index is null)
        {
            return Task.FromResult(ShardCandidates.None);
        }

        if (queryVector is not null && queryVector.Length != _index.Dimensions)
        {
            throw new AgentGridException(ErrorCodes.ValidationFailed,
                $"This knowledge base's chunks were embedded into {_index.Dimensions} dimensions and the query into {queryVector.Length}: upload its documents again.");
        }

        var (lexical, vector) = _index.Candidates(query, queryVector ?? new float[_index.Dimensions], depth, mode switch
        {
            KnowledgeSearchMode.Lexical => SearchMode.Lexical,
            KnowledgeSearchMode.Vector => SearchMode.Vector,
            _ => SearchMode.Hybrid,
        });
        return Task.FromResult(new ShardCandidates([.. lexical.Select(Hit)], [.. vector.Select(Hit)]));
    }

    private KnowledgeHit Hit(SearchHit hit) => new()
    {
        DocumentId = hit.DocumentId,
        DocumentName = _names.GetValueOrDefault(hit.DocumentId, hit.DocumentId),
        ChunkId = hit.ChunkId,
        Text = hit.Text,
        Heading = hit.Heading,
        Score = hit.Score,
    };

    public async Task ClearAsync()
    {
        await records.DeleteAsync(Partition, RecordQuery.All);
        _index?.Dispose();
        _index = null;
        _names.Clear();
    }

    /// <summary>The index for vectors of <paramref name="dimensions"/>; an empty one of another size is replaced (the model changed).</summary>
    private ChunkIndex IndexFor(int dimensions)
    {
        if (_index is { Count: 0 } empty && empty.Dimensions != dimensions)
        {
            empty.Dispose();
            _index = null;
        }

        return _index ??= new ChunkIndex(dimensions);
    }

    private IndexedChunk ToIndexed(StoredChunk chunk)
    {
        _names[chunk.DocumentId] = chunk.DocumentName;
        var vector = new float[chunk.Vector.Length / sizeof(float)];
        Buffer.BlockCopy(chunk.Vector, 0, vector, 0, chunk.Vector.Length);
        return new IndexedChunk(chunk.ChunkId, chunk.DocumentId, chunk.Text, chunk.Heading, vector);
    }

    private static byte[] VectorBytes(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        Buffer.BlockCopy(vector, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static string Version(int version) => version.ToString("D6", CultureInfo.InvariantCulture);

    private static string ChunkId(string documentId, int version, int index) => $"{documentId}:{version}:{index}";

    private static string RowOf(int version, string chunkId) => Version(version) + "/" + chunkId[(chunkId.LastIndexOf(':') + 1)..].PadLeft(6, '0');

    /// <summary>A chunk as its row stores it; the vector as raw little-endian floats.</summary>
    private sealed record StoredChunk(string ChunkId, string DocumentId, string DocumentName, string? Heading, string Text, byte[] Vector);
}
