using AgentGrid.Inference.Simulator;
using AgentGrid.Contracts;
using Microsoft.Extensions.Options;

namespace AgentGrid.Inference.Providers;

/// <summary>Reports every configuration mistake in <see cref="InferenceOptions"/> at once, at startup.</summary>
public sealed class InferenceOptionsValidator : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        var failures = new List<string>();
        foreach (var (modelName, endpoint) in options.Models)
        {
            var prefix = $"{InferenceOptions.SectionName}:Models:{modelName}";
            if (modelName.Length is 0 or > GrainKeys.MaxIdLength || !modelName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                failures.Add($"{prefix}: model names may contain letters, digits, '.', '_' and '-' only.");
            }

            if (!Uri.TryCreate(endpoint.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                failures.Add($"{prefix}:BaseUrl must be an absolute http(s) URL such as http://localhost:11434/v1 (was '{endpoint.BaseUrl}').");
            }

            if (endpoint.Timeout <= TimeSpan.Zero)
            {
                failures.Add($"{prefix}:Timeout must be positive.");
            }

            if (endpoint.ContextLength is < 256)
            {
                failures.Add($"{prefix}:ContextLength must be at least 256 tokens.");
            }

            if (endpoint.Tokenizer is not null and not ("o200k_base" or "cl100k_base"))
            {
                failures.Add($"{prefix}:Tokenizer must be o200k_base or cl100k_base.");
            }

            if (endpoint.MaxOutputTokens is < 1 or > Limits.MaxTokensCeiling)
            {
                failures.Add($"{prefix}:MaxOutputTokens must be between 1 and {Limits.MaxTokensCeiling}.");
            }

            if (endpoint.ApiKeyEnvironmentVariable is { Length: > 0 } variable
                && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
            {
                failures.Add($"{prefix}:ApiKeyEnvironmentVariable names '{variable}', which is not set.");
            }
        }

        foreach (var (priced, price) in options.Pricing)
        {
            if (price.InputPerMillionUsd < 0 || price.OutputPerMillionUsd < 0)
            {
                failures.Add($"{InferenceOptions.SectionName}:Pricing:{priced}: prices must not be negative.");
            }
        }

        if (options.ContextLength < 256)
        {
            failures.Add($"{InferenceOptions.SectionName}:ContextLength must be at least 256 tokens.");
        }

        if (options.MaxOutputTokens is < 1 or > Limits.MaxTokensCeiling)
        {
            failures.Add($"{InferenceOptions.SectionName}:MaxOutputTokens must be between 1 and {Limits.MaxTokensCeiling}.");
        }

        if (options.SimulatorEnabled && options.Models.ContainsKey(InferenceOptions.SimulatorModelName))
        {
            failures.Add($"{InferenceOptions.SectionName}:Models: the name '{InferenceOptions.SimulatorModelName}' is reserved for the built-in simulator.");
        }

        if (options.DefaultModel is { } model
            && !options.Models.ContainsKey(model)
            && !(options.SimulatorEnabled && model == InferenceOptions.SimulatorModelName))
        {
            failures.Add($"{InferenceOptions.SectionName}:DefaultModel '{model}' is not a configured model.");
        }

        if (options.DefaultModel is null && options.Models.Count > 1)
        {
            failures.Add($"{InferenceOptions.SectionName}:DefaultModel must name one of the {options.Models.Count} configured models.");
        }

        if (options.ProbeTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{InferenceOptions.SectionName}:ProbeTimeout must be positive.");
        }

        failures.AddRange(SimulatorOptionsValidator.Check(options.Simulator, $"{InferenceOptions.SectionName}:Simulator"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
