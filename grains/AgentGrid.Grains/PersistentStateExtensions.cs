namespace AgentGrid.Grains;

public static class PersistentStateExtensions
{
    /// <summary>
    /// Writes the state; if the write fails, the activation's in-memory state no longer matches what
    /// is stored, so the activation is dropped and the next call reads the stored state afresh.
    /// </summary>
    public static async Task WriteOrDeactivateAsync<T>(this IGrainBase grain, IPersistentState<T> state)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }
}
