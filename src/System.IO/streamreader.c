/* StreamReader: bytes to text with .NET's BOM detection and line rules. Decoded text is kept as
 * UTF-8, the form C wants, so ReadLine and ReadToEnd copy it out without converting again. */
#include "System.IO/stream.h"
#include "System.Text/text.h"

#define SP_READER_DEFAULT_BUFFER 1024
#define SP_READER_MIN_BUFFER 128

struct StreamReader {
    Object base;
    uint64_t tag; /* SP_SR_TAG_, for the inline Read of sharpipc/inline.h */
    union {
        sp_textin_ in; /* what the inline Read reads */
        struct {
            sp_buf text; /* decoded UTF-8; text.data[text_pos..text.length) unread */
            size_t text_pos;
            uint16_t pending_low; /* Read() returned a high surrogate; its low half comes next */
            bool open;            /* false from Close on */
            uint8_t zero_;        /* sp_textin_'s: never written */
        };
    };
    Stream *stream;
    const Encoding *encoding;
    bool leave_open;
    bool detect_encoding;     /* still to look for a byte order mark */
    bool check_preamble;      /* still to strip the given encoding's own preamble */
    int32_t preamble_matched; /* bytes of it seen so far, kept at the start of `bytes` */
    bool eof;
    bool is_blocked; /* the last read was short: Peek must not block again */
    bool skip_lf;    /* a line ended in \r at the end of the text: drop a \n that follows */
    uint8_t *bytes;
    int32_t byte_size;
    sp_decoder decoder;
};

#define SP_SR_SAME_(f, g) (offsetof(StreamReader, f) == offsetof(StreamReader, in.g))
_Static_assert(SP_SR_SAME_(text.data, data) && SP_SR_SAME_(text.length, length) &&
                   SP_SR_SAME_(text.capacity, capacity) && SP_SR_SAME_(text_pos, pos) &&
                   SP_SR_SAME_(pending_low, pending_low) && SP_SR_SAME_(open, open) && SP_SR_SAME_(zero_, zero_),
               "StreamReader's fields must be its sp_textin_'s");
#undef SP_SR_SAME_
#ifdef SHARPIPC_INLINE
_Static_assert(offsetof(StreamReader, tag) == offsetof(sp_fast_textin_, tag) &&
                   offsetof(StreamReader, in) == offsetof(sp_fast_textin_, in),
               "sp_fast_textin_ (include/sharpipc/inline.h) must match StreamReader");
#endif

static bool streamreader_close(Object *o)
{
    StreamReader *r = (StreamReader *)o;
    r->open = false; /* the inline Read leaves every call to the exported one */
    if (r->leave_open || sp_object_is_closed(&r->stream->base))
        return true;
    return sp_object_close(&r->stream->base);
}

static void streamreader_destroy(Object *o)
{
    StreamReader *r = (StreamReader *)o;
    free(r->bytes);
    sp_buf_free(&r->text);
    sp_object_release(&r->stream->base);
}

const sp_type sp_type_StreamReader = {"System.IO.StreamReader", &sp_type_Object, streamreader_close,
                                      streamreader_destroy};

#undef StreamReader_new
#undef StreamReader_Read

StreamReader *StreamReader_new_ex(Stream *stream, const Encoding *encoding, bool detectEncodingFromByteOrderMarks,
                                  int32_t bufferSize, bool leaveOpen)
{
    if (!sp_adapter_check(stream, "stream", encoding, false, &bufferSize, SP_READER_DEFAULT_BUFFER,
                          SP_READER_MIN_BUFFER))
        return NULL;
    StreamReader *r = sp_object_new(sizeof *r, &sp_type_StreamReader);
    if (!r)
        return NULL;
    r->tag = SP_SR_TAG_;
    r->open = true;
    r->byte_size = bufferSize;
    /* 4 more: what read_in_place hands the decoder (a cut-off character's bytes, then a read) */
    if (!(r->bytes = sp_malloc((size_t)bufferSize + 4))) {
        free(r);
        return NULL;
    }
    sp_object_retain(&stream->base);
    r->stream = stream;
    r->encoding = encoding ? encoding : Encoding_get_UTF8();
    r->detect_encoding = detectEncodingFromByteOrderMarks;
    r->check_preamble = r->encoding->emit_preamble;
    r->leave_open = leaveOpen;
    sp_decoder_init(&r->decoder, r->encoding);
    sp_clear();
    return r;
}

