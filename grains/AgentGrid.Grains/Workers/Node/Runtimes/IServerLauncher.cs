namespace AgentGrid.Grains.Workers.Node.Runtimes;

/// <summary>Turns a profile into one runtime's command line. Pure: the supervision code starts what it returns.</summary>
public interface IServerLauncher
{
    string Runtime { get; }

    /// <summary>The executable and leading arguments when <c>AgentGrid:Gpu:Runtimes:&lt;runtime&gt;</c> names none.</summary>
    IReadOnlyList<string> DefaultCommand { get; }

    LaunchPlan Plan(LaunchContext context);
}
