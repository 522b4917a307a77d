using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Embeddings;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Memory;
using AgentGrid.Grains.Records;
using AgentGrid.Grains.Usage;
using AgentGrid.Embeddings;
using AgentGrid.Knowledge.Search;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Memory;

/// <summary>
/// One agent's memory of one end user: each fact a row (with its embedding), held in memory with a lexical and a
/// vector index. Forget deletes the row and the index entries; retention deletes facts older than the agent allows,
/// on a reminder and whenever the grain activates.
/// </summary>
public sealed class AgentMemoryGrain(IRecordStore records, ModelMeter models, TimeProvider time, ILogger<AgentMemoryGrain> logger)
    : Grain, IAgentMemoryGrain, IRemindable
{
    public const int MaxMemories = 1000;
    public const int MaxTextLength = 2000;
    private const string RetentionReminder = "memory-retention";
    private readonly Dictionary<string, StoredMemory> _memories = new(StringComparer.Ordinal);
    private ChunkIndex _index = null!;
    private int? _retentionDays;

    private string Partition => "memory/" + this.GetPrimaryKeyString();

    private (string Tenant, string Agent, string? Owner, string User) Key => MemoryKeys.Parse(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _index = new ChunkIndex(MiniLmEmbeddingGenerator.Dimensions);
        foreach (var row in await records.ReadAsync(Partition, RecordQuery.All, cancellationToken))
        {
            Index(RecordJson.Deserialize<StoredMemory>(row.Body));
        }

        if (_memories.Count > 0)
        {
            await ApplyRetentionAsync();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _index.Dispose();
        return Task.CompletedTask;
    }

    public async Task<AgentMemory> AddAsync(string text, string source, Caller caller)
    {
        text = text?.Trim() ?? "";
        if (text.Length is 0 or > MaxTextLength || text.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
        {
            throw AgentGridException.Validation("text", $"text must be 1 to {MaxTextLength} characters, without control characters.");
        }

        if (_memories.Count >= MaxMemories)
        {
            throw AgentGridException.Validation("text", $"An agent remembers at most {MaxMemories} facts per user; forget some first.");
        }

        var vector = (await EmbedAsync(text, caller))[0];
        if (_memories.Count == 0)
        {
            // The first fact: learn the agent's retention, to know whether a reminder is needed.
            await ApplyRetentionAsync();
        }

        var memory = new StoredMemory(GrainKeys.NewId("mem"), text, source, time.GetUtcNow(), vector);
        await records.PutAsync(Partition, [RecordJson.Record(memory.Id, memory)]);
        Index(memory);
        await KeepRetentionReminderAsync();
        return ToMemory(memory, null);
    }

    public Task<IReadOnlyList<AgentMemory>> ListAsync() =>
        Task.FromResult<IReadOnlyList<AgentMemory>>([.. _memories.Values.OrderByDescending(m => m.CreatedAt).Select(m => ToMemory(m, null))]);

    public async Task<IReadOnlyList<AgentMemory>> SearchAsync(string query, int k, Caller caller)
    {
        if (string.IsNullOrWhiteSpace(query) || query.Length > Limits.MaxMessageLength)
        {
            throw AgentGridException.Validation("q", $"q must be 1 to {Limits.MaxMessageLength} characters.");
        }

        if (_memories.Count == 0)
        {
            return [];
        }

        var vector = (await EmbedAsync(query, caller))[0];
        return [.. _index.Search(query, vector, Math.Clamp(k, 1, 50), SearchMode.Hybrid)
            .Where(h => _memories.ContainsKey(h.DocumentId))
            .Select(h => ToMemory(_memories[h.DocumentId], Math.Round(h.Score, 6)))];
    }

    public async Task ForgetAsync(string memoryId)
    {
        if (!_memories.ContainsKey(memoryId))
        {
            throw new AgentGridException(ErrorCodes.MemoryNotFound, $"Memory '{memoryId}' was not found.");
        }

        await RemoveAsync([memoryId]);
    }

    public async Task ExtractAsync(string userMessage, string reply, Caller caller)
    {
        try
        {
            var agent = await GrainFactory.GetGrain<IAgentGrain>(GrainKeys.For(Key.Tenant, Key.Agent)).GetAsync();
            if (!agent.Memory.Extract)
            {
                return;
            }

            var call = new MeteredCall(caller, agent.Model, agent.Id, MeteredCall.Memory);
            foreach (var fact in await MemoryExtraction.ExtractAsync(models, call, userMessage, reply, this.GetPrimaryKeyString()))
            {
                if (_memories.Count < MaxMemories && !_memories.Values.Any(m => string.Equals(m.Text, fact, StringComparison.OrdinalIgnoreCase)))
                {
                    await AddAsync(fact, MemorySources.Extracted, caller);
                }
            }
        }
        catch (Exception e)
        {
            // Extraction is best effort: the turn it follows is already answered and stored.
            logger.LogWarning(e, "Memory {Memory} could not extract facts from a turn", this.GetPrimaryKeyString());
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == RetentionReminder)
        {
            await ApplyRetentionAsync();
            await KeepRetentionReminderAsync();
        }
    }

    /// <summary>Deletes the facts older than the agent's retention; all of them when the agent is gone.</summary>
    private async Task ApplyRetentionAsync()
    {
        int? days;
        _retentionDays = null;
        try
        {
            days = (await GrainFactory.GetGrain<IAgentGrain>(GrainKeys.For(Key.Tenant, Key.Agent)).GetAsync()).Memory.RetentionDays;
        }
        catch (AgentGridException e) when (e.Code == ErrorCodes.AgentNotFound)
        {
            days = 0;
        }

        _retentionDays = days;
        if (days is { } keep)
        {
            var cutoff = time.GetUtcNow().AddDays(-keep);
            var expired = _memories.Values.Where(m => m.CreatedAt <= cutoff).Select(m => m.Id).ToList();
            if (expired.Count > 0)
            {
                await RemoveAsync(expired);
                logger.LogInformation("Memory {Memory} dropped {Count} facts past retention", this.GetPrimaryKeyString(), expired.Count);
            }
        }
    }

    /// <summary>A reminder while there are facts and a retention to expire them by; none otherwise.</summary>
    private async Task KeepRetentionReminderAsync()
    {
        if (_memories.Count > 0 && _retentionDays is not null)
        {
            await this.RegisterOrUpdateReminder(RetentionReminder, TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        }
        else if (await this.GetReminder(RetentionReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task RemoveAsync(IReadOnlyList<string> ids)
    {
        foreach (var id in ids)
        {
            await records.DeleteAsync(Partition, new RecordQuery(Prefix: id));
            _index.RemoveDocument(id);
            _memories.Remove(id);
        }
    }

    private async Task<float[][]> EmbedAsync(string text, Caller caller) => [.. (await GrainFactory.GetGrain<IEmbeddingGrain>(0)
        .EmbedAsync(new EmbeddingRequest { Model = EmbeddingModels.Local, Inputs = [text], Caller = caller })).Vectors];

    private void Index(StoredMemory memory)
    {
        _memories[memory.Id] = memory;
        _index.Add([new IndexedChunk(memory.Id, memory.Id, memory.Text, null, memory.Vector)]);
    }

    private AgentMemory ToMemory(StoredMemory memory, double? score) => new()
    {
        Id = memory.Id, Text = memory.Text, User = Key.User, CreatedAt = memory.CreatedAt, Source = memory.Source, Score = score,
    };

    private sealed record StoredMemory(string Id, string Text, string Source, DateTimeOffset CreatedAt, float[] Vector);
}
