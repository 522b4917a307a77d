namespace AgentGrid.FrontDoor.Workers;

/// <summary>Start a worker for a model profile, on a given node or wherever it fits best.</summary>
public sealed record StartWorkerRequest(string? Model, string? Node);

/// <summary>Reload a worker with another profile.</summary>
public sealed record SwapWorkerRequest(string? Profile);
