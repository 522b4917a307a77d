using System.Globalization;
using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Inference.Profiles;

namespace AgentGrid.Grains.Workers.Node.Runtimes;

/// <summary>What a launcher needs to build one server's command line: the profile, its reservation, and what the node chose.</summary>
public sealed record LaunchContext(
    ModelProfile Profile,
    GpuReservation Reservation,
    string BindAddress,
    int Port,
    string ApiKey,
    string CacheDirectory,
    string RunDirectory,
    IReadOnlyList<int> AuxiliaryPorts)
{
    /// <summary>The name requests use: the profile's name where the runtime can serve under a name of our choosing.</summary>
    public string ServedModel => Profile.Name;

    /// <summary>The GPUs as <c>CUDA_VISIBLE_DEVICES</c> names them: UUIDs where discovered, else indexes.</summary>
    public string Gpus => Reservation.GpuUuids is { Count: > 0 } uuids ? string.Join(",", uuids) : string.Join(",", Reservation.GpuIndexes);

    public int GpuCount => Math.Max(1, Reservation.GpuIndexes.Count);

    /// <summary>The reserved share of each GPU's memory (0.01-0.99, rounded down), or null when the GPUs' size is unknown.</summary>
    public double? MemoryFraction => Reservation.GpuTotalMiB > 0
        ? Math.Clamp(Math.Floor(100d * Reservation.MiBPerGpu / Reservation.GpuTotalMiB) / 100, 0.01, 0.99)
        : null;

    public string? MemoryFractionText => MemoryFraction?.ToString("0.00", CultureInfo.InvariantCulture);

    public int? ContextWindow => ModelParameterNames.ContextWindow(Profile.Parameters);

    public string? Parameter(string key) => Profile.Parameters.GetValueOrDefault(key);

    /// <summary>The profile's block for <paramref name="runtime"/>, or an empty one.</summary>
    public RuntimeSettings Block(string runtime) => Profile.RuntimeBlocks.GetValueOrDefault(runtime) ?? new RuntimeSettings(new Dictionary<string, string>(), []);

    /// <summary>Whether the weights are a path on the node (checked before the server starts).</summary>
    public bool IsLocalSource => Profile.Source.Type == "local";

    public bool IsEmbedding => Profile.Can(ModelCapabilities.Embeddings);

    /// <summary>Requests a server must accept so the pool's admissions are never refused: running and queued.</summary>
    public int Admitted => Profile.Performance.MaxConcurrentRequests + Profile.Performance.MaxQueue;
}
