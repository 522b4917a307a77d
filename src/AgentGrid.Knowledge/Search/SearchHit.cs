namespace AgentGrid.Knowledge.Search;

/// <summary>A chunk found by <see cref="ChunkIndex.Search"/>, with the text to hand to a model.</summary>
public sealed record SearchHit(string ChunkId, string DocumentId, string Text, string? Heading, double Score);
