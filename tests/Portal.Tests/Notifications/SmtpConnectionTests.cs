using System.Net;
using System.Net.Sockets;
using Portal.Notifications.Delivery;
using Shouldly;

namespace Portal.Tests.Notifications;

public sealed class SmtpConnectionTests
{
    [Fact]
    public async Task The_connection_to_the_SMTP_server_sends_each_command_at_once_without_waiting_for_the_servers_acknowledgement()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;

        using var socket = await SmtpConnectionPool.ConnectSocketAsync("127.0.0.1", port, CancellationToken.None);
        using var accepted = await server.AcceptSocketAsync();

        socket.Connected.ShouldBeTrue();
        socket.NoDelay.ShouldBeTrue();
    }

    [Fact]
    public async Task A_server_that_is_not_listening_is_a_socket_error_the_sender_treats_as_unreachable()
    {
        int port;
        using (var closed = new TcpListener(IPAddress.Loopback, 0))
        {
            closed.Start();
            port = ((IPEndPoint)closed.LocalEndpoint).Port;
        }

        await Should.ThrowAsync<SocketException>(() => SmtpConnectionPool.ConnectSocketAsync("127.0.0.1", port, CancellationToken.None));
    }
}
