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
/// </summary>
/// <param name="root">The tenant's folder on the host; created if missing, never named in results or errors.</param>
/// <param name="limits">Sizes and counts the sandbox enforces.</param>
public sealed class FileSandbox(string root, FileSandboxLimits limits)
{
    /// <summary>The tool kind this sandbox serves.</summary>
    public const string Kind = "files";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private readonly string _root = PrepareRoot(root);
    private readonly FileSandboxLimits _limits = limits;

    /// <summary>
    /// Runs one operation. Input: <c>operation</c>, <c>path</c> (relative; "." by default for listing and
    /// searching), <c>content</c> for writes, <c>query</c> for searches.
    /// </summary>
    /// <exception cref="AgentGridException"><c>validation_failed</c> for bad input or a path the sandbox refuses;
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
                "delete_file" => Delete(Resolve(input, null)),
                "search_file_contents" => await FileSearch.RunAsync(
                    Resolve(input, "."), ToolInput.Required(input, "query"), _limits, ct),
                _ => throw AgentGridException.Validation("operation",
                    "'operation' must be one of list_directory, read_file, write_file, delete_file, search_file_contents."),
            };
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

        // Measuring and writing happen under the sandbox's lock, so concurrent writes on this silo cannot overshoot its quota.
        var gate = Gates.GetOrAdd(_root, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            CheckQuota(path, bytes.Length);
            Directory.CreateDirectory(Path.GetDirectoryName(path.Full)!);
            await using var stream = new FileStream(path.Full, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true);
            await stream.WriteAsync(bytes, ct);
        }
        finally
        {
            gate.Release();
        }

        return new JsonObject { ["path"] = path.Relative, ["size"] = (long)bytes.Length };
    }

    private void CheckQuota(SandboxPath path, long newSize)
    {
        var existing = File.Exists(path.Full) ? new FileInfo(path.Full).Length : (long?)null;
        var (files, bytes) = SandboxUsage.Measure(_root);
        if (existing is null && files >= _limits.MaxFiles)
        {
            throw ToolInput.Failed($"The sandbox already holds the most files allowed ({_limits.MaxFiles}).");
        }

        if (bytes - (existing ?? 0) + newSize > _limits.MaxTotalBytes)
        {
            throw ToolInput.Failed($"Writing '{path.Relative}' would take the sandbox past its {_limits.MaxTotalBytes} byte limit.");
        }
    }

    private static JsonObject Delete(SandboxPath path)
    {
        if (File.Exists(path.Full))
        {
            File.Delete(path.Full);
        }
        else if (Directory.Exists(path.Full))
        {
            if (Directory.EnumerateFileSystemEntries(path.Full).Any())
            {
                throw ToolInput.Failed($"The folder '{path.Relative}' is not empty; delete its files first.");
            }

            Directory.Delete(path.Full, recursive: false);
        }
        else
        {
            throw ToolInput.Failed($"No file or folder '{path.Relative}' exists.");
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

    private static string PrepareRoot(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        Directory.CreateDirectory(full);
        return full;
    }
}
