// The seed's socket line grown into a TCP echo client: lines out through a NetworkStream with a
// StreamWriter, back through a StreamReader. Its C port is samples/sockets/socket_echo_client.c;
// either server may listen. Exits 0 when every line came back as it was sent.
//   SocketEchoClient port
using System.Net;
using System.Net.Sockets;

int port = int.Parse(args[0]);
string[] lines = ["Hello from the .NET client!", "안녕하세요 👋", "Ünïcödé, Ελληνικά, 日本語"];
using Socket socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
socket.Connect(IPAddress.Loopback, port);
using var stream = new NetworkStream(socket);
using var writer = new StreamWriter(stream) { AutoFlush = true };
using var reader = new StreamReader(stream);
int mismatches = 0;
foreach (string line in lines)
{
    writer.WriteLine(line);
    string? echo = reader.ReadLine();
    Console.WriteLine($".NET client: sent \"{line}\", got back \"{echo ?? "(end of stream)"}\"");
    if (echo != line)
        mismatches++;
}
socket.Shutdown(SocketShutdown.Send);
if (reader.ReadLine() != null)
    mismatches++;
Console.WriteLine($".NET client: {(mismatches != 0 ? "MISMATCH" : "every line came back")}");
return mismatches != 0 ? 1 : 0;
