/* StreamWriter: text to bytes with .NET's defaults (UTF-8 without BOM that throws on invalid
 * input, 1024-char buffer, Environment.NewLine) and its preamble rule. */
#include "System.IO/stream.h"
#include "platform/platform.h"
#include "System.Text/text.h"


#define SP_WRITER_DEFAULT_BUFFER 1024
#define SP_WRITER_MIN_BUFFER 128

struct StreamWriter {
    Object base;
    uint64_t tag; /* SP_SW_TAG_, for the inline WriteChar of sharpipc/inline.h */
    union {
        sp_textout_ out; /* what the inline WriteChar reads and writes */
        struct {
            sp_buf bytes;    /* encoded, not yet written */
            size_t flush_at; /* bytes that fill .NET's char buffer */
            Stream *stream;
            char *newline; /* UTF-8 */
            size_t newline_length;
            uint16_t high_surrogate; /* WriteChar: the first half of a pair */
            /* The inline calls may store ASCII text as it is and nothing else: an open UTF-8
             * writer without AutoFlush whose char count nobody reads (byte_buffer_too_big), with
             * no half pair waiting (so that Write(char) tests this byte alone). */
            bool char_fast;
            bool newline_ascii; /* and WriteLine(string) its newline, when that is ASCII */
        };
    };
    const Encoding *encoding;
    bool leave_open;
    bool auto_flush;
    bool preamble_pending;
    size_t newline_units; /* its UTF-16 units, when it is valid UTF-8 */
    bool newline_valid;
    size_t chars; /* UTF-16 units in `bytes` (.NET's _charPos) */
    /* .NET's byte buffer, GetMaxByteCount(bufferSize), would pass int.MaxValue: the first flush
     * that needs it (more than its 1024-byte stack buffer) throws, as GetMaxByteCount does. */
    bool byte_buffer_too_big;
};

#define SP_SW_SAME_(f, g) (offsetof(StreamWriter, f) == offsetof(StreamWriter, out.g))
_Static_assert(SP_SW_SAME_(bytes.data, data) && SP_SW_SAME_(bytes.length, length) &&
                   SP_SW_SAME_(bytes.capacity, capacity) && SP_SW_SAME_(flush_at, flush_at) &&
                   SP_SW_SAME_(high_surrogate, high_surrogate) && SP_SW_SAME_(char_fast, char_fast) &&
                   SP_SW_SAME_(stream, stream) && SP_SW_SAME_(newline, newline) &&
                   SP_SW_SAME_(newline_length, newline_length) && SP_SW_SAME_(newline_ascii, newline_ascii),
               "StreamWriter's fields must be its sp_textout_'s");
#undef SP_SW_SAME_
#ifdef SHARPIPC_INLINE
_Static_assert(offsetof(StreamWriter, tag) == offsetof(sp_fast_textout_, tag) &&
                   offsetof(StreamWriter, out) == offsetof(sp_fast_textout_, out),
               "sp_fast_textout_ (include/sharpipc/inline.h) must match StreamWriter");
#endif

static void update_char_fast(StreamWriter *w)
{
    w->char_fast = sp_encoding_is_utf8(w->encoding) && !w->auto_flush && !w->byte_buffer_too_big &&
                   !w->high_surrogate && !sp_object_is_closed(&w->base);
}

/* EncoderExceptionFallbackBuffer's exception for a lone surrogate: the char, at index 0 of the
 * one char the encoder was given. */
static void throw_char_unknown(uint16_t unit)
{
    sp_throwf_sr(ExceptionType_EncoderFallbackException, NULL, SR_Argument_InvalidCodePageConversionIndex, unit, 0);
    sp_exception_set_fallback(NULL, 0, unit, 0);
}

/* A high surrogate that WriteChar never paired: the encoder's fallback, U+FFFD in the writer's
 * encoding, or .NET's EncoderFallbackException for a throwing one. */
static bool flush_lone_surrogate(StreamWriter *w)
{
    if (!w->high_surrogate)
        return true;
    uint16_t unit = w->high_surrogate;
    w->high_surrogate = 0;
    update_char_fast(w);
    if (w->encoding->throw_on_invalid) {
        throw_char_unknown(unit);
        return false;
    }
    uint8_t bytes[4];
    int n = sp_encode_codepoint(w->encoding, SP_REPLACEMENT_CHAR, bytes);
    w->chars++;
    return sp_buf_append(&w->bytes, bytes, (size_t)n);
}