StreamReader *StreamReader_new(Stream *stream) { return StreamReader_new_ex(stream, NULL, true, -1, false); }

StreamReader *StreamReader_newFromPath(const char *path, const Encoding *encoding,
                                       bool detectEncodingFromByteOrderMarks)
{
    FileStream *f = FileStream_new_ex(path, FileMode_Open, FileAccess_Read, FileShare_Read, 4096, FileOptions_None);
    if (!f)
        return NULL;
    StreamReader *r = StreamReader_new_ex((Stream *)f, encoding, detectEncodingFromByteOrderMarks, 4096, false);
    sp_object_release((Object *)f); /* the reader holds it now, or nobody does */
    return r;
}

static inline StreamReader *open_reader(StreamReader *r)
{
    if (!sp_check_type_fast(r, &sp_type_StreamReader, "reader"))
        return NULL;
    /* The reader's own state only: text it holds is served after its stream closes, as .NET's
     * buffer is; a read that needs the stream meets the stream's own ObjectDisposedException. */
    if (sp_object_is_closed_fast(&r->base)) {
        sp_throw_sr(ExceptionType_ObjectDisposedException, SR_ObjectDisposed_ReaderClosed, NULL);
        return NULL;
    }
    sp_clear();
    return r;
}

static void use_encoding(StreamReader *r, const Encoding *enc)
{
    r->encoding = enc;
    sp_decoder_init(&r->decoder, enc);
    r->check_preamble = false;
}

/* .NET's DetectEncoding: returns how many BOM bytes to skip. */
static int detect_bom(StreamReader *r, const uint8_t *b, int32_t n)
{
    if (n < 2)
        return 0;
    r->detect_encoding = false;
    if (b[0] == 0xFE && b[1] == 0xFF) {
        use_encoding(r, Encoding_get_BigEndianUnicode());
        return 2;
    }
    if (b[0] == 0xFF && b[1] == 0xFE) {
        if (n < 4 || b[2] != 0 || b[3] != 0) {
            use_encoding(r, Encoding_get_Unicode());
            return 2;
        }
        use_encoding(r, Encoding_get_UTF32());
        return 4;
    }
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        use_encoding(r, Encoding_get_UTF8());
        return 3;
    }
    if (n >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF) {
        use_encoding(r, sp_encoding_utf32be());
        return 4;
    }
    if (n == 2)
        r->detect_encoding = true; /* too few bytes to rule out a longer mark */
    return 0;
}

/* The stream has ended: the decoder's flush. A throwing encoding's DecoderFallbackException for
 * a character cut off there leaves the reader short of its end, so each later read meets it again,
 * as .NET's ReadBuffer flushes again at each. */
static bool at_end(StreamReader *r)
{
    r->eof = sp_decoder_decode(&r->decoder, NULL, 0, true, &r->text);
    return r->eof;
}

/* One read of a UTF-8 reader past its BOM checks, whose bytes need validating, not decoding: they
 * are read into the text itself, after the bytes of a character that the last read cut off (the
 * decoder's), and validated there, in one pass; only what is not valid text (an invalid sequence
 * and what follows it, a character cut off again) goes through the decoder, from a copy, since
 * its output would overrun its input in place (U+FFFD is 3 bytes). Exactly what decoding the
 * same bytes would give: the decoder's own validation, sp_utf8_valid_prefix, judges them, and a
 * cut-off character completed here or in the decoder is the same sequence. */
