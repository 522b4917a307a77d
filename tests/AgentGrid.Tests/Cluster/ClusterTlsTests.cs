using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using AgentGrid.FrontDoor.Cluster;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Infrastructure.Cluster;

namespace AgentGrid.Tests.Cluster;

/// <summary>
/// The process cluster runs mutual TLS between its silos and its front door (every other cluster test goes through
/// it); here, a caller without a certificate from the cluster's CA is shut out of a silo's gateway.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTlsTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_silo_gateway_refuses_callers_without_a_certificate_from_the_clusters_ca()
    {
        using var folder = new TempDirectory();
        var stranger = new TestPki(folder.Path, "Someone else's CA").Issue("stranger");
        (await cluster.Http.GetAsync("/api/me")).EnsureSuccessStatusCode();

        Assert.True(await MemberHandshakeAsync(cluster.GatewayPort("a"), cluster.Tls), "a member's certificate is accepted");
        Assert.False(await HandshakeHoldsAsync(cluster.GatewayPort("a"), stranger), "a certificate from another CA is refused");
        Assert.False(await HandshakeHoldsAsync(cluster.GatewayPort("a"), null), "no certificate is refused");
    }

    [Fact]
    public async Task A_silos_metrics_and_readiness_details_need_the_metrics_token()
    {
        await (await cluster.SiloGetAsync("a", "/metrics", withToken: false)).ProblemAsync(401, "unauthenticated");
        Assert.Contains("orleans_", await (await cluster.SiloGetAsync("a", "/metrics", withToken: true)).Content.ReadAsStringAsync());
        Assert.Equal("Healthy", await (await cluster.SiloReadinessAsync("a", withToken: false)).Content.ReadAsStringAsync());
        Assert.Contains("postgres", await (await cluster.SiloReadinessAsync("a")).Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Completes a TLS handshake as a client and reads: a server that refused the certificate closes the connection.</summary>
    private static async Task<bool> HandshakeHoldsAsync(int port, ClusterTlsOptions? tls)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        var certificates = new X509CertificateCollection();
        if (tls is not null)
        {
            certificates.Add(X509Certificate2.CreateFromPemFile(tls.CertificatePath!, tls.KeyPath));
        }

        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = ClusterTls.TargetHost, ClientCertificates = certificates })
                .WaitAsync(TimeSpan.FromSeconds(10));
            // With TLS 1.3 the server judges the client's certificate after the client's side of the handshake is
            // done: a refusal arrives as an alert, or the end of the stream, on the first read.
            // A server that kept the connection waits for the Orleans preamble: the read does not end.
            return await ssl.ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)) > 0;
        }
        catch (TimeoutException)
        {
            return true;
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            return false;
        }
    }

    /// <summary>A member's handshake completes both ways, with a server certificate from the cluster's CA.</summary>
    private static async Task<bool> MemberHandshakeAsync(int port, ClusterTlsOptions tls)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        using var ca = X509CertificateLoader.LoadCertificateFromFile(tls.CaPath!);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
            certificate is X509Certificate2 server && server.Issuer == ca.Subject);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = ClusterTls.TargetHost,
            ClientCertificates = [X509Certificate2.CreateFromPemFile(tls.CertificatePath!, tls.KeyPath)],
        }).WaitAsync(TimeSpan.FromSeconds(10));
        return ssl.IsMutuallyAuthenticated;
    }
}
