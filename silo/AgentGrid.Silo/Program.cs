using AgentGrid.Silo;

// Tenants' tool schemas carry regular expressions (JSON Schema "pattern"): none may run away with a thread.
AppContext.SetData("REGEX_DEFAULT_MATCH_TIMEOUT", TimeSpan.FromSeconds(1));

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
