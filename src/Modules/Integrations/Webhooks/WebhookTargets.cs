using System.Net;
using System.Net.Sockets;

namespace Portal.Integrations.Webhooks;

/// <summary>
/// Keeps webhooks off the portal's own network (server-side request forgery): a target must resolve only to public
/// addresses unless its practice allows private-network targets. Checked when an owner subscribes (a 400 naming the
/// URL) and again at every send, inside the connection itself: the address checked is the address connected to, so a
/// name that resolves differently later (DNS rebinding) gains nothing. Plain HTTP is accepted only for a private
/// target the practice allowed; redirects are never followed and no proxy is used.
/// </summary>
public sealed class WebhookTargets
{
    internal static readonly HttpRequestOptionsKey<bool> AllowPrivate = new("portal.webhooks.allow-private");

    /// <summary>Why <paramref name="url"/> may not be a target, or null when it may (resolving its name to check).</summary>
    public async Task<string?> RefusalAsync(string url, bool allowPrivate, CancellationToken cancellation)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return "Enter an absolute https:// URL.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "The URL must not contain a user name or password.";
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.DnsSafeHost, cancellation);
        }
        catch (SocketException)
        {
            return "The URL's host name could not be resolved.";
        }
        if (addresses.Length == 0) return "The URL's host name could not be resolved.";
        var isPrivate = addresses.Any(a => !IsPublic(a));
        if (isPrivate && !allowPrivate)
            return "The URL points to a private network address. The practice's owner can allow private-network targets.";
        if (uri.Scheme == "http" && !isPrivate) return "Use https:// for a target on the internet.";
        return null;
    }

    public static Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellation) =>
        IPAddress.TryParse(host, out var literal) ? Task.FromResult<IPAddress[]>([literal]) : Dns.GetHostAddressesAsync(host, cancellation);

    /// <summary>Whether an address is on the public internet (not loopback, private, link-local, reserved or multicast).</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.Broadcast)) return false;
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !(b[0] is 0 or 10 or 127 || b[0] >= 224
                     || (b[0] == 100 && b[1] is >= 64 and <= 127)        // carrier-grade NAT
                     || (b[0] == 169 && b[1] == 254)                       // link-local, cloud metadata
                     || (b[0] == 172 && b[1] is >= 16 and <= 31)
                     || (b[0] == 192 && b[1] == 168)
                     || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)      // IETF protocol assignments, documentation
                     || (b[0] == 198 && b[1] is 18 or 19)                  // benchmarking
                     || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                     || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                 || (b[0] & 0xFE) == 0xFC                                  // unique local fc00::/7
                 || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) // documentation
                 || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B) // NAT64: could reach a private v4
                 || (b[0] == 0x20 && b[1] == 0x02));                       // 6to4: embeds a v4 address
    }

    /// <summary>The handler every webhook request goes through: it resolves, checks and connects in one step.</summary>
    public static HttpMessageHandler Handler(WebhookTargets targets) => new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ConnectCallback = async (context, cancellation) =>
        {
            var allow = context.InitialRequestMessage.Options.TryGetValue(AllowPrivate, out var allowed) && allowed;
            var addresses = await ResolveAsync(context.DnsEndPoint.Host, cancellation);
            if (addresses.Length == 0 || (!allow && addresses.Any(a => !IsPublic(a))))
                throw new WebhookTargetRefusedException(context.DnsEndPoint.Host);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

/// <summary>The target resolved to a private address the practice did not allow: refused at send time.</summary>
internal sealed class WebhookTargetRefusedException(string host)
    : Exception($"The target {host} resolves to a private network address; private-network targets are not allowed.");
