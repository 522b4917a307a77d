using AgentGrid.Grains.Records;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Storage;

/// <summary>The SQLite record store: rows in id order per partition, ranges by prefix, before and after, replaced in place.</summary>
public sealed class RecordStoreTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private SqliteRecordStore _store = null!;

    public Task InitializeAsync()
    {
        _store = new SqliteRecordStore(Path.Combine(_data.Path, "records.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _data.Dispose();
    }

    private static StoredRecord Row(string id, string body = "x") => new(id, System.Text.Encoding.UTF8.GetBytes(body));

    private async Task<string[]> IdsAsync(string partition, RecordQuery query) => [.. (await _store.ReadAsync(partition, query)).Select(r => r.Id)];

    [Fact]
    public async Task A_write_that_fails_in_a_group_commit_fails_alone_and_the_writes_committed_with_it_are_stored()
    {
        // Another connection holds the file's write lock, so the writes below wait together and are committed as one batch.
        await using var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_data.Path, "records.db")}");
        holder.Open();
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        var first = _store.PutAsync("g", [Row("first")]);
        var good = Enumerable.Range(0, 20).Select(i => _store.PutAsync("g", [Row($"good/{i:D2}")])).ToList();
        var bad = _store.PutAsync("g", [new StoredRecord("bad", null!)]);
        var after = Enumerable.Range(0, 5).Select(i => _store.PutAsync("g", [Row($"later/{i}")])).ToList();
        using (var commit = holder.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            commit.ExecuteNonQuery();
        }

        await first;
        await Task.WhenAll(good.Concat(after));
        await Assert.ThrowsAnyAsync<Exception>(() => bad);
        Assert.Equal(26, (await _store.ReadAsync("g", RecordQuery.All)).Count);
        Assert.Empty(await _store.ReadAsync("g", new RecordQuery(Prefix: "bad")));
    }

    [Fact]
    public async Task Rows_read_back_in_id_order_by_prefix_range_and_page_and_a_put_replaces_a_row()
    {
        await _store.PutAsync("p", [Row("m/3"), Row("m/1"), Row("e/1"), Row("m/2"), Row("m/10")]);
        await _store.PutAsync("other", [Row("m/1")]);
        await _store.PutAsync("p", [Row("m/2", "replaced")]);

        Assert.Equal(["e/1", "m/1", "m/10", "m/2", "m/3"], await IdsAsync("p", RecordQuery.All));
        Assert.Equal(["m/1", "m/10", "m/2", "m/3"], await IdsAsync("p", new RecordQuery(Prefix: "m/")));
        Assert.Equal(["m/3", "m/2"], await IdsAsync("p", new RecordQuery(Prefix: "m/", Limit: 2, Descending: true)));
        Assert.Equal(["m/10"], await IdsAsync("p", new RecordQuery(After: "m/1", Before: "m/2")));
        Assert.Equal("replaced", System.Text.Encoding.UTF8.GetString((await _store.ReadAsync("p", new RecordQuery(Prefix: "m/2")))[0].Body));
    }

    [Fact]
    public async Task Deletes_remove_exactly_the_rows_their_query_selects()
    {
        await _store.PutAsync("p", [Row("a/1"), Row("a/2"), Row("a/3"), Row("b/1")]);

        Assert.Equal(2, await _store.DeleteAsync("p", new RecordQuery(Prefix: "a/", Before: "a/3")));
        Assert.Equal(["a/3", "b/1"], await IdsAsync("p", RecordQuery.All));
        Assert.Equal(2, await _store.DeleteAsync("p", RecordQuery.All));
        Assert.Empty(await IdsAsync("p", RecordQuery.All));
    }
}
