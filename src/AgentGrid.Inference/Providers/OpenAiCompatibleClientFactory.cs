using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AgentGrid.Inference.Providers;

/// <summary>
/// Builds the one kind of client the grid uses for every backend: the OpenAI SDK pointed at an
/// OpenAI-compatible base URL, seen through Microsoft.Extensions.AI.
/// </summary>
public static class OpenAiCompatibleClientFactory
{
    // Local servers (vLLM, Ollama, llama.cpp) ignore the key, but the SDK requires a non-empty one.
    private const string PlaceholderKey = "agentgrid-no-key";

    public static IChatClient Create(Uri baseUrl, string upstreamModel, string? apiKey, TimeSpan timeout)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = baseUrl,
            NetworkTimeout = timeout,
            // The session layer decides about retries; hidden SDK retries would multiply latency when a backend is down.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // The grid logs what a call did itself (ChatModelInvoker), never a request's headers or content.
            ClientLoggingOptions = new ClientLoggingOptions { EnableLogging = false },
        };

        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? PlaceholderKey : apiKey), options);
        return client.GetChatClient(upstreamModel).AsIChatClient();
    }
}
