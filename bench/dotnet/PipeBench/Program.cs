// The .NET roles of bench/pipe_bench.c, on NamedPipeServerStream / NamedPipeClientStream:
//   PipeBench server NAME
//   PipeBench client NAME OUTFILE FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK SIZE:ITERS...
// The wire protocol and the result lines are pipe_bench.c's (see the comment at its top), spoken
// by ../Common/EchoHarness.cs, which SocketBench shares.
using System;
using System.IO.Pipes;
using SharpIpc.Bench;

namespace SharpIpc.PipeBench;

internal static class Program
{
    private static int Main(string[] args) => EchoHarness.Run("PipeBench", () =>
    {
        if (args.Length == 2 && args[0] == "server")
            return Server(args[1]);
        if (args.Length >= 7 && args[0] == "client")
            return Client(args);
        Console.Error.WriteLine("usage: PipeBench server NAME | client NAME OUTFILE FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK SIZE:ITERS...");
        return 2;
    });

    private static int Server(string name)
    {
        using var server = new NamedPipeServerStream(name, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.None);
        server.WaitForConnection();
        EchoHarness.Serve(new StreamConn(server), null);
        return 0;
    }

    private static int Client(string[] args)
    {
        using var client = new NamedPipeClientStream(".", args[1], PipeDirection.InOut, PipeOptions.None);
        client.Connect(30000);
        return EchoHarness.Client(new StreamConn(client), args, 2, 0, null, 0);
    }
}
