namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// One part of a document under a heading. <see cref="Heading"/> is the heading path such as
/// <c>Installation &gt; Requirements</c> (null before the first heading); <see cref="Text"/> is the body under it,
/// paragraphs separated by a blank line.
/// </summary>
public sealed record DocumentSection(string? Heading, string Text);
