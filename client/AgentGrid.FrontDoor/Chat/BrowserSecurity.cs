using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Chat;

/// <summary>
/// The browser surface: an explicit CORS policy (only <see cref="BrowserOptions.AllowedOrigins"/>), security headers
/// on every response (a strict content security policy that forbids framing and inline script), and an <c>Origin</c>
/// check on the SignalR hub, whose WebSocket handshake browsers send cross-site without asking CORS.
/// </summary>
public static class BrowserSecurity
{
    public const string CorsPolicy = "agentgrid-browser";

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    public static IServiceCollection AddAgentGridBrowserSecurity(this IServiceCollection services)
    {
        services.AddOptions<BrowserOptions>().BindConfiguration(BrowserOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BrowserOptions>, BrowserOptionsValidator>();
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<BrowserOptions>>((cors, browser) => cors.AddPolicy(CorsPolicy, policy =>
            {
                if (browser.Value.AllowedOrigins.Count > 0)
                {
                    policy.WithOrigins([.. browser.Value.AllowedOrigins]).AllowAnyHeader().AllowAnyMethod()
                        .WithExposedHeaders("Retry-After", "x-should-retry", "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests",
                            "x-ratelimit-reset-requests", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens");
                }
            }));
        return services;
    }

    public static WebApplication UseAgentGridBrowserSecurity(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            // The Orleans dashboard is a third-party page with inline script: it gets the headers but its own CSP.
            if (!context.Request.Path.StartsWithSegments("/dashboard"))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
            }

            if (context.Request.Path.StartsWithSegments("/hubs") && !OriginAllowed(context))
            {
                await Errors.Problems.Create(Contracts.Errors.ErrorCodes.Forbidden,
                    "This origin may not open the hub; add it to AgentGrid:Browser:AllowedOrigins.").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        app.UseCors(CorsPolicy);
        return app;
    }

    /// <summary>
    /// No Origin (not a browser), the page's own host, or a configured origin. The host is compared without the
    /// scheme: behind a proxy that ends TLS the request arrives as http while the browser's origin is https.
    /// </summary>
    private static bool OriginAllowed(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        return (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
            || context.RequestServices.GetRequiredService<IOptions<BrowserOptions>>().Value.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
    }

    internal static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && !value.EndsWith('/');
}
