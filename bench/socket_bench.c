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
#include <time.h>
#include <unistd.h>

#include "sp_process.h"

#define KIND_END 0
#define KIND_ECHO 1
#define KIND_SINK 2
#define KIND_UDP 3

#define SINK_READ 65536
#define MAX_SIZE (1 << 20)
#define MAX_UDP 65507
#define WARM_BATCH 256
#define TPUT_WARM_BYTES (64LL << 20)

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

static void die(const char *what)
{
    const Exception *e = Exception_get_Current();
    if (e)
        fprintf(stderr, "socket_bench[%ld]: %s: %s: %s\n", (long)getpid(), what, Exception_get_TypeName(e),
                Exception_get_Message(e));
    else
        fprintf(stderr, "socket_bench[%ld]: %s: %s\n", (long)getpid(), what, strerror(errno));
    exit(2);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static __attribute__((noinline)) bool raw_read_exactly(int fd, void *buffer, int32_t count)
{
    char *p = buffer;
    while (count > 0) {
        ssize_t n = recv(fd, p, (size_t)count, 0);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            if (n == 0)
                errno = EPIPE;
            return false;
        }
        p += n;
        count -= (int32_t)n;
    }
    return true;
}

static __attribute__((noinline)) bool raw_write_all(int fd, const void *buffer, int32_t count)
{
    const char *p = buffer;
    while (count > 0) {
        ssize_t n = send(fd, p, (size_t)count, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += n;
        count -= (int32_t)n;
    }
    return true;
}

/* (The four raw_ and sp_ helpers are never inlined, alike, so that callgrind's --toggle-collect
 * can name them: see bench/README.md.) */

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
        return raw_read_exactly(c->fd, buffer, count);
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
        return raw_write_all(c->fd, buffer, count);
    if (c->kind == IMPL_SP)
        return sp_send_all(c->sock, buffer, count);
    return Stream_Write(c->stream, buffer, 0, count);
}

static void raw_nodelay(int fd)
{
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
        die("raw: TCP_NODELAY");
}

static int raw_port(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        die("raw: getsockname");
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
        die("raw: socket/bind/listen");
    return lfd;
}

static Socket *sp_tcp_listener(void)
{
    Socket *l = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    IPEndPoint *ep = l ? IPEndPoint_new(IPAddress_Loopback, 0) : NULL;
    if (!ep || !(Socket_Bind)(l, (EndPoint *)ep) || !(Socket_Listen)(l, 1))
        die("sharpipc: listener");
    Dispose(ep);
    return l;
}

static int sp_port(Socket *s)
{
    EndPoint *ep = Socket_get_LocalEndPoint(s);
    if (!ep)
        die("sharpipc: LocalEndPoint");
    int port = IPEndPoint_get_Port((IPEndPoint *)ep);
    Dispose(ep);
    return port;
}

static void write_port_file(const char *path, int tcp, int udp)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f || fprintf(f, "%d %d\n", tcp, udp) < 0 || fclose(f) != 0 || rename(tmp, path) != 0)
        die("server: port file");
}

static void read_port_file(const char *path, int *tcp, int *udp)
{
    int64_t give_up = now_ns() + 30 * 1000000000LL;
    for (;;) {
        FILE *f = fopen(path, "r");
        if (f) {
            int ok = fscanf(f, "%d %d", tcp, udp);
            fclose(f);
            if (ok == 2)
                return;
        }
        if (now_ns() > give_up) {
            errno = ETIMEDOUT;
            die("client: no port file from the server");
        }
        usleep(1000);
    }
}

static conn server_open(impl kind, const char *portfile)
{
    conn c = {.kind = kind, .fd = -1, .ufd = -1};
    if (kind == IMPL_RAW) {
        int lfd = raw_listener();
        struct sockaddr_in ua = loopback(0);
        c.ufd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (c.ufd < 0 || bind(c.ufd, (struct sockaddr *)&ua, sizeof ua) != 0)
            die("raw server: udp bind");
        write_port_file(portfile, raw_port(lfd), raw_port(c.ufd));
        c.fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (c.fd < 0)
            die("raw server: accept");
        raw_nodelay(c.fd);
        close(lfd);
    } else {
        Socket *l = sp_tcp_listener();
        c.usock = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
        IPEndPoint *uep = c.usock ? IPEndPoint_new(IPAddress_Loopback, 0) : NULL;
        if (!uep || !(Socket_Bind)(c.usock, (EndPoint *)uep))
            die("sharpipc server: udp bind");
        Dispose(uep);
        write_port_file(portfile, sp_port(l), sp_port(c.usock));
        c.sock = Socket_Accept(l);
        if (!c.sock)
            die("sharpipc server: Accept");
        if (!Socket_set_NoDelay(c.sock, true))
            die("sharpipc server: NoDelay");
        Dispose(l);
        if (kind == IMPL_NS) {
            c.stream = (Stream *)(NetworkStream_new)(c.sock, FileAccess_ReadWrite, true);
            if (!c.stream)
                die("sharpipc server: NetworkStream");
        }
    }
    return c;
}

