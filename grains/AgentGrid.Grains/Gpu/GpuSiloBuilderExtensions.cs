using AgentGrid.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace AgentGrid.Grains.Gpu;

public static class GpuSiloBuilderExtensions
{
    /// <summary>
    /// Makes this silo a GPU node: it advertises its node id as silo metadata, places GPU node and inference
    /// worker grains by node, starts its node's discovery when the silo is up, and drains its workers when it stops.
    /// </summary>
    public static ISiloBuilder AddAgentGridGpu(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(GpuOptions.SectionName).Get<GpuOptions>() ?? new GpuOptions();
        silo.UseSiloMetadata(new Dictionary<string, string> { [GridNames.GpuNodeMetadataKey] = options.NodeId });
        silo.AddPlacementDirector<GpuNodePlacement, GpuNodePlacementDirector>();
        silo.Services.AddSingleton<GpuNodeStartup>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<GpuNodeStartup>());
        silo.Services.AddSingleton<Workers.Node.OrphanServerSweep>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<Workers.Node.OrphanServerSweep>());
        silo.Services.AddSingleton<Workers.Node.WorkerShutdownDrain>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<Workers.Node.WorkerShutdownDrain>());
        // The host waits for the drain, with time left for the rest of the shutdown.
        silo.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o =>
            o.ShutdownTimeout = Max(o.ShutdownTimeout, options.ShutdownDrainTimeout + TimeSpan.FromSeconds(30)));
        return silo;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
