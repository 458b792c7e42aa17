/* MemoryStream, with .NET's growth, bounds and exposure rules. */
#include "System.IO/memorystream.h"

/* Array.MaxLength, the largest .NET byte[]. */
#define SP_ARRAY_MAX_LENGTH 0x7FFFFFC7
#define SP_MEMSTREAM_MAX_LENGTH INT32_MAX


static void memorystream_destroy(Object *o)
{
    MemoryStream *m = (MemoryStream *)o;
    if (m->owns_buffer)
        free(m->buffer);
}

static bool memorystream_close(Object *o)
{
    MemoryStream *m = (MemoryStream *)o;
    /* As .NET: the data stays readable through ToArray/GetBuffer after Close. */
    m->writable = false;
    m->open = false;
    /* And the position past any length, so that an adapter's inline read (sp_fast_take_ in
     * sharpipc/inline.h) fails its one length test without loading can_read as well. Nothing
     * reads the position of a closed stream: Position, Seek, Read and Write throw first. */
    m->position = INT32_MAX;
    m->expandable = false;
    sp_memstream_set_tag(m);
    return true;
}

sp_memwin_ sp_closed_window_; /* all zero: never readable, never writable (a length of 0 to read from) */

const sp_type sp_type_MemoryStream = {"System.IO.MemoryStream", &sp_type_Stream, memorystream_close,
                                      memorystream_destroy};

static bool ensure_capacity(MemoryStream *m, int64_t value)
{
    if (value <= m->capacity)
        return true;
    if (value > SP_MEMSTREAM_MAX_LENGTH) {
        sp_throw_sr(ExceptionType_IOException, SR_IO_StreamTooLong, NULL);
        return false;
    }
    if (!m->expandable) {
        sp_throw_sr(ExceptionType_NotSupportedException, SR_NotSupported_MemStreamNotExpandable, NULL);
        return false;
    }
    int64_t cap = value;
    if (cap < 256)
        cap = 256;
    if (cap < (int64_t)m->capacity * 2)
        cap = (int64_t)m->capacity * 2;
    if ((int64_t)m->capacity * 2 > SP_ARRAY_MAX_LENGTH)
        cap = value > SP_ARRAY_MAX_LENGTH ? value : SP_ARRAY_MAX_LENGTH;
    uint8_t *b = sp_realloc(m->buffer, (size_t)cap);
    if (!b)
        return false;
    m->buffer = b;
    m->capacity = (int32_t)cap;
    return true;
}

static int32_t ms_read(Stream *s, uint8_t *buffer, int32_t count)
{
    MemoryStream *m = (MemoryStream *)s;
    int32_t n = m->length - m->position;
    if (n > count)
        n = count;
    if (n <= 0)
        return 0;
    memmove(buffer, m->buffer + m->position, (size_t)n); /* buffer may be GetBuffer's, as Buffer.BlockCopy allows */
    m->position += n;
    return n;
}

static bool ms_write(Stream *s, const uint8_t *buffer, int32_t count)
{
    MemoryStream *m = (MemoryStream *)s;
    int64_t end = (int64_t)m->position + count;
    if (end > SP_MEMSTREAM_MAX_LENGTH) {
        sp_throw_sr(ExceptionType_IOException, SR_IO_StreamTooLong, NULL);
        return false;
    }
    /* The bytes may be the stream's own (WriteTo into itself, a write from GetBuffer): .NET copies
     * from the old array, which the GC keeps; here growing frees it, so follow them into the new
     * buffer (it holds the same bytes), and copy as memmove does when the ranges overlap, as
     * Buffer.BlockCopy does. */
    uintptr_t from = (uintptr_t)buffer, own = (uintptr_t)m->buffer;
    bool own_bytes = m->buffer && from >= own && from < own + (uintptr_t)m->capacity;
    size_t own_offset = own_bytes ? (size_t)(from - own) : 0;
    if (end > m->length) {
        bool gap = m->position > m->length;
        if (end > m->capacity && !ensure_capacity(m, end))
            return false;
        if (own_bytes)
            buffer = m->buffer + own_offset;
        if (gap)
            memset(m->buffer + m->length, 0, (size_t)(m->position - m->length));
        m->length = (int32_t)end;
    }
    if (count > 0) /* (a write of none may still have moved the length past a gap, as .NET's) */
        memmove(m->buffer + m->position, buffer, (size_t)count);
    m->position = (int32_t)end;
    return true;
}

