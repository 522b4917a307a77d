using AgentGrid.Contracts.Errors;

namespace AgentGrid.Grains.Identity;

/// <summary>The one check behind every <see cref="TenantCapsOptions"/> cap.</summary>
public static class TenantCaps
{
    /// <summary>Refuses one more when <paramref name="held"/> already reaches <paramref name="cap"/> (0: no limit).</summary>
    public static void EnsureRoomForOneMore(int held, int cap, string things, string holder = "This tenant", string remedy = "delete one to make room")
    {
        if (cap > 0 && held >= cap)
        {
            // Waiting does not help, only deleting does: tell the OpenAI SDKs, which retry 409s, not to.
            throw new AgentGridException(ErrorCodes.TenantQuotaExceeded,
                $"{holder} already has {held} {things}, the most it may have; {remedy}.") { ShouldRetry = false };
        }
    }

    /// <summary>A refusal for a cap on amounts (documents, bytes): <paramref name="why"/> says what would pass it.</summary>
    public static AgentGridException Exceeded(string why) =>
        new(ErrorCodes.TenantQuotaExceeded, $"This tenant cannot keep this: {why}; delete documents to make room.") { ShouldRetry = false };
}
