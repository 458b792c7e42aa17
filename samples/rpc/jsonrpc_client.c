/*
 * A JSON-RPC client over TCP, line for line samples/dotnet/JsonRpcClient/Program.cs (StreamJsonRpc):
 * its server may be samples/rpc/jsonrpc_server.c or the .NET JsonRpcServer.
 *   jsonrpc_client port
 * Calls Add(2, 3) and Greet("C") through the typed proxy and prints the answers; exits 0 when both
 * are right.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calculator.h"

/* JsonRpc.Attach<ICalculator>'s proxy: ICalculator_Add, ICalculator_Greet. */
SHARPIPC_JSONRPC_PROXY(ICalculator, ICalculator_MEMBERS)

static int fail(const char *what)
{
    const Exception *e = Exception_get_Current();
    fprintf(stderr, "C JSON-RPC client: %s: %s: %s\n", what, e ? Exception_get_TypeName(e) : "?",
            e ? Exception_get_Message(e) : "?");
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: jsonrpc_client port\n");
        return 2;
    }
    /* using var client = new TcpClient("localhost", port); */
    TcpClient *client = TcpClient_new("localhost", atoi(argv[1]));
    if (!client)
        return fail("connect");
    /* var calculator = JsonRpc.Attach<ICalculator>(client.GetStream()); */
    NetworkStream *stream = TcpClient_GetStream(client);
    ICalculator *calculator = stream ? (ICalculator *)JsonRpc_Attach((Stream *)stream) : NULL;
    if (!calculator)
        return fail("JsonRpc_Attach");

    /* int sum = await calculator.Add(2, 3); */
    int32_t sum = ICalculator_Add(calculator, 2, 3);
    if (sum == 0) /* 0: look at the exception */
        return fail("Add");
    printf("C JSON-RPC client: Add(2, 3) = %d\n", sum);
    /* string greeting = await calculator.Greet("C"); */
    char *greeting = ICalculator_Greet(calculator, "C");
    if (!greeting)
        return fail("Greet");
    printf("C JSON-RPC client: Greet(\"C\") = \"%s\"\n", greeting);

    int rc = sum == 5 && strcmp(greeting, "Hello, C!") == 0 ? 0 : 1;
    String_Free(greeting);
    Dispose(calculator);
    Dispose(stream);
    Dispose(client);
    return rc;
}
