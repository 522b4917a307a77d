using AgentGrid.Contracts.Agents;
using AgentGrid.Inference.Providers;
using Microsoft.Extensions.AI;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>A streamed completion collected whole: its text, token counts and finish reason.</summary>
public sealed record CollectedReply(string Text, long? InputTokens, long? OutputTokens, string? FinishReason);

public static class CollectedReplyExtensions
{
    /// <summary>Runs one completion through the invoker's streaming path and collects it.</summary>
    public static async Task<CollectedReply> CompleteAsync(
        this ChatModelInvoker invoker, string model, IList<ChatMessage> prompt, ModelParameters parameters, CancellationToken cancellationToken)
    {
        var text = new System.Text.StringBuilder();
        long? input = null, output = null;
        string? finish = null;
        await foreach (var update in invoker.StreamAsync(model, prompt, parameters, null, cancellationToken))
        {
            text.Append(update.Delta);
            (input, output, finish) = (update.InputTokens ?? input, update.OutputTokens ?? output, update.FinishReason ?? finish);
        }

        return new CollectedReply(text.ToString(), input, output, finish);
    }
}
