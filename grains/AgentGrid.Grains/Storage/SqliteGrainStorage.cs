using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;

namespace AgentGrid.Grains.Storage;

/// <summary>
/// Grain state in one SQLite file, as JSON, with the optimistic concurrency of the ADO.NET provider:
/// every write must present the ETag it read, and a stale ETag fails with
/// <see cref="InconsistentStateException"/> instead of overwriting newer state.
/// ETags are random per write, so a row deleted and created again never revives an old ETag.
/// </summary>
public sealed partial class SqliteGrainStorage(
    string name,
    SqliteGrainStorageOptions options,
    ClusterOptions cluster,
    ILogger<SqliteGrainStorage> logger) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = JsonGrainStateSerializer.Options;

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = options.DatabasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        Pooling = true,
    }.ToString();

    private SqliteWriteQueue? _writes;

    private SqliteWriteQueue Writes => _writes ?? throw new InvalidOperationException($"SQLite grain storage '{name}' is not initialized.");

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(SqliteGrainStorage)}-{name}", ServiceLifecycleStage.ApplicationServices, InitializeAsync);

    /// <summary>Creates the folder, the table and WAL mode; safe to run on an existing database.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(options.DatabasePath));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteGrainStorageSql.Schema;
        await command.ExecuteNonQueryAsync(cancellationToken);
        _writes ??= new SqliteWriteQueue(_connectionString);
        LogInitialized(logger, name, options.DatabasePath);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = await ReadAsync(stateName, grainId);
        if (stored is var (payload, etag))
        {
            grainState.State = JsonSerializer.Deserialize<T>(payload, Json)!;
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var newEtag = Guid.NewGuid().ToString("N");
        var sql = grainState.ETag is null ? SqliteGrainStorageSql.Insert : SqliteGrainStorageSql.Update;
        var parameters = Key(stateName, grainId);
        parameters["$payload"] = JsonSerializer.Serialize(grainState.State, Json);
        parameters["$new_etag"] = newEtag;
        parameters["$etag"] = (object?)grainState.ETag ?? DBNull.Value;
        parameters["$modified_at"] = DateTimeOffset.UtcNow.ToString("O");
        if (await Writes.ExecuteAsync(sql, parameters) == 0)
        {
            throw await ConflictAsync(stateName, grainId, grainState.ETag, "write");
        }

        grainState.ETag = newEtag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var parameters = Key(stateName, grainId);
        parameters["$etag"] = (object?)grainState.ETag ?? DBNull.Value;
        if (await Writes.ExecuteAsync(SqliteGrainStorageSql.Delete, parameters) == 0 && grainState.ETag is not null)
        {
            throw await ConflictAsync(stateName, grainId, grainState.ETag, "clear");
        }

        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _writes, null) is { } writes)
        {
            await writes.DisposeAsync();
        }
    }

    /// <summary>The parameters that name one grain's state, shared by every statement.</summary>
    private Dictionary<string, object> Key(string stateName, GrainId grainId) => new(StringComparer.Ordinal)
    {
        ["$service_id"] = cluster.ServiceId,
        ["$state_name"] = stateName,
        ["$grain_id"] = grainId.ToString(),
    };

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// The stored payload and ETag, read on the thread pool: Microsoft.Data.Sqlite does its I/O
    /// synchronously, and it must not hold up the grain scheduler.
    /// </summary>
    private Task<(string Payload, string ETag)?> ReadAsync(string stateName, GrainId grainId) => Task.Run(async () =>
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteGrainStorageSql.Read;
        foreach (var (name, value) in Key(stateName, grainId))
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetString(1)) : ((string, string)?)null;
    });

    private async Task<InconsistentStateException> ConflictAsync(string stateName, GrainId grainId, string? expected, string operation)
    {
        var stored = (await ReadAsync(stateName, grainId))?.ETag;
        LogConflict(logger, operation, stateName, grainId, expected, stored);
        return new InconsistentStateException(
            $"ETag mismatch on {operation} of '{stateName}' for {grainId}: expected '{expected}', stored '{stored}'.",
            stored, expected, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite grain storage '{Name}' ready at {Path}")]
    private static partial void LogInitialized(ILogger logger, string name, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ETag conflict on {Operation} of {StateName} for {GrainId}: expected {Expected}, stored {Stored}")]
    private static partial void LogConflict(ILogger logger, string operation, string stateName, GrainId grainId, string? expected, string? stored);
}
