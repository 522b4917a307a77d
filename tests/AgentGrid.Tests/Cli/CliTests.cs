using System.Text.Json;
using AgentGrid.Cli;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Cli;

/// <summary>The agentgrid command line against the real front door.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class CliTests(FrontDoorFixture fixture)
{
    private async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await CliApp.RunAsync(["--url", fixture.Grid.Address.ToString(), "--api-key", fixture.Grid.AdminKey, .. args], output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Models_list_shows_a_table_by_category_and_json_on_request()
    {
        var (exit, output, _) = await RunAsync("models", "list");
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("CATEGORY", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("chat", StringComparison.Ordinal) && l.Contains("sim-chat-8b") && l.Contains("18 GB (rec. 24 GB)"));

        var (_, coding, _) = await RunAsync("models", "list", "coding");
        Assert.All(coding.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1), l => Assert.StartsWith("coding", l));

        var (_, json, _) = await RunAsync("--json", "models", "list");
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(json).RootElement.ValueKind);
    }

    [Fact]
    public async Task Models_info_shows_one_profile()
    {
        var (exit, output, _) = await RunAsync("models", "info", "llama-3.3-70b-instruct");

        Assert.Equal(0, exit);
        Assert.Contains("150 GB min, 160 GB recommended, 2 GPU(s)", output);
    }

    [Fact]
    public async Task Create_profile_estimates_vram_from_the_size_and_registers_it()
    {
        var name = Api.UniqueName("cli");

        var (exit, output, errors) = await RunAsync("models", "create-profile", name, "--base", "Qwen/Qwen2.5-7B-Instruct", "--size", "7b");

        Assert.True(exit == 0, errors);
        // 7B in bf16: 14 GB of weights, +15 % and 1 GB → 18 GB minimum.
        Assert.Contains($"created profile {name} (18 GB min on 1 GPU(s))", output);
        var (_, info, _) = await RunAsync("models", "info", name);
        Assert.Contains("huggingface: Qwen/Qwen2.5-7B-Instruct", info);

        var (_, big, _) = await RunAsync("models", "create-profile", Api.UniqueName("cli"), "--base", "meta-llama/Llama-3.1-70B", "--size", "70b", "--dry-run");
        // 70B in bf16: 162 GB minimum, three 80 GB GPUs' worth, rounded to four for tensor parallelism.
        Assert.Contains("gpu_memory_min: 162GB", big);
        Assert.Contains("gpu_count: 4", big);
    }

    [Fact]
    public async Task Workers_start_list_and_stop_on_the_simulated_gpus()
    {
        var model = Api.UniqueName("cli");
        await (await fixture.Http.PostAsync("/api/profiles", new StringContent(GpuGridApiTests_Profile(model), System.Text.Encoding.UTF8, "application/yaml"))).JsonAsync(System.Net.HttpStatusCode.Created);

        var (exit, started, _) = await RunAsync("workers", "start", model);
        Assert.Equal(0, exit);
        var workerId = started.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        await Eventually.TrueAsync(async () => (await RunAsync("workers")).Output.Split('\n').Any(l => l.StartsWith(workerId) && l.Contains(" ready ")),
            TimeSpan.FromSeconds(30), "the worker to show as ready");

        var (_, nodes, _) = await RunAsync("nodes");
        Assert.Contains("Simulated H100 80GB", nodes);
        var (_, status, _) = await RunAsync("status");
        Assert.Contains("Worker pools", status);
        Assert.Contains(model, status);

        var (stopExit, stopped, _) = await RunAsync("workers", "stop", workerId);
        Assert.Equal(0, stopExit);
        Assert.Contains(workerId, stopped);
        await Eventually.TrueAsync(async () => (await RunAsync("workers")).Output.Split('\n').Any(l => l.StartsWith(workerId) && l.Contains(" stopped ")),
            TimeSpan.FromSeconds(30), "the worker to show as stopped");
    }

    [Fact]
    public async Task Workers_start_with_replicas_show_their_servers_logs_and_a_pin_scales_the_pool()
    {
        var model = Api.UniqueName("cli");
        await (await fixture.Http.PostAsync("/api/profiles", new StringContent(GpuGridApiTests_Profile(model), System.Text.Encoding.UTF8, "application/yaml"))).JsonAsync(System.Net.HttpStatusCode.Created);

        var (exit, started, _) = await RunAsync("workers", "start", model, "--replicas", "2");
        Assert.Equal(0, exit);
        var workerIds = started.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToList();
        Assert.Equal(2, workerIds.Distinct().Count());
        await Eventually.TrueAsync(async () => (await RunAsync("workers")).Output.Split('\n').Count(l => workerIds.Any(l.StartsWith) && l.Contains(" ready ")) == 2,
            TimeSpan.FromSeconds(60), "both workers to show as ready");

        var (logsExit, logs, _) = await RunAsync("workers", "logs", workerIds[0], "--lines", "20");
        Assert.Equal(0, logsExit);
        Assert.Contains("[agentgrid] starting", logs);
        Assert.Contains("Inference simulator serving " + model, logs);

        var (scaleExit, scaled, _) = await RunAsync("models", "scale", model, "0");
        Assert.Equal(0, scaleExit);
        Assert.Contains("pinned at 0 replicas", scaled);
        await Eventually.TrueAsync(async () => (await RunAsync("workers")).Output.Split('\n').Count(l => workerIds.Any(l.StartsWith) && l.Contains(" stopped ")) == 2,
            TimeSpan.FromSeconds(60), "the pin to stop both workers");
        var (_, auto, _) = await RunAsync("models", "scale", model, "auto");
        Assert.Contains("the autoscaler decides again", auto);
        Assert.Equal(1, (await RunAsync("models", "scale", model, "many")).Exit);
    }

    [Fact]
    public async Task Errors_are_one_readable_line_and_exit_code_1()
    {
        var (exit, _, errors) = await RunAsync("workers", "start", "no-such-profile");
        Assert.Equal(1, exit);
        Assert.StartsWith("error: profile_not_found: Profile 'no-such-profile' does not exist", errors);

        Assert.Equal(1, (await RunAsync("models", "create-profile", "x", "--base", "a/b", "--size", "huge")).Exit);
        Assert.Equal(1, (await RunAsync("frobnicate")).Exit);

        var unreachable = new StringWriter();
        Assert.Equal(1, await CliApp.RunAsync(["--url", $"http://127.0.0.1:{FreePort.Next()}", "nodes"], new StringWriter(), unreachable));
        Assert.Contains("Cannot reach AgentGrid", unreachable.ToString());
    }

    private static string GpuGridApiTests_Profile(string name) => FrontDoor.GpuGridApiTests.SimulatorProfile(name, memory: "10GB");
}
