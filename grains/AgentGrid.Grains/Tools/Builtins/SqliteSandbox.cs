using System.Text;
using System.Text.Json.Nodes;
using AgentGrid.Contracts.Errors;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>
/// The built-in <c>sqlite</c> tool: one statement per call against one database file. A read-only tool
/// opens the file read-only, sets <c>PRAGMA query_only</c> and refuses any statement SQLite does not call
/// read-only. In every mode <see cref="SqlGuard"/> refuses ATTACH, DETACH, VACUUM (it attaches a database of
/// its own), load_extension and PRAGMAs that change state, and SQLite runs in defensive mode. A writable tool's database
/// may grow only into the room the tenant's and the grid's storage caps leave (<c>PRAGMA max_page_count</c>): a statement
/// that needs more fails whole with <c>tool_storage_full</c> and SQLite rolls it back.
/// </summary>
/// <param name="space">The tenant's tool data; its database is created empty if missing, never named in results or errors.</param>
/// <param name="writable">Whether statements may change the database.</param>
/// <param name="limits">Row, size and time limits per query.</param>
public sealed class SqliteSandbox(TenantSpace space, bool writable, SqliteSandboxLimits limits)
{
    /// <summary>The tool kind this sandbox serves.</summary>
    public const string Kind = "sqlite";

    private const int SqliteInterrupt = 9;
    private const int SqliteFull = 13;
    private const int SqliteAuth = 23;
    private const int DbConfigDefensive = 1010;

    private readonly string _databasePath = Path.GetFullPath(space.DatabasePath);

    /// <summary>
    /// Runs <c>query</c> with optional <c>parameters</c> (JSON scalars bound as <c>$name</c>, <c>@name</c> or
    /// <c>:name</c>) and returns <c>{ columns, rows, rowsAffected, truncated }</c>.
    /// </summary>
    /// <exception cref="AgentGridException"><c>validation_failed</c> for a refused statement or bad parameters,
    /// <c>tool_storage_full</c> when a writing statement needs more room than the storage caps leave,
    /// <c>tool_failed</c> with SQLite's message when the statement fails, <c>tool_timeout</c> past the time limit.</exception>
    public async Task<JsonObject> RunAsync(JsonObject input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var query = ToolInput.Required(input, "query");
        SqlGuard.Scan(query);
        await EnsureDatabaseAsync(ct);

        // A writing statement holds the tenant's lock, so the room it was given is not also given to a file written meanwhile.
        using var gate = writable ? await space.WriteLockAsync(ct) : null;
        var before = writable ? DatabaseSize() : 0;
        var allowed = writable ? Math.Min(limits.MaxDatabaseBytes, before + (await space.RoomAsync(ct)).Bytes) : 0;
        try
        {
            return await RunAsync(input, query, allowed, ct);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteFull)
        {
            throw TenantSpace.Full(allowed < limits.MaxDatabaseBytes
                ? $"The statement would grow the tenant's database past the {allowed} bytes its tool storage has room for."
                : $"The statement would grow the tenant's database past the {limits.MaxDatabaseBytes} byte limit of a tool database.");
        }
        finally
        {
            if (writable)
            {
                space.Record(new StorageUsage(DatabaseSize() - before, 0));
            }
        }
    }

