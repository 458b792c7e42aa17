/*
 * What the process-pair benchmarks (pipe_bench.c, socket_bench.c, rpc_bench.c) share: the helpers
 * of their child roles (timing, samples to a result line, page-aligned buffers, the 24-byte phase
 * header), and the driver that runs each variant once per round in a rotating order, reads the
 * client's result lines back, and prints one table of medians and per-round ratios with their
 * spread. Each benchmark keeps its own I/O, variants and wording.
 *
 * Result lines (written by every client role, C and .NET alike):
 *   TAG SIZE ITERS MEDIAN_NS P99_NS MEAN_NS MIN_NS    a latency row (TAG is "lat", "udp", ...)
 *   tput A B ELAPSED_NS                               the next throughput row, in the order given
 */
#ifndef SHARPIPC_BENCH_COMMON_H
#define SHARPIPC_BENCH_COMMON_H

#include <sharpipc.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sp_process.h"

/* ================================================================ role helpers */

/* Prints "NAME[pid]: what: the pending exception (or errno)" and exits with 2. */
void bc_die(const char *what) __attribute__((noreturn));
int64_t bc_now_ns(void);
void bc_put64(uint8_t *p, int64_t v);
int64_t bc_get64(const uint8_t *p);
/* Every data buffer is page-aligned, in C and in the .NET twins alike. The kernel's copy into user
 * memory is about twice as slow on this machine (AMD EPYC) into a buffer that is not 32-byte
 * aligned (malloc gives 16): left to chance, alignment would swamp what is measured. Zeroed. */
uint8_t *bc_page_aligned(size_t size);
/* The raw baselines' read-exactly and write-all on a connected socket (AF_UNIX or TCP): recv and
 * send(MSG_NOSIGNAL) in a loop, retrying EINTR; false with errno set (EPIPE at end of stream).
 * Out of line, as the library's calls are (callgrind's --toggle-collect can name them). */
bool bc_raw_read_exactly(int fd, void *buffer, int32_t count);
bool bc_raw_write_all(int fd, const void *buffer, int32_t count);
/* A sharpipc TCP Socket listening on 127.0.0.1, port 0 (backlog 1), and a Socket's local port. */
Socket *bc_sp_tcp_listener(void);
int bc_sp_port(Socket *s);
/* The server's "A B\n" port file, written aside and renamed into place; the client waits up to
 * 30 s for it. */
void bc_write_port_file(const char *path, int a, int b);
void bc_read_port_file(const char *path, int *a, int *b);
/* Sorts the samples and writes "TAG SIZE ITERS MEDIAN P99 MEAN MIN" to out. */
void bc_write_lat(FILE *out, const char *tag, int32_t size, int64_t *samples, int64_t iters);

/* ================================================================ statistics */

/* The q-quantile (0..1) of n values, interpolated; sorts them. */
void bc_sort_i64(int64_t *values, size_t n); /* ascending, in place */
double bc_quantile(double *values, int n, double q);
/* Median over n values (sorts them). */
double bc_median_of(double *values, int n);

/* ================================================================ driver */

/* The element count of a table. */
#define BC_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define BC_MAX_ROUNDS 31
#define BC_MAX_ROWS 8
#define BC_MAX_TPUT 2
#define BC_MAX_VARIANTS 8

/* One row of the table: a latency row (its result lines are "tag size ...") or, with tag "tput",
 * a throughput row (the next "tput" line; the bench's rate() turns its ns into the printed value).
 * Latency rows come first. */
typedef struct bc_row {
    const char *tag;
    int32_t size;
    const char *name;
} bc_row;

typedef struct bc_result {
    bool ok;
    int64_t median[BC_MAX_ROWS], p99[BC_MAX_ROWS], mean[BC_MAX_ROWS];
    int64_t tput_ns[BC_MAX_TPUT];
} bc_result;

/* A ratio column: variant mine's time over variant other's, per round; limit is the goal. */
typedef struct bc_ratio_col {
    int mine, other;
    const char *title;
    double limit;
} bc_ratio_col;

/* One end of a variant: a C role (this executable again, with `impl` as its first argument) or
 * the .NET twin (`dotnet DLL server|client [impl]`), or any program (argv0, e.g. mono). */
typedef struct bc_end {
    bool dotnet;
    const char *impl;
    const char *const *argv0; /* NULL-terminated prefix for another program, or NULL */
} bc_end;

