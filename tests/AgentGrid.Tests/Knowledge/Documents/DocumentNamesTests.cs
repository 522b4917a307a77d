using AgentGrid.Contracts.Errors;
using AgentGrid.Knowledge.Documents;

namespace AgentGrid.Tests.Knowledge.Documents;

public sealed class DocumentNamesTests
{
    [Fact]
    public void Valid_name_is_returned_trimmed()
    {
        Assert.Equal("Quarterly report (final).pdf", DocumentNames.Validate("  Quarterly report (final).pdf \t"));
    }

    [Fact]
    public void Name_of_exactly_the_maximum_length_is_accepted()
    {
        var name = new string('a', DocumentNames.MaxLength - 4) + ".txt";

        Assert.Equal(name, DocumentNames.Validate(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("docs/report.pdf")]
    [InlineData("..\\secrets.txt")]
    [InlineData("report\u0000.pdf")]
    [InlineData("report\n.pdf")]
    [InlineData("line\u2028separator.txt")]
    [InlineData("invoice\u202Efdp.exe")]
    [InlineData("isolate\u2066d.txt")]
    public void Unusable_name_is_refused_with_invalid_document_name_on_the_files_field(string name)
    {
        var error = Refusal.Expect(ErrorCodes.InvalidDocumentName, () => DocumentNames.Validate(name));

        Assert.Equal("files", error.Field);
    }

    [Fact]
    public void Name_over_255_characters_is_refused_with_invalid_document_name()
    {
        Refusal.Expect(ErrorCodes.InvalidDocumentName, () => DocumentNames.Validate(new string('a', 252) + ".txt"));
    }
}
