using System.Collections.Concurrent;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace AgentGrid.Inference.Tokens;

/// <summary>
/// Counts a model's tokens: exactly with the model family's tiktoken vocabulary where it is known (o200k_base,
/// cl100k_base, shipped in the Microsoft.ML.Tokenizers data packages), otherwise by an estimate that errs high — one
/// token per <see cref="EstimatedBytesPerToken"/> UTF-8 bytes, which over-counts English for the Llama, Qwen and
/// Mistral vocabularies (about 4 bytes per token) — and which callers correct with the usage the backend reports.
/// </summary>
public sealed class TokenCounter
{
    public const double EstimatedBytesPerToken = 3.0;
    private readonly ConcurrentDictionary<string, Tokenizer> _tokenizers = new(StringComparer.Ordinal);

    /// <summary>The vocabulary for <paramref name="tokenizer"/> (a configured name) or, failing that, the model id; null when unknown.</summary>
    public static string? EncodingFor(string? tokenizer, string modelId)
    {
        if (tokenizer is not null)
        {
            return tokenizer;
        }

        var id = modelId.ToLowerInvariant();
        id = id[(id.LastIndexOf('/') + 1)..];
        return id switch
        {
            _ when id.StartsWith("gpt-4o", StringComparison.Ordinal) || id.StartsWith("gpt-4.1", StringComparison.Ordinal)
                || id.StartsWith("gpt-5", StringComparison.Ordinal) || id.StartsWith("chatgpt-4o", StringComparison.Ordinal)
                || (id.Length > 1 && id[0] == 'o' && char.IsDigit(id[1])) => "o200k_base",
            _ when id.StartsWith("gpt-4", StringComparison.Ordinal) || id.StartsWith("gpt-3.5", StringComparison.Ordinal)
                || id.StartsWith("text-embedding-3", StringComparison.Ordinal) || id.StartsWith("text-embedding-ada", StringComparison.Ordinal) => "cl100k_base",
            _ => null,
        };
    }

    /// <summary>The tokens of <paramref name="text"/> under <paramref name="encoding"/>; estimated when it is null.</summary>
    public int Count(string? encoding, string text)
    {
        if (encoding is null)
        {
            return Estimate(text);
        }

        var tokenizer = _tokenizers.GetOrAdd(encoding, name => TiktokenTokenizer.CreateForEncoding(name));
        return tokenizer.CountTokens(text);
    }

    public static int Estimate(string text) => (int)Math.Ceiling(Encoding.UTF8.GetByteCount(text) / EstimatedBytesPerToken);
}
