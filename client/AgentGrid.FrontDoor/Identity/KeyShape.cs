using System.Buffers;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// What an API key looks like: <see cref="KeyHasher.KeyPrefix"/> and then 32 to 200 letters, digits, <c>-</c> or
/// <c>_</c>. Keys made here are the prefix and 43 characters of URL-safe base64 (<see cref="KeyHasher.NewKey"/>); a
/// configured bootstrap key, by the README's recipe, the prefix and 64 hex digits. Anything else is refused before it
/// is hashed or looked up, so a malformed credential costs the grid nothing.
/// </summary>
public static class KeyShape
{
    public const int MinBodyLength = 32;
    public const int MaxBodyLength = 200;

    /// <summary>The shape in words, for error messages.</summary>
    public const string Description = "'agk_' followed by 32 to 200 letters, digits, '-' or '_'";

    private static readonly SearchValues<char> BodyCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static bool IsWellFormed(string presented) =>
        presented.Length - KeyHasher.KeyPrefix.Length is >= MinBodyLength and <= MaxBodyLength
        && presented.StartsWith(KeyHasher.KeyPrefix, StringComparison.Ordinal)
        && !presented.AsSpan(KeyHasher.KeyPrefix.Length).ContainsAnyExcept(BodyCharacters);
}
