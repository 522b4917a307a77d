using AgentGrid.Contracts.Errors;
using Microsoft.AspNetCore.SignalR;

namespace AgentGrid.FrontDoor.Chat;

/// <summary>Gives SignalR clients the same stable error codes as HTTP: <c>"{code}: {message}"</c>.</summary>
public sealed class AgentGridHubFilter : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(context);
        }
        catch (AgentGridException e)
        {
            throw new HubException($"{e.Code}: {e.Message}");
        }
    }
}
