using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Makes API keys and the keyed hashes (HMAC-SHA256) they are stored and found under. Only the front door holds the
/// hash secret: the grains never see a key, and the stored hashes are useless without the secret.
/// </summary>
public sealed class KeyHasher
{
    /// <summary>Keys start with this, so scanners and people can recognise them.</summary>
    public const string KeyPrefix = "agk_";

    private readonly byte[] _secret;

    public KeyHasher(IOptions<AuthOptions> options)
    {
        var configured = options.Value;
        _secret = configured.HashKey is { } given
            ? Convert.FromBase64String(given)
            : ReadOrCreate(configured.HashKeyFile!);
    }

    /// <summary>A new key: 256 random bits, URL-safe.</summary>
    public static string NewKey() => KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>What lists show of a key: enough to tell it apart, too little to use.</summary>
    public static string PrefixOf(string key) => key.Length > 12 ? key[..12] : key[..Math.Min(4, key.Length)];

    public string Hash(string key) => Convert.ToHexStringLower(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(key)));

    /// <summary>A key of its own for one purpose (HKDF-SHA256 of the hash secret), so no two uses share key material.</summary>
    public byte[] DeriveKey(string purpose) => HKDF.DeriveKey(HashAlgorithmName.SHA256, _secret, 32, info: Encoding.UTF8.GetBytes(purpose));

    /// <summary>Compares a presented secret with an expected one in constant time.</summary>
    public static bool SameSecret(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    public static bool TryDecode(string base64, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(base64);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    private static byte[] ReadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        var secret = RandomNumberGenerator.GetBytes(32);
        try
        {
            SecretFile.Write(path, Convert.ToBase64String(secret));
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            // A silo of the same process made it first (it derives its state key from the same secret).
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
