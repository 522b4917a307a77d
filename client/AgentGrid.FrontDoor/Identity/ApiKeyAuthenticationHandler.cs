using System.Security.Claims;
using System.Text.Encodings.Web;
using AgentGrid.Contracts.Errors;
using AgentGrid.FrontDoor.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Authenticates the key a request presents (<see cref="PresentedKey"/>). Failures answer 401 <c>unauthenticated</c>
/// and 403 <c>forbidden</c> as problem details; a client address that failed too often (<see cref="AuthFailureLimiter"/>)
/// gets 429 <c>rate_limited</c> with <c>Retry-After</c> for any key this front door does not already know to be valid.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory loggers, UrlEncoder encoder,
    KeyLookup keys, HubTickets tickets, AuthFailureLimiter failures, AuthMetrics metrics, IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, loggers, encoder)
{
    public const string SchemeName = "agentgrid-key";

    private TimeSpan? _throttledFor;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey.Of(Request) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        if (auth.Value.MetricsToken is { } token && Request.Path.StartsWithSegments("/metrics") && KeyHasher.SameSecret(presented, token))
        {
            var scrape = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "metrics"), new Claim(ClaimTypes.Role, Policies.MetricsRole)], SchemeName));
            return AuthenticateResult.Success(new AuthenticationTicket(scrape, SchemeName));
        }

        var client = AuthFailureLimiter.ClientOf(Context.Connection.RemoteIpAddress);
        var throttledFor = failures.ThrottledFor(client);
        // A throttled address still gets in with a key known here (clients behind one NAT are not locked out by a
        // neighbour's guessing); anything else it presents costs at most a hash, never a grain call.
        if (await FindAsync(presented, knownOnly: throttledFor is not null) is var (key, hash))
        {
            return AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.For(key, SchemeName, hash), SchemeName));
        }

        if (throttledFor is null)
        {
            failures.Failed(client);
        }

        _throttledFor = throttledFor;
        metrics.Refused(throttled: throttledFor is not null);
        // Unknown, revoked and expired keys look the same from outside.
        return AuthenticateResult.Fail("The API key is not valid.");
    }

    /// <summary>A key, or on <c>/hubs</c> a ticket whose key is still usable; a ticket anywhere else is no credential.</summary>
    private async Task<(Contracts.Identity.ApiKey Key, string Hash)?> FindAsync(string presented, bool knownOnly)
    {
        if (!HubTickets.IsTicket(presented))
        {
            return await keys.AuthenticateAsync(presented, knownOnly);
        }

        return PresentedKey.IsHub(Request) && tickets.KeyHashOf(presented) is { } hash && await keys.FindByHashAsync(hash, knownOnly) is { } key
            ? (key, hash)
            : null;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_throttledFor is { } wait)
        {
            var throttled = new AgentGridException(ErrorCodes.RateLimited, "Too many failed authentications from this address; try again later.")
            {
                RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)),
            };
            RateLimitHeaders.Write(Response, throttled);
            return WriteAsync(throttled.Code, throttled.Message);
        }

        Response.Headers.WWWAuthenticate = Request.Path.StartsWithSegments("/dashboard")
            ? "Bearer, Basic realm=\"AgentGrid\", charset=\"UTF-8\""
            : "Bearer";
        var detail = PresentedKey.Of(Request) switch
        {
            null when PresentedKey.KeyInQuery(Request) =>
                "API keys are not taken from query strings (proxies log them): send 'Authorization: Bearer <key>', or on /hubs a ticket from POST /api/hub-tickets as access_token.",
            null => "An API key is required: send it as 'Authorization: Bearer <key>'.",
            { } presented when HubTickets.IsTicket(presented) => "The hub ticket is not valid (expired, not for this path, or its key was revoked): ask POST /api/hub-tickets for another.",
            _ => "The API key is not valid (unknown, revoked or expired).",
        };
        return WriteAsync(ErrorCodes.Unauthenticated, detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteAsync(ErrorCodes.Forbidden, "This key's role does not allow this operation.");

    private Task WriteAsync(string code, string detail) => OpenAi.OpenAiErrors.Applies(Context)
        ? OpenAi.OpenAiErrors.Result(code, detail).ExecuteAsync(Context)
        : Problems.Create(code, detail).ExecuteAsync(Context);
}
