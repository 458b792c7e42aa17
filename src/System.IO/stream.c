/* Stream: the checks every stream shares, in the order .NET makes them. */
#include "System.IO/memorystream.h"
#include "System.Text/text.h"

const sp_type sp_type_Stream = {"System.IO.Stream", &sp_type_Object, NULL, NULL};

void sp_stream_init(Stream *s, const sp_stream_ops *ops)
{
    s->ops = ops;
    s->read_timeout = -1;
    s->write_timeout = -1;
}

void sp_stream_throw_closed(Stream *s)
{
    if (s->ops->closed_message)
        sp_throw(ExceptionType_ObjectDisposedException, s->ops->closed_message, NULL);
    else
        sp_throw_stream_closed();
}

/* Pins a blocking stream for a call (see sp_stream_ops.blocking); free for the others. */
static bool stream_enter(Stream *s)
{
    if (!s->ops->blocking)
        return true;
    return sp_call_enter(&s->base, s->os_handle,
                         s->ops->closed_message ? s->ops->closed_message : SP_SR_TEXT(ObjectDisposed_StreamClosed));
}

static void stream_leave(Stream *s)
{
    if (s->ops->blocking)
        sp_call_leave(&s->base, s->os_handle);
}

Stream *sp_stream_check_open(Stream *s, const char *param)
{
    Object *o = sp_check_type(s, &sp_type_Stream, param);
    if (!o)
        return NULL;
    if (sp_object_is_closed(o)) {
        sp_stream_throw_closed(s);
        return NULL;
    }
    return s;
}


bool sp_adapter_check(Stream *stream, const char *stream_param, const Encoding *encoding, bool writing,
                      int32_t *buffer_size, int32_t default_size, int32_t min_size)
{
    if (!sp_check_type(stream, &sp_type_Stream, stream_param))
        return false;
    if (encoding && !sp_check_type(encoding, &sp_type_Encoding, "encoding"))
        return false;
    if (buffer_size) {
        if (*buffer_size != -1 && *buffer_size <= 0) {
            sp_throw_out_of_range("bufferSize", sp_sr(SR_ArgumentOutOfRange_NeedPosNum));
            return false;
        }
        if (*buffer_size == -1)
            *buffer_size = default_size;
        if (*buffer_size < min_size)
            *buffer_size = min_size;
    }
    if (writing ? !sp_stream_can_write(stream) : !sp_stream_can_read(stream)) {
        sp_throw_sr(ExceptionType_ArgumentException,
                    writing ? SR_Argument_StreamNotWritable : SR_Argument_StreamNotReadable, NULL);
        return false;
    }
    return true;
}

bool sp_stream_can_read(Stream *s)
{
    return !sp_object_is_closed(&s->base) && s->ops->read && (!s->ops->can_read || s->ops->can_read(s));
}
bool sp_stream_can_write(Stream *s)
{
    return !sp_object_is_closed(&s->base) && s->ops->write && (!s->ops->can_write || s->ops->can_write(s));
}
bool sp_stream_can_seek(Stream *s)
{
    return !sp_object_is_closed(&s->base) && s->ops->seek && (!s->ops->can_seek || s->ops->can_seek(s));
}

int32_t sp_stream_read(Stream *s, uint8_t *buffer, int32_t count)
{
    MemoryStream *m = sp_memstream_open(s);
    if (m) { /* in place: ms_read's copy without the checks an open MemoryStream passes */
        int32_t n = m->length - m->position;
        if (n > count)
            n = count;
        if (n <= 0)
            return 0;
        memmove(buffer, m->buffer + m->position, (size_t)n); /* (into the stream's own bytes too) */
        m->position += n;
        return n;
    }
    /* can_read is false once closed too: a Dispose from another thread between the two checks
     * is still ObjectDisposedException (a reader's next read after it, under the reader's pin). */
    if (sp_object_is_closed(&s->base) || !sp_stream_can_read(s)) {
        if (sp_object_is_closed(&s->base))
            sp_stream_throw_closed(s);
        else
            sp_throw_not_readable();
        return -1;
    }
    if (count == 0 && !s->ops->blocking)
        return 0;
    if (!s->ops->blocking || s->ops->pins_itself)
        return s->ops->read(s, buffer, count);
    if (!stream_enter(s))
        return -1;
    int32_t n = s->ops->read(s, buffer, count);
    stream_leave(s);
    return n;
}

