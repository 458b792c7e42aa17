/* The process-pair benchmarks' shared harness: see bench_common.h. */
#include "bench_common.h"

#include <sharpipc.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

bc_bench *bc;

/* ================================================================ role helpers */

void bc_die(const char *what)
{
    const char *name = bc ? bc->name : "bench";
    const Exception *e = Exception_get_Current();
    if (e)
        fprintf(stderr, "%s[%ld]: %s: %s: %s\n", name, (long)getpid(), what, Exception_get_TypeName(e),
                Exception_get_Message(e));
    else
        fprintf(stderr, "%s[%ld]: %s: %s\n", name, (long)getpid(), what, strerror(errno));
    exit(2);
}

int64_t bc_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void bc_put64(uint8_t *p, int64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)((uint64_t)v >> (8 * i));
}

int64_t bc_get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return (int64_t)v;
}

uint8_t *bc_page_aligned(size_t size)
{
    uint8_t *p = aligned_alloc(4096, (size + 4095) & ~(size_t)4095);
    if (!p)
        bc_die("aligned_alloc");
    memset(p, 0, size);
    return p;
}

bool bc_raw_read_exactly(int fd, void *buffer, int32_t count)
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

bool bc_raw_write_all(int fd, const void *buffer, int32_t count)
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

Socket *bc_sp_tcp_listener(void)
{
    Socket *l = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    IPEndPoint *ep = l ? IPEndPoint_new(IPAddress_Loopback, 0) : NULL;
    if (!ep || !(Socket_Bind)(l, (EndPoint *)ep) || !(Socket_Listen)(l, 1))
        bc_die("sharpipc: listener");
    Dispose(ep);
    return l;
}

int bc_sp_port(Socket *s)
{
    EndPoint *ep = Socket_get_LocalEndPoint(s);
    if (!ep)
        bc_die("sharpipc: LocalEndPoint");
    int port = IPEndPoint_get_Port((IPEndPoint *)ep);
    Dispose(ep);
    return port;
}

void bc_write_port_file(const char *path, int tcp, int udp)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f || fprintf(f, "%d %d\n", tcp, udp) < 0 || fclose(f) != 0 || rename(tmp, path) != 0)
        bc_die("server: port file");
}

void bc_read_port_file(const char *path, int *tcp, int *udp)
{
    int64_t give_up = bc_now_ns() + 30 * 1000000000LL;
    for (;;) {
        FILE *f = fopen(path, "r");
        if (f) {
            int ok = fscanf(f, "%d %d", tcp, udp);
            fclose(f);
            if (ok == 2)
                return;
        }
        if (bc_now_ns() > give_up) {
            errno = ETIMEDOUT;
            bc_die("client: no port file from the server");
        }
        usleep(1000);
    }
}

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

void bc_write_lat(FILE *out, const char *tag, int32_t size, int64_t *samples, int64_t iters)
{
    double sum = 0;
    for (int64_t j = 0; j < iters; j++)
        sum += (double)samples[j];
    bc_sort_i64(samples, (size_t)iters);
    fprintf(out, "%s %d %ld %ld %ld %ld %ld\n", tag, size, (long)iters, (long)percentile(samples, iters, 50),
            (long)percentile(samples, iters, 99), (long)(sum / (double)iters), (long)samples[0]);
}

/* ================================================================ statistics */

void bc_sort_i64(int64_t *values, size_t n) { qsort(values, n, sizeof *values, cmp_i64); }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double bc_quantile(double *values, int n, double q)
{
    qsort(values, (size_t)n, sizeof *values, cmp_double);
    double pos = q * (n - 1);
    int lo = (int)pos;
    if (lo >= n - 1)
        return values[n - 1];
    return values[lo] + (pos - lo) * (values[lo + 1] - values[lo]);
}

double bc_median_of(double *values, int n) { return bc_quantile(values, n, 0.5); }

/* ================================================================ driver */

