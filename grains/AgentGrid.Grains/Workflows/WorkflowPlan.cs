using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;

namespace AgentGrid.Grains.Workflows;

/// <summary>A checked workflow definition: its steps and its limits.</summary>
internal sealed record WorkflowPlan(string Name, string? Description, IReadOnlyList<PlanStep> Steps, int MaxSteps, int TimeoutSeconds)
{
    public const int MaxDefinitionLength = 256 * 1024;
    public const int MaxStepsDefined = 200;
    public const int MaxDepth = 8;
    public const int DefaultMaxSteps = 100;
    public const int DefaultTimeoutSeconds = 3600;
    private static readonly string[] Kinds = ["agent", "tool", "sequence", "parallel", "if", "approval", "handoff"];

    public IEnumerable<PlanStep> All => Flatten(Steps);

    private static IEnumerable<PlanStep> Flatten(IEnumerable<PlanStep> steps) => steps.SelectMany(s => Flatten(s.Children).Prepend(s));

    /// <summary>Reads and checks a definition; every problem is <c>validation_failed</c> naming its place (<c>steps[1].parallel[0].agent</c>).</summary>
    public static WorkflowPlan Parse(string definition)
    {
        Require(definition.Length <= MaxDefinitionLength, "definition", $"A workflow definition may be at most {MaxDefinitionLength} characters.");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(definition, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                ?? throw AgentGridException.Validation("definition", "A workflow definition is a JSON object.");
        }
        catch (JsonException e)
        {
            throw AgentGridException.Validation("definition", $"The definition is not valid JSON: {e.Message}");
        }

        var name = Text(root, "name", "name")?.Trim();
        Require(!string.IsNullOrEmpty(name) && name.Length <= Limits.MaxAgentNameLength && !name.Any(char.IsControl), "name",
            $"name is required: 1 to {Limits.MaxAgentNameLength} characters.");
        var description = Text(root, "description", "description");
        Require((description?.Length ?? 0) <= Limits.MaxDescriptionLength, "description", $"description must be at most {Limits.MaxDescriptionLength} characters.");
        var maxSteps = Number(root, "maxSteps", "maxSteps", 1, 1000) ?? DefaultMaxSteps;
        var timeout = Number(root, "timeoutSeconds", "timeoutSeconds", 1, 86_400) ?? DefaultTimeoutSeconds;
        var steps = ParseSteps(root["steps"], "steps", 1);
        var plan = new WorkflowPlan(name!, description, steps, maxSteps, timeout);
        var all = plan.All.ToList();
        Require(all.Count <= MaxStepsDefined, "steps", $"A workflow has at most {MaxStepsDefined} steps.");
        var duplicate = all.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        Require(duplicate is null, "steps", $"Step id '{duplicate?.Key}' is used twice; each step has its own id.");
        foreach (var reference in all.SelectMany(References))
        {
            Require(all.Any(s => s.Id == reference.StepId), reference.Field, $"'{{{{steps.{reference.StepId}.output}}}}' names no step of this workflow.");
        }

        return plan;
    }

    private static List<PlanStep> ParseSteps(JsonNode? node, string field, int depth)
    {
        Require(node is JsonArray { Count: > 0 }, field, $"{field} must be a non-empty list of steps.");
        Require(depth <= MaxDepth, field, $"Steps nest at most {MaxDepth} levels deep.");
        return [.. ((JsonArray)node!).Select((s, i) => Step(s, $"{field}[{i}]", depth))];
    }