static bool read_in_place(StreamReader *r)
{
    sp_decoder *d = &r->decoder;
    size_t cut = (size_t)d->pending_length;
    if (!sp_buf_reserve(&r->text, cut + (size_t)r->byte_size))
        return false;
    uint8_t *at = r->text.data + r->text.length;
    memcpy(at, d->pending, 4); /* all 4, with no call: the read lands after the `cut` that count */
    int32_t n = sp_stream_read(r->stream, at + cut, r->byte_size);
    if (n < 0)
        return false;
    r->is_blocked = n < r->byte_size;
    if (n == 0)
        return at_end(r);
    d->pending_length = 0;
    size_t total = cut + (size_t)n, units = 0;
    size_t valid = sp_utf8_valid_prefix(at, total, &units);
    r->text.length += valid;
    size_t rest = total - valid, consumed;
    if (rest == 0)
        return true;
    /* The usual rest: a character the read cut off, kept for the next as the decoder keeps it. */
    if (rest < 4 && sp_utf8_next(at + valid, rest, &consumed) == SP_UTF8_INCOMPLETE) {
        for (size_t k = 0; k < 3; k++) /* 3 with no call; those past `rest` are never read */
            d->pending[k] = at[valid + (k < rest ? k : 0)];
        d->pending_length = (int)rest;
        return true;
    }
    memcpy(r->bytes, at + valid, rest); /* at most byte_size + 3 */
    return sp_decoder_decode(d, r->bytes, rest, false, &r->text);
}

/* Reads and decodes until there is text or the stream ends. Returns false on failure. While the
 * given encoding's preamble is still being matched, bytes accumulate at the start of the buffer,
 * so a preamble split over several reads (a pipe, a socket) is still recognised, as .NET does. */
static bool fill_text(StreamReader *r)
{
    if (r->text_pos == r->text.length) {
        r->text_pos = 0;
        r->text.length = 0;
    }
    size_t before = r->text.length;
    while (r->text.length == before && !r->eof) {
        /* (a throwing encoding's exception says where in the read's bytes it met the invalid
         * ones: the decoder sees them as read) */
        if (!r->check_preamble && !r->detect_encoding && sp_encoding_is_utf8(r->decoder.enc) &&
            !r->decoder.enc->throw_on_invalid) {
            if (!read_in_place(r))
                return false;
            continue;
        }
        int32_t kept = r->check_preamble ? r->preamble_matched : 0;
        int32_t n = sp_stream_read(r->stream, r->bytes + kept, r->byte_size - kept);
        if (n < 0)
            return false;
        r->is_blocked = n < r->byte_size - kept;
        if (n == 0) {
            /* A partial preamble at the very end is text after all, decoded with the flush in one
             * call, as .NET's ReadBuffer does: a throwing encoding's index is within those bytes,
             * which stay held (the preamble check still on), so every later call meets them again. */
            if (kept) {
                r->eof = sp_decoder_decode(&r->decoder, r->bytes, (size_t)kept, true, &r->text);
                if (!r->eof)
                    return false;
                r->check_preamble = false;
                break;
            }
            r->check_preamble = false;
            if (!at_end(r))
                return false;
            break;
        }
        int32_t total = kept + n, skip = 0;
        if (r->check_preamble) {
            uint8_t bom[4];
            int bom_length = sp_encode_codepoint(r->encoding, 0xFEFF, bom);
            int32_t i = 0;
            while (i < total && i < bom_length && r->bytes[i] == bom[i])
                i++;
            if (i == bom_length) {
                skip = bom_length;
                r->check_preamble = false;
                r->detect_encoding = false;
            } else if (i == total) {
                r->preamble_matched = total; /* all of it matches so far: read on */
                continue;
            } else {
                r->check_preamble = false;
            }
        }
        if (r->detect_encoding && skip == 0)
            skip = detect_bom(r, r->bytes, total);
        if (!sp_decoder_decode(&r->decoder, r->bytes + skip, (size_t)(total - skip), false, &r->text))
            return false;
    }
    /* A \n right after a line that ended in \r belongs to that line. */
    if (r->skip_lf && r->text_pos < r->text.length) {
        r->skip_lf = false;
        if (r->text.data[r->text_pos] == '\n')
            r->text_pos++;
        if (r->text_pos == r->text.length)
            return fill_text(r);
    }
    return true;
}

