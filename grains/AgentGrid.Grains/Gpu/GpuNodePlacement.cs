using Orleans.Placement;
using Orleans.Runtime;

namespace AgentGrid.Grains.Gpu;

/// <summary>
/// Places a grain on the silo that hosts the GPU node named in its key: a <c>GpuNodeGrain</c> keyed by the
/// node id, an <c>InferenceWorkerGrain</c> keyed <c>w-{id}@{node}</c>. The scheduler chose the node; placement
/// only follows that choice, so a worker always runs next to its model server.
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.gpu-node-placement")]
public sealed class GpuNodePlacement : PlacementStrategy
{
    public static readonly GpuNodePlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class GpuNodePlacementAttribute() : PlacementAttribute(GpuNodePlacement.Instance);
