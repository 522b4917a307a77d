using System.Text.RegularExpressions;
using AgentGrid.Contracts.Profiles;

namespace AgentGrid.Inference.Profiles;

/// <summary>
/// The parts of a profile that say how its server is launched: <c>container</c> (a <c>custom</c> command and its placeholders,
/// environment, load timeout), the runtime blocks, and what a runtime cannot do as written (a warning, not a refusal).
/// </summary>
public static partial class ProfileLaunchRules
{
    /// <summary>What a <c>custom</c> command may contain in braces; each is replaced when the server is started.</summary>
    public static readonly IReadOnlyList<string> Placeholders =
        ["port", "host", "model_id", "revision", "served_model", "gpus", "gpu_count", "max_model_len", "api_key", "cache_dir", "memory_fraction"];

    // Variables the launcher sets itself: a profile may not move a server off its GPUs or read the grid's token.
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES", "CUDA_DEVICE_ORDER", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "PATH", "HOME",
        "LD_PRELOAD", "LD_LIBRARY_PATH",
    };

    internal static ModelContainer Container(ProfileDocument.ContainerDocument c, string runtime)
    {
        var command = c.Command?.Select(a => a ?? "").ToList();
        if (runtime == ModelRuntimes.Custom)
        {
            ProfileValidator.Require(command is { Count: > 0 and <= 128 } && command.All(a => a.Length is > 0 and <= 4000) && command[0].Trim().Length > 0,
                "container.command", "a custom runtime needs container.command: its command line as a list, e.g. [\"my-server\", \"--port\", \"{port}\"].");
            foreach (var unknown in command!.SelectMany(a => Placeholder().Matches(a)).Select(m => m.Groups[1].Value).Where(p => !Placeholders.Contains(p)))
            {
                throw Contracts.Errors.AgentGridException.Validation("container.command",
                    $"{{{unknown}}} is not a placeholder; known: {string.Join(", ", Placeholders.Select(p => $"{{{p}}}"))}.");
            }
        }
        else
        {
            ProfileValidator.Require(command is null, "container.command", "container.command belongs to the custom runtime only.");
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in c.Env ?? [])
        {
            ProfileValidator.Require(EnvironmentName().IsMatch(name) && !Reserved.Contains(name), $"container.env.{name}",
                $"container.env.{name} must be a variable name of letters, digits and '_' and not one the launcher sets ({string.Join(", ", Reserved)}).");
            ProfileValidator.Require((value?.Length ?? 0) <= 4000, $"container.env.{name}", $"container.env.{name} must be at most 4000 characters.");
            environment[name] = value ?? "";
        }

        ProfileValidator.Require(environment.Count <= 64, "container.env", "container.env may set at most 64 variables.");
        var timeout = c.LoadTimeoutSeconds ?? ModelContainer.DefaultLoadTimeoutSeconds;
        ProfileValidator.Require(timeout is >= 1 and <= 86_400, "container.load_timeout_seconds", "container.load_timeout_seconds must be between 1 and 86400.");
        return new ModelContainer(runtime, c.Image?.Trim(), command, environment.Count > 0 ? environment : null, timeout);
    }

    internal static IReadOnlyDictionary<string, RuntimeSettings> Blocks(ProfileDocument d)
    {
        var blocks = new Dictionary<string, RuntimeSettings>(StringComparer.Ordinal);
        foreach (var (runtime, block) in new[]
        {
            (ModelRuntimes.Vllm, d.Vllm), (ModelRuntimes.Tgi, d.Tgi), (ModelRuntimes.Tei, d.Tei),
            (ModelRuntimes.LlamaCpp, d.LlamaCpp), (ModelRuntimes.Sglang, d.Sglang), (ModelRuntimes.Ollama, d.Ollama),
        })
        {
            if (block is not null)
            {
                blocks[runtime] = RuntimeBlockSchema.Read(runtime, block);
            }
        }

        return blocks;
    }

    /// <summary>
    /// Whether the profile carries operator power: its own command line, extra server arguments, environment, or
    /// <c>trust_remote_code</c> (which runs Python from the model's repository inside the server).
    /// </summary>
    public static bool RunsOperatorCode(ModelProfile profile) =>
        profile.Container.Command is not null || profile.Container.Environment is { Count: > 0 }
        || profile.RuntimeBlocks.Values.Any(b => b.ExtraArgs.Count > 0 || b.Settings.GetValueOrDefault("trust_remote_code") == "true");

    /// <summary>Settings the runtime cannot combine; it follows its documented precedence and the profile says so.</summary>
    internal static IReadOnlyList<string> Warnings(string runtime, IReadOnlyDictionary<string, string> parameters)
    {
        var warnings = new List<string>();
        if (runtime == ModelRuntimes.Tgi && parameters.TryGetValue(ModelParameterNames.Dtype, out var dtype) && TgiDropsDtype(parameters) is { } why)
        {
            warnings.Add($"tgi: dtype {dtype} is not passed ({why}).");
        }

        return warnings;
    }

    /// <summary>
    /// Why TGI must not be given the profile's dtype, or null when it may: TGI takes only float16 and bfloat16, and refuses
    /// <c>--dtype</c> beside any quantization but bitsandbytes (its launcher: "Only 1 can be set between dtype and quantize").
    /// </summary>
    public static string? TgiDropsDtype(IReadOnlyDictionary<string, string> parameters)
    {
        var dtype = parameters.GetValueOrDefault(ModelParameterNames.Dtype);
        var quantization = ModelParameterNames.QuantizationOf(parameters);
        return dtype switch
        {
            null => null,
            not ("float16" or "bfloat16") => "tgi takes float16 or bfloat16 only",
            _ when quantization is not null && !quantization.StartsWith("bitsandbytes", StringComparison.Ordinal) =>
                $"tgi cannot combine --dtype with --quantize {quantization}; the quantization takes precedence",
            _ => null,
        };
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    public static partial Regex Placeholder();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex EnvironmentName();
}
