using System.ClientModel;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Inference.Providers;

/// <summary>
/// Calls a configured model through its <see cref="IChatClient"/> and turns every way a backend can
/// fail (refused connection, timeout, 5xx, unknown model) into one <c>model_unavailable</c> error.
/// </summary>
public sealed class ChatModelInvoker(ModelCatalog catalog, ILogger<ChatModelInvoker> logger)
{
    public async Task<ModelReply> CompleteAsync(
        string model, IList<ChatMessage> messages, ModelParameters parameters, CancellationToken cancellationToken)
    {
        if (!catalog.Contains(model))
        {
            // The agent names a model this grid no longer has configured: an operator problem, not the caller's.
            throw AgentGridException.ModelUnavailable(model, "it is not configured on this grid");
        }

        var client = catalog.Get(model);
        var options = new ChatOptions
        {
            Temperature = (float?)parameters.Temperature,
            TopP = (float?)parameters.TopP,
            MaxOutputTokens = parameters.MaxTokens,
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(client.Timeout);
        try
        {
            var response = await client.ChatClient.GetResponseAsync(messages, options, timeout.Token);
            return new ModelReply(response.Text, response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount,
                response.FinishReason?.Value);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(client, $"no reply within {client.Timeout.TotalSeconds:0.#} s");
        }
        catch (ClientResultException e) when (e.Status is 400 or 413 or 422)
        {
            // The backend understood the request and refused it (e.g. the context is too long): retrying will not help.
            logger.LogWarning("Model {Model} at {BaseUrl} rejected the request with HTTP {Status}", client.Name, client.BaseUrl, e.Status);
            throw new AgentGridException(ErrorCodes.ModelRejected, $"Model '{client.Name}' rejected the request (HTTP {e.Status}): {FirstLine(e.Message)}");
        }
        catch (ClientResultException e)
        {
            throw Unavailable(client, e.Status == 0 ? Describe(e.InnerException ?? e) : $"the backend answered HTTP {e.Status}");
        }
        catch (Exception e) when (e is not OperationCanceledException and not AgentGridException)
        {
            throw Unavailable(client, Describe(e));
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private AgentGridException Unavailable(ModelClient client, string reason)
    {
        logger.LogWarning("Model {Model} at {BaseUrl} is unavailable: {Reason}", client.Name, client.BaseUrl, reason);
        return AgentGridException.ModelUnavailable(client.Name, reason);
    }

    private static string Describe(Exception e) => e switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "the backend refused the connection",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "the backend's host name does not resolve",
        HttpRequestException => e.Message,
        _ => $"unexpected response ({e.GetType().Name}: {FirstLine(e.Message)})",
    };
}