void bc_init(bc_bench *b, const char *name, int nvariants, const char *const *keys, const char *const *titles,
             const bool *needs_dotnet, const bc_row *rows, int nrows, const bc_ratio_col *ratios, int nratios,
             bool (*run_variant)(int v, bc_result *r))
{
    b->name = name;
    b->nvariants = nvariants;
    b->variant_keys = keys;
    b->variant_titles = titles;
    b->variant_needs_dotnet = needs_dotnet;
    b->rows = rows;
    b->nrows = nrows;
    b->ratios = ratios;
    b->nratios = nratios;
    b->run_variant = run_variant;
    b->first_width = 7;
    for (int v = 0; v < nvariants; v++)
        b->enabled[v] = true;
    bc = b;
}

static double mibs(int row, int64_t ns)
{
    (void)row;
    return ns > 0 ? (double)bc->tput_bytes / 1048576.0 / ((double)ns / 1e9) : 0;
}

void bc_echo_defaults(bc_bench *b)
{
    b->rounds = 11;
    b->first_warm_ms = 300;
    b->warm_ms = 50;
    static const int64_t iters[] = {3000, 3000, 3000, 2000};
    memcpy(b->iters, iters, sizeof iters);
    b->niters = 4;
    b->tput_bytes = 1LL << 30;
    b->tput_chunk = 65536;
    b->rate = mibs;
}

int bc_nlat(void)
{
    int n = 0;
    while (n < bc->nrows && strcmp(bc->rows[n].tag, "tput") != 0)
        n++;
    return n;
}

int bc_ntput(void) { return bc->nrows - bc_nlat(); }

static bool parse_iters(const char *s)
{
    for (int i = 0; i < bc->niters; i++) {
        char *end;
        bc->iters[i] = strtoll(s, &end, 10);
        if (bc->iters[i] < 1)
            return false;
        if (i < bc->niters - 1) {
            if (*end != ',')
                return false;
            s = end + 1;
        } else if (*end) {
            return false;
        }
    }
    return true;
}

int bc_parse_option(int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (strcmp(a, "--verbose") == 0) {
        bc->verbose = true;
        return 1;
    }
    if (!val)
        return 0;
    if (strcmp(a, "--dotnet") == 0) {
        bc->dotnet_dll = *val ? val : NULL;
    } else if (strcmp(a, "--rounds") == 0) {
        bc->rounds = atoi(val);
        if (bc->rounds < 1 || bc->rounds > BC_MAX_ROUNDS)
            return -1;
    } else if (strcmp(a, "--first-warm-ms") == 0) {
        bc->first_warm_ms = atoi(val);
        if (bc->first_warm_ms < 0)
            return -1;
    } else if (strcmp(a, "--warm-ms") == 0) {
        bc->warm_ms = atoi(val);
        if (bc->warm_ms < 0)
            return -1;
    } else if (strcmp(a, "--iters") == 0) {
        if (!parse_iters(val))
            return -1;
    } else if (strcmp(a, "--tput-mib") == 0) {
        bc->tput_bytes = atoll(val) << 20;
        if (bc->tput_bytes <= 0)
            return -1;
    } else if (strcmp(a, "--only") == 0) {
        for (int v = 0; v < bc->nvariants; v++)
            bc->enabled[v] = false;
        char list[256];
        snprintf(list, sizeof list, "%s", val);
        for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
            int v = 0;
            while (v < bc->nvariants && strcmp(tok, bc->variant_keys[v]) != 0)
                v++;
            if (v == bc->nvariants)
                return -1;
            bc->enabled[v] = true;
        }
    } else {
        return 0;
    }
    (*i)++;
    return 1;
}

int bc_schedule(int v, char bufs[BC_MAX_SCHED][32], char **sched)
{
    int n = 0;
    snprintf(bufs[n++], 32, "%d", bc->first_warm_ms);
    snprintf(bufs[n++], 32, "%d", bc->warm_ms);
    snprintf(bufs[n++], 32, "%ld", (long)bc->tput_bytes);
    snprintf(bufs[n++], 32, "%d", bc->tput_chunk);
    for (int i = 0; i < bc_nlat(); i++)
        if (!bc->row_applies || bc->row_applies(v, i))
            snprintf(bufs[n++], 32, "%s%d:%ld", strcmp(bc->rows[i].tag, "lat") == 0 ? "" : "u", bc->rows[i].size,
                     (long)bc->iters[i]);
    for (int i = 0; i < n; i++)
        sched[i] = bufs[i];
    return n;
}

