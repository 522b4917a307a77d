using System.Text;

namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>Why a file could or could not be read as text.</summary>
internal enum TextFileStatus
{
    Ok,
    TooLarge,
    Binary,
    NotUtf8,
}

/// <summary>Reads a sandboxed file as UTF-8 text, never more than a byte limit.</summary>
internal static class TextFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<(TextFileStatus Status, string Text, long Size)> ReadAsync(string fullPath, long maxBytes, CancellationToken ct)
    {
        await using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        if (stream.Length > maxBytes)
        {
            return (TextFileStatus.TooLarge, "", stream.Length);
        }

        // Read one byte past the limit: the file may have grown since Length was read.
        var buffer = new byte[(int)Math.Min(stream.Length + 1, maxBytes + 1)];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        if (read > maxBytes)
        {
            return (TextFileStatus.TooLarge, "", read);
        }

        var bytes = buffer.AsSpan(0, read);
        if (bytes.Contains((byte)0))
        {
            return (TextFileStatus.Binary, "", read);
        }

        var body = bytes.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
        try
        {
            return (TextFileStatus.Ok, StrictUtf8.GetString(body), read);
        }
        catch (DecoderFallbackException)
        {
            return (TextFileStatus.NotUtf8, "", read);
        }
    }
}
