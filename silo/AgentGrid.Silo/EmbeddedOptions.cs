namespace AgentGrid.Silo;

/// <summary>The embedded default: one silo and the front door in one process, bound from <c>AgentGrid:Embedded</c>.</summary>
public sealed class EmbeddedOptions
{
    public const string SectionName = "AgentGrid:Embedded";

    /// <summary>Folder of the SQLite state file. Default: <c>~/.local/share/agentgrid</c> (the user's local data folder).</summary>
    public string DataDirectory { get; set; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "agentgrid");

    /// <summary>Silo-to-silo port on localhost. Default: 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>
    /// Port for external Orleans clients on localhost, or 0 for none. An Orleans client is not authenticated: anything on
    /// this machine that reaches the port could call any grain past the API's keys, and the front door, in this process,
    /// needs none. Set one only for a tool that needs it, on a machine of your own. Default: 0 (no gateway).
    /// </summary>
    public int GatewayPort { get; set; }

    /// <summary>Orleans service id; it scopes the stored state. Default: <c>agentgrid</c>.</summary>
    public string ServiceId { get; set; } = "agentgrid";

    /// <summary>How long a grain call may take, a whole chat turn included. Default: 5 minutes.</summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often the in-memory event queues are polled: the longest a worker, usage, knowledge or workflow event waits
    /// on an idle queue, traded against idle CPU (an idle grid measured 10 % of a core at 10 ms, 4.9 % at 100 ms, 3.8 %
    /// at 1 s). Session events do not wait for it: sessions push them to the front door. Default: 100 ms.
    /// </summary>
    public TimeSpan EventPollPeriod { get; set; } = TimeSpan.FromMilliseconds(100);

    public string DatabasePath => Path.Combine(DataDirectory, "agentgrid.db");

    /// <summary>Session history, knowledge-base chunks and memories: rows appended beside the grain state.</summary>
    public string RecordsPath => Path.Combine(DataDirectory, "records.db");
}
