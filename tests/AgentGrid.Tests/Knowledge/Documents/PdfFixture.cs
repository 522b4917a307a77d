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

    // Objects numbered from 1, with a correct cross-reference table.
    private static byte[] Assemble(string[] objects, string trailerExtra)
    {
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append($"{offset:D10} 00000 n \n");
        }

        pdf.Append($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R {trailerExtra} >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }
}
