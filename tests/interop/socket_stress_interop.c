/*
 * The heavy and the faulty socket cases between C and a real .NET process (SocketStressCases.cs is
 * the .NET end; run_socket_stress_interop.cmake runs each pair side by side, the C side under wine
 * in the mingw lane):
 *   socket_stress_interop many-server DIR   a C TcpListener serving 128 .NET clients at once
 *   socket_stress_interop many-client DIR   128 C clients (threads) at once against a .NET server
 *   socket_stress_interop bulk DIR          100 MiB to the .NET server and 100 MiB back, each with
 *                                           its FNV-1a checksum confirmed by the other side
 *   socket_stress_interop observe DIR MODE  what a client sees of a .NET server that misbehaves
 *                                           (MODE below), written to DIR/observed for the runner
 *                                           to compare with what a .NET client sees of the same
 *   socket_stress_interop child-kill DIR MODE
 *                                           a C child connected to a .NET server is killed
 *                                           mid-message (read: while .NET reads it, write: while
 *                                           .NET writes to it); the .NET side reports what it saw
 * Observe MODEs: read-kill (the server is SIGKILLed after half a message), write-kill (SIGKILLed
 * while the client writes), reset (linger 0 and close, once the client's first byte is in),
 * silent (connects, never sends: the client's timeouts), refused (the port is bound, nobody
 * listens).
 * A .NET server's port is in DIR/netport, a C server's goes to DIR/cport. Exits 0 when right.
 */
#include <sharpipc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp_process.h"

#define MANY_CLIENTS 128
#define MANY_CHUNK 4096
#define MANY_CHUNKS 16 /* 64 KiB each way per client, echoed a chunk at a time */
#define MANY_BYE 0xAC  /* sent once every client is connected: all 128 were open at once */

#define BULK_BYTES (100 * 1024 * 1024)
#define BULK_CHUNK (64 * 1024)
#define BULK_SEED_C 0x12345678u
#define BULK_SEED_NET 0x9E3779B9u

#define HALF_DECLARED (1024 * 1024) /* the killed message's declared length */
#define HALF_SENT 1000              /* what the sender wrote of it before it died */

static int failed(const char *what)
{
    const Exception *e = Exception_get_Current();
    if (e)
        printf("FAIL socket stress: %s (%s: %s)\n", what, Exception_get_TypeName(e), Exception_get_Message(e));
    else
        printf("FAIL socket stress: %s\n", what);
    fflush(stdout);
    return 1;
}

static void publish(const char *dir, const char *name, int32_t port)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    sp_port_file_write(path, port);
}

static int32_t wait_for_port(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/netport", dir);
    return sp_port_file_wait(path);
}

static TcpClient *connect_to_dotnet(const char *dir)
{
    int32_t port = wait_for_port(dir);
    return port < 0 ? NULL : TcpClient_new("127.0.0.1", port);
}

/* ---------------------------------------------------------------- 128 clients at once */

/* Byte k of client id's stream; SocketStressCases.Pattern is the same. */
static uint8_t pattern(int32_t id, int32_t k) { return (uint8_t)(id * 131 + k * 7 + (k >> 8)); }

/* The client's side: its id, then each chunk out and its echo back, every byte checked; then the
 * server's bye, which it sends only once all the clients are connected. */
static bool many_client_exchange(NetworkStream *s, int32_t id)
{
    uint8_t out[MANY_CHUNK], in[MANY_CHUNK];
    uint8_t hdr[4] = {(uint8_t)id, (uint8_t)(id >> 8), (uint8_t)(id >> 16), (uint8_t)(id >> 24)};
    if (!Stream_Write(s, hdr, 0, 4))
        return false;
    for (int32_t c = 0; c < MANY_CHUNKS; c++) {
        for (int32_t k = 0; k < MANY_CHUNK; k++)
            out[k] = pattern(id, c * MANY_CHUNK + k);
        if (!Stream_Write(s, out, 0, MANY_CHUNK) || !Stream_ReadExactly(s, in, 0, MANY_CHUNK))
            return false;
        if (memcmp(in, out, MANY_CHUNK) != 0) {
            printf("FAIL client %d: chunk %d came back changed\n", (int)id, (int)c);
            return false;
        }
    }
    return Stream_ReadExactly(s, in, 0, 1) && in[0] == MANY_BYE;
}