static bool flush_bytes(StreamWriter *w, bool flush_stream)
{
    if (w->preamble_pending) {
        w->preamble_pending = false;
        uint8_t bom[4];
        int n = sp_encode_codepoint(w->encoding, 0xFEFF, bom);
        if (!sp_stream_write(w->stream, bom, n))
            return false;
    }
    if (w->bytes.length > 0) {
        if (w->byte_buffer_too_big && sp_encoding_max_byte_count(w->encoding, (int64_t)w->chars) > 1024) {
            sp_throw_out_of_range("charCount", sp_sr(SR_ArgumentOutOfRange_GetByteCountOverflow));
            return false;
        }
        size_t n = w->bytes.length;
        w->bytes.length = 0;
        w->chars = 0;
        /* Stream writes take an int count. */
        for (size_t done = 0; done < n;) {
            int32_t chunk = n - done > 0x40000000 ? 0x40000000 : (int32_t)(n - done);
            if (!sp_stream_write(w->stream, w->bytes.data + done, chunk))
                return false;
            done += (size_t)chunk;
        }
    }
    if (flush_stream && w->stream->ops->flush)
        return w->stream->ops->flush(w->stream);
    return true;
}

static bool streamwriter_close(Object *o)
{
    StreamWriter *w = (StreamWriter *)o;
    bool ok = true;
    w->char_fast = false; /* the inline WriteChar leaves every call to the exported one */
    if (!sp_object_is_closed(&w->stream->base)) {
        ok = flush_lone_surrogate(w);
        ok = flush_bytes(w, true) && ok;
        if (!w->leave_open)
            ok = sp_object_close(&w->stream->base) && ok;
    } else if (w->bytes.length > 0 || w->high_surrogate || w->preamble_pending) {
        /* Text that can no longer be written is lost: say so, as .NET's Dispose does. */
        sp_stream_throw_closed(w->stream);
        ok = false;
    }
    return ok;
}

static void streamwriter_destroy(Object *o)
{
    StreamWriter *w = (StreamWriter *)o;
    sp_buf_free(&w->bytes);
    free(w->newline);
    sp_object_release(&w->stream->base);
}

const sp_type sp_type_StreamWriter = {"System.IO.StreamWriter", &sp_type_Object, streamwriter_close,
                                      streamwriter_destroy};

/* Takes w->newline's length and whether the fast path of write_text_line may copy it as it is. */
static void set_newline(StreamWriter *w, const char *newline)
{
    w->newline_length = newline ? strlen(newline) : 0;
    w->newline_units = 0;
    w->newline_valid =
        sp_utf8_valid_prefix((const uint8_t *)newline, w->newline_length, &w->newline_units) == w->newline_length;
    w->newline_ascii = w->newline_valid && w->newline_units == w->newline_length;
}

#undef StreamWriter_new
#undef StreamWriter_Write
#undef StreamWriter_WriteLine

StreamWriter *StreamWriter_new_ex(Stream *stream, const Encoding *encoding, int32_t bufferSize, bool leaveOpen)
{
    if (!sp_adapter_check(stream, "stream", encoding, true, &bufferSize, SP_WRITER_DEFAULT_BUFFER,
                          SP_WRITER_MIN_BUFFER))
        return NULL;
    StreamWriter *w = sp_object_new(sizeof *w, &sp_type_StreamWriter);
    if (!w)
        return NULL;
    w->tag = SP_SW_TAG_;
    w->encoding = encoding ? encoding : UTF8Encoding_new(false, true);
    w->flush_at = (size_t)bufferSize * (size_t)sp_encoding_max_bytes_per_char(w->encoding);
    w->byte_buffer_too_big = sp_encoding_max_byte_count(w->encoding, bufferSize) > INT32_MAX;
    w->newline = sp_strdup(sp_os_newline());
    set_newline(w, w->newline);
    /* The buffer grows to flush_at as text comes, so a huge bufferSize costs nothing up front. */
    if (!w->newline || !sp_buf_reserve(&w->bytes, w->flush_at < 65536 ? w->flush_at : 65536)) {
        free(w->newline);
        sp_buf_free(&w->bytes);
        free(w);
        return NULL;
    }
    sp_object_retain(&stream->base);
    w->stream = stream;
    w->leave_open = leaveOpen;
    update_char_fast(w);
    /* .NET writes the preamble only at the start of a stream. */
    if (w->encoding->emit_preamble) {
        bool at_start = true;
        if (sp_stream_can_seek(stream)) {
            int64_t pos = stream->ops->get_position ? stream->ops->get_position(stream)
                                                    : stream->ops->seek(stream, 0, SeekOrigin_Current);
            at_start = pos == 0;
        }
        w->preamble_pending = at_start;
    }
    sp_clear();
    return w;
}

