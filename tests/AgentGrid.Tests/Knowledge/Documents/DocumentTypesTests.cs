using AgentGrid.Contracts.Errors;
using AgentGrid.Knowledge.Documents;

namespace AgentGrid.Tests.Knowledge.Documents;

public sealed class DocumentTypesTests
{
    [Theory]
    [InlineData("notes.txt", DocumentType.Text)]
    [InlineData("notes.TEXT", DocumentType.Text)]
    [InlineData("README.md", DocumentType.Markdown)]
    [InlineData("guide.Markdown", DocumentType.Markdown)]
    [InlineData("page.htm", DocumentType.Html)]
    [InlineData("page.HTML", DocumentType.Html)]
    [InlineData("report.docx", DocumentType.Docx)]
    [InlineData("manual.PDF", DocumentType.Pdf)]
    public void Extension_decides_the_format_in_any_case(string fileName, DocumentType expected)
    {
        Assert.Equal(expected, DocumentTypes.Resolve(fileName, null));
    }

    [Theory]
    [InlineData("text/plain", DocumentType.Text)]
    [InlineData("text/markdown; charset=utf-8", DocumentType.Markdown)]
    [InlineData("TEXT/HTML", DocumentType.Html)]
    [InlineData("application/vnd.openxmlformats-officedocument.wordprocessingml.document", DocumentType.Docx)]
    [InlineData("application/pdf", DocumentType.Pdf)]
    public void Content_type_decides_when_the_extension_is_missing_or_unknown(string contentType, DocumentType expected)
    {
        Assert.Equal(expected, DocumentTypes.Resolve("upload", contentType));
        Assert.Equal(expected, DocumentTypes.Resolve("upload.bin", contentType));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/octet-stream")]
    [InlineData("application/pdf")]
    [InlineData("image/png")]
    public void Generic_matching_or_unknown_content_types_do_not_contradict_the_extension(string? contentType)
    {
        Assert.Equal(DocumentType.Pdf, DocumentTypes.Resolve("manual.pdf", contentType));
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("page.html")]
    public void Text_plain_is_accepted_for_any_text_format(string fileName)
    {
        Assert.NotEqual(DocumentType.Pdf, DocumentTypes.Resolve(fileName, "text/plain"));
    }

    [Theory]
    [InlineData("manual.pdf", "text/html")]
    [InlineData("notes.txt", "application/pdf")]
    [InlineData("report.docx", "text/plain")]
    public void Content_type_contradicting_the_extension_is_refused_with_document_type_mismatch(string fileName, string contentType)
    {
        Refusal.Expect(ErrorCodes.DocumentTypeMismatch, () => DocumentTypes.Resolve(fileName, contentType));
    }

    [Theory]
    [InlineData("setup.exe", null)]
    [InlineData("photo.png", "image/png")]
    [InlineData("legacy.doc", "application/msword")]
    [InlineData("noextension", "application/octet-stream")]
    [InlineData("noextension", null)]
    public void Unknown_type_is_refused_with_unsupported_document_type(string fileName, string? contentType)
    {
        Refusal.Expect(ErrorCodes.UnsupportedDocumentType, () => DocumentTypes.Resolve(fileName, contentType));
    }
}