typedef struct many_server {
    atomic_int accepted;
    atomic_int served;
    atomic_bool seen[MANY_CLIENTS];
} many_server;

typedef struct many_conn {
    many_server *server;
    TcpClient *client;
    bool ok;
} many_conn;

/* The server's side of one connection: every byte checked against the client's pattern, echoed;
 * the bye waits until all the clients have been accepted. */
static void many_serve(void *p)
{
    many_conn *conn = p;
    NetworkStream *s = TcpClient_GetStream(conn->client);
    uint8_t hdr[4], buf[MANY_CHUNK];
    bool ok = s && Stream_ReadExactly(s, hdr, 0, 4);
    int32_t id = ok ? (int32_t)(hdr[0] | hdr[1] << 8 | hdr[2] << 16 | (uint32_t)hdr[3] << 24) : -1;
    if (ok && (id < 0 || id >= MANY_CLIENTS || atomic_exchange(&conn->server->seen[id], true))) {
        printf("FAIL server: client id %d unknown or seen twice\n", (int)id);
        ok = false;
    }
    for (int32_t c = 0; ok && c < MANY_CHUNKS; c++) {
        ok = Stream_ReadExactly(s, buf, 0, MANY_CHUNK);
        for (int32_t k = 0; ok && k < MANY_CHUNK; k++)
            if (buf[k] != pattern(id, c * MANY_CHUNK + k)) {
                printf("FAIL server: client %d byte %d\n", (int)id, (int)(c * MANY_CHUNK + k));
                ok = false;
            }
        ok = ok && Stream_Write(s, buf, 0, MANY_CHUNK);
    }
    while (ok && atomic_load(&conn->server->accepted) < MANY_CLIENTS)
        sp_sleep_ms(5);
    uint8_t bye = MANY_BYE;
    ok = ok && Stream_Write(s, &bye, 0, 1);
    if (!ok)
        failed("a connection of the C server");
    conn->ok = ok;
    if (ok)
        atomic_fetch_add(&conn->server->served, 1);
    Dispose(s);
}

static int many_server_main(const char *dir)
{
    /* Said as it happens: a CI run under wine once saw this side exit 1 with nothing printed and
     * no port published, which these lines will place (the program never ran, or where it stopped). */
    printf("--      C server: started\n");
    fflush(stdout);
    TcpListener *l = TcpListener_new(IPAddress_Loopback, 0);
    if (!l || !TcpListener_Start(l))
        return failed("listen");
    int32_t port = IPEndPoint_get_Port((IPEndPoint *)TcpListener_get_LocalEndpoint(l));
    publish(dir, "cport", port);
    printf("--      C server: listening on port %d\n", (int)port);
    fflush(stdout);
    static many_server server;
    static many_conn conns[MANY_CLIENTS];
    sp_thread *threads[MANY_CLIENTS];
    int n = 0;
    for (; n < MANY_CLIENTS; n++) {
        conns[n] = (many_conn){.server = &server, .client = TcpListener_AcceptTcpClient(l)};
        if (!conns[n].client) {
            failed("accept");
            break;
        }
        atomic_fetch_add(&server.accepted, 1);
        threads[n] = sp_thread_start(many_serve, &conns[n]);
    }
    if (n < MANY_CLIENTS) /* let the threads that wait for the rest go */
        atomic_store(&server.accepted, MANY_CLIENTS);
    for (int i = 0; i < n; i++) {
        sp_thread_join(threads[i]);
        Dispose(conns[i].client);
    }
    Dispose(l);
    int served = atomic_load(&server.served);
    if (served != MANY_CLIENTS) {
        printf("FAIL socket stress: the C server served %d of %d clients\n", served, MANY_CLIENTS);
        return 1;
    }
    printf("ok   C TcpListener, %d .NET clients at once: %d KiB each way per client, every byte checked\n",
           MANY_CLIENTS, MANY_CHUNK * MANY_CHUNKS / 1024);
    return 0;
}

typedef struct many_client {
    int32_t port;
    int32_t id;
    bool ok;
} many_client;

static void many_client_thread(void *p)
{
    many_client *c = p;
    TcpClient *client = TcpClient_new("127.0.0.1", c->port);
    NetworkStream *s = client ? TcpClient_GetStream(client) : NULL;
    c->ok = s && many_client_exchange(s, c->id);
    if (!c->ok)
        failed("a C client");
    Dispose(s);
    Dispose(client);
}

