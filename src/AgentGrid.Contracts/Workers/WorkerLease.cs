namespace AgentGrid.Contracts.Workers;

/// <summary>
/// The pool's answer to one request: which worker serves it, at which endpoint, with which key, the profile's default sampling
/// (its <c>parameters.temperature</c> and <c>top_p</c>) for a caller that sets none, and the server's runtime (what it takes).
/// Give it back with the outcome.
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.worker-lease")]
public sealed record WorkerLease(
    [property: Id(0)] long LeaseId,
    [property: Id(1)] string WorkerId,
    [property: Id(2)] string Endpoint,
    [property: Id(3)] string ServedModel,
    [property: Id(4)] bool AffinityHit,
    [property: Id(5), System.Text.Json.Serialization.JsonIgnore] ServerKey? ApiKey = null,
    [property: Id(6)] double? DefaultTemperature = null,
    [property: Id(7)] double? DefaultTopP = null,
    [property: Id(8)] string? Runtime = null);

/// <summary>How a leased request went. <see cref="Unreachable"/> means the server did not answer (the pool stops routing to it).</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.lease-outcome")]
public sealed record LeaseOutcome(
    [property: Id(0)] bool Succeeded,
    [property: Id(1)] bool Unreachable,
    [property: Id(2)] double? TtftMs,
    [property: Id(3)] double? ItlMs);

/// <summary>
/// What routing needs to know of a request: <see cref="AffinityKey"/> names its conversation (a session, or the
/// opening of a stateless prompt); <see cref="PrefixKey"/> names the prompt prefix it shares with other conversations
/// (the agent's system prompt), so new conversations of one agent go where that prefix is already cached. <see cref="Needs"/> lists
/// the capabilities the request uses (<c>text</c>, <c>tools</c>, <c>embeddings</c>): a model without one refuses it.
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.route-request")]
public sealed record RouteRequest(
    [property: Id(0)] string AffinityKey,
    [property: Id(1)] IReadOnlyList<string> ExcludeWorkers,
    [property: Id(2)] string? PrefixKey = null,
    [property: Id(3)] IReadOnlyList<string>? Needs = null);
