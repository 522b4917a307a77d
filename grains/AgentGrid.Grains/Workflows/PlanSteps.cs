using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentGrid.Grains.Workflows;

/// <summary>A step of a workflow, as its definition says; <see cref="WorkflowPlan.Parse"/> builds and checks them.</summary>
internal abstract record PlanStep(string Id, int? TimeoutSeconds)
{
    public abstract string Kind { get; }

    public virtual IEnumerable<PlanStep> Children => [];
}

internal sealed record AgentStep(string Id, int? TimeoutSeconds, string Agent, string Input) : PlanStep(Id, TimeoutSeconds)
{
    public override string Kind => "agent";
}

internal sealed record ToolStep(string Id, int? TimeoutSeconds, string Tool, JsonObject Arguments) : PlanStep(Id, TimeoutSeconds)
{
    public override string Kind => "tool";
}

internal sealed record SequenceStep(string Id, int? TimeoutSeconds, IReadOnlyList<PlanStep> Steps) : PlanStep(Id, TimeoutSeconds)
{
    public override string Kind => "sequence";
    public override IEnumerable<PlanStep> Children => Steps;
}

internal sealed record ParallelStep(string Id, int? TimeoutSeconds, IReadOnlyList<PlanStep> Steps) : PlanStep(Id, TimeoutSeconds)
{
    public override string Kind => "parallel";
    public override IEnumerable<PlanStep> Children => Steps;
}

internal sealed record BranchStep(string Id, int? TimeoutSeconds, StepCondition Condition, IReadOnlyList<PlanStep> Then, IReadOnlyList<PlanStep> Else)
    : PlanStep(Id, TimeoutSeconds)
{
    public override string Kind => "if";
    public override IEnumerable<PlanStep> Children => Then.Concat(Else);
}

internal sealed record ApprovalStep(string Id, int? TimeoutSeconds, string Prompt) : PlanStep(Id, TimeoutSeconds)
{
    public override string Kind => "approval";
}

internal sealed record HandoffStep(string Id, int? TimeoutSeconds, IReadOnlyList<string> Agents, string Input, int MaxHandoffs) : PlanStep(Id, TimeoutSeconds)
{
    public override string Kind => "handoff";
}

/// <summary>A branch's test: a rendered value that <c>equals</c>, <c>contains</c> or <c>matches</c> (a regex) an operand.</summary>
internal sealed record StepCondition(string Value, string Operator, string Operand)
{
    public bool Holds(string value) => Operator switch
    {
        "equals" => string.Equals(value.Trim(), Operand, StringComparison.OrdinalIgnoreCase),
        "contains" => value.Contains(Operand, StringComparison.OrdinalIgnoreCase),
        _ => Regex.IsMatch(value, Operand, RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(100)),
    };
}
