using AgentGrid.Grains.Storage;
using AgentGrid.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;

namespace AgentGrid.Tests.Storage;

public sealed class SqliteGrainStorageTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly List<SqliteGrainStorage> _opened = [];
    private readonly GrainId _grain = GrainId.Create("test", Guid.NewGuid().ToString("N"));

    public sealed class Counter
    {
        public int Value { get; set; }
        public List<string> Notes { get; set; } = [];
    }

    private sealed class Stored<T>(T state) : IGrainState<T>
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public T State { get; set; } = state;
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
    }

    private async Task<SqliteGrainStorage> StorageAsync(string serviceId = "svc")
    {
        var storage = new SqliteGrainStorage("test",
            new SqliteGrainStorageOptions { DatabasePath = Path.Combine(_data.Path, "nested", "state.db") },
            new ClusterOptions { ServiceId = serviceId, ClusterId = "c" },
            NullLogger<SqliteGrainStorage>.Instance);
        await storage.InitializeAsync(CancellationToken.None);
        _opened.Add(storage);
        return storage;
    }

    [Fact]
    public async Task A_written_state_reads_back_with_its_etag()
    {
        var storage = await StorageAsync();
        var written = new Stored<Counter>(new Counter { Value = 42, Notes = ["a", "b"] });
        await storage.WriteStateAsync("counter", _grain, written);

        var read = new Stored<Counter>(new Counter());
        await storage.ReadStateAsync("counter", _grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(42, read.State.Value);
        Assert.Equal(["a", "b"], read.State.Notes);
    }

    [Fact]
    public async Task A_missing_state_reads_as_new_without_an_etag()
    {
        var read = new Stored<Counter>(new Counter { Value = 9 });
        await (await StorageAsync()).ReadStateAsync("counter", _grain, read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(0, read.State.Value);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_rejected_and_the_newer_state_is_kept()
    {
        var storage = await StorageAsync();
        var first = new Stored<Counter>(new Counter { Value = 1 });
        await storage.WriteStateAsync("counter", _grain, first);
        var stale = new Stored<Counter>(new Counter());
        await storage.ReadStateAsync("counter", _grain, stale);

        first.State.Value = 2;
        await storage.WriteStateAsync("counter", _grain, first);
        stale.State.Value = 99;

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", _grain, stale));
        var read = new Stored<Counter>(new Counter());
        await storage.ReadStateAsync("counter", _grain, read);
        Assert.Equal(2, read.State.Value);
    }

    [Fact]
    public async Task A_first_write_is_rejected_when_another_writer_created_the_record()
    {
        var storage = await StorageAsync();
        await storage.WriteStateAsync("counter", _grain, new Stored<Counter>(new Counter { Value = 1 }));

        var second = new Stored<Counter>(new Counter { Value = 2 });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", _grain, second));
    }

    [Fact]
    public async Task Clear_removes_the_state_and_an_old_etag_cannot_write_it_back()
    {
        var storage = await StorageAsync();
        var owner = new Stored<Counter>(new Counter { Value = 1 });
        await storage.WriteStateAsync("counter", _grain, owner);
        var stale = new Stored<Counter>(new Counter());
        await storage.ReadStateAsync("counter", _grain, stale);

        await storage.ClearStateAsync("counter", _grain, owner);
        await storage.WriteStateAsync("counter", _grain, owner);

        Assert.False(stale.ETag == owner.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", _grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("counter", _grain, stale));
    }

    [Fact]
    public async Task Services_and_state_names_do_not_see_each_others_state()
    {
        var a = await StorageAsync("service-a");
        var b = await StorageAsync("service-b");
        await a.WriteStateAsync("counter", _grain, new Stored<Counter>(new Counter { Value = 5 }));

        var fromB = new Stored<Counter>(new Counter());
        await b.ReadStateAsync("counter", _grain, fromB);
        var otherName = new Stored<Counter>(new Counter());
        await a.ReadStateAsync("other", _grain, otherName);

        Assert.False(fromB.RecordExists);
        Assert.False(otherName.RecordExists);
    }

    [Fact]
    public async Task Concurrent_writes_of_many_grains_are_all_stored_and_stale_ones_still_rejected()
    {
        var storage = await StorageAsync();
        var grains = Enumerable.Range(0, 200).Select(i => GrainId.Create("test", $"g{i}")).ToList();
        var states = grains.Select(g => new Stored<Counter>(new Counter { Value = 1 })).ToList();
        await Task.WhenAll(grains.Select((g, i) => storage.WriteStateAsync("counter", g, states[i])));
        var stale = new Stored<Counter>(new Counter()) { ETag = "not-the-stored-etag" };

        var updates = grains.Select((g, i) => { states[i].State.Value = i; return storage.WriteStateAsync("counter", g, states[i]); }).ToList();
        var conflict = storage.WriteStateAsync("counter", grains[0], stale);

        await Task.WhenAll(updates);
        await Assert.ThrowsAsync<InconsistentStateException>(() => conflict);
        for (var i = 0; i < grains.Count; i++)
        {
            var read = new Stored<Counter>(new Counter());
            await storage.ReadStateAsync("counter", grains[i], read);
            Assert.Equal((i, states[i].ETag), (read.State.Value, read.ETag));
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var storage in _opened)
        {
            await storage.DisposeAsync();
        }

        _data.Dispose();
    }
}
