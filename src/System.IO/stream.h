/*
 * The Stream vtable. Every concrete stream embeds `Stream` first and fills the operations it
 * supports; a NULL operation is NotSupportedException. The public Stream_* functions validate
 * arguments, check that the stream is open and has the capability, then call the operation, so
 * an implementation sees only valid calls (count > 0 for read and write).
 */
#ifndef SHARPIPC_STREAM_H
#define SHARPIPC_STREAM_H

#include "core/handle.h"
#include <sharpipc/inline.h>

typedef struct sp_stream_ops {
    /* Reads 1..count bytes, 0 at end of stream, -1 on failure (exception raised). */
    int32_t (*read)(Stream *s, uint8_t *buffer, int32_t count);
    /* Writes all count bytes. */
    bool (*write)(Stream *s, const uint8_t *buffer, int32_t count);
    /* Called open or closed: each stream has its own rule (MemoryStream's never fails). */
    bool (*flush)(Stream *s);
    int64_t (*seek)(Stream *s, int64_t offset, SeekOrigin origin);
    int64_t (*get_length)(Stream *s);
    /* Called open or closed with length >= 0: the stream makes .NET's checks in its order. */
    bool (*set_length)(Stream *s, int64_t length);
    int64_t (*get_position)(Stream *s);
    /* Position = value (value >= 0); NULL: seek from the beginning. */
    bool (*set_position)(Stream *s, int64_t value);
    /* Capabilities of an open stream. */
    bool (*can_read)(Stream *s);
    bool (*can_write)(Stream *s);
    bool (*can_seek)(Stream *s);
    bool can_timeout;
    /* Applies a new timeout (already validated: -1 or >= 0). NULL: stored only. */
    bool (*apply_timeouts)(Stream *s);
    /* Calls may block (a peer, a FIFO): each read, write, seek and length call pins the stream and
     * its os_handle (sp_call_enter), so that another thread may Dispose the stream (which wakes
     * the call where the OS can) without freeing it, or closing its OS handle, under the call.
     * Streams that never block (MemoryStream, view streams) leave it false and pay nothing. */
    bool blocking;
    /* read and write pin what they use themselves (a pipe pins its current connection, which
     * changes), so the generic layer does not pin them a second time. */
    bool pins_itself;
    /* The ObjectDisposedException text once closed; NULL: "Cannot access a closed Stream." */
    const char *closed_message;
    /* The ParamName of "Invalid seek origin." (FileStream says "origin", MemoryStream none). */
    const char *origin_param;
} sp_stream_ops;

struct Stream {
    Object base;
    /* SP_MS_TAG_ and the MemoryStream's own window (sharpipc/inline.h), which the public headers'
     * inline calls read and write in place; 0 and NULL for every other stream. */
    uint64_t tag;
    sp_memwin_ *win;
    const sp_stream_ops *ops;
    /* The OS handle the calls of a blocking stream pin (NULL: the object alone). */
    sp_handle *os_handle;
    int32_t read_timeout;
    int32_t write_timeout;
};

extern const sp_type sp_type_Stream;

void sp_stream_init(Stream *s, const sp_stream_ops *ops);
/* A stream that is open, or NULL with ObjectDisposedException / ArgumentNullException. */
Stream *sp_stream_check_open(Stream *s, const char *param);

/* Unchecked calls for adapters that validated the stream already. */
int32_t sp_stream_read(Stream *s, uint8_t *buffer, int32_t count);
bool sp_stream_write(Stream *s, const uint8_t *buffer, int32_t count);
/* Reads exactly count bytes or raises EndOfStreamException; returns false on any failure. */
bool sp_stream_read_exactly(Stream *s, uint8_t *buffer, int32_t count);
bool sp_stream_can_read(Stream *s);
bool sp_stream_can_write(Stream *s);
bool sp_stream_can_seek(Stream *s);
/* The checks every adapter constructor (BinaryReader/Writer, StreamReader/Writer) makes, in .NET's
 * order: a Stream, an Encoding if one is given, a positive buffer size or -1 (when buffer_size is
 * not NULL: -1 becomes default_size and anything smaller than min_size becomes min_size), and a
 * stream that can read (or write). */
bool sp_adapter_check(Stream *stream, const char *stream_param, const Encoding *encoding, bool writing,
                      int32_t *buffer_size, int32_t default_size, int32_t min_size);
/* Raises the stream type's ObjectDisposedException. */
void sp_stream_throw_closed(Stream *s);

/* An adapter's call (BinaryReader/Writer, StreamReader/Writer) that may block on its stream holds
 * the adapter for its duration when the stream blocks (sp_stream_ops.blocking): a Dispose of the
 * adapter's last reference from another thread then closes it (which closes the stream and ends
 * the call there) but frees nothing the call still uses, the adapter, its buffers and the stream it
 * holds, until the call leaves. The stream's own pin covers the stream during one read or write
 * only, not the adapter's buffer it reads into nor the adapter between two reads. Over a stream
 * that never blocks (a MemoryStream) it is a test and no atomic operation. Returns whether it held:
 * pass that to sp_adapter_leave. */
static inline bool sp_adapter_enter(Object *adapter, const Stream *s)
{
    if (!s->ops->blocking)
        return false;
    sp_object_retain(adapter);
    return true;
}
static inline void sp_adapter_leave(Object *adapter, bool held)
{
    if (held)
        sp_object_release(adapter); /* keeps the call's exception (sp_object_release) */
}

/* The reader's decoder holds a part of a character (or UTF-16's waiting high surrogate): what a
 * short ReadString that one read brings whole does not see, and one that comes in several reads
 * does (binaryreader.c read_string). For the tests that compare streams whose reads differ. */
bool sp_binaryreader_holds_char_part(const BinaryReader *r);

#endif
