// The .NET end of the heavy and the faulty socket cases (tests/interop/socket_stress_interop.c is
// the C end, run_socket_stress_interop.cmake runs the pairs): 128 clients at once against each
// side's server with every byte checked, 100 MiB each way with a checksum, and what a client sees
// of a server that is killed, resets, stays silent or does not listen, so that the runner can
// compare C's view with .NET's. Ports meet through DIR/netport (a .NET server) and DIR/cport (C's).
using System;
using System.Buffers.Binary;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;

namespace SharpIpc.Peer;

internal static class SocketStressCases
{
    private const int ManyClients = 128;
    private const int ManyChunk = 4096;
    private const int ManyChunks = 16;
    private const byte ManyBye = 0xAC;

    private const int BulkBytes = 100 * 1024 * 1024;
    private const int BulkChunk = 64 * 1024;
    private const uint BulkSeedC = 0x12345678u;
    private const uint BulkSeedNet = 0x9E3779B9u;

    private const int HalfDeclared = 1024 * 1024;
    private const int HalfSent = 1000;

    private static void Publish(string dir, string name, int port)
    {
        string tmp = Path.Combine(dir, name + ".tmp");
        File.WriteAllText(tmp, port.ToString());
        File.Move(tmp, Path.Combine(dir, name), overwrite: true);
    }

    private static void WaitForFile(string path)
    {
        for (int i = 0; i < 1200; i++)
        {
            if (File.Exists(path))
                return;
            Thread.Sleep(50);
        }
        throw new TimeoutException($"no {path}");
    }

    private static int WaitForPort(string dir)
    {
        string path = Path.Combine(dir, "cport");
        WaitForFile(path);
        return int.Parse(File.ReadAllText(path));
    }

    private static TcpListener Listen(string dir)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Publish(dir, "netport", ((IPEndPoint)listener.LocalEndpoint).Port);
        return listener;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    // SIGKILL, as a crash or `kill -9` ends a process: no finally, no Dispose, the kernel closes
    // the sockets.
    private static void KillSelf()
    {
        Console.Error.Flush();
        kill(Environment.ProcessId, 9);
        Thread.Sleep(Timeout.Infinite);
    }

    // ---------------------------------------------------------------- 128 clients at once

    private static byte Pattern(int id, int k) => (byte)(id * 131 + k * 7 + (k >> 8));

    public static int ManyServer(string dir)
    {
        using TcpListener listener = Listen(dir);
        int accepted = 0, served = 0;
        var seen = new int[ManyClients];
        using var allConnected = new ManualResetEventSlim(false);
        var threads = new Thread[ManyClients];
        for (int n = 0; n < ManyClients; n++)
        {
            TcpClient client = listener.AcceptTcpClient();
            if (Interlocked.Increment(ref accepted) == ManyClients)
                allConnected.Set();
            threads[n] = new Thread(() =>
            {
                try
                {
                    using (client)
                    using (NetworkStream s = client.GetStream())
                    {
                        var hdr = new byte[4];
                        s.ReadExactly(hdr);
                        int id = BinaryPrimitives.ReadInt32LittleEndian(hdr);
                        Records.Check(id >= 0 && id < ManyClients && Interlocked.Exchange(ref seen[id], 1) == 0,
                                      $"client id {id} unknown or seen twice");
                        var buf = new byte[ManyChunk];
                        for (int c = 0; c < ManyChunks; c++)
                        {
                            s.ReadExactly(buf);
                            for (int k = 0; k < ManyChunk; k++)
                                Records.Check(buf[k] == Pattern(id, c * ManyChunk + k), $"client {id} byte {c * ManyChunk + k}");
                            s.Write(buf);
                        }
                        allConnected.Wait();
                        s.WriteByte(ManyBye);
                    }
                    Interlocked.Increment(ref served);
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine($"tcp-many-server: a connection failed: {e}");
                }
            });
            threads[n].Start();
        }
        foreach (Thread t in threads)
            t.Join();
        Records.Check(served == ManyClients, $"served {served} of {ManyClients} C clients");
        Console.Error.WriteLine($".NET TcpListener: {ManyClients} C clients at once, every byte checked");
        return 0;
    }