static conn client_open(impl kind, const char *portfile)
{
    conn c = {.kind = kind, .fd = -1, .ufd = -1};
    int tcp, udp;
    read_port_file(portfile, &tcp, &udp);
    if (kind == IMPL_RAW) {
        struct sockaddr_in a = loopback(tcp);
        c.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (c.fd < 0 || connect(c.fd, (struct sockaddr *)&a, sizeof a) != 0)
            die("raw client: connect");
        raw_nodelay(c.fd);
        c.ufd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (c.ufd < 0)
            die("raw client: udp socket");
        c.upeer = loopback(udp);
    } else {
        c.sock = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
        if (!c.sock || !Socket_ConnectAddress(c.sock, IPAddress_Loopback, tcp) || !Socket_set_NoDelay(c.sock, true))
            die("sharpipc client: Connect");
        if (kind == IMPL_NS) {
            c.stream = (Stream *)(NetworkStream_new)(c.sock, FileAccess_ReadWrite, true);
            if (!c.stream)
                die("sharpipc client: NetworkStream");
        }
        c.usock = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
        c.uremote = (EndPoint *)IPEndPoint_new(IPAddress_Loopback, udp);
        if (!c.usock || !c.uremote)
            die("sharpipc client: udp socket");
        /* a lost datagram ends the run instead of hanging it */
        if (!Socket_set_ReceiveTimeout(c.usock, 10000))
            die("sharpipc client: ReceiveTimeout");
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

static void put64(uint8_t *p, int64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)((uint64_t)v >> (8 * i));
}

static int64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return (int64_t)v;
}

static void send_header(conn *c, int64_t kind, int64_t a, int64_t b)
{
    uint8_t h[24];
    put64(h, kind);
    put64(h + 8, a);
    put64(h + 16, b);
    if (!c_write(c, h, sizeof h))
        die("write header");
}

/* Every data buffer is page-aligned, in C and in SocketBench alike (see bench/README.md: the
 * kernel's copy into a buffer that is not 32-byte aligned is about twice as slow here). */
static uint8_t *page_aligned(size_t size)
{
    uint8_t *p = aligned_alloc(4096, size);
    if (!p)
        die("aligned_alloc");
    memset(p, 0, size);
    return p;
}

/* ================================================================ server role */

static void server_udp(conn *c, uint8_t *buf, int64_t count)
{
    if (c->kind == IMPL_RAW) {
        for (int64_t i = 0; i < count; i++) {
            struct sockaddr_in from;
            socklen_t len = sizeof from;
            ssize_t n = recvfrom(c->ufd, buf, MAX_UDP, 0, (struct sockaddr *)&from, &len);
            if (n < 0 || sendto(c->ufd, buf, (size_t)n, 0, (struct sockaddr *)&from, len) != n)
                die("raw server: udp echo");
        }
        return;
    }
    /* As a .NET program writes it: ReceiveFrom(ref EndPoint) gives a new sender endpoint each time. */
    EndPoint *from = (EndPoint *)IPEndPoint_new(IPAddress_Any, 0);
    for (int64_t i = 0; i < count; i++) {
        int32_t n = Socket_ReceiveFromSpan(c->usock, buf, MAX_UDP, SocketFlags_None, &from);
        if (n < 0 || Socket_SendToSpan(c->usock, buf, n, SocketFlags_None, from) != n)
            die("sharpipc server: udp echo");
    }
    Dispose(from);
}

static int role_server(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "server: <raw|sp|ns> PORTFILE\n");
        return 2;
    }
    impl kind = strcmp(argv[0], "raw") == 0 ? IMPL_RAW : strcmp(argv[0], "sp") == 0 ? IMPL_SP : IMPL_NS;
    conn c = server_open(kind, argv[1]);
    uint8_t *buf = page_aligned(MAX_SIZE > SINK_READ ? MAX_SIZE : SINK_READ);
    for (;;) {
        uint8_t h[24];
        if (!c_read_exactly(&c, h, sizeof h))
            die("server: read header");
        int64_t k = get64(h), a = get64(h + 8), b = get64(h + 16);
        if (k == KIND_END)
            break;
        if (k == KIND_ECHO) {
            int32_t size = (int32_t)a;
            if (size < 1 || size > MAX_SIZE)
                die("server: bad size");
            for (int64_t i = 0; i < b; i++) {
                if (!c_read_exactly(&c, buf, size))
                    die("server: echo read");
                if (!c_write(&c, buf, size))
                    die("server: echo write");
            }
        } else if (k == KIND_SINK) {
            int64_t left = a;
            while (left > 0) {
                int32_t n = c_read_some(&c, buf, left < SINK_READ ? (int32_t)left : SINK_READ);
                if (n <= 0)
                    die("server: sink read");
                left -= n;
            }
            uint8_t ack = 1;
            if (!c_write(&c, &ack, 1))
                die("server: sink ack");
        } else if (k == KIND_UDP) {
            server_udp(&c, buf, b);
        } else {
            die("server: bad header");
        }
    }
    conn_close(&c);
    free(buf);
    return 0;
}

