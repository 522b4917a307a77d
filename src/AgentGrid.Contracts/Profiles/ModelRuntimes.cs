namespace AgentGrid.Contracts.Profiles;

/// <summary>What serves a model profile's workers: its <c>container.runtime</c>.</summary>
public static class ModelRuntimes
{
    public const string Tgi = "tgi";
    public const string Vllm = "vllm";
    public const string Ollama = "ollama";
    public const string OpenAi = "openai";

    /// <summary>The built-in inference simulator, run in the silo's process.</summary>
    public const string Simulator = "simulator";

    public static readonly IReadOnlyList<string> All = [Tgi, Vllm, Ollama, OpenAi, Simulator];
}
