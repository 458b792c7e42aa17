/*
 * Pipes between C and a real .NET process, in both roles, on the paths .NET itself chooses:
 *   pipe_interop DOTNET PEER_DLL
 * runs C server + .NET client, .NET server + C client (each plain and CurrentUserOnly), and a
 * .NET child over anonymous pipes. The protocol is PipeCases.cs's. Prints "N passed, M failed".
 */
#include <sharpipc.h>
#include <stdio.h>
#include <string.h>

#include "records.h"
#include "sp_process.h"

#define RECORDS 5000
#define SERVER_LINE ".NET server! 안녕하세요 👋🌍"
#define DOTNET_SERVER_LINE "Hello from the .NET server! 안녕하세요 👋🌍"
#define DOTNET_CLIENT_LINE "Hello from the .NET client! 안녕하세요 👋🌍"
#define C_SERVER_LINE "Hello from the C server! 안녕하세요 👋🌍"
#define C_CLIENT_LINE "Hello from the C client! 안녕하세요 👋🌍"

/* C is the server; .NET connects. */
static bool c_server(const char *options)
{
    char scenario[96];
    snprintf(scenario, sizeof scenario, "C server, .NET client (%s)", options);
    const char *name = sp_unique_name("sharpipc_interop");
    PipeOptions o = strcmp(options, "none") ? PipeOptions_CurrentUserOnly : PipeOptions_None;
    NamedPipeServerStream *server =
        NamedPipeServerStream_new(name, PipeDirection_InOut, 1, PipeTransmissionMode_Byte, o);
    if (!server)
        return interop_fail(scenario, "constructor"), interop_failed++, false;
    sp_child *child = interop_start_peer("pipe-client", name, options);
    bool ok = NamedPipeServerStream_WaitForConnection(server);
    StreamWriter *writer = StreamWriter_new(server, NULL, -1, true);
    StreamWriter_set_AutoFlush(writer, true);
    ok = ok && StreamWriter_WriteLine(writer, C_SERVER_LINE);
    StreamReader *reader = StreamReader_new(server, NULL, true, -1, true);
    char *line = ok ? StreamReader_ReadLine(reader) : NULL;
    if (ok && (!line || strcmp(line, DOTNET_CLIENT_LINE) != 0))
        ok = interop_fail(scenario, "the client's line");
    String_Free(line);
    if (ok && !interop_write_records((Stream *)server, RECORDS))
        ok = interop_fail(scenario, "sending records");
    if (ok && !interop_read_records((Stream *)server, RECORDS))
        ok = interop_fail(scenario, "records back");
    ok = ok && StreamWriter_WriteLine(writer, "OK");
    Dispose(reader);
    Dispose(writer);
    Dispose(server);
    return interop_finish(scenario, child, ok);
}

/* .NET is the server; C connects to the path .NET chose. */
static bool c_client(const char *options)
{
    char scenario[96];
    snprintf(scenario, sizeof scenario, ".NET server, C client (%s)", options);
    const char *name = sp_unique_name("sharpipc_interop");
    sp_child *child = interop_start_peer("pipe-server", name, options);
    PipeOptions o = strcmp(options, "none") ? PipeOptions_CurrentUserOnly : PipeOptions_None;
    NamedPipeClientStream *client = NamedPipeClientStream_new(".", name, PipeDirection_InOut, o);
    bool ok = NamedPipeClientStream_Connect(client, 30000);
    if (!ok)
        interop_fail(scenario, "connect");
    StreamReader *reader = StreamReader_new(client, NULL, true, -1, true);
    char *line = ok ? StreamReader_ReadLine(reader) : NULL;
    if (ok && (!line || strcmp(line, DOTNET_SERVER_LINE) != 0))
        ok = interop_fail(scenario, "the server's line");
    String_Free(line);
    StreamWriter *writer = StreamWriter_new(client, NULL, -1, true);
    StreamWriter_set_AutoFlush(writer, true);
    ok = ok && StreamWriter_WriteLine(writer, C_CLIENT_LINE);
    if (ok && !interop_read_records((Stream *)client, RECORDS))
        ok = interop_fail(scenario, "records");
    if (ok && !interop_write_records((Stream *)client, RECORDS))
        ok = interop_fail(scenario, "sending records back");
    StreamReader *closing = StreamReader_new(client, NULL, true, -1, true);
    line = ok ? StreamReader_ReadLine(closing) : NULL;
    if (ok && (!line || strcmp(line, "OK") != 0))
        ok = interop_fail(scenario, "the closing OK");
    String_Free(line);
    Dispose(closing);
    Dispose(reader);
    Dispose(writer);
    Dispose(client);
    return interop_finish(scenario, child, ok);
}

/* A .NET child started with two anonymous pipe handles on its command line. */
static bool anonymous_child(void)
{
    const char *scenario = "anonymous pipes to a .NET child";
    AnonymousPipeServerStream *to_child =
        AnonymousPipeServerStream_new(PipeDirection_Out, HandleInheritability_Inheritable);
    AnonymousPipeServerStream *from_child =
        AnonymousPipeServerStream_new(PipeDirection_In, HandleInheritability_Inheritable);
    char *h_in = AnonymousPipeServerStream_GetClientHandleAsString(to_child);
    char *h_out = AnonymousPipeServerStream_GetClientHandleAsString(from_child);
    sp_child *child = interop_start_peer("anon-child", h_in, h_out);
    AnonymousPipeServerStream_DisposeLocalCopyOfClientHandle(to_child);
    AnonymousPipeServerStream_DisposeLocalCopyOfClientHandle(from_child);
    StreamWriter *w = StreamWriter_new(to_child);
    const char *lines[] = {"first", C_CLIENT_LINE, "", "last"};
    for (int i = 0; i < 4; i++)
        StreamWriter_WriteLine(w, lines[i]);
    Dispose(w); /* the child sees the end of the stream */
    Dispose(to_child);
    StreamReader *r = StreamReader_new(from_child);
    bool ok = true;
    for (int i = 0; i < 5 && ok; i++) {
        char *line = StreamReader_ReadLine(r);
        const char *want = i < 4 ? lines[i] : "4";
        if (!line || strcmp(line, want) != 0)
            ok = interop_fail(scenario, want);
        String_Free(line);
    }
    Dispose(r);
    Dispose(from_child);
    String_Free(h_in);
    String_Free(h_out);
    return interop_finish(scenario, child, ok);
}

int main(int argc, char **argv)
{
    if (sp_child_main(argc, argv, NULL, NULL, 0) >= 0)
        return 99;
    if (argc != 3) {
        fprintf(stderr, "usage: pipe_interop DOTNET PEER_DLL\n");
        return 2;
    }
    interop_dotnet = argv[1];
    interop_peer = argv[2];
    c_server("none");
    c_client("none");
    c_server("current-user-only");
    c_client("current-user-only");
    anonymous_child();
    printf("%d passed, %d failed\n", interop_passed, interop_failed);
    return interop_failed ? 1 : 0;
}