StreamWriter *StreamWriter_new(Stream *stream) { return StreamWriter_new_ex(stream, NULL, -1, false); }

StreamWriter *StreamWriter_newFromPath(const char *path, bool append, const Encoding *encoding, int32_t bufferSize)
{
    FileStream *f = FileStream_new_ex(path, append ? FileMode_Append : FileMode_Create, FileAccess_Write,
                                      FileShare_Read, 4096, FileOptions_None);
    if (!f)
        return NULL;
    StreamWriter *w = StreamWriter_new_ex((Stream *)f, encoding, bufferSize, false);
    sp_object_release((Object *)f); /* the writer holds it now, or nobody does */
    return w;
}

static bool write_text_line(StreamWriter *writer, const char *text, size_t length, bool newline);
static inline void copy_newline(uint8_t *d, const char *newline, size_t nl);

/* The writer open (ThrowIfDisposed). Not the stream beneath: .NET's writes go into its char
 * buffer whether that stream is open or not, and a write to a closed stream fails when the
 * buffer reaches it (a flush, AutoFlush, a full buffer) with that stream's exception. */
static inline StreamWriter *open_writer(StreamWriter *w)
{
    if (!sp_check_type_fast(w, &sp_type_StreamWriter, "writer"))
        return NULL;
    if (sp_object_is_closed_fast(&w->base)) {
        sp_throw_sr(ExceptionType_ObjectDisposedException, SR_ObjectDisposed_WriterClosed, NULL);
        return NULL;
    }
    sp_clear();
    return w;
}

static bool after_write(StreamWriter *w)
{
    if (w->auto_flush)
        return flush_bytes(w, true);
    if (w->bytes.length >= w->flush_at)
        return flush_bytes(w, false);
    return true;
}

/* The common case of append_text: valid UTF-8 text into a UTF-8 writer, all of it before the
 * flush point, so that append_text's slices would have made the same bytes and no flush before
 * the last one. One validation pass, one copy. False, with nothing done, for anything else. */
static inline bool append_fast(StreamWriter *w, const char *utf8, size_t length)
{
    size_t at = w->bytes.length;
    if (!sp_encoding_is_utf8(w->encoding) || w->high_surrogate || at > w->flush_at || length > w->flush_at - at)
        return false;
    if (length > w->bytes.capacity - at && !sp_buf_reserve(&w->bytes, length)) {
        sp_clear(); /* the general path reports it */
        return false;
    }
    size_t units = 0;
    if (sp_utf8_valid_prefix((const uint8_t *)utf8, length, &units) != length)
        return false;
    memcpy(w->bytes.data + at, utf8, length);
    w->bytes.length = at + length;
    w->chars += units;
    return true;
}

/* Valid UTF-8 text into a UTF-8 writer, longer than the room left before the flush point (at <
 * flush_at): what the slices of append_text make of it, without their steps. Those copy the text as
 * it is and flush at the first sequence boundary at or past the flush point (a slice is at most the
 * room, then runs on to a boundary), each time the buffer fills; so does this, one copy per flush. */
static bool append_valid_flushing(StreamWriter *w, const char *utf8, size_t length)
{
    for (size_t done = 0;;) {
        size_t at = w->bytes.length, room = w->flush_at - at, take = length - done;
        bool full = take >= room;
        if (full) {
            take = room;
            while (done + take < length && ((uint8_t)utf8[done + take] & 0xC0) == 0x80)
                take++;
        }
        if (take > w->bytes.capacity - at && !sp_buf_reserve(&w->bytes, take))
            return false;
        memcpy(w->bytes.data + at, utf8 + done, take);
        w->bytes.length = at + take;
        if (w->byte_buffer_too_big) /* the only reader of the count */
            w->chars += sp_utf8_utf16_length((const uint8_t *)utf8 + done, take);
        done += take;
        if (!full)
            return true;
        if (!flush_bytes(w, false))
            return false;
        if (done == length)
            return true;
    }
}

