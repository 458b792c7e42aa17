// The Mono roles of bench/rpc_bench.c's Remoting variants, compiled with mcs together with
// tests/mono/RemotingPeer.cs (its MyRemoteObject, the object both clients call) into
// MyAssembly.exe with this class as the entry point (-main:RemotingBench), and with
// ../dotnet/Common/BenchResults.cs (the result lines, shared with the .NET twins):
//   mono RemotingBench.exe server PORTFILE
//   mono RemotingBench.exe client PORTFILE OUTFILE FIRST_WARM_MS WARM_MS ADD_ITERS ECHO_ITERS
// The server is a TcpChannel bound to 127.0.0.1 on a free port, which it writes to PORTFILE as
// "PORT 0"; it ends once PORTFILE is gone (the client deletes it when it is done). The client is
// what a Mono program writes: Activator.GetObject, then o.Add(2, 3) and o.Echo(64 KiB string),
// timed with Stopwatch, its result lines as rpc_bench.c describes them.
using System;
using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.Remoting;
using System.Runtime.Remoting.Channels;
using System.Runtime.Remoting.Channels.Tcp;
using System.Text;
using System.Threading;
using SharpIpc.Bench;

public static class RemotingBench
{
    const int EchoSize = 65536;

    public static int Main(string[] args)
    {
        try
        {
            if (args.Length == 2 && args[0] == "server")
                return Server(args[1]);
            if (args.Length == 7 && args[0] == "client")
                return Client(args);
            Console.Error.WriteLine("usage: RemotingBench.exe server PORTFILE | client PORTFILE OUTFILE FIRST_WARM_MS WARM_MS ADD_ITERS ECHO_ITERS");
            return 2;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("RemotingBench: " + e.GetType().Name + ": " + e.Message);
            return 2;
        }
    }

    static int Server(string portFile)
    {
        IDictionary props = new Hashtable();
        props["port"] = 0;
        props["bindTo"] = "127.0.0.1";
        TcpChannel channel = new TcpChannel(props, null, null);
        ChannelServices.RegisterChannel(channel, false);
        RemotingConfiguration.RegisterWellKnownServiceType(typeof(MyRemoteObject), "MyRemoteObjectName",
                                                           WellKnownObjectMode.Singleton);
        string uri = ((ChannelDataStore)channel.ChannelData).ChannelUris[0];
        File.WriteAllText(portFile + ".tmp", uri.Substring(uri.LastIndexOf(':') + 1) + " 0\n");
        File.Move(portFile + ".tmp", portFile);
        var lifetime = Stopwatch.StartNew();
        while (File.Exists(portFile) && lifetime.Elapsed.TotalSeconds < 600)
            Thread.Sleep(20);
        return 0;
    }

    // Warms up for warmMs, then times iters calls: a latency line and a tput line.
    static void Measure(StringBuilder results, string tag, int size, Func<bool> call, long warmMs, long iters)
    {
        var warm = Stopwatch.StartNew();
        do
        {
            if (!call())
                throw new InvalidDataException("wrong answer");
        } while (warm.ElapsedMilliseconds < warmMs);
        var samples = new long[iters];
        long start = Stopwatch.GetTimestamp();
        for (long j = 0; j < iters; j++)
        {
            long t0 = Stopwatch.GetTimestamp();
            if (!call())
                throw new InvalidDataException("wrong answer");
            samples[j] = Stopwatch.GetTimestamp() - t0;
        }
        results.Append(BenchResults.CallLines(tag, size, samples, Stopwatch.GetTimestamp() - start));
    }

    static int Client(string[] args)
    {
        string portFile = args[1];
        string[] port = null;
        var deadline = Stopwatch.StartNew();
        while (port == null)
        {
            if (File.Exists(portFile))
                port = File.ReadAllText(portFile).Split(' ');
            else if (deadline.ElapsedMilliseconds > 30000)
                throw new TimeoutException("no port file from the server");
            else
                Thread.Sleep(1);
        }
        ChannelServices.RegisterChannel(new TcpChannel(), false);
        MyRemoteObject o = (MyRemoteObject)Activator.GetObject(typeof(MyRemoteObject),
            "tcp://127.0.0.1:" + port[0] + "/MyRemoteObjectName");
        var text = new StringBuilder(EchoSize);
        for (int i = 0; i < EchoSize; i++)
            text.Append((char)('a' + i % 26));
        string s = text.ToString();
        var results = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        Measure(results, "add", 0, () => o.Add(2, 3) == 5, long.Parse(args[3], inv), long.Parse(args[5], inv));
        Measure(results, "echo", EchoSize, () => o.Echo(s).Length == EchoSize + 5, long.Parse(args[4], inv),
                long.Parse(args[6], inv));
        File.WriteAllText(args[2], results.ToString());
        File.Delete(portFile); // tells the server to end
        return 0;
    }
}
