using System.Runtime.CompilerServices;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// An HTML page: h1 to h6 start sections; every block element (p, li, pre, blockquote, dt, dd, div...) ends a
/// paragraph, a table row becomes one paragraph of cells joined by <c> | </c>. Scripts, styles, navigation, footers
/// and the head are left out; whitespace is collapsed except inside pre.
/// </summary>
internal static class HtmlTextExtractor
{
    // Stands for a <br> while whitespace is collapsed, and becomes a line break after.
    private const char LineBreak = '\u2028';

    private static readonly HashSet<string> Dropped =
    [
        "script", "style", "noscript", "template", "nav", "footer", "head", "svg", "math", "iframe", "object",
        "embed", "canvas", "select", "button",
    ];

    private static readonly HashSet<string> Blocks =
    [
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "section", "article", "main", "header", "aside",
        "table", "thead", "tbody", "tfoot", "caption", "figure", "figcaption", "address", "details", "summary", "hr",
        "form", "fieldset", "legend", "body", "html",
    ];

    public static ExtractedDocument Extract(ReadOnlySpan<byte> content, ExtractionBudget budget)
    {
        var text = TextDecoder.TryDecode(content, DeclaredSingleByteCharset(content)) ?? throw DocumentErrors.NotText("HTML");
        var guard = new HtmlNestingGuard();
        using var document = new HtmlParser(new HtmlParserOptions { OnToken = guard.Observe }).ParseDocument(text);
        var walker = new Walker(new SectionWriter(DocumentType.Html, budget));
        if (document.DocumentElement is { } root)
        {
            walker.Walk(root);
        }

        return walker.Finish();
    }

    // Only the single-byte Western charsets are honoured; UTF-8 is the default and anything else must be UTF-8.
    private static Encoding? DeclaredSingleByteCharset(ReadOnlySpan<byte> content)
    {
        var head = Encoding.ASCII.GetString(content[..Math.Min(content.Length, 1024)]).ToLowerInvariant();
        return head.Contains("charset=\"iso-8859-1") || head.Contains("charset=iso-8859-1") ||
               head.Contains("charset=\"windows-1252") || head.Contains("charset=windows-1252")
            ? Encoding.Latin1
            : null;
    }

    private sealed class Walker(SectionWriter writer)
    {
        private readonly StringBuilder _inline = new();

        public void Walk(INode node)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            if (node is IText text)
            {
                _inline.Append(text.Data);
                return;
            }

            if (node is not IElement element)
            {
                return;
            }

            var name = element.LocalName;
            if (Dropped.Contains(name))
            {
                return;
            }

            if (name is ['h', >= '1' and <= '6'])
            {
                Flush();
                writer.Heading(name[1] - '0', Collect(element, preserve: false));
            }
            else if (name == "tr")
            {
                Flush();
                var cells = element.Children.Where(c => c.LocalName is "td" or "th").Select(c => Collect(c, preserve: false));
                writer.Paragraph(string.Join(" | ", cells));
            }
            else if (name == "pre")
            {
                Flush();
                writer.Paragraph(Collect(element, preserve: true));
            }
            else if (name == "br")
            {
                _inline.Append(LineBreak);
            }
            else if (Blocks.Contains(name))
            {
                Flush();
                WalkChildren(element);
                Flush();
            }
            else
            {
                WalkChildren(element);
            }
        }

        public ExtractedDocument Finish()
        {
            Flush();
            return writer.Build();
        }

        private void WalkChildren(IElement element)
        {
            foreach (var child in element.ChildNodes)
            {
                Walk(child);
            }
        }

        private void Flush()
        {
            writer.Paragraph(Collapse(_inline.ToString()));
            _inline.Clear();
        }

        // The text of an element that is written whole (a heading, a cell, a pre), without its dropped parts.
        private static string Collect(IElement element, bool preserve)
        {
            var collector = new StringBuilder();
            Append(element, collector);
            return preserve ? collector.ToString() : Collapse(collector.ToString());
        }

        private static void Append(INode node, StringBuilder collector)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            switch (node)
            {
                case IText text:
                    collector.Append(text.Data);
                    break;
                case IElement { LocalName: "br" }:
                    collector.Append(LineBreak);
                    break;
                case IElement element when !Dropped.Contains(element.LocalName):
                    if (Blocks.Contains(element.LocalName) || element.LocalName is "td" or "th" or "tr")
                    {
                        collector.Append(' ');
                    }

                    foreach (var child in element.ChildNodes)
                    {
                        Append(child, collector);
                    }

                    break;
            }
        }

        private static string Collapse(string text) =>
            string.Join('\n', text.Split(LineBreak).Select(TextNormalizer.CollapseWhitespace));
    }
}
