using AgentGrid.Contracts;
using AgentGrid.Contracts.Tools;
using AgentGrid.Grains.Identity;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Tools.Mcp;

/// <summary>The ids of a tenant's attached MCP servers.</summary>
public sealed class McpServerIndexGrain(
    [PersistentState("mcp-server-index", GridNames.StateStore)] IPersistentState<McpServerIndexState> state,
    IOptions<TenantCapsOptions> caps) : Grain, IMcpServerIndexGrain
{
    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Ids]);

    public async Task AddAsync(string serverId)
    {
        if (!state.State.Ids.Contains(serverId))
        {
            TenantCaps.EnsureRoomForOneMore(state.State.Ids.Count, caps.Value.McpServers, "MCP servers");
        }

        if (state.State.Ids.Add(serverId))
        {
            await this.WriteOrDeactivateAsync(state);
        }
    }

    public async Task RemoveAsync(string serverId)
    {
        if (state.State.Ids.Remove(serverId))
        {
            await this.WriteOrDeactivateAsync(state);
        }
    }
}

public sealed class McpServerIndexState
{
    public SortedSet<string> Ids { get; set; } = new(StringComparer.Ordinal);
}