typedef struct bc_bench {
    const char *name; /* the program's name, for messages */
    int nvariants;
    const char *const *variant_keys, *const *variant_titles;
    const bool *variant_needs_dotnet;
    int nrows; /* latency rows, then throughput rows */
    const bc_row *rows;
    int nratios;
    const bc_ratio_col *ratios;
    double (*rate)(int tput_row, int64_t ns); /* a throughput row's printed value */
    bool (*run_variant)(int v, bc_result *r);
    bool (*row_applies)(int v, int row); /* NULL: every variant has every row */
    int first_width;                     /* the width of the table's first column */

    /* the common options, with their defaults set by the bench before bc_parse_option */
    const char *dotnet_dll;
    int rounds, first_warm_ms, warm_ms;
    int64_t iters[BC_MAX_ROWS];
    int niters; /* how many values --iters takes */
    int64_t tput_bytes;
    int32_t tput_chunk;
    bool enabled[BC_MAX_VARIANTS];
    bool verbose;

    /* filled by bc_run_rounds */
    bc_result results[BC_MAX_VARIANTS][BC_MAX_ROUNDS];
    int nok[BC_MAX_VARIANTS];
    int64_t t_start;
    char load_before[64], load_after[64];
    bool dotnet_skipped;
} bc_bench;

extern bc_bench *bc; /* the running benchmark (bc_die names it) */

/* Makes b the running benchmark: its name, variants (keys, titles, which need .NET), rows, ratio
 * columns and run_variant, every variant enabled. */
void bc_init(bc_bench *b, const char *name, int nvariants, const char *const *keys, const char *const *titles,
             const bool *needs_dotnet, const bc_row *rows, int nrows, const bc_ratio_col *ratios, int nratios,
             bool (*run_variant)(int v, bc_result *r));
/* The echo benchmarks' defaults: 11 rounds, 300 ms warm-up on the first size and 50 on the others,
 * 3000/3000/3000/2000 iterations, 1 GiB in 64 KiB writes, MiB/s as the throughput rate. */
void bc_echo_defaults(bc_bench *b);

/* Parses argv[*i] if it is a common option (--dotnet --rounds --first-warm-ms --warm-ms --iters
 * --tput-mib --only --verbose), advancing *i past its value: 1 parsed, 0 not a common option,
 * -1 a bad value. */
int bc_parse_option(int argc, char **argv, int *i);
/* The latency and throughput row counts. */
int bc_nlat(void);
int bc_ntput(void);
/* The client's schedule arguments for variant v: FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK, then
 * SIZE:ITERS for each latency row the variant has ("uSIZE:ITERS" for a row whose tag is not
 * "lat"), with iters[row]; bufs holds them. Returns how many. */
#define BC_MAX_SCHED (4 + BC_MAX_ROWS)
int bc_schedule(int v, char bufs[BC_MAX_SCHED][32], char **sched);
/* "$TMPDIR/name.ext" (/tmp without TMPDIR) into buf. */
void bc_temp_path(char *buf, size_t n, const char *name, const char *ext);
/* Starts the server end (with addr), then the client end (addr, a fresh OUTFILE, then sched),
 * waits for both (the client up to client_ms) and reads the client's results into r. */
bool bc_run_pair(int v, bc_end server, bc_end client, const char *addr, const char *outfile, char **sched, int nsched,
                 int client_ms, bc_result *r);
/* bc_run_pair with fresh files: "$TMPDIR/PREFIX-unique.out" for the results and, with portfile,
 * "....port" as the address (removed after), else the unique name itself (a pipe's name). */
bool bc_run(int v, const bc_end *server, const bc_end *client, const char *prefix, bool portfile, char **sched,
            int nsched, int client_ms, bc_result *r);
/* Drops the .NET variants without --dotnet, then runs every enabled variant once per round. */
void bc_run_rounds(void);
/* "1 GiB" or "N MiB": the throughput phase's size, for a table's title. */
const char *bc_tput_name(void);
/* Prints the table (intro is printed above it, skipped_note below it when .NET was skipped). */
void bc_print_table(const char *skipped_note);
/* The per-round ratio's median in buf ("-" without data). which: a latency row's median (0..nlat-1),
 * nlat + row its p99, 2 * nlat + t throughput row t. */
