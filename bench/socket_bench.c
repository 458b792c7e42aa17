/*
 * Socket benchmark: TCP loopback round-trip latency and one-way throughput, and UDP datagram
 * round trips, server and client in separate processes, for these implementations of the ends:
 *   raw   BSD sockets: socket/bind/listen/accept4/connect, send(MSG_NOSIGNAL)/recv, sendto/recvfrom
 *   sp    sharpipc Socket: Socket_Send / Socket_Receive (a loop for read-exactly), SendTo / ReceiveFrom
 *   ns    sharpipc NetworkStream over that Socket: Stream_Write / Stream_ReadExactly / Stream_Read
 *   .NET  bench/dotnet/SocketBench, Socket or NetworkStream (the same roles, protocol and output)
 * combined as raw<->raw, sp<->sp, ns<->ns, .NET Socket<->.NET Socket, .NET NetworkStream<->.NET
 * NetworkStream, C (sp) client->.NET (Socket) server and .NET (Socket) client->C (sp) server.
 * Every TCP socket has NoDelay (TCP_NODELAY) set, on every side: a 64 KiB write is one full
 * segment and a short tail, and Nagle would hold the tail for the peer's (delayed) ACK.
 *
 *   socket_bench [--dotnet SocketBench.dll] [--rounds N] [--first-warm-ms N] [--warm-ms N]
 *                [--iters N,N,N,N] [--udp-iters N] [--tput-mib N]
 *                [--only raw,sp,ns,dn,dnns,c2dn,dn2c] [--verbose] [--calls-only]
 * runs everything and prints one table (see bench/README.md). Without --dotnet the .NET columns
 * are skipped. Each round runs every variant once (a fresh server and client process each), in
 * an order rotated per round; a cell is the median over the rounds, a ratio the median of the
 * per-round ratios. Below the table: the spread of those ratios, and the CPU cost of the calls
 * alone (both ends in the driver's thread, raw against sharpipc, nothing blocking); --calls-only
 * runs only that.
 * The roles it starts (itself again, through sp_child_start) are:
 *   socket_bench --child server <raw|sp|ns> PORTFILE
 *   socket_bench --child client <raw|sp|ns> PORTFILE OUTFILE FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK
 *                SIZE:ITERS... [uSIZE:ITERS...]
 * The server listens on 127.0.0.1 port 0 (TCP) and binds 127.0.0.1 port 0 (UDP), then writes
 * "TCP_PORT UDP_PORT\n" to PORTFILE (written aside and renamed into place); the client waits for
 * that file, then connects.
 *
 * The wire protocol (SocketBench's Program.cs speaks it too) is pipe_bench.c's, over the TCP
 * connection, plus one phase: each phase starts with a 24-byte header of three little-endian int64
 * {kind, a, b}:
 *   kind 1 ECHO {size, count}:  count times: the client writes size bytes, the server reads exactly
 *                               size bytes and writes them back, the client reads exactly size.
 *   kind 2 SINK {total, chunk}: the client writes total bytes in chunk-sized writes; the server
 *                               reads (64 KiB reads) until it has total, then writes one byte.
 *                               An untimed 64 MiB SINK warms up before the timed one.
 *   kind 3 UDP {size, count}:   count times: the client sends a size-byte datagram to the server's
 *                               UDP port, the server receives it and sends it back to its sender.
 *   kind 0 END:                 both close.
 * The client times each measured round trip (CLOCK_MONOTONIC around write + read) and, for SINK,
 * from its first write to the server's one-byte answer. Results go to OUTFILE, one line each:
 *   lat SIZE ITERS MEDIAN_NS P99_NS MEAN_NS MIN_NS
 *   udp SIZE ITERS MEDIAN_NS P99_NS MEAN_NS MIN_NS
 *   tput TOTAL CHUNK ELAPSED_NS
 */
#define _GNU_SOURCE /* accept4, SOCK_CLOEXEC */
#include <sharpipc.h>

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench_common.h"

#define KIND_UDP 3
#define MAX_UDP 65507

/* ================================================================ the three C implementations */

typedef enum impl { IMPL_RAW, IMPL_SP, IMPL_NS } impl;

