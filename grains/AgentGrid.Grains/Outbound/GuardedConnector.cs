using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using AgentGrid.Contracts.Errors;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Outbound;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> that resolves the host itself and connects only to addresses
/// the policy allows. Checking the address actually dialled, not the URL, is what defeats DNS rebinding and the
/// decimal, octal and hex spellings of IPv4 literals.
/// </summary>
internal sealed partial class GuardedConnector(AddressPolicy policy, IEnumerable<string> allowedHosts, ILogger logger)
{
    private readonly HashSet<string> _allowedHosts = new(allowedHosts, StringComparer.OrdinalIgnoreCase);

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await ResolveAsync(host, cancellationToken);
        var allowed = _allowedHosts.Contains(host) ? addresses : Array.FindAll(addresses, policy.IsAllowed);
        if (allowed.Length == 0)
        {
            LogRefused(logger, host, string.Join(", ", addresses.Select(a => a.ToString())));
            throw new AgentGridException(ErrorCodes.UrlNotAllowed, $"Outbound calls to '{host}' are not allowed.");
        }

        SocketException? lastFailure = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                lastFailure = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        ExceptionDispatchInfo.Throw(lastFailure!);
        return null;
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out var address))
        {
            return [address];
        }

        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        return addresses.Length > 0 ? addresses : throw new SocketException((int)SocketError.HostNotFound);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound call to {Host} refused: it resolved only to refused addresses ({Addresses}).")]
    private static partial void LogRefused(ILogger logger, string host, string addresses);
}
