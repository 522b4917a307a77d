using AgentGrid.Contracts.Errors;

namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>
/// A caller's relative path resolved inside a sandbox root. Every existing component is checked for
/// symbolic links (or other reparse points) because following one could lead anywhere on the host.
/// </summary>
internal sealed record SandboxPath(string Root, string Full, string Relative)
{
    public static SandboxPath Resolve(string root, string path, bool allowRoot)
    {
        if (path.Length == 0)
        {
            throw Invalid("'path' must not be empty.");
        }

        if (path.Any(char.IsControl))
        {
            throw Invalid("'path' must not contain control characters.");
        }

        // Backslashes are separators on Windows, so treat them as one everywhere: the same input means the same thing on every host.
        var normalized = path.Replace('\\', '/');
        if (normalized.StartsWith('/') || normalized.Contains(':') || Path.IsPathRooted(normalized))
        {
            throw Invalid("'path' must be relative to the sandbox (no leading slash, drive letter or colon).");
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(root, normalized)));
        if (full == root)
        {
            return allowRoot ? new SandboxPath(root, root, ".") : throw Invalid("'path' must name a file or folder inside the sandbox.");
        }

        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw Invalid("'path' must stay inside the sandbox.");
        }

        var resolved = new SandboxPath(root, full, Path.GetRelativePath(root, full).Replace('\\', '/'));
        resolved.RefuseLinks();
        return resolved;
    }

    private void RefuseLinks()
    {
        var current = Root;
        foreach (var segment in Relative.Split('/'))
        {
            current = Path.Join(current, segment);
            var info = new FileInfo(current);
            var exists = File.Exists(current) || Directory.Exists(current);
            if (info.LinkTarget is not null || (exists && info.Attributes.HasFlag(FileAttributes.ReparsePoint)))
            {
                throw Invalid($"'{Relative}' goes through a symbolic link, which the sandbox does not follow.");
            }

            if (!exists)
            {
                return;
            }
        }
    }

    private static AgentGridException Invalid(string message) => AgentGridException.Validation("path", message);
}
