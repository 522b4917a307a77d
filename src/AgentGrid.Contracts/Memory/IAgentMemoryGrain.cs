using AgentGrid.Contracts.Identity;
using Orleans.Concurrency;

namespace AgentGrid.Contracts.Memory;

/// <summary>
/// An agent's long-term memory of one end user, keyed <c>{tenant}/{agentId}/{user}</c>: facts saved explicitly or
/// extracted after turns, searchable, the most relevant entering each turn's prompt, deleted for good by forget, and
/// dropped when older than the agent's retention.
/// </summary>
[Alias("agentgrid.IAgentMemoryGrain")]
public interface IAgentMemoryGrain : IGrainWithStringKey
{
    /// <summary>Saves a fact; it is embedded under <paramref name="caller"/>.</summary>
    [Alias("add")] Task<AgentMemory> AddAsync(string text, string source, Caller caller);

    [Alias("list")] [ReadOnly] Task<IReadOnlyList<AgentMemory>> ListAsync();

    /// <summary>The facts that best match <paramref name="query"/>, best first; nothing when none is stored.</summary>
    [Alias("search")] [ReadOnly] Task<IReadOnlyList<AgentMemory>> SearchAsync(string query, int k, Caller caller);

    /// <summary>Deletes a fact from storage and from the index; <c>memory_not_found</c> when there is none.</summary>
    [Alias("forget")] Task ForgetAsync(string memoryId);

    /// <summary>Has the agent's model take durable facts from one exchange, after the reply is stored.</summary>
    [Alias("extract")] [OneWay] Task ExtractAsync(string userMessage, string reply, Caller caller);
}