static int many_client_main(const char *dir)
{
    int32_t port = wait_for_port(dir);
    if (port < 0)
        return failed("the .NET server's port");
    static many_client clients[MANY_CLIENTS];
    sp_thread *threads[MANY_CLIENTS];
    for (int i = 0; i < MANY_CLIENTS; i++) {
        clients[i] = (many_client){.port = port, .id = i};
        threads[i] = sp_thread_start(many_client_thread, &clients[i]);
    }
    int good = 0;
    for (int i = 0; i < MANY_CLIENTS; i++) {
        sp_thread_join(threads[i]);
        good += clients[i].ok;
    }
    if (good != MANY_CLIENTS) {
        printf("FAIL socket stress: %d of %d C clients got their bytes back\n", good, MANY_CLIENTS);
        return 1;
    }
    printf("ok   .NET TcpListener, %d C clients (threads) at once: %d KiB each way per client, every byte checked\n",
           MANY_CLIENTS, MANY_CHUNK * MANY_CHUNKS / 1024);
    return 0;
}

/* ---------------------------------------------------------------- 100 MiB each way */

/* The bulk bytes: xorshift32 words, little-endian (SocketStressCases.Fill). */
static uint32_t fill(uint8_t *b, int32_t n, uint32_t x)
{
    for (int32_t i = 0; i < n; i += 4) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b[i] = (uint8_t)x, b[i + 1] = (uint8_t)(x >> 8), b[i + 2] = (uint8_t)(x >> 16), b[i + 3] = (uint8_t)(x >> 24);
    }
    return x;
}

static uint64_t fnv1a(uint64_t h, const uint8_t *b, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

#define FNV_OFFSET 0xcbf29ce484222325ull

static void put64(uint8_t *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *b)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static int bulk_main(const char *dir)
{
    TcpClient *client = connect_to_dotnet(dir);
    NetworkStream *s = client ? TcpClient_GetStream(client) : NULL;
    if (!s)
        return failed("connect to the .NET server");
    uint8_t *buf = malloc(BULK_CHUNK), *want = malloc(BULK_CHUNK), word[8];
    int rc = 0;
    /* C -> .NET: the bytes, then their checksum; .NET answers with the checksum it computed */
    uint32_t x = BULK_SEED_C;
    uint64_t sum = FNV_OFFSET;
    for (int32_t done = 0; !rc && done < BULK_BYTES; done += BULK_CHUNK) {
        x = fill(buf, BULK_CHUNK, x);
        sum = fnv1a(sum, buf, BULK_CHUNK);
        if (!Stream_Write(s, buf, 0, BULK_CHUNK))
            rc = failed("writing the 100 MiB");
    }
    put64(word, sum);
    if (!rc && !Stream_Write(s, word, 0, 8))
        rc = failed("writing the checksum");
    if (!rc && (!Stream_ReadExactly(s, word, 0, 8) || get64(word) != sum))
        rc = failed(".NET's checksum of C's 100 MiB");
    /* .NET -> C: every chunk compared with what it must be, the checksum sent back */
    x = BULK_SEED_NET;
    uint64_t got = FNV_OFFSET;
    for (int32_t done = 0; !rc && done < BULK_BYTES; done += BULK_CHUNK) {
        if (!Stream_ReadExactly(s, buf, 0, BULK_CHUNK)) {
            rc = failed("reading .NET's 100 MiB");
            break;
        }
        x = fill(want, BULK_CHUNK, x);
        if (memcmp(buf, want, BULK_CHUNK) != 0) {
            printf("FAIL socket stress: .NET's bytes differ in the chunk at %d\n", (int)done);
            rc = 1;
        }
        got = fnv1a(got, buf, BULK_CHUNK);
    }
    if (!rc && (!Stream_ReadExactly(s, word, 0, 8) || get64(word) != got))
        rc = failed("the checksum .NET sent with its 100 MiB");
    put64(word, got);
    if (!rc && !Stream_Write(s, word, 0, 8))
        rc = failed("sending C's checksum back");
    if (!rc && Stream_Read(s, word, 0, 1) != 0) /* .NET closes once it has checked it */
        rc = failed("the end after the checksums");
    free(buf);
    free(want);
    Dispose(s);
    Dispose(client);
    if (!rc)
        printf("ok   100 MiB C -> .NET and 100 MiB .NET -> C through NetworkStream, FNV-1a 0x%016llx / 0x%016llx "
               "confirmed by both\n",
               (unsigned long long)sum, (unsigned long long)got);
    return rc;
}

static void touch(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f)
        fclose(f);
}

