using System.Diagnostics;
using AgentGrid.Knowledge.Search;

namespace AgentGrid.Bench.Retrieval;

/// <summary>
/// Search latency on one thread at shard scale: the FAQ's own index end to end, then 100,000 chunks in each index
/// (random 384-dimension vectors; the FAQ's chunk texts repeated under new ids), including what a shard's rebuild costs.
/// </summary>
public static class ScaleCheck
{
    private const int Chunks = 100_000;

    public static void Run(FaqCorpus corpus)
    {
        Console.WriteLine();
        using (var index = new ChunkIndex(corpus.Chunks[0].Vector.Length))
        {
            index.Add(corpus.Chunks);
            var questions = corpus.Questions.Count;
            var hybrid = Latencies(questions * 5, i => index.Search(corpus.Questions[i % questions].Question, corpus.QueryVectors[i % questions], RankedLists.ResultChunks));
            Console.WriteLine($"ChunkIndex hybrid top-{RankedLists.ResultChunks} on the FAQ ({index.Count} chunks): {hybrid}");
        }

        Vectors(corpus.Chunks[0].Vector.Length);
        Lexical(corpus);
    }

    private static void Vectors(int dimensions)
    {
        var random = new Random(42);
        using var index = new VectorIndex(dimensions);
        var batches = Enumerable.Range(0, Chunks / 10_000)
            .Select(b => Enumerable.Range(b * 10_000, 10_000).Select(i => new IndexedChunk($"c{i}", $"d{i / 10}", "", null, RandomVector(random, dimensions))).ToList())
            .ToList();
        var clock = Stopwatch.StartNew();
        batches.ForEach(index.Add);
        Console.WriteLine($"VectorIndex: {Chunks:N0} vectors of {dimensions} added in {clock.Elapsed.TotalSeconds:F2} s");
        batches.Clear();

        var queries = Enumerable.Range(0, 20).Select(_ => RandomVector(random, dimensions)).ToArray();
        Console.WriteLine($"VectorIndex top-20 of {Chunks:N0}: {Latencies(200, i => index.Search(queries[i % queries.Length], 20))}");
        clock.Restart();
        var removed = Enumerable.Range(0, 500).Sum(i => index.RemoveDocument($"d{i * 7}").Count);
        Console.WriteLine($"VectorIndex: 500 documents ({removed} vectors) removed in {clock.Elapsed.TotalMilliseconds:F1} ms; " +
            $"top-20 then {Latencies(100, i => index.Search(queries[i % queries.Length], 20))}");
    }

    private static void Lexical(FaqCorpus corpus)
    {
        using var index = new LexicalIndex();
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < Chunks; start += 10_000)
        {
            index.Add(Enumerable.Range(start, 10_000).Select(i =>
            {
                var chunk = corpus.Chunks[i % corpus.Chunks.Count];
                return new IndexedChunk($"c{i}", $"d{i / 10}", chunk.Text, chunk.Heading, ReadOnlyMemory<float>.Empty);
            }));
        }

        Console.WriteLine($"LexicalIndex: {index.Count:N0} chunks ({Chunks / corpus.Chunks.Count} copies of the FAQ's) added in {clock.Elapsed.TotalSeconds:F1} s");
        var questions = corpus.Questions;
        Console.WriteLine($"LexicalIndex top-20 of {Chunks:N0}: {Latencies(questions.Count * 2, i => index.Search(questions[i % questions.Count].Question, 20))}");
    }

    private static string Latencies(int runs, Action<int> search)
    {
        search(0);
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            search(i);
            times[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return $"p50 {times[runs / 2]:F2} ms, p95 {times[(int)(runs * 0.95)]:F2} ms over {runs} queries";
    }

    private static float[] RandomVector(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var d = 0; d < dimensions; d++)
        {
            vector[d] = random.NextSingle() * 2 - 1;
        }

        return vector;
    }
}