typedef struct conn {
    impl kind;
    int fd;                   /* raw: the TCP connection */
    int ufd;                  /* raw: the UDP socket */
    struct sockaddr_in upeer; /* raw client: the server's UDP address */
    Socket *sock;             /* sharpipc: the TCP connection */
    Stream *stream;           /* ns: the NetworkStream over sock */
    Socket *usock;            /* sharpipc: the UDP socket */
    EndPoint *uremote;        /* sharpipc client: the server's UDP endpoint */
} conn;

/* (The raw helpers, bc_raw_read_exactly and bc_raw_write_all in bench_common.c, and the two sp_
 * helpers are never inlined, alike, so that callgrind's --toggle-collect can name them: see
 * bench/README.md.) */

/* What a .NET program writes for read-exactly over a Socket: Receive until the count is there. */
static __attribute__((noinline)) bool sp_receive_exactly(Socket *s, void *buffer, int32_t count)
{
    uint8_t *p = buffer;
    while (count > 0) {
        int32_t n = Socket_ReceiveSpan(s, p, count, SocketFlags_None);
        if (n <= 0) {
            if (n == 0)
                errno = EPIPE;
            return false;
        }
        p += n;
        count -= n;
    }
    return true;
}

/* A blocking stream Socket's Send sends everything (as .NET's does), so this loops only in theory. */
static __attribute__((noinline)) bool sp_send_all(Socket *s, const void *buffer, int32_t count)
{
    const uint8_t *p = buffer;
    while (count > 0) {
        int32_t n = Socket_SendSpan(s, p, count, SocketFlags_None);
        if (n < 0)
            return false;
        p += n;
        count -= n;
    }
    return true;
}

/* The per-implementation calls, inlined into each loop: the branch on c->kind is the same for
 * every iteration, so it costs the raw loop nothing measurable. */
static inline __attribute__((always_inline)) bool c_read_exactly(conn *c, void *buffer, int32_t count)
{
    if (c->kind == IMPL_RAW)
        return bc_raw_read_exactly(c->fd, buffer, count);
    if (c->kind == IMPL_SP)
        return sp_receive_exactly(c->sock, buffer, count);
    return Stream_ReadExactly(c->stream, buffer, 0, count);
}

static inline __attribute__((always_inline)) int32_t c_read_some(conn *c, void *buffer, int32_t count)
{
    if (c->kind == IMPL_RAW) {
        for (;;) {
            ssize_t n = recv(c->fd, buffer, (size_t)count, 0);
            if (n >= 0 || errno != EINTR)
                return (int32_t)n;
        }
    }
    if (c->kind == IMPL_SP)
        return Socket_ReceiveSpan(c->sock, buffer, count, SocketFlags_None);
    return Stream_Read(c->stream, buffer, 0, count);
}

static inline __attribute__((always_inline)) bool c_write(conn *c, const void *buffer, int32_t count)
{
    if (c->kind == IMPL_RAW)
        return bc_raw_write_all(c->fd, buffer, count);
    if (c->kind == IMPL_SP)
        return sp_send_all(c->sock, buffer, count);
    return Stream_Write(c->stream, buffer, 0, count);
}

static void raw_nodelay(int fd)
{
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
        bc_die("raw: TCP_NODELAY");
}

static int raw_port(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        bc_die("raw: getsockname");
    return ntohs(a.sin_port);
}

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int raw_listener(void)
{
    struct sockaddr_in a = loopback(0);
    int one = 1;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 1) != 0)
        bc_die("raw: socket/bind/listen");
    return lfd;
}

