// The .NET end of the UdpClient interop rows (tests/interop/socket_interop.c's udpclient and
// udpclient-echo roles): a .NET UdpClient against a C UdpClient over the loopback, both ways,
// every datagram's sender checked on the receiving side. The ports meet as in SocketCases.cs.
//   udpclient-echo: .NET answers each datagram of C's client reversed (C sends first)
//   udpclient-send: .NET connects to C's client and sends; C answers reversed
using System;
using System.Net;
using System.Net.Sockets;

namespace SharpIpc.Peer;

internal static class UdpClientCases
{
    private const int Datagrams = 200;

    private static int Size(int i) => 1 + i * 7 % 1000;

    public static int Echo(string dir, string family)
    {
        IPAddress loopback = SocketCases.Target(family);
        using var client = new UdpClient(new IPEndPoint(loopback, 0));
        SocketCases.Publish(dir, "net", ((IPEndPoint)client.Client.LocalEndPoint!).Port);
        int cport = SocketCases.WaitForPort(dir, "c");
        client.Client.ReceiveTimeout = 10000;
        for (int i = 0; i < Datagrams; i++)
        {
            IPEndPoint? from = null;
            byte[] d = client.Receive(ref from);
            Records.Check(from.Port == cport && from.Address.Equals(loopback), $"datagram {i} from {from}");
            Records.Check(d.Length == Size(i) && d[0] == (byte)i, $"datagram {i}: {d.Length} bytes");
            Array.Reverse(d);
            client.Send(d, d.Length, from);
        }
        Console.Error.WriteLine($".NET UdpClient echo ({family}): {Datagrams} datagrams each way, senders checked");
        return 0;
    }

    public static int Send(string dir, string family)
    {
        IPAddress loopback = SocketCases.Target(family);
        using var client = new UdpClient(loopback.AddressFamily);
        client.Client.Bind(new IPEndPoint(loopback, 0));
        SocketCases.Publish(dir, "net", ((IPEndPoint)client.Client.LocalEndPoint!).Port);
        int cport = SocketCases.WaitForPort(dir, "c");
        client.Connect(loopback, cport);
        client.Client.ReceiveTimeout = 10000;
        var expected = new IPEndPoint(loopback, cport);
        for (int i = 0; i < Datagrams; i++)
        {
            var d = new byte[Size(i)];
            for (int k = 0; k < d.Length; k++)
                d[k] = (byte)(k == 0 ? i : k * 13 + i);
            Records.Check(client.Send(d, d.Length) == d.Length, $"datagram {i}: Send");
            IPEndPoint? from = null;
            byte[] r = client.Receive(ref from);
            Records.Check(from.Equals(expected), $"answer {i} from {from}");
            Array.Reverse(d);
            Records.Check(r.AsSpan().SequenceEqual(d), $"answer {i}: bytes");
        }
        Console.Error.WriteLine($".NET UdpClient sender ({family}): {Datagrams} datagrams each way, senders checked");
        return 0;
    }
}
