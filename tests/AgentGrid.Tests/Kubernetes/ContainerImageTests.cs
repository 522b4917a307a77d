using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Kubernetes;

/// <summary>The images k8s/images/build makes are what the manifests expect, and they run.</summary>
public sealed class ContainerImageTests(ContainerImages images) : IClassFixture<ContainerImages>
{
    [Fact]
    public void Both_images_are_linux_amd64_oci_images_whose_entrypoint_is_the_app_run_as_a_non_root_user()
    {
        Assert.Contains("runtime-deps:bookworm", images.BuildOutput);
        foreach (var (image, app, ports) in new[]
        {
            (images.Silo, "/app/agentgrid-silo", new[] { "8080/tcp", "11111/tcp", "30000/tcp" }),
            (images.FrontDoor, "/app/agentgrid-frontdoor", new[] { "8080/tcp" }),
        })
        {
            Assert.Equal("application/vnd.oci.image.manifest.v1+json", image.Manifest.GetProperty("mediaType").GetString());
            Assert.Equal("linux/amd64", image.Platform);
            Assert.Equal([app], image.Entrypoint);
            Assert.Equal("1654", image.User);
            Assert.Equal(ports.Order(), image.ExposedPorts.Order());
            Assert.Equal("/app/", image.Config.GetProperty("WorkingDir").GetString());
            Assert.Equal(2, image.LayerDigests.Count);
        }

        // One base layer under both apps: a node pulls it once.
        Assert.Equal(images.Silo.LayerDigests[0], images.FrontDoor.LayerDigests[0]);
        Assert.NotEqual(images.Silo.LayerDigests[1], images.FrontDoor.LayerDigests[1]);
        // The silo's appsettings.json listens on localhost:5000 for a local run; the image listens on 8080 everywhere (the probes' port).
        Assert.Equal("http://+:8080", images.Silo.Environment["Urls"]);
        Assert.Equal("8080", images.FrontDoor.Environment["ASPNETCORE_HTTP_PORTS"]);
    }

    [Fact]
    public async Task The_silo_image_runs_the_embedded_grid_as_its_user_and_answers_a_chat()
    {
        using var folder = new TempDirectory();
        var rootFs = Path.Combine(folder.Path, "rootfs");
        await images.Silo.UnpackAsync(rootFs);
        var port = FreePort.Next();
        using var silo = images.Silo.Start(rootFs, new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["AgentGrid__Embedded__SiloPort"] = FreePort.Next().ToString(),
            ["AgentGrid__Embedded__GatewayPort"] = FreePort.Next().ToString(),
            ["AgentGrid__Inference__Simulator__TimeToFirstToken"] = "00:00:00.002",
            ["AgentGrid__Inference__Simulator__InterTokenLatency"] = "00:00:00",
        }, Path.Combine(folder.Path, "silo.log"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

        await Eventually.TrueAsync(async () =>
        {
            Assert.False(silo.HasExited, File.ReadAllText(silo.LogPath));
            try
            {
                return (await http.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), "the silo in the image answers /healthz");

        // The first start made an admin key, readable by the image user only, and printed a sign-in link with it.
        var keyFile = Path.Combine(rootFs, "home", "app", ".local", "share", "agentgrid", "admin-key");
        var key = File.ReadAllText(keyFile).Trim();
        Assert.True(OperatingSystem.IsLinux() && File.GetUnixFileMode(keyFile) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), "admin-key is mode 0600");
        Assert.Contains($"/#key={key}", File.ReadAllText(silo.LogPath));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/profiles")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);

        var reply = await http.PostAsJsonAsync("/v1/chat/completions", new { model = "simulator", messages = new[] { new { role = "user", content = "Hello from a container" } } });
        var body = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.StatusCode == HttpStatusCode.OK, body);
        Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()));
        // The profiles shipped in the image are loaded from /app/profiles.
        Assert.Contains("llama-3.1-8b-instruct", await http.GetStringAsync("/api/profiles"));
        // State goes to the image user's own data folder (found from /etc/passwd: the image sets no HOME).
        Assert.True(File.Exists(Path.Combine(rootFs, "home", "app", ".local", "share", "agentgrid", "agentgrid.db")));
    }

    [Fact]
    public async Task The_front_door_image_without_its_cluster_settings_stops_and_names_the_missing_setting()
    {
        using var folder = new TempDirectory();
        var rootFs = Path.Combine(folder.Path, "rootfs");
        await images.FrontDoor.UnpackAsync(rootFs);
        using var frontDoor = images.FrontDoor.Start(rootFs, new Dictionary<string, string>(), Path.Combine(folder.Path, "frontdoor.log"));

        var exitCode = await frontDoor.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("AgentGrid:Cluster:Redis is required", File.ReadAllText(frontDoor.LogPath));
    }
}
