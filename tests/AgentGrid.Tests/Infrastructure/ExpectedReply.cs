using AgentGrid.Contracts.Sessions;
using AgentGrid.Inference.Simulator;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>The reply the simulator must give when exactly this prompt reaches it.</summary>
public static class ExpectedReply
{
    public static string For(string? systemPrompt, IEnumerable<SessionMessage> history, int tokens) =>
        SimulatedReply.Text(SimulatorOptions.DefaultModelId, Prompt(systemPrompt, history), tokens);

    private static IEnumerable<(string, string)> Prompt(string? systemPrompt, IEnumerable<SessionMessage> history)
    {
        if (systemPrompt is not null)
        {
            yield return ("system", systemPrompt);
        }

        foreach (var message in history)
        {
            yield return (message.Role, message.Content);
        }
    }
}
