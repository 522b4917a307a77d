using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using AgentGrid.FrontDoor.Cluster;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Infrastructure.Cluster;
using Orleans.Connections.Security;

namespace AgentGrid.Tests.FrontDoor;

/// <summary>
/// Cluster TLS with <c>AgentGrid:Cluster:Tls:PeerNames</c>: a peer's certificate must come from the cluster's CA and carry
/// one of the names, whichever side of the connection it is on. Certificates are made for each test (no cluster runs).
/// </summary>
public sealed class ClusterPeerNameTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly TestPki _pki;

    public ClusterPeerNameTests() => _pki = new TestPki(_folder.Path, "AgentGrid peer-name test CA");

    [Fact]
    public void With_peer_names_only_a_certificate_of_the_ca_that_carries_one_is_accepted()
    {
        string[] names = ["agentgrid-cluster"];
        var member = Load(_pki.Issue("member", "agentgrid-cluster"));
        var shouting = Load(_pki.Issue("member", "AgentGrid-Cluster"));
        var ingress = Load(_pki.Issue("ingress", "ingress.example.com"));
        var nameless = Load(_pki.Issue("agentgrid-cluster"));
        var stranger = Load(new TestPki(_folder.Path, "Another CA").Issue("stranger", "agentgrid-cluster"));

        Assert.True(ClusterTls.Accepts(member, _pki.Ca, SslPolicyErrors.None, names));
        Assert.True(ClusterTls.Accepts(shouting, _pki.Ca, SslPolicyErrors.None, names), "DNS names compare without case");
        Assert.False(ClusterTls.Accepts(ingress, _pki.Ca, SslPolicyErrors.None, names), "another name of the same CA is refused");
        Assert.False(ClusterTls.Accepts(nameless, _pki.Ca, SslPolicyErrors.None, names), "a common name is not a subject alternative name");
        Assert.False(ClusterTls.Accepts(stranger, _pki.Ca, SslPolicyErrors.None, names), "the right name from another CA is refused");
        Assert.False(ClusterTls.Accepts(null, _pki.Ca, SslPolicyErrors.RemoteCertificateNotAvailable, names));
        Assert.True(ClusterTls.Accepts(ingress, _pki.Ca, SslPolicyErrors.None, []), "without peer names any certificate of the CA is accepted");
    }

    [Fact]
    public async Task A_connection_holds_only_when_each_side_carries_a_peer_name()
    {
        var member = _pki.Issue("member", "agentgrid-cluster");
        var ingress = _pki.Issue("ingress", "ingress.example.com");
        member.PeerNames = ["agentgrid-cluster"];
        ingress.PeerNames = ["agentgrid-cluster"];

        Assert.Equal((true, true), await HandshakeAsync(server: member, client: member));
        // A client whose certificate lacks the name is refused by the silo it connects to...
        Assert.False((await HandshakeAsync(server: member, client: ingress)).Server);
        // ...and a silo whose certificate lacks it, by the client that connects to it.
        Assert.False((await HandshakeAsync(server: ingress, client: member)).Client);
    }

    [Theory]
    [InlineData("agentgrid-cluster", true)]
    [InlineData("silo.agentgrid.svc.cluster.local", true)]
    [InlineData("not a name", false)]
    [InlineData("10.0.0.1", false)]
    public void Peer_names_are_checked_at_start(string name, bool valid)
    {
        var options = _pki.Issue("member", "agentgrid-cluster");
        options.PeerNames = [name];
        Assert.Equal(valid, new ClusterTlsOptionsValidator().Validate(null, options).Succeeded);
    }

    /// <summary>Both ends configured as Orleans configures them; whether each accepted the other.</summary>
    private static async Task<(bool Server, bool Client)> HandshakeAsync(ClusterTlsOptions server, ClusterTlsOptions client)
    {
        var (serverTls, clientTls) = (new TlsOptions(), new TlsOptions());
        AgentGrid.FrontDoor.Cluster.ClusterTls.Configure(server)(serverTls);
        AgentGrid.FrontDoor.Cluster.ClusterTls.Configure(client)(clientTls);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var outgoing = new TcpClient();
        await outgoing.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var incoming = await listener.AcceptTcpClientAsync();
        var (serverAccepted, clientAccepted) = (false, false);
        await using var serverSide = new SslStream(incoming.GetStream(), false, (_, c, chain, errors) =>
            serverAccepted = c is X509Certificate2 certificate && serverTls.RemoteCertificateValidation!(certificate, chain, errors));
        await using var clientSide = new SslStream(outgoing.GetStream(), false, (_, c, chain, errors) =>
            clientAccepted = c is X509Certificate2 certificate && clientTls.RemoteCertificateValidation!(certificate, chain, errors));
        var serving = serverSide.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = serverTls.LocalCertificate, ClientCertificateRequired = true,
        });
        var connecting = clientSide.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = ClusterTls.TargetHost, ClientCertificates = [clientTls.LocalCertificate!],
        });
        try
        {
            await Task.WhenAll(serving, connecting).WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            // The refusing side ends the handshake; its callback already said why.
        }

        return (serverAccepted, clientAccepted);
    }

    private static X509Certificate2 Load(ClusterTlsOptions options) => X509CertificateLoader.LoadCertificateFromFile(options.CertificatePath!);

    public void Dispose() => _folder.Dispose();
}
