/* BinaryReader: reads .NET's BinaryWriter format. Lengths that come off the wire are never
 * trusted for allocation: memory grows only as bytes arrive. */
#include "System.IO/memorystream.h"
#include "System.Text/text.h"

struct BinaryReader {
    Object base;
    uint64_t tag;    /* SP_BR_TAG_, for the inline calls of sharpipc/inline.h */
    sp_memwin_ *win; /* the MemoryStream's window while open (inline calls read it), else the closed one */
    bool ascii_char; /* ReadChar may take an ASCII byte as it is (sp_fast_br_): see char_state */
    Stream *stream;
    const Encoding *encoding;
    bool leave_open;
    sp_decoder decoder; /* ReadChar/ReadChars keep partial characters here, as .NET's decoder */
    sp_buf scratch;     /* decoded UTF-8 of one ReadChar */
};

/* .NET's MaxCharBytesSize: the most bytes one step of ReadString or InternalReadChars reads. */
#define SP_CHAR_BYTES_CHUNK 128
/* ReadString's step over other streams where no exception can say how far a step went. */
#define SP_STRING_CHUNK 4096

bool sp_binaryreader_holds_char_part(const BinaryReader *r)
{
    return r->decoder.pending_length > 0 || r->decoder.high_surrogate;
}

/* The inline ReadChar (sharpipc/System.IO.h) takes a byte below 0x80 as the char when the
 * encoding maps it to itself with no state (UTF-8, ASCII, Latin-1) and the decoder holds no part
 * of a character; anything else, and any byte from 0x80, is the exported call's. Set again after
 * every use of the reader's decoder (ReadChar's and Read's slow path, PeekChar, ReadChars). */
static void char_state(BinaryReader *r)
{
    sp_encoding_kind k = r->encoding->kind;
    r->ascii_char =
        (k == SP_ENC_UTF8 || k == SP_ENC_ASCII || k == SP_ENC_LATIN1) && !sp_binaryreader_holds_char_part(r);
}

#ifdef SHARPIPC_INLINE
_Static_assert(offsetof(BinaryReader, tag) == offsetof(sp_fast_, tag) &&
                   offsetof(BinaryReader, win) == offsetof(sp_fast_, win) &&
                   offsetof(BinaryReader, ascii_char) == offsetof(sp_fast_br_, ascii_char),
               "sp_fast_ and sp_fast_br_ (include/sharpipc/inline.h) must match BinaryReader");
#endif

static bool binaryreader_close(Object *o)
{
    BinaryReader *r = (BinaryReader *)o;
    /* From here every call takes the exported path, which reports the closed reader. */
    __atomic_store_n(&r->win, &sp_closed_window_, __ATOMIC_RELAXED);
    if (r->leave_open || sp_object_is_closed(&r->stream->base))
        return true;
    return sp_object_close(&r->stream->base);
}

static void binaryreader_destroy(Object *o)
{
    BinaryReader *r = (BinaryReader *)o;
    sp_buf_free(&r->scratch);
    sp_object_release(&r->stream->base);
}

const sp_type sp_type_BinaryReader = {"System.IO.BinaryReader", &sp_type_Object, binaryreader_close,
                                      binaryreader_destroy};

#undef BinaryReader_new
#undef BinaryReader_Read

BinaryReader *BinaryReader_new_ex(Stream *input, const Encoding *encoding, bool leaveOpen)
{
    if (!sp_adapter_check(input, "input", encoding, false, NULL, 0, 0))
        return NULL;
    BinaryReader *r = sp_object_new(sizeof *r, &sp_type_BinaryReader);
    if (!r)
        return NULL;
    sp_object_retain(&input->base);
    r->stream = input;
    r->encoding = encoding ? encoding : UTF8Encoding_new(false, false);
    r->leave_open = leaveOpen;
    r->tag = SP_BR_TAG_;
    r->win = sp_stream_window(input);
    sp_decoder_init(&r->decoder, r->encoding);
    char_state(r);
    sp_clear();
    return r;
}

BinaryReader *BinaryReader_new(Stream *input) { return BinaryReader_new_ex(input, NULL, false); }