    private static PlanStep Step(JsonNode? node, string field, int depth)
    {
        Require(node is JsonObject, field, "Each step is an object.");
        var step = (JsonObject)node!;
        var id = Text(step, "id", field + ".id");
        Require(GrainKeys.IsValidId(id), field + ".id", "Each step has an id: 1 to 64 letters, digits, '_' or '-'.");
        var kinds = Kinds.Where(step.ContainsKey).ToList();
        Require(kinds.Count == 1, field, $"A step is exactly one of: {string.Join(", ", Kinds)} (this one has {(kinds.Count == 0 ? "none" : string.Join(" and ", kinds))}).");
        var timeout = Number(step, "timeoutSeconds", field + ".timeoutSeconds", 1, 86_400);
        var kind = kinds[0];
        var at = $"{field}.{kind}";
        return kind switch
        {
            "agent" => new AgentStep(id!, timeout, Required(step, "agent", at), Text(step, "input", field + ".input") ?? "{{input}}"),
            "tool" => new ToolStep(id!, timeout, Required(step, "tool", at), step["arguments"] switch
            {
                null => new JsonObject(),
                JsonObject arguments => (JsonObject)arguments.DeepClone(),
                _ => throw AgentGridException.Validation(field + ".arguments", "arguments is a JSON object."),
            }),
            "sequence" => new SequenceStep(id!, timeout, ParseSteps(step["sequence"], at, depth + 1)),
            "parallel" => new ParallelStep(id!, timeout, ParseSteps(step["parallel"], at, depth + 1)),
            "if" => new BranchStep(id!, timeout, Condition(step["if"], at), ParseSteps(step["then"], field + ".then", depth + 1),
                step["else"] is null ? [] : ParseSteps(step["else"], field + ".else", depth + 1)),
            "approval" => new ApprovalStep(id!, timeout, Required(step, "approval", at)),
            _ => Handoff(id!, timeout, step["handoff"], at),
        };
    }

    private static HandoffStep Handoff(string id, int? timeout, JsonNode? node, string field)
    {
        Require(node is JsonObject, field, "handoff is an object with agents (the first starts) and input.");
        var handoff = (JsonObject)node!;
        Require(handoff["agents"] is JsonArray { Count: >= 2 and <= 16 } list && list.All(a => a is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0),
            field + ".agents", "agents lists 2 to 16 agents (names or ids); the first starts.");
        var agents = handoff["agents"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Require(agents.Distinct(StringComparer.Ordinal).Count() == agents.Count, field + ".agents", "Each agent is listed once.");
        return new HandoffStep(id, timeout, agents, Text(handoff, "input", field + ".input") ?? "{{input}}", Number(handoff, "maxHandoffs", field + ".maxHandoffs", 1, 20) ?? 5);
    }

    private static StepCondition Condition(JsonNode? node, string field)
    {
        Require(node is JsonObject, field, "if is an object: value and one of equals, contains, matches.");
        var condition = (JsonObject)node!;
        var value = Required(condition, "value", field + ".value");
        var operators = new[] { "equals", "contains", "matches" }.Where(condition.ContainsKey).ToList();
        Require(operators.Count == 1, field, "if has exactly one of equals, contains, matches.");
        var operand = Required(condition, operators[0], $"{field}.{operators[0]}");
        if (operators[0] == "matches")
        {
            try
            {
                _ = new Regex(operand, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException e)
            {
                throw AgentGridException.Validation($"{field}.matches", $"matches is not a valid regular expression: {e.Message}");
            }
        }

        return new StepCondition(value, operators[0], operand);
    }

    private static IEnumerable<(string StepId, string Field)> References(PlanStep step)
    {
        IEnumerable<string> texts = step switch
        {
            AgentStep a => [a.Input],
            ToolStep t => [t.Arguments.ToJsonString()],
            BranchStep b => [b.Condition.Value],
            ApprovalStep p => [p.Prompt],
            HandoffStep h => [h.Input],
            _ => [],
        };
        return texts.SelectMany(WorkflowTemplates.StepReferences).Select(id => (id, $"steps.{step.Id}"));
    }

    private static string Required(JsonObject node, string name, string field)
    {
        var text = Text(node, name, field);
        Require(!string.IsNullOrWhiteSpace(text), field, $"{name} is required.");
        Require(text!.Length <= Limits.MaxMessageLength, field, $"{name} must be at most {Limits.MaxMessageLength} characters.");
        return text;
    }

    private static string? Text(JsonObject node, string name, string field) => node[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw AgentGridException.Validation(field, $"{name} must be text."),
    };

    private static int? Number(JsonObject node, string name, string field, int min, int max) => node[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<int>(out var number) && number >= min && number <= max => number,
        _ => throw AgentGridException.Validation(field, $"{name} must be a whole number from {min} to {max}."),
    };

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw AgentGridException.Validation(field, message);
        }
    }
}
