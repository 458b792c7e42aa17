// The seed's named pipe client. Its C port is samples/pipes/pipe_client.c; either server may listen.
using System.IO.Pipes;

string name = args.Length > 0 ? args[0] : "PipeName";
using var client = new NamedPipeClientStream(".", name, PipeDirection.InOut);
client.Connect(5000);
using var reader = new StreamReader(client, leaveOpen: true);
string? data = reader.ReadLine();
Console.WriteLine($".NET client received: {data ?? "(end of stream)"}");
using var writer = new StreamWriter(client, leaveOpen: true) { AutoFlush = true };
writer.WriteLine("Hello from the .NET client! 안녕하세요 👋");