    public static int ManyClient(string dir)
    {
        int port = WaitForPort(dir);
        int good = 0;
        var threads = new Thread[ManyClients];
        for (int i = 0; i < ManyClients; i++)
        {
            int id = i;
            threads[i] = new Thread(() =>
            {
                try
                {
                    using var client = new TcpClient("127.0.0.1", port);
                    using NetworkStream s = client.GetStream();
                    var hdr = new byte[4];
                    BinaryPrimitives.WriteInt32LittleEndian(hdr, id);
                    s.Write(hdr);
                    byte[] outb = new byte[ManyChunk], inb = new byte[ManyChunk];
                    for (int c = 0; c < ManyChunks; c++)
                    {
                        for (int k = 0; k < ManyChunk; k++)
                            outb[k] = Pattern(id, c * ManyChunk + k);
                        s.Write(outb);
                        s.ReadExactly(inb);
                        Records.Check(inb.AsSpan().SequenceEqual(outb), $"client {id}: chunk {c} came back changed");
                    }
                    Records.Check(s.ReadByte() == ManyBye, $"client {id}: the bye");
                    Interlocked.Increment(ref good);
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine($"tcp-many-client {id}: {e}");
                }
            });
            threads[i].Start();
        }
        foreach (Thread t in threads)
            t.Join();
        Records.Check(good == ManyClients, $"{good} of {ManyClients} .NET clients got their bytes back");
        Console.Error.WriteLine($".NET clients: {ManyClients} at once against the C server, every byte checked");
        return 0;
    }

    // ---------------------------------------------------------------- 100 MiB each way

