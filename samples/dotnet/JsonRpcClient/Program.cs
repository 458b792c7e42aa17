// A JSON-RPC client over TCP with StreamJsonRpc; samples/rpc/jsonrpc_client.c is its C port.
//   JsonRpcClient port
// Calls Add(2, 3) and Greet(".NET") through a proxy of ICalculator and prints the answers; exits 0
// when both are right.
using System.Net.Sockets;
using StreamJsonRpc;

using var client = new TcpClient("localhost", int.Parse(args[0]));
var calculator = JsonRpc.Attach<ICalculator>(client.GetStream());

int sum = await calculator.Add(2, 3);
Console.WriteLine($".NET JSON-RPC client: Add(2, 3) = {sum}");
string greeting = await calculator.Greet(".NET");
Console.WriteLine($".NET JSON-RPC client: Greet(\".NET\") = \"{greeting}\"");

((IDisposable)calculator).Dispose();
return sum == 5 && greeting == "Hello, .NET!" ? 0 : 1;

// The proxy sends each method's name as declared, so these are the server's names ("AddAsync"
// would be sent as "AddAsync").
public interface ICalculator
{
    Task<int> Add(int a, int b);
    Task<string> Greet(string name);
}