static inline BinaryReader *open_reader(BinaryReader *r)
{
    if (!sp_check_type_fast(r, &sp_type_BinaryReader, "reader"))
        return NULL;
    if (sp_object_is_closed_fast(&r->base)) {
        sp_throw_sr(ExceptionType_ObjectDisposedException, SR_ObjectDisposed_FileClosed, NULL);
        return NULL;
    }
    sp_clear();
    return r;
}

/* The window of an open BinaryReader (exactly that type) over an open, exact MemoryStream, for
 * the calls that read it in place here; NULL sends the call down its general path, which makes
 * every check and raises what .NET raises. A closed reader holds the closed window. */
static inline sp_memwin_ *in_place_window(BinaryReader *r)
{
    if (!r || r->base.magic != SP_OBJECT_MAGIC || r->base.type != &sp_type_BinaryReader)
        return NULL;
    sp_memwin_ *w = __atomic_load_n(&r->win, __ATOMIC_RELAXED);
    return w->can_read ? w : NULL;
}

/* sp_stream_read_exactly from an open reader, held over a blocking stream (sp_adapter_enter). */
static bool read_exactly(BinaryReader *r, void *buffer, int32_t count)
{
    bool held = sp_adapter_enter(&r->base, r->stream);
    bool ok = sp_stream_read_exactly(r->stream, buffer, count);
    sp_adapter_leave(&r->base, held);
    return ok;
}

/* Fills buffer with exactly count bytes, or fails (EndOfStreamException at a short stream). */
static inline bool fill(BinaryReader *r, uint8_t *buffer, int32_t count)
{
    if (!open_reader(r))
        return false;
    /* An exact MemoryStream is read in place, as .NET's BinaryReader does. */
    const uint8_t *p = sp_memstream_take(r->stream, count);
    if (p) {
        memcpy(buffer, p, (size_t)count);
        return true;
    }
    return read_exactly(r, buffer, count);
}

bool BinaryReader_ReadBoolean(BinaryReader *reader)
{
    uint8_t b;
    return fill(reader, &b, 1) && b != 0;
}
uint8_t BinaryReader_ReadByte(BinaryReader *reader)
{
    uint8_t b;
    return fill(reader, &b, 1) ? b : 0;
}
int8_t BinaryReader_ReadSByte(BinaryReader *reader) { return (int8_t)BinaryReader_ReadByte(reader); }
uint16_t BinaryReader_ReadUInt16(BinaryReader *reader)
{
    uint8_t b[2];
    return fill(reader, b, 2) ? sp_get_u16(b) : 0;
}
int16_t BinaryReader_ReadInt16(BinaryReader *reader) { return (int16_t)BinaryReader_ReadUInt16(reader); }
uint32_t BinaryReader_ReadUInt32(BinaryReader *reader)
{
    uint8_t b[4];
    return fill(reader, b, 4) ? sp_get_u32(b) : 0;
}
int32_t BinaryReader_ReadInt32(BinaryReader *reader) { return (int32_t)BinaryReader_ReadUInt32(reader); }
uint64_t BinaryReader_ReadUInt64(BinaryReader *reader)
{
    uint8_t b[8];
    return fill(reader, b, 8) ? sp_get_u64(b) : 0;
}
int64_t BinaryReader_ReadInt64(BinaryReader *reader) { return (int64_t)BinaryReader_ReadUInt64(reader); }
float BinaryReader_ReadSingle(BinaryReader *reader)
{
    uint32_t bits = BinaryReader_ReadUInt32(reader);
    float f;
    memcpy(&f, &bits, 4);
    return f;
}
double BinaryReader_ReadDouble(BinaryReader *reader)
{
    uint64_t bits = BinaryReader_ReadUInt64(reader);
    double d;
    memcpy(&d, &bits, 8);
    return d;
}
Half BinaryReader_ReadHalf(BinaryReader *reader)
{
    Half h = {BinaryReader_ReadUInt16(reader)};
    return h;
}

Decimal BinaryReader_ReadDecimal(BinaryReader *reader)
{
    Decimal d = {0, 0, 0, 0};
    uint8_t b[16];
    if (!fill(reader, b, 16))
        return d;
    d.lo = sp_get_u32(b);
    d.mid = sp_get_u32(b + 4);
    d.hi = sp_get_u32(b + 8);
    d.flags = sp_get_u32(b + 12);
    if (!Decimal_IsValid(d)) {
        sp_throw_sr(ExceptionType_IOException, SR_Arg_DecBitCtor, NULL);
        return (Decimal){0, 0, 0, 0};
    }
    return d;
}

