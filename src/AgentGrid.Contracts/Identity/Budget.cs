using System.Text.Json.Serialization;

namespace AgentGrid.Contracts.Identity;

/// <summary>A spending cap per period: tokens, cost in USD, or both; null means no cap of that kind.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.budget")]
public sealed record Budget
{
    /// <summary>Input plus output tokens per period.</summary>
    [Id(0)] public long? Tokens { get; init; }

    /// <summary>Cost per period, from the model's prices per million input and output tokens.</summary>
    [Id(1)] public decimal? CostUsd { get; init; }

    [Id(2)] public BudgetPeriod Period { get; init; } = BudgetPeriod.Month;

    public bool IsEmpty => Tokens is null && CostUsd is null;
}

/// <summary>When a budget starts again: each UTC day, each UTC calendar month, or never.</summary>
[GenerateSerializer, Alias("agentgrid.budget-period")]
[JsonConverter(typeof(JsonStringEnumConverter<BudgetPeriod>))]
public enum BudgetPeriod
{
    [JsonStringEnumMemberName("day")] Day = 0,
    [JsonStringEnumMemberName("month")] Month = 1,
    [JsonStringEnumMemberName("total")] Total = 2,
}
