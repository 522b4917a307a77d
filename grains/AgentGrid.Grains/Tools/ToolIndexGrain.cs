using AgentGrid.Contracts;
using AgentGrid.Contracts.Tools;
using AgentGrid.Grains.Identity;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Tools;

/// <summary>A tenant's tool names (unique regardless of case) and ids.</summary>
public sealed class ToolIndexGrain(
    [PersistentState("tool-index", GridNames.StateStore)] IPersistentState<ToolIndexState> state,
    IOptions<TenantCapsOptions> caps) : Grain, IToolIndexGrain
{
    public async Task<bool> TryClaimAsync(string toolId, string name)
    {
        var key = name.ToLowerInvariant();
        if (state.State.Names.TryGetValue(key, out var owner))
        {
            return owner == toolId;
        }

        var tools = state.State.Names.Values.ToHashSet(StringComparer.Ordinal);
        if (!tools.Contains(toolId))
        {
            TenantCaps.EnsureRoomForOneMore(tools.Count, caps.Value.Tools, "tools");
        }

        foreach (var old in state.State.Names.Where(n => n.Value == toolId).Select(n => n.Key).ToList())
        {
            state.State.Names.Remove(old);
        }

        state.State.Names[key] = toolId;
        await this.WriteOrDeactivateAsync(state);
        return true;
    }

    public async Task ReleaseAsync(string toolId)
    {
        var names = state.State.Names.Where(n => n.Value == toolId).Select(n => n.Key).ToList();
        names.ForEach(n => state.State.Names.Remove(n));
        if (names.Count > 0)
        {
            await this.WriteOrDeactivateAsync(state);
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Names.Values.Distinct().Order(StringComparer.Ordinal)]);

    public Task<string?> FindAsync(string name) => Task.FromResult(state.State.Names.GetValueOrDefault(name.ToLowerInvariant()));
}

public sealed class ToolIndexState
{
    public Dictionary<string, string> Names { get; set; } = new(StringComparer.Ordinal);
}
