using System.Text;
using System.Text.Json.Nodes;
using AgentGrid.Contracts.Errors;

namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>
/// The built-in <c>files</c> tool: one tenant's folder, read and written through relative paths only.
/// Operations: <c>list_directory</c>, <c>read_file</c>, <c>write_file</c>, <c>delete_file</c> and
/// <c>search_file_contents</c>. Files are UTF-8 text. Symbolic links are never followed: a path through
/// one is refused. <c>delete_file</c> removes a file or an empty folder, never a folder with contents, so
/// one call cannot wipe a tree.
/// A write is checked against the tenant's and the grid's storage caps before anything is written, and replaces its
/// file in one rename, so a refused or failed write leaves nothing behind.
/// </summary>
/// <param name="space">The tenant's tool data; its <c>files</c> folder is the sandbox.</param>
/// <param name="limits">Sizes and counts the sandbox enforces.</param>
public sealed class FileSandbox(TenantSpace space, FileSandboxLimits limits)
{
    /// <summary>The tool kind this sandbox serves.</summary>
    public const string Kind = "files";

    private readonly string _root = PrepareRoot(space);
    private readonly FileSandboxLimits _limits = limits;

    /// <summary>
    /// Runs one operation. Input: <c>operation</c>, <c>path</c> (relative; "." by default for listing and
    /// searching), <c>content</c> for writes, <c>query</c> for searches.
    /// </summary>
    /// <exception cref="AgentGridException"><c>validation_failed</c> for bad input or a path the sandbox refuses;
    /// <c>tool_storage_full</c> for a write past a storage cap (or onto a full volume);
    /// <c>tool_failed</c> when the operation itself fails (missing file, binary file, a limit reached).</exception>
    public async Task<JsonObject> RunAsync(JsonObject input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var operation = ToolInput.Required(input, "operation");
        try
        {
            return operation switch
            {
                "list_directory" => List(Resolve(input, "."), ct),
                "read_file" => await ReadAsync(Resolve(input, null), ct),
                "write_file" => await WriteAsync(Resolve(input, null), Content(input), ct),
                "delete_file" => await DeleteAsync(Resolve(input, null), ct),
                "search_file_contents" => await FileSearch.RunAsync(
                    Resolve(input, "."), ToolInput.Required(input, "query"), _limits, ct),
                _ => throw AgentGridException.Validation("operation",
                    "'operation' must be one of list_directory, read_file, write_file, delete_file, search_file_contents."),
            };
        }
        catch (IOException e) when (StagedFile.IsNoSpace(e))
        {
            space.Invalidate();
            throw TenantSpace.Full($"{operation} failed: the volume that holds tool data is full.");
        }
        catch (UnauthorizedAccessException)
        {
            throw ToolInput.Failed($"{operation} failed: access was denied.");
        }
        catch (IOException)
        {
            // The exception's own message names the host path, so it stays here.
            throw ToolInput.Failed($"{operation} failed: the file system reported an I/O error.");
        }
    }

    private SandboxPath Resolve(JsonObject input, string? defaultPath)
    {
        var path = ToolInput.Optional(input, "path") ?? defaultPath
            ?? throw AgentGridException.Validation("path", "'path' is required.");
        return SandboxPath.Resolve(_root, path, allowRoot: defaultPath is not null);
    }

    private JsonObject List(SandboxPath path, CancellationToken ct)
    {
        if (!Directory.Exists(path.Full))
        {
            throw ToolInput.Failed(File.Exists(path.Full)
                ? $"'{path.Relative}' is a file; use read_file." : $"No folder '{path.Relative}' exists.");
        }

        var all = new DirectoryInfo(path.Full).EnumerateFileSystemInfos()
            .OrderBy(info => info.Name, StringComparer.Ordinal).ToList();
        var entries = new JsonArray();
        foreach (var info in all.Take(_limits.MaxListEntries))
        {
            ct.ThrowIfCancellationRequested();
            entries.Add(Entry(info));
        }

        return new JsonObject
        {
            ["path"] = path.Relative,
            ["entries"] = entries,
            ["truncated"] = all.Count > _limits.MaxListEntries,
        };
    }

    private static JsonObject Entry(FileSystemInfo info)
    {
        // A link is shown as one (without a size, which would describe its target) so the caller sees why it cannot be opened.
        if (info.LinkTarget is not null || info.Attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            return new JsonObject { ["name"] = info.Name, ["type"] = "link" };
        }

        return info is FileInfo file
            ? new JsonObject { ["name"] = info.Name, ["type"] = "file", ["size"] = file.Length }
            : new JsonObject { ["name"] = info.Name, ["type"] = "directory" };
    }

