// The part of bench/pipe_bench.c's and bench/socket_bench.c's protocol that their .NET twins
// (PipeBench, SocketBench) share, compiled into both (<Compile Include> in each .csproj): the
// connection as the harness uses it, the server loop, the client's timed round trips and result
// lines (BenchResults.cs, which the Mono roles share). The protocol is described at the top of pipe_bench.c: a 24-byte header {kind, a, b} of
// little-endian int64 starts each phase; ECHO {size, count} is count round trips of size bytes,
// SINK {total, chunk} is total bytes one way then a one-byte answer, END closes; a twin may add a
// phase kind of its own (SocketBench's UDP). The client writes
// "TAG SIZE ITERS MEDIAN_NS P99_NS MEAN_NS MIN_NS" and "tput TOTAL CHUNK ELAPSED_NS" lines.
using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace SharpIpc.Bench;

// The connection as the harness uses it: what a .NET program writes over a Stream (Write,
// ReadExactly, Read) or over a Socket (SocketBench's SocketConn: Send, Receive in a loop).
internal abstract class Conn
{
    public abstract void Write(byte[] buffer, int offset, int count);
    public abstract void ReadExactly(byte[] buffer, int offset, int count);
    public abstract int Read(byte[] buffer, int offset, int count);
    public abstract void Write(ReadOnlySpan<byte> buffer);
    public abstract void ReadExactly(Span<byte> buffer);
}

internal sealed class StreamConn(Stream stream) : Conn
{
    public override void Write(byte[] buffer, int offset, int count) => stream.Write(buffer, offset, count);
    public override void ReadExactly(byte[] buffer, int offset, int count) => stream.ReadExactly(buffer, offset, count);
    public override int Read(byte[] buffer, int offset, int count) => stream.Read(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => stream.Write(buffer);
    public override void ReadExactly(Span<byte> buffer) => stream.ReadExactly(buffer);
}

// One round trip of an extra phase: (send, sendOffset, recv, recvOffset, size, sequence).
internal delegate void RoundTripFn(byte[] send, int so, byte[] recv, int ro, int size, long i);

internal static class EchoHarness
{
    public const long KindEnd = 0, KindEcho = 1, KindSink = 2;
    public const int SinkRead = 65536;
    public const int MaxSize = 1 << 20;
    private const int WarmBatch = 256;
    private const long TputWarmBytes = 64L << 20;

    // Runs a role, printing "NAME[pid]: Type: message" for what it throws (exit code 2).
    public static int Run(string name, Func<int> role)
    {
        try
        {
            return role();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{name}[{Environment.ProcessId}]: {e.GetType().Name}: {e.Message}");
            return 2;
        }
    }

    // A data buffer whose usable part, buffer[offset..offset+size], starts on a page boundary, as
    // the C roles' buffers do: the kernel's copy into a buffer that is not 32-byte aligned is up
    // to twice as slow on the machine the figures come from, and a byte[]'s alignment is chance.
    // The array is pinned (allocated on the pinned object heap), so the offset stays valid.
    public static (byte[] Buffer, int Offset) PageAligned(int size)
    {
        var buffer = GC.AllocateArray<byte>(size + 4096, pinned: true);
        var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        long address = handle.AddrOfPinnedObject().ToInt64();
        handle.Free();
        return (buffer, (int)((4096 - (address & 4095)) & 4095));
    }

    public static void SendHeader(Conn c, long kind, long a, long b)
    {
        Span<byte> h = stackalloc byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(h, kind);
        BinaryPrimitives.WriteInt64LittleEndian(h.Slice(8), a);
        BinaryPrimitives.WriteInt64LittleEndian(h.Slice(16), b);
        c.Write(h);
    }

    // The server: obeys phase headers until END; extra(kind, count, buf, off) serves another kind
    // and answers whether it knew it.
    public static void Serve(Conn c, Func<long, long, byte[], int, bool>? extra)
    {
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
            else if (extra == null || !extra(kind, b, buf, off))
                throw new InvalidDataException($"bad header kind {kind}");
        }
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

