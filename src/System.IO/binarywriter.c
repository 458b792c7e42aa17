/* BinaryWriter: .NET's little-endian wire format, byte for byte. No buffering of its own, as
 * .NET; each call reaches the stream in one Write. */
#include "System.IO/memorystream.h"
#include "System.Text/text.h"

struct BinaryWriter {
    Object base;
    uint64_t tag;    /* SP_BW_TAG_, for the inline calls of sharpipc/inline.h */
    sp_memwin_ *win; /* the MemoryStream's window while open (inline calls write it), else the closed one */
    bool utf8;       /* Encoding.UTF8: the inline Write(string) copies ASCII text as its own encoding */
    Stream *stream;
    const Encoding *encoding;
    bool leave_open;
    sp_buf scratch; /* reused for strings */
};

#ifdef SHARPIPC_INLINE
_Static_assert(offsetof(BinaryWriter, tag) == offsetof(sp_fast_, tag) &&
                   offsetof(BinaryWriter, win) == offsetof(sp_fast_, win) &&
                   offsetof(BinaryWriter, utf8) == offsetof(sp_fast_bw_, utf8),
               "sp_fast_ / sp_fast_bw_ (include/sharpipc/inline.h) must match BinaryWriter");
#endif

static bool binarywriter_close(Object *o)
{
    BinaryWriter *w = (BinaryWriter *)o;
    /* From here every call takes the exported path, which reports the closed writer. */
    __atomic_store_n(&w->win, &sp_closed_window_, __ATOMIC_RELAXED);
    if (sp_object_is_closed(&w->stream->base))
        return true;
    if (w->leave_open)
        return !w->stream->ops->flush || w->stream->ops->flush(w->stream);
    return sp_object_close(&w->stream->base);
}

static void binarywriter_destroy(Object *o)
{
    BinaryWriter *w = (BinaryWriter *)o;
    sp_buf_free(&w->scratch);
    sp_object_release(&w->stream->base);
}

const sp_type sp_type_BinaryWriter = {"System.IO.BinaryWriter", &sp_type_Object, binarywriter_close,
                                      binarywriter_destroy};

#undef BinaryWriter_new

BinaryWriter *BinaryWriter_new_ex(Stream *output, const Encoding *encoding, bool leaveOpen)
{
    if (!sp_adapter_check(output, "output", encoding, true, NULL, 0, 0))
        return NULL;
    BinaryWriter *w = sp_object_new(sizeof *w, &sp_type_BinaryWriter);
    if (!w)
        return NULL;
    sp_object_retain(&output->base);
    w->stream = output;
    w->encoding = encoding ? encoding : UTF8Encoding_new(false, false);
    w->leave_open = leaveOpen;
    w->tag = SP_BW_TAG_;
    w->win = sp_stream_window(output);
    w->utf8 = sp_encoding_is_utf8(w->encoding);
    sp_clear();
    return w;
}

BinaryWriter *BinaryWriter_new(Stream *output) { return BinaryWriter_new_ex(output, NULL, false); }

/* The writer, open; its stream may still be closed, which the stream's own check reports. */
static inline BinaryWriter *open_writer(BinaryWriter *w)
{
    if (!sp_check_type_fast(w, &sp_type_BinaryWriter, "writer"))
        return NULL;
    if (sp_object_is_closed_fast(&w->base)) {
        sp_throw_stream_closed();
        return NULL;
    }
    sp_clear();
    return w;
}

/* sp_stream_write from an open writer, held over a blocking stream (sp_adapter_enter). */
static bool write_held(BinaryWriter *w, const uint8_t *bytes, int32_t count)
{
    bool held = sp_adapter_enter(&w->base, w->stream);
    bool ok = sp_stream_write(w->stream, bytes, count);
    sp_adapter_leave(&w->base, held);
    return ok;
}

static inline bool put(BinaryWriter *w, const uint8_t *bytes, int32_t count)
{
    if (!open_writer(w))
        return false;
    /* An exact MemoryStream with room is written in place. */
    uint8_t *room = sp_memstream_put(w->stream, count);
    if (room) {
        memmove(room, bytes, (size_t)count); /* the bytes may be the stream's own (GetBuffer) */
        return true;
    }
    return write_held(w, bytes, count);
}

