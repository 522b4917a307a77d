using System.Collections.Concurrent;
using System.Collections.Frozen;
using AgentGrid.Contracts.Errors;
using AgentGrid.Inference.Simulator;
using Microsoft.Extensions.Options;

namespace AgentGrid.Inference.Providers;

/// <summary>
/// The models this process can call, by name, each with a lazily built client: the configured endpoints, and the
/// embedded simulator where this process runs it (a front door of its own never does).
/// </summary>
public sealed class EndpointCatalog
{
    private readonly InferenceOptions _options;
    private readonly EmbeddedSimulator? _simulator;
    private readonly ConcurrentDictionary<string, Lazy<ModelClient>> _clients = new(StringComparer.Ordinal);

    public EndpointCatalog(IOptions<InferenceOptions> options, EmbeddedSimulator? simulator = null)
    {
        _options = options.Value;
        _simulator = simulator;
        Names = [.. _options.Models.Keys.Concat(_options.SimulatorEnabled && simulator is not null ? [InferenceOptions.SimulatorModelName] : [])
            .Order(StringComparer.Ordinal)];
        _names = Names.ToFrozenSet(StringComparer.Ordinal);
        // Keys named by environment variable are read once: asked per request, the answer must not cost a lookup each time.
        _callable = Names.Where(name => !(_options.Models.TryGetValue(name, out var endpoint)
            && endpoint.ApiKeyEnvironmentVariable is { Length: > 0 } variable && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable))))
            .ToFrozenSet(StringComparer.Ordinal);
    }

    private readonly FrozenSet<string> _names;
    private readonly FrozenSet<string> _callable;

    /// <summary>Every configured model name, sorted.</summary>
    public IReadOnlyList<string> Names { get; }

    public string DefaultModel => _options.ResolvedDefaultModel;

    /// <summary>The capabilities a configured endpoint lists, or null: it declares none and is sent every request.</summary>
    public IReadOnlyList<string>? CapabilitiesOf(string name) => _options.Models.GetValueOrDefault(name)?.Capabilities;

    public TimeSpan ProbeTimeout => _options.ProbeTimeout;

    public bool Contains(string name) => _names.Contains(name);

    /// <summary>Whether this process can call <paramref name="name"/>: it is configured here, with its key if it names one.</summary>
    public bool CanCall(string name) => _callable.Contains(name);

    /// <summary>The client for <paramref name="name"/>; <c>model_not_found</c> if it is not configured.</summary>
    public ModelClient Get(string name)
    {
        if (!Contains(name))
        {
            throw new AgentGridException(ErrorCodes.ModelNotFound, $"Model '{name}' is not configured.");
        }

        return _clients.GetOrAdd(name, n => new Lazy<ModelClient>(() => Build(n))).Value;
    }

    private ModelClient Build(string name)
    {
        if (name == InferenceOptions.SimulatorModelName && _options.SimulatorEnabled && _simulator is not null)
        {
            var server = _simulator.Server;
            var model = _options.Simulator.Models[0];
            var timeout = TimeSpan.FromMinutes(2);
            var simulatorKey = _options.Simulator.ApiKey;
            return new ModelClient(name, model, server.BaseUrl, simulatorKey, timeout, simulated: true,
                OpenAiCompatibleClientFactory.Create(server.BaseUrl, model, simulatorKey, timeout));
        }

        var endpoint = _options.Models[name];
        var baseUrl = new Uri(endpoint.BaseUrl.TrimEnd('/'));
        var upstream = endpoint.Model ?? name;
        var key = endpoint.ApiKeyEnvironmentVariable is { Length: > 0 } variable
            ? Environment.GetEnvironmentVariable(variable)
            : endpoint.ApiKey;
        return new ModelClient(name, upstream, baseUrl, key, endpoint.Timeout, simulated: false,
            OpenAiCompatibleClientFactory.Create(baseUrl, upstream, key, endpoint.Timeout));
    }
}
