/*
 * The seed's socket line grown into a TCP echo client (samples/dotnet/SocketEchoClient/Program.cs),
 * line for line: lines go out through a NetworkStream with a StreamWriter and come back through a
 * StreamReader. Its server may be samples/sockets/socket_echo_server.c or the .NET SocketEchoServer.
 *   socket_echo_client port
 * Exits 0 when every line came back as it was sent.
 */
#include <sharpipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: socket_echo_client port\n");
        return 2;
    }
    int port = atoi(argv[1]);
    static const char *const lines[] = {"Hello from the C client!", "안녕하세요 👋", "Ünïcödé, Ελληνικά, 日本語"};

    /* using Socket socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp); */
    Socket *socket = Socket_new(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    /* socket.Connect(IPAddress.Loopback, port); */
    if (!Socket_Connect(socket, IPAddress_Loopback, port)) {
        const Exception *e = Exception_get_Current();
        fprintf(stderr, "C client: Connect: %s (SocketError %d)\n", Exception_get_Message(e),
                (int)SocketException_get_SocketErrorCode(e));
        Dispose(socket);
        return 1;
    }
    /* using var stream = new NetworkStream(socket); */
    NetworkStream *stream = NetworkStream_new(socket);
    /* using var writer = new StreamWriter(stream) { AutoFlush = true }; */
    StreamWriter *writer = StreamWriter_new(stream);
    StreamWriter_set_AutoFlush(writer, true);
    /* using var reader = new StreamReader(stream); */
    StreamReader *reader = StreamReader_new(stream);

    int mismatches = 0;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        /* writer.WriteLine(line); string? echo = reader.ReadLine(); */
        StreamWriter_WriteLine(writer, lines[i]);
        char *echo = StreamReader_ReadLine(reader);
        printf("C client: sent \"%s\", got back \"%s\"\n", lines[i], echo ? echo : "(end of stream)");
        if (!echo || strcmp(echo, lines[i]) != 0)
            mismatches++;
        String_Free(echo);
    }
    /* socket.Shutdown(SocketShutdown.Send): the server sees the end and closes its side. */
    Socket_Shutdown(socket, SocketShutdown_Send);
    char *rest = StreamReader_ReadLine(reader);
    if (rest) {
        mismatches++;
        String_Free(rest);
    }
    printf("C client: %s\n", mismatches ? "MISMATCH" : "every line came back");

    Dispose(reader);
    Dispose(writer);
    Dispose(stream);
    Dispose(socket);
    return mismatches ? 1 : 0;
}
