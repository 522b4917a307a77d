namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// A read-only view of a stream that throws <c>document_too_large</c> once more than a set number of bytes come out
/// of it, so a part whose zip header understates its size cannot expand without bound.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit, Func<Exception> tooLarge) : Stream
{
    /// <summary>How many bytes have been read so far.</summary>
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Asking for one byte past the limit tells "exactly at the limit" apart from "over it".
        var allowed = (int)Math.Min(buffer.Length, limit - BytesRead + 1);
        var read = inner.Read(buffer[..allowed]);
        BytesRead += read;
        return BytesRead > limit ? throw tooLarge() : read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
