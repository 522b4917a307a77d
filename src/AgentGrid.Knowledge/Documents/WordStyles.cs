using System.Xml;

namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// The heading level of each paragraph style in a document's styles part, from the style's name (<c>heading 2</c>),
/// its outline level, or the style it is based on, so that headings in any UI language are found.
/// </summary>
internal sealed class WordStyles
{
    private const int MaxBasedOnDepth = 10;

    private readonly Dictionary<string, (int? Level, string? BasedOn)> _styles = new(StringComparer.Ordinal);

    /// <summary>No styles part: only the built-in style ids are recognised.</summary>
    public static WordStyles None { get; } = new();

    /// <summary>Reads the styles part; the stream is disposed.</summary>
    public static WordStyles Read(Stream part)
    {
        var styles = new WordStyles();
        using var reader = WordXml.Open(part);
        while (reader.ReadToFollowing("style", WordXml.Main))
        {
            var type = reader.GetAttribute("type", WordXml.Main);
            var id = reader.GetAttribute("styleId", WordXml.Main);
            if (id is not null && type is null or "paragraph")
            {
                styles._styles[id] = ReadStyle(reader.ReadSubtree(), id);
            }
        }

        return styles;
    }

    /// <summary>The heading level of the paragraph style with this id, or null for body text.</summary>
    public int? LevelOf(string? styleId)
    {
        for (var depth = 0; styleId is not null && depth < MaxBasedOnDepth; depth++)
        {
            if (!_styles.TryGetValue(styleId, out var style))
            {
                return WordXml.HeadingLevel(styleId);
            }

            if (style.Level is not null)
            {
                return style.Level;
            }

            styleId = style.BasedOn;
        }

        return null;
    }

    private static (int? Level, string? BasedOn) ReadStyle(XmlReader style, string id)
    {
        using (style)
        {
            int? byName = null, byOutline = null;
            string? basedOn = null;
            while (style.Read())
            {
                if (style.NodeType != XmlNodeType.Element || style.NamespaceURI != WordXml.Main)
                {
                    continue;
                }

                switch (style.LocalName)
                {
                    case "name":
                        byName = WordXml.HeadingLevel(WordXml.Val(style));
                        break;
                    case "outlineLvl":
                        byOutline = WordXml.OutlineLevel(WordXml.Val(style));
                        break;
                    case "basedOn":
                        basedOn = WordXml.Val(style);
                        break;
                }
            }

            return (byName ?? byOutline ?? WordXml.HeadingLevel(id), basedOn);
        }
    }
}
