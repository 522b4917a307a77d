namespace AgentGrid.Inference.Providers;

/// <summary>What a model costs, in USD per million input and output tokens.</summary>
public sealed class ModelPrice
{
    public decimal InputPerMillionUsd { get; set; }

    public decimal OutputPerMillionUsd { get; set; }

    public decimal Cost(long inputTokens, long outputTokens) =>
        (inputTokens * InputPerMillionUsd + outputTokens * OutputPerMillionUsd) / 1_000_000m;
}
