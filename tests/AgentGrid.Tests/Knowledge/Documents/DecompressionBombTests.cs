using AgentGrid.Contracts.Errors;
using AgentGrid.Knowledge.Documents;

namespace AgentGrid.Tests.Knowledge.Documents;

/// <summary>
/// Documents built to make a parser do unbounded work: compressed streams that inflate past their cap, many that do
/// together, objects nested without end, and files that take too long. The counters show no decoder went past its cap.
/// </summary>
public sealed class DecompressionBombTests
{
    private const long StreamCap = 1024 * 1024;

    private static readonly ExtractionLimits Small = ExtractionLimits.Default with { MaxDecodedStreamBytes = StreamCap, MaxDecodedDocumentBytes = 4 * StreamCap };

    private static (AgentGridException Error, ExtractionBudget Budget) Refuse(byte[] pdf, ExtractionLimits limits, string code, CancellationToken deadline = default)
    {
        var budget = new ExtractionBudget(limits, deadline);
        var error = Refusal.Expect(code, () => DocumentExtractor.Extract(pdf, DocumentType.Pdf, budget));
        return (error, budget);
    }

    [Fact]
    public void A_pdf_whose_page_is_flate_encoded_twice_over_64_MiB_of_spaces_is_refused_before_any_stream_decodes_past_its_cap()
    {
        var pdf = PdfFixture.FlateBomb(64 * StreamCap, layers: 2);

        var (error, budget) = Refuse(pdf, Small, ErrorCodes.DocumentTooComplex);

        Assert.True(pdf.Length < 16 * 1024, $"the bomb is {pdf.Length} bytes");
        Assert.True(budget.LargestStreamBytes <= StreamCap, $"a decoder produced {budget.LargestStreamBytes} bytes");
        Assert.True(budget.DecodedBytes <= Small.MaxDecodedDocumentBytes, $"the decoders produced {budget.DecodedBytes} bytes");
        Assert.Contains("decompression bomb", error.Message);
    }

    [Fact]
    public void A_single_flate_layer_past_the_cap_is_refused_too()
    {
        var (_, budget) = Refuse(PdfFixture.FlateBomb(8 * StreamCap, layers: 1), Small, ErrorCodes.DocumentTooComplex);

        Assert.True(budget.LargestStreamBytes <= StreamCap);
    }

    [Fact]
    public void Streams_each_under_their_cap_are_refused_once_together_they_pass_the_documents_cap()
    {
        var pdf = PdfFixture.FlateBomb(StreamCap - 1024, layers: 1, pages: 8);

        var (error, budget) = Refuse(pdf, Small, ErrorCodes.DocumentTooComplex);

        Assert.True(budget.DecodedBytes <= Small.MaxDecodedDocumentBytes, $"the decoders produced {budget.DecodedBytes} bytes");
        Assert.Contains("together", error.Message);
    }

    [Fact]
    public void The_same_streams_under_both_caps_are_read()
    {
        var pdf = PdfFixture.FlateBomb(StreamCap - 1024, layers: 2, pages: 2);
        var budget = new ExtractionBudget(Small, CancellationToken.None);

        // Spaces only: the pages hold no text, which is the only complaint.
        Refusal.Expect(ErrorCodes.DocumentEmpty, () => DocumentExtractor.Extract(pdf, DocumentType.Pdf, budget));
        Assert.True(budget.DecodedBytes >= 2 * (StreamCap - 1024), $"the decoders produced {budget.DecodedBytes} bytes");
    }

    [Fact]
    public void Objects_nested_100000_deep_and_a_form_that_draws_itself_end_in_a_typed_refusal_not_a_crash()
    {
        // PdfPig reads nesting without recursing, and MaxPdfNesting bounds what it does recurse into.
        var (_, budget) = Refuse(PdfFixture.Nested(100_000), ExtractionLimits.Default, ErrorCodes.DocumentEmpty);

        Assert.True(budget.DecodedBytes < 1024);
    }

    [Fact]
    public void A_file_still_being_read_at_its_deadline_fails_with_document_timeout()
    {
        var pdf = PdfFixture.Pages(["Fine, but late."]);

        Refuse(pdf, ExtractionLimits.Default, ErrorCodes.DocumentTimeout, new CancellationToken(canceled: true));
        var text = new ExtractionBudget(ExtractionLimits.Default, new CancellationToken(canceled: true));
        Refusal.Expect(ErrorCodes.DocumentTimeout, () => DocumentExtractor.Extract("words"u8.ToArray(), DocumentType.Text, text));
    }

    [Fact]
    public void Many_small_bombs_are_each_refused_and_each_within_its_cap()
    {
        var bombs = Enumerable.Range(0, 5).Select(_ => PdfFixture.FlateBomb(16 * StreamCap)).ToList();

        var budgets = bombs.Select(b => Refuse(b, Small, ErrorCodes.DocumentTooComplex).Budget).ToList();

        Assert.All(budgets, b => Assert.True(b.LargestStreamBytes <= StreamCap));
    }
}
