// The .NET peer of sharpipc's interop tests: a subcommand dispatcher. Each area of the library
// (System.IO adapters, pipes, memory-mapped files; sockets later) adds its subcommands to
// the table below and keeps its cases in its own file.
using System;
using System.Collections.Generic;

namespace SharpIpc.Peer;

internal static class Program
{
    private sealed record Command(string Args, string Help, Func<string[], int> Run);

    private static readonly SortedDictionary<string, Command> Commands = new(StringComparer.Ordinal)
    {
        ["binary-write"] = new("DIR", "write <case>.bin (.NET BinaryWriter) and <case>.ops for every binary case",
            a => BinaryCases.WriteAll(a[0])),
        ["binary-verify"] = new("DIR", "check every <case>.c.bin written by C against .NET's BinaryReader and bytes",
            a => BinaryCases.VerifyAll(a[0])),
        ["text-write"] = new("DIR", "write StreamWriter cases (<case>.txt, <case>.ops) and StreamReader cases (<case>.rd, <case>.rdops)",
            a => TextCases.WriteAll(a[0])),
        ["text-verify"] = new("DIR", "check every <case>.c.txt written by C against .NET's bytes and StreamReader",
            a => TextCases.VerifyAll(a[0])),
        ["pipe-server"] = new("NAME OPTIONS", "serve one C client on NamedPipeServerStream NAME (OPTIONS: none or current-user-only)",
            a => PipeCases.Server(a[0], a[1])),
        ["pipe-client"] = new("NAME OPTIONS", "connect to a C NamedPipeServerStream NAME and run the exchange",
            a => PipeCases.Client(a[0], a[1])),
        ["anon-child"] = new("IN OUT", "echo the lines of anonymous pipe handle IN to handle OUT, then their count",
            a => PipeCases.AnonymousChild(a[0], a[1])),
        ["mmf-file-write"] = new("PATH", "create the file map PATH and write BinaryWriter records through a view stream",
            a => MmfCases.FileWrite(a[0])),
        ["mmf-file-read"] = new("PATH", "map the file PATH that C holds mapped, check its records and answer in it",
            a => MmfCases.FileRead(a[0])),
        ["mmf-shm-read"] = new("NAME", "map C's named map /dev/shm/NAME, read the seed's string and answer",
            a => MmfCases.ShmRead(a[0])),
        ["mmf-shm-create"] = new("NAME READY", "create /dev/shm/NAME as a file map, touch READY, wait for C's answer",
            a => MmfCases.ShmCreate(a[0], a[1])),
        ["mmf-layout-write"] = new("DIR", "write DIR/layout.net.bin with a view accessor (every type) and DIR/layout.ops",
            a => MmfCases.LayoutWrite(a[0])),
        ["net-ipaddress"] = new("DIR", "IPAddress/IPEndPoint.TryParse and ToString of every string in DIR/net-inputs.txt, into DIR/net-dotnet.txt",
            a => NetCases.IPAddressTable(a[0])),
        ["tcp-server"] = new("DIR FAMILY", "serve one C client over TCP (FAMILY v4, v6 or dual) through NetworkStream; the port goes to DIR/netport",
            a => SocketCases.Server(a[0], a[1])),
        ["tcp-client"] = new("DIR FAMILY", "connect to the C server whose port is in DIR/cport and run the exchange",
            a => SocketCases.Client(a[0], a[1])),
        ["udp-echo"] = new("DIR FAMILY", "answer each UDP datagram of the C socket whose port is in DIR/cport, reversed; the port goes to DIR/netport",
            a => SocketCases.Udp(a[0], a[1])),
        ["udpclient-echo"] = new("DIR FAMILY", "a UdpClient answering each datagram of the C UdpClient whose port is in DIR/cport, reversed; its port goes to DIR/netport",
            a => UdpClientCases.Echo(a[0], a[1])),
        ["udpclient-send"] = new("DIR FAMILY", "a UdpClient connected to the C UdpClient of DIR/cport, sending datagrams and checking the reversed answers",
            a => UdpClientCases.Send(a[0], a[1])),
        ["net-dns"] = new("DIR", "Dns.GetHostAddresses/GetHostEntry of every name in DIR/dns-inputs.txt, into DIR/dns-dotnet.txt",
            a => NetCases.Dns(a[0])),
        ["mmf-layout-verify"] = new("DIR", "read DIR/layout.c.bin (C's accessor writes) with .NET's accessor; compare bytes",
            a => MmfCases.LayoutVerify(a[0])),
        ["tcp-many-server"] = new("DIR", "serve 128 C clients at once (a distinct pattern each, echoed and checked); the port goes to DIR/netport",
            a => SocketStressCases.ManyServer(a[0])),
        ["tcp-many-client"] = new("DIR", "128 clients at once against the C server whose port is in DIR/cport, every byte checked",
            a => SocketStressCases.ManyClient(a[0])),
        ["tcp-bulk-server"] = new("DIR", "take 100 MiB from a C client and send 100 MiB back, each with its checksum confirmed",
            a => SocketStressCases.BulkServer(a[0])),
        ["tcp-fault-server"] = new("DIR MODE", "a server that misbehaves (read-kill, write-kill, reset, silent, refused) for one client",
            a => SocketStressCases.FaultServer(a[0], a[1])),
        ["tcp-fault-observe"] = new("DIR MODE", "a client of tcp-fault-server; what it sees goes to DIR/observed",
            a => SocketStressCases.Observe(a[0], a[1])),
        ["tcp-kill-watch"] = new("DIR MODE", "serve a C child that is killed while .NET reads (read) or writes (write); exit 0 if .NET saw the end or a reset",
            a => SocketStressCases.KillWatch(a[0], a[1])),
    };

    private static int Main(string[] args)
    {
        if (args.Length == 0 || !Commands.TryGetValue(args[0], out Command? command))
        {
            Usage(args.Length == 0 ? null : args[0]);
            return 2;
        }
        string[] rest = args[1..];
        int wanted = command.Args.Length == 0 ? 0 : command.Args.Split(' ').Length;
        if (rest.Length != wanted)
        {
            Console.Error.WriteLine($"usage: Peer {args[0]} {command.Args}");
            return 2;
        }
        try
        {
            return command.Run(rest);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{args[0]}: {e}");
            return 3;
        }
    }

    private static void Usage(string? unknown)
    {
        if (unknown is not null)
            Console.Error.WriteLine($"unknown subcommand '{unknown}'");
        Console.Error.WriteLine("usage: Peer SUBCOMMAND ARGS...");
        foreach ((string name, Command c) in Commands)
            Console.Error.WriteLine($"  {name} {c.Args}\n      {c.Help}");
    }
}
