namespace AgentGrid.FrontDoor.Workers;

/// <summary>Start a worker for a model profile (or <see cref="Replicas"/> of them), on a given node or wherever each fits best.</summary>
public sealed record StartWorkerRequest(string? Model, string? Node, int? Replicas = null)
{
    public const int MaxReplicas = 64;
}

/// <summary>Reload a worker with another profile.</summary>
public sealed record SwapWorkerRequest(string? Profile);

/// <summary>Pin a pool's replica count; null clears the pin.</summary>
public sealed record ScalePoolRequest(int? Replicas);

/// <summary>The last lines a worker's model server wrote (empty for an attached server).</summary>
public sealed record WorkerLogs(string WorkerId, string Model, string State, IReadOnlyList<string> Lines)
{
    public const int MaxLines = 1000;
}
