// The seed's socket line grown into a TCP echo server. Its C port is
// samples/sockets/socket_echo_server.c; either client may connect.
//   SocketEchoServer [port [clients]]   (port 0, the default, lets the OS choose)
using System.Net;
using System.Net.Sockets;

int port = args.Length > 0 ? int.Parse(args[0]) : 0;
int clients = args.Length > 1 ? int.Parse(args[1]) : 1;
using Socket listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
listener.Listen();
Console.WriteLine($".NET echo server: listening on {listener.LocalEndPoint}");
for (int served = 0; served < clients; served++)
{
    using Socket handler = listener.Accept();
    byte[] buffer = new byte[1024];
    int received;
    long total = 0;
    while ((received = handler.Receive(buffer, SocketFlags.None)) > 0)
    {
        handler.Send(buffer, 0, received, SocketFlags.None);
        total += received;
    }
    Console.WriteLine($".NET echo server: echoed {total} bytes to {handler.RemoteEndPoint}");
    handler.Shutdown(SocketShutdown.Both);
}