static conn server_open(impl kind, const char *portfile)
{
    conn c = {.kind = kind, .fd = -1, .ufd = -1};
    if (kind == IMPL_RAW) {
        int lfd = raw_listener();
        struct sockaddr_in ua = loopback(0);
        c.ufd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (c.ufd < 0 || bind(c.ufd, (struct sockaddr *)&ua, sizeof ua) != 0)
            bc_die("raw server: udp bind");
        bc_write_port_file(portfile, raw_port(lfd), raw_port(c.ufd));
        c.fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (c.fd < 0)
            bc_die("raw server: accept");
        raw_nodelay(c.fd);
        close(lfd);
    } else {
        Socket *l = bc_sp_tcp_listener();
        c.usock = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
        IPEndPoint *uep = c.usock ? IPEndPoint_new(IPAddress_Loopback, 0) : NULL;
        if (!uep || !(Socket_Bind)(c.usock, (EndPoint *)uep))
            bc_die("sharpipc server: udp bind");
        Dispose(uep);
        bc_write_port_file(portfile, bc_sp_port(l), bc_sp_port(c.usock));
        c.sock = Socket_Accept(l);
        if (!c.sock)
            bc_die("sharpipc server: Accept");
        if (!Socket_set_NoDelay(c.sock, true))
            bc_die("sharpipc server: NoDelay");
        Dispose(l);
        if (kind == IMPL_NS) {
            c.stream = (Stream *)(NetworkStream_new)(c.sock, FileAccess_ReadWrite, true);
            if (!c.stream)
                bc_die("sharpipc server: NetworkStream");
        }
    }
    return c;
}

static conn client_open(impl kind, const char *portfile)
{
    conn c = {.kind = kind, .fd = -1, .ufd = -1};
    int tcp, udp;
    bc_read_port_file(portfile, &tcp, &udp);
    if (kind == IMPL_RAW) {
        struct sockaddr_in a = loopback(tcp);
        c.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (c.fd < 0 || connect(c.fd, (struct sockaddr *)&a, sizeof a) != 0)
            bc_die("raw client: connect");
        raw_nodelay(c.fd);
        c.ufd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (c.ufd < 0)
            bc_die("raw client: udp socket");
        c.upeer = loopback(udp);
    } else {
        c.sock = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
        if (!c.sock || !Socket_ConnectAddress(c.sock, IPAddress_Loopback, tcp) || !Socket_set_NoDelay(c.sock, true))
            bc_die("sharpipc client: Connect");
        if (kind == IMPL_NS) {
            c.stream = (Stream *)(NetworkStream_new)(c.sock, FileAccess_ReadWrite, true);
            if (!c.stream)
                bc_die("sharpipc client: NetworkStream");
        }
        c.usock = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
        c.uremote = (EndPoint *)IPEndPoint_new(IPAddress_Loopback, udp);
        if (!c.usock || !c.uremote)
            bc_die("sharpipc client: udp socket");
        /* a lost datagram ends the run instead of hanging it */
        if (!Socket_set_ReceiveTimeout(c.usock, 10000))
            bc_die("sharpipc client: ReceiveTimeout");
    }
    return c;
}

static void conn_close(conn *c)
{
    if (c->kind == IMPL_RAW) {
        close(c->fd);
        if (c->ufd >= 0)
            close(c->ufd);
        return;
    }
    if (c->stream)
        Dispose(c->stream); /* owns the socket */
    else
        Dispose(c->sock);
    if (c->usock)
        Dispose(c->usock);
    if (c->uremote)
        Dispose(c->uremote);
}

/* The UDP phase, kind 3 (defined below). */
#define BC_EXTRA_KIND KIND_UDP
static void bc_serve_extra(conn *c, int64_t count, uint8_t *buf);
static void bc_extra_round_trip(conn *c, uint8_t *out, uint8_t *in, int32_t size, int64_t i);
static impl parse_impl(const char *s)
{
    return strcmp(s, "raw") == 0 ? IMPL_RAW : strcmp(s, "sp") == 0 ? IMPL_SP : IMPL_NS;
}

#define BC_IMPLS "<raw|sp|ns>"
#define BC_ADDR "PORTFILE"
#define BC_CONN_DEFINED
#include "bench_common.h" /* the roles' protocol code, over this file's conn */

