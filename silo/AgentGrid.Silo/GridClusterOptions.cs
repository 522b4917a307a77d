using Microsoft.Extensions.Options;

namespace AgentGrid.Silo;

/// <summary>Cluster mode (<c>AgentGrid:Mode=Cluster</c>): Redis membership, PostgreSQL state, bound from <c>AgentGrid:Cluster</c>.</summary>
public sealed class GridClusterOptions
{
    public const string SectionName = "AgentGrid:Cluster";

    /// <summary>StackExchange.Redis connection string for membership, e.g. <c>localhost:6379</c>. Required.</summary>
    public string Redis { get; set; } = "";

    /// <summary>Npgsql connection string for grain state, stream subscriptions and reminders. Required.</summary>
    public string Postgres { get; set; } = "";

    /// <summary>Orleans service id; it scopes the stored state. Default: <c>agentgrid</c>.</summary>
    public string ServiceId { get; set; } = "agentgrid";

    /// <summary>Orleans cluster id; silos and front doors with the same one form a cluster. Default: <c>agentgrid</c>.</summary>
    public string ClusterId { get; set; } = "agentgrid";

    /// <summary>Silo-to-silo port. Default: 11111 (give each silo on one machine its own).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port for front doors (Orleans clients). Default: 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this silo at. Default: 127.0.0.1 (set the pod IP in Kubernetes).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Apply the database scripts at start-up (idempotent). Default: true; else run <c>agentgrid-silo db migrate</c>.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Also serve the front door from this silo (on <c>Urls</c>). Default: false: the front door runs as its own process.</summary>
    public bool HostFrontDoor { get; set; }

    /// <summary>
    /// Running in Kubernetes: Orleans Kubernetes hosting takes the pod's identity and address and deletes the pods of
    /// silos membership declared dead (needs the RBAC in k8s/). Default: false.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>How long a grain call may take, a whole chat turn included. Default: 5 minutes.</summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Membership probe timeout: a silo that misses <see cref="MissedProbesLimit"/> probes in a row is voted dead, and its
    /// grains come back on the others. Default: 2 s (Orleans: 5 s), so a killed silo is declared dead in about 10 s.
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes before a silo is suspected. Default: 3.</summary>
    public int MissedProbesLimit { get; set; } = 3;
}

/// <summary>Checks <see cref="GridClusterOptions"/>, listing every problem.</summary>
public sealed class GridClusterOptionsValidator : IValidateOptions<GridClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, GridClusterOptions options)
    {
        var problems = Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static IEnumerable<string> Problems(GridClusterOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            yield return $"{GridClusterOptions.SectionName}:Redis is required in cluster mode (e.g. localhost:6379).";
        }

        if (string.IsNullOrWhiteSpace(options.Postgres))
        {
            yield return $"{GridClusterOptions.SectionName}:Postgres is required in cluster mode (e.g. Host=localhost;Database=agentgrid;Username=agentgrid;Password=...).";
        }

        if (options.SiloPort is < 1 or > 65535 || options.GatewayPort is < 1 or > 65535 || options.SiloPort == options.GatewayPort)
        {
            yield return $"{GridClusterOptions.SectionName}:SiloPort and GatewayPort must be distinct ports between 1 and 65535.";
        }

        if (!System.Net.IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            yield return $"{GridClusterOptions.SectionName}:AdvertisedAddress must be an IP address (was '{options.AdvertisedAddress}').";
        }

        if (options.ProbeTimeout < TimeSpan.FromMilliseconds(100) || options.MissedProbesLimit < 1)
        {
            yield return $"{GridClusterOptions.SectionName}: ProbeTimeout must be at least 100 ms and MissedProbesLimit at least 1.";
        }
    }
}