/* ================================================================ client role */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted samples. */
static int64_t percentile(const int64_t *sorted, int64_t n, double p)
{
    int64_t rank = (int64_t)(p / 100.0 * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return sorted[rank - 1];
}

static void check_echo(const uint8_t *out, const uint8_t *in, int32_t size)
{
    if (in[0] != out[0] || in[size - 1] != out[size - 1]) {
        errno = EBADMSG;
        die("client: echo mismatch");
    }
}

static void round_trip(conn *c, uint8_t *out, uint8_t *in, int32_t size, int64_t i)
{
    out[0] = (uint8_t)i;
    out[size - 1] = (uint8_t)(i >> 8);
    if (!c_write(c, out, size))
        die("client: echo write");
    if (!c_read_exactly(c, in, size))
        die("client: echo read");
    check_echo(out, in, size);
}

static void udp_round_trip(conn *c, uint8_t *out, uint8_t *in, int32_t size, int64_t i)
{
    out[0] = (uint8_t)i;
    out[size - 1] = (uint8_t)(i >> 8);
    if (c->kind == IMPL_RAW) {
        if (sendto(c->ufd, out, (size_t)size, 0, (struct sockaddr *)&c->upeer, sizeof c->upeer) != size)
            die("raw client: udp send");
        struct sockaddr_in from;
        socklen_t len = sizeof from;
        if (recvfrom(c->ufd, in, MAX_UDP, 0, (struct sockaddr *)&from, &len) != size)
            die("raw client: udp receive");
    } else {
        if (Socket_SendToSpan(c->usock, out, size, SocketFlags_None, c->uremote) != size)
            die("sharpipc client: udp send");
        EndPoint *from = (EndPoint *)IPEndPoint_new(IPAddress_Any, 0);
        int32_t n = Socket_ReceiveFromSpan(c->usock, in, MAX_UDP, SocketFlags_None, &from);
        Dispose(from);
        if (n != size)
            die("sharpipc client: udp receive");
    }
    check_echo(out, in, size);
}

static void sink(conn *c, const uint8_t *data, int64_t total, int32_t chunk)
{
    send_header(c, KIND_SINK, total, chunk);
    for (int64_t left = total; left > 0; left -= chunk)
        if (!c_write(c, data, left < chunk ? (int32_t)left : chunk))
            die("client: sink write");
    uint8_t ack;
    if (!c_read_exactly(c, &ack, 1))
        die("client: sink ack");
}

static int role_client(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "client: <raw|sp|ns> PORTFILE OUTFILE FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK "
                        "SIZE:ITERS... [uSIZE:ITERS...]\n");
        return 2;
    }
    impl kind = strcmp(argv[0], "raw") == 0 ? IMPL_RAW : strcmp(argv[0], "sp") == 0 ? IMPL_SP : IMPL_NS;
    FILE *out = fopen(argv[2], "w");
    if (!out)
        die("client: open OUTFILE");
    int64_t first_warm_ns = atoll(argv[3]) * 1000000LL;
    int64_t warm_ns = atoll(argv[4]) * 1000000LL;
    int64_t tput_total = atoll(argv[5]);
    int32_t tput_chunk = atoi(argv[6]);
    uint8_t *send_buf = page_aligned(MAX_SIZE), *recv_buf = page_aligned(MAX_SIZE);
    for (int i = 0; i < MAX_SIZE; i++)
        send_buf[i] = (uint8_t)(i * 131 + 7);

    conn c = client_open(kind, argv[1]);
    for (int arg = 7; arg < argc; arg++) {
        const char *spec = argv[arg];
        bool udp = spec[0] == 'u';
        int32_t size;
        int64_t iters;
        if (sscanf(spec + udp, "%" SCNd32 ":%" SCNd64, &size, &iters) != 2 || size < 1 ||
            size > (udp ? MAX_UDP : MAX_SIZE) || iters < 1) {
            fprintf(stderr, "client: bad SIZE:ITERS %s\n", spec);
            return 2;
        }
        /* Warm-up: batches until the time has passed (JIT tiering on a .NET peer, caches, the
         * scheduler's idea of these two processes). */
        int64_t warm_end = now_ns() + (arg == 7 ? first_warm_ns : warm_ns);
        int64_t seq = 0;
        do {
            send_header(&c, udp ? KIND_UDP : KIND_ECHO, size, WARM_BATCH);
            for (int j = 0; j < WARM_BATCH; j++) {
                if (udp)
                    udp_round_trip(&c, send_buf, recv_buf, size, seq++);
                else
                    round_trip(&c, send_buf, recv_buf, size, seq++);
            }
        } while (now_ns() < warm_end);

        int64_t *samples = malloc((size_t)iters * sizeof *samples);
        if (!samples)
            die("malloc");
        send_header(&c, udp ? KIND_UDP : KIND_ECHO, size, iters);
        for (int64_t j = 0; j < iters; j++) {
            int64_t t0 = now_ns();
            if (udp)
                udp_round_trip(&c, send_buf, recv_buf, size, j);
            else
                round_trip(&c, send_buf, recv_buf, size, j);
            samples[j] = now_ns() - t0;
        }
        double sum = 0;
        for (int64_t j = 0; j < iters; j++)
            sum += (double)samples[j];
        qsort(samples, (size_t)iters, sizeof *samples, cmp_i64);
        fprintf(out, "%s %d %ld %ld %ld %ld %ld\n", udp ? "udp" : "lat", size, (long)iters,
                (long)percentile(samples, iters, 50), (long)percentile(samples, iters, 99), (long)(sum / (double)iters),
                (long)samples[0]);
        free(samples);
    }
    if (tput_total > 0) {
        sink(&c, send_buf, tput_total < TPUT_WARM_BYTES ? tput_total : TPUT_WARM_BYTES, tput_chunk); /* warm-up */
        int64_t t0 = now_ns();
        sink(&c, send_buf, tput_total, tput_chunk);
        int64_t elapsed = now_ns() - t0;
        fprintf(out, "tput %ld %d %ld\n", (long)tput_total, tput_chunk, (long)elapsed);
    }
    send_header(&c, KIND_END, 0, 0);
    conn_close(&c);
    if (fclose(out) != 0)
        die("client: write OUTFILE");
    free(send_buf);
    free(recv_buf);
    return 0;
}

/* ================================================================ driver */

#define NSIZES 4
#define NUDP 3
static const int32_t sizes[NSIZES] = {1, 64, 4096, 65536};
static const char *const size_names[NSIZES] = {"1 B", "64 B", "4 KiB", "64 KiB"};
static const int32_t udp_sizes[NUDP] = {1, 64, 4096};
static const char *const udp_names[NUDP] = {"UDP 1 B", "UDP 64 B", "UDP 4K"};
/* The table's rows: the TCP sizes, then the UDP sizes (ROW_TPUT is the throughput row). */
#define NROWS (NSIZES + NUDP)
#define ROW_TPUT NROWS