void bc_temp_path(char *buf, size_t n, const char *name, const char *ext)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, n, "%s/%s.%s", tmp && *tmp ? tmp : "/tmp", name, ext);
}

static const char *dotnet_exe(void)
{
    const char *d = getenv("DOTNET");
    return d && *d ? d : "dotnet";
}

static sp_child *start_end(bc_end e, bool server, const char *addr, const char *outfile, char **sched, int nsched)
{
    const char *args[48];
    int n = 0;
    bool program = e.dotnet || e.argv0;
    if (e.argv0) {
        while (e.argv0[n])
            args[n] = e.argv0[n], n++;
    } else if (e.dotnet) {
        args[n++] = dotnet_exe();
        args[n++] = bc->dotnet_dll;
    }
    if (program)
        args[n++] = server ? "server" : "client";
    if (e.impl)
        args[n++] = e.impl;
    args[n++] = addr;
    if (!server) {
        args[n++] = outfile;
        for (int i = 0; i < nsched && n < 47; i++)
            args[n++] = sched[i];
    }
    if (program) {
        args[n] = NULL;
        return sp_process_start(args);
    }
    return sp_child_start(server ? "server" : "client", args, n);
}

/* Reads the client's result lines into r: every row must be there. */
static bool read_results(int v, const char *outfile, bc_result *r)
{
    FILE *f = fopen(outfile, "r");
    if (!f) {
        fprintf(stderr, "%s: %s: no results\n", bc->name, bc->variant_titles[v]);
        return false;
    }
    memset(r, 0, sizeof *r);
    int nlat = bc_nlat(), ntput = 0;
    unsigned seen = 0, want = (1u << bc->nrows) - 1;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        long a, b, c, d, e, g;
        char tag[16];
        if (sscanf(line, "tput %ld %ld %ld", &a, &b, &c) == 3) {
            if (ntput < bc->nrows - nlat) {
                r->tput_ns[ntput] = c;
                seen |= 1u << (nlat + ntput);
                ntput++;
            }
        } else if (sscanf(line, "%15s %ld %ld %ld %ld %ld %ld", tag, &a, &b, &c, &d, &e, &g) == 7) {
            for (int i = 0; i < nlat; i++)
                if (strcmp(bc->rows[i].tag, tag) == 0 && bc->rows[i].size == a) {
                    r->median[i] = c;
                    r->p99[i] = d;
                    r->mean[i] = e;
                    seen |= 1u << i;
                }
        }
    }
    fclose(f);
    /* a row a variant does not have (a NetworkStream has no datagrams) stays 0 and prints "-" */
    for (int i = 0; i < nlat; i++)
        if (bc->row_applies && !bc->row_applies(v, i))
            want &= ~(1u << i);
    r->ok = (seen & want) == want;
    if (!r->ok)
        fprintf(stderr, "%s: %s: incomplete results\n", bc->name, bc->variant_titles[v]);
    return r->ok;
}

bool bc_run_pair(int v, bc_end server, bc_end client, const char *addr, const char *outfile, char **sched, int nsched,
                 int client_ms, bc_result *r)
{
    unlink(outfile);
    sp_child *srv = start_end(server, true, addr, NULL, NULL, 0);
    sp_child *cli = srv ? start_end(client, false, addr, outfile, sched, nsched) : NULL;
    if (!srv || !cli) {
        fprintf(stderr, "%s: %s: cannot start a process\n", bc->name, bc->variant_titles[v]);
        if (srv) {
            sp_child_kill(srv);
            sp_child_free(srv);
        }
        return false;
    }
    int crc = sp_child_wait(cli, client_ms);
    int src = sp_child_wait(srv, crc == 0 ? 30000 : 2000);
    sp_child_free(cli);
    sp_child_free(srv);
    if (crc != 0 || src != 0) {
        fprintf(stderr, "%s: %s: client exit %d, server exit %d\n", bc->name, bc->variant_titles[v], crc, src);
        unlink(outfile);
        return false;
    }
    bool ok = read_results(v, outfile, r);
    unlink(outfile);
    return ok;
}

