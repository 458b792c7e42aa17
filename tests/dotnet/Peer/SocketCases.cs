// The .NET end of the socket interop lane (tests/interop/socket_interop.c is the C end), over
// loopback TCP through NetworkStream, in the pipe lane's turns (PipeCases.cs):
//   1. the server writes a line; 2. the client answers with a line;
//   3. the server sends RecordCount BinaryWriter records; 4. the client sends them back;
//   5. the server writes "OK" and both close.
// The two processes meet through a file: the server writes its port to DIR/<side>port once it
// listens ("net" for a .NET server, "c" for a C one), the client waits for it.
// FAMILY: v4 (IPv4 loopback), v6 (IPv6 loopback), dual (a dual-mode listener, an IPv4 client).
using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace SharpIpc.Peer;

internal static class SocketCases
{
    private const int RecordCount = 5000;
    private const string DotnetServerLine = "Hello from the .NET server! 안녕하세요 👋🌍";
    private const string DotnetClientLine = "Hello from the .NET client! 안녕하세요 👋🌍";
    private const string CServerLine = "Hello from the C server! 안녕하세요 👋🌍";
    private const string CClientLine = "Hello from the C client! 안녕하세요 👋🌍";

    private static TcpListener Listener(string family) => family switch
    {
        "v4" => new TcpListener(IPAddress.Loopback, 0),
        "v6" => new TcpListener(IPAddress.IPv6Loopback, 0),
        "dual" => TcpListener.Create(0),
        _ => throw new ArgumentException($"family must be v4, v6 or dual, not {family}"),
    };

    internal static IPAddress Target(string family) => family == "v6" ? IPAddress.IPv6Loopback : IPAddress.Loopback;

    internal static void Publish(string dir, string side, int port)
    {
        string tmp = Path.Combine(dir, side + "port.tmp");
        File.WriteAllText(tmp, port.ToString());
        File.Move(tmp, Path.Combine(dir, side + "port"), overwrite: true);
    }

    internal static int WaitForPort(string dir, string side)
    {
        string path = Path.Combine(dir, side + "port");
        for (int i = 0; i < 1200; i++)
        {
            if (File.Exists(path))
                return int.Parse(File.ReadAllText(path));
            Thread.Sleep(50);
        }
        throw new TimeoutException($"no {path}");
    }

    public static int Server(string dir, string family)
    {
        var listener = Listener(family);
        listener.Start();
        Publish(dir, "net", ((IPEndPoint)listener.LocalEndpoint).Port);
        using TcpClient client = listener.AcceptTcpClient();
        listener.Stop();
        IPEndPoint remote = (IPEndPoint)client.Client.RemoteEndPoint!;
        if (family == "dual")
            Records.Check(remote.Address.IsIPv4MappedToIPv6, $"a dual-mode listener sees {remote}");
        using NetworkStream stream = client.GetStream();
        var writer = new StreamWriter(stream, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
        writer.WriteLine(DotnetServerLine);
        string? line = new StreamReader(stream, leaveOpen: true).ReadLine();
        Records.Check(line == CClientLine, $"client line: {line}");
        Records.Write(stream, RecordCount);
        Records.Read(stream, RecordCount);
        writer.WriteLine("OK");
        Console.Error.WriteLine($".NET server ({family}): line, {RecordCount} records each way, OK");
        return 0;
    }

    public static int Client(string dir, string family)
    {
        int port = WaitForPort(dir, "c");
        using var socket = new Socket(family == "v6" ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork,
                                      SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(Target(family), port);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        string? line = new StreamReader(stream, leaveOpen: true).ReadLine();
        Records.Check(line == CServerLine, $"server line: {line}");
        var writer = new StreamWriter(stream, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
        writer.WriteLine(DotnetClientLine);
        Records.Read(stream, RecordCount);
        Records.Write(stream, RecordCount);
        line = new StreamReader(stream, leaveOpen: true).ReadLine();
        Records.Check(line == "OK", $"closing line: {line}");
        Console.Error.WriteLine($".NET client ({family}): line, {RecordCount} records each way, OK");
        return 0;
    }

    // UDP: the C side sends Datagrams datagrams to DIR/netport; each comes back with its bytes
    // reversed, sent to the endpoint ReceiveFrom reported, which must be the C socket's (whose
    // port C wrote to DIR/cport).
    private const int Datagrams = 200;

    public static int Udp(string dir, string family)
    {
        bool v6 = family == "v6";
        using var socket = new Socket(v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork,
                                      SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(Target(family), 0));
        Publish(dir, "net", ((IPEndPoint)socket.LocalEndPoint!).Port);
        int cport = WaitForPort(dir, "c");
        var buffer = new byte[2048];
        for (int i = 0; i < Datagrams; i++)
        {
            EndPoint from = new IPEndPoint(v6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            int n = socket.ReceiveFrom(buffer, ref from);
            var sender = (IPEndPoint)from;
            Records.Check(sender.Port == cport && sender.Address.Equals(Target(family)), $"datagram {i} from {sender}");
            Records.Check(n == 1 + i * 7 % 1000 && buffer[0] == (byte)i, $"datagram {i}: {n} bytes");
            Array.Reverse(buffer, 0, n);
            socket.SendTo(buffer, 0, n, SocketFlags.None, from);
        }
        Console.Error.WriteLine($".NET UDP ({family}): {Datagrams} datagrams each way, senders checked");
        return 0;
    }
}
