namespace AgentGrid.Tests.Infrastructure.Cluster;

/// <summary>A real Redis server from Debian's packages on a free loopback port, keeping nothing on disk.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();
    private ServerProcess? _server;

    public int Port { get; } = FreePort.Next();

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000";

    public static async Task<RedisServer> StartAsync()
    {
        if (!File.Exists("/usr/bin/redis-server"))
        {
            throw new InvalidOperationException("Redis is not installed: apt-get install -y redis-server (bash .ci/run does).");
        }

        var server = new RedisServer();
        await server.StartServerAsync();
        return server;
    }

    public async Task StartServerAsync()
    {
        _server = ServerProcess.Start("/usr/bin/redis-server",
            ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", _folder.Path],
            Path.Combine(_folder.Path, "redis.log"));
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), "Redis to accept connections");
    }

    public void Kill()
    {
        _server?.Dispose();
        _server = null;
    }

    public Task RestartAsync()
    {
        Kill();
        return StartServerAsync();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