    private static uint Fill(Span<byte> b, uint x)
    {
        for (int i = 0; i < b.Length; i += 4)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(i), x);
        }
        return x;
    }

    private static ulong Fnv1a(ulong h, ReadOnlySpan<byte> b)
    {
        foreach (byte v in b)
            h = (h ^ v) * 0x100000001b3UL;
        return h;
    }

    private const ulong FnvOffset = 0xcbf29ce484222325UL;

    public static int BulkServer(string dir)
    {
        using TcpListener listener = Listen(dir);
        using TcpClient client = listener.AcceptTcpClient();
        using NetworkStream s = client.GetStream();
        byte[] buf = new byte[BulkChunk], want = new byte[BulkChunk], word = new byte[8];
        uint x = BulkSeedC;
        ulong got = FnvOffset;
        for (int done = 0; done < BulkBytes; done += BulkChunk)
        {
            s.ReadExactly(buf);
            x = Fill(want, x);
            Records.Check(buf.AsSpan().SequenceEqual(want), $"C's bytes differ in the chunk at {done}");
            got = Fnv1a(got, buf);
        }
        s.ReadExactly(word);
        Records.Check(BinaryPrimitives.ReadUInt64LittleEndian(word) == got, "C's checksum of its 100 MiB");
        BinaryPrimitives.WriteUInt64LittleEndian(word, got);
        s.Write(word);
        x = BulkSeedNet;
        ulong sum = FnvOffset;
        for (int done = 0; done < BulkBytes; done += BulkChunk)
        {
            x = Fill(buf, x);
            sum = Fnv1a(sum, buf);
            s.Write(buf);
        }
        BinaryPrimitives.WriteUInt64LittleEndian(word, sum);
        s.Write(word);
        s.ReadExactly(word);
        Records.Check(BinaryPrimitives.ReadUInt64LittleEndian(word) == sum, "C's checksum of .NET's 100 MiB");
        Console.Error.WriteLine($".NET: 100 MiB from C (FNV-1a 0x{got:x16}) and 100 MiB to C (0x{sum:x16}), both confirmed");
        return 0;
    }

    // ---------------------------------------------------------------- servers that misbehave

    // The server of an observe MODE (socket_stress_interop.c's header lists them).
    public static int FaultServer(string dir, string mode)
    {
        if (mode == "refused")
        {
            using var bound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            bound.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // the port stays taken, nobody listens
            Publish(dir, "netport", ((IPEndPoint)bound.LocalEndPoint!).Port);
            WaitForFile(Path.Combine(dir, "done"));
            return 0;
        }
        using TcpListener listener = Listen(dir);
        TcpClient client = listener.AcceptTcpClient();
        NetworkStream s = client.GetStream();
        switch (mode)
        {
            case "read-kill":
                var half = new byte[4 + HalfSent];
                BinaryPrimitives.WriteInt32LittleEndian(half, HalfDeclared);
                s.Write(half);
                KillSelf();
                break;
            case "write-kill":
                s.ReadExactly(new byte[BulkChunk]);
                while (client.Available == 0) // more is waiting, unread: the kernel resets
                    Thread.Sleep(1);
                KillSelf();
                break;
            case "reset":
                // The client's byte first: under wine a connect that a reset follows at once
                // completes as refused. Then the Socket itself: NetworkStream's and TcpClient's
                // Dispose shut down first, and the FIN would come before the reset.
                s.ReadExactly(new byte[1]);
                client.Client.LingerState = new LingerOption(true, 0);
                client.Client.Close();
                break;
            case "silent":
                while (s.Read(new byte[1]) > 0)
                {
                }
                client.Close();
                break;
            default:
                throw new ArgumentException($"unknown mode {mode}");
        }
        return 0;
    }

    private static string Describe(string step, Exception e, int port)
    {
        Exception? inner = e.InnerException;
        SocketException? se = e as SocketException ?? inner as SocketException;
        return $"{step}: {e.GetType().FullName}|{(inner is null ? "-" : inner.GetType().FullName)}|" +
               $"{(se is null ? 0 : (int)se.SocketErrorCode)}|{(se is null ? 0 : se.NativeErrorCode)}|" +
               $"{e.Message.Replace($":{port}", ":PORT")}|{(inner is null ? "-" : inner.Message)}";
    }

    // A .NET client of FaultServer, its view written to DIR/observed (socket_stress_interop.c's
    // observe_main does the same in C).
    public static int Observe(string dir, string mode)
    {
        try
        {
            return ObserveTo(dir, mode);
        }
        finally
        {
            File.WriteAllText(Path.Combine(dir, "done"), ""); // the refused mode's server holds its port until now
        }
    }

    private static int ObserveTo(string dir, string mode)
    {
        string netport = Path.Combine(dir, "netport");
        WaitForFile(netport);
        int port = int.Parse(File.ReadAllText(netport));
        using var output = new StreamWriter(Path.Combine(dir, "observed")) { NewLine = "\n" };
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, port);
        }
        catch (Exception e)
        {
            output.WriteLine(Describe("connect", e, port));
            return 0;
        }
        using var s = new NetworkStream(socket, ownsSocket: false);
        if (mode == "write-kill")
            output.WriteLine(WriteUntilReset(socket, s, port));
        else if (mode == "silent")
        {
            var b = new byte[1];
            socket.ReceiveTimeout = 300;
            try
            {
                socket.Receive(b);
                output.WriteLine("Socket.Receive: returned");
            }
            catch (Exception e)
            {
                output.WriteLine(Describe("Socket.Receive", e, port));
            }
            output.WriteLine($"Connected after the timeout: {socket.Connected}");
            s.ReadTimeout = 300;
            try
            {
                int ignored = s.Read(b); // the timeout throws before it returns
                output.WriteLine("NetworkStream.Read: returned");
            }
            catch (Exception e)
            {
                output.WriteLine(Describe("NetworkStream.Read", e, port));
            }
        }
        else
        {
            if (mode == "reset")
                s.WriteByte(1); // what the server waits for before it resets
            output.WriteLine(ObserveRead(s, port));
        }
        return 0;
    }

    // The writer's side of a peer killed mid-message: the first part of a message (more than the
    // peer reads before it dies, so that the kernel resets), then, once the reset is there (Poll
    // sees it), the rest. A reset that lands inside a Send that has already sent part of its
    // buffer comes out of .NET 10 as TimedOut (seen with strace: the kernel said ECONNRESET;
    // SocketPal.Unix.TryCompleteSendTo does not report an error that follows a partial send);
    // waiting for the reset keeps both sides on the plain ConnectionReset.
    private static string WriteUntilReset(Socket socket, NetworkStream s, int port)
    {
        var buf = new byte[BulkChunk];
        try
        {
            s.Write(buf);
            s.Write(buf, 0, 4096);
            socket.Poll(30_000_000, SelectMode.SelectRead);
            for (int i = 0; i < 16384; i++)
                s.Write(buf);
            return "write: 1 GiB written, no error";
        }
        catch (Exception e)
        {
            return Describe("write", e, port);
        }
    }

    // Reads the declared length, then the message until it is whole, the end, or an exception.
    private static string ObserveRead(Stream s, int port)
    {
        var hdr = new byte[4];
        try
        {
            s.ReadExactly(hdr);
        }
        catch (Exception e)
        {
            return Describe("header", e, port);
        }
        int declared = BinaryPrimitives.ReadInt32LittleEndian(hdr), got = 0, n = 1;
        var buf = new byte[BulkChunk];
        try
        {
            while (got < declared && (n = s.Read(buf)) > 0)
                got += n;
        }
        catch (Exception e)
        {
            return Describe("read", e, port);
        }
        return $"read: end after {got} of {declared} bytes";
    }

    // ---------------------------------------------------------------- a killed C child

    // The server a C child is killed under (socket_stress_interop child-kill): MODE read, the child
    // dies half way through its message; MODE write, it dies with .NET's bytes unread. Exits 0 when
    // .NET saw what a killed peer gives: the end of the stream, or a reset.
    public static int KillWatch(string dir, string mode)
    {
        using TcpListener listener = Listen(dir);
        using TcpClient client = listener.AcceptTcpClient();
        using NetworkStream s = client.GetStream();
        if (mode == "read")
        {
            string seen = ObserveRead(s, 0);
            Console.Error.WriteLine($".NET reading from a killed C child: {seen}");
            Records.Check(seen == $"read: end after {HalfSent} of {HalfDeclared} bytes", "the end after the half message");
            return 0;
        }
        string seenWriting = WriteUntilReset(client.Client, s, 0);
        Console.Error.WriteLine($".NET writing to a killed C child: {seenWriting}");
        Records.Check(seenWriting.StartsWith("write: System.IO.IOException|System.Net.Sockets.SocketException|10054|", StringComparison.Ordinal),
                      "IOException around SocketException ConnectionReset");
        return 0;
    }
}
