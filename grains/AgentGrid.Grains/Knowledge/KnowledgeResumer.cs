using AgentGrid.Contracts.Knowledge;
using AgentGrid.Grains.Records;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Knowledge;

/// <summary>
/// When a silo becomes active, resumes the ingestions a stop cut off (documents listed as pending). Every silo does it;
/// a document already running ignores the call, and one whose file is gone fails with a clear error.
/// </summary>
public sealed class KnowledgeResumer(IGrainFactory grains, IRecordStore records, ILogger<KnowledgeResumer> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(KnowledgeResumer), ServiceLifecycleStage.Active, Start, _ => Task.CompletedTask);

    private Task Start(CancellationToken cancellationToken)
    {
        _ = Task.Run(ResumeAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task ResumeAsync()
    {
        try
        {
            var pending = await records.ReadAsync(KnowledgeKeys.PendingPartition, RecordQuery.All);
            foreach (var row in pending)
            {
                await grains.GetGrain<IKnowledgeDocumentGrain>(row.Id).ResumeAsync();
            }

            if (pending.Count > 0)
            {
                logger.LogInformation("Resumed {Count} document ingestions", pending.Count);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not resume pending document ingestions; they resume when their knowledge base is next used");
        }
    }
}
