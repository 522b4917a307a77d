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

/// <summary>The key of an agent's memory of one end user: <c>{tenant}/{agentId}/{user}</c>.</summary>
public static class MemoryKeys
{
    public static string For(string tenant, string agentId, string user) => $"{tenant}/{agentId}/{user}";
}