void bc_cell_ratio(char *buf, size_t n, const bc_ratio_col *col, int which);
/* "p10-p90" of the per-round ratios, and whether they clear the column's goal: 1 the middle 80% is
 * all at or below it, -1 all above it, 0 it straddles, 2 too few rounds, 3 no data. The rounds of
 * one run are not independent (the machine's state drifts over tens of seconds), so the verdict
 * asks for a wide margin. */
int bc_ratio_spread(char *buf, size_t n, const bc_ratio_col *col, int which);
bool bc_col_shown(const bc_ratio_col *col);
/* One line per row: its name, then per shown ratio column its title (in title_width), "p10-p90"
 * and the verdict on its goal. */
void bc_print_spread(int title_width);
/* The median of n ratios (r sorted in place) and its distribution-free 95% interval: the order
 * statistics k and n+1-k with k = n/2 - 0.98 sqrt(n) (the binomial's normal approximation). */
void bc_median_interval(double *r, int n, double *median, double *lo, double *hi);
/* Per row and ratio column: that interval of the per-round ratios, and the goal's verdict by it
 * (met when its top meets the goal, MISSED when its bottom does not). */
void bc_print_median_interval(int title_width);
/* Prints the failed rounds and the elapsed time and load; 0 when every round succeeded. */
int bc_finish(void);

/* The one-thread CPU cost report's passes: npairs implementations, `passes` passes each, the one
 * going first rotating per pass (so the machine's drift lands on all alike); t[j][k] is pass k
 * of implementation j in ns per call. */
#define BC_CALL_PASSES 41
void bc_call_passes(int npairs, double (*pass)(int j, void *ctx), void *ctx, double t[][BC_CALL_PASSES]);

#endif

/* ================================================================ the echo protocol's roles
 *
 * pipe_bench.c and socket_bench.c speak one protocol over one connection (described at the top of
 * pipe_bench.c). The code below is compiled into each of them, after it has defined `conn` and the
 * three always-inline calls c_read_exactly, c_read_some and c_write (BC_CONN_DEFINED), so that
 * every loop calls that benchmark's I/O directly, as a hand-written loop would: a function pointer
 * here would add an indirect call to each write and read of the one-thread CPU cost report, which
 * measures differences of a few ns. Before the include, BC_EXTRA_KIND may name one more phase kind:
 * then bc_serve_extra(conn *, int64_t count, uint8_t *buf) serves it and
 * bc_extra_round_trip(conn *, uint8_t *out, uint8_t *in, int32_t size, int64_t i) does one of its
 * round trips (the client's specs for it start with 'u').
 */
#if defined(BC_CONN_DEFINED) && !defined(SHARPIPC_BENCH_ROLES)
#define SHARPIPC_BENCH_ROLES

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define BC_KIND_END 0
#define BC_KIND_ECHO 1
#define BC_KIND_SINK 2
#define BC_SINK_READ 65536
#define BC_MAX_SIZE (1 << 20)
#define BC_WARM_BATCH 256
#define BC_TPUT_WARM_BYTES (64LL << 20)

static void bc_send_header(conn *c, int64_t kind, int64_t a, int64_t b)
{
    uint8_t h[24];
    bc_put64(h, kind);
    bc_put64(h + 8, a);
    bc_put64(h + 16, b);
    if (!c_write(c, h, sizeof h))
        bc_die("write header");
}

static void bc_check_echo(const uint8_t *out, const uint8_t *in, int32_t size)
{
    if (in[0] != out[0] || in[size - 1] != out[size - 1]) {
        errno = EBADMSG;
        bc_die("client: echo mismatch");
    }
}

/* The server: obeys phase headers until END. */
static void bc_serve(conn *c)
{
    uint8_t *buf = bc_page_aligned(BC_MAX_SIZE > BC_SINK_READ ? BC_MAX_SIZE : BC_SINK_READ);
    for (;;) {
        uint8_t h[24];
        if (!c_read_exactly(c, h, sizeof h))
            bc_die("server: read header");
        int64_t k = bc_get64(h), a = bc_get64(h + 8), b = bc_get64(h + 16);
        if (k == BC_KIND_END)
            break;
        if (k == BC_KIND_ECHO) {
            int32_t size = (int32_t)a;
            if (size < 1 || size > BC_MAX_SIZE)
                bc_die("server: bad size");
            for (int64_t i = 0; i < b; i++) {
                if (!c_read_exactly(c, buf, size))
                    bc_die("server: echo read");
                if (!c_write(c, buf, size))
                    bc_die("server: echo write");
            }
        } else if (k == BC_KIND_SINK) {
            int64_t left = a;
            while (left > 0) {
                int32_t n = c_read_some(c, buf, left < BC_SINK_READ ? (int32_t)left : BC_SINK_READ);
                if (n <= 0)
                    bc_die("server: sink read");
                left -= n;
            }
            uint8_t ack = 1;
            if (!c_write(c, &ack, 1))
                bc_die("server: sink ack");
#ifdef BC_EXTRA_KIND
        } else if (k == BC_EXTRA_KIND) {
            bc_serve_extra(c, b, buf);
#endif
        } else {
            bc_die("server: bad header");
        }
    }
    free(buf);
}

