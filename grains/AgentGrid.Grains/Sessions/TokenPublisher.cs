using System.Text;
using AgentGrid.Contracts.Sessions;

namespace AgentGrid.Grains.Sessions;

/// <summary>
/// Publishes a turn's tokens without holding up generation. Each piece is published as soon as the
/// previous publish is done; pieces that arrive meanwhile go out together as one <c>token</c> event,
/// so under load there are fewer, larger events and at low load one event per token. Sequence
/// numbers are assigned at publish time and stay contiguous. Runs on the grain's scheduler.
/// </summary>
internal sealed class TokenPublisher(SessionEventLog events, Func<string, SessionEvent> tokenEvent)
{
    private readonly StringBuilder _pending = new();
    private Task _pump = Task.CompletedTask;

    public void Add(string delta)
    {
        _pending.Append(delta);
        if (_pump.IsCompleted)
        {
            _pump = PumpAsync();
        }
    }

    /// <summary>Completes once every added piece has been published.</summary>
    public Task FlushAsync() => _pump;

    private async Task PumpAsync()
    {
        while (_pending.Length > 0)
        {
            var delta = _pending.ToString();
            _pending.Clear();
            await events.PublishAsync(events.Append(tokenEvent(delta)));
        }
    }
}
