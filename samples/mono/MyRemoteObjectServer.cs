// The server of the seed's Remoting lines (samples/rpc/remoting_client.c is their C port): a Mono
// TcpChannel publishing MyRemoteObject as "MyRemoteObjectName", bound to 127.0.0.1 only.
// Compiled with mcs into MyAssembly.exe (the assembly is part of the type's name,
// "MyRemoteObject, MyAssembly", which the client puts on the wire):
//   mcs -out:MyAssembly.exe -r:System.Runtime.Remoting.dll MyRemoteObjectServer.cs
//   mono MyAssembly.exe [port [calls]]
// Port 8085 by default (the seed's; 0 lets the OS choose); it prints the endpoint it listens on,
// and ends after `calls` calls of MyMethod (0, the default: never).
using System;
using System.Collections;
using System.Runtime.Remoting;
using System.Runtime.Remoting.Channels;
using System.Runtime.Remoting.Channels.Tcp;
using System.Threading;

public class MyRemoteObject : MarshalByRefObject
{
    public static readonly ManualResetEvent Done = new ManualResetEvent(false);
    public static int Calls;
    static int calls;

    public void MyMethod()
    {
        int n = Interlocked.Increment(ref calls);
        Console.WriteLine("Mono server: MyMethod() called (" + n + ")");
        if (Calls > 0 && n >= Calls)
            Done.Set();
    }

    // A well-known Singleton lives as long as the server, not 5 minutes.
    public override object InitializeLifetimeService() { return null; }
}

public static class MyRemoteObjectServer
{
    public static int Main(string[] args)
    {
        int port = args.Length > 0 ? int.Parse(args[0]) : 8085;
        MyRemoteObject.Calls = args.Length > 1 ? int.Parse(args[1]) : 0;
        // Loopback only: the binary formatter behind this channel must never face the network.
        IDictionary props = new Hashtable();
        props["port"] = port;
        props["bindTo"] = "127.0.0.1";
        TcpChannel channel = new TcpChannel(props, null, null);
        ChannelServices.RegisterChannel(channel, false);
        RemotingConfiguration.RegisterWellKnownServiceType(typeof(MyRemoteObject), "MyRemoteObjectName",
                                                           WellKnownObjectMode.Singleton);
        string uri = ((ChannelDataStore)channel.ChannelData).ChannelUris[0];
        Console.WriteLine("Mono server: listening on 127.0.0.1:" + uri.Substring(uri.LastIndexOf(':') + 1));
        MyRemoteObject.Done.WaitOne();
        Thread.Sleep(200); // the last call's reply is still on its way
        return 0;
    }
}
