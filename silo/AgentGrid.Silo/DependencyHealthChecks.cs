using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace AgentGrid.Silo;

/// <summary>Readiness of a cluster silo's dependencies, each its own entry in <c>/readyz</c>.</summary>
public sealed class PostgresHealthCheck(GridClusterOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(options.Postgres);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await connection.OpenAsync(timeout.Token);
            await using var ping = new NpgsqlCommand("SELECT 1", connection);
            await ping.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL does not answer: {e.Message}");
        }
    }
}

public sealed class RedisHealthCheck(GridClusterOptions options) : IHealthCheck, IDisposable
{
    private readonly Lazy<StackExchange.Redis.ConnectionMultiplexer> _redis = new(() =>
    {
        var configuration = StackExchange.Redis.ConfigurationOptions.Parse(options.Redis);
        configuration.AbortOnConnectFail = false;
        return StackExchange.Redis.ConnectionMultiplexer.Connect(configuration);
    });

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await _redis.Value.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            // Silos keep serving on the membership they know; joining and failure detection wait for Redis.
            return HealthCheckResult.Degraded($"Redis does not answer: {e.Message}");
        }
    }

    public void Dispose()
    {
        if (_redis.IsValueCreated)
        {
            _redis.Value.Dispose();
        }
    }
}
