namespace AgentGrid.FrontDoor.Identity;

/// <summary>How the front door authenticates callers (<c>AgentGrid:Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "AgentGrid:Auth";

    /// <summary>
    /// The secret (base64, at least 32 bytes) that keys the hash API keys are stored under. Every front door of a
    /// cluster needs the same one; give it from a secret. Default: read from (or, the first time, made in)
    /// <see cref="HashKeyFile"/>.
    /// </summary>
    public string? HashKey { get; set; }

    /// <summary>Where the hash secret is kept when <see cref="HashKey"/> is not given. The embedded default uses its data folder.</summary>
    public string? HashKeyFile { get; set; }

    /// <summary>
    /// An admin key of tenant <c>default</c> that is made to exist at start (cluster mode: from a secret); it must have a
    /// key's shape (<see cref="KeyShape"/>). Default: none; the embedded default then makes one at its first start and
    /// writes it to <see cref="AdminKeyFile"/>.
    /// </summary>
    public string? BootstrapKey { get; set; }

    /// <summary>Where the first start writes the admin key it made (mode 0600). Unset: no key is made (cluster mode).</summary>
    public string? AdminKeyFile { get; set; }

    /// <summary>A token that may read <c>/metrics</c> (and nothing else), for a Prometheus scrape. Default: none (admin keys only).</summary>
    public string? MetricsToken { get; set; }

    /// <summary>How long a front door trusts a key it looked up before asking again. Revoking through this front door takes effect at once. Default: 5 s.</summary>
    public TimeSpan KeyCacheTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a front door remembers that a well-formed key is unknown (revoked, expired, or a guess). Default: 10 s.</summary>
    public TimeSpan UnknownKeyCacheTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Keys a front door remembers, known and unknown apart, each least recently used out first. Default: 10,000.</summary>
    public int KeyCacheEntries { get; set; } = 10_000;

    /// <summary>Failed authentications a client address may make in <see cref="FailureWindow"/> before it is throttled. Default: 20.</summary>
    public int FailureLimit { get; set; } = 20;

    /// <summary>The fixed window failed authentications are counted in; a throttled address waits for its end. Default: 1 minute.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Addresses of the proxies (an ingress) whose <c>X-Forwarded-For</c> gives the client address. Default: none (the
    /// connection's address is the client's, and the header is ignored).
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/8</c>) of such proxies. Default: none.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>
    /// How long a hub ticket (<c>POST /api/hub-tickets</c>) opens <c>/hubs</c>: what a browser sends in a query string
    /// instead of its key. Default: 1 minute.
    /// </summary>
    public TimeSpan HubTicketTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Event streams (SSE and SignalR) one key may hold open on one front door. Default: 32.</summary>
    public int MaxStreamsPerKey { get; set; } = 32;
}
