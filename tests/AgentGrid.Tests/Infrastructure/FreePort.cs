using System.Net;
using System.Net.Sockets;

namespace AgentGrid.Tests.Infrastructure;

public static class FreePort
{
    // Below Linux's ephemeral range (32768-60999): a port handed out here is never the one the OS gives a listener that
    // asks for port 0 (an in-process simulator, say) between now and when the caller binds it.
    private const int First = 20_000;
    private const int Last = 32_000;
    private static int _next = First + Random.Shared.Next(Last - First);

    /// <summary>A loopback port that nothing listens on right now, not handed out before by this process.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < Last - First; attempt++)
        {
            var port = First + (Interlocked.Increment(ref _next) - First) % (Last - First);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try the next one.
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {Last}.");
    }
}
