using System.Text;

namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// Turns the bytes of a text file into a string: UTF-8 with or without a byte order mark, or UTF-16 with one.
/// Anything else, or text holding NUL characters, is a binary file wearing a text file's name.
/// </summary>
internal static class TextDecoder
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
    private static readonly Encoding StrictUtf16Le = new UnicodeEncoding(false, false, throwOnInvalidBytes: true);
    private static readonly Encoding StrictUtf16Be = new UnicodeEncoding(true, false, throwOnInvalidBytes: true);

    /// <summary>The decoded text, or null when the bytes are not text in a supported encoding.</summary>
    public static string? TryDecode(ReadOnlySpan<byte> bytes, Encoding? fallback = null)
    {
        var (encoding, bomLength) = bytes switch
        {
            [0xEF, 0xBB, 0xBF, ..] => (StrictUtf8, 3),
            [0xFF, 0xFE, ..] => (StrictUtf16Le, 2),
            [0xFE, 0xFF, ..] => (StrictUtf16Be, 2),
            _ => (StrictUtf8, 0),
        };
        var body = bytes[bomLength..];

        if (encoding == StrictUtf8 && body.IndexOf((byte)0) >= 0)
        {
            return null;
        }

        string text;
        try
        {
            text = encoding.GetString(body);
        }
        catch (ArgumentException) when (fallback is not null && encoding == StrictUtf8 && bomLength == 0)
        {
            text = fallback.GetString(body);
        }
        catch (ArgumentException)
        {
            return null;
        }

        return text.Contains('\0') ? null : text;
    }
}
