using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AgentGrid.Tests.Outbound;

/// <summary>A request as the <see cref="RecordingServer"/> read it.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Body);

/// <summary>What the <see cref="RecordingServer"/> answers; <see cref="Hang"/> never answers at all.</summary>
internal sealed record ServerReply(int Status, byte[] Body, string? Location = null, bool Chunked = false, bool Hang = false)
{
    public static ServerReply Ok(string body) => new(200, Encoding.UTF8.GetBytes(body));

    public static ServerReply Redirect(int status, string location) => new(status, [], location);

    public static ServerReply Bytes(int length, bool chunked) => new(200, new byte[length], Chunked: chunked);

    public static ServerReply Never { get; } = new(0, [], Hang: true);
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 and [::1] (same port) that counts every connection, so a test can prove the
/// guard never let a request reach it. One request per connection.
/// </summary>
internal sealed class RecordingServer : IAsyncDisposable
{
    private readonly Func<RecordedRequest, ServerReply> _reply;
    private readonly CancellationTokenSource _stop = new();
    private readonly TcpListener[] _listeners;
    private readonly Task[] _acceptLoops;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private int _connectionCount;

    private RecordingServer(Func<RecordedRequest, ServerReply> reply)
    {
        _reply = reply;
        var ipv4 = new TcpListener(IPAddress.Loopback, 0);
        ipv4.Start();
        Port = ((IPEndPoint)ipv4.LocalEndpoint).Port;
        var ipv6 = new TcpListener(IPAddress.IPv6Loopback, Port);
        ipv6.Start();
        _listeners = [ipv4, ipv6];
        _acceptLoops = [AcceptAsync(ipv4), AcceptAsync(ipv6)];
    }

    public int Port { get; }

    /// <summary>TCP connections accepted, whether or not a request followed.</summary>
    public int Connections => Volatile.Read(ref _connectionCount);

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static RecordingServer Start(Func<RecordedRequest, ServerReply> reply) => new(reply);

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        await Task.WhenAll(_acceptLoops);
        await Task.WhenAll(_connections);
        _stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connectionCount);
                _connections.Add(ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var connection = client;
        try
        {
            var stream = connection.GetStream();
            var request = await ReadRequestAsync(stream, _stop.Token);
            _requests.Enqueue(request);
            var reply = _reply(request);
            if (reply.Hang)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }

            await WriteReplyAsync(stream, reply, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // The client went away or the server stopped.
        }
    }

    private static async Task<RecordedRequest> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("The connection closed before the request headers ended.");
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        var lines = Encoding.ASCII.GetString([.. received], 0, headerEnd).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var contentLength = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(parts => int.Parse(parts[1].Trim()))
            .FirstOrDefault();
        var body = received.Skip(headerEnd + 4).ToList();
        while (body.Count < contentLength)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("The connection closed before the request body ended.");
            }

            body.AddRange(buffer.AsSpan(0, read));
        }

        return new RecordedRequest(requestLine[0], requestLine[1], Encoding.UTF8.GetString([.. body]));
    }

    private static int IndexOfHeaderEnd(List<byte> received)
    {
        for (var i = 0; i + 3 < received.Count; i++)
        {
            if (received[i] == '\r' && received[i + 1] == '\n' && received[i + 2] == '\r' && received[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private static async Task WriteReplyAsync(NetworkStream stream, ServerReply reply, CancellationToken cancellationToken)
    {
        var head = new StringBuilder($"HTTP/1.1 {reply.Status} X\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n");
        if (reply.Location is not null)
        {
            head.Append($"Location: {reply.Location}\r\n");
        }

        head.Append(reply.Chunked ? "Transfer-Encoding: chunked\r\n\r\n" : $"Content-Length: {reply.Body.Length}\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken);
        if (!reply.Chunked)
        {
            await stream.WriteAsync(reply.Body, cancellationToken);
            return;
        }

        foreach (var chunk in reply.Body.Chunk(1000))
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"), cancellationToken);
            await stream.WriteAsync(chunk, cancellationToken);
            await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        }

        await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
    }
}