/* A 7-bit encoded number from an open reader that its caller holds (sp_adapter_enter). */
static bool read_7bit_held(BinaryReader *r, int max_bytes, uint64_t *result)
{
    /* In place over an exact MemoryStream when the whole valid number is there; anything else
     * (too few bytes, too many, bits beyond the type) takes the byte-by-byte path below, which
     * reads from the same position and raises what .NET raises. */
    MemoryStream *m = sp_memstream_open(r->stream);
    if (m) {
        const uint8_t *p = m->buffer + m->position;
        int avail = m->length - m->position < max_bytes ? m->length - m->position : max_bytes;
        uint64_t value = 0;
        for (int i = 0; i < avail; i++) {
            uint8_t b = p[i];
            if (i == max_bytes - 1) {
                if (b > (max_bytes == 5 ? 0x0F : 0x01))
                    break;
            } else if (b > 0x7F) {
                value |= (uint64_t)(b & 0x7F) << (7 * i);
                continue;
            }
            m->position += i + 1;
            *result = value | ((uint64_t)b << (7 * i));
            return true;
        }
    }
    uint64_t value = 0;
    int shift = 0;
    for (int i = 0; i < max_bytes - 1; i++, shift += 7) {
        uint8_t b;
        if (!sp_stream_read_exactly(r->stream, &b, 1))
            return false;
        value |= (uint64_t)(b & 0x7F) << shift;
        if (b <= 0x7F) {
            *result = value;
            return true;
        }
    }
    /* The last byte may only carry the bits that remain: 4 of 32, 1 of 64. */
    uint8_t last;
    if (!sp_stream_read_exactly(r->stream, &last, 1))
        return false;
    if (last > (max_bytes == 5 ? 0x0F : 0x01)) {
        sp_throw_sr(ExceptionType_FormatException, SR_Format_Bad7BitInt, NULL);
        return false;
    }
    *result = value | ((uint64_t)last << shift);
    return true;
}

static bool read_7bit(BinaryReader *r, int max_bytes, uint64_t *result)
{
    if (!open_reader(r))
        return false;
    bool held = sp_adapter_enter(&r->base, r->stream);
    bool ok = read_7bit_held(r, max_bytes, result);
    sp_adapter_leave(&r->base, held);
    return ok;
}

int32_t BinaryReader_Read7BitEncodedInt(BinaryReader *reader)
{
    uint64_t v = 0;
    return read_7bit(reader, 5, &v) ? (int32_t)(uint32_t)v : 0;
}

int64_t BinaryReader_Read7BitEncodedInt64(BinaryReader *reader)
{
    uint64_t v = 0;
    return read_7bit(reader, 10, &v) ? (int64_t)v : 0;
}

/* ReadString's general path, from an open reader that its caller holds; out of line, so that the
 * common path of BinaryReader_ReadStringWithLength has no chunk buffer on its stack. */
