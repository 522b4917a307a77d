using System.Text;
using AgentGrid.Contracts.Errors;
using AgentGrid.Knowledge.Documents;
using Wordprocessing = DocumentFormat.OpenXml.Wordprocessing;

namespace AgentGrid.Tests.Knowledge.Documents;

public sealed class DocxExtractionTests
{
    private static ExtractedDocument Extract(byte[] docx, ExtractionLimits? limits = null) =>
        DocumentExtractor.Extract(docx, DocumentType.Docx, limits ?? ExtractionLimits.Default);

    [Fact]
    public void Heading_styled_paragraphs_start_sections_with_heading_paths()
    {
        var docx = DocxFixture.Create(
            DocxFixture.Plain("Preface before any heading."),
            DocxFixture.Styled("Heading1", "Installation"),
            DocxFixture.Plain("Read this first."),
            DocxFixture.Plain("Then this."),
            DocxFixture.Styled("Heading2", "Requirements"),
            DocxFixture.Plain("A 64-bit machine."),
            DocxFixture.Styled("Heading1", "Usage"),
            DocxFixture.Plain("Run it."));

        Assert.Equal(
            [
                new DocumentSection(null, "Preface before any heading."),
                new DocumentSection("Installation", "Read this first.\n\nThen this."),
                new DocumentSection("Installation > Requirements", "A 64-bit machine."),
                new DocumentSection("Usage", "Run it."),
            ],
            Extract(docx).Sections);
    }

    [Fact]
    public void Heading_styles_are_found_by_name_and_outline_level_when_their_ids_are_localised()
    {
        var styles = new Wordprocessing.Styles(DocxFixture.HeadingStyle("berschrift1", 1), DocxFixture.HeadingStyle("berschrift2", 2));
        var docx = DocxFixture.Create(
            [
                DocxFixture.Styled("berschrift1", "Einleitung"),
                DocxFixture.Styled("berschrift2", "Ziele"),
                DocxFixture.Plain("Text der Ziele."),
                DocxFixture.Styled("Title", "Anhang"),
                DocxFixture.Plain("Text des Anhangs."),
            ],
            styles);

        Assert.Equal(
            [new DocumentSection("Einleitung > Ziele", "Text der Ziele."), new DocumentSection("Anhang", "Text des Anhangs.")],
            Extract(docx).Sections);
    }

    [Fact]
    public void Tables_become_one_paragraph_per_row_with_cells_joined_by_bars()
    {
        var docx = DocxFixture.Create(
            DocxFixture.Styled("Heading1", "Limits"),
            DocxFixture.Table(["Setting", "Default"], ["timeout", "30 s"]),
            DocxFixture.Plain("After the table."));

        var section = Assert.Single(Extract(docx).Sections);
        Assert.Equal("Setting | Default\n\ntimeout | 30 s\n\nAfter the table.", section.Text);
    }

    [Fact]
    public void Document_without_text_is_refused_with_document_empty()
    {
        Refusal.Expect(ErrorCodes.DocumentEmpty, () => Extract(DocxFixture.Create(DocxFixture.Plain("   "))));
    }

    [Fact]
    public void File_that_is_not_a_zip_is_refused_with_document_type_mismatch()
    {
        Refusal.Expect(ErrorCodes.DocumentTypeMismatch, () => Extract("<html>not a docx</html>"u8.ToArray()));
    }

    [Fact]
    public void Password_protected_word_file_is_refused_with_document_encrypted()
    {
        // What Word writes for a password: an OLE compound file whose directory names an EncryptedPackage stream.
        byte[] ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504], .. Encoding.Unicode.GetBytes("EncryptionInfo\0EncryptedPackage\0")];

        Refusal.Expect(ErrorCodes.DocumentEncrypted, () => Extract(ole));
    }

    [Fact]
    public void Legacy_doc_file_with_a_docx_name_is_refused_with_document_type_mismatch()
    {
        byte[] ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504], .. Encoding.Unicode.GetBytes("WordDocument\0")];

        Refusal.Expect(ErrorCodes.DocumentTypeMismatch, () => Extract(ole));
    }

    [Fact]
    public void Zip_that_is_not_a_word_document_is_refused_with_document_corrupt()
    {
        var zip = ZipFixture.Entries([("hello.txt", "hello")]);

        Refusal.Expect(ErrorCodes.DocumentCorrupt, () => Extract(zip));
    }

    [Fact]
    public void Truncated_docx_is_refused_with_document_corrupt()
    {
        var docx = DocxFixture.Create(DocxFixture.Plain("Some text that will be cut off."));

        Refusal.Expect(ErrorCodes.DocumentCorrupt, () => Extract(docx[..(docx.Length / 2)]));
    }

    [Fact]
    public void Main_part_with_broken_xml_is_refused_with_document_corrupt()
    {
        var docx = ZipFixture.WordPackage($"""<w:document xmlns:w="{Main}"><w:body><w:p><w:r><w:t>unclosed""");

        Refusal.Expect(ErrorCodes.DocumentCorrupt, () => Extract(docx));
    }

    [Fact]
    public void Main_part_with_a_dtd_is_refused_with_document_corrupt()
    {
        var docx = ZipFixture.WordPackage(
            $"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "lol">]><w:document xmlns:w="{Main}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>""");

        Refusal.Expect(ErrorCodes.DocumentCorrupt, () => Extract(docx));
    }

    [Fact]
    public void Minimal_package_without_styles_is_read()
    {
        var docx = ZipFixture.WordPackage(
            $"""<w:document xmlns:w="{Main}"><w:body><w:p><w:pPr><w:pStyle w:val="heading 2"/></w:pPr><w:r><w:t>Notes</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">Tab</w:t><w:tab/><w:t>and</w:t><w:br/><w:t>break</w:t></w:r><w:del><w:r><w:delText>deleted</w:delText></w:r></w:del></w:p></w:body></w:document>""");

        Assert.Equal([new DocumentSection("Notes", "Tab\tand\nbreak")], Extract(docx).Sections);
    }

    private const string Main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
}
