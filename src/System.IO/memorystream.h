/* MemoryStream's layout and its in-place fast paths, private to src/System.IO/: Stream_* and the
 * adapters (BinaryReader/Writer, StreamReader/Writer) read and write an exact MemoryStream's buffer
 * directly, as .NET's BinaryReader does with its _isMemoryStream path, and fall back to the
 * stream's operations for everything else (another type, closed, past the end, growth). */
#ifndef SHARPIPC_MEMORYSTREAM_H
#define SHARPIPC_MEMORYSTREAM_H

#include "System.IO/stream.h"

struct MemoryStream {
    Stream stream;
    uint8_t *buffer;
    int32_t origin;   /* first usable byte of a caller's buffer */
    int32_t position; /* absolute, like .NET's _position */
    int32_t length;   /* absolute end of data */
    int32_t capacity; /* absolute */
    bool owns_buffer;
    bool expandable;
    bool writable;
    bool exposable;
};

extern const sp_type sp_type_MemoryStream;

/* s as an open MemoryStream of exactly that type, or NULL. */
static inline MemoryStream *sp_memstream_open(Stream *s)
{
    if (s->base.type != &sp_type_MemoryStream || sp_object_is_closed_fast(&s->base))
        return NULL;
    return (MemoryStream *)s;
}

/* The next count bytes of an open MemoryStream, consumed, when it holds that many; NULL
 * otherwise (the caller takes the stream's own path, which decides what is right). */
static inline const uint8_t *sp_memstream_take(Stream *s, int32_t count)
{
    MemoryStream *m = sp_memstream_open(s);
    if (!m || m->length - m->position < count)
        return NULL;
    const uint8_t *p = m->buffer + m->position;
    m->position += count;
    return p;
}

/* Room for count bytes at the position of an open, writable MemoryStream with no growth and no
 * gap to zero, the length moved past them; NULL otherwise. */
static inline uint8_t *sp_memstream_put(Stream *s, int32_t count)
{
    MemoryStream *m = sp_memstream_open(s);
    if (!m || !m->writable || m->position > m->length || m->capacity - m->position < count)
        return NULL;
    uint8_t *p = m->buffer + m->position;
    m->position += count;
    if (m->position > m->length)
        m->length = m->position;
    return p;
}

#endif
