using AgentGrid.Contracts.Gpu;

namespace AgentGrid.Grains.Gpu;

/// <summary>The scheduler's durable part: every VRAM reservation, by worker id.</summary>
[GenerateSerializer, Alias("agentgrid.scheduler-state")]
public sealed class SchedulerState
{
    [Id(0)] public Dictionary<string, GpuReservation> Reservations { get; set; } = [];
}
