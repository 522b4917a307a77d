using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace AgentGrid.Grains.Storage;

/// <summary>
/// The one writer of a SQLite file. SQLite allows a single writer at a time, and
/// Microsoft.Data.Sqlite answers a busy lock by sleeping, so concurrent grain writes would queue
/// behind sleeps. Instead every write goes through this queue: whatever is waiting is run in one
/// transaction with one commit (group commit), and each write still gets its own row count back; a batch that fails
/// is tried again write by write, so only the writes that fail alone fail. The queue is
/// bounded: past <see cref="MaxWaiting"/> writes a writer waits for room rather than the queue growing without end,
/// and every commit is durable (<c>synchronous = FULL</c>, pinned on the writer's connection rather than left to
/// the build's default), since a grain reports success once its write is committed.
/// </summary>
internal sealed class SqliteWriteQueue : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private const int MaxKeptCommands = 64;
    public const int MaxWaiting = 10_000;

    private readonly Channel<PendingWrite> _pending = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(MaxWaiting) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly string _connectionString;
    private readonly Task _writer;

    // The writer's statements, compiled once per SQL text and kept with its connection (writes repeat a few texts).
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteWriteQueue(string connectionString)
    {
        _connectionString = connectionString;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Runs one statement in the next batch; completes with its affected row count once committed.</summary>
    public Task<int> ExecuteAsync(string sql, IReadOnlyDictionary<string, object> parameters) =>
        ExecuteBatchAsync([new SqliteStatement(sql, parameters)]);

    /// <summary>Runs statements together (all or none) in the next batch; completes with their affected row count once committed.</summary>
    public async Task<int> ExecuteBatchAsync(IReadOnlyList<SqliteStatement> statements)
    {
        var write = new PendingWrite(statements);
        if (!_pending.Writer.TryWrite(write))
        {
            try
            {
                await _pending.Writer.WriteAsync(write);
            }
            catch (ChannelClosedException)
            {
                throw new ObjectDisposedException(nameof(SqliteWriteQueue));
            }
        }

        return await write.Result.Task;
    }

    private async Task WriteLoopAsync()
    {
        await using var connection = new SqliteConnection(_connectionString);
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            Commit(connection, batch);
            batch.Clear();
        }

        ForgetCommands();
    }

    /// <summary>
    /// Commits the batch in one transaction. When that fails, nothing of it is stored, and each write is tried again alone,
    /// so a failed write fails only its own writer (whose grain keeps its old ETag), never the others it was batched with.
    /// </summary>
    private void Commit(SqliteConnection connection, List<PendingWrite> batch)
    {
        if (TryCommit(connection, batch, out var counts, out var error))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.TrySetResult(counts[i]);
            }

            return;
        }

        if (batch.Count == 1)
        {
            batch[0].Result.TrySetException(error!);
            return;
        }

        foreach (var write in batch)
        {
            if (TryCommit(connection, [write], out var alone, out var failed))
            {
                write.Result.TrySetResult(alone[0]);
            }
            else
            {
                write.Result.TrySetException(failed!);
            }
        }
    }

    private bool TryCommit(SqliteConnection connection, List<PendingWrite> batch, out int[] counts, out Exception? error)
    {
        counts = new int[batch.Count];
        error = null;
        try
        {
            if (connection.State != System.Data.ConnectionState.Open)
            {
                connection.Open();
                using var durable = connection.CreateCommand();
                durable.CommandText = "PRAGMA synchronous = FULL;";
                durable.ExecuteNonQuery();
            }

            using var transaction = connection.BeginTransaction();
            for (var i = 0; i < batch.Count; i++)
            {
                foreach (var statement in batch[i].Statements)
                {
                    var command = CommandFor(connection, statement.Sql);
                    command.Transaction = transaction;
                    command.Parameters.Clear();
                    foreach (var (name, value) in statement.Parameters)
                    {
                        command.Parameters.AddWithValue(name, value);
                    }

                    counts[i] += command.ExecuteNonQuery();
                }
            }

            transaction.Commit();
            return true;
        }
        catch (Exception e)
        {
            ForgetCommands();
            connection.Close();
            error = e;
            return false;
        }
    }

    private SqliteCommand CommandFor(SqliteConnection connection, string sql)
    {
        if (_commands.TryGetValue(sql, out var kept))
        {
            return kept;
        }

        if (_commands.Count >= MaxKeptCommands)
        {
            ForgetCommands();
        }

        var command = connection.CreateCommand();
        command.CommandText = sql;
        _commands[sql] = command;
        return command;
    }

    private void ForgetCommands()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
    }

    private sealed record PendingWrite(IReadOnlyList<SqliteStatement> Statements)
    {
        public TaskCompletionSource<int> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>One SQL statement and its parameters.</summary>
internal sealed record SqliteStatement(string Sql, IReadOnlyDictionary<string, object> Parameters);