static SP_NOINLINE char *read_string(BinaryReader *reader, int32_t *byteLength)
{
    /* Over a MemoryStream a string that cannot be allocated goes back into the stream, length and
     * all, so the next read sees it again (OutOfMemoryException loses no byte). Another stream's
     * bytes are read before the string can be made, as .NET reads them: what a pipe or a socket
     * gave cannot be given back. */
    MemoryStream *m = sp_memstream_open(reader->stream);
    int32_t start = m ? m->position : 0;
    uint64_t raw;
    if (!read_7bit_held(reader, 5, &raw))
        return NULL;
    int32_t length = (int32_t)(uint32_t)raw;
    if (length < 0) {
        sp_throwf_sr(ExceptionType_IOException, NULL, SR_IO_InvalidStringLen_Len, length);
        return NULL;
    }
    if (length == 0) { /* .NET's string.Empty: nothing read, nothing allocated */
        if (byteLength)
            *byteLength = 0;
        return (char *)sp_empty_string;
    }
    /* .NET's ReadString reads at most 128 bytes a step. A string that its first read brings whole
     * (at most 128 bytes) is decoded on its own, as Encoding.GetString would: flushed, so a
     * character cut off at its end is invalid, and blind to what the reader's decoder holds. A
     * longer string, or one that comes in several reads, goes through the reader's decoder,
     * unflushed: a character cut off at its end waits there for the next text that the decoder
     * sees (ReadChars, or the next such string). */
    sp_decoder alone;
    sp_decoder_init(&alone, reader->encoding);
    bool throws = reader->encoding->throw_on_invalid;
    /* An exact MemoryStream that holds the whole string: decoded from its buffer in place, into
     * one allocation sized by the bytes that are there (never by the declared length alone). */
    const uint8_t *in_place = sp_memstream_take(reader->stream, length);
    if (in_place) {
        bool whole = length <= SP_CHAR_BYTES_CHUNK;
        size_t units = 0;
        if ((whole || !reader->decoder.pending_length) && sp_encoding_is_utf8(reader->encoding) &&
            sp_utf8_valid_prefix_short(in_place, (size_t)length, &units) == (size_t)length) {
            /* valid UTF-8 decodes to itself: one copy */
            char *s = sp_string_new(in_place, (size_t)length);
            if (!s)
                m->position = start;
            else if (byteLength)
                *byteLength = length;
            return s;
        }
        sp_buf out = {0};
        if (!sp_buf_reserve(&out, (size_t)length + 1)) {
            m->position = start;
            return NULL;
        }
        sp_decoder *d = whole ? &alone : &reader->decoder;
        sp_decoder kept = reader->decoder;
        /* A throwing decoder goes 128 bytes a step, as .NET's reads: its exception's index is
         * within the step, and the stream stays past the step that threw. */
        int32_t step = whole || !throws ? length : SP_CHAR_BYTES_CHUNK;
        int32_t from = m->position - length;
        for (int32_t done = 0; done < length; done += step) {
            int32_t n = length - done < step ? length - done : step;
            if (!sp_decoder_decode(d, in_place + done, (size_t)n, whole, &out)) {
                if (Exception_Is(Exception_get_Current(), ExceptionType_OutOfMemoryException)) {
                    reader->decoder = kept;
                    m->position = start;
                } else {
                    m->position = from + done + n; /* the decoder's exception, after the bytes, as .NET's */
                }
                sp_buf_free(&out);
                return NULL;
            }
        }
        size_t produced = out.length;
        char *s = sp_buf_take_string(&out);
        if (!s) {
            sp_buf_free(&out);
            reader->decoder = kept;
            m->position = start;
        } else if (byteLength)
            *byteLength = (int32_t)produced;
        return s;
    }
    sp_buf out = {0};
    uint8_t chunk[SP_STRING_CHUNK];
    int32_t step = throws ? SP_CHAR_BYTES_CHUNK : SP_STRING_CHUNK;
    int32_t remaining = length;
    sp_string_meter meter = {0, 0};
    sp_decoder *d = &reader->decoder;
    while (remaining > 0) {
        int32_t want = remaining < step ? remaining : step;
        int32_t n = sp_stream_read(reader->stream, chunk, want);
        if (n <= 0) {
            if (n == 0)
                sp_throw_end_of_stream();
            sp_buf_free(&out);
            return NULL;
        }
        bool whole = n == length && length <= SP_CHAR_BYTES_CHUNK;
        if (whole)
            d = &alone;
        remaining -= n;
        size_t before = out.length;
        if (!sp_decoder_decode(d, chunk, (size_t)n, whole, &out) ||
            !sp_string_may_grow(&meter, out.data, before, out.length > before ? out.data + before : NULL,
                                out.length - before, byteLength != NULL)) {
            sp_buf_free(&out);
            return NULL;
        }
    }
    size_t produced = out.length;
    char *s = sp_buf_take_string(&out);
    if (!s)
        sp_buf_free(&out);
    else if (byteLength)
        *byteLength = (int32_t)produced;
    return s;
}

