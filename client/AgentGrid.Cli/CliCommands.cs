using System.Text.Json;

namespace AgentGrid.Cli;

/// <summary>Each command: one or two API calls, then a table (or the JSON with <c>--json</c>).</summary>
internal sealed class CliCommands(ApiClient api, TextWriter output, bool json)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public Task RunAsync(CliOptions o) => (o.Words[0], o.Words.ElementAtOrDefault(1)) switch
    {
        ("models", "list") => ModelsAsync(o.Words.ElementAtOrDefault(2)),
        ("models", "info") => ModelInfoAsync(o.Word(2, "profile name")),
        ("models", "create-profile") => CreateProfileAsync(o),
        ("models", "scale") => ScaleAsync(o.Word(2, "profile name"), o.Word(3, "replica count or auto")),
        ("models", _) => throw new CliException("models takes list, info, create-profile or scale."),
        ("nodes", null) => NodesAsync(),
        ("workers", null) => WorkersAsync(),
        ("workers", "start") => StartWorkersAsync(o),
        ("workers", "logs") => LogsAsync(o.Word(2, "worker id"), o.Flag("lines")),
        ("workers", "swap") => PrintWorkerAsync(api.PostJsonAsync($"/api/workers/{Uri.EscapeDataString(o.Word(2, "worker id"))}/swap", new { profile = o.Word(3, "profile") })),
        ("workers", "stop") => PrintWorkerAsync(api.DeleteAsync($"/api/workers/{Uri.EscapeDataString(o.Word(2, "worker id"))}")),
        ("workers", _) => throw new CliException("workers takes start, logs, swap or stop, or nothing to list."),
        ("status", null) => StatusAsync(),
        _ => throw new CliException($"Unknown command '{string.Join(' ', o.Words)}'. Run agentgrid --help."),
    };

    private async Task ModelsAsync(string? category)
    {
        var groups = await api.GetAsync(category is null ? "/api/profiles" : $"/api/profiles?category={Uri.EscapeDataString(category)}");
        if (Json(groups))
        {
            return;
        }

        var table = new Table("CATEGORY", "NAME", "RUNTIME", "GPU MEMORY", "GPUS", "CAPABILITIES", "SOURCE");
        foreach (var group in groups.EnumerateArray())
        {
            foreach (var p in group.GetProperty("profiles").EnumerateArray())
            {
                var resources = p.GetProperty("resources");
                table.Add(p.Text("category"), p.Text("name"), p.GetProperty("container").Text("runtime"),
                    $"{resources.Gb("gpuMemoryMinMiB")} (rec. {resources.Gb("gpuMemoryRecommendedMiB")})", resources.Text("gpuCount"),
                    string.Join(",", p.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString())), p.GetProperty("source").Text("modelId"));
            }
        }

        await output.WriteAsync(table.ToString());
    }

    private async Task ModelInfoAsync(string name)
    {
        var p = await api.GetAsync($"/api/profiles/{Uri.EscapeDataString(name)}");
        if (Json(p))
        {
            return;
        }

        var resources = p.GetProperty("resources");
        var performance = p.GetProperty("performance");
        var scaling = p.GetProperty("scaling");
        var table = new Table("FIELD", "VALUE")
            .Add("name", p.Text("name")).Add("category", p.Text("category")).Add("description", p.Text("description"))
            .Add("source", $"{p.GetProperty("source").Text("type")}: {p.GetProperty("source").Text("modelId")}")
            .Add("runtime", p.GetProperty("container").Text("runtime"))
            .Add("capabilities", string.Join(", ", p.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString())))
            .Add("gpu memory", $"{resources.Gb("gpuMemoryMinMiB")} min, {resources.Gb("gpuMemoryRecommendedMiB")} recommended, {resources.Text("gpuCount")} GPU(s)")
            .Add("performance", $"{performance.Text("maxConcurrentRequests")} concurrent, queue {performance.Text("maxQueue")}, batch {performance.Text("maxBatchSize")}")
            .Add("scaling", $"{scaling.Text("minReplicas")}-{scaling.Text("maxReplicas")} replicas, {scaling.Text("routing")} routing, cool-down {scaling.Text("cooldownSeconds")} s")
            .Add("tags", string.Join(", ", p.GetProperty("tags").EnumerateArray().Select(t => t.GetString())))
            .Add("origin", p.Text("origin"));
        foreach (var warning in p.GetProperty("warnings").EnumerateArray())
        {
            table.Add("warning", warning.GetString() ?? "");
        }

        await output.WriteAsync(table.ToString());
    }

    private async Task CreateProfileAsync(CliOptions o)
    {
        var name = o.Word(2, "profile name");
        var baseModel = o.Flag("base") ?? throw new CliException("--base is required: the model id, e.g. Qwen/Qwen2.5-7B-Instruct.");
        var size = o.Flag("size") ?? throw new CliException("--size is required: the parameter count, e.g. 7b.");
        var gpuMemory = int.TryParse(o.Flag("gpu-memory") ?? "80", out var gb) && gb > 0 ? gb : throw new CliException("--gpu-memory must be a whole number of GB.");
        var yaml = ProfileTemplate.Yaml(name, baseModel, size, o.Flag("quantization"), o.Flag("category"), o.Flag("runtime"), gpuMemory);
        if (o.Has("dry-run"))
        {
            await output.WriteAsync(yaml);
            return;
        }

        var created = await api.PostYamlAsync("/api/profiles", yaml);
        if (!Json(created))
        {
            await output.WriteLineAsync($"created profile {created.Text("name")} ({created.GetProperty("resources").Gb("gpuMemoryMinMiB")} min on {created.GetProperty("resources").Text("gpuCount")} GPU(s))");
        }
    }

    private async Task NodesAsync()
    {
        var nodes = await api.GetAsync("/api/nodes");
        if (Json(nodes))
        {
            return;
        }

        await output.WriteAsync(NodeTable(nodes).ToString());
    }

    private async Task WorkersAsync()
    {
        var workers = await api.GetAsync("/api/workers");
        if (Json(workers))
        {
            return;
        }

        await output.WriteAsync(WorkerTable(workers).ToString());
    }

    private async Task StartWorkersAsync(CliOptions o)
    {
        var model = o.Word(2, "model profile");
        if (o.Flag("replicas") is not { } text)
        {
            await PrintWorkerAsync(api.PostJsonAsync("/api/workers", new { model, node = o.Flag("node") }));
            return;
        }

        var replicas = int.TryParse(text, out var n) && n > 0 ? n : throw new CliException("--replicas must be a whole number of 1 or more.");
        var workers = await api.PostJsonAsync("/api/workers", new { model, node = o.Flag("node"), replicas });
        if (!Json(workers))
        {
            foreach (var worker in workers.EnumerateArray())
            {
                await PrintWorkerAsync(Task.FromResult(worker));
            }
        }
    }

    private async Task LogsAsync(string id, string? lines)
    {
        var count = lines is null ? 200 : int.TryParse(lines, out var n) && n > 0 ? n : throw new CliException("--lines must be a whole number of 1 or more.");
        var logs = await api.GetAsync($"/api/workers/{Uri.EscapeDataString(id)}/logs?lines={count}");
        if (!Json(logs))
        {
            foreach (var line in logs.GetProperty("lines").EnumerateArray())
            {
                await output.WriteLineAsync(line.GetString());
            }
        }
    }

    private async Task ScaleAsync(string profile, string replicas)
    {
        int? count = replicas == "auto" ? null : int.TryParse(replicas, out var n) && n >= 0 ? n : throw new CliException("N must be a whole number of 0 or more, or auto.");
        var pool = await api.PutJsonAsync($"/api/pools/{Uri.EscapeDataString(profile)}/replicas", new { replicas = count });
        if (!Json(pool))
        {
            await output.WriteLineAsync(count is null
                ? $"{pool.Text("model")}: the autoscaler decides again ({pool.Text("readyReplicas")} ready now)"
                : $"{pool.Text("model")}: pinned at {count} replicas ({pool.Text("readyReplicas")} ready now)");
        }
    }

    private async Task PrintWorkerAsync(Task<JsonElement> call)
    {
        var worker = await call;
        if (!Json(worker))
        {
            await output.WriteLineAsync($"worker {worker.Text("workerId")}  model {worker.Text("model")}  node {worker.Text("nodeId")}  state {worker.Text("state")}: {worker.Text("reason")}");
        }
    }

    private async Task StatusAsync()
    {
        var nodes = await api.GetAsync("/api/nodes");
        var pools = await api.GetAsync("/api/pools");
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { nodes, pools }, Indented));
            return;
        }

        await output.WriteLineAsync("GPU nodes");
        await output.WriteAsync(NodeTable(nodes).ToString());
        await output.WriteLineAsync();
        await output.WriteLineAsync("Worker pools");
        var table = new Table("MODEL", "READY", "DESIRED", "ROUTING", "ADMITTED", "REFUSED", "LAST DECISION");
        foreach (var pool in pools.EnumerateArray().Where(p => p.GetProperty("workers").GetArrayLength() > 0 || p.GetProperty("admitted").GetInt64() > 0))
        {
            table.Add(pool.Text("model"), pool.Text("readyReplicas"), pool.Text("desiredReplicas"), pool.Text("routing"),
                pool.Text("admitted"), pool.Text("rejected"), pool.Text("lastDecision"));
        }

        await output.WriteAsync(table.ToString());
        await output.WriteLineAsync();
        await output.WriteLineAsync("Workers");
        var workers = JsonSerializer.SerializeToElement(pools.EnumerateArray().SelectMany(p => p.GetProperty("workers").EnumerateArray()).ToList());
        await output.WriteAsync(WorkerTable(workers).ToString());
    }

    private static Table NodeTable(JsonElement nodes)
    {
        var table = new Table("NODE", "GPU", "NAME", "TOTAL", "RESERVED", "SCHEDULABLE", "UTIL", "STATUS");
        foreach (var node in nodes.EnumerateArray())
        {
            foreach (var gpu in node.GetProperty("gpus").EnumerateArray())
            {
                var device = gpu.GetProperty("device");
                table.Add(node.Text("nodeId"), device.Text("index"), device.Text("name"), device.Gb("totalMiB"), gpu.Gb("reservedMiB"),
                    gpu.Gb("schedulableMiB"), device.Text("utilizationPercent") + "%", $"{node.Text("status")} ({node.Text("discovery")})");
            }
        }

        return table;
    }

    private static Table WorkerTable(JsonElement workers)
    {
        var table = new Table("WORKER", "MODEL", "NODE", "GPUS", "STATE", "VRAM USED/RESERVED", "RUNNING", "QUEUED", "TTFT MS", "SERVED");
        foreach (var view in workers.EnumerateArray())
        {
            var w = view.GetProperty("worker");
            var load = view.TryGetProperty("load", out var l) && l.ValueKind == JsonValueKind.Object ? l : default;
            string Load(string field) => load.ValueKind == JsonValueKind.Object ? load.Text(field) : "-";
            var ttft = load.ValueKind == JsonValueKind.Object && load.TryGetProperty("recentTtftMs", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble().ToString("0") : "-";
            table.Add(w.Text("workerId"), w.Text("model"), w.Text("nodeId"), string.Join(",", w.GetProperty("gpuIndexes").EnumerateArray().Select(g => g.GetInt32())),
                w.Text("state"), $"{w.Gb("observedMiBPerGpu")}/{w.Gb("reservedMiBPerGpu")}",
                Load("running"), Load("queued"), ttft, Load("served"));
        }

        return table;
    }

    private bool Json(JsonElement element)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(element, Indented));
        }

        return json;
    }
}
