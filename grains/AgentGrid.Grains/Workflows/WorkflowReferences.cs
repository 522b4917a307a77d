using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Tools;

namespace AgentGrid.Grains.Workflows;

/// <summary>The agents and tools a workflow names (by name or id), found in its tenant.</summary>
internal static class WorkflowReferences
{
    public static async Task<Agent?> FindAgentAsync(IGrainFactory grains, string tenant, string nameOrId)
    {
        if (await grains.GetGrain<IAgentIndexGrain>(tenant).FindByNameAsync(nameOrId) is { } named)
        {
            nameOrId = named.Id;
        }

        if (!GrainKeys.IsValidId(nameOrId))
        {
            return null;
        }

        try
        {
            return await grains.GetGrain<IAgentGrain>(GrainKeys.For(tenant, nameOrId)).GetAsync();
        }
        catch (AgentGridException e) when (e.Code == ErrorCodes.AgentNotFound)
        {
            return null;
        }
    }

    public static async Task<Tool?> FindToolAsync(IGrainFactory grains, string tenant, string nameOrId)
    {
        var id = await grains.GetGrain<IToolIndexGrain>(tenant).FindAsync(nameOrId) ?? nameOrId;
        if (!GrainKeys.IsValidId(id))
        {
            return null;
        }

        try
        {
            return await grains.GetGrain<IToolGrain>(GrainKeys.For(tenant, id)).GetAsync();
        }
        catch (AgentGridException e) when (e.Code == ErrorCodes.ToolNotFound)
        {
            return null;
        }
    }

    /// <summary>Every agent and tool the plan names exists in the tenant; else <c>validation_failed</c> naming the step.</summary>
    public static async Task CheckAsync(IGrainFactory grains, string tenant, WorkflowPlan plan)
    {
        foreach (var step in plan.All)
        {
            IEnumerable<string> agents = step switch { AgentStep a => [a.Agent], HandoffStep h => h.Agents, _ => [] };
            foreach (var agent in agents)
            {
                if (await FindAgentAsync(grains, tenant, agent) is null)
                {
                    throw AgentGridException.Validation($"steps.{step.Id}", $"Step '{step.Id}' names agent '{agent}', which does not exist.");
                }
            }

            if (step is ToolStep t && await FindToolAsync(grains, tenant, t.Tool) is null)
            {
                throw AgentGridException.Validation($"steps.{step.Id}", $"Step '{step.Id}' names tool '{t.Tool}', which does not exist.");
            }
        }
    }
}