static bool append_text(StreamWriter *w, const char *utf8, size_t length)
{
    if (append_fast(w, utf8, length))
        return w->bytes.length < w->flush_at || flush_bytes(w, false);
    if (!flush_lone_surrogate(w)) /* a pair that WriteChar never finished */
        return false;
    /* Past the flush point (append_fast took what fits, and judged the rest): valid text at once. */
    size_t at = w->bytes.length, units = 0;
    if (sp_encoding_is_utf8(w->encoding) && at < w->flush_at && length > w->flush_at - at &&
        sp_utf8_valid_prefix((const uint8_t *)utf8, length, &units) == length)
        return append_valid_flushing(w, utf8, length);
    /* Encode in slices so a long string reaches the stream in buffer-sized writes, as .NET. */
    size_t done = 0;
    while (done < length) {
        size_t room = w->flush_at > w->bytes.length ? w->flush_at - w->bytes.length : 0;
        size_t slice = length - done;
        size_t cap = room / (size_t)sp_encoding_max_bytes_per_char(w->encoding) + 1;
        if (slice > cap) {
            slice = cap;
            /* never split a UTF-8 sequence */
            while (done + slice < length && ((uint8_t)utf8[done + slice] & 0xC0) == 0x80)
                slice++;
        }
        if (!sp_encode_text(w->encoding, utf8 + done, slice, w->encoding->throw_on_invalid, &w->bytes))
            return false;
        if (w->byte_buffer_too_big) /* the only reader of the count */
            w->chars += sp_utf8_utf16_length((const uint8_t *)utf8 + done, slice);
        done += slice;
        if (w->bytes.length >= w->flush_at && !flush_bytes(w, false))
            return false;
    }
    return true;
}

bool StreamWriter_WriteString(StreamWriter *writer, const char *value)
{
    return write_text_line(writer, value, value ? strlen(value) : 0, false);
}

bool sp_sw_text_len_(StreamWriter *writer, const char *value, size_t length, bool line)
{
    /* What the inline path found (sharpipc/System.IO.h), checked again in its terms, one load
     * each: the writer open, UTF-8 without AutoFlush and without the count that only
     * byte_buffer_too_big reads (char_fast), no half pair waiting, for WriteLine an ASCII newline.
     * Then valid text that fits goes in as write_text_line's common case puts it
     * (the non-ASCII text, the longer line the inline copy leaves). */
    if (SP_LIKELY(writer && writer->tag == SP_SW_TAG_ && writer->char_fast && !writer->high_surrogate &&
                  (!line || writer->newline_ascii))) {
        size_t nl = line ? writer->newline_length : 0, at = writer->bytes.length, units = 0;
        if (at < writer->flush_at && length < writer->flush_at - at && nl < writer->flush_at - at - length &&
            length + nl <= writer->bytes.capacity - at) {
            /* up to 32 bytes: checked, then two overlapping moves; longer (the inline call takes
             * ASCII of up to 32): checked and copied in one pass, into the writer's own buffer */
            uint8_t *d = writer->bytes.data + at;
            if (length <= 32) {
                if (sp_utf8_valid_prefix_short((const uint8_t *)value, length, &units) != length)
                    return write_text_line(writer, value, length, line);
                sp_copy_short(d, (const uint8_t *)value, length);
            } else if (sp_utf8_copy_valid_prefix(d, (const uint8_t *)value, length, &units) != length) {
                return write_text_line(writer, value, length, line);
            }
            sp_clear();
            copy_newline(d + length, writer->newline, nl);
            writer->bytes.length = at + length + nl;
            return true;
        }
    }
    return write_text_line(writer, value, length, line);
}

bool StreamWriter_WriteChars(StreamWriter *writer, const char *buffer, int32_t index, int32_t count)
{
    if (!sp_check_range_args(buffer, "buffer", index, "index", count))
        return false;
    if (!open_writer(writer))
        return false;
    bool held = sp_adapter_enter(&writer->base, writer->stream);
    bool ok = append_text(writer, buffer + index, (size_t)count) && after_write(writer);
    sp_adapter_leave(&writer->base, held);
    return ok;
}

static bool write_char(StreamWriter *writer, uint16_t value);

