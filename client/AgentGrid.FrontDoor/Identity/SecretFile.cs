namespace AgentGrid.FrontDoor.Identity;

/// <summary>Writes a secret to a file only its owner can read (mode 0600 where the platform has modes).</summary>
public static class SecretFile
{
    public static void Write(string path, string secret)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new FileStream(path, options);
        using var writer = new StreamWriter(file);
        writer.Write(secret + "\n");
    }
}
