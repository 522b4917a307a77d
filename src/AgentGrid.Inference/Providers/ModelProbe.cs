using System.Net.Http.Headers;
using AgentGrid.Contracts.Models;

namespace AgentGrid.Inference.Providers;

/// <summary>Asks each backend's <c>GET /models</c> whether it answers, within a short timeout.</summary>
public sealed class ModelProbe(EndpointCatalog catalog, HttpClient http)
{
    public async Task<IReadOnlyList<ModelStatus>> ListAsync(bool probe, CancellationToken cancellationToken)
    {
        var statuses = catalog.Names.Select(async name =>
        {
            var client = catalog.Get(name);
            var (available, error) = probe ? await ProbeAsync(client, cancellationToken) : (false, "not probed");
            return new ModelStatus
            {
                Name = name,
                UpstreamModel = client.UpstreamModel,
                BaseUrl = client.BaseUrl.ToString(),
                IsDefault = name == catalog.DefaultModel,
                Simulated = client.Simulated,
                Available = available,
                Error = available ? null : error,
                Capabilities = catalog.CapabilitiesOf(name),
            };
        });

        return await Task.WhenAll(statuses);
    }

    private async Task<(bool, string?)> ProbeAsync(ModelClient client, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(catalog.ProbeTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, client.BaseUrl.ToString().TrimEnd('/') + "/models");
        if (!string.IsNullOrEmpty(client.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.ApiKey);
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? (true, null) : (false, $"HTTP {(int)response.StatusCode}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"no answer within {catalog.ProbeTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return (false, e.HttpRequestError == HttpRequestError.ConnectionError ? "connection refused" : e.Message);
        }
    }
}
