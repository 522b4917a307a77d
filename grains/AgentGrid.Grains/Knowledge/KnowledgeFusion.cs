using AgentGrid.Contracts.Knowledge;
using AgentGrid.Knowledge.Search;

namespace AgentGrid.Grains.Knowledge;

/// <summary>
/// One ranking from all of a knowledge base's shards: their raw lexical and vector candidates are merged side by side
/// (BM25 scores and cosine similarities compare across shards), then fused once, as a single index would.
/// </summary>
public static class KnowledgeFusion
{
    public static IReadOnlyList<KnowledgeHit> Merge(IReadOnlyList<ShardCandidates> shards, int k, KnowledgeSearchMode mode, HybridFusion fusion)
    {
        var depth = Math.Max(k, fusion.Options.CandidateDepth);
        var lexical = shards.SelectMany(s => s.Lexical).OrderByDescending(h => h.Score).Take(depth).ToList();
        var vector = shards.SelectMany(s => s.Vector).OrderByDescending(h => h.Score).Take(depth).ToList();
        if (mode == KnowledgeSearchMode.Lexical)
        {
            return [.. lexical.Take(k).Select(Rounded)];
        }

        if (mode == KnowledgeSearchMode.Vector)
        {
            return [.. vector.Take(k).Select(Rounded)];
        }

        var hits = lexical.Concat(vector).DistinctBy(h => h.ChunkId).ToDictionary(h => h.ChunkId, StringComparer.Ordinal);
        var fused = fusion.Fuse([.. lexical.Select(h => new ScoredChunk(h.ChunkId, h.Score))], [.. vector.Select(h => new ScoredChunk(h.ChunkId, h.Score))], k);
        return [.. fused.Select(f => Rounded(hits[f.ChunkId] with { Score = f.Score }))];
    }

    private static KnowledgeHit Rounded(KnowledgeHit hit) => hit with { Score = Math.Round(hit.Score, 6) };
}
