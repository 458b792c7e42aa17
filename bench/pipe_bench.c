/*
 * Named pipe benchmark: round-trip latency and one-way throughput, server and client in separate
 * processes, for four implementations of the two ends:
 *   raw       AF_UNIX SOCK_STREAM with socket/bind/listen/accept/connect and read/write
 *   sharpipc  NamedPipeServerStream / NamedPipeClientStream with Stream_ReadExactly / Stream_Write
 *   .NET      bench/dotnet/PipeBench (the same roles, the same wire protocol, the same output)
 * combined as raw<->raw, sharpipc<->sharpipc, .NET<->.NET, C client->.NET server and .NET
 * client->C server.
 *
 *   pipe_bench [--dotnet PipeBench.dll] [--rounds N] [--first-warm-ms N] [--warm-ms N]
 *              [--iters N,N,N,N] [--tput-mib N] [--only raw,sp,dn,c2dn,dn2c] [--verbose]
 * runs everything and prints one table (see bench/README.md). Without --dotnet the .NET columns
 * are skipped. Each round runs every variant once (a fresh server and client process each), in
 * an order rotated per round; a cell is the median over the rounds, a ratio the median of the
 * per-round ratios. Below the table: the spread of those ratios, and the CPU cost of the calls
 * alone (both ends in the driver's thread, raw against sharpipc, nothing blocking).
 * The roles it starts (itself again, through sp_child_start) are:
 *   pipe_bench --child server <raw|sp> NAME
 *   pipe_bench --child client <raw|sp> NAME OUTFILE FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK SIZE:ITERS...
 * The client warms each size up (untimed round trips) for WARM_MS, the first for FIRST_WARM_MS.
 *
 * The wire protocol (PipeBench's Program.cs speaks it too): the client drives, the server obeys.
 * Each phase starts with a 24-byte header of three little-endian int64 {kind, a, b}:
 *   kind 1 ECHO {size, count}:  count times: the client writes size bytes, the server reads exactly
 *                               size bytes and writes them back, the client reads exactly size.
 *   kind 2 SINK {total, chunk}: the client writes total bytes in chunk-sized writes; the server
 *                               reads (64 KiB reads) until it has total, then writes one byte.
 *                               An untimed 64 MiB SINK warms up before the timed one.
 *   kind 0 END:                 both close.
 * The client times each measured round trip (CLOCK_MONOTONIC around write + read) and, for SINK,
 * from its first write to the server's one-byte answer. Results go to OUTFILE, one line each:
 *   lat SIZE ITERS MEDIAN_NS P99_NS MEAN_NS MIN_NS
 *   tput TOTAL CHUNK ELAPSED_NS
 */
#define _GNU_SOURCE /* accept4, SOCK_CLOEXEC */
#include <sharpipc.h>

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "sp_process.h"

#define KIND_END 0
#define KIND_ECHO 1
#define KIND_SINK 2

#define SINK_READ 65536
#define MAX_SIZE (1 << 20)
#define WARM_BATCH 256
#define TPUT_WARM_BYTES (64LL << 20)

/* ================================================================ the two C implementations */

typedef enum impl { IMPL_RAW, IMPL_SP } impl;

typedef struct conn {
    impl kind;
    int fd;         /* raw */
    Stream *stream; /* sharpipc: the connected server or client stream */
    Object *owner;  /* what to Dispose */
} conn;

static void die(const char *what)
{
    const Exception *e = Exception_get_Current();
    if (e)
        fprintf(stderr, "pipe_bench[%ld]: %s: %s: %s\n", (long)getpid(), what, Exception_get_TypeName(e),
                Exception_get_Message(e));
    else
        fprintf(stderr, "pipe_bench[%ld]: %s: %s\n", (long)getpid(), what, strerror(errno));
    exit(2);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The path .NET and sharpipc use for a pipe name on Linux. */
static void pipe_path(const char *name, struct sockaddr_un *addr)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp/";
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    size_t n = strlen(tmp);
    int len =
        snprintf(addr->sun_path, sizeof addr->sun_path, "%s%sCoreFxPipe_%s", tmp, tmp[n - 1] == '/' ? "" : "/", name);
    if (len < 0 || (size_t)len >= sizeof addr->sun_path) {
        errno = ENAMETOOLONG;
        die("pipe path");
    }
}