bool BinaryWriter_WriteBoolean(BinaryWriter *writer, bool value)
{
    uint8_t b = value ? 1 : 0;
    return put(writer, &b, 1);
}
bool BinaryWriter_WriteByte(BinaryWriter *writer, uint8_t value) { return put(writer, &value, 1); }
bool BinaryWriter_WriteSByte(BinaryWriter *writer, int8_t value)
{
    uint8_t b = (uint8_t)value;
    return put(writer, &b, 1);
}
bool BinaryWriter_WriteUInt16(BinaryWriter *writer, uint16_t value)
{
    uint8_t b[2];
    sp_put_u16(b, value);
    return put(writer, b, 2);
}
bool BinaryWriter_WriteInt16(BinaryWriter *writer, int16_t value)
{
    return BinaryWriter_WriteUInt16(writer, (uint16_t)value);
}
bool BinaryWriter_WriteUInt32(BinaryWriter *writer, uint32_t value)
{
    uint8_t b[4];
    sp_put_u32(b, value);
    return put(writer, b, 4);
}
bool BinaryWriter_WriteInt32(BinaryWriter *writer, int32_t value)
{
    return BinaryWriter_WriteUInt32(writer, (uint32_t)value);
}
bool BinaryWriter_WriteUInt64(BinaryWriter *writer, uint64_t value)
{
    uint8_t b[8];
    sp_put_u64(b, value);
    return put(writer, b, 8);
}
bool BinaryWriter_WriteInt64(BinaryWriter *writer, int64_t value)
{
    return BinaryWriter_WriteUInt64(writer, (uint64_t)value);
}
bool BinaryWriter_WriteSingle(BinaryWriter *writer, float value)
{
    uint32_t bits;
    memcpy(&bits, &value, 4);
    return BinaryWriter_WriteUInt32(writer, bits);
}
bool BinaryWriter_WriteDouble(BinaryWriter *writer, double value)
{
    uint64_t bits;
    memcpy(&bits, &value, 8);
    return BinaryWriter_WriteUInt64(writer, bits);
}
bool BinaryWriter_WriteHalf(BinaryWriter *writer, Half value) { return BinaryWriter_WriteUInt16(writer, value.bits); }
bool BinaryWriter_WriteDecimal(BinaryWriter *writer, Decimal value)
{
    /* In .NET bits that are no decimal fail where they are made, before the call. */
    if (!sp_decimal_check(value))
        return false;
    uint8_t b[16];
    sp_put_u32(b, value.lo);
    sp_put_u32(b + 4, value.mid);
    sp_put_u32(b + 8, value.hi);
    sp_put_u32(b + 12, value.flags);
    return put(writer, b, 16);
}

bool BinaryWriter_WriteChar(BinaryWriter *writer, uint16_t value)
{
    if (!open_writer(writer))
        return false;
    if (value >= 0xD800 && value <= 0xDFFF) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_Arg_SurrogatesNotAllowedAsSingleChar, NULL);
        return false;
    }
    /* An ASCII char in an encoding whose ASCII is one byte, into a MemoryStream with room: in place. */
    sp_encoding_kind kind = writer->encoding->kind;
    if (value < 0x80 && (kind == SP_ENC_UTF8 || kind == SP_ENC_ASCII || kind == SP_ENC_LATIN1)) {
        uint8_t *room = sp_memstream_put(writer->stream, 1);
        if (room) {
            *room = (uint8_t)value;
            return true;
        }
    }
    uint8_t b[4];
    int n = sp_encode_codepoint(writer->encoding, value, b);
    return write_held(writer, b, n);
}

static int put_7bit(uint8_t *out, uint64_t v)
{
    int n = 0;
    while (v > 0x7F) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}

bool BinaryWriter_Write7BitEncodedInt(BinaryWriter *writer, int32_t value)
{
    uint8_t b[5];
    int n = put_7bit(b, (uint32_t)value);
    return put(writer, b, n);
}

bool BinaryWriter_Write7BitEncodedInt64(BinaryWriter *writer, int64_t value)
{
    uint8_t b[10];
    int n = put_7bit(b, (uint64_t)value);
    return put(writer, b, n);
}

