namespace AgentGrid.Contracts.Sessions;

/// <summary>
/// A follower of a session's events (a front door serving its subscribers): the session pushes each event as it is
/// published, without a queue poll in between. Pushes are one-way and best effort; a follower that sees a gap in the
/// sequence numbers reads the missing events back from the session.
/// </summary>
[Alias("agentgrid.ISessionEventObserver")]
public interface ISessionEventObserver : IGrainObserver
{
    [Alias("on-event")] [Orleans.Concurrency.OneWay] Task OnEventAsync(SessionEvent e);
}