static bool raw_read_exactly(int fd, void *buffer, int32_t count)
{
    char *p = buffer;
    while (count > 0) {
        ssize_t n = read(fd, p, (size_t)count);
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

static bool raw_write_all(int fd, const void *buffer, int32_t count)
{
    const char *p = buffer;
    while (count > 0) {
        ssize_t n = write(fd, p, (size_t)count);
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

/* The per-implementation calls, inlined into each loop: the branch on c->kind is the same for
 * every iteration, so it costs the raw loop nothing measurable. */
static inline __attribute__((always_inline)) bool c_read_exactly(conn *c, void *buffer, int32_t count)
{
    if (c->kind == IMPL_RAW)
        return raw_read_exactly(c->fd, buffer, count);
    return Stream_ReadExactly(c->stream, buffer, 0, count);
}

static inline __attribute__((always_inline)) int32_t c_read_some(conn *c, void *buffer, int32_t count)
{
    if (c->kind == IMPL_RAW) {
        for (;;) {
            ssize_t n = read(c->fd, buffer, (size_t)count);
            if (n >= 0 || errno != EINTR)
                return (int32_t)n;
        }
    }
    return Stream_Read(c->stream, buffer, 0, count);
}

static inline __attribute__((always_inline)) bool c_write(conn *c, const void *buffer, int32_t count)
{
    if (c->kind == IMPL_RAW)
        return raw_write_all(c->fd, buffer, count);
    return Stream_Write(c->stream, buffer, 0, count);
}

static conn server_open(impl kind, const char *name)
{
    conn c = {kind, -1, NULL, NULL};
    if (kind == IMPL_RAW) {
        struct sockaddr_un addr;
        pipe_path(name, &addr);
        unlink(addr.sun_path);
        int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(lfd, 1) != 0)
            die("raw server: socket/bind/listen");
        c.fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (c.fd < 0)
            die("raw server: accept");
        close(lfd);
        unlink(addr.sun_path);
    } else {
        NamedPipeServerStream *server = NamedPipeServerStream_new(name);
        if (!server)
            die("sharpipc server: NamedPipeServerStream_new");
        if (!NamedPipeServerStream_WaitForConnection(server))
            die("sharpipc server: WaitForConnection");
        c.stream = (Stream *)server;
        c.owner = (Object *)server;
    }
    return c;
}

static conn client_open(impl kind, const char *name)
{
    conn c = {kind, -1, NULL, NULL};
    if (kind == IMPL_RAW) {
        struct sockaddr_un addr;
        pipe_path(name, &addr);
        int64_t give_up = now_ns() + 30 * 1000000000LL;
        for (;;) {
            c.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (c.fd < 0)
                die("raw client: socket");
            if (connect(c.fd, (struct sockaddr *)&addr, sizeof addr) == 0)
                break;
            if ((errno != ENOENT && errno != ECONNREFUSED) || now_ns() > give_up)
                die("raw client: connect");
            close(c.fd);
            usleep(1000);
        }
    } else {
        NamedPipeClientStream *client = NamedPipeClientStream_new(name);
        if (!client)
            die("sharpipc client: NamedPipeClientStream_new");
        if (!NamedPipeClientStream_Connect(client, 30000))
            die("sharpipc client: Connect");
        c.stream = (Stream *)client;
        c.owner = (Object *)client;
    }
    return c;
}

static void conn_close(conn *c)
{
    if (c->kind == IMPL_RAW)
        close(c->fd);
    else
        Dispose(c->owner);
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

/* Every data buffer is page-aligned, in C and in PipeBench alike. The kernel's copy into user
 * memory is about twice as slow on this machine (AMD EPYC) into a buffer that is not 32-byte
 * aligned (malloc gives 16): left to chance, alignment would swamp what is measured. */
static uint8_t *page_aligned(size_t size)
{
    uint8_t *p = aligned_alloc(4096, size);
    if (!p)
        die("aligned_alloc");
    memset(p, 0, size);
    return p;
}

/* ================================================================ server role */

static int role_server(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "server: <raw|sp> NAME\n");
        return 2;
    }
    impl kind = strcmp(argv[0], "raw") == 0 ? IMPL_RAW : IMPL_SP;
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

static void round_trip(conn *c, uint8_t *out, uint8_t *in, int32_t size, int64_t i)
{
    out[0] = (uint8_t)i;
    out[size - 1] = (uint8_t)(i >> 8);
    if (!c_write(c, out, size))
        die("client: echo write");
    if (!c_read_exactly(c, in, size))
        die("client: echo read");
    if (in[0] != out[0] || in[size - 1] != out[size - 1]) {
        errno = EBADMSG;
        die("client: echo mismatch");
    }
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
        fprintf(stderr, "client: <raw|sp> NAME OUTFILE FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK SIZE:ITERS...\n");
        return 2;
    }
    impl kind = strcmp(argv[0], "raw") == 0 ? IMPL_RAW : IMPL_SP;
    const char *name = argv[1];
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

    conn c = client_open(kind, name);
    for (int arg = 7; arg < argc; arg++) {
        int32_t size;
        int64_t iters;
        if (sscanf(argv[arg], "%" SCNd32 ":%" SCNd64, &size, &iters) != 2 || size < 1 || size > MAX_SIZE || iters < 1) {
            fprintf(stderr, "client: bad SIZE:ITERS %s\n", argv[arg]);
            return 2;
        }
        /* Warm-up: batches until the time has passed (JIT tiering on a .NET peer, caches, the
         * scheduler's idea of these two processes). */
        int64_t warm_end = now_ns() + (arg == 7 ? first_warm_ns : warm_ns);
        int64_t seq = 0;
        do {
            send_header(&c, KIND_ECHO, size, WARM_BATCH);
            for (int j = 0; j < WARM_BATCH; j++)
                round_trip(&c, send_buf, recv_buf, size, seq++);
        } while (now_ns() < warm_end);

        int64_t *samples = malloc((size_t)iters * sizeof *samples);
        if (!samples)
            die("malloc");
        send_header(&c, KIND_ECHO, size, iters);
        for (int64_t j = 0; j < iters; j++) {
            int64_t t0 = now_ns();
            round_trip(&c, send_buf, recv_buf, size, j);
            samples[j] = now_ns() - t0;
        }
        double sum = 0;
        for (int64_t j = 0; j < iters; j++)
            sum += (double)samples[j];
        qsort(samples, (size_t)iters, sizeof *samples, cmp_i64);
        fprintf(out, "lat %d %ld %ld %ld %ld %ld\n", size, (long)iters, (long)percentile(samples, iters, 50),
                (long)percentile(samples, iters, 99), (long)(sum / (double)iters), (long)samples[0]);
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
static const int32_t sizes[NSIZES] = {1, 64, 4096, 65536};
static const char *const size_names[NSIZES] = {"1 B", "64 B", "4 KiB", "64 KiB"};

enum { V_RAW, V_SP, V_DN, V_C2DN, V_DN2C, NVARIANTS };
static const char *const variant_keys[NVARIANTS] = {"raw", "sp", "dn", "c2dn", "dn2c"};
static const char *const variant_titles[NVARIANTS] = {"raw syscalls", "sharpipc C<->C", ".NET<->.NET",
                                                      "C cli->.NET srv", ".NET cli->C srv"};
static const bool variant_needs_dotnet[NVARIANTS] = {false, false, true, true, true};

#define MAX_ROUNDS 31

typedef struct result {
    bool ok;
    int64_t median[NSIZES], p99[NSIZES], mean[NSIZES];
    int64_t tput_ns;
} result;

static struct {
    const char *dotnet_dll;
    int rounds;
    int first_warm_ms;
    int warm_ms;
    int64_t iters[NSIZES];
    int64_t tput_bytes;
    int32_t tput_chunk;
    bool enabled[NVARIANTS];
    bool verbose;
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

static const char *dotnet_exe(void)
{
    const char *d = getenv("DOTNET");
    return d && *d ? d : "dotnet";
}

/* argv for one end: a C role (this executable again) or PipeBench.dll. */
typedef struct end_spec {
    bool dotnet;
    const char *impl; /* raw | sp for C */
} end_spec;

static sp_child *start_end(end_spec e, bool server, const char *name, const char *outfile, char **sched, int nsched)
{
    const char *args[32];
    int n = 0;
    if (e.dotnet) {
        args[n++] = dotnet_exe();
        args[n++] = opt.dotnet_dll;
        args[n++] = server ? "server" : "client";
    } else {
        args[n++] = e.impl;
    }
    args[n++] = name;
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
    end_spec server, client;
    switch (v) {
    case V_RAW: server = client = (end_spec){false, "raw"}; break;
    case V_SP: server = client = (end_spec){false, "sp"}; break;
    case V_DN: server = client = (end_spec){true, NULL}; break;
    case V_C2DN:
        server = (end_spec){true, NULL};
        client = (end_spec){false, "sp"};
        break;
    default:
        server = (end_spec){false, "sp"};
        client = (end_spec){true, NULL};
        break;
    }
    char bufs[4 + NSIZES][32];
    char *sched[4 + NSIZES];
    snprintf(bufs[0], 32, "%d", opt.first_warm_ms);
    snprintf(bufs[1], 32, "%d", opt.warm_ms);
    snprintf(bufs[2], 32, "%ld", (long)opt.tput_bytes);
    snprintf(bufs[3], 32, "%d", opt.tput_chunk);
    for (int i = 0; i < NSIZES; i++)
        snprintf(bufs[4 + i], 32, "%d:%ld", sizes[i], (long)opt.iters[i]);
    for (int i = 0; i < 4 + NSIZES; i++)
        sched[i] = bufs[i];

    const char *name = sp_unique_name("spbench");
    char outfile[256];
    const char *tmp = getenv("TMPDIR");
    snprintf(outfile, sizeof outfile, "%s/%s.out", tmp && *tmp ? tmp : "/tmp", name);
    unlink(outfile);

    sp_child *srv = start_end(server, true, name, NULL, NULL, 0);
    sp_child *cli = srv ? start_end(client, false, name, outfile, sched, 4 + NSIZES) : NULL;
    if (!srv || !cli) {
        fprintf(stderr, "pipe_bench: %s: cannot start a process\n", variant_titles[v]);
        if (srv) {
            sp_child_kill(srv);
            sp_child_free(srv);
        }
        return false;
    }
    int crc = sp_child_wait(cli, 120000);
    int src = sp_child_wait(srv, crc == 0 ? 30000 : 2000);
    sp_child_free(cli);
    sp_child_free(srv);
    if (crc != 0 || src != 0) {
        fprintf(stderr, "pipe_bench: %s: client exit %d, server exit %d\n", variant_titles[v], crc, src);
        unlink(outfile);
        return false;
    }
    FILE *f = fopen(outfile, "r");
    if (!f) {
        fprintf(stderr, "pipe_bench: %s: no results\n", variant_titles[v]);
        return false;
    }
    memset(r, 0, sizeof *r);
    int seen = 0;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        long a, b, c, d, e, g;
        if (sscanf(line, "lat %ld %ld %ld %ld %ld %ld", &a, &b, &c, &d, &e, &g) == 6) {
            for (int i = 0; i < NSIZES; i++)
                if (sizes[i] == a) {
                    r->median[i] = c;
                    r->p99[i] = d;
                    r->mean[i] = e;
                    seen |= 1 << i;
                }
        } else if (sscanf(line, "tput %ld %ld %ld", &a, &b, &c) == 3) {
            r->tput_ns = c;
            seen |= 1 << NSIZES;
        }
    }
    fclose(f);
    unlink(outfile);
    r->ok = seen == (1 << (NSIZES + 1)) - 1;
    if (!r->ok)
        fprintf(stderr, "pipe_bench: %s: incomplete results\n", variant_titles[v]);
    return r->ok;
}

/* Median over n values (sorts them). */
static double median_of(double *values, int n) { return quantile(values, n, 0.5); }

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
    fprintf(stderr, "usage: pipe_bench [--dotnet PipeBench.dll] [--rounds N] [--first-warm-ms N] [--warm-ms N]\n"
                    "                  [--iters N,N,N,N] [--tput-mib N] [--only raw,sp,dn,c2dn,dn2c] [--verbose]\n");
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

/* The per-round time ratios sharpipc / other, for rounds where both succeeded. which: 0..NSIZES-1
 * median latency of that size, NSIZES + i p99 of size i, 2 * NSIZES throughput. */
static int paired_ratios(int other, int which, double *out)
{
    int n = 0;
    for (int k = 0; k < opt.rounds; k++) {
        const result *a = &results[V_SP][k], *b = &results[other][k];
        if (!a->ok || !b->ok)
            continue;
        double x, y;
        if (which < NSIZES) {
            x = (double)a->median[which];
            y = (double)b->median[which];
        } else if (which < 2 * NSIZES) {
            x = (double)a->p99[which - NSIZES];
            y = (double)b->p99[which - NSIZES];
        } else {
            x = (double)a->tput_ns;
            y = (double)b->tput_ns;
        }
        if (y > 0)
            out[n++] = x / y;
    }
    return n;
}

static void cell_ratio(char *buf, size_t n, int other, int which)
{
    double r[MAX_ROUNDS];
    int k = paired_ratios(other, which, r);
    if (k == 0)
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.3f", median_of(r, k));
}

/* "p10-p90" of the per-round ratios, and whether they clear `limit` (1: the middle 80% is all at
 * or below it, -1: all above it, 0: it straddles). The rounds of one run are not independent
 * (the machine's state drifts over tens of seconds), so the verdict asks for a wide margin. */
static int ratio_spread(char *buf, size_t n, int other, int which, double limit)
{
    double r[MAX_ROUNDS];
    int k = paired_ratios(other, which, r);
    if (k == 0) {
        snprintf(buf, n, "-");
        return 0;
    }
    double lo = quantile(r, k, 0.10), hi = quantile(r, k, 0.90);
    snprintf(buf, n, "%.3f-%.3f", lo, hi);
    if (k < 5)
        return 2; /* too few rounds to say */
    return hi <= limit ? 1 : lo > limit ? -1 : 0;
}

/* ================================================================ per-call cost, one thread */

/* The CPU cost of the calls themselves, without the wake-ups that dominate (and blur) a round
 * trip between processes: one thread owns both ends of a connection and loops write(size) on the
 * client end then read-exactly(size) on the server end. The data is always there, so nothing
 * ever blocks, and the difference between raw and sharpipc is the library's own work per call.
 * Short passes alternate between the two, so that the machine's drift lands on both alike. */
typedef struct call_pair {
    conn server, client;
} call_pair;

static call_pair call_pair_open(impl kind)
{
    const char *name = sp_unique_name("spbench_calls");
    call_pair p = {{kind, -1, NULL, NULL}, {kind, -1, NULL, NULL}};
    if (kind == IMPL_RAW) {
        struct sockaddr_un addr;
        pipe_path(name, &addr);
        unlink(addr.sun_path);
        int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(lfd, 1) != 0)
            die("calls: raw listen");
        p.client.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (p.client.fd < 0 || connect(p.client.fd, (struct sockaddr *)&addr, sizeof addr) != 0)
            die("calls: raw connect");
        p.server.fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (p.server.fd < 0)
            die("calls: raw accept");
        close(lfd);
        unlink(addr.sun_path);
    } else {
        NamedPipeServerStream *s = NamedPipeServerStream_new(name);
        NamedPipeClientStream *c = NamedPipeClientStream_new(name);
        if (!s || !c || !NamedPipeClientStream_Connect(c, 5000) || !NamedPipeServerStream_WaitForConnection(s))
            die("calls: sharpipc connect");
        p.server.stream = (Stream *)s;
        p.server.owner = (Object *)s;
        p.client.stream = (Stream *)c;
        p.client.owner = (Object *)c;
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

/* Prints raw's and sharpipc's median ns per write + read-exactly, and the median and quartiles of
 * the per-pass differences. */
static void call_pair_report(int32_t size, const char *size_name, int iters)
{
    uint8_t *out = page_aligned(size), *in = page_aligned(size);
    call_pair raw = call_pair_open(IMPL_RAW), sp = call_pair_open(IMPL_SP);
    call_pair_pass(&raw, size, iters, out, in); /* warm-up */
    call_pair_pass(&sp, size, iters, out, in);
    double r[CALL_PASSES], s[CALL_PASSES], d[CALL_PASSES];
    for (int k = 0; k < CALL_PASSES; k++) {
        if (k % 2) {
            s[k] = call_pair_pass(&sp, size, iters, out, in);
            r[k] = call_pair_pass(&raw, size, iters, out, in);
        } else {
            r[k] = call_pair_pass(&raw, size, iters, out, in);
            s[k] = call_pair_pass(&sp, size, iters, out, in);
        }
        d[k] = s[k] - r[k];
    }
    double rm = median_of(r, CALL_PASSES), sm = median_of(s, CALL_PASSES);
    double q1 = quantile(d, CALL_PASSES, 0.25), dm = quantile(d, CALL_PASSES, 0.5), q3 = quantile(d, CALL_PASSES, 0.75);
    printf("  %-7s raw %6.0f ns   sharpipc %6.0f ns   sharpipc - raw: %+5.0f ns (%+.1f%%; quartiles %+.0f, %+.0f ns)\n",
           size_name, rm, sm, dm, 100.0 * dm / rm, q1, q3);
    conn_close(&raw.client);
    conn_close(&raw.server);
    conn_close(&sp.client);
    conn_close(&sp.server);
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
        } else {
            return usage();
        }
    }
    signal(SIGPIPE, SIG_IGN);

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
    /* Rounds interleave the variants, so that a slow spell of the machine lands on every variant
     * rather than on one, and the ratios compare runs made seconds apart. The order rotates each
     * round and runs backwards every other round, so each variant runs before and after each
     * other variant equally often. */
    bool progress = !opt.verbose && isatty(STDERR_FILENO);
    for (int round = 0; round < opt.rounds; round++) {
        if (progress)
            fprintf(stderr, "\rpipe_bench: round %d of %d ", round + 1, opt.rounds);
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
                    for (int i = 0; i < NSIZES; i++)
                        fprintf(stderr, "  %s %.1f/%.1f", size_names[i], r->median[i] / 1000.0, r->p99[i] / 1000.0);
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
    double med[NVARIANTS][NSIZES], p99[NVARIANTS][NSIZES], tput[NVARIANTS];
    bool have[NVARIANTS];
    for (int v = 0; v < NVARIANTS; v++) {
        have[v] = nok[v] > 0;
        double m[MAX_ROUNDS], p[MAX_ROUNDS], t[MAX_ROUNDS];
        for (int i = 0; i < NSIZES; i++) {
            int n = 0;
            for (int k = 0; k < opt.rounds; k++)
                if (results[v][k].ok) {
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
    printf("Named pipes, one server and one client process: round-trip latency in us (median, p99)\n"
           "and %s one-way throughput in MiB/s. %d round%s; per round and size %ld/%ld/%ld/%ld timed round\n"
           "trips after a warm-up; each cell is the median over the rounds. Ratios are sharpipc's time over\n"
           "the other's (throughput: the other's MiB/s over sharpipc's), the median of the per-round\n"
           "ratios: below 1 sharpipc is faster.\n\n",
           tput_name, opt.rounds, opt.rounds == 1 ? "" : "s", (long)opt.iters[0], (long)opt.iters[1],
           (long)opt.iters[2], (long)opt.iters[3]);
    bool show_raw_ratio = opt.enabled[V_SP] && opt.enabled[V_RAW];
    bool show_dn_ratio = opt.enabled[V_SP] && opt.enabled[V_DN];
    char c[4][32];
    printf("%-7s", "size");
    for (int v = 0; v < NVARIANTS; v++)
        if (opt.enabled[v])
            printf(" | %-15s", variant_titles[v]);
    if (show_raw_ratio)
        printf(" | %-13s", "sp/raw");
    if (show_dn_ratio)
        printf(" | %-13s", "sp/.NET");
    printf("\n%-7s", "");
    for (int v = 0; v < NVARIANTS; v++)
        if (opt.enabled[v])
            printf(" | %7s %7s", "median", "p99");
    if (show_raw_ratio)
        printf(" | %6s %6s", "median", "p99");
    if (show_dn_ratio)
        printf(" | %6s %6s", "median", "p99");
    printf("\n");
    for (int i = 0; i < NSIZES; i++) {
        printf("%-7s", size_names[i]);
        for (int v = 0; v < NVARIANTS; v++) {
            if (!opt.enabled[v])
                continue;
            if (have[v])
                printf(" | %7.1f %7.1f", med[v][i] / 1000.0, p99[v][i] / 1000.0);
            else
                printf(" | %7s %7s", "-", "-");
        }
        if (show_raw_ratio) {
            cell_ratio(c[0], sizeof c[0], V_RAW, i);
            cell_ratio(c[1], sizeof c[1], V_RAW, NSIZES + i);
            printf(" | %6s %6s", c[0], c[1]);
        }
        if (show_dn_ratio) {
            cell_ratio(c[2], sizeof c[2], V_DN, i);
            cell_ratio(c[3], sizeof c[3], V_DN, NSIZES + i);
            printf(" | %6s %6s", c[2], c[3]);
        }
        printf("\n");
    }
    printf("%-7s", "MiB/s");
    for (int v = 0; v < NVARIANTS; v++) {
        if (!opt.enabled[v])
            continue;
        if (have[v])
            printf(" | %15.0f", mibs((int64_t)tput[v]));
        else
            printf(" | %15s", "-");
    }
    if (show_raw_ratio) {
        cell_ratio(c[0], sizeof c[0], V_RAW, 2 * NSIZES);
        printf(" | %13s", c[0]);
    }
    if (show_dn_ratio) {
        cell_ratio(c[1], sizeof c[1], V_DN, 2 * NSIZES);
        printf(" | %13s", c[1]);
    }
    printf("\n");
    if (dotnet_skipped)
        printf("(.NET<->.NET, C cli->.NET srv and .NET cli->C srv skipped: no .NET SDK (dotnet) or no PipeBench.dll "
               "(--dotnet).)\n");

    /* ---- the library's own cost per call, measured without wake-ups */
    if (opt.enabled[V_SP] && opt.enabled[V_RAW]) {
        printf("\nCPU cost of one write + one read-exactly with both ends in one thread (nothing blocks, no\n"
               "wake-ups), median over %d alternating passes:\n",
               CALL_PASSES);
        call_pair_report(1, "1 B", 10000);
        call_pair_report(65536, "64 KiB", 1000);
    }

    /* ---- how far to trust the ratios */
    if (show_raw_ratio || show_dn_ratio)
        printf("\nSpread of the per-round median-latency and throughput ratios (10th-90th percentile over rounds).\n"
               "A goal (sharpipc within 5%% of raw; sharpipc ahead of .NET<->.NET) is met when the 90th percentile\n"
               "meets it, missed when the 10th does not, and not resolved (noise) in between:\n");
    /* Indexed by ratio_spread's answer + 1: -1 clear miss, 0 straddles, 1 clear, 2 too few rounds. */
    static const char *const verdict_raw[] = {"within 5%: MISSED", "within 5%: not resolved", "within 5%: met",
                                              "(fewer than 5 rounds)"};
    static const char *const verdict_dn[] = {"ahead: NO", "ahead: not resolved", "ahead: yes", "(fewer than 5 rounds)"};
    for (int i = 0; i <= NSIZES && (show_raw_ratio || show_dn_ratio); i++) {
        int which = i < NSIZES ? i : 2 * NSIZES;
        int a = ratio_spread(c[0], sizeof c[0], V_RAW, which, 1.05);
        int b = ratio_spread(c[1], sizeof c[1], V_DN, which, 1.0);
        printf("  %-7s", i < NSIZES ? size_names[i] : "MiB/s");
        if (show_raw_ratio)
            printf(" sp/raw %-13s %-25s", c[0], strcmp(c[0], "-") ? verdict_raw[a + 1] : "");
        if (show_dn_ratio)
            printf(" sp/.NET %-13s %s", c[1], strcmp(c[1], "-") ? verdict_dn[b + 1] : "");
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
