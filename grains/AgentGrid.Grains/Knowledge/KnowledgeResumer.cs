using AgentGrid.Contracts.Knowledge;
using AgentGrid.Grains.Records;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Knowledge;

/// <summary>
/// Resumes the ingestions a stop cut off (documents listed as pending) when a silo becomes active; a document already
/// running ignores it, and one whose file is gone fails with a clear error. Otherwise they resume when their knowledge
/// base is next used.
/// </summary>
public sealed class KnowledgeResumer(IGrainFactory grains, IRecordStore records, ILogger<KnowledgeResumer> logger)
    : StartupResumer(records, KnowledgeKeys.PendingPartition, "document ingestions", logger)
{
    protected override Task ResumeAsync(string id) => grains.GetGrain<IKnowledgeDocumentGrain>(id).ResumeAsync();
}
