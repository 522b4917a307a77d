using System.Security.Claims;
using AgentGrid.Contracts.Identity;
using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Http;

namespace AgentGrid.FrontDoor;

/// <summary>What every API handler needs: the grain factory and who the caller is.</summary>
public sealed class GridServices(IGrainFactory grains, IHttpContextAccessor http)
{
    public IGrainFactory Grains { get; } = grains;

    public ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();

    /// <summary>The tenant of this request's key.</summary>
    public string Tenant => CallerClaims.TenantOf(User);

    /// <summary>The id of this request's key (null for the metrics token, which reaches no handler).</summary>
    public string? KeyId => CallerClaims.KeyIdOf(User);

    /// <summary>The owner this request's key acts as: the person it was made for, or the key itself.</summary>
    public string Owner => CallerClaims.OwnerOf(User);

    /// <summary>Whether this request sees every owner's sessions, memories and tool-call logs of its tenant.</summary>
    public bool SeesWholeTenant => CallerClaims.SeesWholeTenant(User);

    public Role Role => User.IsAdmin() ? Role.Admin : User.IsInRole(Policies.RoleName(Role.Member)) ? Role.Member : Role.Reader;

    public CancellationToken Aborted => http.HttpContext?.RequestAborted ?? CancellationToken.None;

    public TGrain Grain<TGrain>(string id) where TGrain : IGrainWithStringKey =>
        Grains.GetGrain<TGrain>(Contracts.GrainKeys.For(Tenant, id));
}
