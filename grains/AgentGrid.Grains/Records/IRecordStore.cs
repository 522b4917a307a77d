namespace AgentGrid.Grains.Records;

/// <summary>
/// Append-mostly rows grouped in partitions: a session's messages and events, a knowledge-base shard's chunks, an
/// agent's memories. Unlike grain state, writing a row costs the same however many rows the partition holds. Rows of
/// one partition are ordered by id (ordinal comparison), so ids are chosen to sort (zero-padded numbers).
/// </summary>
public interface IRecordStore
{
    /// <summary>Stores the rows in one transaction; a row whose id exists is replaced (a retried write is harmless).</summary>
    Task PutAsync(string partition, IReadOnlyList<StoredRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Rows of a partition in id order (or reverse), optionally after/before an id, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredRecord>> ReadAsync(string partition, RecordQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes the rows the query selects (its limit and order aside); returns how many.</summary>
    Task<int> DeleteAsync(string partition, RecordQuery query, CancellationToken cancellationToken = default);
}

/// <summary>One row: its id within the partition and its body (UTF-8 JSON for everything the grid stores).</summary>
public sealed record StoredRecord(string Id, byte[] Body);

/// <summary>Which rows to read: ids strictly after <see cref="After"/> and strictly before <see cref="Before"/>, those starting with <see cref="Prefix"/>.</summary>
public readonly record struct RecordQuery(string? After = null, string? Before = null, string? Prefix = null, int Limit = int.MaxValue, bool Descending = false)
{
    public static RecordQuery All { get; } = new(Limit: int.MaxValue);

    /// <summary>The smallest id that sorts after every id starting with <paramref name="prefix"/> (ids are ASCII).</summary>
    public static string PrefixEnd(string prefix) => prefix + '\u007f';
}
