/*
 * Shared-memory bandwidth: MemoryMappedViewStream and MemoryMappedViewAccessor against memcpy on a
 * raw mapping of the same kind of memory, in one run. Prints one table with ratios.
 *   mmf_bench [MiB]        (default 256)
 */
#define _GNU_SOURCE
#include <sharpipc.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (64 * 1024)
#define ROUNDS 5

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* The best of ROUNDS runs, in MiB/s. */
typedef void (*pass_fn)(void *ctx, uint8_t *chunk, int64_t total);
static double best(pass_fn fn, void *ctx, uint8_t *chunk, int64_t total)
{
    double best_rate = 0;
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now();
        fn(ctx, chunk, total);
        double rate = total / (1024.0 * 1024.0) / (now() - t0);
        if (rate > best_rate)
            best_rate = rate;
    }
    return best_rate;
}

static void raw_write(void *ctx, uint8_t *chunk, int64_t total)
{
    uint8_t *base = ctx;
    for (int64_t p = 0; p < total; p += CHUNK)
        memcpy(base + p, chunk, CHUNK);
}

static void raw_read(void *ctx, uint8_t *chunk, int64_t total)
{
    uint8_t *base = ctx;
    for (int64_t p = 0; p < total; p += CHUNK)
        memcpy(chunk, base + p, CHUNK);
}

static void stream_write(void *ctx, uint8_t *chunk, int64_t total)
{
    Stream_set_Position(ctx, 0);
    for (int64_t p = 0; p < total; p += CHUNK)
        Stream_Write(ctx, chunk, 0, CHUNK);
}

static void stream_read(void *ctx, uint8_t *chunk, int64_t total)
{
    Stream_set_Position(ctx, 0);
    for (int64_t p = 0; p < total; p += CHUNK)
        Stream_Read(ctx, chunk, 0, CHUNK);
}

static void accessor_write(void *ctx, uint8_t *chunk, int64_t total)
{
    for (int64_t p = 0; p < total; p += CHUNK)
        MemoryMappedViewAccessor_WriteArray((MemoryMappedViewAccessor *)ctx, p, chunk, 0, CHUNK, 1);
}

static void accessor_read(void *ctx, uint8_t *chunk, int64_t total)
{
    for (int64_t p = 0; p < total; p += CHUNK)
        MemoryMappedViewAccessor_ReadArray((MemoryMappedViewAccessor *)ctx, p, chunk, 0, CHUNK, 1);
}

/* Element by element: what a program does with ReadInt64/WriteInt64 in a loop. */
static volatile int64_t sink;
static void raw_int64(void *ctx, uint8_t *chunk, int64_t total)
{
    (void)chunk;
    int64_t *p = ctx, sum = 0;
    for (int64_t i = 0; i < total / 8; i++)
        p[i] = i;
    for (int64_t i = 0; i < total / 8; i++)
        sum += p[i];
    sink = sum;
}

static void accessor_int64(void *ctx, uint8_t *chunk, int64_t total)
{
    (void)chunk;
    MemoryMappedViewAccessor *a = ctx;
    int64_t sum = 0;
    for (int64_t i = 0; i < total; i += 8)
        MemoryMappedViewAccessor_WriteInt64(a, i, i / 8);
    for (int64_t i = 0; i < total; i += 8)
        sum += MemoryMappedViewAccessor_ReadInt64(a, i);
    sink = sum;
}

int main(int argc, char **argv)
{
    int64_t mib = argc > 1 ? atoll(argv[1]) : 256;
    int64_t total = mib * 1024 * 1024;
    uint8_t *chunk = malloc(CHUNK);
    memset(chunk, 0x5a, CHUNK);

    /* raw: a POSIX shared-memory object, as sharpipc's named maps are */
    char name[64];
    snprintf(name, sizeof name, "/sharpipc_bench_raw_%d", (int)getpid());
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    shm_unlink(name);
    if (fd < 0 || ftruncate(fd, total) != 0) {
        perror("raw map");
        return 1;
    }
    uint8_t *raw = mmap(NULL, (size_t)total, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memset(raw, 0, (size_t)total); /* fault every page in before timing */

    snprintf(name, sizeof name, "sharpipc_bench_%d", (int)getpid());
    MemoryMappedFile *mmf = MemoryMappedFile_CreateNew(name, total);
    MemoryMappedViewStream *vs = MemoryMappedFile_CreateViewStream(mmf);
    MemoryMappedViewAccessor *va = MemoryMappedFile_CreateViewAccessor(mmf);
    if (!mmf || !vs || !va) {
        fprintf(stderr, "sharpipc map: %s\n", Exception_get_Message(Exception_get_Current()));
        return 1;
    }
    memset(MemoryMappedViewAccessor_AcquirePointer(va), 0, (size_t)total);

    double rw = best(raw_write, raw, chunk, total), rr = best(raw_read, raw, chunk, total);
    double sw = best(stream_write, vs, chunk, total), sr = best(stream_read, vs, chunk, total);
    double aw = best(accessor_write, va, chunk, total), ar = best(accessor_read, va, chunk, total);
    double r64 = best(raw_int64, raw, chunk, total), a64 = best(accessor_int64, va, chunk, total);

    printf("shared memory bandwidth, %lld MiB, 64 KiB chunks, best of %d (MiB/s)\n", (long long)mib, ROUNDS);
    printf("%-34s %12s %12s %8s\n", "operation", "raw memcpy", "sharpipc", "ratio");
    printf("%-34s %12.0f %12.0f %7.1f%%\n", "write: ViewStream.Write", rw, sw, 100 * sw / rw);
    printf("%-34s %12.0f %12.0f %7.1f%%\n", "read:  ViewStream.Read", rr, sr, 100 * sr / rr);
    printf("%-34s %12.0f %12.0f %7.1f%%\n", "write: Accessor.WriteArray", rw, aw, 100 * aw / rw);
    printf("%-34s %12.0f %12.0f %7.1f%%\n", "read:  Accessor.ReadArray", rr, ar, 100 * ar / rr);
    printf("%-34s %12.0f %12.0f %7.1f%%\n", "Int64 by Int64: Write+ReadInt64", r64, a64, 100 * a64 / r64);

    Dispose(va);
    Dispose(vs);
    Dispose(mmf);
    munmap(raw, (size_t)total);
    close(fd);
    free(chunk);
    return 0;
}