/* fill_text, and on failure what .NET's ReadBuffer does: it empties the char buffer before it
 * reads, so the text not yet taken (the start of a line that ReadLine was reading on from, the
 * text decoded from the bytes of a read whose decoder threw) goes with the exception. An
 * OutOfMemoryException, which comes before the read, takes nothing. */
static bool fill(StreamReader *r)
{
    if (fill_text(r))
        return true;
    if (!Exception_Is(Exception_get_Current(), ExceptionType_OutOfMemoryException))
        r->text.length = r->text_pos = 0;
    return false;
}

static size_t available(const StreamReader *r) { return r->text.length - r->text_pos; }

#define SP_ONES 0x0101010101010101ull
#define SP_HIGHS 0x8080808080808080ull

/* The index of the first \n or \r in p[0..n), or n: a word at a time (a byte of w equal to c
 * makes (w ^ c) have a zero byte, which the bit trick finds), then the byte that did it. */
static inline size_t find_line_end(const uint8_t *p, size_t n)
{
    size_t i = 0;
#if defined(__SSE2__) && defined(__GNUC__)
    /* 16 bytes a step where SSE2 is there (every x86-64); the mask says which byte matched */
    const __m128i lf16 = _mm_set1_epi8('\n'), cr16 = _mm_set1_epi8('\r');
    /* 32 bytes a step while there are (a line of 29 bytes is one step), one mask for both halves */
    for (; i + 32 <= n; i += 32) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16));
        unsigned ma = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(a, lf16), _mm_cmpeq_epi8(a, cr16)));
        unsigned mb = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(b, lf16), _mm_cmpeq_epi8(b, cr16)));
        if (ma | mb)
            return i + (size_t)__builtin_ctz(ma | mb << 16);
    }
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf16), _mm_cmpeq_epi8(v, cr16)));
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        uint64_t lf = w ^ (SP_ONES * '\n'), cr = w ^ (SP_ONES * '\r');
        if (((lf - SP_ONES) & ~lf & SP_HIGHS) | ((cr - SP_ONES) & ~cr & SP_HIGHS))
            break;
    }
    while (i < n && p[i] != '\n' && p[i] != '\r')
        i++;
    return i;
}

/* The reader is past a terminator just read at text_pos - 1. */
static void after_terminator(StreamReader *r, uint8_t terminator)
{
    if (terminator != '\r')
        return;
    if (r->text_pos < r->text.length) {
        if (r->text.data[r->text_pos] == '\n')
            r->text_pos++;
    } else {
        r->skip_lf = true; /* decided by the next read, without blocking now */
    }
}

/* f(reader, byteLength) with the reader held: the calls that read the stream into its buffers,
 * which a blocking stream's Dispose from another thread must not free under them. Out of line:
 * ReadLine's common case then saves fewer registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static char *
held_text(StreamReader *reader, int32_t *byteLength, char *(*f)(StreamReader *, int32_t *))
{
    bool held = sp_adapter_enter(&reader->base, reader->stream);
    char *s = f(reader, byteLength);
    sp_adapter_leave(&reader->base, held);
    return s;
}

/* The line start[0..i) of the decoded text at text_pos, its terminator start[i]: one allocation of
 * its size, one copy; the reader moves past it only once the string is made. */
