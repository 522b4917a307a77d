using AgentGrid.Inference.Providers;
using AgentGrid.Inference.Simulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentGrid.Inference;

public static class InferenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the endpoint catalog, invoker and probe from <c>AgentGrid:Inference</c>, and the
    /// in-process simulator when no model is configured (or it is asked for).
    /// </summary>
    public static IServiceCollection AddAgentGridInference(this IServiceCollection services, IConfiguration configuration)
    {
        var probe = configuration.GetSection(InferenceOptions.SectionName).Get<InferenceOptions>() ?? new InferenceOptions();
        if (probe.SimulatorEnabled)
        {
            // Its port is on loopback, but any process of the machine can reach it: it answers only to this grid.
            services.PostConfigure<InferenceOptions>(o => o.Simulator.ApiKey = string.IsNullOrEmpty(o.Simulator.ApiKey)
                ? "sim_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))
                : o.Simulator.ApiKey);
            services.AddSingleton<EmbeddedSimulator>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<EmbeddedSimulator>());
        }

        services.AddAgentGridModelClients(configuration);
        // Whichever registered the model clients first, a silo checks the section at its start.
        ValidateInferenceOnStart(services);
        services.AddOptions<Profiles.ProfileOptions>().Bind(configuration.GetSection(Profiles.ProfileOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Profiles.ProfileOptions>, Profiles.ProfileOptionsValidator>();
        services.AddSingleton<Profiles.ProfileFiles>();
        services.AddHttpClient<ModelProbe>();
        return services;
    }

    /// <summary>
    /// What a process needs to call models itself: the configured endpoints of <c>AgentGrid:Inference</c> (and the
    /// embedded simulator if one is registered), the invoker, clients for workers' servers, and the metered call
    /// (<see cref="Calls.ModelMeter"/>) with its router, prices and usage recorder. Silos and front doors both have it;
    /// it needs an <c>IGrainFactory</c> for pools, quotas and ledgers. Registering it twice is harmless.
    /// </summary>
    /// <param name="validateOnStart">
    /// Stop the start on a broken section. A front door of its own does not: the silos check the same section at their
    /// start, and an endpoint whose key this process lacks is simply left to them (<see cref="EndpointCatalog.CanCall"/>).
    /// </param>
    public static IServiceCollection AddAgentGridModelClients(this IServiceCollection services, IConfiguration configuration, bool validateOnStart = true)
    {
        if (services.Any(d => d.ServiceType == typeof(EndpointCatalog)))
        {
            return services;
        }

        services.AddOptions<InferenceOptions>().Bind(configuration.GetSection(InferenceOptions.SectionName));
        if (validateOnStart)
        {
            ValidateInferenceOnStart(services);
        }

        services.AddSingleton(sp => new EndpointCatalog(sp.GetRequiredService<IOptions<InferenceOptions>>(), sp.GetService<EmbeddedSimulator>()));
        services.AddSingleton<ChatModelInvoker>();
        services.AddSingleton<EndpointClients>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Calls.ModelRouter>();
        services.AddSingleton<Calls.ModelMeter>();
        services.AddSingleton<Calls.UsageRecorder>();
        services.AddSingleton<Calls.ModelPrices>();
        services.TryAddSingleton(new Calls.MeteringSwitch());
        return services;
    }

    private static void ValidateInferenceOnStart(IServiceCollection services)
    {
        services.AddOptions<InferenceOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InferenceOptions>, InferenceOptionsValidator>());
    }
}
