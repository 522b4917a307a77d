using Microsoft.Extensions.DependencyInjection;

namespace AgentGrid.Grains.Records;

public static class RecordStoreExtensions
{
    /// <summary>Records in a SQLite file (the embedded grid and test clusters).</summary>
    public static IServiceCollection AddSqliteRecords(this IServiceCollection services, string databasePath) =>
        services.AddSingleton<IRecordStore>(_ => new SqliteRecordStore(databasePath));

    /// <summary>Records in PostgreSQL (cluster mode), with outages reported as <c>service_unavailable</c>.</summary>
    public static IServiceCollection AddPostgresRecords(this IServiceCollection services, string connectionString) =>
        services.AddSingleton<IRecordStore>(_ => new OutageTranslatingRecordStore(new PostgresRecordStore(connectionString), Npgsql.NpgsqlConnection.ClearAllPools));
}