enum { V_RAW, V_SP, V_NS, V_DN, V_DNNS, V_C2DN, V_DN2C, NVARIANTS };
static const char *const variant_keys[NVARIANTS] = {"raw", "sp", "ns", "dn", "dnns", "c2dn", "dn2c"};
static const char *const variant_titles[NVARIANTS] = {"raw BSD sockets", "sp Socket C<->C", "sp NetStream",
                                                      ".NET Socket",     ".NET NetStream",  "C cli->.NET srv",
                                                      ".NET cli->C srv"};
static const bool variant_needs_dotnet[NVARIANTS] = {false, false, false, true, true, true, true};
/* The NetworkStream variants have no datagrams: their UDP rows are "-". */
static const bool variant_udp[NVARIANTS] = {true, true, false, true, false, true, true};

#define MAX_ROUNDS 31

typedef struct result {
    bool ok;
    int64_t median[NROWS], p99[NROWS];
    int64_t tput_ns;
} result;

static struct {
    const char *dotnet_dll;
    int rounds;
    int first_warm_ms;
    int warm_ms;
    int64_t iters[NSIZES];
    int64_t udp_iters;
    int64_t tput_bytes;
    int32_t tput_chunk;
    bool enabled[NVARIANTS];
    bool verbose;
    bool calls_only;
} opt;

static result results[NVARIANTS][MAX_ROUNDS]; /* [variant][round] */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The q-quantile (0..1) of n values, interpolated; sorts them. */
static double quantile(double *values, int n, double q)
{
    qsort(values, (size_t)n, sizeof *values, cmp_double);
    double pos = q * (n - 1);
    int lo = (int)pos;
    if (lo >= n - 1)
        return values[n - 1];
    return values[lo] + (pos - lo) * (values[lo + 1] - values[lo]);
}

static double median_of(double *values, int n) { return quantile(values, n, 0.5); }

static const char *dotnet_exe(void)
{
    const char *d = getenv("DOTNET");
    return d && *d ? d : "dotnet";
}

/* One end: a C role (this executable again) or SocketBench.dll, with its implementation. */
typedef struct end_spec {
    bool dotnet;
    const char *impl; /* raw | sp | ns for C, sock | ns for .NET */
} end_spec;

static sp_child *start_end(end_spec e, bool server, const char *portfile, const char *outfile, char **sched, int nsched)
{
    const char *args[40];
    int n = 0;
    if (e.dotnet) {
        args[n++] = dotnet_exe();
        args[n++] = opt.dotnet_dll;
        args[n++] = server ? "server" : "client";
    }
    args[n++] = e.impl;
    args[n++] = portfile;
    if (!server) {
        args[n++] = outfile;
        for (int i = 0; i < nsched; i++)
            args[n++] = sched[i];
    }
    if (e.dotnet) {
        args[n] = NULL;
        return sp_process_start(args);
    }
    return sp_child_start(server ? "server" : "client", args, n);
}

static bool run_variant(int v, result *r)
{
    static const end_spec c_raw = {false, "raw"}, c_sp = {false, "sp"}, c_ns = {false, "ns"}, dn_sock = {true, "sock"},
                          dn_ns = {true, "ns"};
    end_spec server, client;
    switch (v) {
    case V_RAW: server = client = c_raw; break;
    case V_SP: server = client = c_sp; break;
    case V_NS: server = client = c_ns; break;
    case V_DN: server = client = dn_sock; break;
    case V_DNNS: server = client = dn_ns; break;
    case V_C2DN:
        server = dn_sock;
        client = c_sp;
        break;
    default:
        server = c_sp;
        client = dn_sock;
        break;
    }
    char bufs[4 + NSIZES + NUDP][32];
    char *sched[4 + NSIZES + NUDP];
    int nsched = 0;
    snprintf(bufs[nsched++], 32, "%d", opt.first_warm_ms);
    snprintf(bufs[nsched++], 32, "%d", opt.warm_ms);
    snprintf(bufs[nsched++], 32, "%ld", (long)opt.tput_bytes);
    snprintf(bufs[nsched++], 32, "%d", opt.tput_chunk);
    for (int i = 0; i < NSIZES; i++)
        snprintf(bufs[nsched++], 32, "%d:%ld", sizes[i], (long)opt.iters[i]);
    if (variant_udp[v])
        for (int i = 0; i < NUDP; i++)
            snprintf(bufs[nsched++], 32, "u%d:%ld", udp_sizes[i], (long)opt.udp_iters);
    for (int i = 0; i < nsched; i++)
        sched[i] = bufs[i];

    const char *name = sp_unique_name("spsockbench");
    char outfile[256], portfile[256];
    const char *tmp = getenv("TMPDIR");
    snprintf(outfile, sizeof outfile, "%s/%s.out", tmp && *tmp ? tmp : "/tmp", name);
    snprintf(portfile, sizeof portfile, "%s/%s.port", tmp && *tmp ? tmp : "/tmp", name);
    unlink(outfile);
    unlink(portfile);

    sp_child *srv = start_end(server, true, portfile, NULL, NULL, 0);
    sp_child *cli = srv ? start_end(client, false, portfile, outfile, sched, nsched) : NULL;
    if (!srv || !cli) {
        fprintf(stderr, "socket_bench: %s: cannot start a process\n", variant_titles[v]);
        if (srv) {
            sp_child_kill(srv);
            sp_child_free(srv);
        }
        unlink(portfile);
        return false;
    }
    int crc = sp_child_wait(cli, 180000);
    int src = sp_child_wait(srv, crc == 0 ? 30000 : 2000);
    sp_child_free(cli);
    sp_child_free(srv);
    unlink(portfile);
    if (crc != 0 || src != 0) {
        fprintf(stderr, "socket_bench: %s: client exit %d, server exit %d\n", variant_titles[v], crc, src);
        unlink(outfile);
        return false;
    }
    FILE *f = fopen(outfile, "r");
    if (!f) {
        fprintf(stderr, "socket_bench: %s: no results\n", variant_titles[v]);
        return false;
    }
    memset(r, 0, sizeof *r);
    int seen = 0, want = ((1 << NSIZES) - 1) | (1 << ROW_TPUT);
    if (variant_udp[v])
        want |= ((1 << NUDP) - 1) << NSIZES;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        long a, b, c, d, e, g;
        char kind[8];
        if (sscanf(line, "%7s %ld %ld %ld %ld %ld %ld", kind, &a, &b, &c, &d, &e, &g) == 7) {
            bool udp = strcmp(kind, "udp") == 0;
            int n = udp ? NUDP : NSIZES;
            for (int i = 0; i < n; i++)
                if ((udp ? udp_sizes[i] : sizes[i]) == a) {
                    int row = udp ? NSIZES + i : i;
                    r->median[row] = c;
                    r->p99[row] = d;
                    seen |= 1 << row;
                }
        } else if (sscanf(line, "tput %ld %ld %ld", &a, &b, &c) == 3) {
            r->tput_ns = c;
            seen |= 1 << ROW_TPUT;
        }
    }
    fclose(f);
    unlink(outfile);
    r->ok = seen == want;
    if (!r->ok)
        fprintf(stderr, "socket_bench: %s: incomplete results\n", variant_titles[v]);
    return r->ok;
}

