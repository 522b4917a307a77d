namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// One piece of a document as it is indexed: <see cref="Index"/> counts from 0 in reading order,
/// <see cref="Heading"/> is the heading path of the section it comes from and is not repeated in
/// <see cref="Text"/>.
/// </summary>
public sealed record DocumentChunk(int Index, string? Heading, string Text);
