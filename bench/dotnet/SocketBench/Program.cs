// The .NET roles of bench/socket_bench.c, on System.Net.Sockets.Socket or NetworkStream:
//   SocketBench server <sock|ns> PORTFILE
//   SocketBench client <sock|ns> PORTFILE OUTFILE FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK SIZE:ITERS... [uSIZE:ITERS...]
// The wire protocol and the result lines are socket_bench.c's (see the comment at its top): the
// server listens on 127.0.0.1:0 (TCP) and binds 127.0.0.1:0 (UDP) and writes "TCP_PORT UDP_PORT"
// to PORTFILE; a 24-byte header {kind, a, b} of little-endian int64 starts each phase on the TCP
// connection; ECHO {size, count} is count round trips of size bytes, SINK {total, chunk} is total
// bytes one way then a one-byte answer, UDP {size, count} is count datagram round trips, END
// closes (../Common/EchoHarness.cs, shared with PipeBench, speaks all but UDP). The client writes
// "lat|udp SIZE ITERS MEDIAN_NS P99_NS MEAN_NS MIN_NS" and "tput TOTAL CHUNK ELAPSED_NS" lines. Every TCP socket has NoDelay set, as in the C roles.
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading;
using SharpIpc.Bench;

namespace SharpIpc.SocketBench;

internal sealed class SocketConn(Socket socket) : Conn
{
    public override void Write(byte[] buffer, int offset, int count)
    {
        while (count > 0)
        {
            int n = socket.Send(buffer, offset, count, SocketFlags.None);
            offset += n;
            count -= n;
        }
    }

    public override void ReadExactly(byte[] buffer, int offset, int count)
    {
        while (count > 0)
        {
            int n = socket.Receive(buffer, offset, count, SocketFlags.None);
            if (n == 0)
                throw new EndOfStreamException("the peer closed the connection");
            offset += n;
            count -= n;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => socket.Receive(buffer, offset, count, SocketFlags.None);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
            buffer = buffer.Slice(socket.Send(buffer, SocketFlags.None));
    }

    public override void ReadExactly(Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int n = socket.Receive(buffer, SocketFlags.None);
            if (n == 0)
                throw new EndOfStreamException("the peer closed the connection");
            buffer = buffer.Slice(n);
        }
    }
}

internal static class Program
{
    private const long KindUdp = 3;
    private const int MaxUdp = 65507;

    private static int Main(string[] args) => EchoHarness.Run("SocketBench", () =>
    {
        if (args.Length == 3 && args[0] == "server")
            return Server(args[1] == "ns", args[2]);
        if (args.Length >= 8 && args[0] == "client")
            return Client(args);
        Console.Error.WriteLine("usage: SocketBench server <sock|ns> PORTFILE | client <sock|ns> PORTFILE OUTFILE FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK SIZE:ITERS... [uSIZE:ITERS...]");
        return 2;
    });

    private static Conn Wrap(Socket s, bool ns) => ns ? new StreamConn(new NetworkStream(s, ownsSocket: true)) : new SocketConn(s);

    private static int Server(bool ns, string portFile)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        File.WriteAllText(portFile + ".tmp", string.Create(CultureInfo.InvariantCulture,
            $"{((IPEndPoint)listener.LocalEndPoint!).Port} {((IPEndPoint)udp.LocalEndPoint!).Port}\n"));
        File.Move(portFile + ".tmp", portFile, overwrite: true);
        using Socket accepted = listener.Accept();
        accepted.NoDelay = true;
        EchoHarness.Serve(Wrap(accepted, ns), (kind, count, buf, off) =>
        {
            if (kind != KindUdp)
                return false;
            UdpEcho(udp, buf, off, count);
            return true;
        });
        return 0;
    }

    // As a .NET program writes it: ReceiveFrom(ref EndPoint) gives the sender, SendTo answers it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UdpEcho(Socket udp, byte[] buf, int off, long count)
    {
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        for (long i = 0; i < count; i++)
        {
            int n = udp.ReceiveFrom(buf, off, MaxUdp, SocketFlags.None, ref from);
            udp.SendTo(buf, off, n, SocketFlags.None, from);
        }
    }

    private static void UdpRoundTrip(Socket udp, EndPoint server, byte[] send, int so, byte[] recv, int ro, int size, long i)
    {
        send[so] = (byte)i;
        send[so + size - 1] = (byte)(i >> 8);
        udp.SendTo(send, so, size, SocketFlags.None, server);
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int n = udp.ReceiveFrom(recv, ro, MaxUdp, SocketFlags.None, ref from);
        if (n != size)
            throw new InvalidDataException($"udp: {n} bytes back for {size}");
        EchoHarness.Check(send, so, recv, ro, size);
    }

    private static (int Tcp, int Udp) ReadPortFile(string path)
    {
        var deadline = Stopwatch.StartNew();
        for (;;)
        {
            try
            {
                string[] parts = File.ReadAllText(path).Split(' ', StringSplitOptions.TrimEntries);
                if (parts.Length == 2)
                    return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
            }
            catch (FileNotFoundException)
            {
            }
            if (deadline.ElapsedMilliseconds > 30000)
                throw new TimeoutException("no port file from the server");
            Thread.Sleep(1);
        }
    }

    private static int Client(string[] args)
    {
        bool ns = args[1] == "ns";
        var (tcpPort, udpPort) = ReadPortFile(args[2]);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(IPAddress.Loopback, tcpPort);
        socket.NoDelay = true;
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.ReceiveTimeout = 10000; // a lost datagram ends the run instead of hanging it
        EndPoint server = new IPEndPoint(IPAddress.Loopback, udpPort);
        return EchoHarness.Client(Wrap(socket, ns), args, 3, KindUdp,
            (send, so, recv, ro, size, i) => UdpRoundTrip(udp, server, send, so, recv, ro, size, i), MaxUdp);
    }
}
