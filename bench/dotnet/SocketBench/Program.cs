// The .NET roles of bench/socket_bench.c, on System.Net.Sockets.Socket or NetworkStream:
//   SocketBench server <sock|ns> PORTFILE
//   SocketBench client <sock|ns> PORTFILE OUTFILE FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK SIZE:ITERS... [uSIZE:ITERS...]
// The wire protocol and the result lines are socket_bench.c's (see the comment at its top): the
// server listens on 127.0.0.1:0 (TCP) and binds 127.0.0.1:0 (UDP) and writes "TCP_PORT UDP_PORT"
// to PORTFILE; a 24-byte header {kind, a, b} of little-endian int64 starts each phase on the TCP
// connection; ECHO {size, count} is count round trips of size bytes, SINK {total, chunk} is total
// bytes one way then a one-byte answer, UDP {size, count} is count datagram round trips, END
// closes. The client writes "lat|udp SIZE ITERS MEDIAN_NS P99_NS MEAN_NS MIN_NS" and
// "tput TOTAL CHUNK ELAPSED_NS" lines. Every TCP socket has NoDelay set, as in the C roles.
using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace SharpIpc.SocketBench;

// The TCP connection as the harness uses it: what a .NET program writes over a Socket (Send,
// Receive in a loop for read-exactly) or over a NetworkStream (Write, ReadExactly, Read).
internal abstract class Conn
{
    public abstract void Write(byte[] buffer, int offset, int count);
    public abstract void ReadExactly(byte[] buffer, int offset, int count);
    public abstract int Read(byte[] buffer, int offset, int count);
    public abstract void Write(ReadOnlySpan<byte> buffer);
    public abstract void ReadExactly(Span<byte> buffer);
}

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

internal sealed class StreamConn(NetworkStream stream) : Conn
{
    public override void Write(byte[] buffer, int offset, int count) => stream.Write(buffer, offset, count);
    public override void ReadExactly(byte[] buffer, int offset, int count) => stream.ReadExactly(buffer, offset, count);
    public override int Read(byte[] buffer, int offset, int count) => stream.Read(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => stream.Write(buffer);
    public override void ReadExactly(Span<byte> buffer) => stream.ReadExactly(buffer);
}

internal static class Program
{
    private const long KindEnd = 0, KindEcho = 1, KindSink = 2, KindUdp = 3;
    private const int SinkRead = 65536;
    private const int MaxSize = 1 << 20;
    private const int MaxUdp = 65507;
    private const int WarmBatch = 256;
    private const long TputWarmBytes = 64L << 20;

    private static int Main(string[] args)
    {
        try
        {
            if (args.Length == 3 && args[0] == "server")
                return Server(args[1] == "ns", args[2]);
            if (args.Length >= 8 && args[0] == "client")
                return Client(args);
            Console.Error.WriteLine("usage: SocketBench server <sock|ns> PORTFILE | client <sock|ns> PORTFILE OUTFILE FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK SIZE:ITERS... [uSIZE:ITERS...]");
            return 2;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"SocketBench[{Environment.ProcessId}]: {e.GetType().Name}: {e.Message}");
            return 2;
        }
    }

    // A data buffer whose usable part starts on a page boundary, as socket_bench.c's buffers do
    // (see PipeBench): the array is on the pinned object heap, so the offset stays valid.
    private static (byte[] Buffer, int Offset) PageAligned(int size)
    {
        var buffer = GC.AllocateArray<byte>(size + 4096, pinned: true);
        var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        long address = handle.AddrOfPinnedObject().ToInt64();
        handle.Free();
        return (buffer, (int)((4096 - (address & 4095)) & 4095));
    }

