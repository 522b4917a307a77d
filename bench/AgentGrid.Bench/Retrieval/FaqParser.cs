using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace AgentGrid.Bench.Retrieval;

/// <summary>
/// Reads the questions out of one chapter of the FAQ's DocBook HTML: every <c>div.section</c> is a question whose
/// heading is its title; its answer is its own text up to the first sub-question, or with <c>nested</c> the text
/// of its sub-questions too (their headings left out).
/// </summary>
public static partial class FaqParser
{
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "P", "DIV", "UL", "OL", "LI", "PRE", "DL", "DT", "DD", "TABLE", "TR", "TD", "TH", "BLOCKQUOTE", "H1", "H2", "H3", "H4", "H5", "H6",
    };

    /// <summary>The questions of the chapter in <paramref name="html"/>, or none if it is not a numbered chapter.</summary>
    public static IEnumerable<FaqQuestion> Parse(string html, bool nested)
    {
        var document = new HtmlParser().ParseDocument(html);
        var title = Clean(document.QuerySelector("h1.title")?.TextContent ?? "");
        var chapter = ChapterTitle().Match(title);
        if (!chapter.Success)
        {
            yield break;
        }

        foreach (var section in document.QuerySelectorAll("div.section"))
        {
            var heading = Clean(section.Children.FirstOrDefault(IsTitlePage)?.QuerySelector(".title")?.TextContent ?? "");
            var number = QuestionNumber().Match(heading);
            if (!number.Success)
            {
                continue;
            }

            var paragraphs = new List<string>();
            var line = new StringBuilder();
            foreach (var child in section.ChildNodes)
            {
                Collect(child, nested, paragraphs, line);
            }

            Flush(paragraphs, line);
            if (paragraphs.Count > 0)
            {
                yield return new FaqQuestion(number.Groups["id"].Value, heading[number.Length..], string.Join("\n\n", paragraphs), chapter.Groups["title"].Value);
            }
        }
    }

    private static void Collect(INode node, bool nested, List<string> paragraphs, StringBuilder line)
    {
        if (node is IText text)
        {
            line.Append(text.Data);
            return;
        }

        if (node is not IElement element || IsTitlePage(element) || (IsSection(element) && !nested))
        {
            return;
        }

        var block = Blocks.Contains(element.TagName);
        if (block)
        {
            Flush(paragraphs, line);
        }

        foreach (var child in element.ChildNodes)
        {
            Collect(child, nested, paragraphs, line);
        }

        if (block)
        {
            Flush(paragraphs, line);
        }
    }

    private static void Flush(List<string> paragraphs, StringBuilder line)
    {
        var paragraph = Clean(line.ToString());
        line.Clear();
        if (paragraph.Length > 0)
        {
            paragraphs.Add(paragraph);
        }
    }

    private static bool IsTitlePage(IElement element) => element.ClassList.Contains("titlepage");

    private static bool IsSection(IElement element) => element.TagName == "DIV" && element.ClassList.Contains("section");

    private static string Clean(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^Chapter\s+\d+\.\s*(?<title>.+)$")]
    private static partial Regex ChapterTitle();

    [GeneratedRegex(@"^(?<id>\d+(\.\d+)+)\.?\s+")]
    private static partial Regex QuestionNumber();
}
