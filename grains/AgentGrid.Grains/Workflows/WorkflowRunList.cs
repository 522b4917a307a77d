using AgentGrid.Contracts;
using AgentGrid.Contracts.Workflows;
using AgentGrid.Grains.Records;

namespace AgentGrid.Grains.Workflows;

/// <summary>
/// A workflow's runs as rows of the record store, numbered from 1 in the order they started: listing one more run
/// costs one row however many there are, and a page is read newest first from below a number.
/// </summary>
internal sealed class WorkflowRunList(IRecordStore records, string workflowKey)
{
    private string Partition => "workflow-run-list/" + workflowKey;

    public Task PutAsync(long number, string runId) => records.PutAsync(Partition, [RecordJson.Record(RecordIds.Of(number), runId)]);

    /// <summary>Lists runs kept newest first (by a version that kept them in the grain's state), the oldest as number 1.</summary>
    public Task ImportAsync(IReadOnlyList<string> newestFirst) =>
        records.PutAsync(Partition, [.. newestFirst.Reverse().Select((runId, i) => RecordJson.Record(RecordIds.Of(i + 1), runId))]);

    public async Task<WorkflowRunPage> PageAsync(long? before, int limit)
    {
        limit = Math.Clamp(limit, 1, Limits.MaxRunPage);
        // One row more than the page says whether an older page follows.
        var rows = await records.ReadAsync(Partition, new RecordQuery(Before: before is { } b ? RecordIds.Of(b) : null, Limit: limit + 1, Descending: true));
        var page = rows.Take(limit).ToList();
        return new WorkflowRunPage
        {
            RunIds = [.. page.Select(r => RecordJson.Deserialize<string>(r.Body))],
            Next = rows.Count > limit ? RecordIds.Parse(page[^1].Id) : null,
        };
    }

    public Task ClearAsync() => records.DeleteAsync(Partition, RecordQuery.All);
}