    private static void SendHeader(Conn c, long kind, long a, long b)
    {
        Span<byte> h = stackalloc byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(h, kind);
        BinaryPrimitives.WriteInt64LittleEndian(h.Slice(8), a);
        BinaryPrimitives.WriteInt64LittleEndian(h.Slice(16), b);
        c.Write(h);
    }

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
        Conn c = Wrap(accepted, ns);
        var (buf, off) = PageAligned(Math.Max(MaxSize, SinkRead));
        Span<byte> h = stackalloc byte[24];
        for (;;)
        {
            c.ReadExactly(h);
            long kind = BinaryPrimitives.ReadInt64LittleEndian(h);
            long a = BinaryPrimitives.ReadInt64LittleEndian(h.Slice(8));
            long b = BinaryPrimitives.ReadInt64LittleEndian(h.Slice(16));
            if (kind == KindEnd)
                break;
            if (kind == KindEcho)
                Echo(c, buf, off, checked((int)a), b);
            else if (kind == KindSink)
                Sink(c, buf, off, a);
            else if (kind == KindUdp)
                UdpEcho(udp, buf, off, b);
            else
                throw new InvalidDataException($"bad header kind {kind}");
        }
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Echo(Conn c, byte[] buf, int off, int size, long count)
    {
        if (size < 1 || size > MaxSize)
            throw new InvalidDataException($"bad size {size}");
        for (long i = 0; i < count; i++)
        {
            c.ReadExactly(buf, off, size);
            c.Write(buf, off, size);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sink(Conn c, byte[] buf, int off, long total)
    {
        long left = total;
        while (left > 0)
        {
            int n = c.Read(buf, off, left < SinkRead ? (int)left : SinkRead);
            if (n <= 0)
                throw new EndOfStreamException("sink: the client went away");
            left -= n;
        }
        buf[off] = 1;
        c.Write(buf, off, 1);
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

    private static void Check(byte[] send, int so, byte[] recv, int ro, int size)
    {
        if (recv[ro] != send[so] || recv[ro + size - 1] != send[so + size - 1])
            throw new InvalidDataException("echo mismatch");
    }

    private static void RoundTrip(Conn c, byte[] send, int so, byte[] recv, int ro, int size, long i)
    {
        send[so] = (byte)i;
        send[so + size - 1] = (byte)(i >> 8);
        c.Write(send, so, size);
        c.ReadExactly(recv, ro, size);
        Check(send, so, recv, ro, size);
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
        Check(send, so, recv, ro, size);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SinkFrom(Conn c, byte[] data, int off, long total, int chunk)
    {
        SendHeader(c, KindSink, total, chunk);
        for (long left = total; left > 0; left -= chunk)
            c.Write(data, off, left < chunk ? (int)left : chunk);
        Span<byte> ack = stackalloc byte[1];
        c.ReadExactly(ack);
    }

    private static long Ns(long ticks) => (long)(ticks * (1e9 / Stopwatch.Frequency));

    private static long Percentile(long[] sorted, double p)
    {
        long rank = (long)(p / 100.0 * sorted.Length + 0.999999);
        rank = Math.Clamp(rank, 1, sorted.Length);
        return sorted[rank - 1];
    }

    // The harness loops are compiled fully optimised at once, as C's are: what tiers up during the
    // warm-up (300 ms on the first size by default, past the runtime's 100 ms tier-up delay) is the
    // .NET library code they call.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string Latency(Conn c, Socket udp, EndPoint server, bool isUdp, byte[] send, int so, byte[] recv, int ro,
                                  int size, long iters, long warmTicks)
    {
        long warmEnd = Stopwatch.GetTimestamp() + warmTicks;
        long seq = 0;
        do
        {
            SendHeader(c, isUdp ? KindUdp : KindEcho, size, WarmBatch);
            for (int j = 0; j < WarmBatch; j++)
            {
                if (isUdp)
                    UdpRoundTrip(udp, server, send, so, recv, ro, size, seq++);
                else
                    RoundTrip(c, send, so, recv, ro, size, seq++);
            }
        } while (Stopwatch.GetTimestamp() < warmEnd);

        var samples = new long[iters];
        SendHeader(c, isUdp ? KindUdp : KindEcho, size, iters);
        for (long j = 0; j < iters; j++)
        {
            long t0 = Stopwatch.GetTimestamp();
            if (isUdp)
                UdpRoundTrip(udp, server, send, so, recv, ro, size, j);
            else
                RoundTrip(c, send, so, recv, ro, size, j);
            samples[j] = Stopwatch.GetTimestamp() - t0;
        }
        double sum = 0;
        foreach (long t in samples)
            sum += t;
        Array.Sort(samples);
        return string.Create(CultureInfo.InvariantCulture,
            $"{(isUdp ? "udp" : "lat")} {size} {iters} {Ns(Percentile(samples, 50))} {Ns(Percentile(samples, 99))} {Ns((long)(sum / iters))} {Ns(samples[0])}\n");
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
        string outFile = args[3];
        long firstWarmTicks = long.Parse(args[4], CultureInfo.InvariantCulture) * Stopwatch.Frequency / 1000;
        long warmTicks = long.Parse(args[5], CultureInfo.InvariantCulture) * Stopwatch.Frequency / 1000;
        long tputTotal = long.Parse(args[6], CultureInfo.InvariantCulture);
        int tputChunk = int.Parse(args[7], CultureInfo.InvariantCulture);
        var (send, so) = PageAligned(MaxSize);
        var (recv, ro) = PageAligned(MaxSize);
        for (int i = 0; i < MaxSize; i++)
            send[so + i] = (byte)(i * 131 + 7);
        var results = new System.Text.StringBuilder();

        var (tcpPort, udpPort) = ReadPortFile(args[2]);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(IPAddress.Loopback, tcpPort);
        socket.NoDelay = true;
        Conn c = Wrap(socket, ns);
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.ReceiveTimeout = 10000; // a lost datagram ends the run instead of hanging it
        EndPoint server = new IPEndPoint(IPAddress.Loopback, udpPort);
        for (int arg = 8; arg < args.Length; arg++)
        {
            string spec = args[arg];
            bool isUdp = spec.StartsWith('u');
            string[] parts = spec.Substring(isUdp ? 1 : 0).Split(':');
            int size = int.Parse(parts[0], CultureInfo.InvariantCulture);
            long iters = long.Parse(parts[1], CultureInfo.InvariantCulture);
            if (size < 1 || size > (isUdp ? MaxUdp : MaxSize) || iters < 1)
                throw new ArgumentException($"bad SIZE:ITERS {spec}");
            results.Append(Latency(c, udp, server, isUdp, send, so, recv, ro, size, iters, arg == 8 ? firstWarmTicks : warmTicks));
        }
        if (tputTotal > 0)
        {
            SinkFrom(c, send, so, Math.Min(tputTotal, TputWarmBytes), tputChunk);
            long t0 = Stopwatch.GetTimestamp();
            SinkFrom(c, send, so, tputTotal, tputChunk);
            long elapsed = Stopwatch.GetTimestamp() - t0;
            results.Append(CultureInfo.InvariantCulture, $"tput {tputTotal} {tputChunk} {Ns(elapsed)}\n");
        }
        SendHeader(c, KindEnd, 0, 0);
        File.WriteAllText(outFile, results.ToString());
        return 0;
    }
}