static double mibs(int64_t ns) { return ns > 0 ? (double)opt.tput_bytes / 1048576.0 / ((double)ns / 1e9) : 0; }

static bool parse_iters(const char *s)
{
    for (int i = 0; i < NSIZES; i++) {
        char *end;
        opt.iters[i] = strtoll(s, &end, 10);
        if (opt.iters[i] < 1)
            return false;
        if (i < NSIZES - 1) {
            if (*end != ',')
                return false;
            s = end + 1;
        } else if (*end) {
            return false;
        }
    }
    return true;
}

static int usage(void)
{
    fprintf(stderr, "usage: socket_bench [--dotnet SocketBench.dll] [--rounds N] [--first-warm-ms N] [--warm-ms N]\n"
                    "                    [--iters N,N,N,N] [--udp-iters N] [--tput-mib N]\n"
                    "                    [--only raw,sp,ns,dn,dnns,c2dn,dn2c] [--verbose] [--calls-only]\n");
    return 2;
}

static void loadavg(char *buf, size_t n)
{
    FILE *f = fopen("/proc/loadavg", "r");
    double a = 0, b = 0, c = 0;
    if (f && fscanf(f, "%lf %lf %lf", &a, &b, &c) == 3)
        snprintf(buf, n, "%.2f %.2f %.2f", a, b, c);
    else
        snprintf(buf, n, "unknown");
    if (f)
        fclose(f);
}

/* The ratio columns: sharpipc's variant over another, per round. */
typedef struct ratio_col {
    int mine, other;
    const char *title;
    double limit; /* the goal: the ratio at or below it */
    const char *goal;
} ratio_col;
static const ratio_col ratio_cols[] = {
    {V_SP, V_RAW, "Socket/raw", 1.03, "within 3%"},
    {V_NS, V_RAW, "NetStr/raw", 1.03, "within 3%"},
    {V_SP, V_DN, "Socket/.NET", 1.0, "ahead"},
    {V_NS, V_DNNS, "NetStr/.NET", 1.0, "ahead"},
};
#define NRATIOS ((int)(sizeof ratio_cols / sizeof ratio_cols[0]))

/* The per-round time ratios mine / other, for rounds where both succeeded. which: a row's median
 * latency (0..NROWS-1), NROWS + row its p99, 2 * NROWS throughput. */
static int paired_ratios(const ratio_col *col, int which, double *out)
{
    int n = 0;
    for (int k = 0; k < opt.rounds; k++) {
        const result *a = &results[col->mine][k], *b = &results[col->other][k];
        if (!a->ok || !b->ok)
            continue;
        double x, y;
        if (which < NROWS) {
            x = (double)a->median[which];
            y = (double)b->median[which];
        } else if (which < 2 * NROWS) {
            x = (double)a->p99[which - NROWS];
            y = (double)b->p99[which - NROWS];
        } else {
            x = (double)a->tput_ns;
            y = (double)b->tput_ns;
        }
        if (x > 0 && y > 0)
            out[n++] = x / y;
    }
    return n;
}

static void cell_ratio(char *buf, size_t n, const ratio_col *col, int which)
{
    double r[MAX_ROUNDS];
    int k = paired_ratios(col, which, r);
    if (k == 0)
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.3f", median_of(r, k));
}

/* "p10-p90" of the per-round ratios, and whether they clear the column's goal (1: the middle 80% is
 * all at or below it, -1: all above it, 0: it straddles, 2: too few rounds, 3: no data). */
static int ratio_spread(char *buf, size_t n, const ratio_col *col, int which)
{
    double r[MAX_ROUNDS];
    int k = paired_ratios(col, which, r);
    if (k == 0) {
        snprintf(buf, n, "-");
        return 3;
    }
    double lo = quantile(r, k, 0.10), hi = quantile(r, k, 0.90);
    snprintf(buf, n, "%.3f-%.3f", lo, hi);
    if (k < 5)
        return 2;
    return hi <= col->limit ? 1 : lo > col->limit ? -1 : 0;
}

