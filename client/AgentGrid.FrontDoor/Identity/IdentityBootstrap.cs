using AgentGrid.Contracts;
using AgentGrid.Contracts.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Once the grid is up: tenant <c>default</c> exists, and so does an admin key — the configured bootstrap key
/// (cluster mode, from a secret), or at the embedded default's first start a new one written to
/// <see cref="AuthOptions.AdminKeyFile"/> (mode 0600) and shown once as a login link.
/// </summary>
public sealed class IdentityBootstrap(
    IGrainFactory grains, KeyHasher hasher, IOptions<AuthOptions> options, TimeProvider time, ILogger<IdentityBootstrap> logger)
    : IHostedLifecycleService
{
    /// <summary>The admin key made at this start, for the startup banner to show once; null when none was made.</summary>
    public string? NewAdminKey { get; private set; }

    public string? AdminKeyFile => options.Value.AdminKeyFile;

    /// <summary>True once the default tenant and the admin key exist: until then the front door is not ready.</summary>
    public bool IsDone { get; private set; }

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        await BootstrapAsync();
        IsDone = true;
    }

    private async Task BootstrapAsync()
    {
        await grains.GetGrain<ITenantGrain>(GridNames.DefaultTenant).EnsureAsync("Default tenant");
        if (options.Value.BootstrapKey is { } configured)
        {
            await RegisterAsync(configured, $"key_boot_{hasher.Hash(configured)[..12]}", "bootstrap");
            return;
        }

        if (options.Value.AdminKeyFile is { } path && !File.Exists(path))
        {
            var key = KeyHasher.NewKey();
            await RegisterAsync(key, GrainKeys.NewId("key"), "admin (first start)");
            SecretFile.Write(path, key);
            NewAdminKey = key;
            logger.LogInformation("Made the first admin key {KeyPrefix}… and wrote it to {AdminKeyFile}", KeyHasher.PrefixOf(key), path);
        }
    }

    private async Task RegisterAsync(string key, string id, string name)
    {
        var hash = hasher.Hash(key);
        await grains.GetGrain<IApiKeyGrain>(hash).RegisterAsync(new ApiKey
        {
            Id = id,
            Name = name,
            Prefix = KeyHasher.PrefixOf(key),
            Role = Role.Admin,
            Tenant = GridNames.DefaultTenant,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = "bootstrap",
        });
        await grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).AddKeyAsync(id, GridNames.DefaultTenant);
        await grains.GetGrain<ITenantGrain>(GridNames.DefaultTenant).AddKeyAsync(id, hash);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
