namespace AgentGrid.Grains.Sessions;

/// <summary>
/// Untrusted text (retrieved passages, remembered facts, a model-written summary) enters prompts inside tags it must
/// not be able to close or open: its markup characters are escaped.
/// </summary>
public static class PromptFence
{
    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
