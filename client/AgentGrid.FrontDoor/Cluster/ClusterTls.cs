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

        return problems.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems);
    }
}

public static class ClusterTls
{
    /// <summary>The name every member presents and expects for SNI; certificates are checked against the CA, not by name (members are reached by IP).</summary>
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

    private static Action<TlsOptions> Configure(ClusterTlsOptions options)
    {
        ServiceDefaults.CompositionOptions.ThrowIfInvalid(options, ClusterTlsOptions.SectionName, new ClusterTlsOptionsValidator());
        var certificate = X509Certificate2.CreateFromPemFile(options.CertificatePath!, options.KeyPath);
        var ca = X509CertificateLoader.LoadCertificateFromFile(options.CaPath!);
        return tls =>
        {
            tls.LocalCertificate = certificate;
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = (remote, _, errors) => IssuedBy(remote, ca, errors);
            tls.OnAuthenticateAsClient = (_, client) => client.TargetHost = TargetHost;
        };
    }

    private static bool IssuedBy(X509Certificate2 remote, X509Certificate2 ca, SslPolicyErrors errors)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(remote) && chain.ChainElements[^1].Certificate.Thumbprint == ca.Thumbprint;
    }
}
