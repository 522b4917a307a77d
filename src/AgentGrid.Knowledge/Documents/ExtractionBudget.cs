using AgentGrid.Contracts.Errors;

namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// The work one extraction may still do: decoded bytes against <see cref="ExtractionLimits"/> and time against its
/// deadline. The first refusal sticks, so a parser that swallows the exception (PdfPig reads past a stream it cannot
/// decode) still ends with the refusal, and every later stream is refused at once.
/// </summary>
public sealed class ExtractionBudget(ExtractionLimits limits, CancellationToken deadline)
{
    private long _decoded;
    private long _largest;

    /// <summary>Bytes all decoders produced so far.</summary>
    public long DecodedBytes => Interlocked.Read(ref _decoded);

    /// <summary>The most one decoder stage produced.</summary>
    public long LargestStreamBytes => Interlocked.Read(ref _largest);

    /// <summary>The refusal that ended this extraction, if one did.</summary>
    public AgentGridException? Refusal { get; private set; }

    public ExtractionLimits Limits => limits;

    /// <summary>Bytes one decoder stage may still produce: its own cap or what is left of the document's.</summary>
    public long StreamAllowance => Math.Min(limits.MaxDecodedStreamBytes, limits.MaxDecodedDocumentBytes - DecodedBytes);

    /// <summary>Throws (and remembers) the refusal if time is up or an earlier refusal stands.</summary>
    public void Check()
    {
        if (Refusal is { } refused)
        {
            throw refused;
        }

        if (deadline.IsCancellationRequested)
        {
            throw Refuse(new AgentGridException(ErrorCodes.DocumentTimeout,
                $"Reading the file's text took longer than the {limits.Timeout.TotalSeconds:0} seconds allowed per file. Split it into smaller documents."));
        }
    }

    /// <summary>Refuses a stream that would decode to <paramref name="bytes"/> (as counted before decoding) when that is past its allowance.</summary>
    public void Admit(long bytes)
    {
        Check();
        if (bytes > StreamAllowance)
        {
            throw Refuse(new AgentGridException(ErrorCodes.DocumentTooComplex,
                bytes > limits.MaxDecodedStreamBytes
                    ? $"A compressed stream of the file decodes to over {DocumentErrors.Size(limits.MaxDecodedStreamBytes)}, which is how a decompression bomb looks."
                    : $"The file's compressed streams decode to over {DocumentErrors.Size(limits.MaxDecodedDocumentBytes)} together."));
        }
    }

    /// <summary>Counts what a decoder stage produced.</summary>
    public void Spent(long bytes)
    {
        Interlocked.Add(ref _decoded, bytes);
        long seen;
        while (bytes > (seen = Interlocked.Read(ref _largest)) && Interlocked.CompareExchange(ref _largest, bytes, seen) != seen)
        {
        }

        Admit(0);
    }

    /// <summary>Refuses for nesting past <see cref="ExtractionLimits.MaxPdfNesting"/>.</summary>
    public AgentGridException TooDeep() => Refuse(new AgentGridException(ErrorCodes.DocumentTooComplex,
        $"The file's objects nest more than {limits.MaxPdfNesting} levels deep."));

    private AgentGridException Refuse(AgentGridException refusal) => Refusal ??= refusal;
}
