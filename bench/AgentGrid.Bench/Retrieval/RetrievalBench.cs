using AgentGrid.Embeddings;
using AgentGrid.Knowledge.Documents;
using AgentGrid.Knowledge.Search;

namespace AgentGrid.Bench.Retrieval;

/// <summary>
/// Retrieval quality on real questions: the Debian FAQ's answers are indexed without their question headings, and
/// each heading is asked as a query; Recall@1/5/10 and MRR@10 for lexical, vector and hybrid search, over the
/// variants tried while choosing the defaults. <c>--sections nested</c> makes a question's answer include its
/// sub-questions; <c>--faq-cache DIR</c> keeps the downloaded package elsewhere.
/// </summary>
public static class RetrievalBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var nested = Option(args, "sections") == "nested";
        var questions = await DebianFaq.LoadAsync(Option(args, "faq-cache"), nested);
        using var embedder = new MiniLmEmbeddingGenerator();
        var corpus = await FaqCorpus.BuildAsync(questions, embedder);
        var lists = new RankedLists(corpus);

        Console.WriteLine();
        Console.WriteLine($"Retrieval: Debian FAQ, {questions.Count} questions with answers in {questions.DistinctBy(q => q.Chapter).Count()} chapters " +
            $"({(nested ? "answers include their sub-questions" : "each answer up to the next heading")}), {corpus.Chunks.Count} chunks " +
            $"(Chunker defaults: at most {new ChunkingOptions().MaxChars} characters, {new ChunkingOptions().OverlapChars} overlap; mean {corpus.Chunks.Average(c => c.Text.Length):F0})");
        Console.WriteLine($"Ingestion: {corpus.Ingestion}");
        Console.WriteLine($"Each method returns its top {RankedLists.ResultChunks} chunks; chunks of one answer count once, at the best rank.");

        var defaults = new FusionOptions();
        Console.WriteLine();
        Console.WriteLine(RetrievalMetrics.Header("Chosen defaults (ChunkIndex end to end)"));
        Console.WriteLine(lists.Indexed(SearchMode.Lexical).Row("lexical: BM25, Snowball stop words, Porter, heading 0.3"));
        Console.WriteLine(lists.Indexed(SearchMode.Vector).Row("vector: all-MiniLM-L6-v2 cosine"));
        Console.WriteLine(lists.Indexed(SearchMode.Hybrid).Row(Describe("hybrid", defaults)));

        var lexical = lists.Lexical(new LexicalIndexOptions());
        var vector = lists.Vector(corpus.Chunks);

        PrintLexicalVariants(lists);
        PrintVectorVariants(lists, corpus);
        PrintFusionVariants(lists, lexical, vector);
        PrintHalves(lists, lexical, vector, defaults);
        ScaleCheck.Run(corpus);
        return 0;
    }

    private static void PrintLexicalVariants(RankedLists lists)
    {
        Console.WriteLine();
        Console.WriteLine(RetrievalMetrics.Header("Lexical variants (BM25 k1 1.2, b 0.75; heading: the chapter title)"));
        foreach (var stopWords in Enum.GetValues<StopWords>())
        {
            foreach (var stemming in Enum.GetValues<Stemming>())
            {
                foreach (var heading in new[] { 0f, 0.3f, 1f })
                {
                    var results = lists.Lexical(new LexicalIndexOptions { StopWords = stopWords, Stemming = stemming, HeadingWeight = heading });
                    Console.WriteLine(lists.Score(i => results[i]).Row($"{stopWords} stop words, {stemming}, heading weight {heading}"));
                }
            }
        }
    }

    private static void PrintVectorVariants(RankedLists lists, FaqCorpus corpus)
    {
        Console.WriteLine();
        Console.WriteLine(RetrievalMetrics.Header("Vector variants"));
        var plain = lists.Vector(corpus.Chunks);
        var titled = lists.Vector(corpus.TitledChunks);
        Console.WriteLine(lists.Score(i => plain[i]).Row("chunk text embedded"));
        Console.WriteLine(lists.Score(i => titled[i]).Row("chapter title + chunk text embedded"));
    }

    private static void PrintFusionVariants(
        RankedLists lists, IReadOnlyList<IReadOnlyList<ScoredChunk>> lexical, IReadOnlyList<IReadOnlyList<ScoredChunk>> vector)
    {
        Console.WriteLine();
        Console.WriteLine(RetrievalMetrics.Header("Fusion variants (default lexical and vector lists)"));
        foreach (var options in FusionVariants())
        {
            Console.WriteLine(lists.Fused(lexical, vector, options).Row(Describe("", options)));
        }
    }

    /// <summary>The defaults on two halves of the questions, against the better single method on each half.</summary>
    private static void PrintHalves(
        RankedLists lists, IReadOnlyList<IReadOnlyList<ScoredChunk>> lexical, IReadOnlyList<IReadOnlyList<ScoredChunk>> vector, FusionOptions defaults)
    {
        Console.WriteLine();
        Console.WriteLine(RetrievalMetrics.Header("Stability: the defaults on odd and even questions"));
        foreach (var (name, half) in new (string, Func<int, bool>)[] { ("odd", i => i % 2 == 1), ("even", i => i % 2 == 0) })
        {
            Console.WriteLine(lists.Score(i => lexical[i], half).Row($"{name}: lexical"));
            Console.WriteLine(lists.Score(i => vector[i], half).Row($"{name}: vector"));
            Console.WriteLine(lists.Fused(lexical, vector, defaults, half).Row($"{name}: hybrid"));
        }
    }

    private static IEnumerable<FusionOptions> FusionVariants()
    {
        foreach (var depth in new[] { 20, 50, 100 })
        {
            yield return new FusionOptions { Method = FusionMethod.ReciprocalRank, LexicalWeight = 1, VectorWeight = 1, CandidateDepth = depth };
        }

        foreach (var (lexical, vector) in new[] { (0.4, 0.6), (0.3, 0.7), (0.2, 0.8) })
        {
            yield return new FusionOptions { Method = FusionMethod.ReciprocalRank, LexicalWeight = lexical, VectorWeight = vector, CandidateDepth = 50 };
        }

        yield return new FusionOptions { Method = FusionMethod.ReciprocalRank, LexicalWeight = 1, VectorWeight = 1, CandidateDepth = 50, RankConstant = 10 };
        foreach (var method in new[] { FusionMethod.MinMax, FusionMethod.Distribution })
        {
            foreach (var (lexical, vector) in new[] { (0.5, 0.5), (0.4, 0.6), (0.3, 0.7), (0.2, 0.8) })
            {
                foreach (var depth in new[] { 20, 50, 100 })
                {
                    yield return new FusionOptions { Method = method, LexicalWeight = lexical, VectorWeight = vector, CandidateDepth = depth };
                }
            }
        }
    }

    private static string Describe(string prefix, FusionOptions o) =>
        $"{prefix}{(prefix.Length > 0 ? ": " : "")}{o.Method}{(o.Method == FusionMethod.ReciprocalRank ? $" k {o.RankConstant}" : "")}, " +
        $"weights {o.LexicalWeight}/{o.VectorWeight}, depth {o.CandidateDepth}";

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, "--" + name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
