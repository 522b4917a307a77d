using AgentGrid.Grains.Memory;
using AgentGrid.Grains.Records;
using AgentGrid.Grains.Usage;
using AgentGrid.Inference.Providers;
using AgentGrid.Inference.Tokens;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Sessions;

/// <summary>What every session activation shares: the model meter, the history's store and the context window's parts.</summary>
public sealed class SessionServices(
    ModelMeter models, IRecordStore records, ModelContexts contexts, TokenCounter tokens, SessionSummarizer summarizer, IOptions<InferenceOptions> inference,
    IOptions<Tools.ToolOptions> tools)
{
    public Tools.ToolOptions Tools => tools.Value;

    public ModelMeter Models => models;

    public IRecordStore Records => records;

    internal SessionMemory MemoryFor(SessionHistory history) => new(history, contexts, tokens, summarizer, inference.Value.MaxOutputTokens);
}
