using AgentGrid.Contracts.Errors;
using AgentGrid.Knowledge.Documents;

namespace AgentGrid.Tests.Knowledge.Documents;

/// <summary>What a cheap look at an upload refuses at once, and what it leaves to extraction.</summary>
public sealed class DocumentPrecheckTests
{
    [Fact]
    public void Cheap_checks_refuse_a_pdf_without_a_header_an_encrypted_pdf_binary_text_and_a_docx_zip_bomb()
    {
        Refusal.Expect(ErrorCodes.DocumentTypeMismatch, () => Check("<html>not a pdf</html>"u8.ToArray(), DocumentType.Pdf));
        Refusal.Expect(ErrorCodes.DocumentEncrypted, () => Check(PdfFixture.Encrypted(), DocumentType.Pdf));
        Refusal.Expect(ErrorCodes.DocumentTypeMismatch, () => Check([0x41, 0x00, 0x42], DocumentType.Text));
        Refusal.Expect(ErrorCodes.DocumentTypeMismatch, () => Check([0x23, 0xFF, 0xFE, 0x41], DocumentType.Markdown));
        Refusal.Expect(ErrorCodes.DocumentTooLarge, () => Check(ZipFixture.Zeros("word/document.xml", 200L * 1024 * 1024), DocumentType.Docx));
        Refusal.Expect(ErrorCodes.DocumentTooLarge, () => DocumentPrecheck.Check(new byte[2048], DocumentType.Text, ExtractionLimits.Default with { MaxFileBytes = 1024 }));
    }

    [Fact]
    public void Cheap_checks_pass_what_only_extraction_can_judge()
    {
        Check(PdfFixture.Pages(["fine"]), DocumentType.Pdf);
        Check(PdfFixture.Pages(["half"])[..60], DocumentType.Pdf);
        Check(PdfFixture.FlateBomb(1024 * 1024), DocumentType.Pdf);
        Check("   \n\n "u8.ToArray(), DocumentType.Text);
        Check([0x3C, 0x70, 0x3E, 0xE9, 0x3C, 0x2F, 0x70, 0x3E], DocumentType.Html);
    }

    [Fact]
    public void Encrypt_as_a_word_in_a_pdf_is_not_a_security_handler()
    {
        Assert.False(PdfTextExtractor.DeclaresEncryption("%PDF-1.4 (/Encrypt) /EncryptMetadata false"u8));
        Assert.True(PdfTextExtractor.DeclaresEncryption("trailer << /Encrypt 5 0 R >>"u8));
        Assert.True(PdfTextExtractor.DeclaresEncryption("<< /Encrypt\n<< /Filter /Standard >> >>"u8));
    }

    private static void Check(byte[] content, DocumentType type) => DocumentPrecheck.Check(content, type, ExtractionLimits.Default);
}
