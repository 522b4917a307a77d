using System.Globalization;

namespace AgentGrid.Grains.Workers.Node.Runtimes;

/// <summary>A command line being built: flags are added only when the profile sets them.</summary>
internal sealed class Flags
{
    private readonly List<string> _arguments = [];

    public IReadOnlyList<string> Arguments => _arguments;

    public Flags Add(params string[] arguments)
    {
        _arguments.AddRange(arguments);
        return this;
    }

    public Flags Add(string flag, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _arguments.Add(flag);
            _arguments.Add(value);
        }

        return this;
    }

    public Flags Add(string flag, int? value) => Add(flag, value?.ToString(CultureInfo.InvariantCulture));

    public Flags Add(string flag, double? value) => Add(flag, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary>A switch that takes no value, added when the setting is <c>true</c>.</summary>
    public Flags Switch(string flag, string? setting)
    {
        if (setting == "true")
        {
            _arguments.Add(flag);
        }

        return this;
    }

    /// <summary>Settings of a runtime block that map one to one onto <c>--kebab-case</c> flags.</summary>
    public Flags Settings(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> flags, IReadOnlySet<string> switches)
    {
        foreach (var (key, flag) in flags)
        {
            if (settings.TryGetValue(key, out var value))
            {
                _ = switches.Contains(key) ? Switch(flag, value) : Add(flag, value);
            }
        }

        return this;
    }

    public Flags Extra(IReadOnlyList<string> extra)
    {
        _arguments.AddRange(extra);
        return this;
    }
}
