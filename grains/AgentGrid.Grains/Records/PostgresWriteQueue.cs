using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace AgentGrid.Grains.Records;

/// <summary>
/// Group commit for PostgreSQL records, as <c>SqliteWriteQueue</c> does for SQLite: puts that wait while a commit is out
/// are written together, in one round trip and one transaction (one WAL flush instead of one per put). A batch that
/// fails is tried again put by put, so only the puts that fail alone fail. Puts are upserts, so writing one again after
/// a failed batch is harmless. Bounded: past <see cref="MaxWaiting"/> puts a writer waits for room.
/// </summary>
internal sealed class PostgresWriteQueue : IAsyncDisposable
{
    private const int MaxBatch = 256;
    public const int MaxWaiting = 10_000;

    private const string Upsert = """
        INSERT INTO agentgrid_records (partition, id, body)
        SELECT $1, u.id, u.body FROM unnest($2::text[], $3::bytea[]) AS u(id, body)
        ON CONFLICT (partition, id) DO UPDATE SET body = excluded.body
        """;

    private readonly Channel<PendingPut> _pending = Channel.CreateBounded<PendingPut>(
        new BoundedChannelOptions(MaxWaiting) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Func<CancellationToken, Task<NpgsqlConnection>> _open;
    private readonly Task _writer;

    public PostgresWriteQueue(Func<CancellationToken, Task<NpgsqlConnection>> open)
    {
        _open = open;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes once the put is committed; a caller that gives up before it is queued queues nothing.</summary>
    public async Task PutAsync(string partition, IReadOnlyList<StoredRecord> records, CancellationToken cancellationToken)
    {
        var put = new PendingPut(partition, records);
        try
        {
            await _pending.Writer.WriteAsync(put, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(PostgresWriteQueue));
        }

        await put.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingPut>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var put))
            {
                batch.Add(put);
            }

            await CommitAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitAsync(List<PendingPut> batch)
    {
        if (await TryCommitAsync(batch) is not { } error)
        {
            batch.ForEach(p => p.Done.TrySetResult());
            return;
        }

        if (batch.Count == 1)
        {
            batch[0].Done.TrySetException(error);
            return;
        }

        foreach (var put in batch)
        {
            if (await TryCommitAsync([put]) is { } failed)
            {
                put.Done.TrySetException(failed);
            }
            else
            {
                put.Done.TrySetResult();
            }
        }
    }

    private async Task<Exception?> TryCommitAsync(IReadOnlyList<PendingPut> puts)
    {
        try
        {
            await using var connection = await _open(CancellationToken.None);
            await using var transaction = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var put in puts)
            {
                var command = new NpgsqlBatchCommand(Upsert);
                command.Parameters.Add(new NpgsqlParameter { Value = put.Partition, NpgsqlDbType = NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter { Value = put.Records.Select(r => r.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter { Value = put.Records.Select(r => r.Body).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
    }

    private sealed record PendingPut(string Partition, IReadOnlyList<StoredRecord> Records)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