static int64_t ms_seek(Stream *s, int64_t offset, SeekOrigin origin)
{
    MemoryStream *m = (MemoryStream *)s;
    int64_t base = origin == SeekOrigin_Begin ? m->origin : origin == SeekOrigin_Current ? m->position : m->length;
    /* .NET's SeekCore: past the maximum length counted from the base is "offset"; base is 0..2^31-1,
     * so once offset passed that check the sum cannot overflow. */
    if (offset > SP_MEMSTREAM_MAX_LENGTH - base) {
        sp_throw_out_of_range("offset", sp_sr(SR_ArgumentOutOfRange_StreamLength));
        return -1;
    }
    int64_t target = base + offset;
    if (target < m->origin) {
        sp_throw_sr(ExceptionType_IOException, SR_IO_SeekBeforeBegin, NULL);
        return -1;
    }
    m->position = (int32_t)target;
    return target - m->origin;
}

static int64_t ms_get_length(Stream *s)
{
    MemoryStream *m = (MemoryStream *)s;
    return m->length - m->origin;
}

static int64_t ms_get_position(Stream *s)
{
    MemoryStream *m = (MemoryStream *)s;
    return m->position - m->origin;
}

static bool ms_set_position(Stream *s, int64_t value)
{
    if (value > SP_MEMSTREAM_MAX_LENGTH - ((MemoryStream *)s)->origin) { /* .NET: MemStreamMaxLength - _origin */
        sp_throw_out_of_range("value", sp_sr(SR_ArgumentOutOfRange_StreamLength));
        return false;
    }
    return ms_seek(s, value, SeekOrigin_Begin) >= 0;
}

/* MemoryStream.Flush is empty in .NET: it never fails, open or closed. */
static bool ms_flush(Stream *s)
{
    (void)s;
    return true;
}

static bool ms_set_length(Stream *s, int64_t value)
{
    MemoryStream *m = (MemoryStream *)s;
    if (value > (int64_t)SP_MEMSTREAM_MAX_LENGTH - m->origin) {
        sp_throw_out_of_range("value", sp_sr(SR_ArgumentOutOfRange_StreamLength));
        return false;
    }
    if (!m->writable) {
        sp_throw_not_writable();
        return false;
    }
    int64_t new_length = m->origin + value;
    if (new_length > m->capacity && !ensure_capacity(m, new_length))
        return false;
    if (new_length > m->length)
        memset(m->buffer + m->length, 0, (size_t)(new_length - m->length));
    m->length = (int32_t)new_length;
    if (m->position > new_length)
        m->position = (int32_t)new_length;
    return true;
}

static bool ms_can_write(Stream *s) { return ((MemoryStream *)s)->writable; }

static const sp_stream_ops memorystream_ops = {
    .read = ms_read,
    .write = ms_write,
    .flush = ms_flush,
    .set_position = ms_set_position,
    .seek = ms_seek,
    .get_length = ms_get_length,
    .set_length = ms_set_length,
    .get_position = ms_get_position,
    .can_write = ms_can_write,
};

static MemoryStream *memorystream_alloc(void)
{
    MemoryStream *m = sp_object_new(sizeof *m, &sp_type_MemoryStream);
    if (m) {
        sp_stream_init(&m->stream, &memorystream_ops);
        m->stream.win = &m->win;
        m->open = true;
        sp_memstream_set_tag(m);
    }
    return m;
}

#undef MemoryStream_new
#undef MemoryStream_ToArray
#undef MemoryStream_WriteTo

MemoryStream *MemoryStream_new(void) { return MemoryStream_newWithCapacity(0); }

MemoryStream *MemoryStream_newWithCapacity(int32_t capacity)
{
    if (capacity < 0) {
        sp_throw_out_of_range("capacity", sp_sr(SR_ArgumentOutOfRange_NegativeCapacity));
        return NULL;
    }
    MemoryStream *m = memorystream_alloc();
    if (!m)
        return NULL;
    if (capacity > 0 && !(m->buffer = sp_malloc((size_t)capacity))) {
        sp_object_release(&m->stream.base);
        return NULL;
    }
    m->capacity = capacity;
    m->owns_buffer = true;
    m->expandable = true;
    m->writable = true;
    m->exposable = true;
    sp_memstream_set_tag(m);
    sp_clear();
    return m;
}