static void bc_serve_extra(conn *c, int64_t count, uint8_t *buf)
{
    if (c->kind == IMPL_RAW) {
        for (int64_t i = 0; i < count; i++) {
            struct sockaddr_in from;
            socklen_t len = sizeof from;
            ssize_t n = recvfrom(c->ufd, buf, MAX_UDP, 0, (struct sockaddr *)&from, &len);
            if (n < 0 || sendto(c->ufd, buf, (size_t)n, 0, (struct sockaddr *)&from, len) != n)
                bc_die("raw server: udp echo");
        }
        return;
    }
    /* As a .NET program writes it: one EndPoint for the loop; ReceiveFrom(ref EndPoint) replaces it
     * only when the sender changes (Socket.cs), so the same client keeps it. */
    EndPoint *from = (EndPoint *)IPEndPoint_new(IPAddress_Any, 0);
    for (int64_t i = 0; i < count; i++) {
        int32_t n = Socket_ReceiveFromSpan(c->usock, buf, MAX_UDP, SocketFlags_None, &from);
        if (n < 0 || Socket_SendToSpan(c->usock, buf, n, SocketFlags_None, from) != n)
            bc_die("sharpipc server: udp echo");
    }
    Dispose(from);
}

static void bc_extra_round_trip(conn *c, uint8_t *out, uint8_t *in, int32_t size, int64_t i)
{
    out[0] = (uint8_t)i;
    out[size - 1] = (uint8_t)(i >> 8);
    if (c->kind == IMPL_RAW) {
        if (sendto(c->ufd, out, (size_t)size, 0, (struct sockaddr *)&c->upeer, sizeof c->upeer) != size)
            bc_die("raw client: udp send");
        struct sockaddr_in from;
        socklen_t len = sizeof from;
        if (recvfrom(c->ufd, in, MAX_UDP, 0, (struct sockaddr *)&from, &len) != size)
            bc_die("raw client: udp receive");
    } else {
        if (Socket_SendToSpan(c->usock, out, size, SocketFlags_None, c->uremote) != size)
            bc_die("sharpipc client: udp send");
        EndPoint *from = (EndPoint *)IPEndPoint_new(IPAddress_Any, 0);
        int32_t n = Socket_ReceiveFromSpan(c->usock, in, MAX_UDP, SocketFlags_None, &from);
        Dispose(from);
        if (n != size)
            bc_die("sharpipc client: udp receive");
    }
    bc_check_echo(out, in, size);
}

/* ================================================================ driver */

#define NSIZES 4
#define NUDP 3
/* The table's rows: the TCP sizes, then the UDP sizes, then throughput. */
#define NROWS (NSIZES + NUDP)
static const bc_row rows[] = {
    {"lat", 1, "1 B"},     {"lat", 64, "64 B"},     {"lat", 4096, "4 KiB"},  {"lat", 65536, "64 KiB"},
    {"udp", 1, "UDP 1 B"}, {"udp", 64, "UDP 64 B"}, {"udp", 4096, "UDP 4K"}, {"tput", 0, "MiB/s"},
};

enum { V_RAW, V_SP, V_NS, V_DN, V_DNNS, V_C2DN, V_DN2C, NVARIANTS };
static const char *const variant_keys[NVARIANTS] = {"raw", "sp", "ns", "dn", "dnns", "c2dn", "dn2c"};
static const char *const variant_titles[NVARIANTS] = {"raw BSD sockets", "sp Socket C<->C", "sp NetStream",
                                                      ".NET Socket",     ".NET NetStream",  "C cli->.NET srv",
                                                      ".NET cli->C srv"};
static const bool variant_needs_dotnet[NVARIANTS] = {false, false, false, true, true, true, true};
/* The NetworkStream variants have no datagrams: their UDP rows are "-". */
static const bool variant_udp[NVARIANTS] = {true, true, false, true, false, true, true};

/* The ratio columns: sharpipc's variant over another, per round, and the goal. */
static const bc_ratio_col ratio_cols[] = {
    {V_SP, V_RAW, "Socket/raw", 1.03},
    {V_NS, V_RAW, "NetStr/raw", 1.03},
    {V_SP, V_DN, "Socket/.NET", 1.0},
    {V_NS, V_DNNS, "NetStr/.NET", 1.0},
};

static bc_bench bench;
static bool calls_only;

static bool row_applies(int v, int row) { return row < NSIZES || variant_udp[v]; }

/* Each variant's server and client end. */
static const bc_end c_raw = {false, "raw", NULL}, c_sp = {false, "sp", NULL}, c_ns = {false, "ns", NULL},
                    dn_sock = {true, "sock", NULL}, dn_ns = {true, "ns", NULL};
