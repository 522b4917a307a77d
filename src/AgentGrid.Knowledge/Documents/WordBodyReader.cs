using System.Text;
using System.Xml;

namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// Streams the main part of a .docx: paragraphs in heading styles start sections, other paragraphs become
/// paragraphs, each table row one paragraph of cells joined by <c> | </c>. Deleted and moved-away text, field codes
/// and the fallback copies of drawings are left out.
/// </summary>
internal sealed class WordBodyReader(WordStyles styles, SectionWriter writer)
{
    private readonly Stack<Paragraph> _paragraphs = new();
    private readonly List<string> _row = [];
    private StringBuilder? _cell;
    private int _tableDepth;

    /// <summary>Reads the part; the stream is disposed.</summary>
    public void Read(Stream part)
    {
        using var reader = WordXml.Open(part);
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && Skips(reader))
            {
                reader.Skip();
            }
            else if (reader.NodeType == XmlNodeType.Element && reader.NamespaceURI == WordXml.Main && reader.LocalName == "t")
            {
                var text = reader.ReadElementContentAsString();
                _paragraphs.TryPeek(out var paragraph);
                paragraph?.Text.Append(text);
            }
            else
            {
                if (reader.NodeType == XmlNodeType.Element && reader.NamespaceURI == WordXml.Main)
                {
                    Start(reader);
                }
                else if (reader.NodeType == XmlNodeType.EndElement && reader.NamespaceURI == WordXml.Main)
                {
                    End(reader.LocalName);
                }

                reader.Read();
            }
        }
    }

    private static bool Skips(XmlReader reader) =>
        (reader.NamespaceURI == WordXml.MarkupCompatibility && reader.LocalName == "Fallback") ||
        (reader.NamespaceURI == WordXml.Main && reader.LocalName is "del" or "moveFrom" or "instrText");

    private void Start(XmlReader reader)
    {
        _paragraphs.TryPeek(out var paragraph);
        switch (reader.LocalName)
        {
            case "p":
                _paragraphs.Push(new Paragraph());
                if (reader.IsEmptyElement)
                {
                    End("p");
                }

                break;
            case "pStyle" when paragraph is not null:
                paragraph.StyleId = WordXml.Val(reader);
                break;
            case "outlineLvl" when paragraph is not null:
                paragraph.OutlineLevel = WordXml.OutlineLevel(WordXml.Val(reader)) ?? 0;
                break;
            case "tab" when paragraph is not null:
                paragraph.Text.Append('\t');
                break;
            case "br" or "cr" when paragraph is not null:
                paragraph.Text.Append('\n');
                break;
            case "noBreakHyphen" when paragraph is not null:
                paragraph.Text.Append('-');
                break;
            case "tbl":
                _tableDepth++;
                break;
            case "tc" when _tableDepth == 1:
                _cell = new StringBuilder();
                break;
        }
    }

    private void End(string name)
    {
        switch (name)
        {
            case "p" when _paragraphs.TryPop(out var paragraph):
                Write(paragraph);
                break;
            case "tc" when _tableDepth == 1 && _cell is not null:
                _row.Add(TextNormalizer.CollapseWhitespace(_cell.ToString()));
                _cell = null;
                break;
            case "tr" when _tableDepth == 1:
                if (_row.Any(cell => cell.Length > 0))
                {
                    writer.Paragraph(string.Join(" | ", _row));
                }

                _row.Clear();
                break;
            case "tbl":
                _tableDepth = Math.Max(0, _tableDepth - 1);
                break;
        }
    }

    private void Write(Paragraph paragraph)
    {
        // Tab stops defined in the paragraph's properties read as tabs too; at the edges they mean nothing.
        var text = paragraph.Text.ToString().Trim();
        if (_cell is not null)
        {
            _cell.Append(' ').Append(text);
            return;
        }

        // An outline level set on the paragraph itself wins over its style; 0 here means "body text".
        var level = paragraph.OutlineLevel ?? styles.LevelOf(paragraph.StyleId);
        if (level is > 0 && !string.IsNullOrWhiteSpace(text))
        {
            writer.Heading(level.Value, text);
        }
        else
        {
            writer.Paragraph(text);
        }
    }

    private sealed class Paragraph
    {
        public StringBuilder Text { get; } = new();

        public string? StyleId { get; set; }

        public int? OutlineLevel { get; set; }
    }
}
