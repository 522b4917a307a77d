using System.Security.Claims;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using AgentGrid.FrontDoor.Identity;

namespace AgentGrid.FrontDoor.Sessions;

/// <summary>
/// The one way the front door reaches a session for a caller: one of its tenant's, and of those its owner's unless the
/// caller sees the whole tenant (admins, tenant-wide keys). Another owner's session answers <c>session_not_found</c>
/// exactly like a missing one. A session's owner never changes and session ids are never reused, so owners are
/// remembered and a check costs a grain call only the first time a front door sees a session.
/// </summary>
public sealed class SessionAccess(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan Remembered = TimeSpan.FromHours(1);
    private readonly LruCache<string, string> _owners = new(100_000, time);

    public async Task<ISessionGrain> OfAsync(ClaimsPrincipal user, string sessionId)
    {
        if (!GrainKeys.IsValidId(sessionId))
        {
            throw AgentGridException.SessionNotFound(sessionId);
        }

        var key = GrainKeys.For(CallerClaims.TenantOf(user), sessionId);
        var session = grains.GetGrain<ISessionGrain>(key);
        if (CallerClaims.SeesWholeTenant(user))
        {
            return session;
        }

        if (!_owners.TryGet(key, out var owner))
        {
            // Sessions from before owners whose opener cannot be told have none: only the whole tenant's viewers reach them.
            owner = (await session.GetAsync()).Owner ?? "";
            _owners.Set(key, owner, Remembered);
        }

        return owner == CallerClaims.OwnerOf(user) ? session : throw AgentGridException.SessionNotFound(sessionId);
    }

    /// <summary>Opens a session owned by the caller, remembering whose it is.</summary>
    public async Task<Session> OpenAsync(ClaimsPrincipal user, string sessionId, string agentId, IReadOnlyDictionary<string, string> variables, string? endUser)
    {
        var key = GrainKeys.For(CallerClaims.TenantOf(user), sessionId);
        var owner = CallerClaims.OwnerOf(user);
        var session = await grains.GetGrain<ISessionGrain>(key).OpenAsync(agentId, variables, endUser, owner);
        _owners.Set(key, owner, Remembered);
        return session;
    }
}