static const bc_end *const ends[NVARIANTS][2] = {
    {&c_raw, &c_raw}, {&c_sp, &c_sp},    {&c_ns, &c_ns},    {&dn_sock, &dn_sock},
    {&dn_ns, &dn_ns}, {&dn_sock, &c_sp}, {&c_sp, &dn_sock},
};

static bool run_variant(int v, bc_result *r)
{
    char bufs[BC_MAX_SCHED][32], *sched[BC_MAX_SCHED];
    int nsched = bc_schedule(v, bufs, sched);
    return bc_run(v, ends[v][0], ends[v][1], "spsockbench", true, sched, nsched, 180000, r);
}

static int usage(void)
{
    fprintf(stderr, "usage: socket_bench [--dotnet SocketBench.dll] [--rounds N] [--first-warm-ms N] [--warm-ms N]\n"
                    "                    [--iters N,N,N,N] [--udp-iters N] [--tput-mib N]\n"
                    "                    [--only raw,sp,ns,dn,dnns,c2dn,dn2c] [--verbose] [--calls-only]\n");
    return 2;
}

/* ================================================================ per-call cost, one thread */

/* The CPU cost of the calls themselves, without the wake-ups that dominate (and blur) a round
 * trip between processes: one thread owns both ends of a loopback TCP connection and loops
 * write(size) on the client end then read-exactly(size) on the server end. The data is always
 * there (the socket buffers are set to 1 MiB on both ends, for raw and sharpipc alike), so nothing
 * ever blocks, and the difference between raw and sharpipc is the library's own work per call.
 * Short passes alternate between the three, so that the machine's drift lands on all alike. */
static bc_call_pair call_pair_open(impl kind)
{
    bc_call_pair p = {{.kind = kind, .fd = -1, .ufd = -1}, {.kind = kind, .fd = -1, .ufd = -1}};
    int big = 1 << 20;
    if (kind == IMPL_RAW) {
        int lfd = raw_listener();
        struct sockaddr_in a = loopback(raw_port(lfd));
        p.client.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (p.client.fd < 0 || setsockopt(p.client.fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big) != 0 ||
            connect(p.client.fd, (struct sockaddr *)&a, sizeof a) != 0)
            bc_die("calls: raw connect");
        p.server.fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (p.server.fd < 0 || setsockopt(p.server.fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big) != 0)
            bc_die("calls: raw accept");
        raw_nodelay(p.client.fd);
        raw_nodelay(p.server.fd);
        close(lfd);
    } else {
        Socket *l = bc_sp_tcp_listener();
        Socket *c = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
        if (!c || !Socket_set_SendBufferSize(c, big) || !Socket_ConnectAddress(c, IPAddress_Loopback, bc_sp_port(l)))
            bc_die("calls: sharpipc connect");
        Socket *s = Socket_Accept(l);
        if (!s || !Socket_set_ReceiveBufferSize(s, big) || !Socket_set_NoDelay(s, true) || !Socket_set_NoDelay(c, true))
            bc_die("calls: sharpipc accept");
        Dispose(l);
        p.server.sock = s;
        p.client.sock = c;
        if (kind == IMPL_NS) {
            p.server.stream = (Stream *)(NetworkStream_new)(s, FileAccess_ReadWrite, true);
            p.client.stream = (Stream *)(NetworkStream_new)(c, FileAccess_ReadWrite, true);
            if (!p.server.stream || !p.client.stream)
                bc_die("calls: NetworkStream");
        }
    }
    return p;
}

