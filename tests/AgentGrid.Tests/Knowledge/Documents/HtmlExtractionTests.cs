using System.Text;
using AgentGrid.Contracts.Errors;
using AgentGrid.Knowledge.Documents;

namespace AgentGrid.Tests.Knowledge.Documents;

public sealed class HtmlExtractionTests
{
    private static ExtractedDocument Extract(string html) => Extract(Encoding.UTF8.GetBytes(html));

    private static ExtractedDocument Extract(byte[] html) =>
        DocumentExtractor.Extract(html, DocumentType.Html, ExtractionLimits.Default);

    [Fact]
    public void Scripts_styles_navigation_footer_and_head_are_dropped_and_headings_make_sections()
    {
        var document = Extract("""
            <!doctype html>
            <html>
            <head><title>Head title</title><style>body { color: red }</style></head>
            <body>
              <nav><a href="/">Home</a> <a href="/docs">Docs</a></nav>
              <script>var secret = "tracking";</script>
              <h1>Guide</h1>
              <p>Welcome   to the
                 <b>guide</b>.</p>
              <h2>Install</h2>
              <p>Run the installer.<br>Then restart.</p>
              <noscript>Enable JavaScript</noscript>
              <h2>Configure</h2>
              <ul><li>Set the key.</li><li>Set the region.</li></ul>
              <h1>Reference</h1>
              <dl><dt>Key</dt><dd>The API key.</dd></dl>
              <footer>Copyright 2026</footer>
            </body>
            </html>
            """);

        Assert.Equal(
            [
                new DocumentSection("Guide", "Welcome to the guide."),
                new DocumentSection("Guide > Install", "Run the installer.\nThen restart."),
                new DocumentSection("Guide > Configure", "Set the key.\n\nSet the region."),
                new DocumentSection("Reference", "Key\n\nThe API key."),
            ],
            document.Sections);
    }

    [Fact]
    public void Table_rows_become_paragraphs_of_cells_and_pre_keeps_its_lines()
    {
        var document = Extract("""
            <table>
              <tr><th>Name</th><th>Value</th></tr>
              <tr><td>timeout</td><td><i>30</i> s</td></tr>
            </table>
            <pre>line one
              indented line</pre>
            <blockquote>Quoted text.</blockquote>
            """);

        Assert.Equal(
            "Name | Value\n\ntimeout | 30 s\n\nline one\n  indented line\n\nQuoted text.",
            Assert.Single(document.Sections).Text);
    }

    [Fact]
    public void Text_outside_paragraph_elements_is_kept()
    {
        var document = Extract("<div>Loose text <span>in a div</span><div>and a nested one</div></div>");

        Assert.Equal("Loose text in a div\n\nand a nested one", Assert.Single(document.Sections).Text);
    }

    [Fact]
    public void Declared_latin1_charset_is_honoured()
    {
        var html = Encoding.Latin1.GetBytes("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Grüße</p></body></html>");

        Assert.Equal("Grüße", Assert.Single(Extract(html).Sections).Text);
    }

    [Fact]
    public void Html_holding_binary_bytes_is_refused_with_document_type_mismatch()
    {
        var binary = Encoding.ASCII.GetBytes("<html><body>").Concat(new byte[] { 0x00, 0x01, 0xFF, 0xD8 }).ToArray();

        Refusal.Expect(ErrorCodes.DocumentTypeMismatch, () => Extract(binary));
    }

    [Fact]
    public void Html_with_only_scripts_is_refused_with_document_empty()
    {
        Refusal.Expect(ErrorCodes.DocumentEmpty, () => Extract("<html><head><title>t</title></head><body><script>x()</script></body></html>"));
    }

    [Theory]
    [InlineData("div")]
    [InlineData("span")]
    public void Thousands_of_unclosed_elements_are_refused_with_document_corrupt_before_parsing_turns_quadratic(string tag)
    {
        var html = string.Concat(Enumerable.Repeat($"<{tag}>", 100_000)) + "deep";

        Refusal.Expect(ErrorCodes.DocumentCorrupt, () => Extract(html));
    }

    [Fact]
    public void Self_closed_svg_shapes_and_unclosed_paragraphs_do_not_count_as_nesting()
    {
        var shapes = string.Concat(Enumerable.Repeat("<path d='M0 0'/>", 1000));
        var paragraphs = string.Concat(Enumerable.Repeat("<p>para", 1000));

        var document = Extract($"<svg>{shapes}</svg><div>{paragraphs}</div>");

        Assert.Equal(1000, Assert.Single(document.Sections).Text.Split("\n\n").Length);
    }
}
