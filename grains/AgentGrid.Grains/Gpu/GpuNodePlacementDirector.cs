using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Workers;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace AgentGrid.Grains.Gpu;

/// <summary>Finds the silo whose metadata names the grain's node; <c>node_unavailable</c> when no live silo does.</summary>
public sealed class GpuNodePlacementDirector(ISiloMetadataCache metadata, Microsoft.Extensions.Options.IOptions<GpuOptions> options) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var node = WorkerKeys.NodeOf(target.GrainIdentity.Key.ToString()!);
        // This silo's own node: known without waiting for the metadata cache, which fills in after start-up.
        if (node == options.Value.NodeId)
        {
            return Task.FromResult(context.LocalSilo);
        }

        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (metadata.GetSiloMetadata(silo).Metadata.TryGetValue(GridNames.GpuNodeMetadataKey, out var hosted) && hosted == node)
            {
                return Task.FromResult(silo);
            }
        }

        throw new AgentGridException(ErrorCodes.NodeUnavailable, $"No running silo hosts GPU node '{node}'.");
    }
}