/* ---------------------------------------------------------------- what a client sees */

/* One line as SocketStressCases.Describe writes it for .NET's exception: the type, the inner
 * exception's type, SocketErrorCode (of the SocketException, inner or not), NativeErrorCode, the
 * messages; the port replaced by PORT. */
static void describe(FILE *out, const char *step, int32_t port)
{
    const Exception *e = Exception_get_Current();
    if (!e) {
        fprintf(out, "%s: no exception\n", step);
        return;
    }
    const Exception *inner = Exception_get_InnerException(e);
    const Exception *se = Exception_get_Type(e) == ExceptionType_SocketException ? e : inner;
    char port_text[16], message[1024];
    snprintf(port_text, sizeof port_text, ":%d", (int)port);
    snprintf(message, sizeof message, "%s", Exception_get_Message(e));
    char *at = strstr(message, port_text);
    if (at) /* ":PORT" where the endpoint was */
        memmove(at + 5, at + strlen(port_text), strlen(at + strlen(port_text)) + 1), memcpy(at, ":PORT", 5);
    fprintf(out, "%s: %s|%s|%d|%d|%s|%s\n", step, Exception_get_TypeName(e),
            inner ? Exception_get_TypeName(inner) : "-", se ? (int)SocketException_get_SocketErrorCode(se) : 0,
            se ? (int)Exception_get_NativeErrorCode(se) : 0, message, inner ? Exception_get_Message(inner) : "-");
}

/* Reads the declared length, then the message until it is whole, the end, or an exception. */
static void observe_read(FILE *out, NetworkStream *s, int32_t port)
{
    uint8_t hdr[4];
    if (!Stream_ReadExactly(s, hdr, 0, 4)) {
        describe(out, "header", port);
        return;
    }
    int32_t declared = (int32_t)(hdr[0] | hdr[1] << 8 | hdr[2] << 16 | (uint32_t)hdr[3] << 24);
    uint8_t *buf = malloc(BULK_CHUNK);
    int32_t got = 0, n = 1;
    while (got < declared && (n = Stream_Read(s, buf, 0, BULK_CHUNK)) > 0)
        got += n;
    free(buf);
    if (n < 0)
        describe(out, "read", port);
    else
        fprintf(out, "read: end after %d of %d bytes\n", (int)got, (int)declared);
}

/* SocketStressCases.WriteUntilReset: the first part of a message, more than the server reads
 * before it dies; once the reset is there, the rest. */
static void observe_write(FILE *out, Socket *sock, NetworkStream *s, int32_t port)
{
    uint8_t *buf = calloc(1, BULK_CHUNK);
    bool ok = Stream_Write(s, buf, 0, BULK_CHUNK) && Stream_Write(s, buf, 0, 4096);
    if (ok)
        Socket_Poll(sock, 30000000, SelectMode_SelectRead);
    for (int i = 0; ok && i < 16384; i++) /* 1 GiB at most: the server is gone long before */
        ok = Stream_Write(s, buf, 0, BULK_CHUNK);
    free(buf);
    if (ok)
        fprintf(out, "write: 1 GiB written, no error\n");
    else
        describe(out, "write", port);
}

static int observe_main(const char *dir, const char *mode)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/observed", dir);
    FILE *out = fopen(path, "wb");
    if (!out)
        return failed("DIR/observed");
    int32_t port = wait_for_port(dir);
    if (port < 0)
        return failed("the .NET server's port");
    Socket *sock = Socket_new(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    if (!Socket_Connect(sock, IPAddress_Loopback, port)) {
        describe(out, "connect", port);
    } else {
        NetworkStream *s = NetworkStream_new(sock);
        if (!strcmp(mode, "write-kill")) {
            observe_write(out, sock, s, port);
        } else if (!strcmp(mode, "silent")) {
            uint8_t b[1];
            Socket_set_ReceiveTimeout(sock, 300);
            if (Socket_Receive(sock, b, 1) >= 0)
                fprintf(out, "Socket.Receive: returned\n");
            else
                describe(out, "Socket.Receive", port);
            fprintf(out, "Connected after the timeout: %s\n", Socket_get_Connected(sock) ? "True" : "False");
            Stream_set_ReadTimeout(s, 300);
            if (Stream_Read(s, b, 0, 1) >= 0)
                fprintf(out, "NetworkStream.Read: returned\n");
            else
                describe(out, "NetworkStream.Read", port);
        } else {
            uint8_t request = 1; /* the reset mode's server waits for it */
            if (!strcmp(mode, "reset") && !Stream_Write(s, &request, 0, 1))
                describe(out, "request", port);
            else
                observe_read(out, s, port);
        }
        Dispose(s);
    }
    Dispose(sock);
    fclose(out);
    touch(dir, "done"); /* the refused mode's server holds its port until now */
    printf("ok   C client of a .NET server (%s): observed, see %s\n", mode, path);
    return 0;
}

