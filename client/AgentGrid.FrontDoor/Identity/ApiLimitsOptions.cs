using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Requests per minute over the whole API (control plane, <c>/v1</c>, MCP, hubs' connects), per key and per tenant,
/// bound from <c>AgentGrid:ApiLimits</c>. They are counted by each front door on its own: with N front doors a key
/// may make up to N times as many. Model calls are also limited, cluster-wide and in tokens, by the keys' and
/// tenants' own limits.
/// </summary>
public sealed class ApiLimitsOptions
{
    public const string SectionName = "AgentGrid:ApiLimits";

    /// <summary>Requests one key may make per minute; 0 for no limit. Default: 1200.</summary>
    public int KeyRequestsPerMinute { get; set; } = 1200;

    /// <summary>Requests all keys of one tenant may make per minute; 0 for no limit. Default: 6000.</summary>
    public int TenantRequestsPerMinute { get; set; } = 6000;

    /// <summary>Whether admin keys are left out of both limits (operators and benchmarks). Default: true.</summary>
    public bool ExemptAdmins { get; set; } = true;
}

public sealed class ApiLimitsOptionsValidator : IValidateOptions<ApiLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiLimitsOptions options)
    {
        var failures = new List<string>();
        if (options.KeyRequestsPerMinute < 0)
        {
            failures.Add($"{ApiLimitsOptions.SectionName}:KeyRequestsPerMinute must be 0 (no limit) or more.");
        }

        if (options.TenantRequestsPerMinute < 0)
        {
            failures.Add($"{ApiLimitsOptions.SectionName}:TenantRequestsPerMinute must be 0 (no limit) or more.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
