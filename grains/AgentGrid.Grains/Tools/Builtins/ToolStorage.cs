using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>
/// The built-in <c>files</c> and <c>sqlite</c> tools' data: a folder per tenant under <c>AgentGrid:Tools:DataRoot</c>,
/// capped per tenant (<c>MaxTenantBytes</c>, <c>MaxTenantFiles</c>) and for the whole root (<c>MaxTotalBytes</c>,
/// <c>MaxTotalFiles</c>). One per silo; every silo of a cluster points at the same volume, so a tool sees the same data
/// on whichever silo it runs.
/// </summary>
/// <remarks>
/// Usage is counted, not walked on every write: each silo scans a tenant's folder once, then adds its own writes, and
/// scans again at the first write after <c>TenantUsageRefresh</c> (the whole root after <c>TotalUsageRefresh</c>) to see
/// what other silos wrote. A silo's own writes of one tenant are serialised, so on one silo the caps are exact; silos
/// writing one tenant at the same moment can together pass its cap by what was left at their last scans, for at most
/// one refresh, after which the tenant's writes are refused until it deletes. <c>MaxTotalBytes</c> is therefore meant to
/// sit below the volume's size; a volume that fills anyway refuses the write with the same code, never half-written.
/// </remarks>
public sealed class ToolStorage
{
    private readonly ConcurrentDictionary<string, TenantSpace> _tenants = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public ToolStorage(IOptions<ToolOptions> options, TimeProvider time)
    {
        Options = options.Value;
        _time = time;
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Options.DataRoot));
        Total = new UsageCounter(Root, Options.TotalUsageRefresh, time);
    }

    /// <summary>The folder that holds every tenant's tool data.</summary>
    public string Root { get; }

    internal ToolOptions Options { get; }

    internal UsageCounter Total { get; }

    /// <summary>One tenant's tool data: the same object for every call on this silo, so its writes share one lock and count.</summary>
    public TenantSpace For(string tenant)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        // Hex of the tenant id: always one folder directly under the root, distinct even where names ignore case.
        return _tenants.GetOrAdd(tenant, t => new TenantSpace(this, Path.Combine(Root, Convert.ToHexStringLower(Encoding.UTF8.GetBytes(t))), _time));
    }
}
