// The .NET roles of bench/rpc_bench.c's JSON-RPC variants (see the comment at its top):
//   RpcBench server PORTFILE
//   RpcBench client PORTFILE OUTFILE FIRST_WARM_MS WARM_MS ADD_ITERS ECHO_ITERS
// The server listens on 127.0.0.1:0, writes "PORT 0" to PORTFILE, serves one connection with
// StreamJsonRpc (AddLocalRpcTarget: Add, Echo) and ends with it. The client is what a .NET program
// writes: JsonRpc.Attach on the NetworkStream, then await InvokeAsync<int>("Add", 2, 3) and
// InvokeAsync<string>("Echo", s), one call in flight.
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SharpIpc.Bench;
using StreamJsonRpc;

namespace SharpIpc.RpcBench;

public sealed class Target
{
    public int Add(int a, int b) => a + b;

    public string Echo(string s) => s;
}

internal static class Program
{
    private const int EchoSize = 65536;

    private static int Main(string[] args) => EchoHarness.Run("RpcBench", () =>
    {
        if (args.Length == 2 && args[0] == "server")
            return Server(args[1]).GetAwaiter().GetResult();
        if (args.Length == 7 && args[0] == "client")
            return Client(args).GetAwaiter().GetResult();
        Console.Error.WriteLine("usage: RpcBench server PORTFILE | client PORTFILE OUTFILE FIRST_WARM_MS WARM_MS ADD_ITERS ECHO_ITERS");
        return 2;
    });

    private static async Task<int> Server(string portFile)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1);
        File.WriteAllText(portFile + ".tmp", string.Create(CultureInfo.InvariantCulture,
            $"{((IPEndPoint)listener.LocalEndpoint).Port} 0\n"));
        File.Move(portFile + ".tmp", portFile, overwrite: true);
        using TcpClient client = await listener.AcceptTcpClientAsync().ConfigureAwait(false);
        listener.Stop();
        client.NoDelay = true;
        using var rpc = new JsonRpc(client.GetStream());
        rpc.AddLocalRpcTarget(new Target());
        rpc.StartListening();
        try
        {
            await rpc.Completion.ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConnectionLostException or IOException)
        {
            // the client went away: the end of the run
        }
        return 0;
    }

    private static async Task<int> ReadPort(string path)
    {
        var deadline = Stopwatch.StartNew();
        for (;;)
        {
            try
            {
                string[] parts = File.ReadAllText(path).Split(' ', StringSplitOptions.TrimEntries);
                if (parts.Length == 2)
                    return int.Parse(parts[0], CultureInfo.InvariantCulture);
            }
            catch (FileNotFoundException)
            {
            }
            if (deadline.ElapsedMilliseconds > 30000)
                throw new TimeoutException("no port file from the server");
            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    // Warms up for warmMs, then times iters calls: a latency line and a tput line.
    private static async Task Measure(StringBuilder results, string tag, int size, Func<Task<bool>> call, long warmMs,
                                      long iters)
    {
        var warm = Stopwatch.StartNew();
        do
        {
            if (!await call().ConfigureAwait(false))
                throw new InvalidDataException("wrong answer");
        } while (warm.ElapsedMilliseconds < warmMs);
        var samples = new long[iters];
        long start = Stopwatch.GetTimestamp();
        for (long j = 0; j < iters; j++)
        {
            long t0 = Stopwatch.GetTimestamp();
            if (!await call().ConfigureAwait(false))
                throw new InvalidDataException("wrong answer");
            samples[j] = Stopwatch.GetTimestamp() - t0;
        }
        long elapsed = Stopwatch.GetTimestamp() - start;
        results.Append(BenchResults.CallLines(tag, size, samples, elapsed));
    }

    private static async Task<int> Client(string[] args)
    {
        int port = await ReadPort(args[1]).ConfigureAwait(false);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
        tcp.NoDelay = true;
        using var rpc = JsonRpc.Attach(tcp.GetStream());
        string s = string.Create(EchoSize, 0, (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
                span[i] = (char)('a' + i % 26);
        });
        var results = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        await Measure(results, "add", 0, async () => await rpc.InvokeAsync<int>("Add", 2, 3).ConfigureAwait(false) == 5,
            long.Parse(args[3], inv), long.Parse(args[5], inv)).ConfigureAwait(false);
        await Measure(results, "echo", EchoSize,
            async () => (await rpc.InvokeAsync<string>("Echo", s).ConfigureAwait(false)).Length == EchoSize,
            long.Parse(args[4], inv), long.Parse(args[6], inv)).ConfigureAwait(false);
        File.WriteAllText(args[2], results.ToString());
        return 0;
    }
}
