using AgentGrid.Contracts.Errors;
using Microsoft.Extensions.Logging;

namespace AgentGrid.FrontDoor.Cluster;

/// <summary>
/// Carries idempotent calls across the loss of a silo. A call already sent through a gateway whose silo died is never
/// answered: Orleans' client only gives up on it at the grain call timeout (minutes, so that a long chat turn fits).
/// A call to a grain on a silo that died, but is not yet voted dead, is rejected. So an idempotent call is sent again
/// at once when the front door loses a gateway while it is out, and again with a short backoff while the cluster
/// rejects it, for up to <see cref="RetryWindow"/> (enough for membership to vote a dead silo out). Co-hosted on a
/// silo, no gateway is ever lost.
/// </summary>
public sealed class FailoverRetry(TimeProvider clock, ILogger<FailoverRetry> logger) : IClusterConnectionStatusObserver
{
    private CancellationTokenSource _gatewayLost = new();

    /// <summary>How long a call keeps being sent again after the first attempt. Default: 20 s.</summary>
    public static TimeSpan RetryWindow { get; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Runs <paramref name="call"/>, sending it again as described above. Only for idempotent calls: an earlier
    /// attempt may still complete on its grain.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken aborted)
    {
        var started = clock.GetTimestamp();
        var backoff = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            var gatewayLost = Volatile.Read(ref _gatewayLost).Token;
            var attempt = call();
            try
            {
                return await attempt.WaitAsync(gatewayLost);
            }
            catch (OperationCanceledException) when (gatewayLost.IsCancellationRequested && !attempt.IsCompleted && !aborted.IsCancellationRequested
                && clock.GetElapsedTime(started) < RetryWindow)
            {
                // The attempt may have gone through the lost gateway; whatever becomes of it is of no interest now.
                _ = attempt.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                logger.LogInformation("A gateway was lost while a call was out; sending it again");
            }
            catch (Exception e) when (IsRejectedByCluster(e) && !aborted.IsCancellationRequested && clock.GetElapsedTime(started) + backoff < RetryWindow)
            {
                logger.LogInformation("The cluster rejected a call ({Reason}); sending it again in {Backoff} ms", e.GetType().Name, backoff.TotalMilliseconds);
                await Task.Delay(backoff, clock, aborted);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            logger.LogWarning("Lost a gateway: {Current} of {Previous} left", currentNumberOfGateways, previousNumberOfGateways);
            Interlocked.Exchange(ref _gatewayLost, new CancellationTokenSource()).Cancel();
        }
    }

    public void NotifyClusterConnectionLost() => NotifyGatewayCountChanged(0, 1, connectionRecovered: false);

    /// <summary>
    /// The cluster refused or could not take the call: a silo not yet voted dead, or the connection to a gateway whose
    /// silo just died (<see cref="Orleans.Runtime.Messaging.ConnectionFailedException"/>). The call did not run.
    /// </summary>
    public static bool IsRejectedByCluster(Exception e) =>
        e.SelfAndCauses().Any(cause => cause is SiloUnavailableException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException);
}
