using System.Diagnostics;

namespace AgentGrid.Bench;

/// <summary>What the bench needs to run servers of its own on this machine: free ports, and waiting until one answers.</summary>
public static class Loopback
{
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Whether <paramref name="url"/> answered with success within <paramref name="attempts"/> tries, 100 ms apart.</summary>
    public static async Task<bool> AnswersAsync(string url, int attempts)
    {
        using var probe = new HttpClient();
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            try
            {
                if ((await probe.GetAsync(url)).IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>Starts a server process that answers at <paramref name="address"/>, and waits until it does (or kills it and throws).</summary>
    public static async Task<ChildServer> StartServerAsync(ProcessStartInfo start, string address, string name)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await AnswersAsync(address, attempts: 100))
        {
            return new ChildServer(process, address);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"{name} did not start.");
    }
}
