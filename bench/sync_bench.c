/*
 * Cross-process hand-off latency of System.Threading (Linux): two processes pass a token back and
 * forth, and this process times each round trip (CLOCK_MONOTONIC around signal + wait):
 *   raw futex        per direction a futex word and a count of sleepers in a shared mapping:
 *                    set 1 (+ FUTEX_WAKE when someone sleeps) to signal, CAS 1->0 or count
 *                    oneself in and FUTEX_WAIT to wait: the least a careful C program does, and
 *                    the baseline of the ratios
 *   raw futex, naive the same without the count of sleepers: every signal is a FUTEX_WAKE
 *   EventWaitHandle  two named auto-reset events: Set / WaitOne
 *   Semaphore        two named semaphores (0 of 1): Release / WaitOne
 * Rounds interleave the four (the order rotates), so machine noise falls on all of them alike;
 * the samples of all rounds are pooled into one median and p99 per variant.
 *
 *   sync_bench [--iters N] [--rounds R] [--warmup W] [--pin]
 * N round trips per variant in all (default 100000), in R rounds (default 50: short rounds spread
 * a noisy machine's bursts evenly), each round after W untimed ones (default 500). --pin puts
 * this process on CPU 0 and the other on CPU 1.
 * The other process is this program again (sp_child_start):
 *   sync_bench --child pong <futex|futex-naive|event|semaphore> NAME_A NAME_B COUNT [CPU]
 */
#define _GNU_SOURCE
#include <sharpipc.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sp_process.h"

enum { V_FUTEX, V_FUTEX_NAIVE, V_EVENT, V_SEMAPHORE, V_COUNT };
static const char *const variant_ids[V_COUNT] = {"futex", "futex-naive", "event", "semaphore"};
static const char *const variant_titles[V_COUNT] = {"raw futex", "raw futex, naive", "EventWaitHandle", "Semaphore"};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *what)
{
    const Exception *e = Exception_get_Current();
    if (e)
        fprintf(stderr, "sync_bench[%ld]: %s: %s: %s\n", (long)getpid(), what, Exception_get_TypeName(e),
                Exception_get_Message(e));
    else
        fprintf(stderr, "sync_bench[%ld]: %s: %s\n", (long)getpid(), what, strerror(errno));
    exit(2);
}