/* Encodes text into the scratch buffer after room for a 7-bit length prefix when `prefixed`,
 * then hands it to the stream in one write; the caller holds the writer (write_text). */
static bool write_text_held(BinaryWriter *w, const char *utf8, size_t length, bool prefixed)
{
    sp_buf *b = &w->scratch;
    b->length = 0;
    if (!sp_buf_reserve(b, (prefixed ? 5 : 0) + length))
        return false;
    b->length = prefixed ? 5 : 0;
    if (!sp_encode_text(w->encoding, utf8, length, false, b))
        return false;
    size_t encoded = b->length - (prefixed ? 5 : 0);
    if (encoded > INT32_MAX) {
        sp_throw_sr(ExceptionType_ArgumentOutOfRangeException, SR_ArgumentOutOfRange_StringTooLongFor7BitLength,
                    "value");
        return false;
    }
    uint8_t *start = b->data;
    if (prefixed) {
        uint8_t prefix[5];
        int n = put_7bit(prefix, (uint32_t)encoded);
        start = b->data + 5 - n;
        memcpy(start, prefix, (size_t)n);
    }
    size_t total = (size_t)(b->data + b->length - start);
    bool ok = true;
    /* Stream writes take an int count. */
    while (ok && total > 0) {
        int32_t chunk = total > 0x40000000 ? 0x40000000 : (int32_t)total;
        ok = sp_stream_write(w->stream, start, chunk);
        start += chunk;
        total -= (size_t)chunk;
    }
    /* Don't keep a huge buffer alive for the writer's lifetime. */
    if (b->capacity > 1 << 20)
        sp_buf_free(b);
    return ok;
}

/* The length of the ASCII prefix of s[0..n), 64 and then 16 bytes a step (a multiple of 16 short
 * of the end, or n), copying it to d as it goes when `copy`: the check and the copy in one pass. */
static inline size_t ascii_prefix(uint8_t *d, const uint8_t *s, size_t n, bool copy)
{
    size_t i = 0;
#if defined(__SSE2__)
    for (; n - i >= 64; i += 64) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16));
        __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 32));
        __m128i e = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 48));
        if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, e))))
            break;
        if (copy) {
            _mm_storeu_si128((__m128i *)(void *)(d + i), a);
            _mm_storeu_si128((__m128i *)(void *)(d + i + 16), b);
            _mm_storeu_si128((__m128i *)(void *)(d + i + 32), c);
            _mm_storeu_si128((__m128i *)(void *)(d + i + 48), e);
        }
    }
    for (; n - i >= 16; i += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        if (_mm_movemask_epi8(a))
            return i;
        if (copy)
            _mm_storeu_si128((__m128i *)(void *)(d + i), a);
    }
#else
    (void)d, (void)s, (void)n, (void)copy;
#endif
    return i;
}

/* The scratch buffer is the writer's: held while a blocking stream writes it. */
static bool write_text(BinaryWriter *w, const char *utf8, size_t length, bool prefixed)
{
    bool held = sp_adapter_enter(&w->base, w->stream);
    bool ok = write_text_held(w, utf8, length, prefixed);
    sp_adapter_leave(&w->base, held);
    return ok;
}

/* write_string_fast in each of its two callers: GCC made it a call once it grew, which cost
 * Write(21 B Korean) 14 instructions of saved registers. */
#if defined(__GNUC__)
#  define SP_BW_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#  define SP_BW_ALWAYS_INLINE inline
#endif
/* The common case of a length-prefixed string: valid UTF-8 text in a UTF-8 writer is its own
 * encoding, written straight into an exact MemoryStream's room after its 7-bit length: ASCII 64
 * bytes a step, checked as it is copied, then the rest validated and copied. The bytes land past
 * the stream's position and count only once all are valid (the stream zeroes any gap it later
 * exposes); false, with the stream unchanged, for anything else (write_text decides). */
