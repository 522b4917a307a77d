using AgentGrid.Contracts.Knowledge;
using AgentGrid.Grains.Knowledge;
using AgentGrid.Knowledge.Search;

namespace AgentGrid.Tests.Knowledge.Search;

/// <summary>Shards' candidates are fused once over the whole knowledge base, not per shard.</summary>
public sealed class KnowledgeFusionTests
{
    private static KnowledgeHit Hit(string chunk, double score) => new() { DocumentId = "doc_" + chunk, DocumentName = chunk, ChunkId = chunk, Text = chunk, Score = score };

    [Fact]
    public void A_strong_match_in_one_shard_outranks_the_best_of_a_weak_shard()
    {
        var strong = new ShardCandidates([Hit("a1", 8.0), Hit("a2", 2.0)], [Hit("a1", 0.9), Hit("a2", 0.4)]);
        var weak = new ShardCandidates([Hit("b1", 1.0)], [Hit("b1", 0.2)]);

        var hybrid = KnowledgeFusion.Merge([weak, strong], 3, KnowledgeSearchMode.Hybrid, new HybridFusion());
        var lexical = KnowledgeFusion.Merge([weak, strong], 2, KnowledgeSearchMode.Lexical, new HybridFusion());
        var vector = KnowledgeFusion.Merge([weak, strong], 1, KnowledgeSearchMode.Vector, new HybridFusion());

        Assert.Equal(["a1", "a2", "b1"], hybrid.Select(h => h.ChunkId));
        Assert.True(hybrid[0].Score > hybrid[2].Score);
        Assert.Equal(["a1", "a2"], lexical.Select(h => h.ChunkId));
        Assert.Equal("a1", Assert.Single(vector).ChunkId);
    }

    [Fact]
    public void No_shard_with_candidates_gives_no_hits()
    {
        Assert.Empty(KnowledgeFusion.Merge([ShardCandidates.None, ShardCandidates.None], 5, KnowledgeSearchMode.Hybrid, new HybridFusion()));
    }
}
