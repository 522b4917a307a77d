using AgentGrid.Contracts.Errors;
using AgentGrid.Knowledge.Documents;

namespace AgentGrid.Tests.Knowledge.Documents;

public sealed class MarkdownExtractionTests
{
    private static ExtractedDocument Extract(string markdown) =>
        DocumentExtractor.Extract(System.Text.Encoding.UTF8.GetBytes(markdown), DocumentType.Markdown, ExtractionLimits.Default);

    [Fact]
    public void Headings_start_sections_whose_heading_is_the_path_of_levels()
    {
        var document = Extract("""
            Intro text before any heading.

            # Installation

            Read this first.

            ## Requirements

            A **64-bit** machine with `dotnet` installed.

            Setext heading
            --------------

            Under the setext heading.

            # Usage

            Run it.
            """);

        Assert.Equal(
            [
                new DocumentSection(null, "Intro text before any heading."),
                new DocumentSection("Installation", "Read this first."),
                new DocumentSection("Installation > Requirements", "A 64-bit machine with dotnet installed."),
                new DocumentSection("Installation > Setext heading", "Under the setext heading."),
                new DocumentSection("Usage", "Run it."),
            ],
            document.Sections);
    }

    [Fact]
    public void List_items_code_blocks_and_table_rows_become_paragraphs()
    {
        var document = Extract("""
            # Guide

            - first item
            - second [link text](https://example.com) item

            ```bash
            dotnet build
            dotnet test
            ```

            | Name | Value |
            |------|-------|
            | a    | 1     |
            """);

        var section = Assert.Single(document.Sections);
        Assert.Equal("Guide", section.Heading);
        Assert.Equal(
            "first item\n\nsecond link text item\n\ndotnet build\ndotnet test\n\nName | Value\n\na | 1",
            section.Text);
    }

    [Fact]
    public void Front_matter_and_raw_html_are_left_out()
    {
        var document = Extract("""
            ---
            title: secret front matter
            ---
            <div class="banner">raw html</div>

            Body text.
            """);

        Assert.Equal("Body text.", Assert.Single(document.Sections).Text);
    }

    [Fact]
    public void Markdown_holding_binary_bytes_is_refused_with_document_type_mismatch()
    {
        Refusal.Expect(
            ErrorCodes.DocumentTypeMismatch,
            () => DocumentExtractor.Extract(new byte[] { 0x23, 0x20, 0xFF, 0x00, 0xFE }, DocumentType.Markdown, ExtractionLimits.Default));
    }

    [Fact]
    public void Markdown_with_only_headings_is_refused_with_document_empty()
    {
        Refusal.Expect(ErrorCodes.DocumentEmpty, () => Extract("# Title\n\n## Nothing below\n"));
    }

    [Fact]
    public void Deeply_nested_quotes_are_refused_with_document_corrupt_instead_of_overflowing_the_stack()
    {
        Refusal.Expect(ErrorCodes.DocumentCorrupt, () => Extract(new string('>', 50_000) + " deep"));
    }
}
