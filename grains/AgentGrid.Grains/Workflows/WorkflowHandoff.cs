using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Completions;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Tools;

namespace AgentGrid.Grains.Workflows;

/// <summary>
/// A hand-off step: the first agent answers, or hands the conversation to another of the step's agents by calling its
/// <c>transfer_to_{name}</c> function; the one that answers in text ends the step. Each agent speaks with its own system
/// prompt, model and parameters, and every model call is metered for the run's caller.
/// </summary>
internal static class WorkflowHandoff
{
    public const string TransferPrefix = "transfer_to_";

    public static async Task<(string? Output, string? AgentId)> RunAsync(
        IGrainFactory grains, ModelMeter models, string tenant, HandoffStep step, string input, Caller caller, Action countCall, CancellationToken cancellationToken)
    {
        var agents = new List<Agent>();
        foreach (var name in step.Agents)
        {
            agents.Add(await WorkflowReferences.FindAgentAsync(grains, tenant, name) ?? throw AgentGridException.AgentNotFound(name));
        }

        var conversation = new List<PromptMessage> { new("user", input) };
        var current = agents[0];
        for (var hop = 0; hop <= step.MaxHandoffs; hop++)
        {
            countCall();
            // Two names with one slug (Billing, billing) hand over to the first listed.
            var others = agents.Where(a => a.Id != current.Id).GroupBy(a => TransferPrefix + Slug(a.Name), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var (text, calls) = await CompleteAsync(models, current, conversation, others, caller, cancellationToken);
            var transfer = calls.FirstOrDefault(c => others.ContainsKey(c.Name));
            if (transfer is null)
            {
                return (text, current.Id);
            }

            var next = others[transfer.Name];
            conversation.Add(new PromptMessage("assistant", text) { ToolCalls = [transfer] });
            conversation.Add(new PromptMessage("tool", $"Transferred to {next.Name}.") { ToolCallId = transfer.Id });
            current = next;
        }

        throw new AgentGridException(ErrorCodes.WorkflowLimitExceeded, $"Step '{step.Id}' handed off {step.MaxHandoffs} times without an answer (maxHandoffs).");
    }

    private static async Task<(string Text, IReadOnlyList<ToolCall> Calls)> CompleteAsync(
        ModelMeter models, Agent agent, List<PromptMessage> conversation, Dictionary<string, Agent> others, Caller caller, CancellationToken cancellationToken)
    {
        var system = (agent.SystemPrompt is { Length: > 0 } prompt ? prompt + "\n\n" : "")
            + "If another agent should answer, hand the conversation over with its transfer function instead of answering.";
        var request = new CompletionRequest
        {
            Model = agent.Model, Caller = caller, AgentId = agent.Id, Parameters = agent.Parameters,
            Messages = [new PromptMessage("system", system), .. conversation],
            Tools = [.. others.Select(o => new ToolDeclaration
            {
                Name = o.Key, Description = $"Hand the conversation to {o.Value.Name}{(o.Value.Description is { Length: > 0 } d ? ": " + d : "")}.",
                Parameters = """{"type":"object","properties":{}}""",
            })],
            ToolChoice = Inference.Providers.ModelTools.Auto,
        };
        // On this silo, as the run is: no grain of its own per model call.
        var reply = await CompletionCall.CompleteAsync(models, request, cancellationToken);
        return (reply.Delta ?? "", reply.ToolCalls ?? []);
    }

    /// <summary>An agent's name as a function name: letters, digits and '_', at most 40.</summary>
    public static string Slug(string name)
    {
        var slug = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]).Trim('_');
        return slug.Length == 0 ? "agent" : slug[..Math.Min(40, slug.Length)];
    }
}
