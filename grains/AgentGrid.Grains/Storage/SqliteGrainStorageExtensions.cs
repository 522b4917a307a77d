using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;

namespace AgentGrid.Grains.Storage;

public static class SqliteGrainStorageExtensions
{
    /// <summary>Adds a <see cref="SqliteGrainStorage"/> provider named <paramref name="name"/>.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder silo, string name, Action<SqliteGrainStorageOptions> configure)
    {
        silo.Services.AddOptions<SqliteGrainStorageOptions>(name)
            .Configure(configure);
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteGrainStorageOptions>, SqliteGrainStorageOptionsValidator>());
        silo.Services.AddGrainStorage(name, (sp, key) => new SqliteGrainStorage(
            key,
            sp.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(key),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value,
            sp.GetRequiredService<ILogger<SqliteGrainStorage>>()));
        return silo;
    }
}
