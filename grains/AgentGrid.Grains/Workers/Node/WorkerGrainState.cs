using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;

namespace AgentGrid.Grains.Workers.Node;

[GenerateSerializer, Alias("agentgrid.worker-state")]
public sealed class WorkerGrainState
{
    [Id(0)] public WorkerInfo? Info { get; set; }
    [Id(1)] public ModelProfile? Profile { get; set; }
    [Id(2)] public GpuReservation? Reservation { get; set; }
}
