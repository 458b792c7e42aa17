/*
 * Test support: .NET's ChunkingStream, a read-only, non-seekable stream over a copy of some bytes
 * that gives at most one byte per Read, for the tests of the System.IO adapters.
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
} ChunkStream;

static inline int32_t chunk_read(Stream *s, uint8_t *buffer, int32_t count)
{
    ChunkStream *c = (ChunkStream *)s;
    c->reads++;
    if (c->position >= c->length || count <= 0)
        return 0;
    buffer[0] = c->data[c->position++];
    return 1;
}

static inline void chunk_destroy(Object *o) { free(((ChunkStream *)o)->data); }

static const sp_stream_ops chunk_ops = {.read = chunk_read};
static const sp_type chunk_type = {"Test.ChunkingStream", &sp_type_Stream, NULL, chunk_destroy};

/* A read-only, non-seekable stream over a copy of bytes that gives at most one byte per Read. */
static inline Stream *chunk_stream(const void *bytes, int32_t n)
{
    ChunkStream *c = sp_object_new(sizeof *c, &chunk_type);
    assert_non_null(c);
    sp_stream_init(&c->stream, &chunk_ops);
    c->data = malloc((size_t)n + 1);
    memcpy(c->data, bytes, (size_t)n);
    c->length = n;
    return &c->stream;
}

#endif
