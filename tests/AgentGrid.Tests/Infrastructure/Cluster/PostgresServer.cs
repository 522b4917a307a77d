using Npgsql;

namespace AgentGrid.Tests.Infrastructure.Cluster;

/// <summary>
/// A real PostgreSQL server from Debian's packages, in a temporary folder on a free loopback port. As root it runs as
/// the <c>postgres</c> user (PostgreSQL refuses to run as root).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly string _bin;
    private readonly string? _user;
    private ServerProcess? _server;

    private PostgresServer(string bin)
    {
        _bin = bin;
        _user = Environment.UserName == "root" ? "postgres" : null;
        Port = FreePort.Next();
    }

    public int Port { get; }

    public string ConnectionString(string database = "agentgrid") =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username=agentgrid;Pooling=true;Timeout=5;Command Timeout=10";

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed: apt-get install -y postgresql (bash .ci/run does).");
        }

        var server = new PostgresServer(bin);
        await server.InitializeAsync();
        return server;
    }

    private async Task InitializeAsync()
    {
        if (_user is not null)
        {
            await ServerProcess.RunAsync("chown", ["-R", _user, _folder.Path]);
        }

        await ServerProcess.RunAsync(Path.Combine(_bin, "initdb"), ["-D", DataPath, "-U", "agentgrid", "--auth=trust", "--no-sync"], _user);
        await StartServerAsync();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand("CREATE DATABASE agentgrid", connection);
        await create.ExecuteNonQueryAsync();
    }

    private string DataPath => Path.Combine(_folder.Path, "data");

    private async Task StartServerAsync()
    {
        _server = ServerProcess.Start(Path.Combine(_bin, "postgres"),
            ["-D", DataPath, "-p", Port.ToString(), "-k", _folder.Path, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
            Path.Combine(_folder.Path, "postgres.log"), user: _user);
        var log = Path.Combine(_folder.Path, "postgres.log");
        try
        {
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync();
                return true;
            }
            catch (NpgsqlException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "PostgreSQL to accept connections");
        }
        catch (TimeoutException e)
        {
            var text = File.Exists(log) ? File.ReadAllText(log) : "(no log)";
            throw new TimeoutException($"{e.Message} Its log ends: {text[Math.Max(0, text.Length - 1500)..]}", e);
        }
    }

    /// <summary>Stops the server abruptly, as a crash or a restart by an operator does.</summary>
    public void Kill()
    {
        _server?.Dispose();
        _server = null;
    }

    public Task RestartAsync()
    {
        Kill();
        NpgsqlConnection.ClearAllPools();
        // The killed postmaster can linger as a zombie (nothing reaps orphans in a container), and PostgreSQL would take
        // its pid file as a server still running. It is dead: its lock file goes.
        File.Delete(Path.Combine(DataPath, "postmaster.pid"));
        File.Delete(Path.Combine(_folder.Path, $".s.PGSQL.{Port}.lock"));
        File.Delete(Path.Combine(_folder.Path, $".s.PGSQL.{Port}"));
        return StartServerAsync();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        NpgsqlConnection.ClearAllPools();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
