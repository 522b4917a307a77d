namespace AgentGrid.FrontDoor.Host;

/// <summary>How a stand-alone front door finds its cluster (<c>AgentGrid:Cluster</c>, the same section the silos read).</summary>
public sealed class FrontDoorClusterOptions
{
    public const string SectionName = "AgentGrid:Cluster";

    /// <summary>StackExchange.Redis connection string of the cluster's membership. Required.</summary>
    public string Redis { get; set; } = "";

    /// <summary>Default: <c>agentgrid</c>; must match the silos.</summary>
    public string ServiceId { get; set; } = "agentgrid";

    /// <summary>Default: <c>agentgrid</c>; must match the silos.</summary>
    public string ClusterId { get; set; } = "agentgrid";

    /// <summary>How long a grain call may take, a whole chat turn included. Default: 5 minutes.</summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Checks <see cref="FrontDoorClusterOptions"/>, listing every problem.</summary>
public sealed class FrontDoorClusterOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<FrontDoorClusterOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, FrontDoorClusterOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            problems.Add($"{FrontDoorClusterOptions.SectionName}:Redis is required: the Redis that holds the cluster's membership (e.g. localhost:6379).");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId) || string.IsNullOrWhiteSpace(options.ClusterId))
        {
            problems.Add($"{FrontDoorClusterOptions.SectionName}:ServiceId and ClusterId must not be empty (they must match the silos').");
        }

        if (options.GrainCallTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{FrontDoorClusterOptions.SectionName}:GrainCallTimeout must be positive.");
        }

        return problems.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems);
    }
}