static SP_BW_ALWAYS_INLINE bool write_string_fast(BinaryWriter *w, const char *utf8, size_t length)
{
    if (!sp_encoding_is_utf8(w->encoding) || length > INT32_MAX - 5)
        return false;
    const uint8_t *s = (const uint8_t *)utf8;
    int32_t n = 1 + (length >= 0x80) + (length >= 0x4000) + (length >= 0x200000) + (length >= 0x10000000);
    size_t units = 0;
    if (length <= 32) { /* the short validator's one or two loads beat a loop, ASCII or not */
        if (sp_utf8_valid_prefix_short(s, length, &units) != length)
            return false;
        uint8_t *room = sp_memstream_put(w->stream, n + (int32_t)length);
        if (!room)
            return false;
        put_7bit(room, (uint32_t)length);
        sp_copy_short(room + n, s, length);
        return true;
    }
    MemoryStream *m = sp_memstream_open(w->stream);
    if (!m || !m->writable || m->position > m->length || m->capacity - m->position < n + (int32_t)length)
        return false;
    uint8_t *room = m->buffer + m->position;
    /* Copied as checked only past the stream's length: bytes the stream holds must still be there
     * when the check fails and write_text then fails too (a fixed stream U+FFFD overflows). Over
     * them (a stream written again from 0), the ASCII prefix is checked first and all is copied
     * once valid: the same 64-byte steps, where the UTF-8 validation's ASCII runs go 16 a step. */
    bool over = m->position < m->length;
    size_t done = ascii_prefix(room + n, s, length, !over);
    if (done < length && sp_utf8_valid_prefix(s + done, length - done, &units) != length - done)
        return false;
    if (over)
        memmove(room + n, s, length);
    else if (done < length)
        memmove(room + n + done, s + done, length - done);
    put_7bit(room, (uint32_t)length);
    m->position += n + (int32_t)length;
    if (m->position > m->length)
        m->length = m->position;
    return true;
}

/* The other case of the inline Write(string) (sharpipc/System.IO.h), which leaves non-ASCII text
 * here: up to 127 bytes (a one-byte length) of valid UTF-8 into a UTF-8 writer, written at its
 * window's position with no growth and no gap, as write_string_fast would write them. The window
 * says in one load what open_writer and sp_memstream_put find out: an open writer (Close swaps in
 * the closed window) over an open, writable MemoryStream. The text is checked before a byte is
 * written; false, with nothing done, for anything else (the full path decides). */
static SP_BW_ALWAYS_INLINE bool write_short_window(BinaryWriter *w, const char *value, size_t length)
{
    if (!(w && w->base.magic == SP_OBJECT_MAGIC && w->base.type == &sp_type_BinaryWriter && w->utf8 && value &&
          length < 0x80))
        return false;
    sp_memwin_ *win = __atomic_load_n(&w->win, __ATOMIC_RELAXED);
    int32_t at = win->position, end = at + 1 + (int32_t)length;
    if (!(win->can_write && at <= win->length && win->capacity - at > (int32_t)length))
        return false;
    /* the inline call checked ASCII text of up to 32 bytes already: no second look before the call */
    size_t units = 0;
    if (sp_utf8_valid_prefix((const uint8_t *)value, length, &units) != length)
        return false;
    sp_clear();
    uint8_t *room = win->buffer + (uint32_t)at;
    room[0] = (uint8_t)length;
    sp_copy_short(room + 1, (const uint8_t *)value, length);
    win->position = end;
    if (end > win->length)
        win->length = end;
    return true;
}

/* The full paths apart from the exported calls, so that the short case pays for none of their
 * saved registers. */
static SP_NOINLINE bool write_string_with_length(BinaryWriter *writer, const char *value, int32_t byteLength)
{
    if (!open_writer(writer))
        return false;
    if (!value) {
        sp_throw_null("value");
        return false;
    }
    if (byteLength < 0) {
        sp_throw_need_nonneg("byteLength");
        return false;
    }
    if (write_string_fast(writer, value, (size_t)byteLength))
        return true;
    return write_text(writer, value, (size_t)byteLength, true);
}

/* The short case in a function of its own, reached by a jump: the longer strings then pay for
 * none of its saved registers either. */
static SP_NOINLINE bool write_short_string_with_length(BinaryWriter *writer, const char *value, int32_t byteLength)
{
    if (SP_LIKELY(write_short_window(writer, value, (size_t)byteLength)))
        return true;
    return write_string_with_length(writer, value, byteLength);
}

