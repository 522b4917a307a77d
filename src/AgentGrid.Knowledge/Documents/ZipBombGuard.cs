using System.IO.Compression;

namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// Reads a zip's directory, before anything is unpacked, and refuses one that declares it expands too far: too many
/// entries, too many bytes in all, or an entry compressed more than a document plausibly is.
/// </summary>
internal static class ZipBombGuard
{
    public const int MaxEntries = 1000;
    public const int MaxCompressionRatio = 100;

    // Small parts may compress far (a run of empty XML), so the ratio only counts above this size.
    private const long RatioThreshold = 1024 * 1024;

    /// <summary>Throws <c>document_too_large</c> for a bomb; <see cref="InvalidDataException"/> for a broken zip.</summary>
    public static void Check(Stream zip, long maxExpandedBytes)
    {
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        if (archive.Entries.Count > MaxEntries)
        {
            throw DocumentErrors.TooLarge(
                $"The Word document holds {archive.Entries.Count} files; at most {MaxEntries} are allowed.");
        }

        long expanded = 0;
        foreach (var entry in archive.Entries)
        {
            var ratioTooHigh = entry.Length > RatioThreshold &&
                               entry.Length / Math.Max(entry.CompressedLength, 1) > MaxCompressionRatio;

            // Each declared length is below the limit before it is added, so the sum cannot overflow.
            expanded += Math.Min(entry.Length, maxExpandedBytes + 1);
            if (ratioTooHigh || expanded > maxExpandedBytes)
            {
                throw DocumentErrors.ExpandsTooFar(maxExpandedBytes);
            }
        }
    }
}
