namespace AgentGrid.Contracts.Usage;

/// <summary>One model call, as the ledger records it and the <c>usage</c> stream announces it.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.usage-record")]
public sealed record UsageRecord
{
    [Id(0)] public required string Tenant { get; init; }

    /// <summary>The API key the call was made with; null for calls the grid made by itself.</summary>
    [Id(1)] public string? KeyId { get; init; }

    [Id(2)] public string? AgentId { get; init; }
    [Id(3)] public required string Model { get; init; }

    /// <summary>What made the call: <c>session</c> or <c>completion</c> (stateless <c>/v1</c>).</summary>
    [Id(4)] public required string Source { get; init; }

    [Id(5)] public long InputTokens { get; init; }
    [Id(6)] public long OutputTokens { get; init; }
    [Id(7)] public long CachedTokens { get; init; }
    [Id(8)] public decimal CostUsd { get; init; }
    [Id(9)] public double? TimeToFirstTokenMs { get; init; }
    [Id(10)] public double TotalMs { get; init; }
    [Id(11)] public required DateTimeOffset At { get; init; }
}
