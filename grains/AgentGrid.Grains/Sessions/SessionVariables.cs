using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Agents;

namespace AgentGrid.Grains.Sessions;

/// <summary>Checks the variable values a session is opened with against its agent's placeholders.</summary>
public static class SessionVariables
{
    public static void Validate(IReadOnlyDictionary<string, string> variables, Agent agent)
    {
        if (variables.Count > Limits.MaxVariables)
        {
            throw AgentGridException.Validation("variables", $"At most {Limits.MaxVariables} variables are allowed.");
        }

        foreach (var (name, value) in variables)
        {
            if (name.Length > Limits.MaxVariableNameLength || !PromptTemplate.IsValidVariableName(name))
            {
                throw AgentGridException.Validation($"variables.{name}",
                    "Variable names start with a letter or '_' and contain only letters, digits and '_'.");
            }

            if (value is null || value.Length > Limits.MaxVariableValueLength)
            {
                throw AgentGridException.Validation($"variables.{name}",
                    $"Variable values are strings of at most {Limits.MaxVariableValueLength} characters.");
            }
        }

        if (agent.SystemPrompt is { } template && PromptTemplate.RenderedLength(template, variables) > Limits.MaxRenderedSystemPromptLength)
        {
            throw AgentGridException.Validation("variables",
                $"The agent's system prompt with these values filled in would be over {Limits.MaxRenderedSystemPromptLength} characters.");
        }

        var missing = agent.Variables.FirstOrDefault(v => !variables.ContainsKey(v));
        if (missing is not null)
        {
            throw AgentGridException.Validation($"variables.{missing}",
                $"The agent's system prompt uses {{{{{missing}}}}}; give it a value in 'variables'.");
        }
    }
}
