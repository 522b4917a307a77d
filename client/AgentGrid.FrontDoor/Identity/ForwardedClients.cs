using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

public static class ForwardedClients
{
    /// <summary>
    /// Behind an ingress, takes each request's client address from <c>X-Forwarded-For</c>, believed only from
    /// <see cref="AuthOptions.KnownProxies"/> and <see cref="AuthOptions.KnownNetworks"/>: failed authentications are
    /// counted per client address, and a header anyone can send must not choose the address it is counted under.
    /// </summary>
    public static IApplicationBuilder UseAgentGridForwardedHeaders(this IApplicationBuilder app)
    {
        var auth = app.ApplicationServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (auth.KnownProxies.Length == 0 && auth.KnownNetworks.Length == 0)
        {
            // With no known proxy at all, the middleware would believe every sender.
            return app;
        }

        // No forward limit: the chain is walked back through known proxies only (a load balancer before an ingress).
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = null };
        // The defaults believe loopback; only what is configured counts.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in auth.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in auth.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        return app.UseForwardedHeaders(options);
    }
}
