using AgentGrid.Grains.Storage;
using Microsoft.Data.Sqlite;

namespace AgentGrid.Grains.Records;

/// <summary>
/// Records in a SQLite file of their own (the grain state file has its own single writer): writes go through one
/// writer with group commit, reads open pooled connections on the thread pool (WAL lets them run beside the writer).
/// </summary>
public sealed class SqliteRecordStore : IRecordStore, IAsyncDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS records (
            partition TEXT NOT NULL,
            id        TEXT NOT NULL,
            body      BLOB NOT NULL,
            PRIMARY KEY (partition, id)
        ) WITHOUT ROWID;
        """;

    private readonly string _connectionString;
    private readonly Lazy<SqliteWriteQueue> _writes;

    public SqliteRecordStore(string databasePath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
        using (var connection = new SqliteConnection(_connectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = Schema;
            command.ExecuteNonQuery();
        }

        _writes = new Lazy<SqliteWriteQueue>(() => new SqliteWriteQueue(_connectionString));
    }

    public Task PutAsync(string partition, IReadOnlyList<StoredRecord> records, CancellationToken cancellationToken = default) =>
        records.Count == 0 ? Task.CompletedTask : _writes.Value.ExecuteBatchAsync(records.Select(r => new SqliteStatement(
            "INSERT INTO records (partition, id, body) VALUES ($p, $id, $body) ON CONFLICT (partition, id) DO UPDATE SET body = excluded.body",
            new Dictionary<string, object> { ["$p"] = partition, ["$id"] = r.Id, ["$body"] = r.Body })).ToList());

    public Task<int> DeleteAsync(string partition, RecordQuery query, CancellationToken cancellationToken = default)
    {
        var (where, parameters) = RecordSql.Where(query, "$");
        var values = parameters.ToDictionary(p => p.Name, p => (object)p.Value);
        values["$p"] = partition;
        return _writes.Value.ExecuteAsync($"DELETE FROM records WHERE partition = $p{where}", values);
    }

    public Task<IReadOnlyList<StoredRecord>> ReadAsync(string partition, RecordQuery query, CancellationToken cancellationToken = default) => Task.Run<IReadOnlyList<StoredRecord>>(() =>
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        var (where, parameters) = RecordSql.Where(query, "$");
        command.CommandText = $"SELECT id, body FROM records WHERE partition = $p{where} ORDER BY id {(query.Descending ? "DESC" : "ASC")} LIMIT $limit";
        command.Parameters.AddWithValue("$p", partition);
        command.Parameters.AddWithValue("$limit", query.Limit);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<StoredRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new StoredRecord(reader.GetString(0), (byte[])reader.GetValue(1)));
        }

        return rows;
    }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_writes.IsValueCreated)
        {
            await _writes.Value.DisposeAsync();
        }
    }
}
