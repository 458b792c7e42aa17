/*
 * The seed's named pipe client (samples/dotnet/PipeClient/Program.cs), line for line.
 * Its server may be samples/pipes/pipe_server.c or the .NET PipeServer.
 *   pipe_client [PipeName]
 */
#include <sharpipc.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "PipeName";

    /* using var client = new NamedPipeClientStream(".", "PipeName", PipeDirection.InOut); */
    NamedPipeClientStream *client = NamedPipeClientStream_new(".", name, PipeDirection_InOut);
    /* client.Connect(5000); */
    if (!NamedPipeClientStream_Connect(client, 5000)) {
        fprintf(stderr, "client: %s\n", Exception_get_Message(Exception_get_Current()));
        Dispose(client);
        return 1;
    }
    /* using var reader = new StreamReader(client); string data = reader.ReadLine(); */
    StreamReader *reader = StreamReader_new(client);
    char *data = StreamReader_ReadLine(reader);
    printf("C client received: %s\n", data ? data : "(end of stream)");
    /* using var writer = new StreamWriter(client) { AutoFlush = true }; */
    StreamWriter *writer = StreamWriter_new(client);
    StreamWriter_set_AutoFlush(writer, true);
    /* writer.WriteLine("Hello from client! 안녕하세요 👋"); */
    StreamWriter_WriteLine(writer, "Hello from the C client! 안녕하세요 👋");

    String_Free(data);
    Dispose(writer);
    Dispose(reader);
    Dispose(client);
    return 0;
}
