using System.Buffers.Binary;
using System.IO.Compression;

namespace AgentGrid.Tests.Knowledge.Documents;

/// <summary>Zips that pose as .docx files: bombs, liars, and plain archives that are not Word documents.</summary>
internal static class ZipFixture
{
    private const uint LocalHeader = 0x04034b50;
    private const uint CentralHeader = 0x02014b50;
    private const string ContentTypes = "http://schemas.openxmlformats.org/package/2006/content-types";
    private const string Relationships = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string OfficeDocument = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";

    /// <summary>A zip whose one entry is <paramref name="bytes"/> zeros, streamed through the compressor.</summary>
    public static byte[] Zeros(string entryName, long bytes)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(entryName, CompressionLevel.Optimal).Open();
            var zeros = new byte[1024 * 1024];
            for (var written = 0L; written < bytes; written += zeros.Length)
            {
                entry.Write(zeros, 0, (int)Math.Min(zeros.Length, bytes - written));
            }
        }

        return output.ToArray();
    }

    /// <summary>A zip of small text entries.</summary>
    public static byte[] Entries(IEnumerable<(string Name, string Text)> entries)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open());
                writer.Write(text);
            }
        }

        return output.ToArray();
    }

    /// <summary>The smallest package Word documents are: content types, one relationship, and the main part.</summary>
    public static byte[] WordPackage(string documentXml) => Entries(
    [
        ("[Content_Types].xml", $$"""<?xml version="1.0"?><Types xmlns="{{ContentTypes}}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"""),
        ("_rels/.rels", $$"""<?xml version="1.0"?><Relationships xmlns="{{Relationships}}"><Relationship Id="r1" Type="{{OfficeDocument}}" Target="word/document.xml"/></Relationships>"""),
        ("word/document.xml", documentXml),
    ]);

    /// <summary>
    /// The zip with the uncompressed size of <paramref name="entryName"/> rewritten to <paramref name="declared"/> in
    /// both its local and its central header; the compressed data is left as it was.
    /// </summary>
    public static byte[] WithDeclaredSize(byte[] zip, string entryName, uint declared)
    {
        var bytes = zip.ToArray();
        var name = System.Text.Encoding.UTF8.GetBytes(entryName);
        var patched = 0;
        for (var i = 0; i + 46 <= bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            var (sizeOffset, nameOffset) = signature switch
            {
                LocalHeader => (22, 30),
                CentralHeader => (24, 46),
                _ => (-1, -1),
            };

            if (sizeOffset > 0 && bytes.AsSpan(i + nameOffset).StartsWith(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + sizeOffset), declared);
                patched++;
            }
        }

        return patched == 2 ? bytes : throw new InvalidOperationException($"Found {patched} headers of {entryName}.");
    }
}
