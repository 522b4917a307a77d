using System.IO.Compression;
using AgentGrid.Knowledge.Documents.Pdf;

namespace AgentGrid.Tests.Knowledge.Documents;

/// <summary>The decoded lengths counted before PdfPig decodes a stream.</summary>
public sealed class DecodedLengthTests
{
    [Fact]
    public void Flate_counts_what_inflating_gives_and_stops_soon_past_the_limit()
    {
        var data = new byte[300_000];
        new Random(7).NextBytes(data.AsSpan(0, 1000));
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        Assert.Equal(data.Length, DecodedLength.Flate(compressed.ToArray(), long.MaxValue));
        var stopped = DecodedLength.Flate(compressed.ToArray(), 1000);
        Assert.InRange(stopped, 1001, 1000 + (64 * 1024));
    }

    [Fact]
    public void Lzw_counts_the_lengths_of_table_entries_including_a_code_that_is_not_in_the_table_yet()
    {
        // Clear, 'A', then 258 ("AA", the entry being made), 259 ("AAA"), 260 ("AAAA"), end: 1 + 2 + 3 + 4 bytes.
        var codes = Pack([256, 65, 258, 259, 260, 257], bits: 9);

        Assert.Equal(10, DecodedLength.Lzw(codes, earlyChange: true, long.MaxValue));
    }

    [Fact]
    public void Run_length_counts_literal_runs_and_repeats_up_to_the_end_marker()
    {
        byte[] encoded = [0xFF, (byte)'x', 0x01, (byte)'a', (byte)'b', 0x80, 0x05];

        Assert.Equal(4, DecodedLength.RunLength(encoded, long.MaxValue));
    }

    private static byte[] Pack(int[] codes, int bits)
    {
        var bytes = new byte[((codes.Length * bits) + 7) / 8];
        var position = 0;
        foreach (var code in codes)
        {
            for (var i = bits - 1; i >= 0; i--, position++)
            {
                if (((code >> i) & 1) != 0)
                {
                    bytes[position / 8] |= (byte)(0x80 >> (position % 8));
                }
            }
        }

        return bytes;
    }
}
