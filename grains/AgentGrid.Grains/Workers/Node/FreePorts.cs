using System.Net;
using System.Net.Sockets;

namespace AgentGrid.Grains.Workers.Node;

/// <summary>A port free on the address servers bind to, from the kernel's ephemeral range (which the manifests' network policy opens).</summary>
internal static class FreePorts
{
    public static int Next(string bindAddress)
    {
        using var listener = new TcpListener(IPAddress.Parse(bindAddress), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
