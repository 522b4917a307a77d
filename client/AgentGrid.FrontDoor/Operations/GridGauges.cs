using System.Diagnostics.Metrics;
using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentGrid.FrontDoor.Operations;

/// <summary>
/// Cluster-wide gauges for <c>/metrics</c>: workers per state, queue depth, and GPU memory per node, read from the
/// scheduler and the worker pools every <c>AgentGrid:Metrics:GridRefresh</c> (10 s; never on a scrape, so scrapes cost the grid nothing).
/// </summary>
public sealed class GridGauges : BackgroundService
{
    public const string MeterName = "AgentGrid.Grid";
    private readonly IGrainFactory _grains;
    private readonly ILogger<GridGauges> _logger;
    private volatile Snapshot _snapshot = new([], [], []);

    private readonly TimeSpan _refresh;

    public GridGauges(IGrainFactory grains, IMeterFactory meters, ILogger<GridGauges> logger, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        _grains = grains;
        // AgentGrid:Metrics:GridRefresh, default 10 s.
        _refresh = configuration.GetValue("AgentGrid:Metrics:GridRefresh", TimeSpan.FromSeconds(10));
        _logger = logger;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("agentgrid.workers", () => _snapshot.Workers, "{worker}", "Inference workers by model and state.");
        meter.CreateObservableGauge("agentgrid.pool.queued", () => _snapshot.Queued, "{request}", "Requests waiting in workers' queues, by model.");
        meter.CreateObservableGauge("agentgrid.gpu.memory", () => _snapshot.Memory, "MiBy", "GPU memory by node, GPU and kind (total, used, reserved, schedulable).");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_refresh);
        do
        {
            try
            {
                _snapshot = await ReadAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogDebug(e, "Grid gauges not refreshed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<Snapshot> ReadAsync()
    {
        var nodes = await _grains.GetGrain<IGpuSchedulerGrain>(0).ListNodesAsync();
        var profiles = await _grains.GetGrain<IProfileRegistryGrain>(0).ListAsync();
        var pools = await Task.WhenAll(profiles.Select(p => _grains.GetGrain<IWorkerPoolGrain>(p.Name).GetStatusAsync()));
        var workers = pools.SelectMany(p => p.Workers.GroupBy(w => w.Worker.State)
            .Select(g => new Measurement<long>(g.Count(), new("model", p.Model), new("state", g.Key)))).ToList();
        var queued = pools.Select(p => new Measurement<long>(p.Workers.Sum(w => w.Load?.Queued ?? 0), new KeyValuePair<string, object?>("model", p.Model))).ToList();
        var memory = nodes.SelectMany(n => n.Gpus.SelectMany(g => new[]
        {
            Gpu(n, g, "total", g.Device.TotalMiB), Gpu(n, g, "used", g.Device.UsedMiB),
            Gpu(n, g, "reserved", g.ReservedMiB), Gpu(n, g, "schedulable", g.SchedulableMiB),
        })).ToList();
        return new Snapshot(workers, queued, memory);
    }

    private static Measurement<long> Gpu(GpuNode node, GpuCapacity gpu, string kind, long value) =>
        new(value, new("node", node.NodeId), new("gpu", gpu.Device.Index), new("kind", kind));

    private sealed record Snapshot(List<Measurement<long>> Workers, List<Measurement<long>> Queued, List<Measurement<long>> Memory);
}
