using AgentGrid.Contracts.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentGrid.FrontDoor.Health;

/// <summary>Ready when a grain call reaches a silo and comes back within a few seconds.</summary>
public sealed class GridReadinessCheck(IGrainFactory grains, Identity.IdentityBootstrap identity) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!identity.IsDone)
        {
            return HealthCheckResult.Unhealthy("The admin key and default tenant are not set up yet.");
        }

        try
        {
            var models = await grains.GetGrain<IModelDirectoryGrain>(0).ListAsync(probe: false).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy($"The grid answers; {models.Count} model(s) configured.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The grid does not answer grain calls.", e);
        }
    }
}
