using System.Collections.Concurrent;

namespace AgentGrid.Grains.Tools.Mcp;

/// <summary>
/// Caps how many processes of each stdio MCP server run at once on this silo, in all and per tenant
/// (<see cref="McpStdioServer.MaxProcesses"/>, <see cref="McpStdioServer.MaxProcessesPerTenant"/>); a use over the cap
/// waits its turn within its deadline.
/// </summary>
public sealed class StdioProcessSlots
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _slots = new(StringComparer.Ordinal);

    /// <summary>Waits for a slot of the tenant's and one of the server's; dispose the result to give both back.</summary>
    public async Task<IAsyncDisposable> EnterAsync(string server, string tenant, McpStdioServer settings, CancellationToken cancellationToken)
    {
        // Keyed by the caps too, so a changed configuration gets fresh semaphores rather than stale sizes.
        var perTenant = _slots.GetOrAdd(Key(server, tenant) + "/" + settings.MaxProcessesPerTenant, _ => new SemaphoreSlim(settings.MaxProcessesPerTenant));
        var perServer = _slots.GetOrAdd(server + "/" + settings.MaxProcesses, _ => new SemaphoreSlim(settings.MaxProcesses));
        await perTenant.WaitAsync(cancellationToken);
        try
        {
            await perServer.WaitAsync(cancellationToken);
        }
        catch
        {
            perTenant.Release();
            throw;
        }

        return new Held(perTenant, perServer);
    }

    private static string Key(string server, string tenant) => server + "\n" + tenant;

    private sealed class Held(SemaphoreSlim perTenant, SemaphoreSlim perServer) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                perServer.Release();
                perTenant.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
