// The seed's named pipe server. Its C port is samples/pipes/pipe_server.c; either client may connect.
using System.IO.Pipes;

string name = args.Length > 0 ? args[0] : "PipeName";
using var server = new NamedPipeServerStream(name, PipeDirection.InOut);
Console.WriteLine($".NET server: waiting on pipe '{name}'");
server.WaitForConnection();
using var writer = new StreamWriter(server, leaveOpen: true);
writer.WriteLine("Hello from server!");
writer.Flush();
using var reader = new StreamReader(server, leaveOpen: true);
Console.WriteLine($".NET server received: {reader.ReadLine() ?? "(end of stream)"}");
