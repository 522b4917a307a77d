using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Completions;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Models;

namespace AgentGrid.FrontDoor.OpenAi;

/// <summary>
/// What the request's <c>model</c> names: an agent (by name, then by id), whose system prompt,
/// parameters and model apply, or else a configured model used as is.
/// </summary>
public sealed record OpenAiTarget(string RequestedModel, Agent? Agent, string Model)
{
    public static async Task<OpenAiTarget> ResolveAsync(string model, GridServices grid, Models.ModelNames names, Agents.AgentDirectory agents)
    {
        if (await agents.FindAsync(grid.Tenant, model) is { } agent)
        {
            return new(model, agent, agent.Model);
        }

        return await names.ContainsAsync(model)
            ? new(model, null, model)
            : throw new AgentGridException(ErrorCodes.ModelNotFound,
                $"The model '{model}' is neither an agent, a configured model nor a model profile; GET /v1/models lists them.", "model");
    }

    /// <summary>The prompt for a stateless call: the agent's system prompt first, then the caller's messages.</summary>
    public CompletionRequest Request(IReadOnlyList<PromptMessage> messages, OpenAiChatRequest request, Contracts.Identity.Caller caller,
        (IReadOnlyList<Contracts.Tools.ToolDeclaration> Tools, string Choice)? tools = null) => new()
    {
        Model = Model,
        Tools = tools?.Tools,
        ToolChoice = tools?.Choice,
        Caller = caller,
        AgentId = Agent?.Id,
        Messages = Agent is { SystemPrompt: { Length: > 0 } system } ? [new PromptMessage("system", system), .. messages] : messages,
        Parameters = new ModelParameters
        {
            Temperature = request.Temperature ?? Agent?.Parameters.Temperature,
            TopP = request.TopP ?? Agent?.Parameters.TopP,
            MaxTokens = request.MaxCompletionTokens ?? request.MaxTokens ?? Agent?.Parameters.MaxTokens,
        },
    };
}
