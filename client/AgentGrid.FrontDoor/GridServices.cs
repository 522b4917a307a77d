using Microsoft.AspNetCore.Http;

namespace AgentGrid.FrontDoor;

/// <summary>What every API handler needs: the grain factory and the caller's tenant.</summary>
public sealed class GridServices(IGrainFactory grains, IHttpContextAccessor http)
{
    public IGrainFactory Grains { get; } = grains;

    /// <summary>The tenant of this request; every caller is the default tenant until authentication arrives.</summary>
    public string Tenant => Tenants.Of(http.HttpContext);

    public CancellationToken Aborted => http.HttpContext?.RequestAborted ?? CancellationToken.None;

    public TGrain Grain<TGrain>(string id) where TGrain : IGrainWithStringKey =>
        Grains.GetGrain<TGrain>(Contracts.GrainKeys.For(Tenant, id));
}
