using AgentGrid.Contracts.Errors;
using AgentGrid.FrontDoor.Cluster;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentGrid.Tests.FrontDoor;

/// <summary>How the front door carries an idempotent call across the loss of a silo (the cluster test shows it end to end).</summary>
public sealed class FailoverRetryTests
{
    private readonly FailoverRetry _failover = new(TimeProvider.System, NullLogger<FailoverRetry>.Instance);

    [Fact]
    public async Task A_call_the_cluster_rejects_is_sent_again_until_it_is_answered()
    {
        var calls = 0;

        var answer = await _failover.RunAsync(() => ++calls < 3 ? Task.FromException<string>(new SiloUnavailableException("silo b is gone")) : Task.FromResult("answered"), CancellationToken.None);

        Assert.Equal("answered", answer);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_call_out_when_a_gateway_is_lost_is_sent_again_and_the_new_answer_is_used()
    {
        var stranded = new TaskCompletionSource<string>();
        var sentAgain = new TaskCompletionSource<string>();
        var calls = 0;
        var running = _failover.RunAsync(() => ++calls == 1 ? stranded.Task : sentAgain.Task, CancellationToken.None);
        Assert.False(running.IsCompleted);

        _failover.NotifyGatewayCountChanged(1, 2, connectionRecovered: false);
        sentAgain.SetResult("answered by the silo left");

        Assert.Equal("answered by the silo left", await running.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_gateway_coming_back_changes_nothing_and_other_errors_are_not_retried()
    {
        var calls = 0;
        _failover.NotifyGatewayCountChanged(2, 1, connectionRecovered: false);

        var error = await Assert.ThrowsAsync<AgentGridException>(() =>
            _failover.RunAsync(() => { calls++; return Task.FromException<string>(new AgentGridException(ErrorCodes.SessionNotFound, "no such session")); }, CancellationToken.None));

        Assert.Equal(ErrorCodes.SessionNotFound, error.Code);
        Assert.Equal(1, calls);
    }
}
