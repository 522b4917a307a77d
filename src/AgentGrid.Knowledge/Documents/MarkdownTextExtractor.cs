using System.Runtime.CompilerServices;
using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// A Markdown file: headings (ATX and setext) start sections; paragraphs, list items, code blocks and table rows
/// become paragraphs. Front matter, raw HTML and link definitions are left out.
/// </summary>
internal static class MarkdownTextExtractor
{
    // Quotes and lists nested deeper than this are not prose; walking them could exhaust the stack.
    private const int MaxNesting = 256;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseYamlFrontMatter()
        .Build();

    public static ExtractedDocument Extract(ReadOnlySpan<byte> content, ExtractionBudget budget)
    {
        var text = TextDecoder.TryDecode(content) ?? throw DocumentErrors.NotText("Markdown");
        var writer = new SectionWriter(DocumentType.Markdown, budget);
        WriteBlocks(Markdown.Parse(text, Pipeline), writer, 0);
        return writer.Build();
    }

    private static void WriteBlocks(ContainerBlock container, SectionWriter writer, int depth)
    {
        if (depth > MaxNesting)
        {
            throw DocumentErrors.Corrupt("Markdown file", $"it nests quotes or lists more than {MaxNesting} deep");
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
        foreach (var block in container)
        {
            switch (block)
            {
                case YamlFrontMatterBlock or HtmlBlock or LinkReferenceDefinitionGroup or ThematicBreakBlock:
                    break;
                case HeadingBlock heading:
                    writer.Heading(heading.Level, InlineText(heading.Inline));
                    break;
                case Table table:
                    foreach (var row in table.OfType<TableRow>())
                    {
                        writer.Paragraph(string.Join(" | ", row.OfType<TableCell>().Select(CellText)));
                    }

                    break;
                case CodeBlock code:
                    writer.Paragraph(code.Lines.ToString());
                    break;
                case LeafBlock leaf:
                    writer.Paragraph(InlineText(leaf.Inline));
                    break;
                case ContainerBlock children:
                    WriteBlocks(children, writer, depth + 1);
                    break;
            }
        }
    }

    private static string CellText(TableCell cell) =>
        string.Join(" ", cell.OfType<LeafBlock>().Select(leaf => TextNormalizer.CollapseWhitespace(InlineText(leaf.Inline))));

    private static string InlineText(ContainerInline? inline)
    {
        var builder = new StringBuilder();
        if (inline is not null)
        {
            AppendInline(inline, builder);
        }

        return builder.ToString();
    }

    private static void AppendInline(ContainerInline container, StringBuilder builder)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    builder.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    builder.Append(code.Content);
                    break;
                case HtmlEntityInline entity:
                    builder.Append(entity.Transcoded.ToString());
                    break;
                case AutolinkInline link:
                    builder.Append(link.Url);
                    break;
                case LineBreakInline lineBreak:
                    builder.Append(lineBreak.IsHard ? '\n' : ' ');
                    break;
                case ContainerInline children:
                    AppendInline(children, builder);
                    break;
            }
        }
    }
}
