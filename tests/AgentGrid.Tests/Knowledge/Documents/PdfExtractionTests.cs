using System.Text;
using AgentGrid.Contracts.Errors;
using AgentGrid.Knowledge.Documents;

namespace AgentGrid.Tests.Knowledge.Documents;

public sealed class PdfExtractionTests
{
    private static ExtractedDocument Extract(byte[] pdf, ExtractionLimits? limits = null) =>
        DocumentExtractor.Extract(pdf, DocumentType.Pdf, limits ?? ExtractionLimits.Default);

    [Fact]
    public void Each_page_with_text_is_a_section_headed_with_its_number_and_words_keep_their_spaces()
    {
        var pdf = PdfFixture.Pages(["Knowledge bases answer questions.", "The second line of page one."], [], ["Page three speaks."]);

        var sections = Extract(pdf).Sections;

        Assert.Equal(["Page 1", "Page 3"], sections.Select(s => s.Heading));
        Assert.Contains("Knowledge bases answer questions.", sections[0].Text);
        Assert.Contains("The second line of page one.", sections[0].Text);
        Assert.Equal("Page three speaks.", sections[1].Text);
    }

    [Fact]
    public void Header_after_some_leading_junk_is_accepted()
    {
        var pdf = Encoding.ASCII.GetBytes(new string(' ', 100)).Concat(PdfFixture.Pages(["Shifted but fine."])).ToArray();

        Assert.Equal("Shifted but fine.", Assert.Single(Extract(pdf).Sections).Text);
    }

    [Fact]
    public void Encrypted_pdf_is_refused_with_document_encrypted()
    {
        Refusal.Expect(ErrorCodes.DocumentEncrypted, () => Extract(PdfFixture.Encrypted()));
    }

    [Fact]
    public void Pdf_with_garbage_after_the_header_is_refused_with_document_corrupt()
    {
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        var pdf = "%PDF-1.7\n"u8.ToArray().Concat(garbage).ToArray();

        Refusal.Expect(ErrorCodes.DocumentCorrupt, () => Extract(pdf));
    }

    [Fact]
    public void Pdf_truncated_in_the_middle_is_refused_with_document_corrupt()
    {
        var pdf = PdfFixture.Pages(["Some text on a page that will be cut."]);

        Refusal.Expect(ErrorCodes.DocumentCorrupt, () => Extract(pdf[..(pdf.Length / 2)]));
    }

    [Fact]
    public void Html_file_named_pdf_is_refused_with_document_type_mismatch()
    {
        Refusal.Expect(ErrorCodes.DocumentTypeMismatch, () => Extract("<!doctype html><html><body>Hi</body></html>"u8.ToArray()));
    }

    [Fact]
    public void Header_later_than_the_first_kilobyte_is_refused_with_document_type_mismatch()
    {
        var pdf = new byte[2048].Concat(PdfFixture.Pages(["Too late."])).ToArray();

        Refusal.Expect(ErrorCodes.DocumentTypeMismatch, () => Extract(pdf));
    }

    [Fact]
    public void Pdf_with_more_pages_than_allowed_is_refused_with_document_too_large()
    {
        var pdf = PdfFixture.Pages(["one"], ["two"], ["three"]);

        Refusal.Expect(ErrorCodes.DocumentTooLarge, () => Extract(pdf, new ExtractionLimits { MaxPdfPages = 2 }));
        Assert.Equal(3, Extract(pdf, new ExtractionLimits { MaxPdfPages = 3 }).Sections.Count);
    }

    [Fact]
    public void Pdf_without_text_is_refused_with_document_empty()
    {
        Refusal.Expect(ErrorCodes.DocumentEmpty, () => Extract(PdfFixture.Pages([], [])));
    }
}
