using System.Security.Cryptography;

namespace AgentGrid.Contracts;

/// <summary>Builds and reads tenant-scoped grain keys of the form <c>{tenant}/{id}</c>.</summary>
public static class GrainKeys
{
    public const int MaxIdLength = 64;

    public static string For(string tenant, string id) => $"{tenant}/{id}";

    /// <summary>Splits a grain key into its tenant and id.</summary>
    public static (string Tenant, string Id) Parse(string key)
    {
        var slash = key.IndexOf('/');
        if (slash <= 0 || slash == key.Length - 1)
        {
            throw new ArgumentException($"Grain key '{key}' is not of the form tenant/id.", nameof(key));
        }

        return (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>A new random id with a readable prefix, e.g. <c>agt_3f9c1a2b7d4e5f60</c>.</summary>
    public static string NewId(string prefix) =>
        $"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";

    /// <summary>Whether a caller-supplied id can name a grain: letters, digits, '_' and '-' only.</summary>
    public static bool IsValidId(string? id) =>
        !string.IsNullOrEmpty(id)
        && id.Length <= MaxIdLength
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
