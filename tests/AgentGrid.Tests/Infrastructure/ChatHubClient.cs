using System.Text.Json;
using AgentGrid.Contracts.Sessions;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>A real SignalR client on the grid's <c>/hubs/chat</c>.</summary>
public static class ChatHubClient
{
    public static async Task<HubConnection> ConnectAsync(Uri grid, string key)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(grid, "/hubs/chat"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(key))
            .AddJsonProtocol(o => o.PayloadSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web))
            .Build();
        await connection.StartAsync();
        return connection;
    }

    /// <summary>Reads the session's stream until <paramref name="until"/> holds for an event (inclusive), or the timeout.</summary>
    public static async Task<List<SessionEvent>> ReadUntilAsync(
        this HubConnection connection, string sessionId, long after, Func<SessionEvent, bool> until, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var events = new List<SessionEvent>();
        await foreach (var e in connection.StreamAsync<SessionEvent>("StreamSession", sessionId, after, cancel.Token))
        {
            events.Add(e);
            if (until(e))
            {
                break;
            }
        }

        return events;
    }
}