static inline char *take_line(StreamReader *reader, const uint8_t *start, size_t i, int32_t *byteLength)
{
    if (!sp_string_may_be(start, i, byteLength != NULL))
        return NULL;
    char *s = sp_string_new(start, i);
    if (!s)
        return NULL;
    reader->text_pos += i + 1;
    after_terminator(reader, start[i]);
    if (byteLength)
        *byteLength = (int32_t)i;
    return s;
}

/* The longest start of a line that read_line keeps in the decoded text while it reads on. */
#define SP_LINE_IN_PLACE 4096

/* ReadLine past the text already decoded, from an open reader that its caller holds. */
static char *read_line(StreamReader *reader, int32_t *byteLength)
{
    /* The start of a short line at the end of the decoded text (one line in ~34 of 30 bytes with
     * .NET's 1024-byte buffer) moves to the front of it, the next read is decoded after it, and
     * the line is taken from there as the common case takes it: no buffer of its own that grows
     * and is copied again. The start stays unread until the line is made. (skip_lf is set only
     * with no text left, and cleared by the fill that brings more.) A line that starts a fill is
     * taken from it likewise. */
    if (available(reader) == 0) {
        if (!fill(reader))
            return NULL;
        size_t n = available(reader);
        if (n == 0) {
            if (byteLength)
                *byteLength = 0;
            return NULL; /* end of stream, no exception */
        }
        const uint8_t *start = reader->text.data + reader->text_pos;
        size_t i = find_line_end(start, n);
        if (i < n)
            return take_line(reader, start, i, byteLength);
    }
    for (size_t scanned; available(reader) > 0 && available(reader) <= SP_LINE_IN_PLACE && !reader->eof;) {
        scanned = available(reader);
        if (reader->text_pos > 0) {
            memmove(reader->text.data, reader->text.data + reader->text_pos, scanned);
            reader->text.length = scanned;
            reader->text_pos = 0;
        }
        if (!fill(reader))
            return NULL;
        size_t n = available(reader);
        if (n == scanned)
            break; /* the end of the stream: the rest below */
        const uint8_t *start = reader->text.data + reader->text_pos;
        size_t i = scanned + find_line_end(start + scanned, n - scanned);
        if (i < n)
            return take_line(reader, start, i, byteLength);
    }
    sp_buf line = {0};
    sp_string_meter meter = {0, 0};
    bool any = false;
    for (;;) {
        if (available(reader) == 0) {
            if (!fill(reader)) {
                sp_buf_free(&line);
                return NULL;
            }
            if (available(reader) == 0)
                break; /* end of stream */
        }
        any = true;
        const uint8_t *start = reader->text.data + reader->text_pos;
        size_t n = available(reader);
        size_t i = find_line_end(start, n);
        if (!sp_string_may_grow(&meter, line.data, line.length, start, i, byteLength != NULL) ||
            !sp_buf_append(&line, start, i)) {
            sp_buf_free(&line);
            return NULL;
        }
        reader->text_pos += i;
        if (i == n)
            continue;
        reader->text_pos++;
        after_terminator(reader, start[i]);
        goto done;
    }
    if (!any) {
        sp_buf_free(&line);
        if (byteLength)
            *byteLength = 0;
        return NULL; /* end of stream, no exception */
    }
done:;
    size_t length = line.length;
    char *s;
    if (length == 0) {
        sp_buf_free(&line);
        s = (char *)sp_empty_string;
    } else {
        s = sp_buf_take_string(&line);
    }
    if (s && byteLength)
        *byteLength = (int32_t)length;
    return s;
}

char *StreamReader_ReadLineWithLength(StreamReader *reader, int32_t *byteLength)
{
    if (!open_reader(reader))
        return NULL;
    reader->pending_low = 0;
    /* The common case: the whole line is in the decoded text already. One allocation of its
     * size, one copy. */
    if (available(reader) > 0) {
        const uint8_t *start = reader->text.data + reader->text_pos;
        size_t n = available(reader);
        size_t i = find_line_end(start, n);
        if (i < n)
            return take_line(reader, start, i, byteLength);
    }
    return held_text(reader, byteLength, read_line);
}

