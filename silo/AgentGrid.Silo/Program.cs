using AgentGrid.FrontDoor;
using AgentGrid.Silo;

if (args is ["simulator", .. var simulatorArgs])
{
    return await SimulatorCommand.RunAsync(simulatorArgs);
}

var builder = WebApplication.CreateBuilder(args);
builder.UseAgentGridEmbedded();

var app = builder.Build();
app.MapAgentGridFrontDoor();
await app.RunAsync();
return 0;
