using System.Net;
using System.Net.Sockets;

namespace AgentGrid.Grains.Workers.Node;

/// <summary>
/// Ports for launched servers: from <see cref="Gpu.GpuOptions.ServerPortRange"/> when set (what a network policy can open exactly),
/// else from the kernel's ephemeral range. A port is handed out only if it binds now, and not again for a minute, so two servers
/// starting at once never get the same one before either has bound it.
/// </summary>
public sealed class FreePorts(string bindAddress, (int First, int Last)? range)
{
    private static readonly TimeSpan Held = TimeSpan.FromMinutes(1);
    private readonly Dictionary<int, DateTime> _handedOut = [];
    private int _cursor = -1;

    public int Next()
    {
        lock (_handedOut)
        {
            var now = DateTime.UtcNow;
            foreach (var stale in _handedOut.Where(p => now - p.Value > Held).Select(p => p.Key).ToList())
            {
                _handedOut.Remove(stale);
            }

            var port = range is { } r ? FromRange(r) : Ephemeral();
            _handedOut[port] = now;
            return port;
        }
    }

    private int FromRange((int First, int Last) r)
    {
        var size = r.Last - r.First + 1;
        _cursor = _cursor < 0 ? Random.Shared.Next(size) : _cursor;
        for (var tried = 0; tried < size; tried++)
        {
            var port = r.First + (_cursor++ % size);
            if (!_handedOut.ContainsKey(port) && Binds(port))
            {
                return port;
            }
        }

        throw new Contracts.Errors.AgentGridException(Contracts.Errors.ErrorCodes.ModelUnavailable,
            $"No port of {r.First}-{r.Last} is free on this node for another model server; widen {Gpu.GpuOptions.SectionName}:ServerPortRange.");
    }

    private int Ephemeral()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Parse(bindAddress), 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (!_handedOut.ContainsKey(port))
            {
                return port;
            }
        }
    }

    private bool Binds(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Parse(bindAddress), port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Reads <c>first-last</c>; null for none (the kernel's ephemeral range).</summary>
    public static (int First, int Last)? ParseRange(string? text) =>
        text?.Split('-') is [var a, var b] && int.TryParse(a, out var first) && int.TryParse(b, out var last) && first is >= 1024 and <= 65535 && last >= first && last <= 65535
            ? (first, last)
            : null;
}
