using System.Text.Json.Nodes;
using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Tools.Builtins;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Tools.Builtins;

public sealed class SqliteSandboxTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly TenantSpace _space;

    public SqliteSandboxTests() => _space = ToolData.Storage(_temp.Path).For("tenant");

    public async Task InitializeAsync()
    {
        await Writable().RunAsync(Query("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL)"), CancellationToken.None);
        await Writable().RunAsync(Query("INSERT INTO items (name, price) VALUES ('apple', 1.5), ('pear', 2.25)"), CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    private string DatabaseFolder => Path.GetDirectoryName(_space.DatabasePath)!;

    private SqliteSandbox ReadOnly(SqliteSandboxLimits? limits = null) => new(_space, writable: false, limits ?? SqliteSandboxLimits.Default);

    private SqliteSandbox Writable(SqliteSandboxLimits? limits = null) => new(_space, writable: true, limits ?? SqliteSandboxLimits.Default);

    private static JsonObject Query(string sql, JsonObject? parameters = null) =>
        parameters is null ? new JsonObject { ["query"] = sql } : new JsonObject { ["query"] = sql, ["parameters"] = parameters };

    private async Task<long> CountItems() =>
        (long)(await ReadOnly().RunAsync(Query("SELECT count(*) FROM items"), CancellationToken.None))["rows"]![0]![0]!;

    [Fact]
    public async Task Read_only_tool_selects_columns_and_rows()
    {
        var result = await ReadOnly().RunAsync(Query("SELECT id, name, price FROM items ORDER BY id"), CancellationToken.None);

        Assert.Equal("""["id","name","price"]""", result["columns"]!.ToJsonString());
        Assert.Equal("""[[1,"apple",1.5],[2,"pear",2.25]]""", result["rows"]!.ToJsonString());
        Assert.False((bool?)result["truncated"]);
    }

    [Theory]
    [InlineData("INSERT INTO items (name) VALUES ('plum')")]
    [InlineData("CREATE TABLE other (x)")]
    [InlineData("DELETE FROM items")]
    [InlineData("ATTACH DATABASE 'elsewhere.db' AS other")]
    [InlineData("PRAGMA writable_schema = ON")]
    [InlineData("PRAGMA writable_schema(1)")]
    [InlineData("PRAGMA query_only = OFF")]
    [InlineData("SELECT 1; INSERT INTO items (name) VALUES ('plum')")]
    public async Task Read_only_tool_refuses_changes_and_the_database_is_unchanged(string sql)
    {
        var error = await Assert.ThrowsAsync<AgentGridException>(() => ReadOnly().RunAsync(Query(sql), CancellationToken.None));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal("query", error.Field);
        Assert.Equal(2, await CountItems());
        Assert.Equal(["tenant.db"], Directory.GetFiles(DatabaseFolder).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("ATTACH DATABASE 'elsewhere.db' AS other")]
    [InlineData("attach   'elsewhere.db' as other")]
    [InlineData("DETACH DATABASE main")]
    [InlineData("VACUUM INTO 'copy.db'")]
    [InlineData("VACUUM")]
    [InlineData("SELECT load_extension('evil')")]
    [InlineData("SELECT \"load_extension\"('evil')")]
    [InlineData("PRAGMA writable_schema = ON")]
    [InlineData("PRAGMA journal_mode = DELETE")]
    [InlineData("PRAGMA database_list")]
    [InlineData("SELECT * FROM pragma_database_list")]
    [InlineData("PRAGMA optimize")]
    public async Task Writable_tool_still_refuses_what_reaches_beyond_the_database(string sql)
    {
        var error = await Assert.ThrowsAsync<AgentGridException>(() => Writable().RunAsync(Query(sql), CancellationToken.None));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal("query", error.Field);
        Assert.Equal(["tenant.db"], Directory.GetFiles(DatabaseFolder).Select(Path.GetFileName));
        Assert.DoesNotContain(_temp.Path, error.Message);
    }

    [Fact]
    public async Task Keywords_inside_string_literals_are_only_text()
    {
        var result = await ReadOnly().RunAsync(Query("SELECT 'ATTACH DATABASE x; DETACH' AS note -- ; PRAGMA x = 1"), CancellationToken.None);

        Assert.Equal("ATTACH DATABASE x; DETACH", (string?)result["rows"]![0]![0]);
    }

    [Fact]
    public async Task Read_only_tool_may_inspect_the_schema_with_reporting_pragmas()
    {
        var result = await ReadOnly().RunAsync(Query("PRAGMA table_info(items)"), CancellationToken.None);

        Assert.Equal(3, result["rows"]!.AsArray().Count);
    }

    [Fact]
    public async Task Writable_tool_creates_and_inserts()
    {
        var sandbox = Writable();

        await sandbox.RunAsync(Query("CREATE TABLE notes (body TEXT)"), CancellationToken.None);
        var inserted = await sandbox.RunAsync(Query("INSERT INTO notes VALUES ('a'), ('b')"), CancellationToken.None);
        var count = await ReadOnly().RunAsync(Query("SELECT count(*) AS n FROM notes"), CancellationToken.None);

        Assert.Equal(2, (int?)inserted["rowsAffected"]);
        Assert.Equal(2, (long?)count["rows"]![0]![0]);
    }

    [Fact]
    public async Task Parameters_bind_by_name_with_any_prefix()
    {
        var parameters = new JsonObject { ["name"] = "pear", ["min"] = 2, ["flag"] = true, ["nothing"] = null };

        var result = await ReadOnly().RunAsync(
            Query("SELECT id, $flag, :nothing FROM items WHERE name = @name AND price >= $min", parameters), CancellationToken.None);

        Assert.Equal("""[[2,1,null]]""", result["rows"]!.ToJsonString());
    }

    [Fact]
    public async Task Parameter_that_is_not_a_scalar_is_a_validation_failure()
    {
        var parameters = new JsonObject { ["name"] = new JsonArray(1, 2) };

        var error = await Assert.ThrowsAsync<AgentGridException>(
            () => ReadOnly().RunAsync(Query("SELECT $name", parameters), CancellationToken.None));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal("parameters.name", error.Field);
    }

    [Fact]
    public async Task Parameters_bind_as_data_not_sql()
    {
        var parameters = new JsonObject { ["name"] = "x'); DROP TABLE items; --" };

        await Writable().RunAsync(Query("INSERT INTO items (name) VALUES ($name)", parameters), CancellationToken.None);

        Assert.Equal(3, await CountItems());
    }

    [Fact]
    public async Task Parameter_the_query_uses_but_input_does_not_give_is_a_validation_failure()
    {
        var error = await Assert.ThrowsAsync<AgentGridException>(
            () => ReadOnly().RunAsync(Query("SELECT $missing"), CancellationToken.None));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal("parameters", error.Field);
    }

    [Fact]
    public async Task Trigger_with_a_multi_statement_body_is_one_statement()
    {
        await Writable().RunAsync(Query(
            "CREATE TRIGGER audit AFTER INSERT ON items BEGIN UPDATE items SET price = 0 WHERE id = new.id; END"), CancellationToken.None);
        await Writable().RunAsync(Query("INSERT INTO items (name, price) VALUES ('fig', 9)"), CancellationToken.None);

        var result = await ReadOnly().RunAsync(Query("SELECT price FROM items WHERE name = 'fig'"), CancellationToken.None);

        Assert.Equal("[[0]]", result["rows"]!.ToJsonString());
    }

    [Fact]
    public async Task Multiple_statements_are_refused_even_for_a_writable_tool()
    {
        var error = await Assert.ThrowsAsync<AgentGridException>(
            () => Writable().RunAsync(Query("DELETE FROM items; DROP TABLE items"), CancellationToken.None));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal("query", error.Field);
        Assert.Equal(2, await CountItems());
    }

    [Fact]
    public async Task Trailing_semicolon_and_comment_are_one_statement()
    {
        var result = await ReadOnly().RunAsync(Query("SELECT 1; -- done\n"), CancellationToken.None);

        Assert.Equal("[[1]]", result["rows"]!.ToJsonString());
    }

    [Fact]
    public async Task Row_cap_returns_the_first_rows_and_sets_truncated()
    {
        var result = await ReadOnly(new SqliteSandboxLimits { MaxRows = 1 })
            .RunAsync(Query("SELECT name FROM items ORDER BY id"), CancellationToken.None);

        Assert.Equal("""[["apple"]]""", result["rows"]!.ToJsonString());
        Assert.True((bool?)result["truncated"]);
    }

    [Fact]
    public async Task Result_byte_cap_sets_truncated()
    {
        var result = await ReadOnly(new SqliteSandboxLimits { MaxResultBytes = 12 })
            .RunAsync(Query("SELECT name FROM items ORDER BY id"), CancellationToken.None);

        Assert.Single(result["rows"]!.AsArray());
        Assert.True((bool?)result["truncated"]);
    }

    [Fact]
    public async Task Sql_error_is_a_tool_failure_with_sqlites_message()
    {
        var error = await Assert.ThrowsAsync<AgentGridException>(
            () => ReadOnly().RunAsync(Query("SELECT * FROM missing"), CancellationToken.None));

        Assert.Equal(ErrorCodes.ToolFailed, error.Code);
        Assert.Contains("no such table: missing", error.Message);
        Assert.DoesNotContain(_temp.Path, error.Message);
    }

    [Fact]
    public async Task Query_past_the_time_limit_is_interrupted_as_a_timeout()
    {
        var sandbox = ReadOnly(new SqliteSandboxLimits { Timeout = TimeSpan.FromMilliseconds(200) });

        var error = await Assert.ThrowsAsync<AgentGridException>(() => sandbox.RunAsync(
            Query("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"), CancellationToken.None));

        Assert.Equal(ErrorCodes.ToolTimeout, error.Code);
    }

    [Fact]
    public async Task Read_only_tool_on_a_missing_database_sees_an_empty_one()
    {
        var sandbox = new SqliteSandbox(ToolData.Storage(Path.Combine(_temp.Path, "fresh")).For("tenant"), writable: false, SqliteSandboxLimits.Default);

        var result = await sandbox.RunAsync(Query("SELECT count(*) FROM sqlite_schema"), CancellationToken.None);

        Assert.Equal("[[0]]", result["rows"]!.ToJsonString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("-- only a comment")]
    public async Task Empty_query_is_a_validation_failure(string sql)
    {
        var error = await Assert.ThrowsAsync<AgentGridException>(() => ReadOnly().RunAsync(Query(sql), CancellationToken.None));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal("query", error.Field);
    }
}
