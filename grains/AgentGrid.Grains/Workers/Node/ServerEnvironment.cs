using AgentGrid.Contracts.Profiles;
using AgentGrid.Grains.Gpu;
using AgentGrid.Grains.Workers.Node.Runtimes;

namespace AgentGrid.Grains.Workers.Node;

/// <summary>
/// A model server's whole environment, built from an allow-list and never inherited: the silo's environment holds the database and
/// Redis connection strings and key secrets. It gets <c>PATH</c>, <c>HOME</c>, the locale, the cache folders, <c>HF_TOKEN</c> when
/// the node has one, its GPUs, its launcher's variables (its key) and the profile's own <c>container.env</c>.
/// </summary>
public static class ServerEnvironment
{
    private static readonly string[] Inherited = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "TMPDIR"];

    public static Dictionary<string, string> Build(LaunchContext context, LaunchPlan plan, GpuOptions options, string? hfToken)
    {
        var environment = Processes.ChildEnvironment.Inherit(Inherited);
        environment["HF_HOME"] = context.CacheDirectory;
        environment["HF_HUB_CACHE"] = Path.Combine(context.CacheDirectory, "hub");
        environment["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID";
        environment["CUDA_VISIBLE_DEVICES"] = context.Gpus;
        if (!string.IsNullOrEmpty(hfToken))
        {
            environment["HF_TOKEN"] = hfToken;
        }

        foreach (var (name, value) in context.Profile.Container.Environment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        foreach (var (name, value) in plan.Environment)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>The node's Hugging Face token: the file <see cref="GpuOptions.HfTokenFile"/> names, else the silo's own <c>HF_TOKEN</c>.</summary>
    public static string? HfToken(GpuOptions options) =>
        options.HfTokenFile is { Length: > 0 } file && File.Exists(file) ? File.ReadAllText(file).Trim() : Environment.GetEnvironmentVariable("HF_TOKEN");
}