    private async Task<JsonObject> ReadAsync(SandboxPath path, CancellationToken ct)
    {
        RequireFile(path);
        var (status, text, size) = await TextFile.ReadAsync(path.Full, _limits.MaxFileBytes, ct);
        return status switch
        {
            TextFileStatus.Ok => new JsonObject { ["path"] = path.Relative, ["content"] = text, ["size"] = size },
            TextFileStatus.TooLarge => throw ToolInput.Failed(
                $"'{path.Relative}' is larger than the {_limits.MaxFileBytes} byte limit for reading."),
            TextFileStatus.Binary => throw ToolInput.Failed($"'{path.Relative}' is a binary file; only text can be read."),
            _ => throw ToolInput.Failed($"'{path.Relative}' is not UTF-8 text."),
        };
    }

    private static string Content(JsonObject input) =>
        ToolInput.Optional(input, "content") ?? throw AgentGridException.Validation("content", "'content' is required.");

    private async Task<JsonObject> WriteAsync(SandboxPath path, string content, CancellationToken ct)
    {
        if (content.Contains('\0'))
        {
            throw AgentGridException.Validation("content", "'content' must be text without NUL characters.");
        }

        var bytes = Encoding.UTF8.GetBytes(content);
        if (bytes.Length > _limits.MaxFileBytes)
        {
            throw AgentGridException.Validation("content", $"'content' is larger than the {_limits.MaxFileBytes} byte limit.");
        }

        if (Directory.Exists(path.Full))
        {
            throw ToolInput.Failed($"'{path.Relative}' is a folder.");
        }

        // Checking the room and writing happen under the tenant's lock, so concurrent writes on this silo cannot pass its caps.
        using (await space.WriteLockAsync(ct))
        {
            var existing = File.Exists(path.Full) ? new FileInfo(path.Full).Length : (long?)null;
            var folder = Path.GetDirectoryName(path.Full)!;
            var newFolders = MissingFolders(folder);
            var change = new StorageUsage(bytes.Length - (existing ?? 0), newFolders + (existing is null ? 1 : 0));
            await space.ReserveAsync(change, $"Writing '{path.Relative}'", ct);
            try
            {
                Directory.CreateDirectory(folder);
                await StagedFile.WriteAsync(space.StagingFolder, path.Full, bytes, ct);
            }
            catch
            {
                // The folders may have been made, the file not: count the tenant again rather than guess.
                space.Invalidate();
                throw;
            }

            space.Record(change);
        }

        return new JsonObject { ["path"] = path.Relative, ["size"] = (long)bytes.Length };
    }

    /// <summary>How many folders writing into <paramref name="folder"/> makes: it and its missing parents inside the sandbox.</summary>
    private int MissingFolders(string folder)
    {
        var missing = 0;
        for (var current = folder; current.Length > _root.Length && !Directory.Exists(current); current = Path.GetDirectoryName(current)!)
        {
            missing++;
        }

        return missing;
    }

    private async Task<JsonObject> DeleteAsync(SandboxPath path, CancellationToken ct)
    {
        using (await space.WriteLockAsync(ct))
        {
            if (File.Exists(path.Full))
            {
                var size = new FileInfo(path.Full).Length;
                File.Delete(path.Full);
                space.Record(new StorageUsage(-size, -1));
            }
            else if (Directory.Exists(path.Full))
            {
                if (Directory.EnumerateFileSystemEntries(path.Full).Any())
                {
                    throw ToolInput.Failed($"The folder '{path.Relative}' is not empty; delete its files first.");
                }

                Directory.Delete(path.Full, recursive: false);
                space.Record(new StorageUsage(0, -1));
            }
            else
            {
                throw ToolInput.Failed($"No file or folder '{path.Relative}' exists.");
            }
        }

        return new JsonObject { ["path"] = path.Relative, ["deleted"] = true };
    }

    private static void RequireFile(SandboxPath path)
    {
        if (!File.Exists(path.Full))
        {
            throw ToolInput.Failed(Directory.Exists(path.Full)
                ? $"'{path.Relative}' is a folder; use list_directory." : $"No file '{path.Relative}' exists.");
        }
    }

    private static string PrepareRoot(TenantSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        space.Prepare();
        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(space.FilesFolder));
    }
}
