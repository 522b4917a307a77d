using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using W = DocumentFormat.OpenXml;

namespace AgentGrid.Tests.Knowledge.Documents;

/// <summary>Builds small .docx files in memory with the OpenXml SDK.</summary>
internal static class DocxFixture
{
    public static Paragraph Styled(string styleId, string text) =>
        new(new ParagraphProperties(new ParagraphStyleId { Val = styleId }), new Run(new Text(text)));

    public static Paragraph Plain(string text) => new(new Run(new Text(text) { Space = W.SpaceProcessingModeValues.Preserve }));

    public static Table Table(params string[][] rows) =>
        new(rows.Select(cells => new TableRow(cells.Select(cell => new TableCell(Plain(cell))))));

    /// <summary>A document whose body holds <paramref name="blocks"/>, with a styles part when one is given.</summary>
    public static byte[] Create(IEnumerable<W.OpenXmlElement> blocks, Styles? styles = null)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, W.WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(blocks));
            if (styles is not null)
            {
                main.AddNewPart<StyleDefinitionsPart>().Styles = styles;
            }
        }

        return stream.ToArray();
    }

    public static byte[] Create(params W.OpenXmlElement[] blocks) => Create(blocks.AsEnumerable());

    /// <summary>A paragraph style as Word writes it in a German UI: its id is not "Heading1", its name is.</summary>
    public static Style HeadingStyle(string styleId, int level) => new(
        new StyleName { Val = $"heading {level}" },
        new StyleParagraphProperties(new OutlineLevel { Val = level - 1 }))
    {
        Type = StyleValues.Paragraph,
        StyleId = styleId,
    };
}
