// The .NET end of the pipe interop lane (tests/interop/pipe_interop.c is the C end). Both ends
// follow one protocol, in turns, so a StreamReader's read-ahead never swallows binary data:
//   1. the server writes a line; 2. the client answers with a line;
//   3. the server sends RecordCount BinaryWriter records (Records.cs); 4. the client sends them back, each checked;
//   5. the server writes "OK" and both close.
using System;
using System.IO;
using System.IO.Pipes;
using System.Text;

namespace SharpIpc.Peer;

internal static class PipeCases
{
    public const int RecordCount = 5000;
    public const string ServerLine = "Hello from the .NET server! 안녕하세요 👋🌍";
    public const string ClientLine = "Hello from the .NET client! 안녕하세요 👋🌍";
    public const string CServerLine = "Hello from the C server! 안녕하세요 👋🌍";
    public const string CClientLine = "Hello from the C client! 안녕하세요 👋🌍";

    private static PipeOptions Options(string options) => options switch
    {
        "none" => PipeOptions.None,
        "current-user-only" => PipeOptions.CurrentUserOnly,
        _ => throw new ArgumentException($"options must be none or current-user-only, not {options}"),
    };

    public static int Server(string name, string options)
    {
        using var server = new NamedPipeServerStream(name, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, Options(options));
        server.WaitForConnection();
        var writer = new StreamWriter(server, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
        writer.WriteLine(ServerLine);
        var reader = new StreamReader(server, leaveOpen: true);
        string? line = reader.ReadLine();
        Records.Check(line == CClientLine, $"client line: {line}");
        Records.Write(server, RecordCount);
        Records.Read(server, RecordCount);
        writer.WriteLine("OK");
        server.Flush();
        Console.WriteLine(".NET server: line, 5000 records each way, OK");
        return 0;
    }

    public static int Client(string name, string options)
    {
        using var client = new NamedPipeClientStream(".", name, PipeDirection.InOut, Options(options));
        client.Connect(30000);
        var reader = new StreamReader(client, leaveOpen: true);
        string? line = reader.ReadLine();
        Records.Check(line == CServerLine, $"server line: {line}");
        var writer = new StreamWriter(client, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
        writer.WriteLine(ClientLine);
        Records.Read(client, RecordCount);
        Records.Write(client, RecordCount);
        line = new StreamReader(client, leaveOpen: true).ReadLine();
        Records.Check(line == "OK", $"closing line: {line}");
        Console.WriteLine(".NET client: line, 5000 records each way, OK");
        return 0;
    }

    // The child of an anonymous pipe: echoes each line it reads, then the count.
    public static int AnonymousChild(string inHandle, string outHandle)
    {
        using var input = new AnonymousPipeClientStream(PipeDirection.In, inHandle);
        using var output = new AnonymousPipeClientStream(PipeDirection.Out, outHandle);
        using var reader = new StreamReader(input);
        using var writer = new StreamWriter(output) { NewLine = "\n" };
        int lines = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            writer.WriteLine(line);
            lines++;
        }
        writer.WriteLine(lines);
        return 0;
    }
}
