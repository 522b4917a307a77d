using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentGrid.FrontDoor.Cluster;

namespace AgentGrid.Tests.Infrastructure.Cluster;

/// <summary>A throwaway CA and member certificates it issues (server and client use), written as PEM files the way a Kubernetes TLS secret mounts them.</summary>
public sealed class TestPki(string folder, string caName)
{
    private readonly RSA _caKey = RSA.Create(2048);
    private X509Certificate2? _ca;

    public X509Certificate2 Ca => _ca ??= SelfSigned();

    /// <param name="dnsNames">Subject alternative names the certificate carries (none by default).</param>
    public ClusterTlsOptions Issue(string name, params string[] dnsNames)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        if (dnsNames.Length > 0)
        {
            var names = new SubjectAlternativeNameBuilder();
            dnsNames.ToList().ForEach(names.AddDnsName);
            request.CertificateExtensions.Add(names.Build());
        }

        using var issued = request.Create(Ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
        var options = new ClusterTlsOptions
        {
            CertificatePath = Path.Combine(folder, $"{name}.crt"),
            KeyPath = Path.Combine(folder, $"{name}.key"),
            CaPath = Path.Combine(folder, $"{name}-ca.crt"),
        };
        File.WriteAllText(options.CertificatePath, issued.ExportCertificatePem());
        File.WriteAllText(options.KeyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(options.CaPath, Ca.ExportCertificatePem());
        return options;
    }

    public static IDictionary<string, string> Environment(ClusterTlsOptions tls) => new Dictionary<string, string>
    {
        ["AgentGrid__Cluster__Tls__CertificatePath"] = tls.CertificatePath!,
        ["AgentGrid__Cluster__Tls__KeyPath"] = tls.KeyPath!,
        ["AgentGrid__Cluster__Tls__CaPath"] = tls.CaPath!,
    };

    private X509Certificate2 SelfSigned()
    {
        var request = new CertificateRequest($"CN={caName}", _caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
    }
}
