using System.Globalization;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using Microsoft.AspNetCore.Http;

namespace AgentGrid.FrontDoor.Errors;

/// <summary>
/// <c>Retry-After</c>, <c>x-should-retry</c> and OpenAI's <c>x-ratelimit-*</c> headers for a refusal, so SDKs back
/// off when waiting helps and stop when it cannot (an exhausted budget).
/// </summary>
public static class RateLimitHeaders
{
    public static void Write(HttpResponse response, AgentGridException error)
    {
        var headers = response.Headers;
        if (error.RetryAfterSeconds is { } retryAfter)
        {
            headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        if (error.ShouldRetry is { } retry)
        {
            headers["x-should-retry"] = retry ? "true" : "false";
        }

        if (error.RateLimit is { } state)
        {
            Write(headers, state);
        }
    }

    public static void Write(IHeaderDictionary headers, RateLimitState state)
    {
        if (state.LimitRequests is { } limitRequests)
        {
            headers["x-ratelimit-limit-requests"] = limitRequests.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining-requests"] = (state.RemainingRequests ?? 0).ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset-requests"] = Duration(state.ResetRequestsSeconds ?? 0);
        }

        if (state.LimitTokens is { } limitTokens)
        {
            headers["x-ratelimit-limit-tokens"] = limitTokens.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining-tokens"] = (state.RemainingTokens ?? 0).ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset-tokens"] = Duration(state.ResetTokensSeconds ?? 0);
        }
    }

    // OpenAI writes durations such as "1s" or "6m0s".
    private static string Duration(double seconds)
    {
        var whole = (int)Math.Ceiling(seconds);
        return whole >= 60 ? $"{whole / 60}m{whole % 60}s" : $"{whole}s";
    }
}
