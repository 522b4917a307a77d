using AgentGrid.Grains.Cluster;

namespace AgentGrid.Silo;

/// <summary><c>agentgrid-silo db migrate [--postgres CONNECTION]</c>: applies the database scripts and exits.</summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var connection = args is ["--postgres", var given, ..] ? given : configuration[$"{GridClusterOptions.SectionName}:Postgres"];
        if (string.IsNullOrWhiteSpace(connection))
        {
            await Console.Error.WriteLineAsync($"Give the database with --postgres \"Host=...;Database=...\" or {GridClusterOptions.SectionName.Replace(":", "__")}__Postgres.");
            return 2;
        }

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        var applied = await PostgresSchema.MigrateAsync(connection, loggers.CreateLogger("agentgrid.db"), CancellationToken.None);
        Console.WriteLine(applied.Count == 0 ? "The database is up to date." : $"Applied: {string.Join(", ", applied)}");
        return 0;
    }
}
