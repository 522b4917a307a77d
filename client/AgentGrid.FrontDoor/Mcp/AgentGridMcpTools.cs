using System.ComponentModel;
using System.Text.Json;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.Contracts.Sessions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentGrid.FrontDoor.Mcp;

/// <summary>
/// What AgentGrid offers an MCP client (Claude Desktop, VS Code, any MCP SDK): its agents, a conversation with one,
/// and knowledge-base search, all as the calling key — its tenant, limits and budget apply as on the REST API.
/// </summary>
[McpServerToolType]
public sealed class AgentGridMcpTools(GridServices grid, Sessions.SessionAccess sessions)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [McpServerTool(Name = "list_agents", ReadOnly = true), Description("Lists the agents you can talk to: id, name, description and model.")]
    public Task<CallToolResult> ListAgentsAsync() => RunAsync(async () =>
    {
        var agents = await grid.Grains.GetGrain<IAgentIndexGrain>(grid.Tenant).ListAsync();
        return (object)agents.Select(a => new { a.Id, a.Name, a.Description, a.Model });
    });

    [McpServerTool(Name = "send_message"), Description(
        "Sends a message to an agent and returns its reply. Give session_id to continue a conversation; without it a new session " +
        "is opened and its id returned. The reply cites knowledge-base passages when the agent used any.")]
    public Task<CallToolResult> SendMessageAsync(
        [Description("The agent's id or name.")] string agent,
        [Description("The message.")] string message,
        [Description("A session id from an earlier reply, to continue that conversation.")] string? session_id = null) => RunAsync(async () =>
    {
        var agentId = await ResolveAgentAsync(agent);
        var sessionId = session_id;
        if (sessionId is null)
        {
            sessionId = GrainKeys.NewId("ses");
            await sessions.OpenAsync(grid.User, sessionId, agentId, new Dictionary<string, string>(), null);
        }

        var turn = await (await sessions.OfAsync(grid.User, sessionId)).SendMessageAsync(message, null, grid.KeyId, CancellationToken.None);
        // A tool call that needs a member's approval holds the turn: the reply comes once it is decided (REST or the web page).
        return new
        {
            session_id = sessionId, status = turn.Status, reply = turn.Reply?.Content, citations = turn.Reply?.Citations,
            pending_approvals = turn.PendingApprovals.Select(c => new { call_id = c.Id, tool = c.Name, arguments = c.Arguments }),
        };
    });

    [McpServerTool(Name = "search_knowledge_base", ReadOnly = true), Description("Searches a knowledge base and returns the best passages with their documents.")]
    public Task<CallToolResult> SearchKnowledgeBaseAsync(
        [Description("The knowledge base's id.")] string knowledge_base_id,
        [Description("What to look for.")] string query,
        [Description("How many passages, 1 to 20.")] int k = 5) => RunAsync(async () =>
    {
        if (!GrainKeys.IsValidId(knowledge_base_id))
        {
            throw new AgentGridException(ErrorCodes.KnowledgeBaseNotFound, $"Knowledge base '{knowledge_base_id}' was not found.");
        }

        var hits = await grid.Grain<IKnowledgeBaseGrain>(knowledge_base_id)
            .SearchAsync(query, Math.Clamp(k, 1, 20), KnowledgeSearchMode.Hybrid, new Caller(grid.Tenant, grid.KeyId));
        return (object)hits;
    });

    private async Task<string> ResolveAgentAsync(string agent)
    {
        if (GrainKeys.IsValidId(agent) && agent.StartsWith("agt_", StringComparison.Ordinal))
        {
            return (await grid.Grain<IAgentGrain>(agent).GetAsync()).Id;
        }

        return (await grid.Grains.GetGrain<IAgentIndexGrain>(grid.Tenant).FindByNameAsync(agent))?.Id ?? throw AgentGridException.AgentNotFound(agent);
    }

    /// <summary>The result as JSON text; a grid error becomes a tool error whose text starts with its stable code.</summary>
    private static async Task<CallToolResult> RunAsync(Func<Task<object>> run)
    {
        try
        {
            return new CallToolResult { Content = [new TextContentBlock { Text = JsonSerializer.Serialize(await run(), Json) }] };
        }
        catch (Exception e) when (e.SelfAndCauses().OfType<AgentGridException>().FirstOrDefault() is { } known)
        {
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = $"{known.Code}: {known.Message}" }] };
        }
    }
}
