/* Drives a MemoryMappedViewAccessor and a MemoryMappedViewStream over one anonymous map with
 * arguments chosen by the input (positions, offsets, counts, element sizes: negative, huge, at
 * the edges), and checks every call against a shadow copy of the view:
 *  - an element call inside the view must succeed, one outside must fail, and a failed call
 *    changes nothing;
 *  - what a read returns is what the shadow holds; a write changes exactly its bytes;
 *  - the view stream's position and results follow UnmanagedMemoryStream's rules.
 * Any crash, out-of-bounds access (ASan), or disagreement with the shadow is a bug. */
#include <sharpipc.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct input {
    const uint8_t *p;
    size_t n;
} input;

static uint64_t take(input *in, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) {
        v = v << 8;
        if (in->n) {
            v |= *in->p++;
            in->n--;
        }
    }
    return v;
}

/* A position or count near the interesting values: small, near the capacity, negative, huge. */
static int64_t pick(input *in, int64_t capacity)
{
    uint8_t kind = (uint8_t)take(in, 1);
    int64_t delta = (int8_t)take(in, 1);
    switch (kind % 6) {
    case 0: return delta;
    case 1: return capacity + delta;
    case 2: return capacity / 2 + delta;
    case 3: return INT64_MAX - (delta & 0x7f);
    case 4: return INT64_MIN + (delta & 0x7f);
    default: return (int64_t)take(in, 4) % (capacity + 64);
    }
}

static void check(bool ok)
{
    if (!ok)
        abort();
}

static bool failed(void) { return Exception_get_Current() != NULL; }

static void accessor_ops(UnmanagedMemoryAccessor *a, uint8_t *shadow, int64_t cap, input *in)
{
    static const int sizes[] = {1, 2, 4, 8};
    uint8_t buf[1024];
    for (int step = 0; step < 48 && in->n; step++) {
        uint8_t op = (uint8_t)take(in, 1);
        int64_t pos = pick(in, cap);
        int k = sizes[op % 4];
        bool inside = pos >= 0 && pos <= cap - k;
        switch ((op >> 2) % 5) {
        case 0: { /* an element write */
            uint64_t v = take(in, 8);
            bool ok = k == 1   ? UnmanagedMemoryAccessor_WriteByte(a, pos, (uint8_t)v)
                      : k == 2 ? UnmanagedMemoryAccessor_WriteInt16(a, pos, (int16_t)v)
                      : k == 4 ? UnmanagedMemoryAccessor_WriteInt32(a, pos, (int32_t)v)
                               : UnmanagedMemoryAccessor_WriteInt64(a, pos, (int64_t)v);
            check(ok == inside && ok == !failed());
            if (ok)
                for (int i = 0; i < k; i++)
                    shadow[pos + i] = (uint8_t)(v >> (8 * i)); /* little-endian */
            break;
        }
        case 1: { /* an element read */
            uint64_t got = k == 1   ? UnmanagedMemoryAccessor_ReadByte(a, pos)
                           : k == 2 ? (uint16_t)UnmanagedMemoryAccessor_ReadInt16(a, pos)
                           : k == 4 ? (uint32_t)UnmanagedMemoryAccessor_ReadInt32(a, pos)
                                    : (uint64_t)UnmanagedMemoryAccessor_ReadInt64(a, pos);
            check(inside == !failed());
            if (inside) {
                uint64_t want = 0;
                for (int i = k - 1; i >= 0; i--)
                    want = want << 8 | shadow[pos + i];
                check(got == want);
            }
            break;
        }
        case 2: {                                            /* WriteArray */
            int32_t offset = (int32_t)(take(in, 1) % 8) - 1; /* -1 is invalid */
            int32_t count = (int32_t)(take(in, 2) % 64) - 2;
            int elem = sizes[(op >> 5) % 4];
            for (size_t i = 0; i < sizeof buf; i++)
                buf[i] = (uint8_t)take(in, 1);
            bool ok = UnmanagedMemoryAccessor_WriteArray(a, pos, buf, offset, count, elem);
            check(ok == !failed());
            if (ok) {
                int64_t bytes = (int64_t)count * elem;
                check(offset >= 0 && count >= 0 && pos >= 0 && pos <= cap && bytes <= cap - pos);
                memcpy(shadow + pos, buf + (int64_t)offset * elem, (size_t)bytes);
            }
            break;
        }
        case 3: { /* ReadArray */
            int32_t offset = (int32_t)(take(in, 1) % 8) - 1;
            int32_t count = (int32_t)(take(in, 2) % 64) - 2;
            int elem = sizes[(op >> 5) % 4];
            memset(buf, 0xA5, sizeof buf);
            int32_t n = UnmanagedMemoryAccessor_ReadArray(a, pos, buf, offset, count, elem);
            check((n >= 0) == !failed());
            if (n >= 0) {
                check(offset >= 0 && count >= 0 && n <= count && pos >= 0 && pos <= cap);
                check((int64_t)n * elem <= cap - pos);
                check(memcmp(buf + (int64_t)offset * elem, shadow + pos, (size_t)n * (size_t)elem) == 0);
            }
            break;
        }
        default: { /* a struct */
            int32_t len = (int32_t)(take(in, 1) % 40) - 2;
            bool inside_struct = len >= 0 && pos >= 0 && pos <= cap - len;
            if (op & 0x80) {
                for (int i = 0; i < 40; i++)
                    buf[i] = (uint8_t)take(in, 1);
                bool ok = UnmanagedMemoryAccessor_WriteStruct(a, pos, buf, len);
                check(ok == !failed());
                if (ok) {
                    check(inside_struct);
                    memcpy(shadow + pos, buf, (size_t)len);
                }
            } else {
                bool ok = UnmanagedMemoryAccessor_ReadStruct(a, pos, buf, len);
                check(ok == !failed());
                if (ok)
                    check(inside_struct && memcmp(buf, shadow + pos, (size_t)len) == 0);
            }
            break;
        }
        }
    }
}

