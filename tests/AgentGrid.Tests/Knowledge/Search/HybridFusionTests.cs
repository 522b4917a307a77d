using AgentGrid.Knowledge.Search;

namespace AgentGrid.Tests.Knowledge.Search;

public sealed class HybridFusionTests
{
    private static readonly ScoredChunk[] Lexical = [new("a", 12.0), new("both", 11.5), new("b", 3.0), new("c", 2.0)];
    private static readonly ScoredChunk[] Vector = [new("both", 0.81), new("d", 0.80), new("e", 0.55), new("a", 0.40)];

    [Theory]
    [InlineData(FusionMethod.ReciprocalRank)]
    [InlineData(FusionMethod.MinMax)]
    [InlineData(FusionMethod.Distribution)]
    public void A_chunk_strong_in_both_lists_ranks_first(FusionMethod method)
    {
        var fused = new HybridFusion(new FusionOptions { Method = method, LexicalWeight = 0.5, VectorWeight = 0.5 }).Fuse(Lexical, Vector, 10);

        Assert.Equal("both", fused[0].ChunkId);
        Assert.Equal(6, fused.Count);
        Assert.Equal(fused.OrderByDescending(f => f.Score).Select(f => f.ChunkId), fused.Select(f => f.ChunkId));
    }

    [Fact]
    public void Reciprocal_rank_fusion_sums_weight_over_constant_plus_rank()
    {
        var fusion = new HybridFusion(new FusionOptions { Method = FusionMethod.ReciprocalRank, LexicalWeight = 1, VectorWeight = 2, RankConstant = 60 });

        var fused = fusion.Fuse(Lexical, Vector, 10).ToDictionary(f => f.ChunkId, f => f.Score);

        Assert.Equal(1.0 / 62 + 2.0 / 61, fused["both"], 10);
        Assert.Equal(2.0 / 62, fused["d"], 10);
        Assert.Equal(1.0 / 64, fused["c"], 10);
    }

    [Fact]
    public void Min_max_fusion_gives_each_list_best_its_full_weight_and_its_last_candidate_none()
    {
        var fusion = new HybridFusion(new FusionOptions { Method = FusionMethod.MinMax, LexicalWeight = 0.3, VectorWeight = 0.7 });

        var fused = fusion.Fuse(Lexical, Vector, 10).ToDictionary(f => f.ChunkId, f => f.Score);

        Assert.Equal(0.3, fused["a"], 10);
        Assert.Equal(0.3 * 9.5 / 10 + 0.7, fused["both"], 10);
        Assert.Equal(0, fused["c"], 10);
    }

    [Fact]
    public void A_list_with_no_weight_leaves_the_other_list_order_unchanged()
    {
        var fused = new HybridFusion(new FusionOptions { LexicalWeight = 0, VectorWeight = 1 }).Fuse(Lexical, Vector, 10);

        Assert.Equal(Vector.Select(v => v.ChunkId), fused.Select(f => f.ChunkId));
    }

    [Fact]
    public void A_chunk_below_a_list_candidate_depth_gets_nothing_from_that_list()
    {
        var fusion = new HybridFusion(new FusionOptions { Method = FusionMethod.MinMax, LexicalWeight = 0.3, VectorWeight = 0.7, CandidateDepth = 1 });

        var top = Assert.Single(fusion.Fuse(Lexical, Vector, 1));

        Assert.Equal(("both", 0.7), (top.ChunkId, top.Score));
    }

    [Fact]
    public void Asking_for_more_results_than_the_candidate_depth_deepens_both_lists()
    {
        var fusion = new HybridFusion(new FusionOptions { CandidateDepth = 1 });

        Assert.Equal(3, fusion.Fuse(Lexical, Vector, 3).Count);
    }

    [Fact]
    public void Empty_lists_fuse_to_nothing() =>
        Assert.Empty(new HybridFusion().Fuse([], [], 5));
}
