using System.Text.Json;
using AgentGrid.Contracts.Tools;
using Microsoft.Extensions.AI;

namespace AgentGrid.Inference.Providers;

/// <summary>
/// The tools a model call offers and how the model may use them: <c>auto</c> (default), <c>none</c>, <c>required</c>,
/// or the name of the one tool it must call.
/// </summary>
public sealed record ModelTools(IReadOnlyList<ToolDeclaration> Tools, string Choice = ModelTools.Auto)
{
    public const string Auto = "auto";
    public const string None = "none";
    public const string Required = "required";

    internal void ApplyTo(ChatOptions options)
    {
        options.Tools = [.. Tools.Select(t => AIFunctionFactory.CreateDeclaration(t.Name, t.Description, JsonDocument.Parse(t.Parameters).RootElement.Clone()))];
        options.ToolMode = Choice switch
        {
            Auto => ChatToolMode.Auto,
            None => ChatToolMode.None,
            Required => ChatToolMode.RequireAny,
            var name => ChatToolMode.RequireSpecific(name),
        };
        options.AllowMultipleToolCalls = true;
    }

    /// <summary>A model's call as AgentGrid keeps it: the arguments as JSON text (<c>{}</c> when the model sent none).</summary>
    public static ToolCall CallOf(FunctionCallContent call) => new()
    {
        Id = string.IsNullOrEmpty(call.CallId) ? "call_" + Guid.NewGuid().ToString("N")[..24] : call.CallId,
        Name = call.Name,
        Arguments = call.Arguments is null ? "{}" : JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions),
    };

    /// <summary>A stored call as the model's abstractions carry it back in a prompt.</summary>
    public static FunctionCallContent ContentOf(ToolCall call)
    {
        Dictionary<string, object?>? arguments;
        try
        {
            arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>(call.Arguments, AIJsonUtilities.DefaultOptions);
        }
        catch (JsonException)
        {
            arguments = [];
        }

        return new FunctionCallContent(call.Id, call.Name, arguments ?? []);
    }
}
