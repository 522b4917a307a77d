using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentGrid.Grains.Cluster;

/// <summary>
/// Brings a PostgreSQL database to the schema the grid needs: the Orleans ADO.NET scripts (main, grain storage,
/// reminders), each applied once and recorded in <c>agentgrid_schema_migrations</c>. Safe to run from every silo
/// at once: an advisory lock lets one apply while the others wait, then find nothing left to do.
/// </summary>
public static class PostgresSchema
{
    private const long LockKey = 0x4147_5249_4453_4348; // "AGRIDSCH"

    public static IReadOnlyList<string> Scripts { get; } = [.. typeof(PostgresSchema).Assembly.GetManifestResourceNames()
        .Where(n => n.EndsWith(".sql", StringComparison.Ordinal) && n.Contains(".Cluster.Sql.", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)];

    /// <summary>Applies what is missing; returns the scripts applied now.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "SELECT pg_advisory_lock(@key)", cancellationToken, LockKey);
        try
        {
            await ExecuteAsync(connection, null,
                "CREATE TABLE IF NOT EXISTS agentgrid_schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                cancellationToken);
            var applied = new List<string>();
            foreach (var script in Scripts)
            {
                var name = script[(script.IndexOf(".Cluster.Sql.", StringComparison.Ordinal) + ".Cluster.Sql.".Length)..];
                await using var check = new NpgsqlCommand("SELECT count(*) FROM agentgrid_schema_migrations WHERE name = @name", connection);
                check.Parameters.AddWithValue("name", name);
                if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0)
                {
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, Read(script), cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO agentgrid_schema_migrations (name) VALUES (@name)", connection, transaction);
                record.Parameters.AddWithValue("name", name);
                await record.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied database script {Script}", name);
                applied.Add(name);
            }

            return applied;
        }
        finally
        {
            await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, LockKey);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, long? key = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        if (key is { } value)
        {
            command.Parameters.AddWithValue("key", value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Read(string resource)
    {
        using var stream = typeof(PostgresSchema).Assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
