using AgentGrid.FrontDoor;
using AgentGrid.Silo;

if (args is ["simulator", .. var simulatorArgs])
{
    return await SimulatorCommand.RunAsync(simulatorArgs);
}

// appsettings.json is read from beside the program, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.UseAgentGridEmbedded();

var app = builder.Build();
app.MapAgentGridFrontDoor();
await app.RunAsync();
return 0;
