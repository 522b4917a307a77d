using System.Globalization;

namespace AgentGrid.Inference.Profiles;

/// <summary>
/// The <c>parameters</c> the grid understands for every runtime: the context window (<c>max_model_len</c>, <c>max_input_length</c>,
/// <c>max_total_tokens</c>, <c>context_length</c>), the weights' format (<c>dtype</c>, <c>quantization</c>) and the model's default
/// sampling (<c>temperature</c>, <c>top_p</c>, <c>top_k</c>, <c>repeat_penalty</c>). Other parameters are kept as written.
/// </summary>
public static class ModelParameterNames
{
    public const string MaxModelLen = "max_model_len";
    public const string MaxInputLength = "max_input_length";
    public const string MaxTotalTokens = "max_total_tokens";
    public const string ContextLength = "context_length";
    public const string Dtype = "dtype";
    public const string Quantization = "quantization";
    public const string Temperature = "temperature";
    public const string TopP = "top_p";
    public const string TopK = "top_k";
    public const string RepeatPenalty = "repeat_penalty";

    private static readonly Dictionary<string, (double Min, double Max, bool Whole)> Numbers = new()
    {
        [MaxModelLen] = (1, 10_000_000, true),
        [MaxInputLength] = (1, 10_000_000, true),
        [MaxTotalTokens] = (1, 10_000_000, true),
        [ContextLength] = (1, 10_000_000, true),
        [Temperature] = (0, 2, false),
        [TopP] = (0, 1, false),
        [TopK] = (0, 100_000, true),
        [RepeatPenalty] = (0, 10, false),
    };

    public static readonly IReadOnlySet<string> Common = new HashSet<string>(Numbers.Keys.Append(Dtype).Append(Quantization), StringComparer.Ordinal);

    /// <summary>Checks the common parameters; a simulator profile's other parameters are the simulator's own.</summary>
    internal static void Validate(IReadOnlyDictionary<string, string> parameters, bool simulator)
    {
        foreach (var (key, value) in parameters)
        {
            if (Numbers.TryGetValue(key, out var range))
            {
                ProfileValidator.Require(double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    && number >= range.Min && number <= range.Max && (!range.Whole || number == Math.Floor(number)),
                    $"parameters.{key}", $"parameters.{key} must be a {(range.Whole ? "whole number" : "number")} between {range.Min} and {range.Max}.");
            }
            else if (key is Dtype or Quantization)
            {
                ProfileValidator.Require(value.Length is > 0 and <= 50 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'),
                    $"parameters.{key}", $"parameters.{key} must be a name such as bfloat16 or awq.");
            }
        }

        if (simulator)
        {
            SimulatorProfileSettings.Validate(parameters.Where(p => !Common.Contains(p.Key)).ToDictionary());
        }
    }

    /// <summary>The context window the profile asks for, in tokens; null when it names none.</summary>
    public static int? ContextWindow(IReadOnlyDictionary<string, string> parameters) =>
        Int(parameters, MaxModelLen) ?? Int(parameters, MaxTotalTokens) ?? Int(parameters, ContextLength);

    public static int? Int(IReadOnlyDictionary<string, string> parameters, string key) =>
        parameters.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? (int)n : null;

    public static double? Number(IReadOnlyDictionary<string, string> parameters, string key) =>
        parameters.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The quantization the profile asks for, or null for none (absent, <c>none</c>).</summary>
    public static string? QuantizationOf(IReadOnlyDictionary<string, string> parameters) =>
        parameters.TryGetValue(Quantization, out var q) && q is { Length: > 0 } && !q.Equals("none", StringComparison.OrdinalIgnoreCase) ? q : null;
}
