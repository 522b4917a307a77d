using System.Globalization;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Inference.Profiles;

namespace AgentGrid.Grains.Workers.Node.Runtimes;

/// <summary>
/// A profile's own command line (<c>container.command</c>), its placeholders replaced: <c>{port}</c>, <c>{host}</c>, <c>{model_id}</c>,
/// <c>{revision}</c>, <c>{served_model}</c>, <c>{gpus}</c>, <c>{gpu_count}</c>, <c>{max_model_len}</c>, <c>{api_key}</c>,
/// <c>{cache_dir}</c>, <c>{memory_fraction}</c>. The key is also in <c>AGENTGRID_API_KEY</c>, and the server should check it. It is
/// ready when <c>/health</c> answers 200; it serves the OpenAI API under <c>/v1</c> by the name <c>{served_model}</c>.
/// </summary>
public sealed class CustomLauncher : IServerLauncher
{
    public string Runtime => ModelRuntimes.Custom;

    public IReadOnlyList<string> DefaultCommand => [];

    public LaunchPlan Plan(LaunchContext c)
    {
        var values = new Dictionary<string, string>
        {
            ["port"] = c.Port.ToString(CultureInfo.InvariantCulture),
            ["host"] = c.BindAddress,
            ["model_id"] = c.Profile.Source.ModelId,
            ["revision"] = c.Profile.Source.Revision ?? "",
            ["served_model"] = c.ServedModel,
            ["gpus"] = c.Gpus,
            ["gpu_count"] = c.GpuCount.ToString(CultureInfo.InvariantCulture),
            ["max_model_len"] = c.ContextWindow?.ToString(CultureInfo.InvariantCulture) ?? "",
            ["api_key"] = c.ApiKey,
            ["cache_dir"] = c.CacheDirectory,
            ["memory_fraction"] = c.MemoryFractionText ?? "",
        };
        var command = c.Profile.Container.Command!
            .Select(argument => ProfileLaunchRules.Placeholder().Replace(argument, m => values[m.Groups[1].Value]))
            .ToList();
        return new LaunchPlan(command.Skip(1).ToList(), new Dictionary<string, string> { ["AGENTGRID_API_KEY"] = c.ApiKey }, c.ServedModel,
            ChecksApiKey: true, ModelsPath: null, Command: command);
    }
}
