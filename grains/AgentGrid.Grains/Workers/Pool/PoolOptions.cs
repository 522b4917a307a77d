namespace AgentGrid.Grains.Workers.Pool;

/// <summary>How worker pools route and scale (<c>AgentGrid:Pools</c>); per-model targets live in the profile's <c>scaling</c>.</summary>
public sealed class PoolOptions
{
    public const string SectionName = "AgentGrid:Pools";

    /// <summary>How often the autoscaler looks at load. Default: 2 s.</summary>
    public TimeSpan AutoscaleInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a request waits for a worker to become ready (cold start, swap) before <c>no_ready_worker</c>. Default: 2 min.</summary>
    public TimeSpan ReadyWaitTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A lease not given back within this time is dropped (its caller died). Default: 10 min.</summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A draining worker is stopped after this long even with requests still running. Default: 5 min.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class PoolOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<PoolOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, PoolOptions options)
    {
        var failures = new List<string>();
        if (options.AutoscaleInterval < TimeSpan.FromMilliseconds(50))
        {
            failures.Add($"{PoolOptions.SectionName}:AutoscaleInterval must be at least 50 ms.");
        }

        if (options.ReadyWaitTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{PoolOptions.SectionName}:ReadyWaitTimeout must be positive.");
        }

        if (options.LeaseTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{PoolOptions.SectionName}:LeaseTimeout must be at least 1 s.");
        }

        if (options.DrainTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{PoolOptions.SectionName}:DrainTimeout must be at least 1 s.");
        }

        return failures.Count > 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(failures) : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}
