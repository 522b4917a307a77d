using System.Diagnostics;

namespace AgentGrid.Bench.Retrieval;

/// <summary>
/// The Debian FAQ as retrieval test data: the <c>debian-faq</c> package is fetched with <c>apt-get download</c>
/// and unpacked with <c>dpkg-deb -x</c> into a cache outside the repository (once), and its English HTML chapters parsed.
/// </summary>
public static class DebianFaq
{
    /// <summary>The FAQ's questions with non-empty answers, chapter by chapter.</summary>
    public static async Task<IReadOnlyList<FaqQuestion>> LoadAsync(string? cacheDirectory, bool nested)
    {
        var cache = cacheDirectory ?? DefaultCache();
        var extracted = Path.Combine(cache, "extracted");
        if (!Directory.Exists(extracted))
        {
            await DownloadAsync(cache, extracted);
        }

        var chapters = Directory.GetFiles(Path.Combine(extracted, "usr", "share", "doc"), "*.en.html", SearchOption.AllDirectories);
        var questions = new List<FaqQuestion>();
        foreach (var chapter in chapters.Order(StringComparer.Ordinal))
        {
            questions.AddRange(FaqParser.Parse(await File.ReadAllTextAsync(chapter), nested));
        }

        return questions
            .OrderBy(q => q.Id.Split('.').Select(int.Parse).ToArray(), Comparer<int[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)))
            .ToList();
    }

    private static string DefaultCache()
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "agentgrid-bench", "debian-faq");
    }

    private static async Task DownloadAsync(string cache, string extracted)
    {
        Directory.CreateDirectory(cache);
        Console.WriteLine($"Downloading debian-faq into {cache}");
        await RunAsync("apt-get", cache, "download", "debian-faq");
        var package = Directory.GetFiles(cache, "debian-faq_*.deb").Order(StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException($"apt-get download left no debian-faq package in {cache}.");
        // Unpacked beside the final folder and renamed, so an interrupted run never leaves a half-filled cache.
        var partial = extracted + ".partial";
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        await RunAsync("dpkg-deb", cache, "-x", package, partial);
        Directory.Move(partial, extracted);
    }

    private static async Task RunAsync(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = workingDirectory, RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors}{await output}");
        }
    }
}
