/* The adapters must not depend on how the bytes arrive: the same calls over the same bytes give
 * the same results whether the stream hands them over in one piece (a MemoryStream) or in pieces
 * whose sizes the input chooses (1 byte, a few, a page...). Checked for BinaryReader (values and
 * exceptions, call by call) and StreamReader (every line and the rest of the text). Both streams
 * can seek, so only the sizes of the reads differ. */
#include <sharpipc.h>
#include <stdlib.h>
#include <string.h>

#include "System.IO/stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        abort();
}

/* A read-only, seekable stream that returns at most sizes[i % nsizes] bytes from its i-th read. */
typedef struct PieceStream {
    Stream stream;
    const uint8_t *data;
    int32_t length, position;
    const uint8_t *sizes;
    int32_t nsizes, reads;
} PieceStream;

static int32_t piece_read(Stream *s, uint8_t *buffer, int32_t count)
{
    PieceStream *p = (PieceStream *)s;
    if (p->position >= p->length)
        return 0;
    int32_t want = p->nsizes ? 1 + p->sizes[p->reads++ % p->nsizes] % 64 : count;
    if (want > count)
        want = count;
    if (want > p->length - p->position)
        want = p->length - p->position;
    memcpy(buffer, p->data + p->position, (size_t)want);
    p->position += want;
    return want;
}

/* Seekable like the MemoryStream it is compared with: .NET's BinaryReader rewinds a seekable
 * stream when ReadChar fails, so seeking must not be what differs. */
static int64_t piece_seek(Stream *s, int64_t offset, SeekOrigin origin)
{
    PieceStream *p = (PieceStream *)s;
    int64_t base = origin == SeekOrigin_Begin ? 0 : origin == SeekOrigin_Current ? p->position : p->length;
    if (offset < -base || offset > p->length - base) { /* the comparison stays inside the data */
        sp_throw(ExceptionType_IOException, "seek outside the data", NULL);
        return -1;
    }
    p->position = (int32_t)(base + offset);
    return p->position;
}

static int64_t piece_length(Stream *s) { return ((PieceStream *)s)->length; }
static int64_t piece_position(Stream *s) { return ((PieceStream *)s)->position; }

static const sp_stream_ops piece_ops = {
    .read = piece_read, .seek = piece_seek, .get_length = piece_length, .get_position = piece_position};
static const sp_type piece_type = {"Fuzz.PieceStream", &sp_type_Stream, NULL, NULL};

static Stream *piece_stream(const uint8_t *data, int32_t n, const uint8_t *sizes, int32_t nsizes)
{
    PieceStream *p = sp_object_new(sizeof *p, &piece_type);
    check(p != NULL);
    sp_stream_init(&p->stream, &piece_ops);
    p->data = data;
    p->length = n;
    p->sizes = sizes;
    p->nsizes = nsizes;
    return &p->stream;
}

typedef struct result {
    uint64_t value;
    ExceptionType exception;
    char *text;
    int32_t length;
    bool library_text; /* text from the library: String_Free, not free (API.md) */
} result;

static ExceptionType current(void)
{
    const Exception *e = Exception_get_Current();
    return e ? Exception_get_Type(e) : ExceptionType_None;
}

static result binary_op(BinaryReader *r, uint8_t op)
{
    result x = {0};
    switch (op % 10) {
    case 0: x.value = BinaryReader_ReadByte(r); break;
    case 1: x.value = (uint16_t)BinaryReader_ReadInt16(r); break;
    case 2: x.value = (uint32_t)BinaryReader_ReadInt32(r); break;
    case 3: x.value = (uint64_t)BinaryReader_ReadInt64(r); break;
    case 4: x.value = (uint32_t)BinaryReader_Read7BitEncodedInt(r); break;
    case 5: x.value = (uint32_t)BinaryReader_ReadChar(r); break;
    case 6:
        x.text = BinaryReader_ReadStringWithLength(r, &x.length);
        x.library_text = true;
        break;
    case 7: {
        int32_t n = 0;
        uint8_t *b = BinaryReader_ReadBytes(r, op / 10, &n);
        x.length = n;
        if (b) {
            x.text = malloc((size_t)n + 1);
            memcpy(x.text, b, (size_t)n);
            Array_Free(b);
        }
        break;
    }
    case 8: {
        int32_t n = 0;
        uint16_t *c = BinaryReader_ReadChars(r, op / 20, &n);
        x.length = n;
        if (c) {
            x.text = malloc((size_t)n * 2 + 1);
            memcpy(x.text, c, (size_t)n * 2);
            Array_Free(c);
        }
        break;
    }
    default: x.value = (uint64_t)BinaryReader_Read7BitEncodedInt64(r); break;
    }
    x.exception = current();
    return x;
}

