namespace AgentGrid.FrontDoor.Identity;

/// <summary>Writes a secret to a file only its owner can read (mode 0600 where the platform has modes).</summary>
public static class SecretFile
{
    /// <summary>
    /// Writes <paramref name="secret"/> to a new file; throws <see cref="IOException"/> if one is there already. The file
    /// is written beside and moved into place, so a reader (a silo of the same process) never sees half of it.
    /// </summary>
    public static void Write(string path, string secret)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(secret + "\n");
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
