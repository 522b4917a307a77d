using System.Text;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace AgentGrid.Tests.Knowledge.Documents;

/// <summary>Builds PDFs in memory: real ones with PdfPig's writer, broken ones by hand.</summary>
internal static class PdfFixture
{
    /// <summary>A PDF with one page per entry, each line of the entry written 20 points below the one before.</summary>
    public static byte[] Pages(params string[][] pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var lines in pages)
        {
            var page = builder.AddPage(PageSize.A4);
            for (var i = 0; i < lines.Length; i++)
            {
                page.AddText(lines[i], 12, new PdfPoint(50, 750 - (20 * i)), font);
            }
        }

        return builder.Build();
    }

    /// <summary>
    /// A one-page PDF whose trailer points at a standard security handler dictionary, as a password-protected
    /// file's does; the empty password does not open it.
    /// </summary>
    public static byte[] Encrypted()
    {
        var key = new string('A', 64);
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            "<< /Length 11 >>\nstream\n0123456789A\nendstream",
            $"<< /Filter /Standard /V 1 /R 2 /O <{key}> /U <{key}> /P -44 >>",
        ];
        return Assemble(objects, "/Encrypt 5 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]");
    }

    /// <summary>
    /// A PDF of one page per stream, each page's content that stream: the stream's bytes are its content, spaces,
    /// zlib-compressed <paramref name="layers"/> times over and declared with that many FlateDecode filters.
    /// </summary>
    public static byte[] FlateBomb(long inflatedBytes, int layers = 2, int pages = 1)
    {
        var stream = Compress(inflatedBytes, layers);
        var kids = string.Join(" ", Enumerable.Range(0, pages).Select(p => $"{3 + (2 * p)} 0 R"));
        var objects = new List<object> { "<< /Type /Catalog /Pages 2 0 R >>", $"<< /Type /Pages /Kids [{kids}] /Count {pages} >>" };
        var filters = string.Join(" ", Enumerable.Repeat("/FlateDecode", layers));
        for (var p = 0; p < pages; p++)
        {
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + (2 * p)} 0 R >>");
            objects.Add((Encoding.ASCII.GetBytes($"<< /Length {stream.Length} /Filter [{filters}] >>\nstream\n"), stream));
        }

        return AssembleParts([.. objects], "");
    }

    /// <summary>
    /// A one-page PDF whose page holds arrays and dictionaries nested <paramref name="depth"/> deep, and whose
    /// content draws a form that draws itself.
    /// </summary>
    public static byte[] Nested(int depth) => Assemble(
    [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /F 4 0 R >> >> /Contents 5 0 R " +
        $"/Junk {new string('[', depth)}{new string(']', depth)} /Deep {string.Concat(Enumerable.Repeat("<< /A ", depth))}1{string.Concat(Enumerable.Repeat(" >>", depth))} >>",
        "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /F 4 0 R >> >> /Length 6 >>\nstream\n/F Do\n\nendstream",
        "<< /Length 6 >>\nstream\n/F Do\n\nendstream",
    ], "");

    private static byte[] Compress(long inflatedBytes, int layers)
    {
        var spaces = new byte[1024 * 1024];
        Array.Fill(spaces, (byte)' ');
        using var once = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(once, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (var written = 0L; written < inflatedBytes; written += spaces.Length)
            {
                zlib.Write(spaces, 0, (int)Math.Min(spaces.Length, inflatedBytes - written));
            }
        }

        var data = once.ToArray();
        for (var layer = 1; layer < layers; layer++)
        {
            using var next = new MemoryStream();
            using (var zlib = new System.IO.Compression.ZLibStream(next, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zlib.Write(data);
            }

            data = next.ToArray();
        }

        return data;
    }

    private static byte[] Assemble(string[] objects, string trailerExtra) => AssembleParts([.. objects], trailerExtra);

    // Objects numbered from 1, with a correct cross-reference table; an object is text, or a head and a stream's bytes.
    private static byte[] AssembleParts(object[] objects, string trailerExtra)
    {
        var pdf = new MemoryStream();
        void Write(string text) => pdf.Write(Encoding.ASCII.GetBytes(text));
        Write("%PDF-1.4\n");
        var offsets = new List<long>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            Write($"{i + 1} 0 obj\n");
            if (objects[i] is (byte[] head, byte[] body))
            {
                pdf.Write(head);
                pdf.Write(body);
                Write("\nendstream");
            }
            else
            {
                Write((string)objects[i]);
            }

            Write("\nendobj\n");
        }

        var xref = pdf.Length;
        Write($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            Write($"{offset:D10} 00000 n \n");
        }

        Write($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R {trailerExtra} >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }
}
