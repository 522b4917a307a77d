using Microsoft.Extensions.AI;

namespace AgentGrid.Inference.Providers;

/// <summary>All the text a prompt message sends: its text, the tool calls it makes and the tool results it carries.</summary>
public static class PromptText
{
    public static string Of(ChatMessage message)
    {
        if (message.Contents.All(c => c is TextContent))
        {
            return message.Text ?? "";
        }

        var text = new System.Text.StringBuilder(message.Text);
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case FunctionCallContent call:
                    text.Append(call.Name).Append(ModelTools.CallOf(call).Arguments);
                    break;
                case FunctionResultContent result:
                    text.Append(result.Result as string ?? result.Result?.ToString());
                    break;
            }
        }

        return text.ToString();
    }
}
