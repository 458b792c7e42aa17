// sharpipc's Mono peer for the System.Runtime.Remoting tests: a TcpChannel server bound to
// 127.0.0.1 only, publishing MyRemoteObject (every argument and result kind of RPC-API.md 3, a
// method that throws, a [OneWay] method and a call counter), and Mono's own client calling it,
// the reference whose request bytes the C client must match (tests/mono/capture.py).
//
//   mono MyAssembly.exe server <port>        prints "READY <port>" once listening (0: any port)
//   mono MyAssembly.exe client <port>        calls every method once, in the order of golden.h
//   mono MyAssembly.exe serve-until <file>   serves on any port, written to <file>, until <file>.done
//                                            exists (300 s at most): for a client that cannot start
//                                            mono itself (the mingw build under wine,
//                                            tests/unit/System.Runtime.Remoting/run_remoting_mono.cmake)
using System;
using System.Collections;
using System.IO;
using System.Runtime.Remoting;
using System.Runtime.Remoting.Channels;
using System.Runtime.Remoting.Channels.Tcp;
using System.Runtime.Remoting.Messaging;
using System.Threading;

[Serializable]
public struct Point
{
    public int X;
    public int Y;
}

public class MyRemoteObject : MarshalByRefObject
{
    static int calls;
    static int fired;

    void Count() { Interlocked.Increment(ref calls); }

    public void MyMethod() { Count(); }
    public int Add(int a, int b) { Count(); return a + b; }
    public string Echo(string s) { Count(); return s == null ? null : "echo:" + s; }
    public double Scale(double x, double factor) { Count(); return x * factor; }
    public long Big(long x) { Count(); return x * 2; }
    public bool Not(bool b) { Count(); return !b; }
    public byte[] Reverse(byte[] data)
    {
        Count();
        if (data == null)
            return null;
        byte[] r = (byte[])data.Clone();
        Array.Reverse(r);
        return r;
    }
    public int[] Squares(int n)
    {
        Count();
        int[] r = new int[n];
        for (int i = 0; i < n; i++)
            r[i] = i * i;
        return r;
    }
    public string[] Split(string s) { Count(); return s.Split(','); }
    public DateTime NextDay(DateTime d) { Count(); return d.AddDays(1); }
    public TimeSpan Twice(TimeSpan t) { Count(); return t + t; }
    public decimal AddCent(decimal m) { Count(); return m + 0.01m; }
    public Point Move(Point p, int dx, int dy) { Count(); p.X += dx; p.Y += dy; return p; }
    public void Fail() { Count(); throw new InvalidOperationException("boom"); }
    public void FailArgument(string name) { Count(); throw new ArgumentException("bad value", name); }
    [OneWay]
    public void Fire(int x) { Count(); Interlocked.Add(ref fired, x); }
    public string Nothing() { Count(); return null; }
    public int Calls() { return calls; }
    public int Sleep(int ms) { Thread.Sleep(ms); return ms; }
    public int Fired() { return fired; }
    public override object InitializeLifetimeService() { return null; }
}

public static class Program
{
    static TcpChannel Listen(int port)
    {
        IDictionary props = new Hashtable();
        props["port"] = port;
        props["bindTo"] = "127.0.0.1";
        props["name"] = "tcp";
        TcpChannel channel = new TcpChannel(props, null, null);
        ChannelServices.RegisterChannel(channel, false);
        RemotingConfiguration.RegisterWellKnownServiceType(typeof(MyRemoteObject), "MyRemoteObjectName",
                                                           WellKnownObjectMode.Singleton);
        return channel;
    }

    static string PortOf(TcpChannel channel)
    {
        string uri = ((ChannelDataStore)channel.ChannelData).ChannelUris[0];
        return uri.Substring(uri.LastIndexOf(':') + 1);
    }

    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "serve-until")
        {
            string port = PortOf(Listen(0));
            // written whole, then renamed: the client never reads half a number
            File.WriteAllText(args[1] + ".tmp", port);
            if (File.Exists(args[1]))
                File.Delete(args[1]);
            File.Move(args[1] + ".tmp", args[1]);
            Console.WriteLine("READY " + port);
            Console.Out.Flush();
            for (int i = 0; i < 3000 && !File.Exists(args[1] + ".done"); i++)
                Thread.Sleep(100);
            return 0;
        }
        if (args.Length == 2 && args[0] == "server")
        {
            IDictionary props = new Hashtable();
            props["port"] = int.Parse(args[1]);
            props["bindTo"] = "127.0.0.1";
            props["name"] = "tcp";
            TcpChannel channel = new TcpChannel(props, null, null);
            ChannelServices.RegisterChannel(channel, false);
            RemotingConfiguration.RegisterWellKnownServiceType(typeof(MyRemoteObject), "MyRemoteObjectName",
                                                               WellKnownObjectMode.Singleton);
            string uri = ((ChannelDataStore)channel.ChannelData).ChannelUris[0];
            Console.WriteLine("READY " + uri.Substring(uri.LastIndexOf(':') + 1));
            Console.Out.Flush();
            // until stdin closes (the test that started it ends), or forever when there is none
            try { while (Console.In.ReadLine() != null) { } } catch (Exception) { }
            Thread.Sleep(Timeout.Infinite);
            return 0;
        }
        if (args.Length == 2 && args[0] == "client")
        {
            ChannelServices.RegisterChannel(new TcpChannel(), false);
            MyRemoteObject o = (MyRemoteObject)Activator.GetObject(typeof(MyRemoteObject),
                "tcp://127.0.0.1:" + args[1] + "/MyRemoteObjectName");
            o.MyMethod();
            Console.WriteLine(o.Add(2, 3));
            Console.WriteLine(o.Echo("hi"));
            Console.WriteLine(o.Scale(-1.5, 4.25));
            Console.WriteLine(o.Big(1L << 40));
            Console.WriteLine(o.Not(true));
            Console.WriteLine(o.Reverse(new byte[] { 1, 2, 3, 0, 255 }).Length);
            Console.WriteLine(o.Squares(4).Length);
            Console.WriteLine(o.Split("a,b\u00e9,\U0001F600").Length);
            Console.WriteLine(o.NextDay(new DateTime(2024, 2, 28, 23, 59, 59, DateTimeKind.Utc)).Ticks);
            Console.WriteLine(o.Twice(new TimeSpan(1, 2, 3)));
            Console.WriteLine(o.AddCent(1234567.89m));
            Point p; p.X = 1; p.Y = 2;
            Console.WriteLine(o.Move(p, 10, 20).X);
            try { o.Fail(); } catch (InvalidOperationException e) { Console.WriteLine(e.Message); }
            o.Fire(7);
            Console.WriteLine(o.Nothing() == null);
            Console.WriteLine(o.Echo(null) == null);
            Console.WriteLine(o.Calls());
            return 0;
        }
        Console.Error.WriteLine("usage: MyAssembly.exe server <port> | client <port> | serve-until <file>");
        return 2;
    }
}