char *BinaryReader_ReadStringWithLength(BinaryReader *reader, int32_t *byteLength)
{
    /* The common case first: a string of fewer than 128 bytes (a one-byte length) that is all
     * there in a MemoryStream and valid UTF-8, read into one allocation; "" allocates nothing. */
    sp_memwin_ *w = in_place_window(reader);
    if (w && sp_encoding_is_utf8(reader->encoding) && w->position < w->length) {
        const uint8_t *p = w->buffer + w->position;
        int32_t length = p[0];
        size_t units = 0;
        if (length < 0x80 && length < w->length - w->position &&
            sp_utf8_valid_prefix_short(p + 1, (size_t)length, &units) == (size_t)length) {
            sp_clear();
            /* The string first, then the position: an OutOfMemoryException leaves the length
             * byte and the text in the stream for the next read (.NET's ReadString consumes
             * them before it allocates; no byte is lost here where it need not be). */
            char *s = length ? sp_string_new(p + 1, (size_t)length) : (char *)sp_empty_string;
            if (s) {
                w->position += 1 + length;
                if (byteLength)
                    *byteLength = length;
            }
            return s;
        }
    }
    if (!open_reader(reader))
        return NULL;
    bool held = sp_adapter_enter(&reader->base, reader->stream);
    char *s = read_string(reader, byteLength);
    char_state(reader); /* a long string may leave a character's start in the decoder */
    sp_adapter_leave(&reader->base, held);
    return s;
}

char *BinaryReader_ReadString(BinaryReader *reader) { return BinaryReader_ReadStringWithLength(reader, NULL); }

