// The .NET peer of sharpipc's interop tests: a subcommand dispatcher. Each area of the library
// (System.IO adapters now; pipes, sockets and memory-mapped files later) adds its subcommands to
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
