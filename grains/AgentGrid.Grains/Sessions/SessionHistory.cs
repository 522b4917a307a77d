using AgentGrid.Contracts.Sessions;
using AgentGrid.Grains.Records;

namespace AgentGrid.Grains.Sessions;

/// <summary>
/// A session's messages and events as rows of one partition (<c>m/{index}</c>, <c>e/{sequence}</c>), appended as they
/// happen: a turn writes its few new rows, whatever the length of the conversation. Only the recent window is held in
/// memory; older messages are read from the store page by page.
/// </summary>
internal sealed class SessionHistory(IRecordStore store, string sessionKey, int window)
{
    private const string Messages = "m/";
    private const string Events = "e/";
    private readonly List<SessionMessage> _recent = [];
    private readonly string _partition = PartitionOf(sessionKey);

    public static string PartitionOf(string sessionKey) => "session/" + sessionKey;

    /// <summary>How many messages the session has.</summary>
    public long Count { get; private set; }

    /// <summary>The most recent messages, oldest first; at most the window.</summary>
    public IReadOnlyList<SessionMessage> Recent => _recent;

    public SessionMessage? Last => _recent.Count > 0 ? _recent[^1] : null;

    /// <summary>Reads the recent window and the last <paramref name="events"/> events.</summary>
    public async Task<List<SessionEvent>> LoadAsync(int events)
    {
        var messages = await store.ReadAsync(_partition, new RecordQuery(Prefix: Messages, Limit: window, Descending: true));
        _recent.Clear();
        _recent.AddRange(messages.Select(m => RecordJson.Deserialize<SessionMessage>(m.Body)).Reverse());
        Count = _recent.Count > 0 ? _recent[^1].Index : 0;
        var stored = await store.ReadAsync(_partition, new RecordQuery(Prefix: Events, Limit: events, Descending: true));
        return [.. stored.Select(e => RecordJson.Deserialize<SessionEvent>(e.Body)).Reverse()];
    }

    /// <summary>The next message's index (1-based).</summary>
    public long NextIndex => Count + 1;

    /// <summary>Stores new messages and events in one write; the window takes the messages once they are stored.</summary>
    public async Task AppendAsync(IReadOnlyList<SessionMessage> messages, IReadOnlyList<SessionEvent> events)
    {
        var rows = new List<StoredRecord>(messages.Count + events.Count);
        rows.AddRange(messages.Select(m => RecordJson.Record(Messages + RecordIds.Of(m.Index), m)));
        rows.AddRange(events.Select(e => RecordJson.Record(Events + RecordIds.Of(e.Sequence), e)));
        await store.PutAsync(_partition, rows);
        foreach (var message in messages)
        {
            _recent.Add(message);
            Count = Math.Max(Count, message.Index);
        }

        if (_recent.Count > window)
        {
            _recent.RemoveRange(0, _recent.Count - window);
        }
    }

    /// <summary>The messages before index <paramref name="before"/> (all when null), the last <paramref name="limit"/> of them, oldest first.</summary>
    public async Task<IReadOnlyList<SessionMessage>> PageAsync(long? before, int limit)
    {
        var end = Math.Min(before ?? long.MaxValue, Count + 1);
        var first = _recent.Count > 0 ? _recent[0].Index : Count + 1;
        if (end - limit >= first || first == 1)
        {
            return [.. _recent.Where(m => m.Index < end).TakeLast(limit)];
        }

        var rows = await store.ReadAsync(_partition, new RecordQuery(Before: Messages + RecordIds.Of(end), Prefix: Messages, Limit: limit, Descending: true));
        return [.. rows.Select(r => RecordJson.Deserialize<SessionMessage>(r.Body)).Reverse()];
    }

    /// <summary>The messages with indexes <paramref name="from"/> to <paramref name="to"/>, oldest first.</summary>
    public async Task<IReadOnlyList<SessionMessage>> RangeAsync(long from, long to)
    {
        if (_recent.Count > 0 && _recent[0].Index <= from)
        {
            return [.. _recent.Where(m => m.Index >= from && m.Index <= to)];
        }

        var rows = await store.ReadAsync(_partition, new RecordQuery(After: Messages + RecordIds.Of(from - 1), Before: Messages + RecordIds.Of(to + 1)));
        return [.. rows.Select(r => RecordJson.Deserialize<SessionMessage>(r.Body))];
    }

    /// <summary>Drops stored events below <paramref name="sequence"/>: replay never reaches that far back.</summary>
    public Task TrimEventsAsync(long sequence) => store.DeleteAsync(_partition, new RecordQuery(Prefix: Events, Before: Events + RecordIds.Of(sequence)));

    public async Task DeleteAsync()
    {
        await store.DeleteAsync(_partition, RecordQuery.All);
        _recent.Clear();
        Count = 0;
    }
}
