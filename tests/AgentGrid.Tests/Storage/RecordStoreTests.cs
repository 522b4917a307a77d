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
