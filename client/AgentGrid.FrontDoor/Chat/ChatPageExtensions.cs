using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;

namespace AgentGrid.FrontDoor.Chat;

public static class ChatPageExtensions
{
    /// <summary>Serves the chat page at <c>/</c> from files embedded in this assembly.</summary>
    public static WebApplication UseChatPage(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(ChatPageExtensions).Assembly, "AgentGrid.FrontDoor.wwwroot");
        app.UseFileServer(new FileServerOptions { FileProvider = files, EnableDefaultFiles = true });
        return app;
    }
}