static void release(result a)
{
    if (a.library_text)
        String_Free(a.text);
    else
        free(a.text);
}

static void same(result a, result b)
{
    check(a.exception == b.exception);
    if (a.exception == ExceptionType_None) {
        check(a.value == b.value && a.length == b.length);
        check((a.text == NULL) == (b.text == NULL));
        if (a.text)
            check(memcmp(a.text, b.text, (size_t)a.length) == 0);
    }
    release(a);
    release(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    const Encoding *encodings[] = {NULL,           Encoding_UTF8,  Encoding_Unicode, Encoding_BigEndianUnicode,
                                   Encoding_UTF32, Encoding_ASCII, Encoding_Latin1,  NULL};
    const Encoding *enc = encodings[data[0] & 7];
    int32_t nsizes = 1 + data[1] % 8;
    int32_t nops = 1 + data[2] % 24;
    bool text_mode = data[3] & 1;
    size_t header = 4 + (size_t)nsizes + (size_t)nops;
    if (size < header)
        return 0;
    const uint8_t *sizes = data + 4, *ops = sizes + nsizes, *payload = ops + nops;
    int32_t n = (int32_t)(size - header);
    uint8_t *copy = malloc((size_t)n + 1);
    memcpy(copy, payload, (size_t)n);

    MemoryStream *whole = MemoryStream_new(copy, 0, n, false);
    Stream *pieces = piece_stream(copy, n, sizes, nsizes);
    if (!text_mode) {
        BinaryReader *a = BinaryReader_new(whole, enc, false);
        BinaryReader *b = BinaryReader_new(pieces, enc, false);
        for (int32_t i = 0; i < nops; i++) {
            /* Where .NET's own results depend on the reads: a string of at most 128 bytes that
             * one read brings whole is decoded on its own (blind to a part of a character the
             * decoder holds, flushed at its end); one that comes in several reads goes through
             * the decoder. The comparison ends before such a string, or after one that leaves
             * the decoders apart. */
            bool string = ops[i] % 10 == 6;
            if (string && (sp_binaryreader_holds_char_part(a) || sp_binaryreader_holds_char_part(b)))
                break;
            result x = binary_op(a, ops[i]), y = binary_op(b, ops[i]);
            if (string && sp_binaryreader_holds_char_part(a) != sp_binaryreader_holds_char_part(b)) {
                release(x);
                release(y);
                break;
            }
            same(x, y);
        }
        Dispose(a);
        Dispose(b);
    } else {
        /* No byte-order-mark detection here: .NET's own rule depends on read sizes (a first read
         * of exactly two bytes that are no mark leaves detection on, so a mark in the next read
         * still switches the encoding; StreamReader.DetectEncoding), and sharpipc follows it.
         * fuzz_streamreader covers detection. The encoding's own preamble is still checked. */
        StreamReader *a = StreamReader_new(whole, enc, false, 128 + ops[0], false);
        StreamReader *b = StreamReader_new(pieces, enc, false, 128 + ops[0], false);
        for (int32_t i = 0; i < nops; i++) {
            result x = {0}, y = {0};
            if (ops[i] % 3 == 0) {
                x.value = (uint32_t)StreamReader_Read(a);
                y.value = (uint32_t)StreamReader_Read(b);
            } else {
                x.text = StreamReader_ReadLineWithLength(a, &x.length);
                y.text = StreamReader_ReadLineWithLength(b, &y.length);
            }
            x.exception = y.exception = ExceptionType_None;
            x.library_text = y.library_text = true;
            same(x, y);
        }
        result x = {0}, y = {0};
        x.library_text = y.library_text = true;
        x.text = StreamReader_ReadToEndWithLength(a, &x.length);
        y.text = StreamReader_ReadToEndWithLength(b, &y.length);
        same(x, y);
        Dispose(a);
        Dispose(b);
    }
    Dispose(pieces);
    Dispose(whole);
    free(copy);
    return 0;
}
