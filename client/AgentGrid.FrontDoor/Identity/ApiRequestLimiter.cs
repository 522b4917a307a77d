using System.Threading.RateLimiting;
using AgentGrid.Contracts.Errors;
using AgentGrid.FrontDoor.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Admits each authenticated request against its key's and its tenant's <see cref="ApiLimitsOptions"/> (sliding
/// one-minute windows, six segments); one over either gets <c>429 rate_limited</c> with <c>Retry-After</c>.
/// </summary>
public sealed class ApiRequestLimiter : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ApiLimitsOptions _options;
    private readonly PartitionedRateLimiter<(string Key, string Tenant)> _limiter;

    public ApiRequestLimiter(IOptions<ApiLimitsOptions> options)
    {
        _options = options.Value;
        List<PartitionedRateLimiter<(string Key, string Tenant)>> limiters = [];
        if (_options.KeyRequestsPerMinute > 0)
        {
            limiters.Add(PartitionedRateLimiter.Create<(string Key, string Tenant), string>(caller =>
                RateLimitPartition.GetSlidingWindowLimiter(caller.Key, _ => Sliding(_options.KeyRequestsPerMinute))));
        }

        if (_options.TenantRequestsPerMinute > 0)
        {
            limiters.Add(PartitionedRateLimiter.Create<(string Key, string Tenant), string>(caller =>
                RateLimitPartition.GetSlidingWindowLimiter(caller.Tenant, _ => Sliding(_options.TenantRequestsPerMinute))));
        }

        _limiter = limiters.Count == 0
            ? PartitionedRateLimiter.Create<(string, string), string>(_ => RateLimitPartition.GetNoLimiter(""))
            : PartitionedRateLimiter.CreateChained([.. limiters]);
    }

    /// <summary>Null if the request may go on; else how long to wait.</summary>
    public TimeSpan? Refuse(HttpContext context)
    {
        var user = context.User;
        if (CallerClaims.KeyIdOf(user) is not { } key || user.FindFirst(CallerClaims.Tenant)?.Value is not { } tenant
            || (_options.ExemptAdmins && user.IsAdmin()))
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire((key, tenant));
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window / 6;
    }

    public void Dispose() => _limiter.Dispose();

    private static SlidingWindowRateLimiterOptions Sliding(int perMinute) =>
        new() { PermitLimit = perMinute, Window = Window, SegmentsPerWindow = 6, QueueLimit = 0 };
}

public static class ApiRequestLimiterExtensions
{
    /// <summary>Refuses requests over their key's or tenant's API limits; runs after authentication.</summary>
    public static IApplicationBuilder UseAgentGridApiLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.RequestServices.GetRequiredService<ApiRequestLimiter>().Refuse(context) is not { } wait)
        {
            await next(context);
            return;
        }

        var error = new AgentGridException(ErrorCodes.RateLimited,
            "This key or its tenant has made more API requests this minute than allowed (AgentGrid:ApiLimits).")
        {
            RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)),
        };
        RateLimitHeaders.Write(context.Response, error);
        await (OpenAi.OpenAiErrors.Applies(context)
            ? OpenAi.OpenAiErrors.From(error)
            : Problems.Create(error.Code, error.Message)).ExecuteAsync(context);
    });
}
