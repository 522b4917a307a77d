namespace AgentGrid.Grains.Outbound;

/// <summary>Limits on the HTTP calls tenants can direct at URLs of their choosing, bound from <c>AgentGrid:Outbound</c>.</summary>
public sealed class OutboundOptions
{
    public const string SectionName = "AgentGrid:Outbound";

    /// <summary>
    /// CIDR networks (<c>10.0.0.0/8</c>, <c>127.0.0.1/32</c>, <c>fd00::/8</c>) that outbound calls may reach even though
    /// <see cref="AddressPolicy"/> refuses them by default. Default: empty.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>
    /// Host names that may be called whatever addresses they resolve to; exact, case-insensitive, no wildcards.
    /// Default: empty.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Largest response body read, in bytes. Default: 1 MiB.</summary>
    public long MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>Time allowed for a whole call: every redirect hop and the body. Default: 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Redirects followed before the call fails with <c>tool_failed</c>. Default: 5.</summary>
    public int MaxRedirects { get; set; } = 5;
}
