using Microsoft.Extensions.Configuration.Memory;

namespace AgentGrid.Silo;

/// <summary>
/// The embedded default's console: its banner says where it listens, where its data is, which models, profiles and GPUs
/// it has and where the admin key is, so the start-up facts it repeats are not logged at Information as well. These are
/// defaults under every other configuration source: <c>Logging:LogLevel:…</c> in appsettings, the environment or the
/// command line still wins.
/// </summary>
public static class EmbeddedLogging
{
    private static readonly string[] SaidByTheBanner =
    [
        "Microsoft.Hosting.Lifetime",
        "AgentGrid.Inference.Profiles.ProfileFiles",
        "AgentGrid.Inference.Simulator.EmbeddedSimulator",
        "AgentGrid.Grains.Storage.SqliteGrainStorage",
        "AgentGrid.Grains.Gpu.GpuNodeStartup",
        "AgentGrid.Grains.Gpu.GpuSchedulerGrain",
        "AgentGrid.FrontDoor.Identity.IdentityBootstrap",
    ];

    public static void QuietStartFacts(this IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = SaidByTheBanner.ToDictionary(category => $"Logging:LogLevel:{category}", _ => (string?)"Warning")
                // Orleans 10.4.2's watchdog can report, at its first tick, a participant check "stalled" for as long as the
                // machine has been up (its timestamp starts at zero): a false alarm a new user would meet on a laptop.
                .Append(KeyValuePair.Create("Logging:LogLevel:Orleans.Runtime.Watchdog", (string?)"Error"))
                .ToDictionary(),
        });
}
