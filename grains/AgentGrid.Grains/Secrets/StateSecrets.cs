using System.Security.Cryptography;
using System.Text;
using AgentGrid.Contracts.Errors;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Secrets;

/// <summary>
/// Seals secrets that grain state must keep (an MCP server's headers) with AES-256-GCM under a key derived (HKDF-SHA256)
/// from the grid's secret (<see cref="StateSecretOptions"/>). Each sealed value is bound to what it belongs to (the
/// grain's key, as associated data), so it cannot be moved to another grain's state and opened there.
/// </summary>
public sealed class StateSecrets(IOptions<StateSecretOptions> options)
{
    private const string Version = "v1:";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    // Read when first needed: by then the front door of an embedded grid has made the shared secret file.
    private readonly Lazy<byte[]> _key = new(() => HKDF.DeriveKey(HashAlgorithmName.SHA256, Secret(options.Value), 32,
        info: Encoding.UTF8.GetBytes("agentgrid/state-secrets/v1")));

    public string Seal(string plaintext, string boundTo)
    {
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceBytes + TagBytes + clear.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key.Value, TagBytes);
        aes.Encrypt(nonce, clear, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), Encoding.UTF8.GetBytes(boundTo));
        return Version + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The sealed value in clear; <c>internal_error</c> when it was sealed under another secret or for another owner.</summary>
    public string Open(string sealedText, string boundTo)
    {
        try
        {
            var sealedBytes = Convert.FromBase64String(sealedText.StartsWith(Version, StringComparison.Ordinal) ? sealedText[Version.Length..] : throw new FormatException());
            var clear = new byte[sealedBytes.Length - NonceBytes - TagBytes];
            using var aes = new AesGcm(_key.Value, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), clear, Encoding.UTF8.GetBytes(boundTo));
            return Encoding.UTF8.GetString(clear);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or OverflowException or ArgumentException)
        {
            throw new AgentGridException(ErrorCodes.Internal,
                "A stored secret could not be decrypted: this silo's AgentGrid:Auth:HashKey is not the one it was stored with.");
        }
    }

    private static byte[] Secret(StateSecretOptions options)
    {
        if (options.HashKey is { Length: > 0 } given)
        {
            return Convert.FromBase64String(given);
        }

        var path = options.HashKeyFile!;
        if (!File.Exists(path))
        {
            // Written beside and moved into place, so a reader never sees half a file; one already there wins.
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temporary, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}
