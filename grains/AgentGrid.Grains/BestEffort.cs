using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains;

internal static class BestEffort
{
    /// <summary>Runs the undo of a failed create; its own failure is logged so that it never hides the error being undone.</summary>
    public static async Task UndoAsync(Task undo, ILogger logger, string grainKey)
    {
        try
        {
            await undo;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "{GrainKey} could not undo part of a failed create; its tenant index may list it until it is deleted", grainKey);
        }
    }
}
