using System.Text.RegularExpressions;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Profiles;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace AgentGrid.Inference.Profiles;

/// <summary>
/// Turns profile text (YAML, or JSON, which YAML reads too) into a validated <see cref="ModelProfile"/>.
/// Every problem is a <c>validation_failed</c> error naming the field as written in the file.
/// </summary>
public static partial class ProfileParser
{
    private static readonly IDeserializer Reader = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>The largest profile document, in characters.</summary>
    public const int MaxDocumentLength = 64 * 1024;

    /// <summary>The deepest nesting of mappings and sequences a profile may have.</summary>
    public const int MaxDepth = 8;

    public static ModelProfile Parse(string text, string origin)
    {
        ProfileDocument? document;
        try
        {
            CheckShape(text);
            document = Reader.Deserialize<ProfileDocument>(text);
        }
        catch (YamlException e)
        {
            throw Describe(e);
        }

        if (document is null)
        {
            throw AgentGridException.Validation("body", "The profile is empty.");
        }

        return ProfileValidator.Validate(document, origin);
    }

    /// <summary>
    /// Refuses what a profile never needs and an attacker would use: anchors and aliases (a few lines of aliases expand
    /// to gigabytes), deep nesting and oversized documents. Read as a stream of events, before anything is built.
    /// </summary>
    private static void CheckShape(string text)
    {
        if (text.Length > MaxDocumentLength)
        {
            throw AgentGridException.Validation("body", $"A profile may be at most {MaxDocumentLength} characters (this one is {text.Length}).");
        }

        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (NextEvent(parser))
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.AnchorAlias alias:
                    throw AgentGridException.Validation("body", $"Profiles may not use YAML aliases (*{alias.Value}, line {alias.Start.Line}).");
                case YamlDotNet.Core.Events.NodeEvent { Anchor.IsEmpty: false } node:
                    throw AgentGridException.Validation("body", $"Profiles may not use YAML anchors (&{node.Anchor.Value}, line {node.Start.Line}).");
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart when ++depth > MaxDepth:
                    throw AgentGridException.Validation("body", $"A profile may nest at most {MaxDepth} levels deep.");
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    // The parser reports some broken documents (an unclosed flow sequence at the end) as an invalid operation.
    private static bool NextEvent(Parser parser)
    {
        try
        {
            return parser.MoveNext();
        }
        catch (InvalidOperationException)
        {
            throw AgentGridException.Validation("body", "The profile is not valid YAML: it ends in the middle of a value.");
        }
    }

    private static AgentGridException Describe(YamlException e)
    {
        var where = e.Start.Line > 0 ? $" (line {e.Start.Line}, column {e.Start.Column})" : "";
        var message = Innermost(e).Message;
        if (UnknownProperty().Match(message) is { Success: true } unknown)
        {
            var field = UnderscoredNamingConvention.Instance.Apply(unknown.Groups[1].Value);
            return AgentGridException.Validation(field, $"'{field}' is not a profile field{where}.");
        }

        if (message.Contains("not found on type", StringComparison.Ordinal) is false && e.InnerException is FormatException or InvalidCastException)
        {
            return AgentGridException.Validation("body", $"A value has the wrong type{where}: {message}");
        }

        return AgentGridException.Validation("body", $"The profile is not valid YAML{where}: {FirstLine(message)}");
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner && e is YamlException && inner is YamlException ? Innermost(inner) : e;

    private static string FirstLine(string text) => Regex.Replace(text.Split('\n', 2)[0], @"^\(Line: .*?\): ", "").Trim();

    [GeneratedRegex(@"Property '([^']+)' not found on type")]
    private static partial Regex UnknownProperty();
}
