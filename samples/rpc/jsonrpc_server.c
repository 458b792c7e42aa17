/*
 * A JSON-RPC server over TCP, line for line samples/dotnet/JsonRpcServer/Program.cs (StreamJsonRpc):
 * its clients may be samples/rpc/jsonrpc_client.c or the .NET JsonRpcClient.
 *   jsonrpc_server [port [clients]]
 * Port 0 (the default) lets the OS choose one; the server prints the endpoint it listens on (on
 * 127.0.0.1 only), then serves `clients` clients (1), one after the other, each until it hangs up.
 */
#include <stdio.h>
#include <stdlib.h>

#include "calculator.h"

/* public class Calculator { ... }: SHARPIPC_JSONRPC_TARGET declares the functions, defined here. */
SHARPIPC_JSONRPC_TARGET(Calculator, ICalculator_MEMBERS);

int32_t Calculator_Add(void *self, int32_t a, int32_t b)
{
    (void)self;
    printf("C JSON-RPC server: Add(%d, %d)\n", a, b);
    fflush(stdout);
    return a + b;
}

char *Calculator_Greet(void *self, const char *name)
{
    (void)self;
    /* $"Hello, {name}!": a string sharpipc frees once it has sent it */
    char *hello = String_Concat("Hello, ", name);
    char *greeting = String_Concat(hello, "!");
    String_Free(hello);
    return greeting;
}

static int fail(const char *what)
{
    const Exception *e = Exception_get_Current();
    fprintf(stderr, "C JSON-RPC server: %s: %s: %s\n", what, e ? Exception_get_TypeName(e) : "?",
            e ? Exception_get_Message(e) : "?");
    return 1;
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 0;
    int clients = argc > 2 ? atoi(argv[2]) : 1;

    /* var listener = new TcpListener(IPAddress.Loopback, port); listener.Start(); */
    TcpListener *listener = TcpListener_new(IPAddress_Loopback, port);
    if (!listener || !TcpListener_Start(listener))
        return fail("Start");
    /* Console.WriteLine($"... listening on {listener.LocalEndpoint}"); */
    char *localText = EndPoint_ToString(TcpListener_get_LocalEndpoint(listener));
    printf("C JSON-RPC server: listening on %s\n", localText);
    fflush(stdout);
    String_Free(localText);

    for (int served = 0; served < clients; served++) {
        /* using TcpClient client = await listener.AcceptTcpClientAsync(); */
        TcpClient *client = TcpListener_AcceptTcpClient(listener);
        if (!client)
            return fail("AcceptTcpClient");
        /* using var rpc = JsonRpc.Attach(client.GetStream(), new Calculator()); */
        NetworkStream *stream = TcpClient_GetStream(client);
        JsonRpc *rpc = stream ? JsonRpc_new((Stream *)stream) : NULL;
        if (!rpc || !JsonRpc_AddLocalRpcTarget(rpc, &Calculator_Target, NULL) || !JsonRpc_StartListening(rpc))
            return fail("JsonRpc");
        /* await rpc.Completion;  (until the client hangs up) */
        WaitHandle_WaitOne(JsonRpc_get_Completion(rpc));
        Dispose(rpc);
        Dispose(stream);
        Dispose(client);
    }
    TcpListener_Stop(listener);
    Dispose(listener);
    return 0;
}
