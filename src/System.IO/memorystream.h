/* MemoryStream's layout and its in-place fast paths, private to src/System.IO/: Stream_* and the
 * adapters (BinaryReader/Writer, StreamReader/Writer) read and write an exact MemoryStream's buffer
 * directly, as .NET's BinaryReader does with its _isMemoryStream path, and fall back to the
 * stream's operations for everything else (another type, closed, past the end, growth). */
#ifndef SHARPIPC_MEMORYSTREAM_H
#define SHARPIPC_MEMORYSTREAM_H

#include "System.IO/stream.h"

struct MemoryStream {
    Stream stream;
    /* The window the inline calls of the public headers use (sharpipc/inline.h): the stream's
     * state itself, so that an inline read and a call of the library see the same position. */
    union {
        sp_memwin_ win;
        struct {
            uint8_t *buffer;
            int32_t position; /* absolute, like .NET's _position */
            int32_t length;   /* absolute end of data */
            int32_t capacity; /* absolute */
            bool open;        /* win.can_read: false from Close on */
            bool writable;    /* win.can_write: writable and open (Close clears it, as CanWrite) */
        };
    };
    int32_t origin; /* first usable byte of a caller's buffer */
    bool owns_buffer;
    bool expandable;
    bool exposable;
};

#define SP_MS_SAME_(f, g) (offsetof(MemoryStream, f) == offsetof(MemoryStream, win.g))
_Static_assert(SP_MS_SAME_(buffer, buffer) && SP_MS_SAME_(position, position) && SP_MS_SAME_(length, length) &&
                   SP_MS_SAME_(capacity, capacity) && SP_MS_SAME_(open, can_read) && SP_MS_SAME_(writable, can_write),
               "MemoryStream's fields must be its window's");
#undef SP_MS_SAME_
#ifdef SHARPIPC_INLINE
/* The public headers' inline calls read these fields through sp_fast_. */
_Static_assert(offsetof(Stream, tag) == offsetof(sp_fast_, tag) && offsetof(Stream, win) == offsetof(sp_fast_, win) &&
                   SP_OBJECT_MAGIC_ == SP_OBJECT_MAGIC,
               "sp_fast_ (include/sharpipc/inline.h) must match Stream");
_Static_assert(offsetof(MemoryStream, win) == offsetof(sp_fast_ms_obj_, win),
               "sp_fast_ms_obj_ (include/sharpipc/inline.h) must match MemoryStream");
/* The inline StreamWriter.WriteLine(string) reads char_fast and newline_ascii with one load,
 * StreamReader.Read() pending_low, open and zero_ (System.IO.h). */
_Static_assert(offsetof(sp_textout_, newline_ascii) == offsetof(sp_textout_, char_fast) + 1 &&
                   offsetof(sp_textin_, open) == offsetof(sp_textin_, pending_low) + 2 &&
                   offsetof(sp_textin_, zero_) == offsetof(sp_textin_, pending_low) + 3,
               "the flags the inline text calls read together");
#endif
/* The window an adapter reads and writes inline: the MemoryStream's, or one that never is. */
static inline sp_memwin_ *sp_stream_window(Stream *s)
{
    return (s->tag & ~(uint64_t)(SP_TAG_READ_ | SP_TAG_WRITE_)) == SP_MS_TAG_ ? s->win : &sp_closed_window_;
}
/* The tag that says what the stream can do now (inline.h): set whenever open or writable changes. */
static inline void sp_memstream_set_tag(MemoryStream *m)
{
    m->stream.tag = SP_MS_TAG_ | (m->open ? SP_TAG_READ_ : 0) | (m->writable ? SP_TAG_WRITE_ : 0);
}

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
