using System.Globalization;
using System.Text.Json.Nodes;
using AgentGrid.Contracts.Errors;
using Microsoft.AspNetCore.Http;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AgentGrid.FrontDoor.Workflows;

/// <summary>
/// Reads a workflow definition sent as JSON or YAML into JSON text. YAML is read event by event: anchors and aliases
/// (which can expand without bound) and deep nesting are refused; plain scalars that look like numbers, booleans or null
/// become those, as in JSON.
/// </summary>
public static class WorkflowDocuments
{
    public static readonly string[] Types = ["application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];
    public const int MaxLength = 256 * 1024;
    private const int MaxDepth = 32;

    public static async Task<string> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is null || !Types.Contains(type))
        {
            throw new AgentGridException(ErrorCodes.UnsupportedMediaType, "Send the workflow as application/json or application/yaml.");
        }

        using var reader = new StreamReader(request.Body);
        var buffer = new char[MaxLength + 1];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        if (read > MaxLength)
        {
            throw new AgentGridException(ErrorCodes.PayloadTooLarge, $"A workflow definition may be at most {MaxLength} characters.");
        }

        var text = new string(buffer, 0, read);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw AgentGridException.Validation("definition", "The request body must be a workflow definition.");
        }

        return type == "application/json" ? text : ToJson(text);
    }

    public static string ToJson(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                throw AgentGridException.Validation("definition", "The workflow document is empty.");
            }

            parser.Consume<DocumentStart>();
            var node = Read(parser, 0);
            return node?.ToJsonString() ?? "null";
        }
        catch (YamlException e)
        {
            throw AgentGridException.Validation("definition", $"The workflow is not valid YAML (line {e.Start.Line}): {e.Message}");
        }
    }

    private static JsonNode? Read(IParser parser, int depth)
    {
        if (depth > MaxDepth)
        {
            throw AgentGridException.Validation("definition", $"A workflow document may nest at most {MaxDepth} levels deep.");
        }

        switch (parser.Current)
        {
            case AnchorAlias alias:
                throw AgentGridException.Validation("definition", $"Workflows may not use YAML aliases (*{alias.Value}).");
            case NodeEvent { Anchor.IsEmpty: false } anchored:
                throw AgentGridException.Validation("definition", $"Workflows may not use YAML anchors (&{anchored.Anchor.Value}).");
            case Scalar scalar:
                parser.MoveNext();
                return ScalarOf(scalar);
            case SequenceStart:
                parser.MoveNext();
                var array = new JsonArray();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    array.Add(Read(parser, depth + 1));
                }

                return array;
            case MappingStart:
                parser.MoveNext();
                var map = new JsonObject();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = parser.Consume<Scalar>().Value;
                    map[key] = Read(parser, depth + 1);
                }

                return map;
            default:
                throw AgentGridException.Validation("definition", "The workflow is not a YAML document of mappings, lists and values.");
        }
    }

    private static JsonNode? ScalarOf(Scalar scalar)
    {
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(scalar.Value);
        }

        return scalar.Value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            var v when long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            var v when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonValue.Create(d),
            var v => JsonValue.Create(v),
        };
    }
}
