using AgentGrid.Contracts.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;

namespace AgentGrid.FrontDoor.Chat;

/// <summary>
/// Gives SignalR clients the same stable error codes as HTTP: <c>"{code}: {message}"</c>. A connection outlives the
/// check of its key at connect, so every call checks again that the key was not revoked or expired since. Approvals
/// decided here go to the audit log as their REST twins do.
/// </summary>
public sealed class AgentGridHubFilter(Identity.KeyLookup keys, IServiceProvider services) : IHubFilter
{
    private static readonly Dictionary<string, string> AuditedMethods = new(StringComparer.Ordinal)
    {
        [nameof(ChatHub.ApproveToolCall)] = "HUB ApproveToolCall",
        [nameof(ChatHub.DenyToolCall)] = "HUB DenyToolCall",
    };

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (!await keys.StillValidAsync(context.Context.User!))
        {
            throw new HubException($"{ErrorCodes.Unauthenticated}: the key this connection signed in with was revoked or has expired.");
        }

        var audited = AuditedMethods.GetValueOrDefault(context.HubMethodName);
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            var result = await next(context);
            status = StatusCodes.Status200OK;
            return result;
        }
        catch (AgentGridException e)
        {
            status = Errors.Problems.StatusFor(e.Code);
            throw ToHubException(e);
        }
        catch (HubException e)
        {
            // The hub's own refusals carry their code the same way ("session_not_found: …").
            status = Errors.Problems.StatusFor(e.Message.Split(':')[0]);
            throw;
        }
        finally
        {
            if (audited is not null)
            {
                await Identity.AuditTrail.RecordHubAsync(services, context.Context.User, audited,
                    $"sessionId={context.HubMethodArguments.ElementAtOrDefault(0)}&callId={context.HubMethodArguments.ElementAtOrDefault(1)}", status, context.Context.ConnectionId);
            }
        }
    }

    public static HubException ToHubException(AgentGridException e) => new($"{e.Code}: {e.Message}");

    /// <summary>The same translation for errors raised while a stream is being enumerated, which filters do not see.</summary>
    public static async IAsyncEnumerable<T> TranslateErrors<T>(
        IAsyncEnumerable<T> source, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var items = source.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await items.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (AgentGridException e)
            {
                throw ToHubException(e);
            }

            yield return items.Current;
        }
    }
}