static bool col_shown(const ratio_col *col) { return opt.enabled[col->mine] && opt.enabled[col->other]; }

/* ================================================================ per-call cost, one thread */

/* The CPU cost of the calls themselves, without the wake-ups that dominate (and blur) a round
 * trip between processes: one thread owns both ends of a loopback TCP connection and loops
 * write(size) on the client end then read-exactly(size) on the server end. The data is always
 * there (the socket buffers are set to 1 MiB on both ends, for raw and sharpipc alike), so nothing
 * ever blocks, and the difference between raw and sharpipc is the library's own work per call.
 * Short passes alternate between the three, so that the machine's drift lands on all alike. */
typedef struct call_pair {
    conn server, client;
} call_pair;

static call_pair call_pair_open(impl kind)
{
    call_pair p = {{.kind = kind, .fd = -1, .ufd = -1}, {.kind = kind, .fd = -1, .ufd = -1}};
    int big = 1 << 20;
    if (kind == IMPL_RAW) {
        int lfd = raw_listener();
        struct sockaddr_in a = loopback(raw_port(lfd));
        p.client.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (p.client.fd < 0 || setsockopt(p.client.fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big) != 0 ||
            connect(p.client.fd, (struct sockaddr *)&a, sizeof a) != 0)
            die("calls: raw connect");
        p.server.fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (p.server.fd < 0 || setsockopt(p.server.fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big) != 0)
            die("calls: raw accept");
        raw_nodelay(p.client.fd);
        raw_nodelay(p.server.fd);
        close(lfd);
    } else {
        Socket *l = sp_tcp_listener();
        Socket *c = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
        if (!c || !Socket_set_SendBufferSize(c, big) || !Socket_ConnectAddress(c, IPAddress_Loopback, sp_port(l)))
            die("calls: sharpipc connect");
        Socket *s = Socket_Accept(l);
        if (!s || !Socket_set_ReceiveBufferSize(s, big) || !Socket_set_NoDelay(s, true) || !Socket_set_NoDelay(c, true))
            die("calls: sharpipc accept");
        Dispose(l);
        p.server.sock = s;
        p.client.sock = c;
        if (kind == IMPL_NS) {
            p.server.stream = (Stream *)(NetworkStream_new)(s, FileAccess_ReadWrite, true);
            p.client.stream = (Stream *)(NetworkStream_new)(c, FileAccess_ReadWrite, true);
            if (!p.server.stream || !p.client.stream)
                die("calls: NetworkStream");
        }
    }
    return p;
}

static double call_pair_pass(call_pair *p, int32_t size, int iters, uint8_t *out, uint8_t *in)
{
    int64_t t0 = now_ns();
    for (int i = 0; i < iters; i++) {
        out[0] = (uint8_t)i;
        if (!c_write(&p->client, out, size) || !c_read_exactly(&p->server, in, size) || in[0] != out[0])
            die("calls: loop");
    }
    return (double)(now_ns() - t0) / iters;
}

#define CALL_PASSES 41

/* Prints raw's, Socket's and NetworkStream's median ns per write + read-exactly, and the median
 * and quartiles of the per-pass differences from raw. */
static void call_pair_report(int32_t size, const char *size_name, int iters)
{
    uint8_t *out = page_aligned(size), *in = page_aligned(size);
    call_pair p[3] = {call_pair_open(IMPL_RAW), call_pair_open(IMPL_SP), call_pair_open(IMPL_NS)};
    for (int j = 0; j < 3; j++)
        call_pair_pass(&p[j], size, iters, out, in); /* warm-up */
    double t[3][CALL_PASSES], d[3][CALL_PASSES];
    for (int k = 0; k < CALL_PASSES; k++) {
        for (int j = 0; j < 3; j++) {
            int which = (j + k) % 3; /* rotate who goes first */
            t[which][k] = call_pair_pass(&p[which], size, iters, out, in);
        }
        for (int j = 1; j < 3; j++)
            d[j][k] = t[j][k] - t[0][k];
    }
    double rm = median_of(t[0], CALL_PASSES);
    printf("  %-7s raw %6.0f ns", size_name, rm);
    static const char *const names[3] = {"raw", "Socket", "NetworkStream"};
    for (int j = 1; j < 3; j++) {
        double sm = median_of(t[j], CALL_PASSES);
        double q1 = quantile(d[j], CALL_PASSES, 0.25), dm = quantile(d[j], CALL_PASSES, 0.5),
               q3 = quantile(d[j], CALL_PASSES, 0.75);
        printf("   %s %6.0f ns (%+4.0f ns, %+.1f%%; quartiles %+.0f, %+.0f)", names[j], sm, dm, 100.0 * dm / rm, q1,
               q3);
    }
    printf("\n");
    for (int j = 0; j < 3; j++) {
        conn_close(&p[j].client);
        conn_close(&p[j].server);
    }
    free(out);
    free(in);
}

