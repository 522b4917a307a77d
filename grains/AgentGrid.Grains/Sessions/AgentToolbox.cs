using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Tools;
using AgentGrid.Inference.Providers;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Sessions;

/// <summary>
/// The tools an agent may call in a turn, as they are when the turn starts: those it lists and those of the MCP
/// servers it lists, enabled ones only. A tool deleted since is left out (and logged), never a reason to fail the turn.
/// </summary>
internal sealed class AgentToolbox
{
    public static readonly AgentToolbox Empty = new([]);

    private readonly Dictionary<string, Tool> _byName;

    private AgentToolbox(IEnumerable<Tool> tools) =>
        _byName = tools.Where(t => t.Definition.Enabled).ToDictionary(t => t.Definition.Name, StringComparer.Ordinal);

    public bool IsEmpty => _byName.Count == 0;

    public Tool? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>What the model is offered: the tools, callable while <paramref name="mayCall"/>; null when there are none.</summary>
    public ModelTools? Offer(bool mayCall) => IsEmpty ? null : new ModelTools(
        [.. _byName.Values.OrderBy(t => t.Definition.Name, StringComparer.Ordinal).Select(t => new ToolDeclaration
        {
            Name = t.Definition.Name,
            Description = t.Definition.Description,
            Parameters = t.Definition.InputSchema ?? "{\"type\":\"object\"}",
        })],
        mayCall ? ModelTools.Auto : ModelTools.None);

    public static async Task<AgentToolbox> LoadAsync(IGrainFactory grains, string tenant, Agent agent, ILogger logger)
    {
        if (agent.Tools.Count == 0 && agent.McpServers.Count == 0)
        {
            return Empty;
        }

        var ids = new List<string>(agent.Tools);
        foreach (var serverId in agent.McpServers)
        {
            try
            {
                var server = await grains.GetGrain<IMcpServerGrain>(GrainKeys.For(tenant, serverId)).GetAsync();
                ids.AddRange(server.Tools.Select(t => t.ToolId));
            }
            catch (AgentGridException e) when (e.Code == ErrorCodes.McpServerNotFound)
            {
                logger.LogWarning("Agent {AgentId} of tenant {Tenant} lists MCP server {ServerId}, which is gone", agent.Id, tenant, serverId);
            }
        }

        var tools = await Task.WhenAll(ids.Distinct().Select(async id =>
        {
            try
            {
                return await grains.GetGrain<IToolGrain>(GrainKeys.For(tenant, id)).GetAsync();
            }
            catch (AgentGridException e) when (e.Code == ErrorCodes.ToolNotFound)
            {
                logger.LogWarning("Agent {AgentId} of tenant {Tenant} lists tool {ToolId}, which is gone", agent.Id, tenant, id);
                return null;
            }
        }));
        return new AgentToolbox(tools.OfType<Tool>());
    }
}
