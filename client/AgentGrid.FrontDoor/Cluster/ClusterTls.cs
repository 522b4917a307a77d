using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;
using Orleans.Hosting;

namespace AgentGrid.FrontDoor.Cluster;

/// <summary>
/// Mutual TLS on the cluster's own connections (silo to silo, front door to gateway), from PEM files such as a
/// Kubernetes TLS secret mounts (<c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>): every side must present a
/// certificate issued by the cluster's CA, so nothing else can speak to a silo port.
/// </summary>
public sealed class ClusterTlsOptions
{
    public const string SectionName = "AgentGrid:Cluster:Tls";

    /// <summary>PEM certificate (chain) this process presents. Unset: no TLS (the default outside the production overlay).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>PEM certificate of the CA that issued every member's certificate; peers must chain to it.</summary>
    public string? CaPath { get; set; }

    /// <summary>
    /// DNS names (subject alternative names) of which a peer's certificate must carry at least one, on every connection
    /// in both directions (silo to silo, front door to gateway): a certificate the CA issued for anything else (an
    /// ingress, another service) is refused. Default: none — any certificate of the CA. The production overlay sets
    /// <c>agentgrid-cluster</c>, the name its certificate is issued for.
    /// </summary>
    public List<string> PeerNames { get; set; } = [];

    public bool Enabled => CertificatePath is { Length: > 0 };

    /// <summary>The section, checked (<see cref="ClusterTlsOptionsValidator"/>): a host with a broken TLS setting does not start.</summary>
    public static ClusterTlsOptions Read(IConfiguration configuration) =>
        ServiceDefaults.CompositionOptions.Read(configuration, SectionName, new ClusterTlsOptionsValidator());
}

/// <summary>Checks <see cref="ClusterTlsOptions"/>: with TLS on, every PEM file must be there.</summary>
public sealed class ClusterTlsOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<ClusterTlsOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, ClusterTlsOptions options)
    {
        if (!options.Enabled)
        {
            return Microsoft.Extensions.Options.ValidateOptionsResult.Success;
        }

        var problems = new List<string>();
        foreach (var (field, path) in new[] { ("CertificatePath", options.CertificatePath), ("KeyPath", options.KeyPath), ("CaPath", options.CaPath) })
        {
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                problems.Add($"{ClusterTlsOptions.SectionName}:{field} must name a readable PEM file (was '{path}').");
            }
        }

        problems.AddRange(options.PeerNames.Where(n => Uri.CheckHostName(n) != UriHostNameType.Dns)
            .Select(n => $"{ClusterTlsOptions.SectionName}:PeerNames must be DNS names such as agentgrid-cluster; '{n}' is not."));
        return problems.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems);
    }
}

public static class ClusterTls
{
    /// <summary>
    /// The name every member presents for SNI. Members are reached by IP, so a certificate is checked against the CA and,
    /// where <see cref="ClusterTlsOptions.PeerNames"/> are set, against those names, never against the address.
    /// </summary>
    public const string TargetHost = "agentgrid-cluster";

    public static ISiloBuilder UseAgentGridTls(this ISiloBuilder silo, ClusterTlsOptions options)
    {
        if (options.Enabled)
        {
            silo.UseTls(Configure(options));
        }

        return silo;
    }

    public static IClientBuilder UseAgentGridTls(this IClientBuilder client, ClusterTlsOptions options)
    {
        if (options.Enabled)
        {
            client.UseTls(Configure(options));
        }

        return client;
    }

    /// <summary>What <c>UseTls</c> is given: this member's certificate, a certificate required both ways, and <see cref="Accepts"/>.</summary>
    public static Action<TlsOptions> Configure(ClusterTlsOptions options)
    {
        ServiceDefaults.CompositionOptions.ThrowIfInvalid(options, ClusterTlsOptions.SectionName, new ClusterTlsOptionsValidator());
        var certificate = X509Certificate2.CreateFromPemFile(options.CertificatePath!, options.KeyPath);
        var ca = X509CertificateLoader.LoadCertificateFromFile(options.CaPath!);
        var names = options.PeerNames.ToArray();
        return tls =>
        {
            tls.LocalCertificate = certificate;
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            // Orleans asks this for both directions: a silo checks the client or silo that connects, and the one it connects to.
            tls.RemoteCertificateValidation = (remote, _, errors) => Accepts(remote, ca, errors, names);
            tls.OnAuthenticateAsClient = (_, client) => client.TargetHost = TargetHost;
        };
    }

    /// <summary>
    /// Whether a peer's certificate may speak to this member: it chains to the cluster's CA and, when
    /// <paramref name="peerNames"/> are given, carries one of them as a DNS subject alternative name.
    /// </summary>
    public static bool Accepts(X509Certificate2? remote, X509Certificate2 ca, SslPolicyErrors errors, IReadOnlyCollection<string> peerNames) =>
        remote is not null && !errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) && IssuedBy(remote, ca)
        && (peerNames.Count == 0 || DnsNamesOf(remote).Any(n => peerNames.Contains(n, StringComparer.OrdinalIgnoreCase)));

    private static IEnumerable<string> DnsNamesOf(X509Certificate2 certificate) =>
        certificate.Extensions.Where(e => e.Oid?.Value == "2.5.29.17")
            .SelectMany(e => (e as X509SubjectAlternativeNameExtension ?? new X509SubjectAlternativeNameExtension(e.RawData, e.Critical)).EnumerateDnsNames());

    private static bool IssuedBy(X509Certificate2 remote, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(remote) && chain.ChainElements[^1].Certificate.Thumbprint == ca.Thumbprint;
    }
}
