using System.Text.RegularExpressions;
using AgentGrid.Contracts.Errors;

namespace AgentGrid.Contracts.Memory;

/// <summary>Who an agent's long-term memory is about: an API key id, or a name the caller gives (<c>user</c>).</summary>
public static partial class SessionUsers
{
    /// <summary>The user of sessions opened without a key or a name (internal callers).</summary>
    public const string Anonymous = "anonymous";

    public static string Validate(string? user, string field = "user")
    {
        if (user is null)
        {
            return Anonymous;
        }

        return Pattern().IsMatch(user) ? user
            : throw AgentGridException.Validation(field, $"{field} must be 1 to 128 letters, digits or . _ @ - characters.");
    }

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,128}$")]
    private static partial Regex Pattern();
}

/// <summary>
/// The key of an agent's memory of one end user within one owner's memories: <c>{tenant}/{agentId}/{owner}/{user}</c>.
/// The shorter <c>{tenant}/{agentId}/{user}</c> is the form memories had before owners: it stays the key of an application
/// key's own memories (owner and user both its id, where they always were), and of the sessions from before owners that
/// no owner can be told for (<paramref name="owner"/> null). A person's own memories never take it, so they never meet
/// what any key filed under a user of that name before owners.
/// </summary>
public static class MemoryKeys
{
    public static string For(string tenant, string agentId, string? owner, string user) =>
        owner is null || (owner == user && Identity.Owners.IsKeyId(owner)) ? $"{tenant}/{agentId}/{user}" : $"{tenant}/{agentId}/{owner}/{user}";

    /// <summary>The parts of a memory key; <c>Owner</c> is null in the shorter form.</summary>
    public static (string Tenant, string Agent, string? Owner, string User) Parse(string key)
    {
        var parts = key.Split('/');
        return parts.Length switch
        {
            3 => (parts[0], parts[1], null, parts[2]),
            4 => (parts[0], parts[1], parts[2], parts[3]),
            _ => throw new ArgumentException($"Memory key '{key}' is not of the form tenant/agent/[owner/]user.", nameof(key)),
        };
    }
}
