// The .NET roles of bench/pipe_bench.c, on NamedPipeServerStream / NamedPipeClientStream:
//   PipeBench server NAME
//   PipeBench client NAME OUTFILE FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK SIZE:ITERS...
// The wire protocol and the result lines are pipe_bench.c's (see the comment at its top): a
// 24-byte header {kind, a, b} of little-endian int64 starts each phase; ECHO {size, count} is
// count round trips of size bytes, SINK {total, chunk} is total bytes one way then a one-byte
// answer, END closes. The client writes "lat SIZE ITERS MEDIAN_NS P99_NS MEAN_NS MIN_NS" and
// "tput TOTAL CHUNK ELAPSED_NS" lines.
using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Pipes;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpIpc.PipeBench;

internal static class Program
{
    private const long KindEnd = 0, KindEcho = 1, KindSink = 2;
    private const int SinkRead = 65536;
    private const int MaxSize = 1 << 20;
    private const int WarmBatch = 256;
    private const long TputWarmBytes = 64L << 20;

    private static int Main(string[] args)
    {
        try
        {
            if (args.Length == 2 && args[0] == "server")
                return Server(args[1]);
            if (args.Length >= 7 && args[0] == "client")
                return Client(args);
            Console.Error.WriteLine("usage: PipeBench server NAME | client NAME OUTFILE FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK SIZE:ITERS...");
            return 2;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"PipeBench[{Environment.ProcessId}]: {e.GetType().Name}: {e.Message}");
            return 2;
        }
    }

    // A data buffer whose usable part, buffer[offset..offset+size], starts on a page boundary, as
    // pipe_bench.c's buffers do: the kernel's copy into a buffer that is not 32-byte aligned is up
    // to twice as slow on the machine the figures come from, and a byte[]'s alignment is chance.
    // The array is pinned (allocated on the pinned object heap), so the offset stays valid.
    private static (byte[] Buffer, int Offset) PageAligned(int size)
    {
        var buffer = GC.AllocateArray<byte>(size + 4096, pinned: true);
        var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        long address = handle.AddrOfPinnedObject().ToInt64();
        handle.Free();
        return (buffer, (int)((4096 - (address & 4095)) & 4095));
    }

    private static void SendHeader(Stream s, long kind, long a, long b)
    {
        Span<byte> h = stackalloc byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(h, kind);
        BinaryPrimitives.WriteInt64LittleEndian(h.Slice(8), a);
        BinaryPrimitives.WriteInt64LittleEndian(h.Slice(16), b);
        s.Write(h);
    }

    private static int Server(string name)
    {
        using var server = new NamedPipeServerStream(name, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.None);
        server.WaitForConnection();
        var (buf, off) = PageAligned(Math.Max(MaxSize, SinkRead));
        Span<byte> h = stackalloc byte[24];
        for (;;)
        {
            server.ReadExactly(h);
            long kind = BinaryPrimitives.ReadInt64LittleEndian(h);
            long a = BinaryPrimitives.ReadInt64LittleEndian(h.Slice(8));
            long b = BinaryPrimitives.ReadInt64LittleEndian(h.Slice(16));
            if (kind == KindEnd)
                break;
            if (kind == KindEcho)
                Echo(server, buf, off, checked((int)a), b);
            else if (kind == KindSink)
                Sink(server, buf, off, a);
            else
                throw new InvalidDataException($"bad header kind {kind}");
        }
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Echo(Stream s, byte[] buf, int off, int size, long count)
    {
        if (size < 1 || size > MaxSize)
            throw new InvalidDataException($"bad size {size}");
        for (long i = 0; i < count; i++)
        {
            s.ReadExactly(buf, off, size);
            s.Write(buf, off, size);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sink(Stream s, byte[] buf, int off, long total)
    {
        long left = total;
        while (left > 0)
        {
            int n = s.Read(buf, off, left < SinkRead ? (int)left : SinkRead);
            if (n <= 0)
                throw new EndOfStreamException("sink: the client went away");
            left -= n;
        }
        buf[off] = 1;
        s.Write(buf, off, 1);
    }

    private static void RoundTrip(Stream s, byte[] send, int so, byte[] recv, int ro, int size, long i)
    {
        send[so] = (byte)i;
        send[so + size - 1] = (byte)(i >> 8);
        s.Write(send, so, size);
        s.ReadExactly(recv, ro, size);
        if (recv[ro] != send[so] || recv[ro + size - 1] != send[so + size - 1])
            throw new InvalidDataException("echo mismatch");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SinkFrom(Stream s, byte[] data, int off, long total, int chunk)
    {
        SendHeader(s, KindSink, total, chunk);
        for (long left = total; left > 0; left -= chunk)
            s.Write(data, off, left < chunk ? (int)left : chunk);
        Span<byte> ack = stackalloc byte[1];
        s.ReadExactly(ack);
    }

    private static long Ns(long ticks) => (long)(ticks * (1e9 / Stopwatch.Frequency));

    private static long Percentile(long[] sorted, double p)
    {
        long rank = (long)(p / 100.0 * sorted.Length + 0.999999);
        rank = Math.Clamp(rank, 1, sorted.Length);
        return sorted[rank - 1];
    }

    // The harness loops (here, Echo, Sink, SinkFrom) are compiled fully optimised at once, as C's
    // are: what tiers up and warms up is the .NET library code they call. The first size warms up
    // for FIRST_WARM_MS (300 by default, well past the runtime's 100 ms tier-up delay), the others
    // for WARM_MS.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string Latency(Stream client, byte[] send, int so, byte[] recv, int ro, int size, long iters, long warmTicks)
    {
        long warmEnd = Stopwatch.GetTimestamp() + warmTicks;
        long seq = 0;
        do
        {
            SendHeader(client, KindEcho, size, WarmBatch);
            for (int j = 0; j < WarmBatch; j++)
                RoundTrip(client, send, so, recv, ro, size, seq++);
        } while (Stopwatch.GetTimestamp() < warmEnd);

        var samples = new long[iters];
        SendHeader(client, KindEcho, size, iters);
        for (long j = 0; j < iters; j++)
        {
            long t0 = Stopwatch.GetTimestamp();
            RoundTrip(client, send, so, recv, ro, size, j);
            samples[j] = Stopwatch.GetTimestamp() - t0;
        }
        double sum = 0;
        foreach (long t in samples)
            sum += t;
        Array.Sort(samples);
        return string.Create(CultureInfo.InvariantCulture,
            $"lat {size} {iters} {Ns(Percentile(samples, 50))} {Ns(Percentile(samples, 99))} {Ns((long)(sum / iters))} {Ns(samples[0])}\n");
    }

    private static int Client(string[] args)
    {
        string name = args[1];
        string outFile = args[2];
        long firstWarmTicks = long.Parse(args[3], CultureInfo.InvariantCulture) * Stopwatch.Frequency / 1000;
        long warmTicks = long.Parse(args[4], CultureInfo.InvariantCulture) * Stopwatch.Frequency / 1000;
        long tputTotal = long.Parse(args[5], CultureInfo.InvariantCulture);
        int tputChunk = int.Parse(args[6], CultureInfo.InvariantCulture);
        var (send, so) = PageAligned(MaxSize);
        var (recv, ro) = PageAligned(MaxSize);
        for (int i = 0; i < MaxSize; i++)
            send[so + i] = (byte)(i * 131 + 7);
        var results = new System.Text.StringBuilder();

        using var client = new NamedPipeClientStream(".", name, PipeDirection.InOut, PipeOptions.None);
        client.Connect(30000);
        for (int arg = 7; arg < args.Length; arg++)
        {
            string[] parts = args[arg].Split(':');
            int size = int.Parse(parts[0], CultureInfo.InvariantCulture);
            long iters = long.Parse(parts[1], CultureInfo.InvariantCulture);
            if (size < 1 || size > MaxSize || iters < 1)
                throw new ArgumentException($"bad SIZE:ITERS {args[arg]}");

            results.Append(Latency(client, send, so, recv, ro, size, iters, arg == 7 ? firstWarmTicks : warmTicks));
        }
        if (tputTotal > 0)
        {
            SinkFrom(client, send, so, Math.Min(tputTotal, TputWarmBytes), tputChunk);
            long t0 = Stopwatch.GetTimestamp();
            SinkFrom(client, send, so, tputTotal, tputChunk);
            long elapsed = Stopwatch.GetTimestamp() - t0;
            results.Append(CultureInfo.InvariantCulture, $"tput {tputTotal} {tputChunk} {Ns(elapsed)}\n");
        }
        SendHeader(client, KindEnd, 0, 0);
        File.WriteAllText(outFile, results.ToString());
        return 0;
    }
}
