using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace AgentGrid.Knowledge.Documents.Pdf;

/// <summary>
/// PdfPig's decoders, each behind one extraction's <see cref="ExtractionBudget"/>. Flate, LZW and run-length streams
/// are counted before they are decoded; the ASCII decoders only shrink; the image decoders are counted after, as text
/// extraction does not decode images.
/// </summary>
internal sealed class BoundedFilterProvider(ExtractionBudget budget) : BaseFilterProvider(Filters(budget))
{
    private static readonly NameToken EarlyChange = NameToken.Create("EarlyChange");

    private static Dictionary<string, IFilter> Filters(ExtractionBudget budget)
    {
        var filters = new Dictionary<string, IFilter>(StringComparer.Ordinal);
        foreach (var filter in DefaultFilterProvider.Instance.GetAllFilters())
        {
            var (names, count) = Describe(filter);
            var bounded = new BoundedFilter(filter, count, budget);
            foreach (var name in names)
            {
                filters[name] = bounded;
            }
        }

        return filters;
    }

    private static (string[] Names, BoundedFilter.Counter? Count) Describe(IFilter filter) => filter switch
    {
        FlateFilter => (["FlateDecode", "Fl"], static (input, _, limit) => DecodedLength.Flate(input, limit)),
        LzwFilter => (["LZWDecode", "LZW"], static (input, parameters, limit) => DecodedLength.Lzw(input.Span, EarlyChangeOf(parameters), limit)),
        RunLengthFilter => (["RunLengthDecode", "RL"], static (input, _, limit) => DecodedLength.RunLength(input.Span, limit)),
        Ascii85Filter => (["ASCII85Decode", "A85"], null),
        AsciiHexDecodeFilter => (["ASCIIHexDecode", "AHx"], null),
        CcittFaxDecodeFilter => (["CCITTFaxDecode", "CCF"], null),
        DctDecodeFilter => (["DCTDecode", "DCT"], null),
        Jbig2DecodeFilter => (["JBIG2Decode"], null),
        JpxDecodeFilter => (["JPXDecode"], null),
        _ => ([], null),
    };

    private static bool EarlyChangeOf(DictionaryToken parameters) =>
        !parameters.TryGet(EarlyChange, out var token) || token is not NumericToken { Int: 0 };
}
