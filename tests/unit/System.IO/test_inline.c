/*
 * sharpipc's own: the inline fast paths of the public headers (sharpipc/inline.h) behave as the
 * exported functions do. The same file is built twice (tests/unit/CMakeLists.txt): as is, where
 * the inline paths take every call they can, and with SHARPIPC_NO_INLINE, where every call is the
 * exported function; both builds must pass the same assertions.
 */
#include "sp_test.h"
#include "sp_process.h"

#include <sharpipc/System.Net.h>

#include <sharpipc/System.IO.MemoryMappedFiles.h>

#include "sp_chunk_stream.h"
#include "System.Text/text.h"

/* Something fails, so an exception is pending; the next call that succeeds must clear it. */
static void make_pending(void)
{
    assert_null(MemoryStream_newWithCapacity(-1));
    assert_non_null(Exception_get_Current());
}

/* sharpipc's own: a successful inline call clears the thread's pending exception */
static void inline_success_clears_pending_exception(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
    assert_true(BinaryWriter_WriteInt32(w, 7));
    make_pending();
    assert_true(BinaryWriter_WriteInt64(w, -8));
    assert_null(Exception_get_Current());
    make_pending();
    assert_true(BinaryWriter_Write(w, (double)1.5));
    assert_null(Exception_get_Current());
    make_pending();
    assert_true(Stream_WriteByte(ms, 9));
    assert_null(Exception_get_Current());
    make_pending();
    assert_true(Stream_Write(ms, "abc", 0, 3));
    assert_null(Exception_get_Current());

    assert_true(Stream_set_Position(ms, 0));
    BinaryReader *r = BinaryReader_new(ms, NULL, true);
    make_pending();
    assert_int_equal(BinaryReader_ReadInt32(r), 7);
    assert_null(Exception_get_Current());
    make_pending();
    assert_int_equal(BinaryReader_ReadInt64(r), -8);
    assert_null(Exception_get_Current());
    make_pending();
    assert_true(BinaryReader_ReadDouble(r) == 1.5);
    assert_null(Exception_get_Current());
    make_pending();
    assert_int_equal(Stream_ReadByte(ms), 9);
    assert_null(Exception_get_Current());
    uint8_t buf[8];
    make_pending();
    assert_int_equal(Stream_Read(ms, buf, 0, 8), 3);
    assert_null(Exception_get_Current());
    assert_memory_equal(buf, "abc", 3);
    make_pending();
    assert_int_equal(Stream_Read(ms, buf, 0, 8), 0); /* at the end: 0, no exception */
    assert_null(Exception_get_Current());
    Dispose(r);
    Dispose(w);
    Dispose(ms);
}

/* sharpipc's own: Stream.WriteByte and Write inline over bytes the stream holds keep its length,
 * at the end they grow it, and past the end the exported call zeroes the gap, as .NET's
 * MemoryStream does; each success clears the pending exception. */
static void inline_writes_over_held_bytes_at_the_end_and_past_it(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_newWithCapacity(16);
    assert_true(Stream_Write(ms, "abcd", 0, 4));
    assert_true(Stream_set_Position(ms, 1));
    make_pending();
    assert_true(Stream_WriteByte(ms, 'X')); /* over held bytes */
    assert_null(Exception_get_Current());
    assert_int_equal(Stream_get_Position(ms), 2);
    assert_int_equal(Stream_get_Length(ms), 4);
    make_pending();
    assert_true(Stream_Write(ms, "YZ", 0, 2)); /* over held bytes, up to the end */
    assert_null(Exception_get_Current());
    assert_int_equal(Stream_get_Length(ms), 4);
    make_pending();
    assert_true(Stream_WriteByte(ms, 'e')); /* at the end */
    assert_null(Exception_get_Current());
    assert_int_equal(Stream_get_Length(ms), 5);
    assert_true(Stream_set_Position(ms, 4));
    assert_true(Stream_Write(ms, "EF", 0, 2)); /* across the end */
    assert_int_equal(Stream_get_Length(ms), 6);
    assert_true(Stream_set_Position(ms, 8));
    assert_true(Stream_WriteByte(ms, 'h')); /* past the end: a zeroed gap */
    assert_true(Stream_set_Position(ms, 11));
    assert_true(Stream_Write(ms, "k", 0, 1));
    assert_int_equal(Stream_get_Length(ms), 12);
    assert_int_equal(Stream_get_Position(ms), 12);
    int32_t n = 0;
    uint8_t *a = MemoryStream_ToArray(ms, &n);
    assert_int_equal(n, 12);
    assert_memory_equal(a, "aXYZEF\0\0h\0\0k", 12);
    Array_Free(a);
    Dispose(ms);
}

/* sharpipc's own: the reader, the writer and the stream share one position */
static void inline_calls_move_the_streams_position(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
    assert_true(BinaryWriter_WriteInt16(w, 0x1234));
    assert_int_equal(Stream_get_Position(ms), 2);
    assert_true(BinaryWriter_WriteUInt32(w, 0xdeadbeefu));
    assert_int_equal(Stream_get_Position(ms), 6);
    assert_int_equal(Stream_get_Length(ms), 6);
    assert_true(Stream_WriteByte(ms, 0xff));
    assert_int_equal(Stream_get_Length(ms), 7);

    BinaryReader *r = BinaryReader_new(ms, NULL, true);
    assert_true(Stream_set_Position(ms, 2));
    assert_int_equal(BinaryReader_ReadUInt32(r), 0xdeadbeefu);
    assert_int_equal(Stream_get_Position(ms), 6);
    assert_int_equal(Stream_ReadByte(ms), 0xff);
    assert_int_equal(Stream_ReadByte(ms), -1);
    assert_null(Exception_get_Current());
    /* The little-endian bytes .NET writes. */
    int32_t n = 0;
    uint8_t *a = MemoryStream_ToArray(ms, &n);
    assert_int_equal(n, 7);
    const uint8_t want[] = {0x34, 0x12, 0xef, 0xbe, 0xad, 0xde, 0xff};
    assert_memory_equal(a, want, sizeof want);
    Array_Free(a);
    Dispose(r);
    Dispose(w);
    Dispose(ms);
}

/* sharpipc's own: a read past the end is EndOfStreamException and leaves the stream where .NET does */
static void inline_read_past_end_is_end_of_stream(void **state)
{
    (void)state;
    uint8_t three[3] = {1, 2, 3};
    MemoryStream *ms = MemoryStream_new(three, 3);
    BinaryReader *r = BinaryReader_new(ms);
    assert_int_equal(BinaryReader_ReadUInt16(r), 0x0201);
    assert_int_equal(BinaryReader_ReadInt32(r), 0);
    EXPECT_EXC(EndOfStreamException);
    assert_true(BinaryReader_ReadBoolean(r) == false);
    EXPECT_EXC(EndOfStreamException);
    Dispose(r);
    Dispose(ms);
}

/* sharpipc's own: writes that need growth or a zeroed gap take the exported path, with .NET's result */
static void inline_write_growth_and_gap(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new(); /* capacity 0: the first write grows */
    BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
    for (int i = 0; i < 1000; i++)
        assert_true(BinaryWriter_WriteInt32(w, i));
    assert_int_equal(Stream_get_Length(ms), 4000);
    assert_true(Stream_set_Position(ms, 4010)); /* past the end: the gap reads as zeros */
    assert_true(BinaryWriter_WriteByte(w, 0x5a));
    assert_int_equal(Stream_get_Length(ms), 4011);
    assert_true(Stream_set_Position(ms, 3996));
    BinaryReader *r = BinaryReader_new(ms, NULL, true);
    assert_int_equal(BinaryReader_ReadInt32(r), 999);
    for (int i = 0; i < 10; i++)
        assert_int_equal(BinaryReader_ReadByte(r), 0);
    assert_int_equal(BinaryReader_ReadByte(r), 0x5a);
    Dispose(r);
    Dispose(w);
    Dispose(ms);
}

/* sharpipc's own: a fixed, read-only buffer is NotSupportedException on write, inline or not */
static void inline_write_to_read_only_stream(void **state)
{
    (void)state;
    uint8_t bytes[16] = {0};
    MemoryStream *ms = MemoryStream_newFromBuffer(bytes, 0, 16, false, false);
    assert_false(Stream_WriteByte(ms, 1));
    EXPECT_EXC(NotSupportedException);
    assert_false(Stream_Write(ms, bytes, 0, 4));
    EXPECT_EXC(NotSupportedException);
    Dispose(ms);
    /* A writable fixed buffer cannot grow: "Memory stream is not expandable." */
    ms = MemoryStream_newFromBuffer(bytes, 0, 4, true, false);
    BinaryWriter *w = BinaryWriter_new(ms);
    assert_true(BinaryWriter_WriteInt32(w, 1));
    assert_false(BinaryWriter_WriteByte(w, 2));
    EXPECT_EXC(NotSupportedException);
    Dispose(w);
    Dispose(ms);
}

