using AgentGrid.Inference.Providers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AgentGrid.Silo;

/// <summary>Tells the person who started the grid where it listens, where its data is and which model answers.</summary>
public sealed class StartupBanner(
    IHostApplicationLifetime lifetime, IServer server, EmbeddedOptions options, EndpointCatalog models,
    Microsoft.Extensions.Options.IOptions<AgentGrid.Grains.Gpu.GpuOptions> gpu, AgentGrid.Inference.Profiles.ProfileFiles profiles,
    AgentGrid.FrontDoor.Identity.IdentityBootstrap identity) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            Console.WriteLine($"""

                AgentGrid is running (embedded: one silo + front door).
                  API:       {string.Join(", ", addresses)}  (try GET /api/models; OpenAPI at /openapi/v1.json)
                  Data:      {options.DatabasePath}
                  Models:    {string.Join(", ", models.Names)} (default: {models.DefaultModel})
                  Profiles:  {profiles.Profiles.Count} model profiles (GET /api/profiles); start one with POST /api/workers
                  GPU node:  {gpu.Value.NodeId}, discovery {gpu.Value.Discovery}{Declared()} (GET /api/nodes)
                  Admin key: {AdminKey(addresses)}
                Press Ctrl+C to stop.

                """);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The key itself is shown once, in the login link of the first start (its fragment never reaches a server log).
    private string AdminKey(ICollection<string> addresses)
    {
        if (identity.NewAdminKey is { } key)
        {
            var page = (addresses.FirstOrDefault() ?? "http://localhost:5000").Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost");
            return $"""
                made at this first start and saved to {identity.AdminKeyFile} (readable by you only).
                             Sign in to the web page once with: {page.TrimEnd('/')}/#key={key}
                """;
        }

        return identity.AdminKeyFile is { } file ? $"in {file} (send it as 'Authorization: Bearer <key>')" : "the configured bootstrap key (AgentGrid:Auth:BootstrapKey)";
    }

    private string Declared() => gpu.Value.Declared.Count == 0 ? ""
        : $"; declared when nvidia-smi finds none: {string.Join(", ", gpu.Value.Declared.Select(g => $"{g.Count} x {g.Name}"))}";
}
