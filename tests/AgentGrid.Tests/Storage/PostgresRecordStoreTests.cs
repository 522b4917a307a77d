using AgentGrid.Grains.Cluster;
using AgentGrid.Grains.Records;
using AgentGrid.Tests.Infrastructure.Cluster;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AgentGrid.Tests.Storage;

/// <summary>The PostgreSQL record store against a real server: group commit, and a failed put that fails only itself.</summary>
public sealed class PostgresRecordStoreTests : IAsyncLifetime
{
    private PostgresServer _server = null!;
    private PostgresRecordStore _store = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        await PostgresSchema.MigrateAsync(_server.ConnectionString(), NullLogger.Instance, CancellationToken.None);
        _store = new PostgresRecordStore(_server.ConnectionString());
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static StoredRecord Row(string id) => new(id, System.Text.Encoding.UTF8.GetBytes(id));

    [Fact]
    public async Task Concurrent_puts_are_committed_together_and_each_is_read_back()
    {
        var puts = Enumerable.Range(0, 64).Select(i => _store.PutAsync($"session/{i}", [Row("m/1"), Row("m/2")])).ToList();
        await Task.WhenAll(puts);
        await _store.PutAsync("session/3", [Row("m/2")]);

        foreach (var i in Enumerable.Range(0, 64))
        {
            Assert.Equal(["m/1", "m/2"], (await _store.ReadAsync($"session/{i}", RecordQuery.All)).Select(r => r.Id));
        }
    }

    [Fact]
    public async Task A_put_that_fails_in_a_group_commit_fails_alone_and_the_puts_committed_with_it_are_stored()
    {
        // Another connection locks the table, so the puts below wait together and are committed as one batch.
        await using var holder = new NpgsqlConnection(_server.ConnectionString());
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE agentgrid_records IN EXCLUSIVE MODE", holder, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var first = _store.PutAsync("g", [Row("first")]);
        var good = Enumerable.Range(0, 20).Select(i => _store.PutAsync("g", [Row($"good/{i:D2}")])).ToList();
        var bad = _store.PutAsync("g", [new StoredRecord("bad", null!)]);
        var after = Enumerable.Range(0, 5).Select(i => _store.PutAsync("g", [Row($"later/{i}")])).ToList();
        await transaction.CommitAsync();

        await first;
        await Task.WhenAll(good.Concat(after));
        await Assert.ThrowsAsync<PostgresException>(() => bad);
        Assert.Equal(26, (await _store.ReadAsync("g", RecordQuery.All)).Count);
        Assert.Empty(await _store.ReadAsync("g", new RecordQuery(Prefix: "bad")));
    }
}