    private async Task<JsonObject> RunAsync(JsonObject input, string query, long allowedBytes, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(limits.Timeout);
        string? denied = null;
        try
        {
            await using var connection = await OpenAsync(allowedBytes, deadline.Token);
            raw.sqlite3_set_authorizer(connection.Handle,
                (_, action, arg1, arg2, _, _) => SqlGuard.Authorize(action, arg1, arg2, ref denied), null);
            CheckStatement(connection, query, () => denied);

            await using var command = connection.CreateCommand();
            command.CommandText = query;
            command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(limits.Timeout.TotalSeconds));
            SqliteValues.Bind(command, input);

            // Microsoft.Data.Sqlite cannot stop a running step; sqlite3_interrupt can, from any thread.
            await using var interrupt = deadline.Token.Register(() => raw.sqlite3_interrupt(connection.Handle));
            return await ExecuteAsync(command, deadline.Token);
        }
        catch (Exception e) when (IsTimeout(e) && !ct.IsCancellationRequested)
        {
            throw new AgentGridException(ErrorCodes.ToolTimeout, $"The query did not finish within {limits.Timeout.TotalSeconds:0.###} seconds.");
        }
        catch (Exception e) when (IsTimeout(e))
        {
            throw new OperationCanceledException(ct);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteAuth)
        {
            // Some statements compile fine and only ask for more while running: VACUUM attaches a database of its own.
            throw SqlGuard.Refused($"{denied ?? "The statement"} is not allowed in a sandboxed query.");
        }
        catch (SqliteException e) when (e.SqliteErrorCode != SqliteFull)
        {
            throw ToolInput.Failed(e.Message);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("parameter", StringComparison.OrdinalIgnoreCase))
        {
            throw AgentGridException.Validation("parameters", "The query uses a parameter that 'parameters' gives no value for.");
        }
    }

    private static bool IsTimeout(Exception e) =>
        e is OperationCanceledException || (e is SqliteException { SqliteErrorCode: SqliteInterrupt });

    private async Task<SqliteConnection> OpenAsync(long allowedBytes, CancellationToken ct)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _databasePath,
            Mode = writable ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        try
        {
            await connection.OpenAsync(ct);
            raw.sqlite3_db_config(connection.Handle, DbConfigDefensive, 1, out _);
            // No value or statement may be larger than a result may be: zeroblob(1e9) cannot fill the silo's memory.
            raw.sqlite3_limit(connection.Handle, raw.SQLITE_LIMIT_LENGTH, (int)Math.Clamp(limits.MaxResultBytes, 100_000, int.MaxValue));
            raw.sqlite3_limit(connection.Handle, raw.SQLITE_LIMIT_SQL_LENGTH, 100_000);
            if (writable)
            {
                // The database may not outgrow what it is allowed: SQLite refuses the page past it with SQLITE_FULL.
                await using var pageSize = connection.CreateCommand();
                pageSize.CommandText = "PRAGMA page_size";
                var bytesPerPage = Math.Max(512, Convert.ToInt64(await pageSize.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture));
                await using var size = connection.CreateCommand();
                size.CommandText = $"PRAGMA max_page_count = {Math.Max(1, allowedBytes / bytesPerPage)}";
                await size.ExecuteNonQueryAsync(ct);
            }
            else
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA query_only = ON";
                await pragma.ExecuteNonQueryAsync(ct);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Compiles the statement once to learn what SQLite makes of it: how many statements, and whether it writes.</summary>
    private void CheckStatement(SqliteConnection connection, string query, Func<string?> denied)
    {
        var rc = raw.sqlite3_prepare_v2(connection.Handle, query, out var statement, out var tail);
        using (statement)
        {
            if (rc == SqliteAuth)
            {
                throw SqlGuard.Refused($"{denied() ?? "The statement"} is not allowed in a sandboxed query.");
            }

            if (rc != raw.SQLITE_OK)
            {
                throw ToolInput.Failed(raw.sqlite3_errmsg(connection.Handle).utf8_to_string());
            }

            if (statement.IsInvalid)
            {
                throw SqlGuard.Refused("'query' holds no SQL statement.");
            }

            if (HasMoreStatements(connection, tail))
            {
                throw SqlGuard.Refused("'query' must hold one statement; run the others in calls of their own.");
            }

            if (!writable && raw.sqlite3_stmt_readonly(statement) == 0)
            {
                throw SqlGuard.Refused("This sqlite tool is read-only; only statements that read are allowed.");
            }
        }
    }

    private static bool HasMoreStatements(SqliteConnection connection, string? tail)
    {
        while (!string.IsNullOrWhiteSpace(tail))
        {
            // Anything SQLite cannot compile after the first statement is still more than one statement.
            var rc = raw.sqlite3_prepare_v2(connection.Handle, tail, out var next, out var rest);
            using (next)
            {
                if (rc != raw.SQLITE_OK || !next.IsInvalid)
                {
                    return true;
                }
            }

            tail = rest;
        }

        return false;
    }

    private async Task<JsonObject> ExecuteAsync(SqliteCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var columns = new JsonArray();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            columns.Add(reader.GetName(i));
        }

        var rows = new JsonArray();
        var bytes = 0L;
        var truncated = false;
        while (await reader.ReadAsync(ct))
        {
            var row = new JsonArray();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row.Add(SqliteValues.ToJson(reader.GetValue(i)));
            }

            bytes += Encoding.UTF8.GetByteCount(row.ToJsonString());
            if (rows.Count == limits.MaxRows || bytes > limits.MaxResultBytes)
            {
                truncated = true;
                break;
            }

            rows.Add(row);
        }

        return new JsonObject
        {
            ["columns"] = columns,
            ["rows"] = rows,
            ["rowsAffected"] = Math.Max(0, reader.RecordsAffected),
            ["truncated"] = truncated,
        };
    }

    private long DatabaseSize() => File.Exists(_databasePath) ? new FileInfo(_databasePath).Length : 0;

    private async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        space.Prepare();
        if (File.Exists(_databasePath))
        {
            return;
        }

        using (await space.WriteLockAsync(ct))
        {
            if (File.Exists(_databasePath))
            {
                return;
            }

            await space.ReserveAsync(new StorageUsage(0, 1), "Creating the tenant's database", ct);
            try
            {
                // An empty file is a valid empty database, and lets a read-only tool open one that was never written.
                using var _ = new FileStream(_databasePath, FileMode.CreateNew, FileAccess.Write);
                space.Record(new StorageUsage(0, 1));
            }
            catch (IOException) when (File.Exists(_databasePath))
            {
                // Another silo created it first.
            }
        }
    }
}
