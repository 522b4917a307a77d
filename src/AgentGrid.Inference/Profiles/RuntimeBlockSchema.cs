using System.Globalization;
using AgentGrid.Contracts.Profiles;

namespace AgentGrid.Inference.Profiles;

/// <summary>
/// The settings each runtime block of a profile knows (<c>tgi:</c>, <c>vllm:</c>, ...), with their types. A known setting is checked
/// and kept as text for the launcher; an unknown one is refused by name unless it is passed under the block's <c>extra_args</c>.
/// </summary>
public static class RuntimeBlockSchema
{
    public enum Kind { Bool, Integer, Number, Text }

    public const string ExtraArgs = "extra_args";

    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, Kind>> Known = new Dictionary<string, IReadOnlyDictionary<string, Kind>>
    {
        [ModelRuntimes.Vllm] = new Dictionary<string, Kind>
        {
            ["trust_remote_code"] = Kind.Bool, ["enable_prefix_caching"] = Kind.Bool, ["enforce_eager"] = Kind.Bool,
            ["max_num_seqs"] = Kind.Integer, ["max_num_batched_tokens"] = Kind.Integer, ["pipeline_parallel_size"] = Kind.Integer,
            ["kv_cache_dtype"] = Kind.Text, ["tokenizer"] = Kind.Text, ["chat_template"] = Kind.Text,
            ["enable_auto_tool_choice"] = Kind.Bool, ["tool_call_parser"] = Kind.Text, ["swap_space"] = Kind.Number,
        },
        [ModelRuntimes.Tgi] = new Dictionary<string, Kind>
        {
            ["sharded"] = Kind.Bool, ["num_shard"] = Kind.Integer, ["trust_remote_code"] = Kind.Bool,
            ["max_waiting_tokens"] = Kind.Integer, ["speculate"] = Kind.Integer, ["rope_scaling"] = Kind.Text,
            ["rope_factor"] = Kind.Number, ["disable_custom_kernels"] = Kind.Bool,
        },
        [ModelRuntimes.Tei] = new Dictionary<string, Kind>
        {
            ["pooling"] = Kind.Text, ["max_batch_tokens"] = Kind.Integer, ["max_client_batch_size"] = Kind.Integer, ["auto_truncate"] = Kind.Bool,
        },
        [ModelRuntimes.LlamaCpp] = new Dictionary<string, Kind>
        {
            ["hf_file"] = Kind.Text, ["n_gpu_layers"] = Kind.Integer, ["ctx_size"] = Kind.Integer, ["parallel"] = Kind.Integer,
            ["flash_attn"] = Kind.Bool, ["threads"] = Kind.Integer, ["split_mode"] = Kind.Text, ["jinja"] = Kind.Bool, ["chat_template"] = Kind.Text,
        },
        [ModelRuntimes.Sglang] = new Dictionary<string, Kind>
        {
            ["trust_remote_code"] = Kind.Bool, ["max_running_requests"] = Kind.Integer, ["chunked_prefill_size"] = Kind.Integer,
            ["tool_call_parser"] = Kind.Text, ["kv_cache_dtype"] = Kind.Text, ["enable_torch_compile"] = Kind.Bool,
        },
        [ModelRuntimes.Ollama] = new Dictionary<string, Kind>
        {
            ["keep_alive"] = Kind.Text, ["num_ctx"] = Kind.Integer,
        },
    };

    /// <summary>Checks one block; problems name the field as written (<c>tgi.num_shard</c>).</summary>
    public static RuntimeSettings Read(string runtime, Dictionary<string, object?> block)
    {
        var known = Known[runtime];
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var extra = new List<string>();
        foreach (var (key, value) in block)
        {
            var field = $"{runtime}.{key}";
            if (key == ExtraArgs)
            {
                ProfileValidator.Require(value is List<object> { Count: <= 64 } list && list.All(a => a is string { Length: > 0 and <= 1000 }), field,
                    $"{field} must be a list of at most 64 arguments, e.g. [\"--max-log-len\", \"100\"].");
                extra.AddRange(((List<object>)value!).Cast<string>());
                continue;
            }

            ProfileValidator.Require(known.TryGetValue(key, out var kind), field,
                $"'{field}' is not a {runtime} setting; known: {string.Join(", ", known.Keys.Append(ExtraArgs))}. Pass other flags under {runtime}.{ExtraArgs}.");
            var text = value as string;
            var valid = kind switch
            {
                Kind.Bool => bool.TryParse(text, out _),
                Kind.Integer => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0,
                Kind.Number => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0,
                // Text becomes a server argument: one that starts with '-' would be read as a flag.
                _ => text is { Length: > 0 and <= 1000 } && !text.StartsWith('-'),
            };
            ProfileValidator.Require(valid, field, $"{field} must be {Describe(kind)}.");
            settings[key] = kind == Kind.Bool ? text!.ToLowerInvariant() : text!;
        }

        return new RuntimeSettings(settings, extra);
    }

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Bool => "true or false",
        Kind.Integer => "a whole number of 0 or more",
        Kind.Number => "a number of 0 or more",
        _ => "a text of 1-1000 characters, not starting with '-'",
    };
}