    public static void Check(byte[] send, int so, byte[] recv, int ro, int size)
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SinkFrom(Conn c, byte[] data, int off, long total, int chunk)
    {
        SendHeader(c, KindSink, total, chunk);
        for (long left = total; left > 0; left -= chunk)
            c.Write(data, off, left < chunk ? (int)left : chunk);
        Span<byte> ack = stackalloc byte[1];
        c.ReadExactly(ack);
    }

    // The harness loops are compiled fully optimised at once, as C's are: what tiers up and warms
    // up is the .NET library code they call. The first size warms up for FIRST_WARM_MS (300 by
    // default, well past the runtime's 100 ms tier-up delay), the others for WARM_MS.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string Latency(Conn c, long kind, string tag, RoundTripFn? extra, byte[] send, int so, byte[] recv,
                                  int ro, int size, long iters, long warmTicks)
    {
        long warmEnd = Stopwatch.GetTimestamp() + warmTicks;
        long seq = 0;
        do
        {
            SendHeader(c, kind, size, WarmBatch);
            for (int j = 0; j < WarmBatch; j++)
            {
                if (extra != null)
                    extra(send, so, recv, ro, size, seq++);
                else
                    RoundTrip(c, send, so, recv, ro, size, seq++);
            }
        } while (Stopwatch.GetTimestamp() < warmEnd);

        var samples = new long[iters];
        SendHeader(c, kind, size, iters);
        for (long j = 0; j < iters; j++)
        {
            long t0 = Stopwatch.GetTimestamp();
            if (extra != null)
                extra(send, so, recv, ro, size, j);
            else
                RoundTrip(c, send, so, recv, ro, size, j);
            samples[j] = Stopwatch.GetTimestamp() - t0;
        }
        return BenchResults.LatencyLine(tag, size, samples);
    }

    // The client over an open connection: args[first..] are OUTFILE FIRST_WARM_MS WARM_MS
    // TPUT_BYTES TPUT_CHUNK SIZE:ITERS...; a spec starting with 'u' is a round trip of the extra
    // phase (extraKind, done by extra, sizes up to maxExtra, result tag "udp").
    public static int Client(Conn c, string[] args, int first, long extraKind, RoundTripFn? extra, int maxExtra)
    {
        string outFile = args[first];
        long firstWarmTicks = long.Parse(args[first + 1], CultureInfo.InvariantCulture) * Stopwatch.Frequency / 1000;
        long warmTicks = long.Parse(args[first + 2], CultureInfo.InvariantCulture) * Stopwatch.Frequency / 1000;
        long tputTotal = long.Parse(args[first + 3], CultureInfo.InvariantCulture);
        int tputChunk = int.Parse(args[first + 4], CultureInfo.InvariantCulture);
        var (send, so) = PageAligned(MaxSize);
        var (recv, ro) = PageAligned(MaxSize);
        for (int i = 0; i < MaxSize; i++)
            send[so + i] = (byte)(i * 131 + 7);
        var results = new StringBuilder();
        for (int arg = first + 5; arg < args.Length; arg++)
        {
            string spec = args[arg];
            bool isExtra = extra != null && spec.StartsWith('u');
            string[] parts = spec.Substring(isExtra ? 1 : 0).Split(':');
            int size = int.Parse(parts[0], CultureInfo.InvariantCulture);
            long iters = long.Parse(parts[1], CultureInfo.InvariantCulture);
            if (size < 1 || size > (isExtra ? maxExtra : MaxSize) || iters < 1)
                throw new ArgumentException($"bad SIZE:ITERS {spec}");
            results.Append(Latency(c, isExtra ? extraKind : KindEcho, isExtra ? "udp" : "lat", isExtra ? extra : null, send,
                so, recv, ro, size, iters, arg == first + 5 ? firstWarmTicks : warmTicks));
        }
        if (tputTotal > 0)
        {
            SinkFrom(c, send, so, Math.Min(tputTotal, TputWarmBytes), tputChunk);
            long t0 = Stopwatch.GetTimestamp();
            SinkFrom(c, send, so, tputTotal, tputChunk);
            long elapsed = Stopwatch.GetTimestamp() - t0;
            results.Append(CultureInfo.InvariantCulture, $"tput {tputTotal} {tputChunk} {BenchResults.Ns(elapsed)}\n");
        }
        SendHeader(c, KindEnd, 0, 0);
        File.WriteAllText(outFile, results.ToString());
        return 0;
    }
}