bool sp_stream_write(Stream *s, const uint8_t *buffer, int32_t count)
{
    uint8_t *room = sp_memstream_put(s, count);
    if (room) { /* memmove: the bytes may be the stream's own (WriteTo itself), as ms_write */
        if (count > 0)
            memmove(room, buffer, (size_t)count);
        return true;
    }
    if (sp_object_is_closed(&s->base) || !sp_stream_can_write(s)) { /* as sp_stream_read */
        if (sp_object_is_closed(&s->base))
            sp_stream_throw_closed(s);
        else
            sp_throw_not_writable();
        return false;
    }
    /* A write of none goes to the stream too: a memory stream positioned past its length moves the
     * length there and zeroes the gap (.NET's MemoryStream and UnmanagedMemoryStream Write have no
     * early return); a FileStream's does nothing. */
    if (!s->ops->blocking || s->ops->pins_itself)
        return s->ops->write(s, buffer, count);
    if (!stream_enter(s))
        return false;
    bool ok = s->ops->write(s, buffer, count);
    stream_leave(s);
    return ok;
}

bool sp_stream_read_exactly(Stream *s, uint8_t *buffer, int32_t count)
{
    const uint8_t *p = sp_memstream_take(s, count);
    if (p) {
        memmove(buffer, p, (size_t)count);
        return true;
    }
    /* Each read pins the stream for itself; between two reads a Dispose from another thread could
     * drop the last reference, so a blocking stream's memory is held for the whole loop (the next
     * read then sees it closed: ObjectDisposedException, never freed memory). */
    bool hold = s->ops->blocking;
    if (hold)
        sp_object_retain(&s->base);
    bool ok = true;
    while (count > 0) {
        int32_t n = sp_stream_read(s, buffer, count);
        if (n <= 0) {
            if (n == 0)
                sp_throw_end_of_stream();
            ok = false;
            break;
        }
        buffer += n;
        count -= n;
    }
    if (hold)
        sp_object_release(&s->base);
    return ok;
}

/* ---------------------------------------------------------------- public API */

#undef Stream_Read
#undef Stream_ReadSpan
#undef Stream_ReadExactly
#undef Stream_Write
#undef Stream_WriteSpan
#undef Stream_ReadByte
#undef Stream_WriteByte
#undef Stream_Flush
#undef Stream_Seek
#undef Stream_get_Length
#undef Stream_SetLength
#undef Stream_get_Position
#undef Stream_set_Position
#undef Stream_get_CanRead
#undef Stream_get_CanWrite
#undef Stream_get_CanSeek
#undef Stream_get_CanTimeout
#undef Stream_get_ReadTimeout
#undef Stream_set_ReadTimeout
#undef Stream_get_WriteTimeout
#undef Stream_set_WriteTimeout
#undef Stream_CopyTo
#undef Stream_Close
#undef Stream_Dispose

static inline Stream *checked(Stream *s) { return (Stream *)sp_check_type_fast(s, &sp_type_Stream, "stream"); }

int32_t Stream_Read(Stream *stream, void *buffer, int32_t offset, int32_t count)
{
    if (!checked(stream) || !sp_check_buffer_args(buffer, offset, count))
        return -1;
    sp_clear();
    int32_t n = sp_stream_read(stream, (uint8_t *)buffer + offset, count);
    return n;
}

int32_t Stream_ReadSpan(Stream *stream, void *buffer, int32_t count)
{
    if (!checked(stream))
        return -1;
    if (count < 0) {
        sp_throw_need_nonneg("count");
        return -1;
    }
    if (!buffer && count > 0) {
        sp_throw_null("buffer");
        return -1;
    }
    sp_clear();
    return sp_stream_read(stream, buffer, count);
}

bool Stream_ReadExactly(Stream *stream, void *buffer, int32_t offset, int32_t count)
{
    if (!checked(stream) || !sp_check_buffer_args(buffer, offset, count))
        return false;
    sp_clear();
    /* .NET reads until it has count bytes: with none to read, it never touches the stream. */
    return count == 0 || sp_stream_read_exactly(stream, (uint8_t *)buffer + offset, count);
}

bool Stream_Write(Stream *stream, const void *buffer, int32_t offset, int32_t count)
{
    if (!checked(stream) || !sp_check_buffer_args(buffer, offset, count))
        return false;
    sp_clear();
    return sp_stream_write(stream, (const uint8_t *)buffer + offset, count);
}

