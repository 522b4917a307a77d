using System.Security.Claims;
using AgentGrid.Contracts.Identity;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>The claims an authenticated key gives its requests: the only source of a request's tenant.</summary>
public static class CallerClaims
{
    public const string Tenant = "agentgrid:tenant";
    public const string KeyId = "agentgrid:key";
    public const string Owner = "agentgrid:owner";

    /// <summary>Present on keys that see every owner's resources of their tenant (<see cref="ApiKey.SeesWholeTenant"/>).</summary>
    public const string TenantWide = "agentgrid:tenant-wide";

    /// <summary>The keyed hash the key was found under, so long-lived connections can check it again. Never leaves the process.</summary>
    public const string KeyHash = "agentgrid:key-hash";

    public static ClaimsPrincipal For(ApiKey key, string scheme, string? keyHash = null) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, key.Name),
        new Claim(ClaimTypes.Role, Policies.RoleName(key.Role)),
        new Claim(Tenant, key.Tenant),
        new Claim(KeyId, key.Id),
        new Claim(Owner, key.OwnerId),
        .. key.SeesWholeTenant ? [new Claim(TenantWide, "true")] : Array.Empty<Claim>(),
        .. keyHash is null ? Array.Empty<Claim>() : [new Claim(KeyHash, keyHash)],
    ], scheme));

    public static string? KeyHashOf(ClaimsPrincipal? user) => user?.FindFirstValue(KeyHash);

    /// <summary>The caller's tenant; a request that reached a handler without one is a wiring bug, so it fails closed.</summary>
    public static string TenantOf(ClaimsPrincipal? user) =>
        user?.FindFirstValue(Tenant) ?? throw new InvalidOperationException("The request has no authenticated tenant.");

    public static string? KeyIdOf(ClaimsPrincipal? user) => user?.FindFirstValue(KeyId);

    /// <summary>The owner the caller acts as; like the tenant, a request without one fails closed.</summary>
    public static string OwnerOf(ClaimsPrincipal? user) =>
        user?.FindFirstValue(Owner) ?? throw new InvalidOperationException("The request has no authenticated owner.");

    public static bool SeesWholeTenant(ClaimsPrincipal? user) => user?.HasClaim(TenantWide, "true") == true;
}
