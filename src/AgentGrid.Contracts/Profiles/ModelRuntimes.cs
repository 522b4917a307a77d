namespace AgentGrid.Contracts.Profiles;

/// <summary>What serves a model profile's workers: its <c>container.runtime</c>.</summary>
public static class ModelRuntimes
{
    /// <summary>Hugging Face text-generation-inference (<c>text-generation-launcher</c>).</summary>
    public const string Tgi = "tgi";

    /// <summary>vLLM (<c>vllm serve</c>).</summary>
    public const string Vllm = "vllm";

    /// <summary>Hugging Face text-embeddings-inference (<c>text-embeddings-router</c>), for embedding profiles.</summary>
    public const string Tei = "tei";

    /// <summary>llama.cpp's <c>llama-server</c>.</summary>
    public const string LlamaCpp = "llama_cpp";

    /// <summary>SGLang (<c>python3 -m sglang.launch_server</c>).</summary>
    public const string Sglang = "sglang";

    /// <summary>One <c>ollama serve</c> per node, shared by that node's Ollama workers.</summary>
    public const string Ollama = "ollama";

    /// <summary>A command line of the profile's own (<c>container.command</c>), with placeholders.</summary>
    public const string Custom = "custom";

    /// <summary>Attach-only: a server that runs outside AgentGrid (<c>AgentGrid:Gpu:Servers:&lt;profile&gt;</c>).</summary>
    public const string OpenAi = "openai";

    /// <summary>The built-in inference simulator, run as a process of its own like any other server.</summary>
    public const string Simulator = "simulator";

    public static readonly IReadOnlyList<string> All = [Vllm, Tgi, Tei, LlamaCpp, Sglang, Ollama, Custom, OpenAi, Simulator];
}
