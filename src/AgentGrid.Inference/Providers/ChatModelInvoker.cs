using System.ClientModel;
using System.Runtime.CompilerServices;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Inference.Providers;

/// <summary>
/// Calls a configured model through its <see cref="IChatClient"/> and turns every way a backend can
/// fail into one of two errors: <c>model_unavailable</c> (refused, timed out, 5xx, garbled, not
/// configured: retry later) or <c>model_rejected</c> (the backend refused this request: do not retry).
/// </summary>
public sealed class ChatModelInvoker(EndpointCatalog catalog, ILogger<ChatModelInvoker> logger)
{
    /// <summary>The reply as it is generated; the timeout covers the whole stream.</summary>
    public IAsyncEnumerable<ModelUpdate> StreamAsync(
        string model, IList<ChatMessage> messages, ModelParameters parameters, ModelTools? tools, CancellationToken cancellationToken) =>
        StreamAsync(Resolve(model), messages, parameters, tools, cancellationToken);

    /// <summary>The reply from a given client (a configured model or an inference worker's endpoint).</summary>
    public IAsyncEnumerable<ModelUpdate> StreamAsync(
        ModelClient client, IList<ChatMessage> messages, ModelParameters parameters, CancellationToken cancellationToken) =>
        StreamAsync(client, messages, parameters, null, cancellationToken);

    /// <summary>
    /// The reply from a given client, offering the model <paramref name="tools"/>; <paramref name="cacheSalt"/>, for a server that
    /// takes one, keeps its prefix cache apart from other salts' (see <see cref="CacheSalts"/>).
    /// </summary>
    public async IAsyncEnumerable<ModelUpdate> StreamAsync(
        ModelClient client, IList<ChatMessage> messages, ModelParameters parameters, ModelTools? tools,
        [EnumeratorCancellation] CancellationToken cancellationToken, string? cacheSalt = null)
    {
        using var timeout = Deadline(client, cancellationToken);
        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            var options = Options(parameters, cacheSalt);
            tools?.ApplyTo(options);
            updates = client.ChatClient.GetStreamingResponseAsync(messages, options, timeout.Token).GetAsyncEnumerator(timeout.Token);
        }
        catch (Exception e) when (Translate(e, client, cancellationToken) is { } error)
        {
            throw error;
        }

        await using (updates)
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync())
                    {
                        yield break;
                    }

                    update = updates.Current;
                }
                catch (Exception e) when (Translate(e, client, cancellationToken) is { } error)
                {
                    throw error;
                }

                var usage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details;
                // Per token, so nothing is allocated for the calls unless the update has some.
                List<Contracts.Tools.ToolCall>? calls = null;
                foreach (var content in update.Contents)
                {
                    if (content is FunctionCallContent call)
                    {
                        (calls ??= []).Add(ModelTools.CallOf(call));
                    }
                }

                yield return new ModelUpdate(update.Text, usage?.InputTokenCount, usage?.OutputTokenCount, update.FinishReason?.Value, usage?.CachedInputTokenCount, calls);
            }
        }
    }

    /// <summary>
    /// The whole reply in one piece, asked of the backend without streaming: one JSON document to read instead of an
    /// event per token, for callers that wait for the end anyway.
    /// </summary>
    public async IAsyncEnumerable<ModelUpdate> WholeAsync(
        ModelClient client, IList<ChatMessage> messages, ModelParameters parameters, ModelTools? tools,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var timeout = Deadline(client, cancellationToken);
        ChatResponse response;
        try
        {
            var options = Options(parameters, null);
            tools?.ApplyTo(options);
            response = await client.ChatClient.GetResponseAsync(messages, options, timeout.Token);
        }
        catch (Exception e) when (Translate(e, client, cancellationToken) is { } error)
        {
            throw error;
        }

        List<Contracts.Tools.ToolCall>? calls = null;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    (calls ??= []).Add(ModelTools.CallOf(call));
                }
            }
        }

        var usage = response.Usage;
        yield return new ModelUpdate(response.Text, usage?.InputTokenCount, usage?.OutputTokenCount, response.FinishReason?.Value, usage?.CachedInputTokenCount, calls);
    }

    /// <summary>The whole reply of a configured model.</summary>
    public IAsyncEnumerable<ModelUpdate> WholeAsync(
        string model, IList<ChatMessage> messages, ModelParameters parameters, ModelTools? tools, CancellationToken cancellationToken) =>
        WholeAsync(Resolve(model), messages, parameters, tools, cancellationToken);

    private ModelClient Resolve(string model) => catalog.Contains(model)
        ? catalog.Get(model)
        // The agent names a model this grid no longer has configured: an operator problem, not the caller's.
        : throw AgentGridException.ModelUnavailable(model, "it is not configured on this grid");

    private static CancellationTokenSource Deadline(ModelClient client, CancellationToken cancellationToken)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(client.Timeout);
        return timeout;
    }

    private static ChatOptions Options(ModelParameters parameters, string? cacheSalt) => new()
    {
        Temperature = (float?)parameters.Temperature,
        TopP = (float?)parameters.TopP,
        MaxOutputTokens = parameters.MaxTokens,
        RawRepresentationFactory = cacheSalt is null ? null : _ => CacheSalts.Apply(new OpenAI.Chat.ChatCompletionOptions(), cacheSalt),
    };

    /// <summary>The error to throw instead of <paramref name="e"/>, or null to let it through (the caller cancelled).</summary>
    private AgentGridException? Translate(Exception e, ModelClient client, CancellationToken cancellationToken)
    {
        switch (e)
        {
            case AgentGridException:
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case OperationCanceledException:
                return Unavailable(client, $"no reply within {client.Timeout.TotalSeconds:0.#} s");
            case ClientResultException { Status: 400 or 413 or 422 } rejected:
                // The backend understood the request and refused it (e.g. the context is too long): retrying will not help.
                // The backend's own words stay in the log: they can name its URL, its internals or another caller's data.
                logger.LogWarning("Model {Model} at {BaseUrl} rejected the request with HTTP {Status}: {BackendError}",
                    client.Name, client.BaseUrl, rejected.Status, FirstLine(rejected.Message));
                return new AgentGridException(ErrorCodes.ModelRejected,
                    $"Model '{client.Name}' rejected the request (HTTP {rejected.Status}); the prompt or parameters may exceed what it accepts.");
            case ClientResultException { Status: not 0 } failed:
                return Unavailable(client, $"the backend answered HTTP {failed.Status}");
            case ClientResultException transport:
                return Unavailable(client, Describe(transport.InnerException ?? transport), transport);
            default:
                return Unavailable(client, Describe(e), e);
        }
    }

    private AgentGridException Unavailable(ModelClient client, string reason, Exception? cause = null)
    {
        logger.LogWarning(cause, "Model {Model} at {BaseUrl} is unavailable: {Reason}", client.Name, client.BaseUrl, reason);
        return AgentGridException.ModelUnavailable(client.Name, reason);
    }

    // What callers are told: the kind of failure, never the backend's address or its own error text (that is logged).
    private static string Describe(Exception e) => e switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "the backend refused the connection",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "the backend's host name does not resolve",
        HttpRequestException => "the backend could not be reached",
        _ => "the backend sent an unexpected response",
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
