using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Operations;

/// <summary>
/// Basic (or Bearer) authentication against <see cref="AdminOptions"/>. With no password configured nobody is
/// authenticated, so an unconfigured dashboard stays shut.
/// </summary>
public sealed class AdminAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory loggers, UrlEncoder encoder, IOptions<AdminOptions> admin)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, loggers, encoder)
{
    public const string SchemeName = "agentgrid-admin";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (admin.Value.Password is not { Length: > 0 } password)
        {
            return Task.FromResult(AuthenticateResult.Fail("No admin credential is configured (AgentGrid:Admin:Password)."));
        }

        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? (admin.Value.User, header[7..].Trim()) : Basic(header);
        var ok = presented is var (user, secret) && Same(user, admin.Value.User) && Same(secret, password);
        return Task.FromResult(ok
            ? AuthenticateResult.Success(new AuthenticationTicket(
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, admin.Value.User), new Claim(ClaimTypes.Role, "admin")], SchemeName)), SchemeName))
            : AuthenticateResult.Fail("Wrong admin credential."));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // Browsers ask for the credential; the body says what is wrong, with the grid's stable code.
        Response.Headers.WWWAuthenticate = "Basic realm=\"AgentGrid operations\", charset=\"UTF-8\"";
        Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status401Unauthorized;
        var detail = admin.Value.Password is { Length: > 0 }
            ? "The dashboard needs the admin credential (Basic or Bearer)."
            : "The dashboard is shut: no admin credential is configured (set AgentGrid:Admin:Password).";
        return Errors.Problems.Create(Contracts.Errors.ErrorCodes.Unauthorized, detail).ExecuteAsync(Context);
    }

    private static (string User, string Secret)? Basic(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            return text.IndexOf(':') is var colon and >= 0 ? (text[..colon], text[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
