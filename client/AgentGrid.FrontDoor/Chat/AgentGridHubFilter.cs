using AgentGrid.Contracts.Errors;
using Microsoft.AspNetCore.SignalR;

namespace AgentGrid.FrontDoor.Chat;

/// <summary>
/// Gives SignalR clients the same stable error codes as HTTP: <c>"{code}: {message}"</c>. A connection outlives the
/// check of its key at connect, so every call checks again that the key was not revoked or expired since.
/// </summary>
public sealed class AgentGridHubFilter(Identity.KeyLookup keys) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (!await keys.StillValidAsync(context.Context.User!))
        {
            throw new HubException($"{ErrorCodes.Unauthenticated}: the key this connection signed in with was revoked or has expired.");
        }

        try
        {
            return await next(context);
        }
        catch (AgentGridException e)
        {
            throw ToHubException(e);
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
