using Npgsql;
using NpgsqlTypes;

namespace AgentGrid.Grains.Records;

/// <summary>
/// Records in PostgreSQL (table <c>agentgrid_records</c>, created by the schema migration). Puts go through one
/// <see cref="PostgresWriteQueue"/> per silo (group commit); reads and deletes run on pooled connections beside it.
/// </summary>
public sealed class PostgresRecordStore : IRecordStore, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly PostgresWriteQueue _writes;

    public PostgresRecordStore(string connectionString)
    {
        _connectionString = connectionString;
        _writes = new PostgresWriteQueue(OpenAsync);
    }

    public Task PutAsync(string partition, IReadOnlyList<StoredRecord> records, CancellationToken cancellationToken = default) =>
        records.Count == 0 ? Task.CompletedTask : _writes.PutAsync(partition, records, cancellationToken);

    public async Task<IReadOnlyList<StoredRecord>> ReadAsync(string partition, RecordQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var (where, parameters) = RecordSql.Where(query, "@");
        await using var command = new NpgsqlCommand(
            $"SELECT id, body FROM agentgrid_records WHERE partition = @p{where} ORDER BY id {(query.Descending ? "DESC" : "ASC")} LIMIT @limit", connection);
        command.Parameters.AddWithValue("p", partition);
        command.Parameters.AddWithValue("limit", (long)query.Limit);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name[1..], value);
        }

        var rows = new List<StoredRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredRecord(reader.GetString(0), (byte[])reader.GetValue(1)));
        }

        return rows;
    }

    public async Task<int> DeleteAsync(string partition, RecordQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var (where, parameters) = RecordSql.Where(query, "@");
        await using var command = new NpgsqlCommand($"DELETE FROM agentgrid_records WHERE partition = @p{where}", connection);
        command.Parameters.AddWithValue("p", partition);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name[1..], value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public ValueTask DisposeAsync() => _writes.DisposeAsync();
}
