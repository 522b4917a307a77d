using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace AgentGrid.Knowledge.Documents.Pdf;

/// <summary>
/// One of PdfPig's decoders behind the extraction's budget: the stream's decoded length is counted first (for the
/// decoders that expand) and refused past its allowance, and what the decoder then produced is counted against the
/// document's total.
/// </summary>
internal sealed class BoundedFilter(IFilter inner, BoundedFilter.Counter? count, ExtractionBudget budget) : IFilter
{
    /// <summary>Counts a stream's decoded length up to a limit (returning more than the limit once past it).</summary>
    public delegate long Counter(ReadOnlyMemory<byte> input, DictionaryToken parameters, long limit);

    public bool IsSupported => inner.IsSupported;

    public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex)
    {
        budget.Check();
        if (count is not null)
        {
            var parameters = DecodeParameterResolver.GetFilterParameters(streamDictionary, filterIndex);
            budget.Admit(count(input, parameters, budget.StreamAllowance));
        }

        var output = inner.Decode(input, streamDictionary, filterProvider, filterIndex);
        budget.Spent(output.Length);
        return output;
    }
}
