using System.Text;

namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// Collects headings and paragraphs in reading order into <see cref="DocumentSection"/>s. A heading closes the
/// section before it and replaces the headings at its level and below in the heading path.
/// </summary>
internal sealed class SectionWriter(DocumentType type, ExtractionBudget budget)
{
    private const string PathSeparator = " > ";

    private readonly List<DocumentSection> _sections = [];
    private readonly List<(int Level, string Text)> _path = [];
    private readonly StringBuilder _body = new();
    private long _characters;

    /// <summary>Starts a section under a heading of <paramref name="level"/> (1 is the outermost).</summary>
    public void Heading(int level, string text)
    {
        var heading = TextNormalizer.CollapseWhitespace(text);
        if (heading.Length == 0)
        {
            return;
        }

        CloseSection();
        _path.RemoveAll(h => h.Level >= level);
        _path.Add((level, heading));
        Count(heading.Length);
    }

    /// <summary>Adds a paragraph to the current section; blank lines inside it split it into several.</summary>
    public void Paragraph(string text)
    {
        foreach (var paragraph in TextNormalizer.Paragraphs(text))
        {
            Count(paragraph.Length + 2);
            if (_body.Length > 0)
            {
                _body.Append("\n\n");
            }

            _body.Append(paragraph);
        }
    }

    /// <summary>The sections with text, or <c>document_empty</c> when there is none.</summary>
    public ExtractedDocument Build()
    {
        CloseSection();
        return _sections.Count == 0 ? throw DocumentErrors.Empty(type) : new ExtractedDocument(_sections);
    }

    private void CloseSection()
    {
        if (_body.Length > 0)
        {
            var heading = _path.Count == 0 ? null : string.Join(PathSeparator, _path.Select(h => h.Text));
            _sections.Add(new DocumentSection(heading, _body.ToString()));
            _body.Clear();
        }
    }

    private void Count(int characters)
    {
        budget.Check();
        var limits = budget.Limits;
        _characters += characters;
        if (_characters > limits.MaxExpandedBytes)
        {
            throw DocumentErrors.TooLarge(
                $"The file holds more than {DocumentErrors.Size(limits.MaxExpandedBytes)} of text. " +
                "Split it into smaller documents.");
        }
    }
}
