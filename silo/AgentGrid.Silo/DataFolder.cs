namespace AgentGrid.Silo;

/// <summary>
/// The embedded grid's data folder holds the key-hash secret, the admin key, every tenant's state and tool files:
/// only its owner may enter it (mode 0700). It is made so, or tightened when it was more open.
/// </summary>
internal static class DataFolder
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void Secure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerOnly);
        if (File.GetUnixFileMode(path) != OwnerOnly)
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }
}
