using Orleans.Runtime;

namespace AgentGrid.Grains.Records;

/// <summary>
/// Orleans reminders kept as rows of the record store, so the embedded grid's reminders (memory retention) survive a
/// restart like its data does. Meant for one silo or a few: a range read scans the table's rows.
/// </summary>
public sealed class RecordReminderTable(IRecordStore records) : IReminderTable
{
    private const string Partition = "reminders";

    // Grain ids never contain it, so a grain's reminders share an id prefix and no other grain's.
    private const char Separator = '\u001f';

    public Task Init() => Task.CompletedTask;

    public async Task<ReminderTableData> ReadRows(GrainId grainId) =>
        new((await records.ReadAsync(Partition, new RecordQuery(Prefix: grainId + Separator.ToString()))).Select(ToEntry));

    public async Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        var rows = (await records.ReadAsync(Partition, RecordQuery.All)).Select(ToEntry);
        return new ReminderTableData(rows.Where(r =>
        {
            var hash = r.GrainId.GetUniformHashCode();
            return begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
        }));
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        (await records.ReadAsync(Partition, new RecordQuery(Prefix: Id(grainId, reminderName)))).Select(ToEntry)
            .FirstOrDefault(r => r.ReminderName == reminderName);

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        var etag = Guid.NewGuid().ToString("N");
        await records.PutAsync(Partition, [RecordJson.Record(Id(entry.GrainId, entry.ReminderName),
            new StoredReminder(entry.GrainId.ToString(), entry.ReminderName, entry.StartAt, entry.Period, etag))]);
        return etag;
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        var current = await ReadRow(grainId, reminderName);
        if (current is null || current.ETag != eTag)
        {
            return false;
        }

        return await records.DeleteAsync(Partition, new RecordQuery(Prefix: Id(grainId, reminderName))) > 0;
    }

    public Task TestOnlyClearTable() => records.DeleteAsync(Partition, RecordQuery.All);

    private static string Id(GrainId grainId, string reminderName) => $"{grainId}{Separator}{reminderName}";

    private static ReminderEntry ToEntry(StoredRecord row)
    {
        var stored = RecordJson.Deserialize<StoredReminder>(row.Body);
        return new ReminderEntry
        {
            GrainId = GrainId.Parse(stored.GrainId), ReminderName = stored.Name, StartAt = stored.StartAt, Period = stored.Period, ETag = stored.ETag,
        };
    }

    private sealed record StoredReminder(string GrainId, string Name, DateTime StartAt, TimeSpan Period, string ETag);
}
