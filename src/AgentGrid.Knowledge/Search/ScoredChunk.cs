namespace AgentGrid.Knowledge.Search;

/// <summary>A chunk id ranked by one index or by fusion; scores are only comparable within one result list.</summary>
public sealed record ScoredChunk(string ChunkId, double Score);
