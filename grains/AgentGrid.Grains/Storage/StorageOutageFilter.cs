using System.Data.Common;
using AgentGrid.Contracts.Errors;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Storage;

/// <summary>
/// A grain call that failed because the database did not answer ends as <c>service_unavailable</c> with a retry-after:
/// a clear answer for the caller, and one that crosses to a front door that knows nothing of the database driver's
/// exception types (which it could not even deserialize).
/// </summary>
public sealed class StorageOutageFilter(ILogger<StorageOutageFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (IsStorageOutage(e))
        {
            logger.LogWarning(e, "{Grain}.{Method} failed: the database did not answer", context.TargetId, context.MethodName);
            throw new AgentGridException(ErrorCodes.ServiceUnavailable, "The grid's storage is unavailable; nothing was changed. Try again.") { RetryAfterSeconds = 5 };
        }
    }

    public static bool IsStorageOutage(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