/* sharpipc's own: after Close of the adapter or of the stream, every call is ObjectDisposedException */
static void inline_calls_after_close(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
    BinaryReader *r = BinaryReader_new(ms, NULL, true);
    assert_true(BinaryWriter_WriteInt64(w, 1));
    assert_true(BinaryWriter_Close(w));
    assert_false(BinaryWriter_WriteInt64(w, 2));
    EXPECT_EXC(ObjectDisposedException);
    assert_true(Stream_set_Position(ms, 0));
    assert_true(BinaryReader_Close(r));
    assert_int_equal(BinaryReader_ReadInt64(r), 0);
    EXPECT_EXC(ObjectDisposedException);
    Dispose(r);
    Dispose(w);

    /* The stream closed beneath open adapters. */
    w = BinaryWriter_new(ms, NULL, true);
    r = BinaryReader_new(ms, NULL, true);
    assert_true(Stream_Close(ms));
    assert_false(BinaryWriter_WriteInt32(w, 3));
    EXPECT_EXC(ObjectDisposedException);
    assert_int_equal(BinaryReader_ReadInt32(r), 0);
    EXPECT_EXC(ObjectDisposedException);
    assert_int_equal(Stream_ReadByte(ms), -1);
    EXPECT_EXC(ObjectDisposedException);
    assert_false(Stream_WriteByte(ms, 1));
    EXPECT_EXC(ObjectDisposedException);
    uint8_t b[4];
    assert_int_equal(Stream_Read(ms, b, 0, 4), -1);
    EXPECT_EXC(ObjectDisposedException);
    /* As .NET: the bytes stay reachable through ToArray after Close. */
    int32_t n = 0;
    uint8_t *a = MemoryStream_ToArray(ms, &n);
    assert_int_equal(n, 8);
    Array_Free(a);

    /* A read straight after the stream's Close, with bytes left before it and no other call
     * between: the inline read's one length test refuses it (the closed stream's position). */
    MemoryStream *held = MemoryStream_newFromBuffer((uint8_t *)"\1\0\0\0\1\2\3\4", 0, 8, false, true);
    BinaryReader *early = BinaryReader_new(held, NULL, true);
    assert_true(Stream_Close(held));
    assert_int_equal(BinaryReader_ReadInt32(early), 0);
    EXPECT_EXC(ObjectDisposedException);
    assert_false(BinaryReader_ReadBoolean(early));
    EXPECT_EXC(ObjectDisposedException);
    assert_int_equal(BinaryReader_ReadByte(early), 0);
    EXPECT_EXC(ObjectDisposedException);
    n = 0;
    a = MemoryStream_ToArray(held, &n); /* the length stays */
    assert_int_equal(n, 8);
    Array_Free(a);
    Dispose(early);
    Dispose(held);
    Dispose(r);
    Dispose(w);
    Dispose(ms);
}

