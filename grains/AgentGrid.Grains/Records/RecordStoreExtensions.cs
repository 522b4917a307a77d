using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace AgentGrid.Grains.Records;

public static class RecordStoreExtensions
{
    /// <summary>Records in a SQLite file (the embedded grid and test clusters).</summary>
    public static IServiceCollection AddSqliteRecords(this IServiceCollection services, string databasePath) =>
        services.AddSingleton<IRecordStore>(_ => new SqliteRecordStore(databasePath));

    /// <summary>Reminders as rows of the record store (the embedded grid and test clusters; cluster mode keeps them in PostgreSQL's reminder table).</summary>
    public static IServiceCollection AddRecordReminders(this IServiceCollection services)
    {
        services.AddReminders();
        return services.AddSingleton<IReminderTable, RecordReminderTable>();
    }

    /// <summary>Records in PostgreSQL (cluster mode), with outages reported as <c>service_unavailable</c>.</summary>
    public static IServiceCollection AddPostgresRecords(this IServiceCollection services, string connectionString) =>
        services.AddSingleton<IRecordStore>(_ => new OutageTranslatingRecordStore(new PostgresRecordStore(connectionString), Npgsql.NpgsqlConnection.ClearAllPools));
}
