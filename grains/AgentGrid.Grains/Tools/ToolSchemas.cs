using System.Text.Json;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Tools;
using Json.Schema;

namespace AgentGrid.Grains.Tools;

/// <summary>JSON Schemas of tools: each kind's default input schema, parsing a caller's, and checking a value against one.</summary>
public static class ToolSchemas
{
    public const int MaxSchemaLength = 64 * 1024;

    /// <summary>The input schema a tool of <paramref name="kind"/> has when its definition names none.</summary>
    public static string DefaultInput(ToolKind kind) => kind switch
    {
        ToolKind.Files => """
            {"type":"object","required":["operation"],"additionalProperties":false,"properties":{
              "operation":{"enum":["list_directory","read_file","write_file","delete_file","search_file_contents"]},
              "path":{"type":"string","maxLength":1024},"content":{"type":"string"},"query":{"type":"string","maxLength":1024}}}
            """,
        ToolKind.Sqlite => """
            {"type":"object","required":["query"],"additionalProperties":false,"properties":{
              "query":{"type":"string","minLength":1,"maxLength":20000},"parameters":{"type":"object"}}}
            """,
        ToolKind.KnowledgeSearch => """
            {"type":"object","required":["query"],"additionalProperties":false,"properties":{
              "query":{"type":"string","minLength":1,"maxLength":2000},"knowledge_base_id":{"type":"string"},
              "k":{"type":"integer","minimum":1,"maximum":20},"mode":{"enum":["hybrid","lexical","vector"]}}}
            """,
        ToolKind.HttpFetch => """
            {"type":"object","required":["url"],"additionalProperties":false,"properties":{"url":{"type":"string","maxLength":2048}}}
            """,
        _ => """{"type":"object"}""",
    };

    /// <summary>The schema in <paramref name="text"/>; <c>validation_failed</c> on <paramref name="field"/> when it is not one.</summary>
    public static JsonSchema Parse(string text, string field)
    {
        if (text.Length > MaxSchemaLength)
        {
            throw AgentGridException.Validation(field, $"{field} must be at most {MaxSchemaLength} characters of JSON.");
        }

        try
        {
            // A registry of its own: the global one is shared by every tenant and refuses a second schema with the same $id.
            return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw AgentGridException.Validation(field, $"{field} is not a JSON Schema: {e.Message}");
        }
    }

    /// <summary>Throws <c>validation_failed</c> naming the first place where <paramref name="value"/> breaks <paramref name="schema"/>.</summary>
    public static void Check(JsonSchema schema, JsonElement value, string field)
    {
        EvaluationResults results;
        try
        {
            results = schema.Evaluate(value, new EvaluationOptions { OutputFormat = OutputFormat.List });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // An unresolvable $ref, a pattern that runs past the regex timeout: the schema cannot judge this value.
            throw AgentGridException.Validation(field, $"{field} could not be checked against its schema: {e.Message}");
        }

        if (results.IsValid)
        {
            return;
        }

        var failure = results.Details?.FirstOrDefault(d => d.Errors is { Count: > 0 }) ?? results;
        var location = failure.InstanceLocation.ToString();
        var reason = failure.Errors?.Values.FirstOrDefault() ?? "does not match the schema";
        var path = field + string.Concat(location.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => "." + s));
        throw AgentGridException.Validation(path, $"{path}: {reason}");
    }
}