bool StreamWriter_WriteChar(StreamWriter *writer, uint16_t value)
{
    if (!open_writer(writer))
        return false;
    /* An ASCII char into a UTF-8 writer's buffer, short of the flush point: one byte, as .NET's
     * char buffer takes one char. */
    size_t at = writer->bytes.length;
    if (SP_LIKELY(value < 0x80 && writer->char_fast && !writer->high_surrogate && at + 1 < writer->flush_at &&
                  at < writer->bytes.capacity)) {
        writer->bytes.data[at] = (uint8_t)value;
        writer->bytes.length = at + 1;
        return true;
    }
    /* Anything else may flush: held while a blocking stream writes the writer's buffer. */
    bool held = sp_adapter_enter(&writer->base, writer->stream);
    bool ok = write_char(writer, value);
    sp_adapter_leave(&writer->base, held);
    return ok;
}

/* WriteChar's general path, from an open writer that its caller holds. */
static bool write_char(StreamWriter *writer, uint16_t value)
{
    if (value >= 0xD800 && value <= 0xDBFF) {
        bool ok = true;
        if (writer->high_surrogate)
            ok = append_text(writer, "", 0); /* flushes the lone one as U+FFFD */
        writer->high_surrogate = value;
        writer->char_fast = false;
        return ok;
    }
    uint32_t cp = value;
    if (value >= 0xDC00 && value <= 0xDFFF) {
        if (!writer->high_surrogate) {
            if (writer->encoding->throw_on_invalid) {
                throw_char_unknown(value);
                return false;
            }
            cp = SP_REPLACEMENT_CHAR;
        } else {
            cp = 0x10000 + ((writer->high_surrogate - 0xD800u) << 10) + (value - 0xDC00u);
            writer->high_surrogate = 0;
            update_char_fast(writer);
        }
    }
    /* An ASCII char into a UTF-8 writer's buffer with room: one byte, as .NET's char buffer. */
    if (cp < 0x80 && !writer->high_surrogate && sp_encoding_is_utf8(writer->encoding) &&
        writer->bytes.length < writer->bytes.capacity) {
        writer->bytes.data[writer->bytes.length++] = (uint8_t)cp;
        return after_write(writer);
    }
    uint8_t utf8[4];
    int n = sp_encode_codepoint(UTF8Encoding_new(false, false), cp, utf8);
    return append_text(writer, (const char *)utf8, (size_t)n) && after_write(writer);
}

/* write_text_line's general path, from an open writer that its caller holds. */
static bool write_text_line_held(StreamWriter *writer, const char *text, size_t length, bool newline)
{
    if (text && !append_text(writer, text, length))
        return false;
    if (newline && !append_text(writer, writer->newline, writer->newline_length))
        return false;
    return after_write(writer);
}

/* Whether length bytes of valid UTF-8 text, and the newline when asked, go into the buffer as they
 * are: a UTF-8 writer without AutoFlush, short of the flush point, so that the general path would
 * make the same bytes and flush nothing. */
static inline bool fits_as_is(const StreamWriter *writer, size_t length, bool newline)
{
    size_t nl = newline ? writer->newline_length : 0, at = writer->bytes.length;
    return sp_encoding_is_utf8(writer->encoding) && !writer->high_surrogate && !writer->auto_flush &&
           (!newline || writer->newline_valid) && at < writer->flush_at && length < writer->flush_at - at &&
           nl < writer->flush_at - at - length && length + nl <= writer->bytes.capacity - at;
}

/* The nl bytes of the newline (none for Write): "\n", or "\r\n", the newlines there are, without
 * sp_copy_short's size steps. */
static inline void copy_newline(uint8_t *d, const char *newline, size_t nl)
{
    if (nl == 1)
        d[0] = (uint8_t)newline[0];
    else if (nl == 2)
        d[0] = (uint8_t)newline[0], d[1] = (uint8_t)newline[1];
    else
        sp_copy_short(d, (const uint8_t *)newline, nl);
}

/* Writes text, and the newline when asked, then flushes once if AutoFlush. */
static bool write_text_line(StreamWriter *writer, const char *text, size_t length, bool newline)
{
    if (!open_writer(writer))
        return false;
    /* The common case (fits_as_is): one validation pass (inline for short ASCII), one copy, as
     * .NET's char buffer. */
    size_t nl = newline ? writer->newline_length : 0, at = writer->bytes.length;
    if (fits_as_is(writer, length, newline)) {
        size_t units = 0;
        if (sp_utf8_valid_prefix_short((const uint8_t *)text, length, &units) == length) {
            uint8_t *d = writer->bytes.data + at;
            sp_copy_short(d, (const uint8_t *)text, length);
            copy_newline(d + length, writer->newline, nl);
            writer->bytes.length = at + length + nl;
            writer->chars += units + (newline ? writer->newline_units : 0);
            return true;
        }
    }
    /* This may flush: held while a blocking stream writes the writer's buffer. */
    bool held = sp_adapter_enter(&writer->base, writer->stream);
    bool ok = write_text_line_held(writer, text, length, newline);
    sp_adapter_leave(&writer->base, held);
    return ok;
}