static void pin_to(int cpu)
{
    if (cpu < 0)
        return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        fprintf(stderr, "sync_bench: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
}

/* ================================================================ the three ways to hand off */

/* Raw futex: each direction's word and sleeper count live in one shared-memory object, the two
 * directions 2 KiB apart. */
typedef struct raw_word {
    _Atomic uint32_t word;
    _Atomic uint32_t sleepers;
} raw_word;

typedef struct raw_pair {
    raw_word *a, *b;
    void *map;
} raw_pair;

#define RAW_SIZE 4096

static void raw_open(raw_pair *p, const char *name, bool create)
{
    char shm[128];
    snprintf(shm, sizeof shm, "/%s", name);
    int fd = shm_open(shm, O_RDWR | (create ? O_CREAT | O_EXCL : 0), 0600);
    if (fd < 0 || (create && ftruncate(fd, RAW_SIZE) != 0))
        die("shm_open");
    p->map = mmap(NULL, RAW_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p->map == MAP_FAILED)
        die("mmap");
    p->a = (raw_word *)p->map;
    p->b = (raw_word *)((char *)p->map + 2048);
}

static void raw_signal(raw_word *w, bool naive)
{
    if (naive) {
        atomic_store(&w->word, 1);
        syscall(SYS_futex, &w->word, FUTEX_WAKE, 1, NULL, NULL, 0);
    } else if (atomic_exchange(&w->word, 1) == 0 && atomic_load(&w->sleepers)) {
        syscall(SYS_futex, &w->word, FUTEX_WAKE, 1, NULL, NULL, 0);
    }
}

static void raw_wait(raw_word *w, bool naive)
{
    for (;;) {
        uint32_t one = 1;
        if (atomic_compare_exchange_strong(&w->word, &one, 0))
            return;
        if (!naive)
            atomic_fetch_add(&w->sleepers, 1);
        syscall(SYS_futex, &w->word, FUTEX_WAIT, 0, NULL, NULL, 0);
        if (!naive)
            atomic_fetch_sub(&w->sleepers, 1);
    }
}

/* One end's pair of objects: it signals `out` and waits on `in`. */
typedef struct ends {
    int variant;
    raw_pair raw;
    raw_word *raw_out, *raw_in;
    WaitHandle *in;
    Object *out;
    Object *keep[2];
} ends;

static void ends_open(ends *e, int variant, const char *name_a, const char *name_b, bool parent)
{
    memset(e, 0, sizeof *e);
    e->variant = variant;
    if (variant == V_FUTEX || variant == V_FUTEX_NAIVE) {
        raw_open(&e->raw, name_a, parent);
        e->raw_out = parent ? e->raw.a : e->raw.b;
        e->raw_in = parent ? e->raw.b : e->raw.a;
        return;
    }
    Object *a, *b;
    if (variant == V_EVENT) {
        a = (Object *)(parent ? EventWaitHandle_new(false, EventResetMode_AutoReset, name_a)
                              : EventWaitHandle_OpenExisting(name_a));
        b = (Object *)(parent ? EventWaitHandle_new(false, EventResetMode_AutoReset, name_b)
                              : EventWaitHandle_OpenExisting(name_b));
    } else {
        a = (Object *)(parent ? Semaphore_new(0, 1, name_a) : Semaphore_OpenExisting(name_a));
        b = (Object *)(parent ? Semaphore_new(0, 1, name_b) : Semaphore_OpenExisting(name_b));
    }
    if (!a || !b)
        die("open");
    e->keep[0] = a;
    e->keep[1] = b;
    e->out = parent ? a : b;
    e->in = (WaitHandle *)(parent ? b : a);
}

static void ends_close(ends *e, const char *name_a, bool parent)
{
    if (e->variant == V_FUTEX || e->variant == V_FUTEX_NAIVE) {
        munmap(e->raw.map, RAW_SIZE);
        if (parent) {
            char shm[128];
            snprintf(shm, sizeof shm, "/%s", name_a);
            shm_unlink(shm);
        }
        return;
    }
    Dispose(e->keep[0]);
    Dispose(e->keep[1]);
}

static inline void hand_off(ends *e)
{
    switch (e->variant) {
    case V_FUTEX:
    case V_FUTEX_NAIVE: raw_signal(e->raw_out, e->variant == V_FUTEX_NAIVE); break;
    case V_EVENT:
        if (!EventWaitHandle_Set((EventWaitHandle *)e->out))
            die("Set");
        break;
    default:
        if (Semaphore_Release((Semaphore *)e->out) < 0)
            die("Release");
        break;
    }
}

static inline void take(ends *e)
{
    if (e->variant == V_FUTEX || e->variant == V_FUTEX_NAIVE)
        raw_wait(e->raw_in, e->variant == V_FUTEX_NAIVE);
    else if (!WaitHandle_WaitOne(e->in))
        die("WaitOne");
}

/* ================================================================ the other process */

static int role_pong(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "pong: <futex|futex-naive|event|semaphore> NAME_A NAME_B COUNT [CPU]\n");
        return 2;
    }
    int variant = -1;
    for (int v = 0; v < V_COUNT; v++)
        if (strcmp(argv[0], variant_ids[v]) == 0)
            variant = v;
    if (variant < 0)
        return 2;
    pin_to(argc > 4 ? atoi(argv[4]) : -1);
    long count = atol(argv[3]);
    ends e;
    ends_open(&e, variant, argv[1], argv[2], false);
    for (long i = 0; i < count; i++) {
        take(&e);
        hand_off(&e);
    }
    ends_close(&e, argv[1], false);
    return 0;
}

/* ================================================================ this process */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int64_t percentile(const int64_t *sorted, long n, double p)
{
    long i = (long)(p / 100.0 * (double)(n - 1) + 0.5);
    return sorted[i < n ? i : n - 1];
}

