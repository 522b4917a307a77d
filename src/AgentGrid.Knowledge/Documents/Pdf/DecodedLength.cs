using System.Buffers;
using System.IO.Compression;

namespace AgentGrid.Knowledge.Documents.Pdf;

/// <summary>
/// How many bytes a compressed PDF stream decodes to, counted without keeping any of them, stopping once past
/// <c>limit</c>. Run before PdfPig's own decoder, which grows its output without a bound.
/// </summary>
internal static class DecodedLength
{
    private const int ScratchBytes = 64 * 1024;

    /// <summary>FlateDecode: zlib, of which (like PdfPig) the two header bytes are skipped. Damage ends the count.</summary>
    public static long Flate(ReadOnlyMemory<byte> input, long limit)
    {
        if (input.Length <= 2)
        {
            return 0;
        }

        var scratch = ArrayPool<byte>.Shared.Rent(ScratchBytes);
        try
        {
            using var deflate = new DeflateStream(Streams.ReadOnly(input[2..]), CompressionMode.Decompress);
            long total = 0;
            while (total <= limit)
            {
                int read;
                try
                {
                    read = deflate.Read(scratch, 0, scratch.Length);
                }
                catch (InvalidDataException)
                {
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// LZWDecode: 9 to 12 bit codes, 256 clears the table, 257 ends. Only the length of each table entry matters
    /// (its prefix's plus one), so no byte is decoded.
    /// </summary>
    public static long Lzw(ReadOnlySpan<byte> input, bool earlyChange, long limit)
    {
        const int Clear = 256, End = 257, First = 258, TableSize = 4096;
        Span<int> lengths = stackalloc int[TableSize];
        for (var i = 0; i < 256; i++)
        {
            lengths[i] = 1;
        }

        var next = First;
        var previous = -1;
        long total = 0;
        var bitPosition = 0L;
        var totalBits = input.Length * 8L;
        while (total <= limit)
        {
            var width = Width(next + (earlyChange ? 1 : 0));
            if (bitPosition + width > totalBits)
            {
                break;
            }

            var code = ReadBits(input, bitPosition, width);
            bitPosition += width;
            if (code == End)
            {
                break;
            }

            if (code == Clear)
            {
                next = First;
                previous = -1;
                continue;
            }

            int length;
            if (code < next && (code < 256 || code >= First))
            {
                length = lengths[code];
            }
            else if (code == next && previous >= 0)
            {
                length = lengths[previous] + 1;
            }
            else
            {
                break;
            }

            total += length;
            if (previous >= 0 && next < TableSize)
            {
                lengths[next++] = lengths[previous] + 1;
            }

            previous = code;
        }

        return total;
    }

    /// <summary>RunLengthDecode: a length byte, then that many plus one literal bytes (0-127) or one byte repeated 257 minus it times (129-255); 128 ends.</summary>
    public static long RunLength(ReadOnlySpan<byte> input, long limit)
    {
        long total = 0;
        var i = 0;
        while (i < input.Length && total <= limit)
        {
            var length = input[i];
            if (length == 128)
            {
                break;
            }

            if (length < 128)
            {
                total += length + 1;
                i += length + 2;
            }
            else
            {
                total += 257 - length;
                i += 2;
            }
        }

        return total;
    }

    private static int Width(int next) => next >= 2048 ? 12 : next >= 1024 ? 11 : next >= 512 ? 10 : 9;

    private static int ReadBits(ReadOnlySpan<byte> input, long bitPosition, int width)
    {
        var value = 0;
        for (var i = 0; i < width; i++)
        {
            var bit = bitPosition + i;
            value = (value << 1) | ((input[(int)(bit >> 3)] >> (7 - (int)(bit & 7))) & 1);
        }

        return value;
    }
}