static void call_pair_report(int32_t size, const char *size_name, int iters)
{
    bc_calls x = {
        {call_pair_open(IMPL_RAW), call_pair_open(IMPL_SP), call_pair_open(IMPL_NS)}, 3, size, iters, NULL, NULL};
    double t[3][BC_CALL_PASSES], d[3][BC_CALL_PASSES];
    bc_calls_run(&x, t, d, conn_close);
    double rm = bc_median_of(t[0], BC_CALL_PASSES);
    printf("  %-7s raw %6.0f ns", size_name, rm);
    static const char *const names[3] = {"raw", "Socket", "NetworkStream"};
    for (int j = 1; j < 3; j++) {
        double sm = bc_median_of(t[j], BC_CALL_PASSES);
        double q1 = bc_quantile(d[j], BC_CALL_PASSES, 0.25), dm = bc_quantile(d[j], BC_CALL_PASSES, 0.5),
               q3 = bc_quantile(d[j], BC_CALL_PASSES, 0.75);
        printf("   %s %6.0f ns (%+4.0f ns, %+.1f%%; quartiles %+.0f, %+.0f)", names[j], sm, dm, 100.0 * dm / rm, q1,
               q3);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    bc_init(&bench, "socket_bench", NVARIANTS, variant_keys, variant_titles, variant_needs_dotnet, rows, NROWS + 1,
            ratio_cols, BC_COUNT(ratio_cols), run_variant);
    bc_echo_defaults(&bench);
    bench.first_width = 8;
    for (int u = 0; u < NUDP; u++)
        bench.iters[NSIZES + u] = 3000; /* --udp-iters */
    bench.row_applies = row_applies;
    int rc = bc_child_main(argc, argv);
    if (rc != -1)
        return rc;

    for (int i = 1; i < argc; i++) {
        int parsed = bc_parse_option(argc, argv, &i);
        if (parsed < 0)
            return usage();
        if (parsed)
            continue;
        if (strcmp(argv[i], "--udp-iters") == 0 && i + 1 < argc) {
            bench.iters[NSIZES] = atoll(argv[++i]);
            if (bench.iters[NSIZES] < 1)
                return usage();
            for (int u = 1; u < NUDP; u++)
                bench.iters[NSIZES + u] = bench.iters[NSIZES];
        } else if (strcmp(argv[i], "--calls-only") == 0) {
            calls_only = true;
        } else {
            return usage();
        }
    }
    signal(SIGPIPE, SIG_IGN);
    if (calls_only) {
        /* the one-thread CPU cost alone (and what callgrind looks at) */
        printf("CPU cost of one write + one read-exactly over loopback TCP, both ends in one thread:\n");
        call_pair_report(1, "1 B", 10000);
        call_pair_report(65536, "64 KiB", 1000);
        return 0;
    }

    bc_run_rounds();

    printf("Sockets over loopback, one server and one client process: TCP and UDP round-trip latency in us\n"
           "(median, p99) and TCP %s one-way throughput in MiB/s. %d round%s; per round and size\n"
           "%ld/%ld/%ld/%ld TCP and %ld UDP timed round trips after a warm-up; each cell is the median over\n"
           "the rounds. Ratios are sharpipc's time over the other's (throughput: the other's MiB/s over\n"
           "sharpipc's), the median of the per-round ratios: below 1 sharpipc is faster. The NetworkStream\n"
           "columns have no UDP rows (a NetworkStream is TCP only); C<->.NET pairs are Socket on both sides.\n\n",
           bc_tput_name(), bench.rounds, bench.rounds == 1 ? "" : "s", (long)bench.iters[0], (long)bench.iters[1],
           (long)bench.iters[2], (long)bench.iters[3], (long)bench.iters[NSIZES]);
    bc_print_table("(the .NET columns were skipped: no .NET SDK (dotnet) or no SocketBench.dll (--dotnet).)");

    /* ---- the library's own cost per call, measured without wake-ups */
    if (bench.enabled[V_SP] && bench.enabled[V_RAW]) {
        printf("\nCPU cost of one write + one read-exactly over loopback TCP with both ends in one thread (nothing\n"
               "blocks, no wake-ups), median over %d rotating passes; sharpipc's difference from raw:\n",
               BC_CALL_PASSES);
        call_pair_report(1, "1 B", 10000);
        call_pair_report(65536, "64 KiB", 1000);
    }

    /* ---- how far to trust the ratios */
    printf("\nSpread of the per-round median-latency and throughput ratios (10th-90th percentile over rounds).\n"
           "A goal (within 3%% of raw; ahead of .NET's own pair) is met when the 90th percentile meets it,\n"
           "missed when the 10th does not, and not resolved (noise) in between:\n");
    bc_print_spread(11);
    return bc_finish();
}
