using AgentGrid.Grains.Tools;
using AgentGrid.Grains.Tools.Builtins;
using Microsoft.Extensions.Options;

namespace AgentGrid.Tests.Tools.Builtins;

/// <summary>Tool storage over a test's folder, as one silo has it: each call is another silo over the same volume.</summary>
internal static class ToolData
{
    public static ToolStorage Storage(string root, Action<ToolOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new ToolOptions { DataRoot = root };
        configure?.Invoke(options);
        return new ToolStorage(Options.Create(options), time ?? TimeProvider.System);
    }
}