static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                     "25262728293031323334353637383940414243444546474849"
                                     "50515253545556575859606162636465666768697071727374"
                                     "75767778798081828384858687888990919293949596979899";

/* The decimal digits of value ending at `end` (what "%llu" prints); returns where they start. */
static char *format_digits(char *end, uint64_t value)
{
    while (value > UINT32_MAX) {
        unsigned pair = (unsigned)(value % 100) * 2;
        value /= 100;
        *--end = digit_pairs[pair + 1];
        *--end = digit_pairs[pair];
    }
    uint32_t v = (uint32_t)value; /* the rest in 32 bits: a cheaper division by 100 */
    while (v >= 100) {
        unsigned pair = v % 100 * 2;
        v /= 100;
        *--end = digit_pairs[pair + 1];
        *--end = digit_pairs[pair];
    }
    if (v >= 10) {
        *--end = digit_pairs[v * 2 + 1];
        *--end = digit_pairs[v * 2];
    } else {
        *--end = (char)('0' + v);
    }
    return end;
}

/* The number of decimal digits of value, from its bit length (log10 2 ~ 1233 / 4096) and one
 * comparison (Bit Twiddling Hacks' IntegerLog10; value | 1 makes 0 one digit and no other count
 * changes, since every power of ten above 1 is even). */
static inline size_t digit_count(uint64_t value)
{
    static const uint64_t powers[20] = {1u,
                                        10u,
                                        100u,
                                        1000u,
                                        10000u,
                                        100000u,
                                        1000000u,
                                        10000000u,
                                        100000000u,
                                        1000000000u,
                                        10000000000u,
                                        100000000000u,
                                        1000000000000u,
                                        10000000000000u,
                                        100000000000000u,
                                        1000000000000000u,
                                        10000000000000000u,
                                        100000000000000000u,
                                        1000000000000000000u,
                                        10000000000000000000u};
#if defined(__GNUC__)
    size_t bits = 64 - (size_t)__builtin_clzll(value | 1);
#else
    size_t bits = 1;
    for (uint64_t v = value >> 1; v; v >>= 1)
        bits++;
#endif
    size_t n = bits * 1233 >> 12; /* the digits, or one less */
    return n + ((value | 1) >= powers[n]);
}

/* Int64.ToString() / UInt64.ToString() of the invariant culture, as the writer's WriteLine(long)
 * formats: digits, "-" before a negative one. Digits are ASCII, so in the common case (fits_as_is)
 * they are formatted straight into the buffer, with no validation and no copy. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static bool
write_integer_text(StreamWriter *writer, bool negative, uint64_t magnitude, bool newline)
{
    char text[24];
    char *start = format_digits(text + sizeof text, magnitude);
    if (negative)
        *--start = '-';
    return write_text_line(writer, start, (size_t)(text + sizeof text - start), newline);
}

static bool write_integer(StreamWriter *writer, bool negative, uint64_t magnitude, bool newline)
{
    if (!open_writer(writer))
        return false;
    size_t length = digit_count(magnitude) + negative;
    if (!fits_as_is(writer, length, newline)) /* the general path, out of line */
        return write_integer_text(writer, negative, magnitude, newline);
    size_t nl = newline ? writer->newline_length : 0, at = writer->bytes.length;
    uint8_t *d = writer->bytes.data + at;
    format_digits((char *)d + length, magnitude);
    if (negative)
        d[0] = '-';
    copy_newline(d + length, writer->newline, nl);
    writer->bytes.length = at + length + nl;
    writer->chars += length + (newline ? writer->newline_units : 0);
    return true;
}

static uint64_t magnitude_of(int64_t value) { return value < 0 ? 0 - (uint64_t)value : (uint64_t)value; }

static bool write_decimal(StreamWriter *writer, Decimal value, bool newline)
{
    char *text = Decimal_ToString(value);
    if (!text)
        return false;
    bool ok = write_text_line(writer, text, strlen(text), newline);
    free(text);
    return ok;
}

