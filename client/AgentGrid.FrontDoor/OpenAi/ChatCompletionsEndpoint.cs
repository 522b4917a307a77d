using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Completions;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Models;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Sessions;
using AgentGrid.FrontDoor.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.FrontDoor.OpenAi;

/// <summary>
/// The OpenAI-compatible API: <c>POST /v1/chat/completions</c> (streaming or not; stateless, or
/// appended to a session with header <c>X-Session-Id</c>) and <c>GET /v1/models</c>.
/// </summary>
public static class ChatCompletionsEndpoint
{
    public const string SessionHeader = "X-Session-Id";

    public static RouteGroupBuilder MapOpenAiApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1").WithTags("OpenAI-compatible").RequireAuthorization(Identity.Policies.Reader);
        api.MapPost("/chat/completions", CompleteAsync).WithName("CreateChatCompletion").RequireAuthorization(Identity.Policies.Member);
        api.MapGet("/models", ListModelsAsync).WithName("ListOpenAiModels");
        api.MapEmbeddings();
        return api;
    }

    public static async Task CompleteAsync(
        OpenAiChatRequest request, HttpContext context, GridServices grid, SessionEventFeed feed, Models.ModelNames names, Agents.AgentDirectory agents,
        CompletionPlane completions)
    {
        var messages = OpenAiRequestValidator.Messages(request);
        var tools = OpenAiRequestValidator.Tools(request);
        var target = await OpenAiTarget.ResolveAsync(request.Model!, grid, names, agents);
        var writer = new OpenAiCompletionWriter(context, request.Model!, request.StreamOptions?.IncludeUsage == true);
        if (context.Request.Headers[SessionHeader].FirstOrDefault() is { } sessionId)
        {
            if (tools is not null || messages.Any(m => m.Role == "tool"))
            {
                throw AgentGridException.Validation("tools", $"With {SessionHeader} the agent's own tools apply; send tools only in stateless calls.");
            }

            await CompleteInSessionAsync(sessionId, target, messages, request.Stream == true, writer, grid, feed, context.RequestAborted);
            return;
        }

        var completionRequest = target.Request(messages, request, new Contracts.Identity.Caller(grid.Tenant, grid.KeyId), tools);
        if (request.Stream != true)
        {
            await writer.WholeAsync(await completions.CompleteAsync(completionRequest, context.RequestAborted));
            return;
        }

        await writer.StreamAsync(completions.StreamAsync(completionRequest, context.RequestAborted), context.RequestAborted);
    }

    /// <summary>The last message (a user message) is appended to the session, which supplies the rest of the prompt.</summary>
    private static async Task CompleteInSessionAsync(
        string sessionId, OpenAiTarget target, IReadOnlyList<PromptMessage> messages, bool stream,
        OpenAiCompletionWriter writer, GridServices grid, SessionEventFeed feed, CancellationToken aborted)
    {
        OpenAiErrors.ForbidRetryInSessionMode(writer.Context);
        var session = await writer.Context.RequestServices.GetRequiredService<Sessions.SessionAccess>().OfAsync(grid.User, sessionId);
        var current = await session.GetAsync();
        if (target.Agent?.Id != current.AgentId)
        {
            throw AgentGridException.Validation("model", $"Session '{sessionId}' talks to agent '{current.AgentId}'; name that agent as the model.");
        }

        if (messages[^1] is not { Role: "user" } last)
        {
            throw AgentGridException.Validation($"messages[{messages.Count - 1}].role", "With X-Session-Id the last message must be the user's new message.");
        }

        if (!stream)
        {
            // A session turn outlives its request (the reply is stored for the session); a stateless call does not.
            var turn = await session.SendMessageAsync(last.Content, null, grid.KeyId, CancellationToken.None);
            await writer.WholeAsync(turn);
            return;
        }

        var messageId = GrainKeys.NewId("msg");
        await using var subscription = await feed.SubscribeAsync(GrainKeys.For(grid.Tenant, sessionId), current.LastSequence);
        var send = session.SendMessageAsync(last.Content, messageId, grid.KeyId, CancellationToken.None);
        // A send refused before its turn published anything ends the read with its error; one that fails later has
        // published turn.failed first, which the read meets before the error.
        _ = send.ContinueWith(static (sent, state) => ((SessionSubscription)state!).End(sent.Exception!.InnerException!), subscription,
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await writer.StreamAsync(TurnEvents(subscription, messageId, send, aborted), aborted);
        }
        finally
        {
            // Its failure, if any, reached the client as turn.failed; awaiting observes it.
            await send.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// The chunks of one turn, read from the session's events and nothing else: a send that fails before its turn produces
    /// any event (refused by a limit, say) ends the subscription with its error, so the read ends with it.
    /// </summary>
    private static async IAsyncEnumerable<CompletionChunk> TurnEvents(
        SessionSubscription subscription, string messageId, Task<ChatTurn> send,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken aborted)
    {
        await foreach (var e in subscription.ReadAllAsync(aborted))
        {
            if (e.TurnId != messageId)
            {
                continue;
            }

            switch (e.Type)
            {
                case SessionEventTypes.MessageAccepted:
                    // Starts the response: the client has its headers while the turn waits for its first token.
                    yield return new CompletionChunk();
                    break;
                case SessionEventTypes.Token:
                    yield return new CompletionChunk { Delta = e.Delta };
                    break;
                case SessionEventTypes.MessageCompleted:
                    yield return new CompletionChunk
                    {
                        FinishReason = e.FinishReason ?? "stop", InputTokens = e.InputTokens, OutputTokens = e.OutputTokens, Citations = e.Message?.Citations,
                    };
                    yield break;
                case SessionEventTypes.TurnFailed:
                    throw new AgentGridException(e.Code ?? ErrorCodes.Internal, e.Error ?? "The turn failed.");
                case SessionEventTypes.TurnPaused:
                    throw OpenAiErrors.AwaitingApproval(await send);
            }
        }
    }

    public static async Task<IResult> ListModelsAsync(GridServices grid)
    {
        var agents = await grid.Grains.GetGrain<IAgentIndexGrain>(grid.Tenant).ListAsync();
        var models = await grid.Grains.GetGrain<IModelDirectoryGrain>(0).ListAsync(probe: false);
        var embeddings = await grid.Grains.GetGrain<Contracts.Embeddings.IEmbeddingGrain>(0).ModelsAsync();
        var data = agents.Select(a => new OpenAiModel(a.Name, "model", a.UpdatedAt.ToUnixTimeSeconds(), "agentgrid-agent"))
            .Concat(models.Select(m => new OpenAiModel(m.Name, "model", 0, "agentgrid-model", m.Capabilities)))
            .Concat(embeddings.Where(e => models.All(m => m.Name != e.Name)).Select(e => new OpenAiModel(e.Name, "model", 0, "agentgrid-embedding", [ModelCapabilities.Embeddings])))
            .ToList();
        return Results.Json(new OpenAiModelList("list", data), OpenAiJson.Options);
    }
}
