using AgentGrid.Silo;

if (args is ["simulator", .. var simulatorArgs])
{
    return await SimulatorCommand.RunAsync(simulatorArgs);
}

await EmbeddedHost.Build(args).RunAsync();
return 0;
