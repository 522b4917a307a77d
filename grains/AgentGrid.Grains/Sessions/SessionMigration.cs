using AgentGrid.Contracts.Sessions;

namespace AgentGrid.Grains.Sessions;

/// <summary>Moves the history of a session stored in the earlier shape (whole in its grain state) into its rows.</summary>
internal static class SessionMigration
{
    public static bool Needed(SessionState state) => state.Messages.Count > 0 || state.Events.Count > 0;

    public static async Task MigrateAsync(SessionState state, SessionHistory history)
    {
        var messages = state.Messages.Select((m, i) => m with { Index = i + 1 }).ToList();
        var events = state.Events.ToList();
        // Idempotent: rows are keyed by index and sequence, so a migration cut short is simply done again.
        await history.AppendAsync(messages, events);
        state.Messages = [];
        state.Events = [];
    }
}
