using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Identity;

/// <summary>
/// How many of each kind of thing one tenant may hold, bound from <c>AgentGrid:TenantCaps</c>; 0 means no limit.
/// Each is enforced by the tenant's index grain of that kind, which serializes its creates.
/// </summary>
public sealed class TenantCapsOptions
{
    public const string SectionName = "AgentGrid:TenantCaps";

    /// <summary>The largest cap that may be set; beyond it a tenant's index grain would be too large to write at once.</summary>
    public const int MaxCap = 100_000;

    /// <summary>Knowledge bases per tenant. Default: 100.</summary>
    public int KnowledgeBases { get; set; } = 100;

    /// <summary>Tools per tenant, those of attached MCP servers included. Default: 500.</summary>
    public int Tools { get; set; } = 500;

    /// <summary>Agents per tenant. Default: 500.</summary>
    public int Agents { get; set; } = 500;

    /// <summary>Versions one agent may have; past it, updates and rollbacks are refused. Default: 1,000.</summary>
    public int AgentVersions { get; set; } = 1000;

    /// <summary>Workflows per tenant. Default: 200.</summary>
    public int Workflows { get; set; } = 200;

    /// <summary>Attached MCP servers per tenant. Default: 50.</summary>
    public int McpServers { get; set; } = 50;

    /// <summary>Documents in all of one tenant's knowledge bases together (a new version of a name is no new one). Default: 10,000.</summary>
    public int Documents { get; set; } = 10_000;

    /// <summary>
    /// Bytes of uploaded files one tenant's knowledge bases keep, summed over their current documents (as uploaded, before
    /// extraction); 0 for no limit. Default: 10 GiB.
    /// </summary>
    public long StoredBytes { get; set; } = 10L << 30;

    internal IEnumerable<(string Name, int Value)> All() =>
    [
        (nameof(KnowledgeBases), KnowledgeBases), (nameof(Tools), Tools), (nameof(Agents), Agents),
        (nameof(AgentVersions), AgentVersions), (nameof(Workflows), Workflows), (nameof(McpServers), McpServers),
    ];

    /// <summary>The largest <see cref="Documents"/> that may be set: documents are counted per knowledge base, not listed.</summary>
    public const int MaxDocuments = 10_000_000;
}

public sealed class TenantCapsOptionsValidator : IValidateOptions<TenantCapsOptions>
{
    public ValidateOptionsResult Validate(string? name, TenantCapsOptions options)
    {
        var failures = options.All()
            .Where(cap => cap.Value is < 0 or > TenantCapsOptions.MaxCap)
            .Select(cap => $"{TenantCapsOptions.SectionName}:{cap.Name} must be between 0 (no limit) and {TenantCapsOptions.MaxCap}.")
            .ToList();
        if (options.Documents is < 0 or > TenantCapsOptions.MaxDocuments)
        {
            failures.Add($"{TenantCapsOptions.SectionName}:Documents must be between 0 (no limit) and {TenantCapsOptions.MaxDocuments}.");
        }

        if (options.StoredBytes < 0)
        {
            failures.Add($"{TenantCapsOptions.SectionName}:StoredBytes must be 0 (no limit) or more.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
