using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Body of <c>POST /api/keys</c>. <see cref="Owner"/>: the person the key is for (their keys share what they make);
/// none makes an application key, which owns what it makes itself.
/// </summary>
public sealed record CreateKeyRequest(
    string? Name, Role? Role, string? Tenant, DateTimeOffset? ExpiresAt, RateLimits? Limits, Budget? Budget,
    string? Owner = null, IReadOnlyList<KeyPermission>? Permissions = null)
{
    public void Validate(DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 100)
        {
            throw AgentGridException.Validation("name", "name is required, at most 100 characters.");
        }

        if (Role is null)
        {
            throw AgentGridException.Validation("role", "role is required: admin, member or reader.");
        }

        if (ExpiresAt is { } expires && expires <= now)
        {
            throw AgentGridException.Validation("expiresAt", "expiresAt must be in the future.");
        }

        if (Owner is not null)
        {
            Owners.Validate(Owner);
        }

        // The enum's converter also reads numbers; only the named permissions are permissions.
        if (Permissions?.Any(p => !Enum.IsDefined(p)) == true)
        {
            throw AgentGridException.Validation("permissions", "permissions may name only \"tenant-wide\".");
        }

        QuotaRules.Validate(Limits, Budget);
    }
}

/// <summary>What <c>POST /api/keys</c> answers: the key's record and, this once, the key itself.</summary>
public sealed record CreatedKey(
    string Id, string Key, string Name, string Prefix, Role Role, string Tenant, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, RateLimits? Limits, Budget? Budget, string? Owner, IReadOnlyList<KeyPermission> Permissions)
{
    public static CreatedKey Of(ApiKey record, string key) => new(
        record.Id, key, record.Name, record.Prefix, record.Role, record.Tenant, record.CreatedAt, record.ExpiresAt, record.Limits, record.Budget,
        record.Owner, record.Permissions);
}

/// <summary>Body of <c>POST /api/tenants</c>: <c>limits</c> and <c>budget</c> left out get <c>AgentGrid:Defaults</c>'s (<c>limits: {}</c> for none).</summary>
public sealed record CreateTenantRequest(string? Id, string? Name, RateLimits? Limits = null, Budget? Budget = null);

/// <summary>Body of <c>PUT /api/tenants/{id}</c>: what is left out is cleared, except the name.</summary>
public sealed record UpdateTenantRequest(string? Name, RateLimits? Limits, Budget? Budget);

public static class QuotaRules
{
    public static void Validate(RateLimits? limits, Budget? budget)
    {
        if (limits?.RequestsPerMinute is <= 0)
        {
            throw AgentGridException.Validation("limits.requestsPerMinute", "requestsPerMinute must be positive.");
        }

        if (limits?.TokensPerMinute is <= 0)
        {
            throw AgentGridException.Validation("limits.tokensPerMinute", "tokensPerMinute must be positive.");
        }

        if (limits?.ConcurrentRequests is <= 0)
        {
            throw AgentGridException.Validation("limits.concurrentRequests", "concurrentRequests must be positive.");
        }

        if (budget?.Tokens is <= 0)
        {
            throw AgentGridException.Validation("budget.tokens", "tokens must be positive.");
        }

        if (budget?.CostUsd is <= 0)
        {
            throw AgentGridException.Validation("budget.costUsd", "costUsd must be positive.");
        }

        if (budget is { IsEmpty: true })
        {
            throw AgentGridException.Validation("budget", "A budget needs tokens, costUsd or both.");
        }
    }
}