/* ---------------------------------------------------------------- a killed C child */


/* The child: half a message (read), or a full receive buffer left unread (write); then it says so
 * through DIR/half and waits to be killed. */
static int child_role(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    const char *dir = argv[0];
    TcpClient *client = connect_to_dotnet(dir);
    NetworkStream *s = client ? TcpClient_GetStream(client) : NULL;
    if (!s)
        return failed("the child's connect");
    uint8_t *buf = calloc(1, BULK_CHUNK);
    if (!strcmp(argv[1], "read")) {
        uint8_t hdr[4] = {(uint8_t)HALF_DECLARED, (uint8_t)(HALF_DECLARED >> 8), (uint8_t)(HALF_DECLARED >> 16), 0};
        if (!Stream_Write(s, hdr, 0, 4) || !Stream_Write(s, buf, 0, HALF_SENT))
            return failed("the child's half message");
    } else {
        if (!Stream_ReadExactly(s, buf, 0, BULK_CHUNK))
            return failed("the child's first read");
        while (Socket_get_Available(TcpClient_get_Client(client)) == 0) /* more is waiting, unread */
            sp_sleep_ms(1);
    }
    touch(dir, "half");
    for (;;)
        sp_sleep_ms(1000);
}

static int child_kill_main(const char *dir, const char *mode)
{
    const char *args[] = {dir, mode};
    sp_child *child = sp_child_start("socket-child", args, 2);
    if (!child)
        return failed("starting the C child");
    char path[1024];
    snprintf(path, sizeof path, "%s/half", dir);
    FILE *f = NULL;
    for (int i = 0; i < 1200 && !(f = fopen(path, "rb")); i++)
        sp_sleep_ms(50);
    if (!f) {
        sp_child_free(child);
        return failed("the child never got half way");
    }
    fclose(f);
    sp_child_kill(child);
    int code = sp_child_wait(child, 10000);
    sp_child_free(child);
    if (code != 137) {
        printf("FAIL socket stress: the killed child's exit code is %d, not 137\n", code);
        return 1;
    }
    printf("ok   a C child killed mid-message (%s) with .NET at the other end: exit code %d\n", mode, code);
    return 0;
}

int main(int argc, char **argv)
{
    static const char *const role_names[] = {"socket-child"};
    static const sp_child_role roles[] = {child_role};
    int child = sp_child_main(argc, argv, role_names, roles, 1);
    if (child >= 0)
        return child;
    /* Before anything else: run_socket_stress_interop.cmake tells by this file that the program
     * ran at all (an emulator that fails to start it is run again once). */
    if (argc >= 3) {
        char path[1024];
        snprintf(path, sizeof path, "%s/c-started", argv[2]);
        FILE *f = fopen(path, "wb");
        if (f)
            fclose(f);
    }
    int rc = 2;
    if (argc == 3 && !strcmp(argv[1], "many-server"))
        rc = many_server_main(argv[2]);
    else if (argc == 3 && !strcmp(argv[1], "many-client"))
        rc = many_client_main(argv[2]);
    else if (argc == 3 && !strcmp(argv[1], "bulk"))
        rc = bulk_main(argv[2]);
    else if (argc == 4 && !strcmp(argv[1], "observe"))
        rc = observe_main(argv[2], argv[3]);
    else if (argc == 4 && !strcmp(argv[1], "child-kill"))
        rc = child_kill_main(argv[2], argv[3]);
    else
        fprintf(stderr, "usage: socket_stress_interop many-server|many-client|bulk DIR\n"
                        "       socket_stress_interop observe|child-kill DIR MODE\n");
    fflush(stdout);
    return rc;
}