static void bc_round_trip(conn *c, uint8_t *out, uint8_t *in, int32_t size, int64_t i, bool extra)
{
    (void)extra;
#ifdef BC_EXTRA_KIND
    if (extra) {
        bc_extra_round_trip(c, out, in, size, i);
        return;
    }
#endif
    out[0] = (uint8_t)i;
    out[size - 1] = (uint8_t)(i >> 8);
    if (!c_write(c, out, size))
        bc_die("client: echo write");
    if (!c_read_exactly(c, in, size))
        bc_die("client: echo read");
    bc_check_echo(out, in, size);
}

static void bc_sink(conn *c, const uint8_t *data, int64_t total, int32_t chunk)
{
    bc_send_header(c, BC_KIND_SINK, total, chunk);
    for (int64_t left = total; left > 0; left -= chunk)
        if (!c_write(c, data, left < chunk ? (int32_t)left : chunk))
            bc_die("client: sink write");
    uint8_t ack;
    if (!c_read_exactly(c, &ack, 1))
        bc_die("client: sink ack");
}

/* The client: argv is OUTFILE FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK SIZE:ITERS... (the
 * connection is open already); each size warms up, then its timed round trips give one result
 * line; then the throughput phase, then END. max_extra bounds an extra phase's sizes. */
static int bc_client(conn *c, int argc, char **argv, int32_t max_extra, void (*close_conn)(conn *))
{
    FILE *out = fopen(argv[0], "w");
    if (!out)
        bc_die("client: open OUTFILE");
    int64_t first_warm_ns = atoll(argv[1]) * 1000000LL;
    int64_t warm_ns = atoll(argv[2]) * 1000000LL;
    int64_t tput_total = atoll(argv[3]);
    int32_t tput_chunk = atoi(argv[4]);
    uint8_t *send_buf = bc_page_aligned(BC_MAX_SIZE), *recv_buf = bc_page_aligned(BC_MAX_SIZE);
    for (int i = 0; i < BC_MAX_SIZE; i++)
        send_buf[i] = (uint8_t)(i * 131 + 7);
    for (int arg = 5; arg < argc; arg++) {
        const char *spec = argv[arg];
        bool extra = max_extra > 0 && spec[0] == 'u';
        int64_t kind = BC_KIND_ECHO;
#ifdef BC_EXTRA_KIND
        if (extra)
            kind = BC_EXTRA_KIND;
#endif
        int32_t size;
        int64_t iters;
        if (sscanf(spec + extra, "%" SCNd32 ":%" SCNd64, &size, &iters) != 2 || size < 1 ||
            size > (extra ? max_extra : BC_MAX_SIZE) || iters < 1) {
            fprintf(stderr, "client: bad SIZE:ITERS %s\n", spec);
            return 2;
        }
        /* Warm-up: batches until the time has passed (JIT tiering on a .NET peer, caches, the
         * scheduler's idea of these two processes). */
        int64_t warm_end = bc_now_ns() + (arg == 5 ? first_warm_ns : warm_ns);
        int64_t seq = 0;
        do {
            bc_send_header(c, kind, size, BC_WARM_BATCH);
            for (int j = 0; j < BC_WARM_BATCH; j++)
                bc_round_trip(c, send_buf, recv_buf, size, seq++, extra);
        } while (bc_now_ns() < warm_end);

        int64_t *samples = malloc((size_t)iters * sizeof *samples);
        if (!samples)
            bc_die("malloc");
        bc_send_header(c, kind, size, iters);
        for (int64_t j = 0; j < iters; j++) {
            int64_t t0 = bc_now_ns();
            bc_round_trip(c, send_buf, recv_buf, size, j, extra);
            samples[j] = bc_now_ns() - t0;
        }
        bc_write_lat(out, extra ? "udp" : "lat", size, samples, iters);
        free(samples);
    }
    if (tput_total > 0) {
        bc_sink(c, send_buf, tput_total < BC_TPUT_WARM_BYTES ? tput_total : BC_TPUT_WARM_BYTES,
                tput_chunk); /* warm-up */
        int64_t t0 = bc_now_ns();
        bc_sink(c, send_buf, tput_total, tput_chunk);
        int64_t elapsed = bc_now_ns() - t0;
        fprintf(out, "tput %ld %d %ld\n", (long)tput_total, tput_chunk, (long)elapsed);
    }
    bc_send_header(c, BC_KIND_END, 0, 0);
    close_conn(c);
    if (fclose(out) != 0)
        bc_die("client: write OUTFILE");
    free(send_buf);
    free(recv_buf);
    return 0;
}