/* sharpipc's own: NULL and an object of another kind are .NET's exceptions, never a crash */
static void inline_calls_on_null_and_wrong_objects(void **state)
{
    (void)state;
    assert_int_equal(BinaryReader_ReadInt32(NULL), 0);
    EXPECT_EXC(ArgumentNullException);
    assert_false(BinaryWriter_WriteInt32(NULL, 1));
    EXPECT_EXC(ArgumentNullException);
    assert_int_equal(Stream_ReadByte((Stream *)NULL), -1);
    EXPECT_EXC(ArgumentNullException);

    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
    BinaryReader *r = BinaryReader_new(ms, NULL, true);
    /* A writer where a reader belongs, a reader where a stream belongs (casts a C program can make). */
    assert_int_equal(BinaryReader_ReadInt32((BinaryReader *)(void *)w), 0);
    assert_non_null(Exception_get_Current());
    assert_int_equal(Stream_ReadByte((Stream *)(void *)r), -1);
    assert_non_null(Exception_get_Current());
    assert_false(BinaryWriter_WriteInt32((BinaryWriter *)(void *)r, 1));
    assert_non_null(Exception_get_Current());
    /* Objects of other kinds whose bytes the caller chooses: an IPAddress whose first four bytes
     * spell half of a reader's or a writer's tag, where the tag's high half sits. */
    static const char *const spelled[] = {"68.82.66.68", "84.87.66.68", "4452:4244:1111:2222::", "5457:4244:1111::"};
    for (size_t i = 0; i < sizeof spelled / sizeof spelled[0]; i++) {
        IPAddress *a = IPAddress_Parse(spelled[i]);
        assert_non_null(a);
        assert_int_equal(BinaryReader_ReadInt32((BinaryReader *)(void *)a), 0);
        assert_non_null(Exception_get_Current());
        assert_false(BinaryWriter_WriteInt32((BinaryWriter *)(void *)a, 1));
        assert_non_null(Exception_get_Current());
        int32_t n = -7;
        assert_null(BinaryReader_ReadBytes((BinaryReader *)(void *)a, 4, &n));
        assert_non_null(Exception_get_Current());
        assert_false(BinaryWriter_WriteString((BinaryWriter *)(void *)a, "abc"));
        assert_non_null(Exception_get_Current());
        Dispose(a);
    }
    /* Buffer arguments as Stream_Read checks them. */
    assert_true(Stream_Write(ms, "xy", 0, 2));
    assert_true(Stream_set_Position(ms, 0));
    assert_int_equal(Stream_Read(ms, NULL, 0, 1), -1);
    EXPECT_EXC(ArgumentNullException);
    uint8_t b[2];
    assert_int_equal(Stream_Read(ms, b, -1, 1), -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    assert_int_equal(Stream_Read(ms, b, 0, -1), -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    assert_false(Stream_Write(ms, NULL, 0, 1));
    EXPECT_EXC(ArgumentNullException);
    Dispose(r);
    Dispose(w);
    Dispose(ms);
}

/* sharpipc's own: an adapter over another stream (not a MemoryStream) never takes the inline path */
static void inline_paths_over_a_view_stream(void **state)
{
    (void)state;
    MemoryMappedFile *mmf = MemoryMappedFile_CreateNew(NULL, 64);
    assert_non_null(mmf);
    MemoryMappedViewStream *vs = MemoryMappedFile_CreateViewStream(mmf);
    BinaryWriter *w = BinaryWriter_new(vs, NULL, true);
    assert_true(BinaryWriter_WriteInt32(w, 42));
    assert_true(Stream_WriteByte(vs, 7));
    assert_int_equal(Stream_get_Position(vs), 5);
    assert_true(Stream_set_Position(vs, 0));
    BinaryReader *r = BinaryReader_new(vs, NULL, true);
    assert_int_equal(BinaryReader_ReadInt32(r), 42);
    assert_int_equal(Stream_ReadByte(vs), 7);
    Dispose(r);
    Dispose(w);
    Dispose(vs);
    Dispose(mmf);
}

/* sharpipc's own: 7-bit integers, Decimal and byte blocks written and read inline are .NET's bytes */
static void inline_7bit_decimal_and_bytes(void **state)
{
    (void)state;
    static const struct {
        int64_t value;
        uint8_t bytes[10];
        int n;
    } cases[] = {
        {0, {0x00}, 1},
        {0x7f, {0x7f}, 1},
        {0x80, {0x80, 0x01}, 2},
        {0x3fff, {0xff, 0x7f}, 2},
        {-1, {0xff, 0xff, 0xff, 0xff, 0x0f}, 5}, /* as Int32 */
        {INT32_MIN, {0x80, 0x80, 0x80, 0x80, 0x08}, 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        MemoryStream *ms = MemoryStream_new();
        BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
        assert_true(BinaryWriter_Write7BitEncodedInt(w, (int32_t)cases[i].value));
        int32_t n = 0;
        uint8_t *a = MemoryStream_ToArray(ms, &n);
        assert_int_equal(n, cases[i].n);
        assert_memory_equal(a, cases[i].bytes, (size_t)n);
        Array_Free(a);
        assert_true(Stream_set_Position(ms, 0));
        BinaryReader *r = BinaryReader_new(ms, NULL, true);
        assert_int_equal(BinaryReader_Read7BitEncodedInt(r), (int32_t)cases[i].value);
        assert_int_equal(Stream_get_Position(ms), cases[i].n);
        Dispose(r);
        Dispose(w);
        Dispose(ms);
    }
    /* Int64: -1 is ten bytes; a sixth byte past 32 bits is FormatException for Int32. */
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
    assert_true(BinaryWriter_Write7BitEncodedInt64(w, -1));
    assert_int_equal(Stream_get_Length(ms), 10);
    assert_true(Stream_set_Position(ms, 0));
    BinaryReader *r = BinaryReader_new(ms, NULL, true);
    assert_int_equal(BinaryReader_Read7BitEncodedInt64(r), -1);
    assert_true(Stream_set_Position(ms, 0));
    BinaryReader_Read7BitEncodedInt(r);
    EXPECT_EXC(FormatException);
    /* Truncated: EndOfStreamException, from where the encoding starts. */
    uint8_t cut[2] = {0x80, 0x80};
    MemoryStream *ms2 = MemoryStream_new(cut, 2);
    BinaryReader *r2 = BinaryReader_new(ms2);
    BinaryReader_Read7BitEncodedInt(r2);
    EXPECT_EXC(EndOfStreamException);
    Dispose(r2);
    Dispose(ms2);

    /* Decimal 1.5 (15, scale 1) and -0.001; bits that are no decimal are ArgumentException. */
    assert_true(Stream_SetLength(ms, 0));
    Decimal d = Decimal_new(15, 0, 0, false, 1), e = Decimal_new(1, 0, 0, true, 3);
    assert_true(BinaryWriter_Write(w, d));
    assert_true(BinaryWriter_WriteDecimal(w, e));
    Decimal bad = {1, 0, 0, 0x00000001u};
    assert_false(BinaryWriter_WriteDecimal(w, bad));
    EXPECT_EXC(ArgumentException);
    assert_int_equal(Stream_get_Length(ms), 32);
    int32_t n = 0;
    uint8_t *a = MemoryStream_ToArray(ms, &n);
    const uint8_t want[16] = {15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
    assert_memory_equal(a, want, 16);
    assert_int_equal(a[31], 0x80);
    assert_int_equal(a[30], 3);
    Array_Free(a);
    assert_true(Stream_set_Position(ms, 0));
    Decimal back = BinaryReader_ReadDecimal(r);
    assert_true(back.lo == 15 && back.flags == d.flags);
    /* ReadDecimal of bits that are no decimal (a scale of 29) is the exported call's IOException;
     * of too few bytes, its EndOfStreamException. */
    assert_true(Stream_SetLength(ms, 0));
    const uint8_t scale29[16] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 29, 0};
    assert_true(BinaryWriter_WriteBytes(w, scale29, 0, 16));
    assert_true(Stream_set_Position(ms, 0));
    back = BinaryReader_ReadDecimal(r);
    EXPECT_EXC(IOException);
    assert_true(back.lo == 0 && back.flags == 0);
    assert_true(Stream_set_Position(ms, 1));
    BinaryReader_ReadDecimal(r);
    EXPECT_EXC(EndOfStreamException);

    /* Write(Char): an ASCII char is its byte; others, and a surrogate's ArgumentException, are the
     * exported call's. */
    assert_true(Stream_SetLength(ms, 0));
    assert_true(BinaryWriter_WriteChar(w, 'A'));
    assert_true(BinaryWriter_WriteChar(w, 0x00E9));
    assert_false(BinaryWriter_WriteChar(w, 0xD800));
    EXPECT_EXC(ArgumentException);
    assert_true(BinaryWriter_WriteChar(w, 0x7F));
    a = MemoryStream_ToArray(ms, &n);
    ASSERT_BYTES(a, n, "A\xc3\xa9\x7f", 4);
    Array_Free(a);
    MemoryStream *ms16 = MemoryStream_new();
    BinaryWriter *w16 = BinaryWriter_new(ms16, Encoding_Unicode);
    assert_true(BinaryWriter_WriteChar(w16, 'A')); /* UTF-16: two bytes, even for ASCII */
    ASSERT_I64(Stream_get_Length(ms16), 2);
    Dispose(w16);
    Dispose(ms16);

    /* Write(byte[], index, count) */
    assert_true(Stream_SetLength(ms, 0));
    uint8_t block[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    assert_true(BinaryWriter_Write(w, block, 2, 4));
    assert_true(BinaryWriter_WriteBytes(w, block, 0, 0));
    assert_false(BinaryWriter_WriteBytes(w, NULL, 0, 1));
    EXPECT_EXC(ArgumentNullException);
    assert_false(BinaryWriter_WriteBytes(w, block, -1, 1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    a = MemoryStream_ToArray(ms, &n);
    assert_int_equal(n, 4);
    assert_memory_equal(a, block + 2, 4);
    Array_Free(a);
    Dispose(r);
    Dispose(w);
    Dispose(ms);
}

/* sharpipc's own: StreamWriter.Write(char) and StreamReader.Read() inline, against the exported path */
static void inline_text_char_calls(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    StreamWriter *w = StreamWriter_new(ms, NULL, 4, true); /* a 4-char buffer: flushes come early */
    const char *text = "ab\xea\xb0\x80"
                       "c"; /* a, b, U+AC00, c */
    make_pending();
    assert_true(StreamWriter_WriteChar(w, 'a'));
    assert_null(Exception_get_Current());
    assert_true(StreamWriter_WriteChar(w, 'b'));
    assert_true(StreamWriter_WriteChar(w, 0xAC00));
    assert_true(StreamWriter_WriteChar(w, 'c'));
    assert_true(StreamWriter_WriteChar(w, 0xD83D)); /* U+1F600 in two halves */
    assert_true(StreamWriter_WriteChar(w, 0xDE00));
    for (int i = 0; i < 100; i++)
        assert_true(StreamWriter_WriteChar(w, (uint16_t)('0' + i % 10)));
    assert_true(StreamWriter_Flush(w));
    assert_int_equal(Stream_get_Length(ms), 5 + 1 + 4 + 100);
    int32_t n = 0;
    uint8_t *a = MemoryStream_ToArray(ms, &n);
    assert_memory_equal(a, text, 6);
    assert_memory_equal(a + 6, "\xf0\x9f\x98\x80", 4);
    assert_int_equal(a[10], '0');
    assert_int_equal(a[109], '9');
    Array_Free(a);
    assert_true(StreamWriter_Close(w));
    assert_false(StreamWriter_WriteChar(w, 'x'));
    EXPECT_EXC(ObjectDisposedException);
    Dispose(w);

    assert_true(Stream_set_Position(ms, 0));
    StreamReader *r = StreamReader_new(ms, NULL, false, 16, true);
    make_pending();
    assert_int_equal(StreamReader_Read(r), 'a');
    assert_null(Exception_get_Current());
    assert_int_equal(StreamReader_Read(r), 'b');
    assert_int_equal(StreamReader_Peek(r), 0xAC00);
    assert_int_equal(StreamReader_Read(r), 0xAC00);
    assert_int_equal(StreamReader_Read(r), 'c');
    assert_int_equal(StreamReader_Read(r), 0xD83D);
    assert_int_equal(StreamReader_Read(r), 0xDE00);
    int32_t sum = 0;
    for (int i = 0; i < 100; i++)
        sum += StreamReader_Read(r) - '0';
    assert_int_equal(sum, 450);
    assert_int_equal(StreamReader_Read(r), -1);
    assert_null(Exception_get_Current());
    assert_true(StreamReader_Close(r));
    assert_int_equal(StreamReader_Read(r), -1);
    EXPECT_EXC(ObjectDisposedException);
    Dispose(r);

    /* AutoFlush: every char reaches the stream at once. */
    MemoryStream *ms2 = MemoryStream_new();
    w = StreamWriter_new(ms2);
    assert_true(StreamWriter_set_AutoFlush(w, true));
    assert_true(StreamWriter_WriteChar(w, 'z'));
    assert_int_equal(Stream_get_Length(ms2), 1);
    Dispose(w);
    Dispose(ms2);
    Dispose(ms);
}

/* sharpipc's own: StreamWriter.Write(string) / WriteLine(string), inline for short ASCII text,
 * write what the exported calls write, and fail where they fail */
static void inline_text_string_calls(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    StreamWriter *w = StreamWriter_new(ms, NULL, 128, true); /* flushes every 384 bytes */
    const char *line29 = "The quick brown fox jumps ove";
    const char *long33 = "The quick brown fox jumps over th";
    assert_true(StreamWriter_set_NewLine(w, "\n")); /* Environment.NewLine is "\r\n" on Windows */
    make_pending();
    assert_true(StreamWriter_WriteString(w, "Hello"));
    assert_null(Exception_get_Current());
    make_pending();
    assert_true(StreamWriter_WriteLineString(w, "abc"));
    assert_null(Exception_get_Current());
    assert_true(StreamWriter_WriteString(w, ""));
    assert_true(StreamWriter_WriteString(w, long33));         /* past the inline length */
    assert_true(StreamWriter_WriteString(w, "\xea\xb0\x80")); /* not ASCII */
    assert_true(StreamWriter_WriteLineString(w, NULL));       /* the newline alone */
    for (int i = 0; i < 40; i++)                              /* across several flush points */
        assert_true(StreamWriter_WriteLineString(w, line29));
    assert_true(StreamWriter_set_NewLine(w, "\r\n"));
    assert_true(StreamWriter_WriteLineString(w, "x"));
    assert_true(StreamWriter_set_NewLine(w, "\xc2\xa7")); /* a newline that is not ASCII */
    assert_true(StreamWriter_WriteLineString(w, "y"));
    assert_true(StreamWriter_Flush(w));
    int32_t n = 0;
    uint8_t *a = MemoryStream_ToArray(ms, &n);
    assert_int_equal(n, 5 + 4 + 33 + 3 + 1 + 40 * 30 + 3 + 3);
    assert_memory_equal(a, "Helloabc\nThe quick brown fox jumps over th\xea\xb0\x80\n", 46);
    assert_memory_equal(a + 46, "The quick brown fox jumps ove\n", 30);
    assert_memory_equal(a + 46 + 39 * 30, "The quick brown fox jumps ove\nx\r\ny\xc2\xa7", 36);
    Array_Free(a);
    assert_true(StreamWriter_Close(w));
    assert_false(StreamWriter_WriteString(w, "abc"));
    EXPECT_EXC(ObjectDisposedException);
    assert_false(StreamWriter_WriteLineString(w, "abc"));
    EXPECT_EXC(ObjectDisposedException);
    Dispose(w);

    /* The stream closed beneath an open writer: as .NET's, the writes go into the writer's buffer
     * (ThrowIfDisposed asks only about the writer), through either path, and the Flush that takes
     * them to the stream fails with the stream's exception, the buffer emptied first (_charPos = 0
     * before _stream.Write); Dispose then has nothing left to write. */
    w = StreamWriter_new(ms, NULL, -1, true);
    assert_true(Stream_Close(ms));
    make_pending();
    assert_true(StreamWriter_WriteString(w, "abc"));
    EXPECT_NO_EXC();
    assert_true(StreamWriter_WriteLineString(w, "abc"));
    assert_true(StreamWriter_WriteChar(w, 'x'));
    assert_true(StreamWriter_WriteString(w, "a longer text than the inline path copies by itself"));
    assert_true(StreamWriter_WriteLine(w, (int32_t)42));
    EXPECT_NO_EXC();
    assert_false(StreamWriter_Flush(w));
    EXPECT_EXC_MSG(ObjectDisposedException, "Cannot access a closed Stream.");
    assert_true(StreamWriter_Flush(w)); /* nothing left: the closed MemoryStream's Flush does nothing */
    assert_true(StreamWriter_WriteString(w, "abc"));
    assert_false(Dispose(w)); /* leaveOpen: the Dispose's flush fails (disposed all the same) */
    EXPECT_EXC(ObjectDisposedException);
    Dispose(ms);

    /* AutoFlush: each call reaches the stream at once. */
    ms = MemoryStream_new();
    w = StreamWriter_new(ms);
    assert_true(StreamWriter_set_NewLine(w, "\n"));
    assert_true(StreamWriter_set_AutoFlush(w, true));
    assert_true(StreamWriter_WriteString(w, "abc"));
    assert_int_equal(Stream_get_Length(ms), 3);
    assert_true(StreamWriter_WriteLineString(w, "de"));
    assert_int_equal(Stream_get_Length(ms), 6);
    Dispose(w);
    Dispose(ms);

    /* Not a StreamWriter: the exported call says so. */
    assert_false(StreamWriter_WriteString(NULL, "abc"));
    EXPECT_EXC(ArgumentNullException);
    MemoryStream *other = MemoryStream_new();
    assert_false(StreamWriter_WriteLineString((StreamWriter *)(void *)other, "abc"));
    assert_non_null(Exception_get_Current());
    Dispose(other);
}

/* sharpipc's own: BinaryWriter.Write(string) (short ASCII text inline with a UTF-8 writer) writes
 * the bytes .NET's BinaryWriter writes, through either path, and fails as .NET does */
static void inline_binarywriter_write_string(void **state)
{
    (void)state;
    static const char long33[] = "abcdefghijklmnopqrstuvwxyz0123456"; /* past the inline length */
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
    make_pending();
    assert_true(BinaryWriter_WriteString(w, ""));
    assert_null(Exception_get_Current());
    assert_true(BinaryWriter_WriteString(w, "Hello, shared memory!"));
    assert_true(BinaryWriter_WriteString(w, "0123456789abcdef0123456789abcdef")); /* 32 */
    assert_true(BinaryWriter_WriteString(w, long33));
    assert_true(BinaryWriter_WriteString(w, "a\xea\xb0\x80")); /* not ASCII */
    assert_true(BinaryWriter_Write(w, "xyz"));                 /* the overload */
    static const uint8_t want[] = "\x00"
                                  "\x15Hello, shared memory!"
                                  "\x20"
                                  "0123456789abcdef0123456789abcdef"
                                  "\x21"
                                  "abcdefghijklmnopqrstuvwxyz0123456"
                                  "\x04"
                                  "a\xea\xb0\x80"
                                  "\x03xyz";
    int32_t n = 0;
    uint8_t *bytes = MemoryStream_ToArray(ms, &n);
    assert_int_equal(n, sizeof want - 1);
    assert_memory_equal(bytes, want, sizeof want - 1);
    Array_Free(bytes);
    assert_false(BinaryWriter_WriteString(w, NULL));
    EXPECT_EXC(ArgumentNullException);
    assert_true(BinaryWriter_Close(w));
    assert_false(BinaryWriter_WriteString(w, "abc"));
    EXPECT_EXC(ObjectDisposedException);
    assert_int_equal(Stream_get_Length(ms), sizeof want - 1);
    Dispose(w);

    /* A UTF-16 writer: ASCII text is two bytes a char, the exported call's */
    assert_true(Stream_SetLength(ms, 0));
    w = BinaryWriter_new(ms, Encoding_get_Unicode(), true);
    assert_true(BinaryWriter_WriteString(w, "ab"));
    bytes = MemoryStream_ToArray(ms, &n);
    assert_int_equal(n, 5);
    assert_memory_equal(bytes,
                        "\x04"
                        "a\0b\0",
                        5);
    Array_Free(bytes);
    Dispose(w);

    /* A full fixed-size stream: NotSupportedException, nothing written */
    uint8_t small[4] = {0};
    MemoryStream *fixed = MemoryStream_newFromBuffer(small, 0, 4, true, false);
    w = BinaryWriter_new(fixed, NULL, true);
    assert_false(BinaryWriter_WriteString(w, "abcd"));
    EXPECT_EXC(NotSupportedException);
    assert_int_equal(Stream_get_Position(fixed), 0);
    Dispose(w);
    Dispose(fixed);
    Dispose(ms);
}

/* sharpipc's own: BinaryReader.ReadString ("" inline, short strings in place) and ReadBytes over a
 * MemoryStream read what was written and fail as .NET does */
static void inline_read_string_and_bytes(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
    char big[201];
    memset(big, 'q', 200);
    big[200] = 0;
    assert_true(BinaryWriter_WriteString(w, ""));
    assert_true(BinaryWriter_WriteString(w, "abc"));
    assert_true(BinaryWriter_WriteString(w, big)); /* a two-byte length */
    assert_true(BinaryWriter_WriteString(w, "\xec\x95\x88"));
    assert_true(BinaryWriter_WriteBytes(w, "0123456789abcdef", 0, 16));
    assert_true(BinaryWriter_WriteInt32(w, 5)); /* a string of 5 bytes, 2 there */
    assert_true(Stream_set_Position(ms, Stream_get_Length(ms) - 4));
    assert_true(BinaryWriter_WriteByte(w, 5));
    assert_true(BinaryWriter_WriteByte(w, 'x'));
    assert_true(BinaryWriter_WriteByte(w, 'y'));
    assert_true(Stream_SetLength(ms, Stream_get_Position(ms)));
    assert_true(Stream_set_Position(ms, 0));
    BinaryReader *r = BinaryReader_new(ms, NULL, true);
    make_pending();
    char *s = BinaryReader_ReadString(r);
    assert_string_equal(s, "");
    assert_null(Exception_get_Current());
    String_Free(s);
    make_pending();
    s = BinaryReader_ReadString(r);
    assert_string_equal(s, "abc");
    assert_null(Exception_get_Current());
    String_Free(s);
    s = BinaryReader_ReadString(r);
    assert_string_equal(s, big);
    String_Free(s);
    s = BinaryReader_ReadString(r);
    assert_string_equal(s, "\xec\x95\x88");
    String_Free(s);
    make_pending();
    int32_t n = -1;
    uint8_t *b = BinaryReader_ReadBytes(r, 16, &n);
    assert_null(Exception_get_Current());
    assert_int_equal(n, 16);
    assert_int_equal(Array_get_Length(b), 16);
    assert_memory_equal(b, "0123456789abcdef", 16);
    Array_Free(b);
    int64_t at = Stream_get_Position(ms);
    assert_null(BinaryReader_ReadString(r)); /* 5 bytes declared, 2 there */
    EXPECT_EXC(EndOfStreamException);
    assert_true(Stream_set_Position(ms, at + 1));
    b = BinaryReader_ReadBytes(r, 10, &n); /* fewer there than asked: what there is */
    assert_int_equal(n, 2);
    assert_int_equal(Array_get_Length(b), 2);
    assert_memory_equal(b, "xy", 2);
    Array_Free(b);
    assert_null(BinaryReader_ReadString(r)); /* at the end */
    EXPECT_EXC(EndOfStreamException);
    assert_null(BinaryReader_ReadBytes(r, -1, &n));
    EXPECT_EXC(ArgumentOutOfRangeException);
    b = BinaryReader_ReadBytes(r, 0, &n);
    assert_non_null(b);
    assert_int_equal(Array_get_Length(b), 0);
    Array_Free(b);
    assert_true(BinaryReader_Close(r));
    assert_true(Stream_set_Position(ms, 0));
    assert_null(BinaryReader_ReadString(r));
    EXPECT_EXC(ObjectDisposedException);
    assert_null(BinaryReader_ReadBytes(r, 1, &n));
    EXPECT_EXC(ObjectDisposedException);
    Dispose(r);

    /* The stream closed beneath an open reader. */
    r = BinaryReader_new(ms, NULL, true);
    assert_true(Stream_Close(ms));
    assert_null(BinaryReader_ReadString(r));
    EXPECT_EXC(ObjectDisposedException);
    assert_null(BinaryReader_ReadBytes(r, 1, &n));
    EXPECT_EXC(ObjectDisposedException);
    Dispose(r);
    Dispose(w);
    Dispose(ms);
}

/* n letters, or with bad >= 0 a non-ASCII byte at bad: the first byte of "é" with its second after
 * it, or cut off (0xC3 alone) at the end. */
static void short_text(char *text, int n, int bad)
{
    for (int i = 0; i < n; i++)
        text[i] = (char)('A' + (i + n) % 26);
    text[n] = 0;
    if (bad >= 0)
        text[bad] = (char)0xC3, text[bad + 1 < n ? bad + 1 : bad] = (char)(bad + 1 < n ? 0xA9 : 0xC3);
}

/* sharpipc's own: Write(string) of every length from 0 to 40, ASCII and with one byte >= 0x80 at
 * each place (the inline word checks and their overlaps), written again over bytes the stream
 * holds; ReadBytes of 0..49 bytes and Array_Free, many times (the arrays then come from the
 * thread's small-block cache inline), against what the exported calls give. */
static void inline_string_lengths_and_cached_arrays(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
    BinaryReader *r = BinaryReader_new(ms, NULL, true);
    char text[48];
    for (int pass = 0; pass < 2; pass++) { /* the second over the first's bytes */
        assert_true(Stream_set_Position(ms, 0));
        for (int n = 0; n <= 40; n++) {
            for (int bad = -1; bad < n; bad++) {
                short_text(text, n, bad);
                assert_true(BinaryWriter_WriteString(w, text));
            }
        }
        assert_true(Stream_set_Position(ms, 0));
        for (int n = 0; n <= 40; n++) {
            for (int bad = -1; bad < n; bad++) {
                short_text(text, n, bad);
                char *got = BinaryReader_ReadString(r);
                if (bad >= 0 && bad + 1 >= n) /* a cut-off sequence: U+FFFD, as .NET's encoder writes it */
                    text[bad] = 0, strcat(text, "\xef\xbf\xbd");
                assert_non_null(got);
                assert_string_equal(got, text);
                String_Free(got);
            }
        }
    }
    Dispose(r);
    Dispose(w);
    Dispose(ms);

    uint8_t data[64];
    for (int i = 0; i < 64; i++)
        data[i] = (uint8_t)(i * 7 + 1);
    ms = MemoryStream_newFromBuffer(data, 0, 64, false, true);
    r = BinaryReader_new(ms, NULL, true);
    for (int round = 0; round < 40; round++) {
        for (int32_t count = 0; count <= 49; count++) {
            assert_true(Stream_set_Position(ms, round % 8));
            if (round % 5 == 0)
                make_pending();
            int32_t n = -1;
            uint8_t *b = BinaryReader_ReadBytes(r, count, &n);
            assert_non_null(b);
            assert_null(Exception_get_Current());
            int32_t want = count < 64 - round % 8 ? count : 64 - round % 8;
            assert_int_equal(n, want);
            assert_int_equal(Array_get_Length(b), want);
            assert_int_equal(Array_get_ElementType(b), VariantType_Byte);
            assert_memory_equal(b, data + round % 8, (size_t)want);
            assert_int_equal(Stream_get_Position(ms), round % 8 + want);
            Array_Free(b);
        }
    }
    /* arrays the inline Array_Free leaves to the exported one */
    char **strings = Array_CreateInstance(VariantType_String, 2);
    strings[0] = String_Copy("a");
    Array_Free(strings);
    int64_t *longs = Array_CreateInstance(VariantType_Int64, 3);
    Array_Free(longs);
    uint8_t *big = Array_CreateInstance(VariantType_Byte, 4096);
    Array_Free(big);
    Array_Free(NULL);
    Dispose(r);
    Dispose(ms);
}

/* String_Free of strings in small blocks (ReadLine's of up to 510 bytes, at odd addresses) and in
 * malloc's (longer ones): every length up to 520 with 40 strings alive at once, so that each
 * class's list fills past its keep and the rest go to the exported call; strings freed on another
 * thread; a freed block is the next string of its class. The same tests run with the exported
 * calls only (test_inline_exported), and under ASan and memcheck, which see a double or a wrong
 * free. */
typedef struct sp_freeing_ {
    char **strings;
    int count;
} sp_freeing_;
static void free_strings_thread(void *p)
{
    sp_freeing_ *f = p;
    for (int i = 0; i < f->count; i++)
        String_Free(f->strings[i]);
}
static void inline_string_free_small_blocks(void **state)
{
    (void)state;
    enum { LONGEST = 520, ALIVE = 40 };
    MemoryStream *ms = MemoryStream_new();
    StreamWriter *w = StreamWriter_new(ms, NULL, 1024, true);
    char line[LONGEST + 1];
    for (int n = 0; n <= LONGEST; n++) {
        memset(line, 'a' + n % 26, (size_t)n);
        line[n] = 0;
        assert_true(StreamWriter_WriteLineString(w, line));
    }
    assert_true(StreamWriter_Flush(w));
    Dispose(w);
    assert_true(Stream_set_Position(ms, 0));
    StreamReader *r = StreamReader_new(ms, NULL, false, 256, true);
    char *alive[ALIVE] = {0};
    for (int n = 0; n <= LONGEST; n++) {
        char *got = StreamReader_ReadLine(r);
        assert_non_null(got);
        assert_int_equal((int)strlen(got), n);
        for (int i = 0; i < n; i++)
            if (got[i] != 'a' + n % 26)
                fail_msg("line %d, byte %d", n, i);
        String_Free(alive[n % ALIVE]); /* NULL the first time round */
        alive[n % ALIVE] = got;
    }
    for (int i = 0; i < ALIVE; i++)
        String_Free(alive[i]);
    assert_null(StreamReader_ReadLine(r));

    /* made here, freed there: they join that thread's lists and go with it */
    assert_true(Stream_set_Position(ms, 0));
    StreamReader_DiscardBufferedData(r);
    sp_freeing_ f = {alive, ALIVE};
    for (int i = 0; i < ALIVE; i++)
        assert_non_null(alive[i] = StreamReader_ReadLine(r));
    sp_thread_join(sp_thread_start(free_strings_thread, &f));

    /* a block freed is the next string of its class (the lists are LIFO) */
    assert_true(Stream_set_Position(ms, 0));
    StreamReader_DiscardBufferedData(r);
    for (int i = 0; i < 30; i++)
        String_Free(StreamReader_ReadLine(r)); /* lines 0..29 */
    char *a = StreamReader_ReadLine(r);        /* 30 bytes + class byte + NUL: the 32-byte class */
    char *b = StreamReader_ReadLine(r);        /* 31: the 64-byte class */
    assert_true(((uintptr_t)a & 1) && ((uintptr_t)b & 1));
    String_Free(a);
    String_Free(b);
    char *c = StreamReader_ReadLine(r); /* 32: the 64-byte class again */
    assert_ptr_equal(c, b);
    String_Free(c);
    Dispose(r);
    Dispose(ms);
}

/* sharpipc's own: a MemoryStream's byte calls with an exception pending, at the end, read-only and
 * after Close (the stream's tag carries its state: each edge must go where the exported call goes) */
static void inline_memorystream_byte_call_edges(void **state)
{
    (void)state;
    uint8_t two[2] = {0x80, 0xff};
    MemoryStream *ro = MemoryStream_newFromBuffer(two, 0, 2, false, true);
    make_pending();
    assert_int_equal(Stream_ReadByte(ro), 0x80); /* a read-only stream reads inline */
    assert_null(Exception_get_Current());
    make_pending();
    assert_false(Stream_WriteByte(ro, 1)); /* and never writes: NotSupportedException, not a stale one */
    EXPECT_EXC(NotSupportedException);
    assert_int_equal(Stream_ReadByte(ro), 0xff);
    make_pending();
    assert_int_equal(Stream_ReadByte(ro), -1); /* the end: -1 and no exception */
    assert_null(Exception_get_Current());
    uint8_t b[4];
    make_pending();
    assert_int_equal(Stream_Read(ro, b, 0, 4), 0);
    assert_null(Exception_get_Current());
    assert_true(Stream_Close(ro));
    assert_int_equal(Stream_ReadByte(ro), -1);
    EXPECT_EXC(ObjectDisposedException);
    assert_int_equal(Stream_Read(ro, b, 0, 1), -1);
    EXPECT_EXC(ObjectDisposedException);
    Dispose(ro);

    MemoryStream *ms = MemoryStream_newWithCapacity(2); /* room for two bytes, then growth */
    make_pending();
    assert_true(Stream_WriteByte(ms, 1));
    assert_null(Exception_get_Current());
    assert_true(Stream_WriteByte(ms, 2));
    make_pending();
    assert_true(Stream_WriteByte(ms, 3)); /* grows: the exported call */
    assert_null(Exception_get_Current());
    assert_int_equal(Stream_get_Length(ms), 3);
    assert_true(Stream_set_Position(ms, 0));
    assert_int_equal(Stream_ReadByte(ms), 1);
    /* A writable stream that was closed neither reads nor writes inline. */
    BinaryReader *r = BinaryReader_new(ms, NULL, true);
    assert_true(Stream_Close(ms));
    assert_false(Stream_WriteByte(ms, 4));
    EXPECT_EXC(ObjectDisposedException);
    assert_int_equal(Stream_ReadByte(ms), -1);
    EXPECT_EXC(ObjectDisposedException);
    assert_int_equal(BinaryReader_ReadByte(r), 0);
    EXPECT_EXC(ObjectDisposedException);
    /* An adapter made over a closed stream is refused, as .NET's constructor refuses it. */
    assert_null(BinaryReader_new(ms));
    EXPECT_EXC(ArgumentException);
    Dispose(r);
    Dispose(ms);

    /* Write7BitEncodedInt(64) inline wants room for the longest encoding (5 or 10 bytes): nearer
     * the end of a fixed buffer the exported call writes what fits, or fails as .NET does. */
    uint8_t three[3] = {0};
    MemoryStream *fx = MemoryStream_newFromBuffer(three, 0, 3, true, false);
    BinaryWriter *bw = BinaryWriter_new(fx);
    assert_true(Stream_set_Position(fx, 1));
    make_pending();
    assert_true(BinaryWriter_Write7BitEncodedInt(bw, 300)); /* 0xAC 0x02 */
    assert_null(Exception_get_Current());
    assert_int_equal(Stream_get_Position(fx), 3);
    assert_int_equal(three[1], 0xAC);
    assert_int_equal(three[2], 0x02);
    assert_true(Stream_set_Position(fx, 1));
    assert_true(BinaryWriter_Write7BitEncodedInt64(bw, 1));
    assert_int_equal(three[1], 1);
    assert_true(Stream_set_Position(fx, 2));
    assert_false(BinaryWriter_Write7BitEncodedInt(bw, 300));
    EXPECT_EXC(NotSupportedException);
    Dispose(bw);
    Dispose(fx);

    /* StreamReader.Read: a pending exception and the end of the text. */
    uint8_t text[1] = {'q'};
    MemoryStream *ts = MemoryStream_newFromBuffer(text, 0, 1, false, true);
    StreamReader *sr = StreamReader_new(ts);
    assert_int_equal(StreamReader_Peek(sr), 'q'); /* the text is in the reader now */
    make_pending();
    assert_int_equal(StreamReader_Read(sr), 'q');
    assert_null(Exception_get_Current());
    make_pending();
    assert_int_equal(StreamReader_Read(sr), -1);
    assert_null(Exception_get_Current());
    Dispose(sr);
    Dispose(ts);
}

/* sharpipc's own: the view accessor's element calls (inline where they can be) with an exception
 * pending, per access, out of range, after Dispose and after its view handle is closed */
static void inline_accessor_element_call_edges(void **state)
{
    (void)state;
    MemoryMappedFile *mmf = MemoryMappedFile_CreateNew(NULL, 4096);
    assert_non_null(mmf);
    MemoryMappedViewAccessor *rw = MemoryMappedFile_CreateViewAccessor(mmf);
    MemoryMappedViewAccessor *ro = MemoryMappedFile_CreateViewAccessor(mmf, 0, 0, MemoryMappedFileAccess_Read);
    MemoryMappedViewAccessor *wo = MemoryMappedFile_CreateViewAccessor(mmf, 0, 0, MemoryMappedFileAccess_Write);
    assert_non_null(rw);
    assert_non_null(ro);
    assert_non_null(wo);
    int64_t cap = MemoryMappedViewAccessor_get_Capacity(rw);
    make_pending();
    assert_true(MemoryMappedViewAccessor_WriteInt32(rw, 8, 0x01020304));
    assert_null(Exception_get_Current());
    make_pending();
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(ro, 8), 0x01020304);
    assert_null(Exception_get_Current());
    make_pending();
    assert_true(MemoryMappedViewAccessor_WriteByte(wo, 12, 7));
    assert_null(Exception_get_Current());
    assert_int_equal(MemoryMappedViewAccessor_ReadByte(rw, 12), 7);
    /* What an access does not allow. */
    assert_false(MemoryMappedViewAccessor_WriteInt32(ro, 0, 1));
    EXPECT_EXC(NotSupportedException);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(wo, 0), 0);
    EXPECT_EXC(NotSupportedException);
    /* The last element that fits, and one byte past it. */
    assert_true(MemoryMappedViewAccessor_WriteInt64(rw, cap - 8, -2));
    ASSERT_I64(MemoryMappedViewAccessor_ReadInt64(rw, cap - 8), -2);
    ASSERT_I64(MemoryMappedViewAccessor_ReadInt64(rw, cap - 7), 0);
    EXPECT_EXC(ArgumentException);
    assert_false(MemoryMappedViewAccessor_WriteInt16(rw, -1, 0));
    EXPECT_EXC(ArgumentOutOfRangeException);
    /* Decimal: the sign and scales 0..28 are valid; any other bit of the flags, or scale 29, is not. */
    Decimal d = {123, 0, 0, 0x801C0000u}; /* -0.0...0123, scale 28 */
    make_pending();
    assert_true(MemoryMappedViewAccessor_WriteDecimal(rw, 16, d));
    assert_null(Exception_get_Current());
    make_pending();
    Decimal back = MemoryMappedViewAccessor_ReadDecimal(rw, 16);
    assert_null(Exception_get_Current());
    assert_memory_equal(&back, &d, sizeof d);
    const uint32_t bad_flags[] = {0x001D0000u, 0x00000001u, 0x00008000u, 0x01000000u, 0x40000000u, 0x001C0001u};
    for (size_t i = 0; i < sizeof bad_flags / sizeof bad_flags[0]; i++) {
        Decimal x = {1, 2, 3, bad_flags[i]};
        assert_false(MemoryMappedViewAccessor_WriteDecimal(rw, 32, x));
        EXPECT_EXC_AT(ArgumentException, "WriteDecimal with invalid flags");
        assert_true(MemoryMappedViewAccessor_WriteStruct(rw, 32, &x, (int32_t)sizeof x));
        (void)MemoryMappedViewAccessor_ReadDecimal(rw, 32);
        EXPECT_EXC_AT(ArgumentException, "ReadDecimal of invalid flags");
    }
    /* ReadArray / WriteArray: whole arrays inline; count 0, a short view and bad arguments as .NET. */
    int64_t arr[4] = {1, -2, 3, -4}, got[4] = {0};
    make_pending();
    assert_true(MemoryMappedViewAccessor_WriteArray(rw, 64, arr, 0, 4, 8));
    assert_null(Exception_get_Current());
    make_pending();
    assert_int_equal(MemoryMappedViewAccessor_ReadArray(ro, 64, got, 1, 3, 8), 3);
    assert_null(Exception_get_Current());
    assert_memory_equal(got + 1, arr, 3 * sizeof arr[0]);
    assert_int_equal(MemoryMappedViewAccessor_ReadArray(rw, cap - 16, got, 0, 4, 8), 2); /* what fits */
    assert_false(MemoryMappedViewAccessor_WriteArray(rw, cap - 16, arr, 0, 4, 8));
    EXPECT_EXC(ArgumentException);
    assert_true(MemoryMappedViewAccessor_WriteArray(rw, 0, arr, 0, 0, 8));
    assert_false(MemoryMappedViewAccessor_WriteArray(rw, cap, arr, 0, 0, 8)); /* count 0 still checks position */
    EXPECT_EXC(ArgumentOutOfRangeException);
    assert_int_equal(MemoryMappedViewAccessor_ReadArray(rw, cap, got, 0, 0, 8), -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    assert_false(MemoryMappedViewAccessor_WriteArray(ro, 64, arr, 0, 4, 8));
    EXPECT_EXC(NotSupportedException);
    assert_int_equal(MemoryMappedViewAccessor_ReadArray(wo, 64, got, 0, 4, 8), -1);
    EXPECT_EXC(NotSupportedException);
    assert_int_equal(MemoryMappedViewAccessor_ReadArray(rw, 64, NULL, 0, 4, 8), -1);
    EXPECT_EXC(ArgumentNullException);
    assert_false(MemoryMappedViewAccessor_WriteArray(rw, 64, arr, -1, 4, 8));
    EXPECT_EXC(ArgumentOutOfRangeException);
    assert_false(MemoryMappedViewAccessor_WriteArray(rw, 64, arr, 0, 4, 0));
    EXPECT_EXC(ArgumentOutOfRangeException);
    /* Dispose: every element call is ObjectDisposedException from then on. */
    Object_Retain(rw);
    assert_true(Dispose(rw));
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(rw, 8), 0);
    EXPECT_EXC(ObjectDisposedException);
    assert_false(MemoryMappedViewAccessor_WriteInt32(rw, 8, 1));
    EXPECT_EXC(ObjectDisposedException);
    assert_false(MemoryMappedViewAccessor_WriteArray(rw, 64, arr, 0, 4, 8));
    EXPECT_EXC(ObjectDisposedException);
    assert_int_equal(MemoryMappedViewAccessor_ReadArray(rw, 64, got, 0, 4, 8), -1);
    EXPECT_EXC(ObjectDisposedException);
    Dispose(rw);
    /* Closing the view handle closes the accessor too. */
    assert_true(SafeHandle_Close(MemoryMappedViewAccessor_get_SafeMemoryMappedViewHandle(ro)));
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(ro, 8), 0);
    EXPECT_EXC(ObjectDisposedException);
    assert_true(SafeHandle_Close(MemoryMappedViewAccessor_get_SafeMemoryMappedViewHandle(wo)));
    assert_false(MemoryMappedViewAccessor_WriteByte(wo, 12, 1));
    EXPECT_EXC(ObjectDisposedException);
    /* NULL and an object of another kind. */
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32((MemoryMappedViewAccessor *)NULL, 0), 0);
    EXPECT_EXC(ArgumentNullException);
    MemoryStream *ms = MemoryStream_new();
    assert_int_equal(UnmanagedMemoryAccessor_ReadInt32((UnmanagedMemoryAccessor *)(void *)ms, 0), 0);
    assert_non_null(Exception_get_Current());
    Dispose(ms);
    Dispose(ro);
    Dispose(wo);
    Dispose(mmf);
}

/* ReadChar inline takes an ASCII byte only where that byte is the char: a UTF-8 reader whose
 * decoder holds the start of a character (left by a ReadChar at the end of the stream), a UTF-16
 * reader, and bytes from 0x80 all go to the exported call, which this file's _exported build
 * calls alone: both builds must see the same chars. */
static void inline_read_char_state(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    BinaryReader *r = BinaryReader_new(ms, NULL, true);
    uint8_t start[] = {'a', 0xC3, 0xA9, 0xE2};
    assert_true(Stream_Write(ms, start, 0, sizeof start));
    Stream_set_Position(ms, 0);
    ASSERT_I64(BinaryReader_ReadChar(r), 'a');
    ASSERT_I64(BinaryReader_ReadChar(r), 0xE9);
    ASSERT_I64(BinaryReader_ReadChar(r), 0); /* 0xE2 alone: the decoder keeps it */
    EXPECT_EXC(EndOfStreamException);
    uint8_t rest[] = {0x82, 0xAC, 'b'};
    assert_true(Stream_Write(ms, rest, 0, sizeof rest));
    Stream_set_Position(ms, 4);
    ASSERT_I64(BinaryReader_ReadChar(r), 0x20AC); /* the decoder's E2 and the bytes that end it */
    ASSERT_I64(BinaryReader_ReadChar(r), 'b');
    EXPECT_NO_EXC();
    Dispose(r);

    Stream_set_Position(ms, 0);
    uint8_t utf16[] = {'c', 0, 'd', 0};
    assert_true(Stream_Write(ms, utf16, 0, sizeof utf16));
    Stream_set_Position(ms, 0);
    r = BinaryReader_new(ms, Encoding_get_Unicode(), true);
    ASSERT_I64(BinaryReader_ReadChar(r), 'c');
    ASSERT_I64(BinaryReader_ReadChar(r), 'd');
    Dispose(r);
    Dispose(ms);
}

/* The next line of text[*at..n) as .NET splits lines (\n, \r\n, \r), copied to line; false at
 * the end. */
static bool next_line(const char *text, size_t n, size_t *at, char *line, size_t *length)
{
    if (*at >= n)
        return false;
    size_t i = *at;
    while (i < n && text[i] != '\n' && text[i] != '\r')
        i++;
    *length = i - *at;
    memcpy(line, text + *at, *length);
    line[*length] = 0;
    if (i < n && text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')
        i++;
    *at = i + 1;
    return true;
}

/* ReadLine inline takes a line of up to 510 bytes that ends in the reader's text with 16 bytes of
 * text or more; this file's _exported build calls the exported function alone, and both must
 * give these lines: every length around the inline path's steps (16 and 32 bytes looked at, 16
 * and 32 copied, the small-string classes at 30, 62, 126, 254 and 510 bytes, 511 and longer for the
 * exported call), ASCII and not, each ended by \n, \r\n and \r, through buffers of 128 bytes (whose
 * ends cut lines, and \r\n) and the default, with Read and Peek between lines. */
static void inline_read_line_lengths(void **state)
{
    (void)state;
    static const int lengths[] = {0,  1,  2,  14, 15,  16,  17,  29,  30,  31,  32,  33,  47,  48,  49, 62,
                                  63, 64, 65, 87, 126, 127, 128, 254, 255, 256, 509, 510, 511, 512, 600};
    static const char *const ends[] = {"\n", "\r\n", "\r"};
    size_t cap = 0;
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++)
        cap += 3 * 2 * ((size_t)lengths[i] + 2);
    char *text = malloc(cap + 1), line[700];
    size_t n = 0;
    for (int mb = 0; mb < 2; mb++)
        for (size_t e = 0; e < 3; e++)
            for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
                int L = lengths[i];
                for (int k = 0; k < L; k++)
                    text[n + k] = (char)('a' + (k + (int)i) % 26);
                if (mb && L >= 3) /* a 3-byte character at the end of the line, so its byte count stays L */
                    memcpy(text + n + L - 3, "\xEA\xB0\x80", 3);
                n += (size_t)L;
                memcpy(text + n, ends[e], strlen(ends[e]));
                n += strlen(ends[e]);
            }
    assert_true(n <= cap);
    static const int32_t sizes[] = {128, -1};
    for (size_t z = 0; z < 2; z++)
        for (int mix = 0; mix < 2; mix++) {
            MemoryStream *ms = MemoryStream_newFromBuffer((uint8_t *)text, 0, (int32_t)n, false, true);
            StreamReader *r = StreamReader_new(ms, NULL, true, sizes[z], false);
            assert_non_null(r);
            size_t at = 0, length;
            int count = 0;
            while (next_line(text, n, &at, line, &length)) {
                if (mix && count % 3 == 1 && length > 0 && (uint8_t)line[0] < 0x80) {
                    assert_int_equal(StreamReader_Peek(r), line[0]);
                    assert_int_equal(StreamReader_Read(r), line[0]);
                    memmove(line, line + 1, length--);
                }
                int32_t got_length = -1;
                if (count % 4 == 3)
                    make_pending(); /* the exported call then, which clears it */
                char *got = count % 2 ? StreamReader_ReadLineWithLength(r, &got_length) : StreamReader_ReadLine(r);
                assert_null(Exception_get_Current());
                if (!got || strcmp(got, line) != 0)
                    fail_msg("buffer %d, line %d (%lu bytes): \"%s\"", (int)sizes[z], count, (unsigned long)length,
                             got ? got : "(null)");
                if (count % 2)
                    assert_int_equal(got_length, (int32_t)length);
#ifdef SHARPIPC_INLINE
                if (length == 0) /* the shared "" */
                    assert_ptr_equal(got, sp_empty_string);
#endif
                String_Free(got);
                count++;
            }
            assert_null(StreamReader_ReadLine(r));
            assert_null(Exception_get_Current());
            Dispose(r);
            Dispose(ms);
        }
    free(text);
}

/* ReadLine inline after the reader closed or its stream did (the text it holds is still served),
 * with a low surrogate due, with the calling thread's blocks all in use, and at a \r that ends the
 * text: what the exported call does, from the same place. */
static void inline_read_line_state(void **state)
{
    (void)state;
    static const char text[] = "first line of the text\nsecond line, a longer one than the first\r"
                               "\xF0\x9F\x98\x80"
                               "third line here, long enough\r\n";
    for (int closing = 0; closing < 3; closing++) {
        MemoryStream *ms = MemoryStream_newFromBuffer((uint8_t *)text, 0, (int32_t)sizeof text - 1, false, true);
        StreamReader *r = StreamReader_new(ms);
        char *l = StreamReader_ReadLine(r);
        assert_string_equal(l, "first line of the text");
        String_Free(l);
        if (closing == 0) {
            assert_true(StreamReader_Close(r));
        } else if (closing == 1) {
            /* The text is there, the stream is not: the text is served, as .NET's buffer is, and
             * the read that needs the stream meets its ObjectDisposedException (checked against
             * .NET 10). */
            assert_true(Stream_Close(ms));
            l = StreamReader_ReadLine(r);
            assert_string_equal(l, "second line, a longer one than the first");
            String_Free(l);
            l = StreamReader_ReadLine(r);
            assert_string_equal(l, "\xF0\x9F\x98\x80third line here, long enough");
            String_Free(l);
            EXPECT_NO_EXC();
            assert_null(StreamReader_ReadLine(r));
            EXPECT_EXC_MSG(ObjectDisposedException, "Cannot access a closed Stream.");
            Dispose(r);
            Dispose(ms);
            continue;
        } else {
            l = StreamReader_ReadLine(r);
            assert_string_equal(l, "second line, a longer one than the first");
            String_Free(l);
            assert_int_equal(StreamReader_Read(r), 0xD83D); /* the low half is due */
            l = StreamReader_ReadLine(r);
            assert_string_equal(l, "third line here, long enough"); /* the exported call drops it */
            String_Free(l);
            assert_null(StreamReader_ReadLine(r));
            EXPECT_NO_EXC();
            Dispose(r);
            Dispose(ms);
            continue;
        }
        assert_null(StreamReader_ReadLine(r));
        EXPECT_EXC_MSG(ObjectDisposedException, "Cannot read from a closed TextReader.");
        int32_t length = -7;
        assert_null(StreamReader_ReadLineWithLength(r, &length));
        EXPECT_EXC(ObjectDisposedException);
        assert_int_equal(length, -7);
        Dispose(r);
        Dispose(ms);
    }

    /* 40 lines of each class kept at once: the thread's cache runs dry, the exported call allocates. */
    enum { KEPT = 40 };
    static const int lengths[] = {20, 40, 100, 200, 400};
    size_t n = 0;
    char *many = malloc(KEPT * 5 * 402);
    for (int i = 0; i < KEPT; i++)
        for (int c = 0; c < 5; c++) {
            memset(many + n, 'a' + c, (size_t)lengths[c]);
            n += (size_t)lengths[c];
            many[n++] = '\n';
        }
    MemoryStream *ms = MemoryStream_newFromBuffer((uint8_t *)many, 0, (int32_t)n, false, true);
    StreamReader *r = StreamReader_new(ms);
    char *kept[KEPT * 5];
    for (int i = 0; i < KEPT * 5; i++) {
        kept[i] = StreamReader_ReadLine(r);
        assert_non_null(kept[i]);
        assert_int_equal(strlen(kept[i]), lengths[i % 5]);
        assert_int_equal(kept[i][0], 'a' + i % 5);
    }
    for (int i = 0; i < KEPT * 5; i++)
        String_Free(kept[i]);
    assert_null(StreamReader_ReadLine(r));
    Dispose(r);
    Dispose(ms);
    free(many);

    /* A \r that ends the text: whether a \n follows is the next read's to say. */
    char cr[150];
    memset(cr, 'x', 127);
    cr[127] = '\r';
    cr[128] = '\n';
    memcpy(cr + 129, "the tail of it\n", 15);
    ms = MemoryStream_newFromBuffer((uint8_t *)cr, 0, 144, false, true);
    r = StreamReader_new(ms, NULL, true, 128, false);
    assert_int_equal(StreamReader_Peek(r), 'x'); /* the first 128 bytes are text now */
    char *l = StreamReader_ReadLine(r);
    assert_int_equal(strlen(l), 127);
    String_Free(l);
    l = StreamReader_ReadLine(r);
    assert_string_equal(l, "the tail of it");
    String_Free(l);
    assert_null(StreamReader_ReadLine(r));
    Dispose(r);
    Dispose(ms);
}

/* A read-only, non-seekable stream whose reads give a pseudo-random count of 1..max bytes. */
typedef struct RandStream {
    ChunkStream chunks;
    uint32_t seed;
    int32_t max;
} RandStream;

static uint32_t rand_next(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static int32_t rand_read(Stream *s, uint8_t *buffer, int32_t count)
{
    RandStream *t = (RandStream *)s;
    int32_t n = t->chunks.length - t->chunks.position;
    int32_t k = 1 + (int32_t)(rand_next(&t->seed) % (uint32_t)t->max);
    n = n < count ? n : count;
    n = n < k ? n : k;
    if (n <= 0)
        return 0;
    memcpy(buffer, t->chunks.data + t->chunks.position, (size_t)n);
    t->chunks.position += n;
    return n;
}

static const sp_stream_ops rand_ops = {.read = rand_read};
static const sp_type rand_type = {"Test.RandStream", &sp_type_Stream, NULL, chunk_destroy};

static Stream *rand_stream(const uint8_t *bytes, int32_t n, uint32_t seed, int32_t max)
{
    RandStream *t = sp_object_new(sizeof *t, &rand_type);
    assert_non_null(t);
    sp_stream_init(&t->chunks.stream, &rand_ops);
    t->chunks.data = malloc((size_t)n + 1);
    memcpy(t->chunks.data, bytes, (size_t)n);
    t->chunks.length = n;
    t->seed = seed | 1;
    t->max = max;
    return &t->chunks.stream;
}

/* sharpipc's own: ReadLine and ReadToEnd of random texts (lines of random lengths around the inline
 * path's limits, \n, \r\n, \r, NULs, multi-byte, invalid and cut-off sequences), through random
 * buffer sizes and random read counts, against decoding all the bytes at once and splitting the
 * text as .NET does. */
static void inline_read_line_differential(void **state)
{
    (void)state;
    static const char *const atoms[] = {"a",
                                        "b",
                                        "0",
                                        " ",
                                        "\n",
                                        "\r",
                                        "\r\n",
                                        "\xC3\xA9",
                                        "\xE2\x82\xAC",
                                        "\xF0\x9F\x98\x80",
                                        "\xFF",
                                        "\xE2\x82",
                                        "\xC0",
                                        "\x80",
                                        "\xED\xA0\x80",
                                        ""};
    static const int32_t sizes[] = {1, 127, 128, 129, 200, 512, 1024, 4096};
    uint32_t x = 0x12345u;
    uint8_t *data = malloc(20000);
    char *want_line = malloc(20000);
    for (int round = 0; round < 600; round++) {
        size_t n = 0, limit = 1 + rand_next(&x) % 6000;
        while (n < limit) {
            uint32_t c = rand_next(&x) % 100;
            if (c < 8) { /* a run of ASCII of a length near a step */
                static const int runs[] = {14, 15, 16, 17, 30, 31, 32, 33, 62, 63, 126, 254, 509, 510, 511, 600};
                int L = runs[rand_next(&x) % 16] + (int)(rand_next(&x) % 3) - 1;
                for (int k = 0; k < L; k++)
                    data[n++] = (uint8_t)('a' + k % 26);
            } else if (c < 10) {
                data[n++] = 0;
            } else {
                const char *a = atoms[rand_next(&x) % 16];
                if (!*a)
                    a = "x";
                memcpy(data + n, a, strlen(a));
                n += strlen(a);
            }
        }
        sp_decoder d;
        sp_decoder_init(&d, Encoding_get_UTF8());
        sp_buf want = {0};
        /* the reader's BOM checks: none here (no BOM at the start), the text as decoded at once */
        assert_true(sp_decoder_decode(&d, data, n, true, &want));
        int32_t size = sizes[rand_next(&x) % 8];
        int32_t max = (int32_t)(1 + rand_next(&x) % (rand_next(&x) % 2 ? 8 : 3000));
        bool bom = rand_next(&x) % 2, utf16 = rand_next(&x) % 4 == 0;
        const Encoding *enc = bom ? NULL : UTF8Encoding_new(false, false);
        Stream *s;
        if (utf16) { /* the same text as UTF-16, the encoding given (a BOM split at its first byte is
                      * another matter: there is no detecting from one byte) */
            sp_buf wire = {0};
            assert_true(sp_encode_text(Encoding_get_Unicode(), (const char *)want.data, want.length, false, &wire));
            s = rand_stream(wire.data, (int32_t)wire.length, rand_next(&x), max);
            sp_buf_free(&wire);
            enc = Encoding_get_Unicode();
            bom = false;
        } else {
            s = rand_stream(data, (int32_t)n, rand_next(&x), max);
        }
        StreamReader *r = StreamReader_new(s, enc, bom, size, false);
        assert_non_null(r);
        size_t at = 0, length;
        int count = 0;
        bool to_end = false;
        for (;;) {
            if (rand_next(&x) % 50 == 0) { /* ReadToEnd of the rest */
                if (at > want.length)      /* past a last line with no terminator */
                    at = want.length;
                int32_t rest_length = -1;
                char *rest = StreamReader_ReadToEndWithLength(r, &rest_length);
                assert_non_null(rest);
                if ((size_t)rest_length != want.length - at || memcmp(rest, want.data + at, want.length - at) != 0) {
                    size_t k = 0;
                    while (k < want.length - at && k < (size_t)rest_length && (uint8_t)rest[k] == want.data[at + k])
                        k++;
                    fail_msg("round %d (size %d, max %d, bom %d), after line %d: ReadToEnd differs at %lu of %d/%lu: "
                             "got %02x want %02x, prev %02x %02x",
                             round, (int)size, (int)max, (int)bom, count, (unsigned long)k, (int)rest_length,
                             (unsigned long)(want.length - at), (uint8_t)rest[k], want.data[at + k],
                             at + k >= 1 ? want.data[at + k - 1] : 0, at + k >= 2 ? want.data[at + k - 2] : 0);
                }
                String_Free(rest);
                to_end = true;
                break;
            }
            if (!next_line((const char *)want.data, want.length, &at, want_line, &length))
                break;
            int32_t got_length = -1;
            char *got = count % 2 ? StreamReader_ReadLineWithLength(r, &got_length) : StreamReader_ReadLine(r);
            if (!got)
                fail_msg("round %d, line %d: NULL", round, count);
            if (count % 2 && got_length != (int32_t)length)
                fail_msg("round %d, line %d: length %d, want %d", round, count, (int)got_length, (int)length);
            if (memcmp(got, want_line, length + 1) != 0)
                fail_msg("round %d (size %d, max %d), line %d (%lu bytes) differs", round, (int)size, (int)max, count,
                         (unsigned long)length);
            String_Free(got);
            count++;
        }
        if (!to_end) {
            assert_null(StreamReader_ReadLine(r));
            assert_null(Exception_get_Current());
        }
        sp_buf_free(&want);
        Dispose(r);
        Dispose(s);
    }
    free(data);
    free(want_line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inline_success_clears_pending_exception),
        cmocka_unit_test(inline_writes_over_held_bytes_at_the_end_and_past_it),
        cmocka_unit_test(inline_calls_move_the_streams_position),
        cmocka_unit_test(inline_read_past_end_is_end_of_stream),
        cmocka_unit_test(inline_write_growth_and_gap),
        cmocka_unit_test(inline_write_to_read_only_stream),
        cmocka_unit_test(inline_calls_after_close),
        cmocka_unit_test(inline_calls_on_null_and_wrong_objects),
        cmocka_unit_test(inline_paths_over_a_view_stream),
        cmocka_unit_test(inline_7bit_decimal_and_bytes),
        cmocka_unit_test(inline_text_char_calls),
        cmocka_unit_test(inline_text_string_calls),
        cmocka_unit_test(inline_binarywriter_write_string),
        cmocka_unit_test(inline_read_string_and_bytes),
        cmocka_unit_test(inline_string_lengths_and_cached_arrays),
        cmocka_unit_test(inline_string_free_small_blocks),
        cmocka_unit_test(inline_read_char_state),
        cmocka_unit_test(inline_read_line_lengths),
        cmocka_unit_test(inline_read_line_state),
        cmocka_unit_test(inline_read_line_differential),
        cmocka_unit_test(inline_memorystream_byte_call_edges),
        cmocka_unit_test(inline_accessor_element_call_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
