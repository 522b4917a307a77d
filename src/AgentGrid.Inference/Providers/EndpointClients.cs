using System.Collections.Concurrent;

namespace AgentGrid.Inference.Providers;

/// <summary>
/// Clients for inference workers' model servers, one per endpoint and served model, built once and shared
/// (each holds a connection pool). Requests reach a worker through the same provider code as a configured model.
/// </summary>
public sealed class EndpointClients
{
    /// <summary>How long a worker's reply may take from request to last token.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(5);

    // The key is part of the client's identity: a restarted server on the same port has a new one.
    private readonly ConcurrentDictionary<(string Endpoint, string Model, string? Key), Lazy<ModelClient>> _clients = new();

    // Each start of a worker's server has a new port and key: clients of servers long gone are let go past this many.
    private const int MaxClients = 256;

    public ModelClient Get(string name, string endpoint, string servedModel, string? apiKey = null)
    {
        if (_clients.Count > MaxClients && !_clients.ContainsKey((endpoint, servedModel, apiKey)))
        {
            // Rare (after hundreds of server starts): in-flight calls keep their client; later ones build it again.
            _clients.Clear();
        }

        return _clients.GetOrAdd((endpoint, servedModel, apiKey), key => new Lazy<ModelClient>(() =>
        {
            var baseUrl = new Uri(key.Endpoint.TrimEnd('/'));
            return new ModelClient(name, key.Model, baseUrl, null, RequestTimeout, simulated: false,
                OpenAiCompatibleClientFactory.Create(baseUrl, key.Model, key.Key, RequestTimeout));
        })).Value;
    }
}