int main(int argc, char **argv)
{
    static const char *const role_names[] = {"server", "client"};
    static const sp_child_role roles[] = {role_server, role_client};
    int rc = sp_child_main(argc, argv, role_names, roles, 2);
    if (rc != -1)
        return rc;

    opt.rounds = 11;
    opt.first_warm_ms = 300;
    opt.warm_ms = 50;
    opt.iters[0] = 3000;
    opt.iters[1] = 3000;
    opt.iters[2] = 3000;
    opt.iters[3] = 2000;
    opt.udp_iters = 3000;
    opt.tput_bytes = 1LL << 30;
    opt.tput_chunk = 65536;
    for (int v = 0; v < NVARIANTS; v++)
        opt.enabled[v] = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--dotnet") == 0 && val) {
            opt.dotnet_dll = *val ? val : NULL;
            i++;
        } else if (strcmp(a, "--rounds") == 0 && val) {
            opt.rounds = atoi(val);
            i++;
            if (opt.rounds < 1 || opt.rounds > MAX_ROUNDS)
                return usage();
        } else if (strcmp(a, "--first-warm-ms") == 0 && val) {
            opt.first_warm_ms = atoi(val);
            i++;
            if (opt.first_warm_ms < 0)
                return usage();
        } else if (strcmp(a, "--warm-ms") == 0 && val) {
            opt.warm_ms = atoi(val);
            i++;
            if (opt.warm_ms < 0)
                return usage();
        } else if (strcmp(a, "--iters") == 0 && val) {
            if (!parse_iters(val))
                return usage();
            i++;
        } else if (strcmp(a, "--udp-iters") == 0 && val) {
            opt.udp_iters = atoll(val);
            i++;
            if (opt.udp_iters < 1)
                return usage();
        } else if (strcmp(a, "--tput-mib") == 0 && val) {
            opt.tput_bytes = atoll(val) << 20;
            i++;
            if (opt.tput_bytes <= 0)
                return usage();
        } else if (strcmp(a, "--only") == 0 && val) {
            for (int v = 0; v < NVARIANTS; v++)
                opt.enabled[v] = false;
            char list[256];
            snprintf(list, sizeof list, "%s", val);
            for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
                int v = 0;
                while (v < NVARIANTS && strcmp(tok, variant_keys[v]) != 0)
                    v++;
                if (v == NVARIANTS)
                    return usage();
                opt.enabled[v] = true;
            }
            i++;
        } else if (strcmp(a, "--verbose") == 0) {
            opt.verbose = true;
        } else if (strcmp(a, "--calls-only") == 0) {
            opt.calls_only = true;
        } else {
            return usage();
        }
    }
    signal(SIGPIPE, SIG_IGN);
    if (opt.calls_only) {
        /* the one-thread CPU cost alone (and what callgrind looks at) */
        printf("CPU cost of one write + one read-exactly over loopback TCP, both ends in one thread:\n");
        call_pair_report(1, "1 B", 10000);
        call_pair_report(65536, "64 KiB", 1000);
        return 0;
    }

    bool dotnet_skipped = false;
    for (int v = 0; v < NVARIANTS; v++)
        if (variant_needs_dotnet[v] && opt.enabled[v] && !opt.dotnet_dll) {
            opt.enabled[v] = false;
            dotnet_skipped = true;
        }

    char load_before[64], load_after[64];
    loadavg(load_before, sizeof load_before);
    int nok[NVARIANTS] = {0};
    int64_t t_start = now_ns();
    /* Rounds interleave the variants (as pipe_bench's): the order rotates each round and runs
     * backwards every other round. */
    bool progress = !opt.verbose && isatty(STDERR_FILENO);
    for (int round = 0; round < opt.rounds; round++) {
        if (progress)
            fprintf(stderr, "\rsocket_bench: round %d of %d ", round + 1, opt.rounds);
        for (int k = 0; k < NVARIANTS; k++) {
            int v = (round % 2 ? NVARIANTS - 1 - k + round : k + round) % NVARIANTS;
            if (!opt.enabled[v])
                continue;
            result *r = &results[v][round];
            int64_t t0 = now_ns();
            if (run_variant(v, r))
                nok[v]++;
            if (opt.verbose) {
                fprintf(stderr, "round %2d %-16s %4.1fs", round + 1, variant_titles[v], (double)(now_ns() - t0) / 1e9);
                if (r->ok) {
                    for (int i = 0; i < NROWS; i++)
                        if (r->median[i])
                            fprintf(stderr, "  %s %.1f/%.1f", i < NSIZES ? size_names[i] : udp_names[i - NSIZES],
                                    r->median[i] / 1000.0, r->p99[i] / 1000.0);
                    fprintf(stderr, "  %.0f MiB/s", mibs(r->tput_ns));
                }
                fprintf(stderr, "\n");
            }
        }
    }
    if (progress)
        fprintf(stderr, "\r%40s\r", "");
    loadavg(load_after, sizeof load_after);

    /* Each cell: the median over the rounds of that round's figure. */
    double med[NVARIANTS][NROWS], p99[NVARIANTS][NROWS], tput[NVARIANTS];
    bool have[NVARIANTS];
    for (int v = 0; v < NVARIANTS; v++) {
        have[v] = nok[v] > 0;
        double m[MAX_ROUNDS], p[MAX_ROUNDS], t[MAX_ROUNDS];
        for (int i = 0; i < NROWS; i++) {
            int n = 0;
            for (int k = 0; k < opt.rounds; k++)
                if (results[v][k].ok && results[v][k].median[i]) {
                    m[n] = (double)results[v][k].median[i];
                    p[n++] = (double)results[v][k].p99[i];
                }
            med[v][i] = n ? median_of(m, n) : 0;
            p99[v][i] = n ? median_of(p, n) : 0;
        }
        int n = 0;
        for (int k = 0; k < opt.rounds; k++)
            if (results[v][k].ok)
                t[n++] = (double)results[v][k].tput_ns;
        tput[v] = n ? median_of(t, n) : 0;
    }

    /* ---- the table: a column pair per variant that ran, then the ratio columns that apply */
    char tput_name[32];
    if (opt.tput_bytes % (1LL << 30) == 0)
        snprintf(tput_name, sizeof tput_name, "%ld GiB", (long)(opt.tput_bytes >> 30));
    else
        snprintf(tput_name, sizeof tput_name, "%ld MiB", (long)(opt.tput_bytes >> 20));
    printf("Sockets over loopback, one server and one client process: TCP and UDP round-trip latency in us\n"
           "(median, p99) and TCP %s one-way throughput in MiB/s. %d round%s; per round and size\n"
           "%ld/%ld/%ld/%ld TCP and %ld UDP timed round trips after a warm-up; each cell is the median over\n"
           "the rounds. Ratios are sharpipc's time over the other's (throughput: the other's MiB/s over\n"
           "sharpipc's), the median of the per-round ratios: below 1 sharpipc is faster. The NetworkStream\n"
           "columns have no UDP rows (a NetworkStream is TCP only); C<->.NET pairs are Socket on both sides.\n\n",
           tput_name, opt.rounds, opt.rounds == 1 ? "" : "s", (long)opt.iters[0], (long)opt.iters[1],
           (long)opt.iters[2], (long)opt.iters[3], (long)opt.udp_iters);
    char c[4][32];
    printf("%-8s", "size");
    for (int v = 0; v < NVARIANTS; v++)
        if (opt.enabled[v])
            printf(" | %-15s", variant_titles[v]);
    for (int j = 0; j < NRATIOS; j++)
        if (col_shown(&ratio_cols[j]))
            printf(" | %-13s", ratio_cols[j].title);
    printf("\n%-8s", "");
    for (int v = 0; v < NVARIANTS; v++)
        if (opt.enabled[v])
            printf(" | %7s %7s", "median", "p99");
    for (int j = 0; j < NRATIOS; j++)
        if (col_shown(&ratio_cols[j]))
            printf(" | %6s %6s", "median", "p99");
    printf("\n");
    for (int i = 0; i < NROWS; i++) {
        printf("%-8s", i < NSIZES ? size_names[i] : udp_names[i - NSIZES]);
        for (int v = 0; v < NVARIANTS; v++) {
            if (!opt.enabled[v])
                continue;
            if (have[v] && med[v][i] > 0)
                printf(" | %7.1f %7.1f", med[v][i] / 1000.0, p99[v][i] / 1000.0);
            else
                printf(" | %7s %7s", "-", "-");
        }
        for (int j = 0; j < NRATIOS; j++) {
            if (!col_shown(&ratio_cols[j]))
                continue;
            cell_ratio(c[0], sizeof c[0], &ratio_cols[j], i);
            cell_ratio(c[1], sizeof c[1], &ratio_cols[j], NROWS + i);
            printf(" | %6s %6s", c[0], c[1]);
        }
        printf("\n");
    }
    printf("%-8s", "MiB/s");
    for (int v = 0; v < NVARIANTS; v++) {
        if (!opt.enabled[v])
            continue;
        if (have[v])
            printf(" | %15.0f", mibs((int64_t)tput[v]));
        else
            printf(" | %15s", "-");
    }
    for (int j = 0; j < NRATIOS; j++) {
        if (!col_shown(&ratio_cols[j]))
            continue;
        cell_ratio(c[0], sizeof c[0], &ratio_cols[j], 2 * NROWS);
        printf(" | %13s", c[0]);
    }
    printf("\n");
    if (dotnet_skipped)
        printf("(the .NET columns were skipped: no .NET SDK (dotnet) or no SocketBench.dll (--dotnet).)\n");

    /* ---- the library's own cost per call, measured without wake-ups */
    if (opt.enabled[V_SP] && opt.enabled[V_RAW]) {
        printf("\nCPU cost of one write + one read-exactly over loopback TCP with both ends in one thread (nothing\n"
               "blocks, no wake-ups), median over %d rotating passes; sharpipc's difference from raw:\n",
               CALL_PASSES);
        call_pair_report(1, "1 B", 10000);
        call_pair_report(65536, "64 KiB", 1000);
    }

    /* ---- how far to trust the ratios */
    printf("\nSpread of the per-round median-latency and throughput ratios (10th-90th percentile over rounds).\n"
           "A goal (within 3%% of raw; ahead of .NET's own pair) is met when the 90th percentile meets it,\n"
           "missed when the 10th does not, and not resolved (noise) in between:\n");
    static const char *const verdicts[] = {"MISSED", "not resolved", "met", "(< 5 rounds)", ""};
    for (int i = 0; i <= NROWS; i++) {
        int which = i < NROWS ? i : 2 * NROWS;
        printf("  %-8s", i < NSIZES ? size_names[i] : i < NROWS ? udp_names[i - NSIZES] : "MiB/s");
        for (int j = 0; j < NRATIOS; j++) {
            if (!col_shown(&ratio_cols[j]))
                continue;
            int a = ratio_spread(c[0], sizeof c[0], &ratio_cols[j], which);
            char cell[64];
            snprintf(cell, sizeof cell, "%s %s", c[0], a == 3 ? "" : verdicts[a + 1]);
            printf(" %-11s %-25s", ratio_cols[j].title, cell);
        }
        printf("\n");
    }
    bool all_ok = true;
    for (int v = 0; v < NVARIANTS; v++)
        if (opt.enabled[v] && nok[v] < opt.rounds) {
            printf("%s: %d of %d rounds failed (see the messages above)\n", variant_titles[v], opt.rounds - nok[v],
                   opt.rounds);
            all_ok = false;
        }
    printf("\nMeasured in %.0f s; load average before %s, after %s (the benchmark's own processes count too).\n",
           (double)(now_ns() - t_start) / 1e9, load_before, load_after);
    return all_ok ? 0 : 1;
}
