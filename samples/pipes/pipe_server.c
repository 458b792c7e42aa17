/*
 * The seed's named pipe server (samples/dotnet/PipeServer/Program.cs), line for line.
 * Its client may be samples/pipes/pipe_client.c or the .NET PipeClient.
 *   pipe_server [PipeName]
 */
#include <sharpipc.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "PipeName";

    /* using var server = new NamedPipeServerStream("PipeName", PipeDirection.InOut); */
    NamedPipeServerStream *server = NamedPipeServerStream_new(name, PipeDirection_InOut);
    if (!server) {
        fprintf(stderr, "server: %s\n", Exception_get_Message(Exception_get_Current()));
        return 1;
    }
    printf("C server: waiting on pipe '%s'\n", name);
    fflush(stdout);
    /* server.WaitForConnection(); */
    NamedPipeServerStream_WaitForConnection(server);
    /* using var writer = new StreamWriter(server); */
    StreamWriter *writer = StreamWriter_new(server);
    /* writer.WriteLine("Hello from server!"); writer.Flush(); */
    StreamWriter_WriteLine(writer, "Hello from server!");
    StreamWriter_Flush(writer);
    /* using var reader = new StreamReader(server); Console.WriteLine(reader.ReadLine()); */
    StreamReader *reader = StreamReader_new(server);
    char *reply = StreamReader_ReadLine(reader);
    printf("C server received: %s\n", reply ? reply : "(end of stream)");
    String_Free(reply);

    Dispose(reader);
    Dispose(writer);
    Dispose(server);
    return 0;
}
