// A JSON-RPC server over TCP with StreamJsonRpc; samples/rpc/jsonrpc_server.c is its C port.
//   JsonRpcServer [port [clients]]
// Port 0 (the default) lets the OS choose one; the server prints the endpoint it listens on (on
// 127.0.0.1 only), then serves `clients` clients (1), one after the other, each until it hangs up.
using System.Net;
using System.Net.Sockets;
using StreamJsonRpc;

int port = args.Length > 0 ? int.Parse(args[0]) : 0;
int clients = args.Length > 1 ? int.Parse(args[1]) : 1;

var listener = new TcpListener(IPAddress.Loopback, port);
listener.Start();
Console.WriteLine($".NET JSON-RPC server: listening on {listener.LocalEndpoint}");

for (int served = 0; served < clients; served++)
{
    using TcpClient client = await listener.AcceptTcpClientAsync();
    using var rpc = JsonRpc.Attach(client.GetStream(), new Calculator());
    await rpc.Completion; // until the client hangs up
}
listener.Stop();

public class Calculator
{
    public int Add(int a, int b)
    {
        Console.WriteLine($".NET JSON-RPC server: Add({a}, {b})");
        return a + b;
    }

    public string Greet(string name) => $"Hello, {name}!";
}
