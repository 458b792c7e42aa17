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
#include <unistd.h>

#include "bench_common.h"

/* ================================================================ the two C implementations */

typedef enum impl { IMPL_RAW, IMPL_SP } impl;

typedef struct conn {
    impl kind;
    int fd;         /* raw */
    Stream *stream; /* sharpipc: the connected server or client stream */
    Object *owner;  /* what to Dispose */
} conn;

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
        bc_die("pipe path");
    }
}

/* The per-implementation calls, inlined into each loop: the branch on c->kind is the same for
 * every iteration, so it costs the raw loop nothing measurable. */
static inline __attribute__((always_inline)) bool c_read_exactly(conn *c, void *buffer, int32_t count)
{
    if (c->kind == IMPL_RAW)
        return bc_raw_read_exactly(c->fd, buffer, count);
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
        return bc_raw_write_all(c->fd, buffer, count);
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
            bc_die("raw server: socket/bind/listen");
        c.fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (c.fd < 0)
            bc_die("raw server: accept");
        close(lfd);
        unlink(addr.sun_path);
    } else {
        NamedPipeServerStream *server = NamedPipeServerStream_new(name);
        if (!server)
            bc_die("sharpipc server: NamedPipeServerStream_new");
        if (!NamedPipeServerStream_WaitForConnection(server))
            bc_die("sharpipc server: WaitForConnection");
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
        int64_t give_up = bc_now_ns() + 30 * 1000000000LL;
        for (;;) {
            c.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (c.fd < 0)
                bc_die("raw client: socket");
            if (connect(c.fd, (struct sockaddr *)&addr, sizeof addr) == 0)
                break;
            if ((errno != ENOENT && errno != ECONNREFUSED) || bc_now_ns() > give_up)
                bc_die("raw client: connect");
            close(c.fd);
            usleep(1000);
        }
    } else {
        NamedPipeClientStream *client = NamedPipeClientStream_new(name);
        if (!client)
            bc_die("sharpipc client: NamedPipeClientStream_new");
        if (!NamedPipeClientStream_Connect(client, 30000))
            bc_die("sharpipc client: Connect");
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

static impl parse_impl(const char *s) { return strcmp(s, "raw") == 0 ? IMPL_RAW : IMPL_SP; }

#define BC_IMPLS "<raw|sp>"
#define BC_ADDR "NAME"
#define BC_CONN_DEFINED
#include "bench_common.h" /* the roles' protocol code, over this file's conn */

/* ================================================================ driver */

#define NSIZES 4
static const bc_row rows[] = {
    {"lat", 1, "1 B"}, {"lat", 64, "64 B"}, {"lat", 4096, "4 KiB"}, {"lat", 65536, "64 KiB"}, {"tput", 0, "MiB/s"},
};

enum { V_RAW, V_SP, V_DN, V_C2DN, V_DN2C, NVARIANTS };
static const char *const variant_keys[NVARIANTS] = {"raw", "sp", "dn", "c2dn", "dn2c"};
static const char *const variant_titles[NVARIANTS] = {"raw syscalls", "sharpipc C<->C", ".NET<->.NET",
                                                      "C cli->.NET srv", ".NET cli->C srv"};
static const bool variant_needs_dotnet[NVARIANTS] = {false, false, true, true, true};
static const bc_ratio_col ratio_cols[] = {
    {V_SP, V_RAW, "sp/raw", 1.05},
    {V_SP, V_DN, "sp/.NET", 1.0},
};

static bc_bench bench;

/* Each variant's server and client end. */
static const bc_end c_raw = {false, "raw", NULL}, c_sp = {false, "sp", NULL}, dn = {true, NULL, NULL};
static const bc_end *const ends[NVARIANTS][2] = {
    {&c_raw, &c_raw}, {&c_sp, &c_sp}, {&dn, &dn}, {&dn, &c_sp}, {&c_sp, &dn},
};

static bool run_variant(int v, bc_result *r)
{
    char bufs[BC_MAX_SCHED][32], *sched[BC_MAX_SCHED];
    int nsched = bc_schedule(v, bufs, sched);
    return bc_run(v, ends[v][0], ends[v][1], "spbench", false, sched, nsched, 120000, r);
}

static int usage(void)
{
    fprintf(stderr, "usage: pipe_bench [--dotnet PipeBench.dll] [--rounds N] [--first-warm-ms N] [--warm-ms N]\n"
                    "                  [--iters N,N,N,N] [--tput-mib N] [--only raw,sp,dn,c2dn,dn2c] [--verbose]\n");
    return 2;
}

/* ================================================================ per-call cost, one thread */

/* The CPU cost of the calls themselves, without the wake-ups that dominate (and blur) a round
 * trip between processes: one thread owns both ends of a connection and loops write(size) on the
 * client end then read-exactly(size) on the server end. The data is always there, so nothing
 * ever blocks, and the difference between raw and sharpipc is the library's own work per call.
 * Short passes alternate between the two, so that the machine's drift lands on both alike. */
static bc_call_pair call_pair_open(impl kind)
{
    const char *name = sp_unique_name("spbench_calls");
    bc_call_pair p = {{kind, -1, NULL, NULL}, {kind, -1, NULL, NULL}};
    if (kind == IMPL_RAW) {
        struct sockaddr_un addr;
        pipe_path(name, &addr);
        unlink(addr.sun_path);
        int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(lfd, 1) != 0)
            bc_die("calls: raw listen");
        p.client.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (p.client.fd < 0 || connect(p.client.fd, (struct sockaddr *)&addr, sizeof addr) != 0)
            bc_die("calls: raw connect");
        p.server.fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (p.server.fd < 0)
            bc_die("calls: raw accept");
        close(lfd);
        unlink(addr.sun_path);
    } else {
        NamedPipeServerStream *s = NamedPipeServerStream_new(name);
        NamedPipeClientStream *c = NamedPipeClientStream_new(name);
        if (!s || !c || !NamedPipeClientStream_Connect(c, 5000) || !NamedPipeServerStream_WaitForConnection(s))
            bc_die("calls: sharpipc connect");
        p.server.stream = (Stream *)s;
        p.server.owner = (Object *)s;
        p.client.stream = (Stream *)c;
        p.client.owner = (Object *)c;
    }
    return p;
}