/* The two roles, over the bench's parse_impl, server_open, client_open and conn_close; the usage
 * names BC_IMPLS (e.g. "<raw|sp>") and BC_ADDR (what the second argument is). */
#ifdef BC_EXTRA_KIND
#  define BC_EXTRA_USAGE " [uSIZE:ITERS...]"
#  define BC_EXTRA_MAX MAX_UDP
#else
#  define BC_EXTRA_USAGE ""
#  define BC_EXTRA_MAX 0
#endif

static int bc_role_server(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "server: " BC_IMPLS " " BC_ADDR "\n");
        return 2;
    }
    conn c = server_open(parse_impl(argv[0]), argv[1]);
    bc_serve(&c);
    conn_close(&c);
    return 0;
}

static int bc_role_client(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "client: " BC_IMPLS " " BC_ADDR
                        " OUTFILE FIRST_WARM_MS WARM_MS TPUT_BYTES TPUT_CHUNK SIZE:ITERS..." BC_EXTRA_USAGE "\n");
        return 2;
    }
    conn c = client_open(parse_impl(argv[0]), argv[1]);
    return bc_client(&c, argc - 2, argv + 2, BC_EXTRA_MAX, conn_close);
}

/* Call first in main: runs a role in a child (its exit code), -1 in the driver. */
static int bc_child_main(int argc, char **argv)
{
    static const char *const role_names[] = {"server", "client"};
    static const sp_child_role roles[] = {bc_role_server, bc_role_client};
    return sp_child_main(argc, argv, role_names, roles, 2);
}

/* The one-thread CPU cost report: n implementations' connected pairs (both ends in this thread),
 * one pass each in turn, write size bytes on the client end then read them exactly on the server
 * end, iters times. */
typedef struct bc_call_pair {
    conn server, client;
} bc_call_pair;

typedef struct bc_calls {
    bc_call_pair pairs[3];
    int n;
    int32_t size;
    int iters;
    uint8_t *out, *in;
} bc_calls;

/* One pass of pair j: ns per pair of calls. */
static double bc_calls_pass(int j, void *ctx)
{
    bc_calls *x = ctx;
    conn *client = &x->pairs[j].client, *server = &x->pairs[j].server;
    int64_t t0 = bc_now_ns();
    for (int i = 0; i < x->iters; i++) {
        x->out[0] = (uint8_t)i;
        if (!c_write(client, x->out, x->size) || !c_read_exactly(server, x->in, x->size) || x->in[0] != x->out[0])
            bc_die("calls: loop");
    }
    return (double)(bc_now_ns() - t0) / x->iters;
}

/* Runs the passes into t, then closes the pairs; d[j][k] = t[j][k] - t[0][k]. */
static void bc_calls_run(bc_calls *x, double t[][BC_CALL_PASSES], double d[][BC_CALL_PASSES],
                         void (*close_conn)(conn *))
{
    x->out = bc_page_aligned((size_t)x->size);
    x->in = bc_page_aligned((size_t)x->size);
    bc_call_passes(x->n, bc_calls_pass, x, t);
    for (int k = 0; k < BC_CALL_PASSES; k++)
        for (int j = 0; j < x->n; j++)
            d[j][k] = t[j][k] - t[0][k];
    for (int j = 0; j < x->n; j++) {
        close_conn(&x->pairs[j].client);
        close_conn(&x->pairs[j].server);
    }
    free(x->out);
    free(x->in);
}

#endif
