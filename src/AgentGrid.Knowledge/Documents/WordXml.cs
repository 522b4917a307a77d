using System.Xml;

namespace AgentGrid.Knowledge.Documents;

/// <summary>Names and reader settings shared by the readers of WordprocessingML parts.</summary>
internal static class WordXml
{
    public const string Main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    public const string MarkupCompatibility = "http://schemas.openxmlformats.org/markup-compatibility/2006";

    // No DTDs and no external resources: a part is untrusted input.
    public static XmlReader Open(Stream part) => XmlReader.Create(part, new XmlReaderSettings
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    });

    /// <summary>The <c>w:val</c> attribute of the element the reader is on.</summary>
    public static string? Val(XmlReader reader) => reader.GetAttribute("val", Main);

    /// <summary>
    /// The heading level (1 to 9) a paragraph style or an outline level stands for: style ids and names such as
    /// <c>Heading1</c>, <c>heading 1</c> or <c>Title</c>; outline levels 0 to 8. Null for body text.
    /// </summary>
    public static int? HeadingLevel(string? styleIdOrName)
    {
        var value = styleIdOrName?.Replace(" ", "", StringComparison.Ordinal);
        if (string.Equals(value, "Title", StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        return value is { Length: 8 } && value.StartsWith("heading", StringComparison.OrdinalIgnoreCase) &&
               value[7] is >= '1' and <= '9'
            ? value[7] - '0'
            : null;
    }

    /// <summary>The heading level of a <c>w:outlineLvl</c> value: 0 is level 1, 9 (body text) and junk are null.</summary>
    public static int? OutlineLevel(string? value) =>
        int.TryParse(value, out var level) && level is >= 0 and <= 8 ? level + 1 : null;
}