/* One round of one variant: count timed round trips after warmup untimed ones, into samples. */
static void run_round(int variant, int round, long warmup, long count, bool pin, int64_t *samples)
{
    char name_a[96], name_b[96], total[32], cpu[8];
    snprintf(name_a, sizeof name_a, "sharpipc.bench.sync.%ld.%d.%s.a", (long)getpid(), round, variant_ids[variant]);
    snprintf(name_b, sizeof name_b, "sharpipc.bench.sync.%ld.%d.%s.b", (long)getpid(), round, variant_ids[variant]);
    snprintf(total, sizeof total, "%ld", warmup + count);
    snprintf(cpu, sizeof cpu, "1");
    ends e;
    ends_open(&e, variant, name_a, name_b, true);
    const char *args[5] = {variant_ids[variant], name_a, name_b, total, cpu};
    sp_child *child = sp_child_start("pong", args, pin ? 5 : 4);
    if (!child)
        die("start");
    for (long i = 0; i < warmup; i++) {
        hand_off(&e);
        take(&e);
    }
    for (long i = 0; i < count; i++) {
        int64_t t0 = now_ns();
        hand_off(&e);
        take(&e);
        samples[i] = now_ns() - t0;
    }
    int rc = sp_child_wait(child, 60000);
    sp_child_free(child);
    if (rc != 0) {
        fprintf(stderr, "sync_bench: %s: the other process ended with %d\n", variant_titles[variant], rc);
        exit(2);
    }
    ends_close(&e, name_a, true);
}

int main(int argc, char **argv)
{
    static const char *const role_names[] = {"pong"};
    static const sp_child_role roles[] = {role_pong};
    int rc = sp_child_main(argc, argv, role_names, roles, 1);
    if (rc >= 0)
        return rc;

    long iters = 100000, warmup = 500;
    int rounds = 50;
    bool pin = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--iters") == 0 && i + 1 < argc)
            iters = atol(argv[++i]);
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc)
            warmup = atol(argv[++i]);
        else if (strcmp(argv[i], "--pin") == 0)
            pin = true;
        else {
            fprintf(stderr, "usage: sync_bench [--iters N] [--rounds R] [--warmup W] [--pin]\n");
            return 2;
        }
    }
    if (iters < rounds || rounds < 1) {
        fprintf(stderr, "sync_bench: need at least one round trip per round\n");
        return 2;
    }
    if (pin)
        pin_to(0);
    long per_round = iters / rounds;
    iters = per_round * rounds;
    int64_t *samples[V_COUNT];
    for (int v = 0; v < V_COUNT; v++)
        if (!(samples[v] = malloc(sizeof(int64_t) * (size_t)iters)))
            die("malloc");
    for (int r = 0; r < rounds; r++) {
        fprintf(stderr, "\rsync_bench: round %d of %d ", r + 1, rounds);
        for (int k = 0; k < V_COUNT; k++) {
            int v = (k + r) % V_COUNT;
            run_round(v, r, warmup, per_round, pin, samples[v] + (long)r * per_round);
        }
    }
    fprintf(stderr, "\n");

    double median[V_COUNT], p99[V_COUNT];
    for (int v = 0; v < V_COUNT; v++) {
        qsort(samples[v], (size_t)iters, sizeof(int64_t), cmp_i64);
        median[v] = (double)percentile(samples[v], iters, 50) / 1000.0;
        p99[v] = (double)percentile(samples[v], iters, 99) / 1000.0;
    }
    printf("Cross-process hand-off: two processes, %ld round trips per variant in %d interleaved rounds%s\n", iters,
           rounds, pin ? ", pinned to CPUs 0 and 1" : "");
    printf("round-trip latency in us\n\n");
    printf("%-17s | %8s | %8s | %10s | %8s\n", "variant", "median", "p99", "median/raw", "p99/raw");
    printf("------------------+----------+----------+------------+---------\n");
    for (int v = 0; v < V_COUNT; v++)
        printf("%-17s | %8.2f | %8.2f | %10.3f | %8.3f\n", variant_titles[v], median[v], p99[v],
               median[v] / median[V_FUTEX], p99[v] / p99[V_FUTEX]);
    for (int v = 0; v < V_COUNT; v++)
        free(samples[v]);
    return 0;
}
