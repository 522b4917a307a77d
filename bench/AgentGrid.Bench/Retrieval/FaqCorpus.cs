using System.Diagnostics;
using AgentGrid.Knowledge.Documents;
using AgentGrid.Knowledge.Search;
using Microsoft.Extensions.AI;

namespace AgentGrid.Bench.Retrieval;

/// <summary>
/// The FAQ ready to index: each answer chunked, each chunk embedded (as is, and with its chapter title in front),
/// each question embedded as a query; and what embedding cost.
/// </summary>
public sealed record FaqCorpus(
    IReadOnlyList<FaqQuestion> Questions,
    IReadOnlyList<IndexedChunk> Chunks,
    IReadOnlyList<IndexedChunk> TitledChunks,
    IReadOnlyList<float[]> QueryVectors,
    string Ingestion)
{
    private const int BatchSize = 64;

    /// <summary>
    /// Chunks each answer as the knowledge base would a document of one section headed by the chapter's title
    /// (<see cref="Chunker"/> with its default size and overlap), and embeds chunks and questions.
    /// </summary>
    public static async Task<FaqCorpus> BuildAsync(IReadOnlyList<FaqQuestion> questions, IEmbeddingGenerator<string, Embedding<float>> embedder)
    {
        var options = new ChunkingOptions();
        var pieces = questions
            .SelectMany(q => Chunker.Split(new ExtractedDocument([new DocumentSection(q.Chapter, q.Answer)]), options)
                .Select(c => (ChunkId: $"{q.Id}#{c.Index}", DocumentId: q.Id, c.Text, Chapter: c.Heading ?? q.Chapter)))
            .ToList();
        var (vectors, tokens, seconds) = await EmbedAsync(embedder, pieces.Select(p => p.Text).ToList());
        var (titled, _, _) = await EmbedAsync(embedder, pieces.Select(p => $"{p.Chapter}\n\n{p.Text}").ToList());
        var (queries, _, querySeconds) = await EmbedAsync(embedder, questions.Select(q => q.Question).ToList());

        var ingestion = $"embedded {pieces.Count} chunks ({tokens} tokens) in {seconds:F1} s: {pieces.Count / seconds:F1} chunks/s, " +
            $"{tokens / seconds:F0} tokens/s; {questions.Count} queries in {querySeconds:F2} s: {questions.Count / querySeconds:F0} queries/s " +
            $"(all-MiniLM-L6-v2, ONNX Runtime on {Environment.ProcessorCount} CPU cores, batches of {BatchSize})";
        return new FaqCorpus(
            questions,
            pieces.Select((p, i) => new IndexedChunk(p.ChunkId, p.DocumentId, p.Text, p.Chapter, vectors[i])).ToList(),
            pieces.Select((p, i) => new IndexedChunk(p.ChunkId, p.DocumentId, p.Text, p.Chapter, titled[i])).ToList(),
            queries,
            ingestion);
    }

    private static async Task<(float[][] Vectors, long Tokens, double Seconds)> EmbedAsync(
        IEmbeddingGenerator<string, Embedding<float>> embedder, List<string> texts)
    {
        var vectors = new List<float[]>(texts.Count);
        long tokens = 0;
        var clock = Stopwatch.StartNew();
        foreach (var batch in texts.Chunk(BatchSize))
        {
            var embeddings = await embedder.GenerateAsync(batch);
            vectors.AddRange(embeddings.Select(e => e.Vector.ToArray()));
            tokens += embeddings.Usage?.InputTokenCount ?? 0;
        }

        return (vectors.ToArray(), tokens, clock.Elapsed.TotalSeconds);
    }
}
