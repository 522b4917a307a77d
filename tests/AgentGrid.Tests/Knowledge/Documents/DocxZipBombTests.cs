using AgentGrid.Contracts.Errors;
using AgentGrid.Knowledge.Documents;

namespace AgentGrid.Tests.Knowledge.Documents;

public sealed class DocxZipBombTests
{
    private static AgentGridException ExpectTooLarge(byte[] docx, ExtractionLimits? limits = null)
    {
        var error = Refusal.Expect(
            ErrorCodes.DocumentTooLarge,
            () => DocumentExtractor.Extract(docx, DocumentType.Docx, limits ?? ExtractionLimits.Default));
        return error;
    }

    [Fact]
    public void Entry_expanding_to_200_mib_is_refused_with_document_too_large_before_it_is_unpacked()
    {
        var bomb = ZipFixture.Zeros("word/document.xml", 200L * 1024 * 1024);

        var error = ExpectTooLarge(bomb);

        Assert.True(bomb.Length < 1024 * 1024, $"The bomb is {bomb.Length} bytes.");
        Assert.Contains("expands too far", error.Message);
    }

    [Fact]
    public void Entry_compressed_more_than_100_to_1_is_refused_with_document_too_large_even_under_the_size_cap()
    {
        var bomb = ZipFixture.Zeros("word/document.xml", 8L * 1024 * 1024);

        var error = ExpectTooLarge(bomb);

        Assert.Contains("expands too far", error.Message);
    }

    [Fact]
    public void Header_that_declares_a_huge_size_is_refused_with_document_too_large()
    {
        var docx = DocxFixture.Create(DocxFixture.Plain("Small and honest text."));
        var liar = ZipFixture.WithDeclaredSize(docx, "word/document.xml", 0xFFFF_FFF0);

        ExpectTooLarge(liar);
    }

    [Fact]
    public void Parts_declaring_more_than_the_expanded_cap_in_all_are_refused_with_document_too_large()
    {
        var docx = DocxFixture.Create(DocxFixture.Plain(string.Join(' ', Enumerable.Range(0, 2000).Select(i => $"word{i}"))));

        ExpectTooLarge(docx, new ExtractionLimits { MaxExpandedBytes = 4 * 1024 });
    }

    [Fact]
    public void Header_that_understates_a_size_cannot_make_the_part_expand_past_it()
    {
        // About 10 MiB of valid paragraphs that say they are 4 KiB: reading stops at the declared size, so the part
        // is cut short, which makes it invalid XML rather than 10 MiB read into memory.
        var paragraphs = string.Concat(Enumerable.Repeat("<w:p><w:r><w:t>x</w:t></w:r></w:p>", 300_000));
        var docx = ZipFixture.WordPackage(
            $"""<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{paragraphs}</w:body></w:document>""");
        var liar = ZipFixture.WithDeclaredSize(docx, "word/document.xml", 4096);

        ExpectTooLarge(docx);
        Refusal.Expect(ErrorCodes.DocumentCorrupt, () => DocumentExtractor.Extract(liar, DocumentType.Docx, ExtractionLimits.Default));
    }

    [Fact]
    public void Zip_with_more_than_1000_entries_is_refused_with_document_too_large()
    {
        var zip = ZipFixture.Entries(Enumerable.Range(0, 1001).Select(i => ($"media/{i}.txt", "x")));

        ExpectTooLarge(zip);
    }
}
