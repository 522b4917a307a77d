namespace AgentGrid.Grains.Storage;

/// <summary>Where and how <see cref="SqliteGrainStorage"/> keeps grain state.</summary>
public sealed class SqliteGrainStorageOptions
{
    /// <summary>Path of the database file; its folder is created if missing. Required.</summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>How long a write waits for another writer's lock before failing. Default: 30 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