MemoryStream *MemoryStream_newFromBuffer(void *buffer, int32_t index, int32_t count, bool writable,
                                         bool publiclyVisible)
{
    if (!buffer) {
        sp_throw_null("buffer");
        return NULL;
    }
    if (index < 0) {
        sp_throw_need_nonneg("index");
        return NULL;
    }
    if (count < 0) {
        sp_throw_need_nonneg("count");
        return NULL;
    }
    if ((int64_t)index + count > INT32_MAX) {
        sp_throw_invalid_off_len();
        return NULL;
    }
    MemoryStream *m = memorystream_alloc();
    if (!m)
        return NULL;
    m->buffer = buffer;
    m->origin = m->position = index;
    m->length = m->capacity = index + count;
    m->writable = writable;
    m->exposable = publiclyVisible;
    sp_memstream_set_tag(m);
    sp_clear();
    return m;
}

static MemoryStream *check_ms(MemoryStream *m)
{
    return (MemoryStream *)sp_check_type(m, &sp_type_MemoryStream, "stream");
}

uint8_t *MemoryStream_ToArray(MemoryStream *stream, int32_t *length)
{
    if (!check_ms(stream))
        return NULL;
    int32_t n = stream->length - stream->origin;
    uint8_t *copy = sp_array_new(VariantType_Byte, n);
    if (!copy)
        return NULL;
    if (n)
        memcpy(copy, stream->buffer + stream->origin, (size_t)n);
    if (length)
        *length = n;
    sp_clear();
    return copy;
}

uint8_t *MemoryStream_GetBuffer(MemoryStream *stream)
{
    if (!check_ms(stream))
        return NULL;
    if (!stream->exposable) {
        sp_throw_sr(ExceptionType_UnauthorizedAccessException, SR_UnauthorizedAccess_MemStreamBuffer, NULL);
        return NULL;
    }
    sp_clear();
    /* .NET gives an empty array, not null, for a stream that never had a buffer. */
    static uint8_t empty[1];
    return stream->buffer ? stream->buffer : empty;
}

bool MemoryStream_TryGetBuffer(MemoryStream *stream, uint8_t **buffer, int32_t *length)
{
    if (!check_ms(stream))
        return false;
    sp_clear();
    if (!stream->exposable)
        return false;
    if (buffer)
        *buffer = stream->buffer ? stream->buffer + stream->origin : NULL;
    if (length)
        *length = stream->length - stream->origin;
    return true;
}

int32_t MemoryStream_get_Capacity(MemoryStream *stream)
{
    if (!check_ms(stream))
        return -1;
    if (sp_object_is_closed(&stream->stream.base)) {
        sp_throw_stream_closed();
        return -1;
    }
    sp_clear();
    return stream->capacity - stream->origin;
}

bool MemoryStream_set_Capacity(MemoryStream *stream, int32_t capacity)
{
    if (!check_ms(stream))
        return false;
    if (capacity < stream->length - stream->origin) {
        sp_throw_out_of_range("value", sp_sr(SR_ArgumentOutOfRange_SmallCapacity));
        return false;
    }
    if (sp_object_is_closed(&stream->stream.base)) {
        sp_throw_stream_closed();
        return false;
    }
    if (!stream->expandable && capacity != stream->capacity - stream->origin) {
        sp_throw_sr(ExceptionType_NotSupportedException, SR_NotSupported_MemStreamNotExpandable, NULL);
        return false;
    }
    sp_clear();
    if (!stream->expandable || capacity == stream->capacity)
        return true;
    uint8_t *b = sp_realloc(stream->buffer, capacity ? (size_t)capacity : 1);
    if (!b)
        return false;
    stream->buffer = b;
    stream->capacity = capacity;
    return true;
}

bool MemoryStream_WriteTo(MemoryStream *stream, Stream *destination)
{
    if (!check_ms(stream))
        return false;
    if (!destination) {
        sp_throw_null("stream");
        return false;
    }
    if (!sp_check_type(destination, &sp_type_Stream, "stream"))
        return false;
    if (sp_object_is_closed(&stream->stream.base)) {
        sp_throw_stream_closed();
        return false;
    }
    sp_clear();
    return sp_stream_write(destination, stream->buffer + stream->origin, stream->length - stream->origin);
}
