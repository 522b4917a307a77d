using System.Text.Json.Nodes;

namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>
/// <c>search_file_contents</c>: a case-insensitive substring search over the text files under a path,
/// line by line, stopping at the match limit. Binary, non-UTF-8 and over-limit files are skipped.
/// </summary>
internal static class FileSearch
{
    /// <summary>Long lines are cut so one match cannot fill a model's context.</summary>
    private const int MaxLineChars = 500;

    public static async Task<JsonObject> RunAsync(SandboxPath path, string query, FileSandboxLimits limits, CancellationToken ct)
    {
        IEnumerable<FileInfo> files = File.Exists(path.Full) ? [new FileInfo(path.Full)]
            : Directory.Exists(path.Full) ? SandboxUsage.Files(path.Full)
            : throw ToolInput.Failed($"No file or folder '{path.Relative}' exists.");

        var matches = new JsonArray();
        var truncated = false;
        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            if (file.Length > limits.MaxFileBytes)
            {
                continue;
            }

            var (status, text, _) = await TextFile.ReadAsync(file.FullName, limits.MaxFileBytes, ct);
            if (status != TextFileStatus.Ok)
            {
                continue;
            }

            var relative = Path.GetRelativePath(path.Root, file.FullName).Replace('\\', '/');
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].Contains(query, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (matches.Count == limits.MaxSearchMatches)
                {
                    truncated = true;
                    break;
                }

                var line = lines[i].TrimEnd('\r');
                matches.Add(new JsonObject
                {
                    ["path"] = relative,
                    ["line"] = i + 1,
                    ["text"] = line.Length > MaxLineChars ? line[..MaxLineChars] : line,
                });
            }

            if (truncated)
            {
                break;
            }
        }

        return new JsonObject { ["path"] = path.Relative, ["matches"] = matches, ["truncated"] = truncated };
    }
}