static void stream_ops(Stream *s, uint8_t *shadow, int64_t cap, input *in)
{
    uint8_t buf[256];
    int64_t position = 0;
    for (int step = 0; step < 48 && in->n; step++) {
        uint8_t op = (uint8_t)take(in, 1);
        switch (op % 4) {
        case 0: { /* Position = p */
            int64_t p = pick(in, cap);
            bool ok = Stream_set_Position(s, p);
            check(ok == !failed() && ok == (p >= 0));
            if (ok)
                position = p;
            break;
        }
        case 1: { /* Seek */
            int64_t off = pick(in, cap);
            SeekOrigin origin = (SeekOrigin)(take(in, 1) % 3);
            int64_t base = origin == SeekOrigin_Begin ? 0 : origin == SeekOrigin_Current ? position : cap;
            int64_t got = Stream_Seek(s, off, origin);
            bool ok = !failed();
            /* .NET refuses a target before the start (and one that overflows) */
            bool fits = !((off > 0 && base > INT64_MAX - off) || base + off < 0);
            check(ok == fits);
            if (ok) {
                check(got == base + off);
                position = got;
            }
            break;
        }
        case 2: { /* Write */
            int32_t count = (int32_t)(take(in, 1) % 200);
            for (int32_t i = 0; i < count; i++)
                buf[i] = (uint8_t)take(in, 1);
            bool ok = Stream_Write(s, buf, 0, count);
            check(ok == !failed());
            bool fits = position <= cap && count <= cap - position;
            check(ok == fits || count == 0); /* an empty write past the end: either is harmless */
            if (ok && count) {
                memcpy(shadow + position, buf, (size_t)count);
                position += count;
            }
            break;
        }
        default: { /* Read */
            int32_t count = (int32_t)(take(in, 1) % 200);
            int32_t n = Stream_Read(s, buf, 0, count);
            check(n >= 0 && !failed());
            int64_t avail = position >= cap ? 0 : cap - position;
            check(n == (count < avail ? count : avail));
            check(memcmp(buf, shadow + position, (size_t)n) == 0);
            position += n;
            break;
        }
        }
        check(Stream_get_Position(s) == position);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input in = {data, size};
    int64_t want = 1 + (int64_t)(take(&in, 2) % 20000);
    MemoryMappedFile *map = MemoryMappedFile_CreateNew(NULL, want);
    check(map != NULL);
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(map);
    MemoryMappedViewStream *vs = MemoryMappedFile_CreateViewStream(map);
    check(a && vs);
    int64_t cap = MemoryMappedViewAccessor_get_Capacity(a);
    check(cap >= want && UnmanagedMemoryStream_get_Capacity((UnmanagedMemoryStream *)vs) == cap);
    uint8_t *shadow = calloc(1, (size_t)cap);
    check(shadow != NULL);
    accessor_ops((UnmanagedMemoryAccessor *)a, shadow, cap, &in);
    stream_ops((Stream *)vs, shadow, cap, &in);
    /* the view is what the shadow says, byte for byte, through the other view */
    uint8_t *all = malloc((size_t)cap);
    check(Stream_set_Position((Stream *)vs, 0));
    int64_t done = 0;
    while (done < cap) {
        int32_t chunk = cap - done > 1 << 20 ? 1 << 20 : (int32_t)(cap - done);
        check(Stream_Read((Stream *)vs, all + done, 0, chunk) == chunk);
        done += chunk;
    }
    check(memcmp(all, shadow, (size_t)cap) == 0);
    free(all);
    free(shadow);
    Dispose(vs);
    Dispose(a);
    Dispose(map);
    return 0;
}
