namespace AgentGrid.Knowledge.Search;

/// <summary>A chunk as the search indexes take it: its text, the heading it sits under and its embedding.</summary>
/// <param name="ChunkId">Unique within the knowledge base; adding a chunk with an id already indexed replaces it.</param>
/// <param name="DocumentId">The document the chunk came from; chunks are removed by document.</param>
/// <param name="Text">The chunk's text, searched lexically.</param>
/// <param name="Heading">The section heading the chunk sits under, if the document has one.</param>
/// <param name="Vector">The chunk's embedding, of the vector index's dimensions (normalised on the way in).</param>
public sealed record IndexedChunk(string ChunkId, string DocumentId, string Text, string? Heading, ReadOnlyMemory<float> Vector);
