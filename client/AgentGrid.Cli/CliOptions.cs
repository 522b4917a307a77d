namespace AgentGrid.Cli;

/// <summary>The command line split into words and flags: <c>--name value</c>, <c>--name=value</c>, or a bare <c>--flag</c>.</summary>
public sealed class CliOptions
{
    private static readonly HashSet<string> Switches = ["json", "help", "dry-run"];

    public List<string> Words { get; } = [];
    public Dictionary<string, string> Flags { get; } = new(StringComparer.Ordinal);

    public static CliOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CliOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                options.Words.Add(arg);
                continue;
            }

            var name = arg[2..];
            if (name.IndexOf('=') is var eq and > 0)
            {
                options.Flags[name[..eq]] = name[(eq + 1)..];
            }
            else if (Switches.Contains(name))
            {
                options.Flags[name] = "true";
            }
            else if (i + 1 < args.Count)
            {
                options.Flags[name] = args[++i];
            }
            else
            {
                throw new CliException($"--{name} needs a value.");
            }
        }

        return options;
    }

    public string? Flag(string name) => Flags.GetValueOrDefault(name);

    public bool Has(string name) => Flags.ContainsKey(name);

    public string Word(int index, string what) =>
        index < Words.Count ? Words[index] : throw new CliException($"Missing {what}.");
}

public sealed class CliException(string message) : Exception(message);