bool Stream_WriteSpan(Stream *stream, const void *buffer, int32_t count)
{
    if (!checked(stream))
        return false;
    if (count < 0) {
        sp_throw_need_nonneg("count");
        return false;
    }
    if (!buffer && count > 0) {
        sp_throw_null("buffer");
        return false;
    }
    sp_clear();
    return sp_stream_write(stream, buffer, count);
}

int32_t Stream_ReadByte(Stream *stream)
{
    if (!checked(stream))
        return -1;
    sp_clear();
    MemoryStream *m = sp_memstream_open(stream);
    if (m)
        return m->position < m->length ? m->buffer[m->position++] : -1;
    uint8_t b;
    int32_t n = sp_stream_read(stream, &b, 1);
    return n == 1 ? b : -1;
}

bool Stream_WriteByte(Stream *stream, uint8_t value)
{
    if (!checked(stream))
        return false;
    sp_clear();
    uint8_t *room = sp_memstream_put(stream, 1);
    if (room) {
        *room = value;
        return true;
    }
    return sp_stream_write(stream, &value, 1);
}

bool Stream_Flush(Stream *stream)
{
    if (!checked(stream))
        return false;
    if (stream->ops->flush) {
        sp_clear();
        return stream->ops->flush(stream);
    }
    if (!sp_stream_check_open(stream, "stream"))
        return false;
    sp_clear();
    return true;
}

int64_t Stream_Seek(Stream *stream, int64_t offset, SeekOrigin origin)
{
    if (!sp_stream_check_open(stream, "stream"))
        return -1;
    if (!sp_stream_can_seek(stream)) {
        sp_throw_not_seekable();
        return -1;
    }
    if (origin < SeekOrigin_Begin || origin > SeekOrigin_End) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_InvalidSeekOrigin, stream->ops->origin_param);
        return -1;
    }
    if (!stream_enter(stream))
        return -1;
    sp_clear();
    int64_t position = stream->ops->seek(stream, offset, origin);
    stream_leave(stream);
    return position;
}

int64_t Stream_get_Length(Stream *stream)
{
    if (!sp_stream_check_open(stream, "stream"))
        return -1;
    if (!sp_stream_can_seek(stream) || !stream->ops->get_length) {
        sp_throw_not_seekable();
        return -1;
    }
    if (!stream_enter(stream))
        return -1;
    sp_clear();
    int64_t length = stream->ops->get_length(stream);
    stream_leave(stream);
    return length;
}

bool Stream_SetLength(Stream *stream, int64_t value)
{
    if (!checked(stream))
        return false;
    if (value < 0) {
        sp_throw_out_of_range("value", sp_sr(SR_ArgumentOutOfRange_StreamLength));
        return false;
    }
    if (stream->ops->set_length) {
        sp_clear();
        return stream->ops->set_length(stream, value);
    }
    if (!sp_stream_check_open(stream, "stream"))
        return false;
    sp_throw_not_seekable();
    return false;
}

int64_t Stream_get_Position(Stream *stream)
{
    if (!sp_stream_check_open(stream, "stream"))
        return -1;
    if (!sp_stream_can_seek(stream)) {
        sp_throw_not_seekable();
        return -1;
    }
    if (!stream_enter(stream))
        return -1;
    sp_clear();
    int64_t position = stream->ops->get_position ? stream->ops->get_position(stream)
                                                 : stream->ops->seek(stream, 0, SeekOrigin_Current);
    stream_leave(stream);
    return position;
}

bool Stream_set_Position(Stream *stream, int64_t value)
{
    if (!checked(stream))
        return false;
    if (value < 0) {
        sp_throw_need_nonneg("value");
        return false;
    }
    if (!sp_stream_check_open(stream, "stream"))
        return false;
    if (!sp_stream_can_seek(stream)) {
        sp_throw_not_seekable();
        return false;
    }
    if (!stream_enter(stream))
        return false;
    sp_clear();
    bool ok = stream->ops->set_position ? stream->ops->set_position(stream, value)
                                        : stream->ops->seek(stream, value, SeekOrigin_Begin) >= 0;
    stream_leave(stream);
    return ok;
}

bool Stream_get_CanRead(Stream *stream)
{
    if (!checked(stream))
        return false;
    sp_clear();
    return sp_stream_can_read(stream);
}

