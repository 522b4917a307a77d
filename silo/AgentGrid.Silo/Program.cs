using AgentGrid.Silo;

if (args is ["simulator", .. var simulatorArgs])
{
    return await SimulatorCommand.RunAsync(simulatorArgs);
}

if (args is ["db", "migrate", .. var migrateArgs])
{
    return await MigrateCommand.RunAsync(migrateArgs);
}

await GridHost.Build(args).RunAsync();
return 0;