static void call_pair_report(int32_t size, const char *size_name, int iters)
{
    bc_calls x = {{call_pair_open(IMPL_RAW), call_pair_open(IMPL_SP)}, 2, size, iters, NULL, NULL};
    double t[2][BC_CALL_PASSES], d[2][BC_CALL_PASSES];
    bc_calls_run(&x, t, d, conn_close);
    double rm = bc_median_of(t[0], BC_CALL_PASSES), sm = bc_median_of(t[1], BC_CALL_PASSES);
    double q1 = bc_quantile(d[1], BC_CALL_PASSES, 0.25), dm = bc_quantile(d[1], BC_CALL_PASSES, 0.5),
           q3 = bc_quantile(d[1], BC_CALL_PASSES, 0.75);
    printf("  %-7s raw %6.0f ns   sharpipc %6.0f ns   sharpipc - raw: %+5.0f ns (%+.1f%%; quartiles %+.0f, %+.0f ns)\n",
           size_name, rm, sm, dm, 100.0 * dm / rm, q1, q3);
}

int main(int argc, char **argv)
{
    bc_init(&bench, "pipe_bench", NVARIANTS, variant_keys, variant_titles, variant_needs_dotnet, rows, NSIZES + 1,
            ratio_cols, 2, run_variant);
    bc_echo_defaults(&bench);
    int rc = bc_child_main(argc, argv);
    if (rc != -1)
        return rc;

    for (int i = 1; i < argc; i++)
        if (bc_parse_option(argc, argv, &i) != 1)
            return usage();
    signal(SIGPIPE, SIG_IGN);

    bc_run_rounds();

    printf("Named pipes, one server and one client process: round-trip latency in us (median, p99)\n"
           "and %s one-way throughput in MiB/s. %d round%s; per round and size %ld/%ld/%ld/%ld timed round\n"
           "trips after a warm-up; each cell is the median over the rounds. Ratios are sharpipc's time over\n"
           "the other's (throughput: the other's MiB/s over sharpipc's), the median of the per-round\n"
           "ratios: below 1 sharpipc is faster.\n\n",
           bc_tput_name(), bench.rounds, bench.rounds == 1 ? "" : "s", (long)bench.iters[0], (long)bench.iters[1],
           (long)bench.iters[2], (long)bench.iters[3]);
    bc_print_table("(.NET<->.NET, C cli->.NET srv and .NET cli->C srv skipped: no .NET SDK (dotnet) or no "
                   "PipeBench.dll (--dotnet).)");
    bool show_raw_ratio = bc_col_shown(&ratio_cols[0]), show_dn_ratio = bc_col_shown(&ratio_cols[1]);

    /* ---- the library's own cost per call, measured without wake-ups */
    if (show_raw_ratio) {
        printf("\nCPU cost of one write + one read-exactly with both ends in one thread (nothing blocks, no\n"
               "wake-ups), median over %d alternating passes:\n",
               BC_CALL_PASSES);
        call_pair_report(1, "1 B", 10000);
        call_pair_report(65536, "64 KiB", 1000);
    }

    /* ---- how far to trust the ratios */
    if (show_raw_ratio || show_dn_ratio)
        printf("\nSpread of the per-round median-latency and throughput ratios (10th-90th percentile over rounds).\n"
               "A goal (sharpipc within 5%% of raw; sharpipc ahead of .NET<->.NET) is met when the 90th percentile\n"
               "meets it, missed when the 10th does not, and not resolved (noise) in between:\n");
    /* Indexed by bc_ratio_spread's answer + 1: -1 clear miss, 0 straddles, 1 clear, 2 too few rounds. */
    static const char *const verdict_raw[] = {"within 5%: MISSED", "within 5%: not resolved", "within 5%: met",
                                              "(fewer than 5 rounds)", ""};
    static const char *const verdict_dn[] = {"ahead: NO", "ahead: not resolved", "ahead: yes", "(fewer than 5 rounds)",
                                             ""};
    char c[2][32];
    for (int i = 0; i <= NSIZES && (show_raw_ratio || show_dn_ratio); i++) {
        int which = i < NSIZES ? i : 2 * NSIZES;
        int a = bc_ratio_spread(c[0], sizeof c[0], &ratio_cols[0], which);
        int b = bc_ratio_spread(c[1], sizeof c[1], &ratio_cols[1], which);
        printf("  %-7s", rows[i].name);
        if (show_raw_ratio)
            printf(" sp/raw %-13s %-25s", c[0], verdict_raw[a + 1]);
        if (show_dn_ratio)
            printf(" sp/.NET %-13s %s", c[1], verdict_dn[b + 1]);
        printf("\n");
    }
    return bc_finish();
}
