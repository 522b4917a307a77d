namespace AgentGrid.Bench.Retrieval;

/// <summary>One numbered question of the Debian FAQ: its heading (without the number) and its answer.</summary>
/// <param name="Id">The question's number, such as <c>8.1.2</c>.</param>
/// <param name="Question">The heading without its number: the benchmark's query.</param>
/// <param name="Answer">The answer's text without the heading, paragraphs separated by a blank line: what is indexed.</param>
/// <param name="Chapter">The chapter's title without its number, such as <c>The Debian package management tools</c>.</param>
public sealed record FaqQuestion(string Id, string Question, string Answer, string Chapter);
