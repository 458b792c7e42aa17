// The .NET end of the pipe interop lane (tests/interop/pipe_interop.c is the C end). Both ends
// follow one protocol, in turns, so a StreamReader's read-ahead never swallows binary data:
//   1. the server writes a line; 2. the client answers with a line;
//   3. the server sends Records BinaryWriter records; 4. the client sends them back, each checked;
//   5. the server writes "OK" and both close.
using System;
using System.IO;
using System.IO.Pipes;
using System.Text;

namespace SharpIpc.Peer;

internal static class PipeCases
{
    public const int Records = 5000;
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

    private static string RecordText(int i) => i % 7 == 0 ? $"record {i} 안녕 👋" : $"record {i}";

    private static void WriteRecords(Stream s)
    {
        using var w = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);
        for (int i = 0; i < Records; i++)
        {
            w.Write(i);
            w.Write(RecordText(i));
            w.Write(i * 0.5);
            w.Write((decimal)i / 100);
        }
    }

    private static void ReadRecords(Stream s)
    {
        using var r = new BinaryReader(s, Encoding.UTF8, leaveOpen: true);
        for (int i = 0; i < Records; i++)
        {
            Check(r.ReadInt32() == i, $"record {i}: int");
            Check(r.ReadString() == RecordText(i), $"record {i}: string");
            Check(r.ReadDouble() == i * 0.5, $"record {i}: double");
            Check(r.ReadDecimal() == (decimal)i / 100, $"record {i}: decimal");
        }
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
            throw new InvalidDataException($"mismatch: {what}");
    }

    public static int Server(string name, string options)
    {
        using var server = new NamedPipeServerStream(name, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, Options(options));
        server.WaitForConnection();
        var writer = new StreamWriter(server, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
        writer.WriteLine(ServerLine);
        var reader = new StreamReader(server, leaveOpen: true);
        string? line = reader.ReadLine();
        Check(line == CClientLine, $"client line: {line}");
        WriteRecords(server);
        ReadRecords(server);
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
        Check(line == CServerLine, $"server line: {line}");
        var writer = new StreamWriter(client, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
        writer.WriteLine(ClientLine);
        ReadRecords(client);
        WriteRecords(client);
        line = new StreamReader(client, leaveOpen: true).ReadLine();
        Check(line == "OK", $"closing line: {line}");
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
