using AngleSharp.Html.Parser;
using AngleSharp.Html.Parser.Tokens;
using AngleSharp.Text;

namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// Watches the tags the HTML parser reads and refuses a page that leaves too many elements open at once. The parser
/// caps the depth of its tree, but every element left open stays on its stack of open elements, which each new
/// block scans: thousands of unclosed divs make parsing quadratic, minutes for a few hundred kilobytes.
/// </summary>
internal sealed class HtmlNestingGuard
{
    /// <summary>The most elements left open at once; browsers nest no deeper than 512.</summary>
    public const int MaxOpenElements = 256;

    private static readonly HashSet<string> Void =
    [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param",
        "keygen", "basefont", "bgsound", "frame",
    ];

    // The parser closes these itself when a sibling starts, so leaving them open costs nothing.
    private static readonly HashSet<string> ClosedImplicitly =
    [
        "html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
        "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp",
    ];

    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private int _total;

    public void Observe(HtmlToken token, TextRange range)
    {
        if (token is not HtmlTagToken tag || Void.Contains(tag.Name) || ClosedImplicitly.Contains(tag.Name))
        {
            return;
        }

        if (tag.Type == HtmlTokenType.EndTag)
        {
            if (_open.TryGetValue(tag.Name, out var count) && count > 0)
            {
                _open[tag.Name] = count - 1;
                _total--;
            }

            return;
        }

        // In HTML a trailing slash does not close a div; only inside SVG and MathML does it close an element.
        if (tag.Type != HtmlTokenType.StartTag || (tag.IsSelfClosing && (InForeignContent || tag.Name is "svg" or "math")))
        {
            return;
        }

        _open[tag.Name] = _open.GetValueOrDefault(tag.Name) + 1;
        if (++_total > MaxOpenElements)
        {
            throw DocumentErrors.Corrupt("HTML page", $"it leaves more than {MaxOpenElements} elements open inside each other");
        }
    }

    private bool InForeignContent => _open.GetValueOrDefault("svg") > 0 || _open.GetValueOrDefault("math") > 0;
}
