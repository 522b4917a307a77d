using System.Text.RegularExpressions;
using AgentGrid.Contracts.Errors;

namespace AgentGrid.Contracts.Identity;

/// <summary>
/// Who owns what a key makes inside its tenant: the person the key was made for, or, for an application key, the key
/// itself (its id). Sessions, memories and tool-call logs belong to an owner; readers and members see only their own.
/// </summary>
public static partial class Owners
{
    /// <summary>A person's name as an admin gives it: 1 to 128 letters, digits or <c>. _ @ -</c>, not shaped like a key id.</summary>
    public static string Validate(string owner, string field = "owner")
    {
        if (!Pattern().IsMatch(owner))
        {
            throw AgentGridException.Validation(field, $"{field} must be 1 to 128 letters, digits or . _ @ - characters.");
        }

        if (KeyIdPattern().IsMatch(owner))
        {
            throw AgentGridException.Validation(field, $"{field} must not look like a key id: application keys own what they make already.");
        }

        return owner;
    }

    /// <summary>
    /// The owner of a session stored before sessions recorded one: the key that opened it, which it filed its memory
    /// under when the caller named no user; null (the tenant's admins and tenant-wide keys only) when it cannot be told.
    /// </summary>
    public static string? OfLegacySession(string? user) => user is not null && KeyIdPattern().IsMatch(user) ? user : null;

    /// <summary>Whether an owner is an application key (its id), not a person.</summary>
    public static bool IsKeyId(string owner) => KeyIdPattern().IsMatch(owner);

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,128}$")]
    private static partial Regex Pattern();

    [GeneratedRegex("^key_[0-9a-f]{16}$")]
    private static partial Regex KeyIdPattern();
}
