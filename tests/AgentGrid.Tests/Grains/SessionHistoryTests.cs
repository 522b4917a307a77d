using System.Text.Json;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Grains.Sessions;
using AgentGrid.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AgentGrid.Tests.Grains;

/// <summary>The history is appended row by row, held in memory only as a window, and summarised when it outgrows the model.</summary>
public sealed class SessionHistoryTests
{
    private static readonly Dictionary<string, string?> SmallWindow = new()
    {
        ["AgentGrid:Sessions:HistoryWindow"] = "10",
        // A model whose window holds a few turns of these messages: system prompt, summary and ~4 messages.
        ["AgentGrid:Inference:ContextLength"] = "600",
        ["AgentGrid:Inference:MaxOutputTokens"] = "64",
    };

    [Fact]
    public async Task Every_acknowledged_message_survives_a_silo_kill_and_pages_reach_past_the_in_memory_window()
    {
        using var data = new TempDirectory();
        var database = Path.Combine(data.Path, "grid.db");
        var keys = new Keys();
        var sessionKey = keys.Session();
        var acknowledged = new List<string>();
        var first = await GridCluster.StartAsync(database, SmallWindow);
        var agent = await first.Client.GetGrain<IAgentGrain>(keys.Agent()).CreateAsync(new AgentDefinition { Name = "durable" });
        await first.Client.GetGrain<ISessionGrain>(sessionKey).OpenAsync(agent.Id, new Dictionary<string, string>());
        for (var i = 0; i < 12; i++)
        {
            var turn = await first.Client.GetGrain<ISessionGrain>(sessionKey).SendMessageAsync($"q{i}");
            acknowledged.AddRange([turn.Message.Id, turn.Reply!.Id]);
        }

        await first.KillSiloAsync(first.Silos[0]);
        await first.DisposeAsync();

        await using var second = await GridCluster.StartAsync(database, SmallWindow);
        var session = second.Client.GetGrain<ISessionGrain>(sessionKey);
        var latest = await session.GetMessagesAsync(limit: 10);
        var older = await session.GetMessagesAsync(before: latest[0].Index, limit: 500);

        Assert.Equal(acknowledged, older.Concat(latest).Select(m => m.Id));
        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), older.Concat(latest).Select(m => m.Index));
        Assert.Equal(24, (await session.GetAsync()).MessageCount);
    }

    [Fact]
    public async Task A_session_longer_than_the_model_window_summarises_its_oldest_turns_and_keeps_answering()
    {
        using var data = new TempDirectory();
        await using var cluster = await GridCluster.StartAsync(Path.Combine(data.Path, "grid.db"), SmallWindow);
        var keys = new Keys();
        var agent = await cluster.Client.GetGrain<IAgentGrain>(keys.Agent()).CreateAsync(new AgentDefinition { Name = "long", SystemPrompt = "Be brief." });
        var session = cluster.Client.GetGrain<ISessionGrain>(keys.Session());
        await session.OpenAsync(agent.Id, new Dictionary<string, string>());

        var turns = new List<ChatTurn>();
        for (var i = 0; i < 30; i++)
        {
            turns.Add(await session.SendMessageAsync($"Fact {i}: " + string.Join(' ', Enumerable.Repeat($"word{i}", 40))));
        }

        var summary = (await session.GetAsync()).Summary;
        var events = await session.GetEventsAsync(0);
        Assert.NotNull(summary);
        Assert.False(string.IsNullOrWhiteSpace(summary.Text));
        Assert.InRange(summary.ThroughIndex, 2, 58);
        Assert.Contains(events, e => e.Type == SessionEventTypes.MemorySummarized && e.Summary == summary);
        Assert.All(turns, t => Assert.False(string.IsNullOrEmpty(t.Reply!.Content)));
        // Prompts stay inside the window less the reply's max_tokens, however long the session grows.
        Assert.All(turns, t => Assert.InRange(t.InputTokens ?? 0, 1, 600 - 64));
        Assert.Equal(60, (await session.GetAsync()).MessageCount);
    }

    [Fact]
    public async Task A_session_stored_whole_in_its_state_by_an_earlier_version_is_moved_to_its_rows_on_activation()
    {
        using var data = new TempDirectory();
        var database = Path.Combine(data.Path, "grid.db");
        var keys = new Keys();
        var sessionKey = keys.Session();
        await using (var first = await GridCluster.StartAsync(database))
        {
            var agent = await first.Client.GetGrain<IAgentGrain>(keys.Agent()).CreateAsync(new AgentDefinition { Name = "old" });
            await first.Client.GetGrain<ISessionGrain>(sessionKey).OpenAsync(agent.Id, new Dictionary<string, string>());
        }

        // Rewrite the stored state in the shape sessions had before their history was appended.
        var now = DateTimeOffset.UtcNow;
        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            await connection.OpenAsync();
            var read = connection.CreateCommand();
            read.CommandText = "SELECT payload FROM grain_state WHERE state_name = 'session' AND grain_id LIKE $id";
            read.Parameters.AddWithValue("$id", "%" + sessionKey);
            var state = JsonSerializer.Deserialize<SessionState>((string)(await read.ExecuteScalarAsync())!, AgentGrid.Grains.Storage.JsonGrainStateSerializer.Options)!;
            state.Messages = [new() { Id = "msg_a", Role = MessageRoles.User, Content = "hello", CreatedAt = now }, new() { Id = "msg_b", Role = MessageRoles.Assistant, Content = "hi", CreatedAt = now }];
            state.Events = [new() { Sequence = 7, Type = SessionEventTypes.MessageCompleted, TurnId = "msg_a", At = now }];
            state.LastSequence = 7;
            var write = connection.CreateCommand();
            write.CommandText = "UPDATE grain_state SET payload = $payload WHERE state_name = 'session' AND grain_id LIKE $id";
            write.Parameters.AddWithValue("$payload", JsonSerializer.Serialize(state, AgentGrid.Grains.Storage.JsonGrainStateSerializer.Options));
            write.Parameters.AddWithValue("$id", "%" + sessionKey);
            Assert.Equal(1, await write.ExecuteNonQueryAsync());
        }

        await using var second = await GridCluster.StartAsync(database);
        var session = second.Client.GetGrain<ISessionGrain>(sessionKey);
        var turn = await session.SendMessageAsync("again");

        Assert.Equal(["msg_a", "msg_b", turn.Message.Id, turn.Reply!.Id], (await session.GetMessagesAsync()).Select(m => m.Id));
        Assert.Equal(3, turn.Message.Index);
        Assert.Equal(8, (await session.GetEventsAsync(7))[0].Sequence);
    }
}