char *StreamReader_ReadLine(StreamReader *reader) { return StreamReader_ReadLineWithLength(reader, NULL); }

static char *read_to_end(StreamReader *reader, int32_t *byteLength)
{
    sp_buf all = {0};
    sp_string_meter meter = {0, 0};
    for (;;) {
        if (available(reader) > 0) {
            const uint8_t *text = reader->text.data + reader->text_pos;
            if (!sp_string_may_grow(&meter, all.data, all.length, text, available(reader), byteLength != NULL) ||
                !sp_buf_append(&all, text, available(reader))) {
                sp_buf_free(&all);
                return NULL;
            }
            reader->text_pos = reader->text.length;
        }
        if (reader->eof)
            break;
        if (!fill(reader)) {
            sp_buf_free(&all);
            return NULL;
        }
    }
    size_t length = all.length;
    char *s = sp_buf_take_string(&all);
    if (s && byteLength)
        *byteLength = (int32_t)length;
    return s;
}

char *StreamReader_ReadToEndWithLength(StreamReader *reader, int32_t *byteLength)
{
    if (!open_reader(reader))
        return NULL;
    reader->pending_low = 0;
    return held_text(reader, byteLength, read_to_end);
}

char *StreamReader_ReadToEnd(StreamReader *reader) { return StreamReader_ReadToEndWithLength(reader, NULL); }

/* The next UTF-16 unit, consumed or not; -1 at the end, -2 on failure. */
static int32_t next_unit(StreamReader *r, bool consume, bool may_block)
{
    if (r->pending_low) {
        int32_t unit = r->pending_low;
        if (consume)
            r->pending_low = 0;
        return unit;
    }
    if (available(r) == 0) {
        if (!may_block && r->is_blocked)
            return -1;
        if (!fill(r))
            return -2;
        if (available(r) == 0)
            return -1;
    }
    size_t consumed;
    int32_t cp = sp_utf8_next(r->text.data + r->text_pos, available(r), &consumed);
    if (cp < 0) /* cannot happen for decoder output; be safe */
        cp = SP_REPLACEMENT_CHAR;
    if (cp >= 0x10000) {
        if (consume) {
            r->text_pos += consumed;
            r->pending_low = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        }
        return 0xD800 + ((cp - 0x10000) >> 10);
    }
    if (consume)
        r->text_pos += consumed;
    return cp;
}

static int32_t next_unit_held(StreamReader *r, bool consume, bool may_block)
{
    bool held = sp_adapter_enter(&r->base, r->stream);
    int32_t unit = next_unit(r, consume, may_block);
    sp_adapter_leave(&r->base, held);
    return unit;
}

int32_t StreamReader_Read(StreamReader *reader)
{
    if (!open_reader(reader))
        return -1;
    /* An ASCII char in the decoded text: it is its own UTF-16 unit. */
    if (!reader->pending_low && reader->text_pos < reader->text.length && reader->text.data[reader->text_pos] < 0x80)
        return reader->text.data[reader->text_pos++];
    int32_t unit = next_unit_held(reader, true, true);
    return unit < 0 ? -1 : unit;
}

int32_t StreamReader_Peek(StreamReader *reader)
{
    if (!open_reader(reader))
        return -1;
    int32_t unit = next_unit_held(reader, false, false);
    return unit < 0 ? -1 : unit;
}

/* ReadChars from an open reader that its caller holds. */
static int32_t read_chars(StreamReader *reader, char *buffer, int32_t index, int32_t count)
{
    reader->pending_low = 0;
    if (count == 0)
        return 0;
    if (available(reader) == 0) {
        if (!fill(reader))
            return -1;
        if (available(reader) == 0)
            return 0;
    }
    size_t n = available(reader) < (size_t)count ? available(reader) : (size_t)count;
    /* Whole characters only, so later reads never start inside one. */
    const uint8_t *text = reader->text.data + reader->text_pos;
    if (n < available(reader))
        while (n > 0 && (text[n] & 0xC0) == 0x80)
            n--;
    if (n == 0) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_BufferTooSmallForChar, "count");
        return -1;
    }
    memcpy(buffer + index, text, n);
    reader->text_pos += n;
    return (int32_t)n;
}

