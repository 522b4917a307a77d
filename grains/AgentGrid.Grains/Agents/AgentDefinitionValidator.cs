using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Inference.Providers;

namespace AgentGrid.Grains.Agents;

/// <summary>Checks an agent definition and fills its defaults; the first problem is reported with its field.</summary>
public sealed class AgentDefinitionValidator(EndpointCatalog models, IGrainFactory grains)
{
    public const int MaxKnowledgeBases = 8;
    public const int MaxTools = 32;
    public const int MaxMcpServers = 8;

    public async Task<AgentDefinition> NormalizeAsync(AgentDefinition definition, string tenant)
    {
        var attached = definition.KnowledgeBases ?? [];
        Require(attached.Count <= MaxKnowledgeBases, "knowledgeBases", $"An agent answers from at most {MaxKnowledgeBases} knowledge bases.");
        for (var i = 0; i < attached.Count; i++)
        {
            var field = $"knowledgeBases[{i}]";
            Require(attached[i] is not null, field, "Each entry must be an object with an id.");
            Require(GrainKeys.IsValidId(attached[i].Id), field + ".id", "id must name a knowledge base.");
            Require(attached[i].K is >= 1 and <= 20, field + ".k", "k must be between 1 and 20.");
            Require(attached.Count(a => a.Id == attached[i].Id) == 1, field + ".id", "Each knowledge base is attached once.");
            try
            {
                await grains.GetGrain<Contracts.Knowledge.IKnowledgeBaseGrain>(GrainKeys.For(tenant, attached[i].Id)).GetAsync();
            }
            catch (AgentGridException e) when (e.Code == ErrorCodes.KnowledgeBaseNotFound)
            {
                throw AgentGridException.Validation(field + ".id", $"Knowledge base '{attached[i].Id}' was not found.");
            }
        }

        await RequireAllAsync<Contracts.Tools.IToolGrain>(definition.Tools ?? [], "tools", MaxTools, tenant, ErrorCodes.ToolNotFound, g => g.GetAsync());
        await RequireAllAsync<Contracts.Tools.IMcpServerGrain>(definition.McpServers ?? [], "mcpServers", MaxMcpServers, tenant, ErrorCodes.McpServerNotFound, g => g.GetAsync());

        var named = definition.Model?.Trim();
        // A model is a configured endpoint or a profile served by inference workers.
        var isProfile = !string.IsNullOrEmpty(named) && !models.Contains(named)
            && await grains.GetGrain<Contracts.Profiles.IProfileRegistryGrain>(0).GetAsync(named) is not null;
        return Normalize(definition, isProfile);
    }

    private AgentDefinition Normalize(AgentDefinition definition, bool isProfile)
    {
        var name = definition.Name?.Trim() ?? "";
        Require(name.Length > 0, "name", "name is required.");
        Require(name.Length <= Limits.MaxAgentNameLength, "name", $"name must be at most {Limits.MaxAgentNameLength} characters.");
        Require(!name.Any(char.IsControl), "name", "name cannot contain control characters.");
        Require((definition.Description?.Length ?? 0) <= Limits.MaxDescriptionLength, "description",
            $"description must be at most {Limits.MaxDescriptionLength} characters.");
        Require((definition.SystemPrompt?.Length ?? 0) <= Limits.MaxSystemPromptLength, "systemPrompt",
            $"systemPrompt must be at most {Limits.MaxSystemPromptLength} characters.");

        var model = string.IsNullOrWhiteSpace(definition.Model) ? models.DefaultModel : definition.Model.Trim();
        Require(models.Contains(model) || isProfile, "model",
            $"model '{model}' is neither configured nor a model profile; configured models: {string.Join(", ", models.Names)} (profiles: GET /api/profiles).");

        var parameters = definition.Parameters ?? new ModelParameters();
        Require(parameters.Temperature is null or (>= 0 and <= 2), "parameters.temperature", "parameters.temperature must be between 0 and 2.");
        Require(parameters.TopP is null or (> 0 and <= 1), "parameters.topP", "parameters.topP must be greater than 0 and at most 1.");
        Require(parameters.MaxTokens is null or (>= 1 and <= Limits.MaxTokensCeiling), "parameters.maxTokens",
            $"parameters.maxTokens must be between 1 and {Limits.MaxTokensCeiling}.");

        var memory = definition.Memory ?? new AgentMemorySettings();
        Require(memory.RetentionDays is null or (>= 1 and <= 36_500), "memory.retentionDays", "memory.retentionDays must be between 1 and 36500.");
        return definition with { Name = name, Model = model, Parameters = parameters, KnowledgeBases = definition.KnowledgeBases ?? [], Memory = memory,
            Tools = definition.Tools ?? [], McpServers = definition.McpServers ?? [] };
    }

    /// <summary>Each id names one of the tenant's <typeparamref name="TGrain"/>, once, and there are at most <paramref name="max"/>.</summary>
    private async Task RequireAllAsync<TGrain>(IReadOnlyList<string> ids, string field, int max, string tenant, string missing, Func<TGrain, Task> get)
        where TGrain : IGrainWithStringKey
    {
        Require(ids.Count <= max, field, $"An agent uses at most {max} {field}.");
        for (var i = 0; i < ids.Count; i++)
        {
            Require(GrainKeys.IsValidId(ids[i]), $"{field}[{i}]", "Each entry must be an id.");
            Require(ids.Count(id => id == ids[i]) == 1, $"{field}[{i}]", "Each id is listed once.");
            try
            {
                await get(grains.GetGrain<TGrain>(GrainKeys.For(tenant, ids[i])));
            }
            catch (AgentGridException e) when (e.Code == missing)
            {
                throw AgentGridException.Validation($"{field}[{i}]", $"'{ids[i]}' was not found.");
            }
        }
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw AgentGridException.Validation(field, message);
        }
    }
}
