using System.Collections.Concurrent;
using AgentGrid.Contracts.Errors;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Identity;

/// <summary>What a tenant runs that <see cref="TenantConcurrencyOptions"/> limits.</summary>
public enum TenantWork
{
    ToolRun,
    McpCall,
    WorkflowRun,
}

/// <summary>
/// The silo's count of each tenant's work in flight (<see cref="TenantConcurrencyOptions"/>). A slot is taken without
/// waiting: one over the limit is refused with <c>rate_limited</c>, so a caller's request never hangs on another's work.
/// </summary>
public sealed class TenantWorkSlots(IOptions<TenantConcurrencyOptions> options)
{
    /// <summary>What a refusal tells the caller to wait: work of this kind usually ends within seconds.</summary>
    public const int RetryAfterSeconds = 1;

    private readonly ConcurrentDictionary<(string Tenant, TenantWork Work), int> _held = new();

    /// <summary>A slot of the tenant's, to dispose when the work ends; null when it already has as many as allowed.</summary>
    public IDisposable? TryEnter(string tenant, TenantWork work)
    {
        // The operators' tenant is not throttled by these defaults, as admins are not by the model-call ones.
        var limit = tenant == Contracts.GridNames.DefaultTenant ? 0 : LimitOf(work);
        var key = (tenant, work);
        while (true)
        {
            var held = _held.GetOrAdd(key, 0);
            if (limit > 0 && held >= limit)
            {
                return null;
            }

            if (_held.TryUpdate(key, held + 1, held))
            {
                return new Slot(this, key);
            }
        }
    }

    /// <summary>A slot, or <c>rate_limited</c> naming the limit.</summary>
    public IDisposable Enter(string tenant, TenantWork work) => TryEnter(tenant, work) ?? throw new AgentGridException(ErrorCodes.RateLimited,
        $"This tenant already has {LimitOf(work)} {Describe(work)} in flight on this silo, the most it may (AgentGrid:TenantConcurrency:{Setting(work)}); try again shortly.")
    {
        RetryAfterSeconds = RetryAfterSeconds,
    };

    /// <summary>The tenant's work of this kind in flight now on this silo (for tests and metrics).</summary>
    public int Held(string tenant, TenantWork work) => _held.GetValueOrDefault((tenant, work));

    private int LimitOf(TenantWork work) => work switch
    {
        TenantWork.ToolRun => options.Value.ToolRuns,
        TenantWork.McpCall => options.Value.McpCalls,
        _ => options.Value.WorkflowRuns,
    };

    private static string Describe(TenantWork work) => work switch
    {
        TenantWork.ToolRun => "tool runs",
        TenantWork.McpCall => "MCP tool calls",
        _ => "workflow runs executing",
    };

    private static string Setting(TenantWork work) => work switch
    {
        TenantWork.ToolRun => nameof(TenantConcurrencyOptions.ToolRuns),
        TenantWork.McpCall => nameof(TenantConcurrencyOptions.McpCalls),
        _ => nameof(TenantConcurrencyOptions.WorkflowRuns),
    };

    private void Leave((string, TenantWork) key) => _held.AddOrUpdate(key, 0, (_, held) => Math.Max(0, held - 1));

    private sealed class Slot(TenantWorkSlots slots, (string, TenantWork) key) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Leave(key);
            }
        }
    }
}
