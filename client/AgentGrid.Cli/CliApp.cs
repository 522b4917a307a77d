using System.Globalization;
using System.Text.Json;

namespace AgentGrid.Cli;

/// <summary>The <c>agentgrid</c> command line: models, nodes, workers and status, over the REST API.</summary>
public static class CliApp
{
    public const string Usage = """
        usage: agentgrid [--url URL] [--api-key KEY] [--json] COMMAND

          models list [CATEGORY]                 model profiles, by category
          models info NAME                       one profile in full
          models create-profile NAME --base ID --size 7b [--quantization bf16|int8|int4]
                                [--category chat] [--runtime vllm] [--gpu-memory 80] [--dry-run]
          models scale PROFILE N|auto            pin a profile's replica count (auto: the autoscaler decides)
          nodes                                  GPU nodes and their VRAM
          workers                                inference workers and their load
          workers start MODEL [--replicas N] [--node NODE]
                                                 place workers for a profile (they launch its model server)
          workers logs ID [--lines 200]          the last lines its model server wrote
          workers swap ID PROFILE                drain a worker and load another profile
          workers stop ID                        drain a worker and stop it
          status                                 nodes, pools and workers at a glance

        --url defaults to $AGENTGRID_URL or http://localhost:5000; --api-key to $AGENTGRID_API_KEY (an admin key
        for nodes, workers and profiles); --json prints the API's JSON.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, HttpMessageHandler? handler = null)
    {
        try
        {
            var options = CliOptions.Parse(args);
            if (options.Words.Count == 0 || options.Has("help"))
            {
                await output.WriteAsync(Usage);
                return options.Words.Count == 0 && !options.Has("help") ? 2 : 0;
            }

            var url = options.Flag("url") ?? Environment.GetEnvironmentVariable("AGENTGRID_URL") ?? "http://localhost:5000";
            if (!Uri.TryCreate(url, UriKind.Absolute, out var baseAddress))
            {
                throw new CliException($"--url must be an absolute URL (was '{url}').");
            }

            using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
            http.BaseAddress = baseAddress;
            http.Timeout = TimeSpan.FromMinutes(2);
            if ((options.Flag("api-key") ?? Environment.GetEnvironmentVariable("AGENTGRID_API_KEY")) is { Length: > 0 } key)
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            }

            var commands = new CliCommands(new ApiClient(http), output, options.Has("json"));
            await commands.RunAsync(options);
            return 0;
        }
        catch (CliException e)
        {
            await errors.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }

    internal static string Text(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
            : "-";

    internal static string Gb(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number
            ? (value.GetInt64() / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " GB"
            : "-";
}