/* UTF-8 of at most two code units -> UTF-16 units; returns the unit count. */
static int utf8_to_units(const uint8_t *s, size_t length, uint16_t units[4])
{
    int n = 0;
    size_t i = 0;
    while (i < length && n < 4) {
        size_t consumed;
        int32_t cp = sp_utf8_next(s + i, length - i, &consumed);
        if (cp < 0)
            cp = SP_REPLACEMENT_CHAR;
        i += consumed;
        if (cp >= 0x10000) {
            units[n++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
            if (n < 4)
                units[n++] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            units[n++] = (uint16_t)cp;
        }
    }
    return n;
}

/* The decoder after .NET's "output char buffer is too small" ArgumentException, where `before` is
 * the decoder before the call that met it, and `first` says that the character that did not fit
 * was the first that call decoded. .NET's UTF-8 decoder (DecoderNLS) keeps the leftover bytes it
 * was draining when that first character does not fit, and has drained them otherwise, keeping
 * none of what followed; its UTF-16 and UTF-32 decoders save their state only at the end of a
 * call, so they stay as they were (a high surrogate, a unit's first bytes). */
static void overflow_state(BinaryReader *r, const sp_decoder *before, bool first)
{
    if (first || r->encoding->kind != SP_ENC_UTF8)
        r->decoder = *before;
    else
        sp_decoder_init(&r->decoder, r->encoding);
}

/* .NET's InternalReadOneChar: feed bytes to the decoder until one char comes out; -1 at the end
 * of the stream, -2 on failure. A character that decodes to two UTF-16 units does not fit in
 * one char: ArgumentException, and the stream goes back where it was when it can seek, as it
 * does for a throwing decoder's exception (which leaves the decoder as it is, as .NET's). */
static int32_t read_one_char(BinaryReader *r)
{
    Stream *s = r->stream;
    int64_t start = sp_stream_can_seek(s) && s->ops->get_position ? s->ops->get_position(s) : -1;
    int per_read = sp_encoding_unit_size(r->encoding);
    sp_buf *out = &r->scratch;
    for (;;) {
        uint8_t bytes[4];
        int32_t got = 0;
        while (got < per_read) {
            int32_t n = sp_stream_read(s, bytes + got, per_read - got);
            if (n < 0)
                return -2;
            if (n == 0)
                break;
            got += n;
        }
        if (got == 0)
            return -1;
        out->length = 0;
        sp_decoder before = r->decoder;
        if (!sp_decoder_decode(&r->decoder, bytes, (size_t)got, false, out)) {
            /* a throwing encoding's DecoderFallbackException: .NET's catch seeks back too */
            if (start >= 0)
                s->ops->seek(s, start, SeekOrigin_Begin);
            return -2;
        }
        if (out->length == 0) {
            if (got < per_read)
                return -1; /* a partial character at the end of the stream */
            continue;
        }
        uint16_t units[4];
        int n = utf8_to_units(out->data, out->length, units);
        if (n == 1)
            return units[0];
        if (start >= 0)
            s->ops->seek(s, start, SeekOrigin_Begin);
        size_t consumed;
        overflow_state(r, &before, sp_utf8_next(out->data, out->length, &consumed) >= 0x10000);
        sp_throwf_sr(ExceptionType_ArgumentException, "chars", SR_Argument_EncodingConversionOverflowChars,
                     (int)r->encoding->code_page,
                     r->encoding->throw_on_invalid ? "System.Text.DecoderExceptionFallback"
                                                   : "System.Text.DecoderReplacementFallback");
        return -2;
    }
}

static int32_t read_one_char_held(BinaryReader *r)
{
    bool held = sp_adapter_enter(&r->base, r->stream);
    int32_t c = read_one_char(r);
    char_state(r);
    sp_adapter_leave(&r->base, held);
    return c;
}

/* ReadChar's common case: a MemoryStream whose next bytes are one whole char that needs no
 * decoder state (ASCII in an ASCII-compatible encoding, a non-surrogate UTF-16 unit), with nothing
 * pending in the decoder. In place, as .NET's decoder over the stream's buffer. -1 otherwise,
 * nothing consumed. */
static inline int32_t read_char_fast(BinaryReader *r)
{
    MemoryStream *m = sp_memstream_open(r->stream);
    if (!m || sp_binaryreader_holds_char_part(r) || m->position >= m->length)
        return -1;
    const uint8_t *p = m->buffer + m->position;
    switch (r->encoding->kind) {
    case SP_ENC_UTF8:
    case SP_ENC_ASCII:
        if (p[0] >= 0x80)
            return -1;
        m->position++;
        return p[0];
    case SP_ENC_LATIN1: m->position++; return p[0];
    case SP_ENC_UTF16LE:
    case SP_ENC_UTF16BE: {
        if (m->length - m->position < 2)
            return -1;
        uint16_t unit =
            r->encoding->kind == SP_ENC_UTF16LE ? (uint16_t)(p[0] | p[1] << 8) : (uint16_t)(p[0] << 8 | p[1]);
        if (unit >= 0xD800 && unit <= 0xDFFF)
            return -1;
        m->position += 2;
        return unit;
    }
    default: return -1;
    }
}

uint16_t BinaryReader_ReadChar(BinaryReader *reader)
{
    if (!open_reader(reader))
        return 0;
    int32_t fast = read_char_fast(reader);
    if (fast >= 0)
        return (uint16_t)fast;
    int32_t c = read_one_char_held(reader);
    if (c == -1)
        sp_throw_end_of_stream();
    return c < 0 ? 0 : (uint16_t)c;
}

int32_t BinaryReader_Read(BinaryReader *reader)
{
    if (!open_reader(reader))
        return -1;
    int32_t fast = read_char_fast(reader);
    if (fast >= 0)
        return fast;
    int32_t c = read_one_char_held(reader);
    return c < 0 ? -1 : c;
}

static int32_t peek_char(BinaryReader *reader)
{
    Stream *s = reader->stream;
    if (!sp_stream_can_seek(s))
        return -1;
    int64_t start = s->ops->get_position ? s->ops->get_position(s) : s->ops->seek(s, 0, SeekOrigin_Current);
    if (start < 0)
        return -1;
    int32_t c = read_one_char(reader);
    if (c == -2)
        return -1;
    if (s->ops->seek(s, start, SeekOrigin_Begin) < 0)
        return -1;
    return c;
}

int32_t BinaryReader_PeekChar(BinaryReader *reader)
{
    if (!open_reader(reader))
        return -1;
    bool held = sp_adapter_enter(&reader->base, reader->stream);
    int32_t c = peek_char(reader);
    char_state(reader);
    sp_adapter_leave(&reader->base, held);
    return c;
}

/* ReadBytes' general path, from an open reader that its caller holds (out of line, as read_string). */
static SP_NOINLINE uint8_t *read_bytes(BinaryReader *reader, int32_t count, int32_t *length)
{
    /* As read_string: over a MemoryStream, bytes read into an array that then cannot grow or be
     * trimmed go back into the stream with the OutOfMemoryException. */
    MemoryStream *m = sp_memstream_open(reader->stream);
    int32_t start = m ? m->position : 0;
    /* grown as the bytes come (a huge count costs nothing until they are there), in an array that
     * knows its length (sp_array_new) */
    int32_t capacity = count < 65536 ? count : 65536;
    uint8_t *out = sp_array_new(VariantType_Byte, capacity);
    if (!out)
        return NULL;
    int32_t have = 0;
    while (have < count) {
        if (have == capacity) {
            int32_t next = capacity <= count - capacity ? capacity * 2 : count;
            uint8_t *bigger = sp_array_resize(out, next);
            if (!bigger) {
                Array_Free(out);
                if (m)
                    m->position = start;
                return NULL;
            }
            out = bigger;
            capacity = next;
        }
        int32_t n = sp_stream_read(reader->stream, out + have, capacity - have);
        if (n < 0) {
            Array_Free(out);
            return NULL;
        }
        if (n == 0)
            break;
        have += n;
    }
    if (have != capacity) {
        uint8_t *exact = sp_array_resize(out, have);
        if (!exact) {
            Array_Free(out);
            if (m)
                m->position = start;
            return NULL;
        }
        out = exact;
    }
    if (length)
        *length = have;
    return out;
}

uint8_t *BinaryReader_ReadBytes(BinaryReader *reader, int32_t count, int32_t *length)
{
    /* All count bytes there in a MemoryStream: one array, one copy, and the position moves once
     * the array exists (an OutOfMemoryException leaves the bytes for the next read). */
    sp_memwin_ *w = in_place_window(reader);
    if (w && count >= 0 && count <= w->length - w->position) {
        sp_clear();
        uint8_t *out = sp_array_from_bytes(w->buffer + w->position, count);
        if (!out)
            return NULL;
        w->position += count;
        if (length)
            *length = count;
        return out;
    }
    if (!open_reader(reader))
        return NULL;
    if (count < 0) {
        sp_throw_need_nonneg("count");
        return NULL;
    }
    bool held = sp_adapter_enter(&reader->base, reader->stream);
    uint8_t *out = read_bytes(reader, count, length);
    sp_adapter_leave(&reader->base, held);
    return out;
}

/* .NET's InternalReadChars: up to `count` UTF-16 units into *chars (grown as they come when
 * *capacity is short, so a huge count costs nothing until the text is there), reading no byte more
 * than those chars need: count bytes per step (twice that for UTF-16), one less while the decoder
 * holds part of a character (three less for UTF-16), at most 128 but from a MemoryStream. Returns
 * the units read, or -1. A character whose units do not fit what is left is .NET's decoder's
 * ArgumentException. */
static int32_t read_chars(BinaryReader *r, uint16_t **chars, int32_t *capacity, bool grow, int32_t count)
{
    bool two_bytes = r->encoding->kind == SP_ENC_UTF16LE || r->encoding->kind == SP_ENC_UTF16BE;
    uint8_t chunk[SP_CHAR_BYTES_CHUNK];
    sp_buf utf8 = {0};
    int32_t have = 0;
    while (have < count) {
        int64_t want = (int64_t)(count - have) << (two_bytes ? 1 : 0);
        if (want > 1 && (r->decoder.pending_length > 0 || r->decoder.high_surrogate)) {
            want--;
            if (two_bytes && want > 2)
                want -= 2;
        }
        /* .NET decodes an exact MemoryStream's bytes where they are, all `want` of them in one
         * step (a throwing decoder's index is within them); another stream's 128 at most */
        const uint8_t *bytes = chunk;
        int32_t n;
        MemoryStream *m = sp_memstream_open(r->stream);
        if (m) {
            int32_t left = m->position < m->length ? m->length - m->position : 0;
            n = want < left ? (int32_t)want : left;
            bytes = m->buffer + m->position;
            m->position += n;
        } else {
            n = sp_stream_read(r->stream, chunk, want < SP_CHAR_BYTES_CHUNK ? (int32_t)want : SP_CHAR_BYTES_CHUNK);
        }
        if (n < 0)
            goto fail;
        if (n == 0)
            break;
        utf8.length = 0;
        sp_decoder before = r->decoder;
        if (!sp_decoder_decode(&r->decoder, bytes, (size_t)n, false, &utf8))
            goto fail;
        for (size_t i = 0; i < utf8.length;) {
            size_t consumed;
            int32_t cp = sp_utf8_next(utf8.data + i, utf8.length - i, &consumed);
            bool first = i == 0;
            i += consumed;
            int units = cp >= 0x10000 ? 2 : 1;
            if (have + units > count) {
                overflow_state(r, &before, first);
                sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_ConversionOverflowChars, "chars");
                goto fail;
            }
            if (have + units > *capacity) {
                if (!grow)
                    goto fail; /* cannot happen: capacity is count when not growing */
                int32_t cap = *capacity ? (*capacity > count / 2 ? count : *capacity * 2) : (count < 64 ? count : 64);
                if (cap < have + units)
                    cap = have + units;
                uint16_t *grown = *chars ? sp_array_resize(*chars, cap) : sp_array_new(VariantType_Char, cap);
                if (!grown)
                    goto fail;
                *chars = grown;
                *capacity = cap;
            }
            if (units == 2) {
                (*chars)[have++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
                (*chars)[have++] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
            } else {
                (*chars)[have++] = (uint16_t)cp;
            }
        }
    }
    sp_buf_free(&utf8);
    return have;
fail:
    sp_buf_free(&utf8);
    return -1;
}

static int32_t read_chars_held(BinaryReader *r, uint16_t **chars, int32_t *capacity, bool grow, int32_t count)
{
    bool held = sp_adapter_enter(&r->base, r->stream);
    int32_t have = read_chars(r, chars, capacity, grow, count);
    char_state(r);
    sp_adapter_leave(&r->base, held);
    return have;
}

uint16_t *BinaryReader_ReadChars(BinaryReader *reader, int32_t count, int32_t *length)
{
    if (!open_reader(reader))
        return NULL;
    if (count < 0) {
        sp_throw_need_nonneg("count");
        return NULL;
    }
    uint16_t *chars = NULL;
    int32_t capacity = 0;
    int32_t have = read_chars_held(reader, &chars, &capacity, true, count);
    if (have < 0) {
        Array_Free(chars);
        return NULL;
    }
    if (!chars && !(chars = sp_array_new(VariantType_Char, 0)))
        return NULL;
    if (have != capacity) {
        uint16_t *exact = sp_array_resize(chars, have);
        if (!exact) {
            Array_Free(chars);
            return NULL;
        }
        chars = exact;
    }
    if (length)
        *length = have;
    return chars;
}

int32_t BinaryReader_ReadIntoChars(BinaryReader *reader, uint16_t *buffer, int32_t index, int32_t count)
{
    if (!sp_check_range_args(buffer, "buffer", index, "index", count))
        return -1;
    if (!open_reader(reader))
        return -1;
    uint16_t *at = buffer + index;
    int32_t capacity = count;
    return read_chars_held(reader, &at, &capacity, false, count);
}

int32_t BinaryReader_ReadIntoBytes(BinaryReader *reader, void *buffer, int32_t index, int32_t count)
{
    if (!sp_check_range_args(buffer, "buffer", index, "index", count))
        return -1;
    if (!open_reader(reader))
        return -1;
    bool held = sp_adapter_enter(&reader->base, reader->stream);
    int32_t n = sp_stream_read(reader->stream, (uint8_t *)buffer + index, count);
    sp_adapter_leave(&reader->base, held);
    return n;
}

bool BinaryReader_ReadExactly(BinaryReader *reader, void *buffer, int32_t count)
{
    if (!open_reader(reader))
        return false;
    if (count < 0) {
        sp_throw_need_nonneg("count");
        return false;
    }
    if (count == 0) {
        sp_clear();
        return true;
    }
    if (!buffer) {
        sp_throw_null("buffer");
        return false;
    }
    if (!read_exactly(reader, buffer, count))
        return false;
    sp_clear();
    return true;
}

Stream *BinaryReader_get_BaseStream(BinaryReader *reader)
{
    if (!sp_check_type(reader, &sp_type_BinaryReader, "reader"))
        return NULL;
    sp_clear();
    return reader->stream;
}

SP_DEFINE_CLOSE_AND_DISPOSE(BinaryReader, reader)
