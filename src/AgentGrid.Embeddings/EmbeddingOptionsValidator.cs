using AgentGrid.Contracts;
using Microsoft.Extensions.Options;

namespace AgentGrid.Embeddings;

/// <summary>Reports every mistake in the configured embedding backends at once, at startup.</summary>
public sealed class EmbeddingOptionsValidator : IValidateOptions<EmbeddingOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddingOptions options)
    {
        var failures = new List<string>();
        foreach (var (embeddingName, embedding) in options.Embeddings)
        {
            var prefix = $"{EmbeddingOptions.SectionName}:Embeddings:{embeddingName}";
            if (embeddingName == EmbeddingEndpointOptions.BuiltInModel || embeddingName.Length is 0 or > GrainKeys.MaxIdLength
                || !embeddingName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                failures.Add($"{prefix}: embedding model names may contain letters, digits, '.', '_' and '-' only, and cannot be the built-in model's.");
            }

            if (!Uri.TryCreate(embedding.BaseUrl, UriKind.Absolute, out var embeddingUri) || embeddingUri.Scheme is not ("http" or "https"))
            {
                failures.Add($"{prefix}:BaseUrl must be an absolute http(s) URL such as http://localhost:8080/v1 (was '{embedding.BaseUrl}').");
            }

            if (embedding.Dimensions is < 1 or > 16_384)
            {
                failures.Add($"{prefix}:Dimensions must be between 1 and 16384 (the length of the vectors the model makes).");
            }

            if (embedding.Timeout <= TimeSpan.Zero)
            {
                failures.Add($"{prefix}:Timeout must be positive.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