bool Stream_get_CanWrite(Stream *stream)
{
    if (!checked(stream))
        return false;
    sp_clear();
    return sp_stream_can_write(stream);
}

bool Stream_get_CanSeek(Stream *stream)
{
    if (!checked(stream))
        return false;
    sp_clear();
    return sp_stream_can_seek(stream);
}

bool Stream_get_CanTimeout(Stream *stream)
{
    if (!checked(stream))
        return false;
    sp_clear();
    return !sp_object_is_closed(&stream->base) && stream->ops->can_timeout;
}

static bool check_timeouts(Stream *stream)
{
    if (!checked(stream))
        return false;
    if (!stream->ops->can_timeout) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_InvalidOperation_TimeoutsNotSupported, NULL);
        return false;
    }
    return true;
}

static bool set_timeout(Stream *stream, int32_t *slot, int32_t milliseconds)
{
    if (!check_timeouts(stream))
        return false;
    if (milliseconds < -1 || milliseconds == 0) {
        sp_throw_out_of_range("value", sp_sr(SR_net_io_timeout_use_gt_zero));
        return false;
    }
    if (!sp_stream_check_open(stream, "stream"))
        return false;
    sp_clear();
    int32_t old = *slot;
    *slot = milliseconds;
    if (stream->ops->apply_timeouts && !stream->ops->apply_timeouts(stream)) {
        *slot = old;
        return false;
    }
    return true;
}

int32_t Stream_get_ReadTimeout(Stream *stream)
{
    if (!check_timeouts(stream))
        return 0;
    sp_clear();
    return stream->read_timeout;
}

bool Stream_set_ReadTimeout(Stream *stream, int32_t milliseconds)
{
    return set_timeout(stream, stream ? &stream->read_timeout : NULL, milliseconds);
}

int32_t Stream_get_WriteTimeout(Stream *stream)
{
    if (!check_timeouts(stream))
        return 0;
    sp_clear();
    return stream->write_timeout;
}

bool Stream_set_WriteTimeout(Stream *stream, int32_t milliseconds)
{
    return set_timeout(stream, stream ? &stream->write_timeout : NULL, milliseconds);
}

/* .NET's default CopyTo buffer is 81920 bytes; a seekable source caps it at what is left. */
#define SP_COPY_BUFFER_SIZE 81920

bool Stream_CopyToWithBufferSize(Stream *stream, Stream *destination, int32_t bufferSize)
{
    if (!checked(stream))
        return false;
    if (!destination) {
        sp_throw_null("destination");
        return false;
    }
    if (!sp_check_type(destination, &sp_type_Stream, "destination"))
        return false;
    if (bufferSize <= 0) {
        sp_throw_out_of_range("bufferSize", sp_sr(SR_ArgumentOutOfRange_NeedPosNum));
        return false;
    }
    if (sp_object_is_closed(&stream->base) || sp_object_is_closed(&destination->base)) {
        sp_stream_throw_closed(sp_object_is_closed(&stream->base) ? stream : destination);
        return false;
    }
    if (!sp_stream_can_read(stream)) {
        sp_throw_not_readable();
        return false;
    }
    if (!sp_stream_can_write(destination)) {
        sp_throw_not_writable();
        return false;
    }
    sp_clear();
    uint8_t *buffer = sp_malloc((size_t)bufferSize);
    if (!buffer)
        return false;
    /* As sp_stream_read_exactly: both streams' memory is held between the reads and writes. */
    sp_object_retain(&stream->base);
    sp_object_retain(&destination->base);
    bool ok = true;
    for (;;) {
        int32_t n = sp_stream_read(stream, buffer, bufferSize);
        if (n < 0) {
            ok = false;
            break;
        }
        if (n == 0)
            break;
        if (!sp_stream_write(destination, buffer, n)) {
            ok = false;
            break;
        }
    }
    sp_object_release(&destination->base);
    sp_object_release(&stream->base);
    free(buffer);
    return ok;
}

bool Stream_CopyTo(Stream *stream, Stream *destination)
{
    return Stream_CopyToWithBufferSize(stream, destination, SP_COPY_BUFFER_SIZE);
}

bool Stream_Close(Stream *stream)
{
    if (!checked(stream))
        return false;
    sp_clear();
    return sp_object_close(&stream->base);
}

bool Stream_Dispose(Stream *stream)
{
    if (!checked(stream))
        return false;
    return Dispose(&stream->base);
}
