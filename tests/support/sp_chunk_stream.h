/*
 * Test support: .NET's ChunkingStream, a read-only, non-seekable stream over a copy of some bytes
 * that gives at most one byte per Read (or `step` bytes), for the tests of the System.IO adapters.
 */
#ifndef SP_CHUNK_STREAM_H
#define SP_CHUNK_STREAM_H

#include "sp_test.h"
#include "System.IO/stream.h"

typedef struct ChunkStream {
    Stream stream;
    uint8_t *data;
    int32_t length, position;
    int32_t reads; /* how many times read was called */
    int32_t step;  /* the most bytes a Read gives: 1 but for step_stream's */
} ChunkStream;

static inline int32_t chunk_read(Stream *s, uint8_t *buffer, int32_t count)
{
    ChunkStream *c = (ChunkStream *)s;
    c->reads++;
    int32_t n = c->length - c->position;
    n = n < count ? n : count;
    n = n < c->step ? n : c->step;
    if (n <= 0)
        return 0;
    memcpy(buffer, c->data + c->position, (size_t)n);
    c->position += n;
    return n;
}

static inline void chunk_destroy(Object *o) { free(((ChunkStream *)o)->data); }

static const sp_stream_ops chunk_ops = {.read = chunk_read};
static const sp_type chunk_type = {"Test.ChunkingStream", &sp_type_Stream, NULL, chunk_destroy};

/* A read-only, non-seekable stream over a copy of bytes that gives at most `step` bytes a Read
 * (the last may be fewer). */
static inline Stream *step_stream(const void *bytes, int32_t n, int32_t step)
{
    ChunkStream *c = sp_object_new(sizeof *c, &chunk_type);
    assert_non_null(c);
    sp_stream_init(&c->stream, &chunk_ops);
    c->data = malloc((size_t)n + 1);
    memcpy(c->data, bytes, (size_t)n);
    c->length = n;
    c->step = step;
    return &c->stream;
}

/* .NET's ChunkingStream: at most one byte per Read. */
static inline Stream *chunk_stream(const void *bytes, int32_t n) { return step_stream(bytes, n, 1); }

#endif
