namespace AgentGrid.Grains.Storage;

/// <summary>Where and how <see cref="SqliteGrainStorage"/> keeps grain state.</summary>
public sealed class SqliteGrainStorageOptions
{
    /// <summary>Path of the database file; its folder is created if missing. Required.</summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>How long a write waits for another writer's lock before failing. Default: 30 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class SqliteGrainStorageOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SqliteGrainStorageOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SqliteGrainStorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            failures.Add($"SQLite grain storage '{name}': DatabasePath is required.");
        }

        if (options.BusyTimeout <= TimeSpan.Zero)
        {
            failures.Add($"SQLite grain storage '{name}': BusyTimeout must be positive.");
        }

        return failures.Count > 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(failures) : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}
