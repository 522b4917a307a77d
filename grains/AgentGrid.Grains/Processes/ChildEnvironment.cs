namespace AgentGrid.Grains.Processes;

/// <summary>
/// The environment a process the silo starts begins with: only the named variables of the silo's own, never the rest
/// (the silo's environment holds connection strings, the key-hash secret and the bootstrap key). Model servers and
/// stdio MCP servers both start from here and add what they are configured with.
/// </summary>
public static class ChildEnvironment
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The silo's values of <paramref name="names"/> that are set, with a default <c>PATH</c> and <c>LANG</c>.</summary>
    public static Dictionary<string, string> Inherit(IEnumerable<string> names)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                environment[name] = value;
            }
        }

        environment.TryAdd("PATH", DefaultPath);
        environment.TryAdd("LANG", "C.UTF-8");
        return environment;
    }
}
