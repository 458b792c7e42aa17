/*
 * The seed's socket line grown into a TCP echo server (samples/dotnet/SocketEchoServer/Program.cs),
 * line for line. Its client may be samples/sockets/socket_echo_client.c or the .NET SocketEchoClient.
 *   socket_echo_server [port [clients]]
 * Port 0 (the default) lets the OS choose one; the server prints the endpoint it listens on, then
 * echoes each client's bytes back until that client shuts its side down, for `clients` clients (1).
 */
#include <sharpipc.h>
#include <stdio.h>
#include <stdlib.h>

static int fail(const char *what)
{
    const Exception *e = Exception_get_Current();
    fprintf(stderr, "C echo server: %s: %s: %s\n", what, e ? Exception_get_TypeName(e) : "?",
            e ? Exception_get_Message(e) : "?");
    return 1;
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 0;
    int clients = argc > 2 ? atoi(argv[2]) : 1;

    /* using Socket listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp); */
    Socket *listener = Socket_new(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    /* listener.Bind(new IPEndPoint(IPAddress.Loopback, port)); */
    IPEndPoint *endPoint = IPEndPoint_new(IPAddress_Loopback, port);
    if (!endPoint || !Socket_Bind(listener, endPoint))
        return fail("Bind");
    Dispose(endPoint);
    /* listener.Listen(); */
    if (!Socket_Listen(listener))
        return fail("Listen");
    /* Console.WriteLine($"... listening on {listener.LocalEndPoint}"); */
    EndPoint *local = Socket_get_LocalEndPoint(listener);
    char *localText = EndPoint_ToString(local);
    printf("C echo server: listening on %s\n", localText);
    fflush(stdout);
    String_Free(localText);
    Dispose(local);

    for (int served = 0; served < clients; served++) {
        /* using Socket handler = listener.Accept(); */
        Socket *handler = Socket_Accept(listener);
        if (!handler)
            return fail("Accept");
        /* byte[] buffer = new byte[1024]; */
        uint8_t buffer[1024];
        int32_t received;
        int64_t total = 0;
        /* while ((received = handler.Receive(buffer, SocketFlags.None)) > 0)
         *     handler.Send(buffer, 0, received, SocketFlags.None); */
        while ((received = Socket_Receive(handler, buffer, (int32_t)sizeof buffer, SocketFlags_None)) > 0) {
            if (Socket_Send(handler, buffer, 0, received, SocketFlags_None) < 0)
                break;
            total += received;
        }
        if (received < 0 || Exception_get_Current())
            fail("Receive/Send");
        /* Console.WriteLine($"... echoed {total} bytes to {handler.RemoteEndPoint}"); */
        EndPoint *remote = Socket_get_RemoteEndPoint(handler);
        char *remoteText = remote ? EndPoint_ToString(remote) : NULL;
        printf("C echo server: echoed %lld bytes to %s\n", (long long)total, remoteText ? remoteText : "?");
        fflush(stdout);
        String_Free(remoteText);
        Dispose(remote);
        /* handler.Shutdown(SocketShutdown.Both); */
        Socket_Shutdown(handler, SocketShutdown_Both);
        Dispose(handler);
    }
    Dispose(listener);
    return 0;
}
