using System.Text;
using AgentGrid.Contracts.Errors;
using AgentGrid.Knowledge.Documents;

namespace AgentGrid.Tests.Knowledge.Documents;

public sealed class TextExtractionTests
{
    private static ExtractedDocument Extract(byte[] content, ExtractionLimits? limits = null) =>
        DocumentExtractor.Extract(content, DocumentType.Text, limits ?? ExtractionLimits.Default);

    [Fact]
    public void Text_is_one_section_without_heading_with_paragraphs_split_at_blank_lines()
    {
        var document = Extract("First line\r\nstill first.   \r\n\r\n\r\n\r\nSecond paragraph.\n"u8.ToArray());

        var section = Assert.Single(document.Sections);
        Assert.Null(section.Heading);
        Assert.Equal("First line\nstill first.\n\nSecond paragraph.", section.Text);
    }

    [Fact]
    public void Control_characters_other_than_tab_and_line_feed_are_removed()
    {
        var document = Extract("bell\u0007 and\tescape\u001b.\ffeed"u8.ToArray());

        Assert.Equal("bell and\tescape.feed", Assert.Single(document.Sections).Text);
    }

    [Fact]
    public void Utf8_with_byte_order_mark_and_utf16_with_byte_order_mark_are_read()
    {
        var utf8 = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("Grüße aus Köln")).ToArray();
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Grüße aus Köln")).ToArray();
        var utf16BigEndian = Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes("Grüße aus Köln")).ToArray();

        Assert.All(new[] { utf8, utf16, utf16BigEndian }, bytes => Assert.Equal("Grüße aus Köln", Assert.Single(Extract(bytes).Sections).Text));
    }

    [Fact]
    public void Text_file_holding_binary_bytes_is_refused_with_document_type_mismatch()
    {
        byte[] binary = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D];

        Refusal.Expect(ErrorCodes.DocumentTypeMismatch, () => Extract(binary));
    }

    [Fact]
    public void Text_file_with_a_nul_byte_is_refused_with_document_type_mismatch()
    {
        Refusal.Expect(ErrorCodes.DocumentTypeMismatch, () => Extract("looks like text\0but is not"u8.ToArray()));
    }

    [Fact]
    public void Text_file_that_is_not_utf8_is_refused_with_document_type_mismatch()
    {
        var latin1 = Encoding.Latin1.GetBytes("Grüße aus Köln");

        Refusal.Expect(ErrorCodes.DocumentTypeMismatch, () => Extract(latin1));
    }

    [Fact]
    public void Utf16_with_an_odd_byte_count_is_refused_with_document_type_mismatch()
    {
        byte[] broken = [0xFF, 0xFE, 0x41, 0x00, 0x42];

        Refusal.Expect(ErrorCodes.DocumentTypeMismatch, () => Extract(broken));
    }

    [Fact]
    public void Whitespace_only_text_is_refused_with_document_empty()
    {
        Refusal.Expect(ErrorCodes.DocumentEmpty, () => Extract(" \r\n\t \n "u8.ToArray()));
        Refusal.Expect(ErrorCodes.DocumentEmpty, () => Extract([]));
    }

    [Fact]
    public void File_over_the_byte_limit_is_refused_with_document_too_large()
    {
        var limits = new ExtractionLimits { MaxFileBytes = 10 };

        Refusal.Expect(ErrorCodes.DocumentTooLarge, () => Extract("eleven byte"u8.ToArray(), limits));
        Assert.Single(Extract("ten bytes!"u8.ToArray(), limits).Sections);
    }

    [Fact]
    public void Text_expanding_past_the_expanded_limit_is_refused_with_document_too_large()
    {
        var limits = new ExtractionLimits { MaxExpandedBytes = 100 };

        Refusal.Expect(ErrorCodes.DocumentTooLarge, () => Extract(Encoding.UTF8.GetBytes(new string('x', 101)), limits));
    }
}
