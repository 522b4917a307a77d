using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using AgentGrid.Contracts.Errors;
using AgentGrid.FrontDoor.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> (also Basic with the key as password, for the dashboard in a
/// browser, and the <c>access_token</c> query parameter on <c>/hubs</c>, which SignalR clients send for WebSockets and
/// SSE). Failures answer 401 <c>unauthenticated</c> and 403 <c>forbidden</c> as problem details.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory loggers, UrlEncoder encoder,
    KeyLookup keys, IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, loggers, encoder)
{
    public const string SchemeName = "agentgrid-key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented() is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        if (auth.Value.MetricsToken is { } token && Request.Path.StartsWithSegments("/metrics") && KeyHasher.SameSecret(presented, token))
        {
            var scrape = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "metrics"), new Claim(ClaimTypes.Role, Policies.MetricsRole)], SchemeName));
            return AuthenticateResult.Success(new AuthenticationTicket(scrape, SchemeName));
        }

        if (await keys.AuthenticateAsync(presented) is not var (key, hash))
        {
            // Unknown, revoked and expired keys look the same from outside.
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.For(key, SchemeName, hash), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = Request.Path.StartsWithSegments("/dashboard")
            ? "Bearer, Basic realm=\"AgentGrid\", charset=\"UTF-8\""
            : "Bearer";
        var detail = Presented() is null
            ? "An API key is required: send it as 'Authorization: Bearer <key>'."
            : "The API key is not valid (unknown, revoked or expired).";
        return WriteAsync(ErrorCodes.Unauthenticated, detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteAsync(ErrorCodes.Forbidden, "This key's role does not allow this operation.");

    private Task WriteAsync(string code, string detail) => OpenAi.OpenAiErrors.Applies(Context)
        ? OpenAi.OpenAiErrors.Result(code, detail).ExecuteAsync(Context)
        : Problems.Create(code, detail).ExecuteAsync(Context);

    private string? Presented()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header[7..].Trim() is { Length: > 0 } bearer ? bearer : null;
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return BasicPassword(header[6..].Trim());
        }

        return header.Length == 0 && Request.Path.StartsWithSegments("/hubs") && Request.Query["access_token"].ToString() is { Length: > 0 } token
            ? token
            : null;
    }

    private static string? BasicPassword(string encoded)
    {
        if (!KeyHasher.TryDecode(encoded, out var bytes))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(bytes);
        return text.IndexOf(':') is var colon and >= 0 && colon < text.Length - 1 ? text[(colon + 1)..] : null;
    }
}