typedef int32_t (*chars_fn)(StreamReader *reader, char *buffer, int32_t index, int32_t count);

/* ReadChars and ReadBlock: their checks, then f with the reader held, as held_text. */
static int32_t held_chars(StreamReader *reader, char *buffer, int32_t index, int32_t count, chars_fn f)
{
    if (!sp_check_range_args(buffer, "buffer", index, "index", count))
        return -1;
    if (!open_reader(reader))
        return -1;
    bool held = sp_adapter_enter(&reader->base, reader->stream);
    int32_t n = f(reader, buffer, index, count);
    sp_adapter_leave(&reader->base, held);
    return n;
}

int32_t StreamReader_ReadChars(StreamReader *reader, char *buffer, int32_t index, int32_t count)
{
    return held_chars(reader, buffer, index, count, read_chars);
}

/* .NET's TextReader.ReadBlock: Read until count is reached or the stream ends. Here the chars are
 * UTF-8 bytes, whole characters only, so a block may stop up to 3 bytes short of count when the
 * next character does not fit what is left. */
static int32_t read_block(StreamReader *reader, char *buffer, int32_t index, int32_t count)
{
    int32_t total = 0;
    while (total < count) {
        int32_t left = count - total;
        if (left < 4 && available(reader) > 0) {
            /* stop before a character that does not fit, instead of ReadChars' ArgumentException */
            size_t consumed;
            sp_utf8_next(reader->text.data + reader->text_pos, available(reader), &consumed);
            if (consumed > (size_t)left)
                break;
        }
        int32_t n = open_reader(reader) ? read_chars(reader, buffer, index + total, left) : -1;
        if (n < 0) {
            if (total > 0 && Exception_Is(Exception_get_Current(), ExceptionType_ArgumentException)) {
                sp_clear(); /* the next character is longer than what is left: the block ends here */
                break;
            }
            total = -1;
            break;
        }
        if (n == 0)
            break;
        total += n;
    }
    if (total >= 0)
        sp_clear();
    return total;
}

int32_t StreamReader_ReadBlock(StreamReader *reader, char *buffer, int32_t index, int32_t count)
{
    return held_chars(reader, buffer, index, count, read_block);
}

bool StreamReader_get_EndOfStream(StreamReader *reader)
{
    if (!open_reader(reader))
        return false;
    if (reader->pending_low || available(reader) > 0)
        return false;
    bool held = sp_adapter_enter(&reader->base, reader->stream);
    bool end = fill(reader) && available(reader) == 0;
    sp_adapter_leave(&reader->base, held);
    return end;
}

const Encoding *StreamReader_get_CurrentEncoding(StreamReader *reader)
{
    if (!sp_check_type(reader, &sp_type_StreamReader, "reader"))
        return NULL;
    sp_clear();
    return reader->encoding;
}

Stream *StreamReader_get_BaseStream(StreamReader *reader)
{
    if (!sp_check_type(reader, &sp_type_StreamReader, "reader"))
        return NULL;
    sp_clear();
    return reader->stream;
}

bool StreamReader_DiscardBufferedData(StreamReader *reader)
{
    if (!sp_check_type(reader, &sp_type_StreamReader, "reader"))
        return false;
    sp_clear();
    reader->text.length = reader->text_pos = 0;
    reader->pending_low = 0;
    reader->skip_lf = false;
    reader->eof = false;
    sp_decoder_init(&reader->decoder, reader->encoding);
    return true;
}

SP_DEFINE_CLOSE_AND_DISPOSE(StreamReader, reader)