bool StreamWriter_WriteBoolean(StreamWriter *writer, bool value)
{
    return write_text_line(writer, value ? "True" : "False", value ? 4 : 5, false);
}
bool StreamWriter_WriteInt32(StreamWriter *writer, int32_t value)
{
    return write_integer(writer, value < 0, magnitude_of(value), false);
}
bool StreamWriter_WriteUInt32(StreamWriter *writer, uint32_t value) { return StreamWriter_WriteUInt64(writer, value); }
bool StreamWriter_WriteInt64(StreamWriter *writer, int64_t value)
{
    return write_integer(writer, value < 0, magnitude_of(value), false);
}
bool StreamWriter_WriteUInt64(StreamWriter *writer, uint64_t value)
{
    return write_integer(writer, false, value, false);
}
bool StreamWriter_WriteDecimal(StreamWriter *writer, Decimal value) { return write_decimal(writer, value, false); }

bool StreamWriter_WriteLineBoolean(StreamWriter *writer, bool value)
{
    return write_text_line(writer, value ? "True" : "False", value ? 4 : 5, true);
}
bool StreamWriter_WriteLineInt32(StreamWriter *writer, int32_t value)
{
    return write_integer(writer, value < 0, magnitude_of(value), true);
}
bool StreamWriter_WriteLineUInt32(StreamWriter *writer, uint32_t value)
{
    return StreamWriter_WriteLineUInt64(writer, value);
}
bool StreamWriter_WriteLineInt64(StreamWriter *writer, int64_t value)
{
    return write_integer(writer, value < 0, magnitude_of(value), true);
}
bool StreamWriter_WriteLineUInt64(StreamWriter *writer, uint64_t value)
{
    return write_integer(writer, false, value, true);
}
bool StreamWriter_WriteLineDecimal(StreamWriter *writer, Decimal value) { return write_decimal(writer, value, true); }

bool StreamWriter_WriteLine(StreamWriter *writer) { return write_text_line(writer, NULL, 0, true); }

bool StreamWriter_WriteLineString(StreamWriter *writer, const char *value)
{
    return write_text_line(writer, value, value ? strlen(value) : 0, true);
}

bool StreamWriter_Flush(StreamWriter *writer)
{
    if (!open_writer(writer))
        return false;
    bool held = sp_adapter_enter(&writer->base, writer->stream);
    /* Flush() flushes the encoder too, so a pending half pair goes out as what it is. */
    bool ok = flush_lone_surrogate(writer) && flush_bytes(writer, true);
    sp_adapter_leave(&writer->base, held);
    return ok;
}

bool StreamWriter_get_AutoFlush(StreamWriter *writer)
{
    if (!sp_check_type(writer, &sp_type_StreamWriter, "writer"))
        return false;
    sp_clear();
    return writer->auto_flush;
}

bool StreamWriter_set_AutoFlush(StreamWriter *writer, bool value)
{
    if (!open_writer(writer))
        return false;
    writer->auto_flush = value;
    update_char_fast(writer);
    if (!value)
        return true;
    bool held = sp_adapter_enter(&writer->base, writer->stream);
    bool ok = flush_bytes(writer, true);
    sp_adapter_leave(&writer->base, held);
    return ok;
}

char *StreamWriter_get_NewLine(StreamWriter *writer)
{
    if (!sp_check_type(writer, &sp_type_StreamWriter, "writer"))
        return NULL;
    sp_clear();
    return sp_strdup(writer->newline);
}

bool StreamWriter_set_NewLine(StreamWriter *writer, const char *value)
{
    if (!sp_check_type(writer, &sp_type_StreamWriter, "writer"))
        return false;
    char *copy = sp_strdup(value ? value : sp_os_newline());
    if (!copy)
        return false;
    free(writer->newline);
    writer->newline = copy;
    set_newline(writer, copy);
    sp_clear();
    return true;
}

const Encoding *StreamWriter_get_Encoding(StreamWriter *writer)
{
    if (!sp_check_type(writer, &sp_type_StreamWriter, "writer"))
        return NULL;
    sp_clear();
    return writer->encoding;
}

Stream *StreamWriter_get_BaseStream(StreamWriter *writer)
{
    if (!sp_check_type(writer, &sp_type_StreamWriter, "writer"))
        return NULL;
    sp_clear();
    return writer->stream;
}

SP_DEFINE_CLOSE_AND_DISPOSE(StreamWriter, writer)
