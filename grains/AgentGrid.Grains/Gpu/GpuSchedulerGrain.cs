using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using AgentGrid.Inference.Profiles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace AgentGrid.Grains.Gpu;

/// <summary>
/// Holds the nodes' reported GPUs (volatile: nodes report again on a timer) and the reservations (stored).
/// A single activation serialises placements, so concurrent placements never over-commit a GPU.
/// </summary>
public sealed class GpuSchedulerGrain(
    [PersistentState("gpu-scheduler", GridNames.StateStore)] IPersistentState<SchedulerState> state,
    IOptions<GpuOptions> options,
    TimeProvider clock,
    ILogger<GpuSchedulerGrain> logger) : Grain, IGpuSchedulerGrain
{
    private readonly Dictionary<string, ReportedNode> _nodes = new(StringComparer.Ordinal);

    // Nodes whose silo is shutting down, with that silo: a report from another silo (the node started again) lifts it.
    private readonly Dictionary<string, string> _cordoned = new(StringComparer.Ordinal);
    private IAsyncStream<NodeCapacityEvent>? _events;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _events = this.GetStreamProvider(GridNames.StreamProvider)
            .GetStream<NodeCapacityEvent>(StreamId.Create(GridNames.NodesStreamNamespace, GridNames.ClusterStreamKey));
        return Task.CompletedTask;
    }

    public Task ReportNodeAsync(string nodeId, string silo, string discovery, IReadOnlyList<GpuDevice> gpus) =>
        ReportNodeAsync(nodeId, silo, discovery, gpus, new NodeHost(0, 0));

    public async Task ReportNodeAsync(string nodeId, string silo, string discovery, IReadOnlyList<GpuDevice> gpus, NodeHost host)
    {
        if (_cordoned.TryGetValue(nodeId, out var leaving) && leaving != silo)
        {
            _cordoned.Remove(nodeId);
        }

        var known = _nodes.TryGetValue(nodeId, out var previous);
        var changed = !known || previous!.Silo != silo || !previous.Gpus.Select(g => (g.Index, g.TotalMiB, g.UsedMiB)).SequenceEqual(gpus.Select(g => (g.Index, g.TotalMiB, g.UsedMiB)));
        _nodes[nodeId] = new ReportedNode(silo, discovery, gpus, clock.GetUtcNow(), host);
        if (changed)
        {
            logger.LogInformation("GPU node {NodeId} on {Silo}: {Count} GPUs by {Discovery}", nodeId, silo, gpus.Count, discovery);
            await PublishAsync(nodeId, known ? "node.capacity" : "node.joined", known ? "the node reported new figures" : "the node reported for the first time");
        }
    }

    public async Task<GpuReservation> ReserveAsync(string? workerId, ModelProfile profile, string? nodeId)
    {
        if (workerId is not null && state.State.Reservations.TryGetValue(workerId, out var existing) && existing.Model == profile.Name)
        {
            return existing;
        }

        var choice = Choose(workerId, profile, nodeId);
        var perGpu = profile.Resources.PerGpuMiB;
        workerId ??= WorkerKeys.New(choice.NodeId);
        var chosen = _nodes[choice.NodeId].Gpus.Where(g => choice.GpuIndexes.Contains(g.Index)).ToList();
        IReadOnlyList<string>? uuids = chosen.All(g => !string.IsNullOrEmpty(g.Uuid)) ? [.. chosen.Select(g => g.Uuid!)] : null;
        var reservation = new GpuReservation(workerId, choice.NodeId, choice.GpuIndexes, perGpu, profile.Name, uuids, chosen.Count > 0 ? chosen.Min(g => g.TotalMiB) : 0,
            profile.Resources.CpuCores, profile.Resources.RamMiB);
        state.State.Reservations[workerId] = reservation;
        await this.WriteOrDeactivateAsync(state);
        logger.LogInformation("Reserved {MiB} MiB on GPUs {Gpus} of node {NodeId} for worker {WorkerId} ({Model})",
            perGpu, string.Join(",", choice.GpuIndexes), choice.NodeId, workerId, profile.Name);
        await PublishAsync(choice.NodeId, "node.capacity", $"reserved for worker {workerId} ({profile.Name})");
        return reservation;
    }

    public Task CheckFitAsync(string workerId, ModelProfile profile, string nodeId)
    {
        Choose(workerId, profile, nodeId);
        return Task.CompletedTask;
    }

    private GpuBinPacker.Choice Choose(string? workerId, ModelProfile profile, string? nodeId)
    {
        if (_nodes.Count == 0)
        {
            throw new AgentGridException(ErrorCodes.NodeUnavailable, "No GPU node has reported its GPUs yet; try again in a moment.") { RetryAfterSeconds = 5 };
        }

        if (nodeId is not null && !_nodes.ContainsKey(nodeId))
        {
            throw new AgentGridException(ErrorCodes.NodeNotFound, $"GPU node '{nodeId}' is not known; see GET /api/nodes.", "node");
        }

        if (nodeId is not null && !IsOnline(_nodes[nodeId]))
        {
            throw new AgentGridException(ErrorCodes.NodeUnavailable, $"GPU node '{nodeId}' stopped reporting.") { RetryAfterSeconds = 15 };
        }

        if (nodeId is not null && _cordoned.ContainsKey(nodeId))
        {
            throw new AgentGridException(ErrorCodes.NodeUnavailable, $"GPU node '{nodeId}' is shutting down.") { RetryAfterSeconds = 15 };
        }

        // A worker being swapped gives its own VRAM back before the new profile is fitted.
        var schedulable = Schedulable(except: workerId);
        var free = schedulable.Where(n => HostFits(n.Key, profile, workerId)).ToDictionary();
        var perGpu = profile.Resources.PerGpuMiB;
        var choice = GpuBinPacker.Place(free, perGpu, profile.Resources.GpuCount, nodeId);
        if (choice is not null)
        {
            return choice;
        }

        if (free.Count < schedulable.Count && GpuBinPacker.Place(schedulable, perGpu, profile.Resources.GpuCount, nodeId) is not null)
        {
            throw new AgentGridException(ErrorCodes.InsufficientGpuCapacity,
                $"Model '{profile.Name}' needs {profile.Resources.CpuCores:0.##} CPU cores and {MemorySize.Format(profile.Resources.RamMiB)} of RAM beside its GPUs; " +
                $"no node {(nodeId is null ? "" : $"'{nodeId}' ")}with the GPUs free has that much left.");
        }

        var largest = free.SelectMany(n => n.Value.Select(g => (Node: n.Key, g.Index, g.FreeMiB))).OrderByDescending(g => g.FreeMiB).FirstOrDefault();
        var where = nodeId is null ? "on any node" : $"on node '{nodeId}'";
        var freeText = largest.Node is null ? "no GPU node is online" : $"the most free on one GPU is {MemorySize.Format(largest.FreeMiB)} (node '{largest.Node}', GPU {largest.Index})";
        throw new AgentGridException(ErrorCodes.InsufficientGpuCapacity,
            $"Model '{profile.Name}' needs {profile.Resources.GpuCount} GPU(s) with {MemorySize.Format(perGpu)} free each {where}; {freeText}.");
    }

    public async Task ReleaseAsync(string workerId)
    {
        if (!state.State.Reservations.Remove(workerId, out var reservation))
        {
            return;
        }

        await this.WriteOrDeactivateAsync(state);
        logger.LogInformation("Released VRAM of worker {WorkerId} on node {NodeId}", workerId, reservation.NodeId);
        await PublishAsync(reservation.NodeId, "node.capacity", $"released by worker {workerId}");
    }

    public async Task CordonAsync(string nodeId, string silo, string reason)
    {
        if (_cordoned.TryAdd(nodeId, silo))
        {
            logger.LogInformation("GPU node {NodeId} is draining: {Reason}", nodeId, reason);
            await PublishAsync(nodeId, "node.draining", reason);
        }
    }

    public Task<IReadOnlyList<GpuNode>> ListNodesAsync() =>
        Task.FromResult<IReadOnlyList<GpuNode>>([.. _nodes.Keys.Order(StringComparer.Ordinal).Select(View)]);

    public Task<IReadOnlyList<GpuReservation>> ListReservationsAsync() =>
        Task.FromResult<IReadOnlyList<GpuReservation>>([.. state.State.Reservations.Values.OrderBy(r => r.WorkerId, StringComparer.Ordinal)]);

    private Dictionary<string, IReadOnlyList<(int Index, long FreeMiB)>> Schedulable(string? except) =>
        _nodes.Where(n => IsOnline(n.Value) && !_cordoned.ContainsKey(n.Key)).ToDictionary(
            n => n.Key,
            n => (IReadOnlyList<(int, long)>)[.. Capacity(n.Key, n.Value, except).Select(c => (c.Device.Index, c.SchedulableMiB))]);

    private IEnumerable<GpuCapacity> Capacity(string nodeId, ReportedNode node, string? except)
    {
        foreach (var gpu in node.Gpus)
        {
            var onGpu = state.State.Reservations.Values.Where(r => r.NodeId == nodeId && r.GpuIndexes.Contains(gpu.Index)).ToList();
            var reserved = onGpu.Where(r => r.WorkerId != except).Sum(r => r.MiBPerGpu);
            // Memory the driver shows in use beyond all our reservations (the excepted worker's included: its model is
            // still loaded) belongs to someone else: never place on it.
            var foreign = Math.Max(0, gpu.UsedMiB - onGpu.Sum(r => r.MiBPerGpu));
            yield return new GpuCapacity(gpu, reserved, Math.Max(0, gpu.TotalMiB - reserved - foreign));
        }
    }

    private bool IsOnline(ReportedNode node) => clock.GetUtcNow() - node.ReportedAt <= options.Value.RefreshInterval * 3;

    private GpuNode View(string nodeId)
    {
        var node = _nodes[nodeId];
        return new GpuNode
        {
            NodeId = nodeId,
            Silo = node.Silo,
            Discovery = node.Discovery,
            Gpus = [.. Capacity(nodeId, node, except: null)],
            Status = !IsOnline(node) ? GpuNodeStatus.Lost : _cordoned.ContainsKey(nodeId) ? GpuNodeStatus.Draining : GpuNodeStatus.Online,
            ReportedAt = node.ReportedAt,
            CpuCores = node.Host.CpuCores,
            RamMiB = node.Host.RamMiB,
            ReservedCpuCores = ReservedHost(nodeId, null).Cpu,
            ReservedRamMiB = ReservedHost(nodeId, null).Ram,
        };
    }

    private async Task PublishAsync(string nodeId, string type, string reason)
    {
        if (_events is null || !_nodes.ContainsKey(nodeId))
        {
            return;
        }

        try
        {
            await _events.OnNextAsync(new NodeCapacityEvent(type, View(nodeId), reason, clock.GetUtcNow()));
        }
        catch (Exception e)
        {
            // Events are a notification; capacity itself is always read from this grain.
            logger.LogWarning(e, "Could not publish a capacity event for node {NodeId}", nodeId);
        }
    }

    private sealed record ReportedNode(string Silo, string Discovery, IReadOnlyList<GpuDevice> Gpus, DateTimeOffset ReportedAt, NodeHost Host);

    private (double Cpu, long Ram) ReservedHost(string nodeId, string? except) =>
        (state.State.Reservations.Values.Where(r => r.NodeId == nodeId && r.WorkerId != except).Sum(r => r.CpuCores),
         state.State.Reservations.Values.Where(r => r.NodeId == nodeId && r.WorkerId != except).Sum(r => r.RamMiB));

    /// <summary>Whether the node has the CPU and RAM the profile asks for left (a node that reports none is not checked).</summary>
    private bool HostFits(string nodeId, ModelProfile profile, string? except)
    {
        var host = _nodes[nodeId].Host;
        var (cpu, ram) = ReservedHost(nodeId, except);
        return (host.CpuCores <= 0 || profile.Resources.CpuCores <= host.CpuCores - cpu + 1e-9)
            && (host.RamMiB <= 0 || profile.Resources.RamMiB <= host.RamMiB - ram);
    }
}