bool bc_run(int v, const bc_end *server, const bc_end *client, const char *prefix, bool portfile, char **sched,
            int nsched, int client_ms, bc_result *r)
{
    const char *name = sp_unique_name(prefix);
    char outfile[256], addr[256];
    bc_temp_path(outfile, sizeof outfile, name, "out");
    if (portfile)
        bc_temp_path(addr, sizeof addr, name, "port");
    else
        snprintf(addr, sizeof addr, "%s", name);
    if (portfile)
        unlink(addr);
    bool ok = bc_run_pair(v, *server, *client, addr, outfile, sched, nsched, client_ms, r);
    if (portfile)
        unlink(addr);
    return ok;
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

void bc_run_rounds(void)
{
    for (int v = 0; v < bc->nvariants; v++)
        if (bc->variant_needs_dotnet[v] && bc->enabled[v] && !bc->dotnet_dll) {
            bc->enabled[v] = false;
            bc->dotnet_skipped = true;
        }
    loadavg(bc->load_before, sizeof bc->load_before);
    bc->t_start = bc_now_ns();
    int nv = bc->nvariants, nlat = bc_nlat();
    /* Rounds interleave the variants, so that a slow spell of the machine lands on every variant
     * rather than on one, and the ratios compare runs made seconds apart. The order rotates each
     * round and runs backwards every other round, so each variant runs before and after each
     * other variant equally often. */
    bool progress = !bc->verbose && isatty(STDERR_FILENO);
    for (int round = 0; round < bc->rounds; round++) {
        if (progress)
            fprintf(stderr, "\r%s: round %d of %d ", bc->name, round + 1, bc->rounds);
        for (int k = 0; k < nv; k++) {
            int v = (round % 2 ? nv - 1 - k + round : k + round) % nv;
            if (!bc->enabled[v])
                continue;
            bc_result *r = &bc->results[v][round];
            int64_t t0 = bc_now_ns();
            if (bc->run_variant(v, r))
                bc->nok[v]++;
            if (bc->verbose) {
                fprintf(stderr, "round %2d %-16s %4.1fs", round + 1, bc->variant_titles[v],
                        (double)(bc_now_ns() - t0) / 1e9);
                if (r->ok) {
                    for (int i = 0; i < nlat; i++)
                        if (r->median[i])
                            fprintf(stderr, "  %s %.1f/%.1f", bc->rows[i].name, r->median[i] / 1000.0,
                                    r->p99[i] / 1000.0);
                    for (int t = 0; t < bc->nrows - nlat; t++)
                        fprintf(stderr, "  %.0f %s", bc->rate(t, r->tput_ns[t]), bc->rows[nlat + t].name);
                }
                fprintf(stderr, "\n");
            }
        }
    }
    if (progress)
        fprintf(stderr, "\r%40s\r", "");
    loadavg(bc->load_after, sizeof bc->load_after);
}

/* The per-round time ratios mine / other, for rounds where both succeeded. */
static int paired_ratios(const bc_ratio_col *col, int which, double *out)
{
    int n = 0, nlat = bc_nlat();
    for (int k = 0; k < bc->rounds; k++) {
        const bc_result *a = &bc->results[col->mine][k], *b = &bc->results[col->other][k];
        if (!a->ok || !b->ok)
            continue;
        double x, y;
        if (which < nlat) {
            x = (double)a->median[which];
            y = (double)b->median[which];
        } else if (which < 2 * nlat) {
            x = (double)a->p99[which - nlat];
            y = (double)b->p99[which - nlat];
        } else {
            x = (double)a->tput_ns[which - 2 * nlat];
            y = (double)b->tput_ns[which - 2 * nlat];
        }
        if (x > 0 && y > 0)
            out[n++] = x / y;
    }
    return n;
}

void bc_cell_ratio(char *buf, size_t n, const bc_ratio_col *col, int which)
{
    double r[BC_MAX_ROUNDS];
    int k = paired_ratios(col, which, r);
    if (k == 0)
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.3f", bc_median_of(r, k));
}

int bc_ratio_spread(char *buf, size_t n, const bc_ratio_col *col, int which)
{
    double r[BC_MAX_ROUNDS];
    int k = paired_ratios(col, which, r);
    if (k == 0) {
        snprintf(buf, n, "-");
        return 3;
    }
    double lo = bc_quantile(r, k, 0.10), hi = bc_quantile(r, k, 0.90);
    snprintf(buf, n, "%.3f-%.3f", lo, hi);
    if (k < 5)
        return 2;
    return hi <= col->limit ? 1 : lo > col->limit ? -1 : 0;
}

void bc_median_interval(double *r, int n, double *median, double *lo, double *hi)
{
    *median = bc_median_of(r, n); /* sorts r */
    int k = (int)floor(n / 2.0 - 0.98 * sqrt((double)n));
    if (k < 1)
        k = 1;
    *lo = r[k - 1];
    *hi = r[n - k];
}

void bc_print_median_interval(int title_width)
{
    int nlat = bc_nlat();
    for (int i = 0; i < bc->nrows; i++) {
        int which = i < nlat ? i : nlat + i;
        printf("  %-*s", bc->first_width, bc->rows[i].name);
        for (int j = 0; j < bc->nratios; j++) {
            const bc_ratio_col *col = &bc->ratios[j];
            if (!bc_col_shown(col))
                continue;
            double r[BC_MAX_ROUNDS], m, lo, hi;
            int k = paired_ratios(col, which, r);
            char cell[64];
            if (k == 0) {
                snprintf(cell, sizeof cell, "-");
            } else {
                bc_median_interval(r, k, &m, &lo, &hi);
                snprintf(cell, sizeof cell, "%.3f-%.3f %s", lo, hi,
                         k < 5              ? "(< 5 rounds)"
                         : hi <= col->limit ? "met"
                         : lo > col->limit  ? "MISSED"
                                            : "not resolved");
            }
            printf(" %-*s %-25s", title_width, col->title, cell);
        }
        printf("\n");
    }
}

bool bc_col_shown(const bc_ratio_col *col) { return bc->enabled[col->mine] && bc->enabled[col->other]; }

void bc_print_spread(int title_width)
{
    static const char *const verdicts[] = {"MISSED", "not resolved", "met", "(< 5 rounds)", ""};
    int nlat = bc_nlat();
    char c[32];
    for (int i = 0; i < bc->nrows; i++) {
        int which = i < nlat ? i : nlat + i;
        printf("  %-*s", bc->first_width, bc->rows[i].name);
        for (int j = 0; j < bc->nratios; j++) {
            if (!bc_col_shown(&bc->ratios[j]))
                continue;
            int a = bc_ratio_spread(c, sizeof c, &bc->ratios[j], which);
            char cell[64];
            snprintf(cell, sizeof cell, "%s %s", c, a == 3 ? "" : verdicts[a + 1]);
            printf(" %-*s %-25s", title_width, bc->ratios[j].title, cell);
        }
        printf("\n");
    }
}

/* The median over the rounds of one variant's figure for `which` (as paired_ratios indexes it). */
static double cell(int v, int which)
{
    double m[BC_MAX_ROUNDS];
    int n = 0, nlat = bc_nlat();
    for (int k = 0; k < bc->rounds; k++) {
        const bc_result *r = &bc->results[v][k];
        int64_t x = !r->ok             ? 0
                    : which < nlat     ? r->median[which]
                    : which < 2 * nlat ? r->p99[which - nlat]
                                       : r->tput_ns[which - 2 * nlat];
        if (x)
            m[n++] = (double)x;
    }
    return n ? bc_median_of(m, n) : 0;
}

const char *bc_tput_name(void)
{
    static char name[32];
    if (bc->tput_bytes % (1LL << 30) == 0)
        snprintf(name, sizeof name, "%ld GiB", (long)(bc->tput_bytes >> 30));
    else
        snprintf(name, sizeof name, "%ld MiB", (long)(bc->tput_bytes >> 20));
    return name;
}

void bc_print_table(const char *skipped_note)
{
    int w = bc->first_width, nlat = bc_nlat();
    char c[2][32];
    printf("%-*s", w, "size");
    for (int v = 0; v < bc->nvariants; v++)
        if (bc->enabled[v])
            printf(" | %-15s", bc->variant_titles[v]);
    for (int j = 0; j < bc->nratios; j++)
        if (bc_col_shown(&bc->ratios[j]))
            printf(" | %-13s", bc->ratios[j].title);
    printf("\n%-*s", w, "");
    for (int v = 0; v < bc->nvariants; v++)
        if (bc->enabled[v])
            printf(" | %7s %7s", "median", "p99");
    for (int j = 0; j < bc->nratios; j++)
        if (bc_col_shown(&bc->ratios[j]))
            printf(" | %6s %6s", "median", "p99");
    printf("\n");
    for (int i = 0; i < nlat; i++) {
        printf("%-*s", w, bc->rows[i].name);
        for (int v = 0; v < bc->nvariants; v++) {
            if (!bc->enabled[v])
                continue;
            double m = bc->nok[v] ? cell(v, i) : 0;
            if (m > 0)
                printf(" | %7.1f %7.1f", m / 1000.0, cell(v, nlat + i) / 1000.0);
            else
                printf(" | %7s %7s", "-", "-");
        }
        for (int j = 0; j < bc->nratios; j++) {
            if (!bc_col_shown(&bc->ratios[j]))
                continue;
            bc_cell_ratio(c[0], sizeof c[0], &bc->ratios[j], i);
            bc_cell_ratio(c[1], sizeof c[1], &bc->ratios[j], nlat + i);
            printf(" | %6s %6s", c[0], c[1]);
        }
        printf("\n");
    }
    for (int t = 0; t < bc->nrows - nlat; t++) {
        printf("%-*s", w, bc->rows[nlat + t].name);
        for (int v = 0; v < bc->nvariants; v++) {
            if (!bc->enabled[v])
                continue;
            if (bc->nok[v])
                printf(" | %15.0f", bc->rate(t, (int64_t)cell(v, 2 * nlat + t)));
            else
                printf(" | %15s", "-");
        }
        for (int j = 0; j < bc->nratios; j++) {
            if (!bc_col_shown(&bc->ratios[j]))
                continue;
            bc_cell_ratio(c[0], sizeof c[0], &bc->ratios[j], 2 * nlat + t);
            printf(" | %13s", c[0]);
        }
        printf("\n");
    }
    if (bc->dotnet_skipped && skipped_note)
        printf("%s\n", skipped_note);
}

int bc_finish(void)
{
    bool all_ok = true;
    for (int v = 0; v < bc->nvariants; v++)
        if (bc->enabled[v] && bc->nok[v] < bc->rounds) {
            printf("%s: %d of %d rounds failed (see the messages above)\n", bc->variant_titles[v],
                   bc->rounds - bc->nok[v], bc->rounds);
            all_ok = false;
        }
    printf("\nMeasured in %.0f s; load average before %s, after %s (the benchmark's own processes count too).\n",
           (double)(bc_now_ns() - bc->t_start) / 1e9, bc->load_before, bc->load_after);
    return all_ok ? 0 : 1;
}

void bc_call_passes(int npairs, double (*pass)(int j, void *ctx), void *ctx, double t[][BC_CALL_PASSES])
{
    for (int j = 0; j < npairs; j++)
        pass(j, ctx); /* warm-up */
    for (int k = 0; k < BC_CALL_PASSES; k++)
        for (int j = 0; j < npairs; j++) {
            int which = (j + k) % npairs; /* rotate who goes first */
            t[which][k] = pass(which, ctx);
        }
}
