using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>Runs a Node.js script of <c>browser/</c> (Playwright, the MCP SDK) and reads the JSON line it prints last.</summary>
public static class NodeScripts
{
    private static readonly string ScriptDirectory = typeof(NodeScripts).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BrowserTestDirectory").Value!;

    /// <summary>The full path of a script of the browser tests' folder.</summary>
    public static string PathOf(string script) => Path.Combine(ScriptDirectory, script);

    public static async Task<JsonObject> RunAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = ScriptDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        args.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{script} failed ({process.ExitCode}): {await errors}");
        return JsonNode.Parse((await output).Trim().Split('\n')[^1])!.AsObject();
    }
}