bool BinaryWriter_WriteStringWithLength(BinaryWriter *writer, const char *value, int32_t byteLength)
{
    if ((uint32_t)byteLength < 0x80)
        return write_short_string_with_length(writer, value, byteLength);
    return write_string_with_length(writer, value, byteLength);
}

static SP_NOINLINE bool write_string(BinaryWriter *writer, const char *value)
{
    if (!open_writer(writer))
        return false;
    if (!value) {
        sp_throw_null("value");
        return false;
    }
    size_t length = strlen(value);
    if (write_string_fast(writer, value, length))
        return true;
    return write_text(writer, value, length, true);
}

static SP_NOINLINE bool write_short_string(BinaryWriter *writer, const char *value, size_t n)
{
    if (SP_LIKELY(write_short_window(writer, value, n)))
        return true;
    return write_string(writer, value);
}

bool BinaryWriter_WriteString(BinaryWriter *writer, const char *value)
{
    size_t n = value ? strlen(value) : 0x80;
    if (n < 0x80)
        return write_short_string(writer, value, n);
    return write_string(writer, value);
}

bool BinaryWriter_WriteBytes(BinaryWriter *writer, const void *buffer, int32_t index, int32_t count)
{
    if (!open_writer(writer) || !sp_check_range_args(buffer, "buffer", index, "index", count))
        return false;
    return write_held(writer, (const uint8_t *)buffer + index, count);
}

bool BinaryWriter_WriteUtf8Chars(BinaryWriter *writer, const char *chars, int32_t index, int32_t count)
{
    if (!open_writer(writer) || !sp_check_range_args(chars, "chars", index, "index", count))
        return false;
    return write_text(writer, chars + index, (size_t)count, false);
}

bool BinaryWriter_WriteChars(BinaryWriter *writer, const uint16_t *chars, int32_t index, int32_t count)
{
    if (!open_writer(writer) || !sp_check_range_args(chars, "chars", index, "index", count))
        return false;
    /* UTF-16 in: pair surrogates, and replace lone ones with U+FFFD as Encoding.UTF8 does. */
    sp_buf utf8 = {0};
    bool ok = true;
    const uint16_t *p = chars + index;
    for (int32_t i = 0; ok && i < count; i++) {
        uint32_t cp = p[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < count && p[i + 1] >= 0xDC00 && p[i + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (p[i + 1] - 0xDC00u);
            i++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = SP_REPLACEMENT_CHAR;
        }
        ok = sp_utf8_append(&utf8, cp);
    }
    if (ok)
        ok = write_text(writer, (const char *)utf8.data, utf8.length, false);
    sp_buf_free(&utf8);
    return ok;
}

/* .NET's Flush is OutStream.Flush(), disposed or not: the stream's own rule decides (a closed
 * MemoryStream's Flush does nothing; a closed FileStream's throws ObjectDisposedException). */
bool BinaryWriter_Flush(BinaryWriter *writer)
{
    if (!sp_check_type(writer, &sp_type_BinaryWriter, "writer"))
        return false;
    bool held = sp_adapter_enter(&writer->base, writer->stream); /* a FileStream's flush writes */
    bool ok = Stream_Flush(writer->stream);
    sp_adapter_leave(&writer->base, held);
    return ok;
}

int64_t BinaryWriter_Seek(BinaryWriter *writer, int32_t offset, SeekOrigin origin)
{
    if (!open_writer(writer))
        return -1;
    bool held = sp_adapter_enter(&writer->base, writer->stream);
    int64_t position = Stream_Seek(writer->stream, offset, origin);
    sp_adapter_leave(&writer->base, held);
    return position;
}

Stream *BinaryWriter_get_BaseStream(BinaryWriter *writer)
{
    if (!sp_check_type(writer, &sp_type_BinaryWriter, "writer"))
        return NULL;
    sp_clear();
    Stream *s = writer->stream;
    if (!sp_object_is_closed(&s->base) && s->ops->flush) {
        bool held = sp_adapter_enter(&writer->base, s);
        s->ops->flush(s);
        sp_adapter_leave(&writer->base, held);
    }
    return s;
}

SP_DEFINE_CLOSE_AND_DISPOSE(BinaryWriter, writer)
