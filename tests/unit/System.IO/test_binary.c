/*
 * BinaryWriter / BinaryReader, ported from System.IO.Tests (BinaryWriter.WriteTests,
 * BinaryWriter.WriteByteCharTests, BinaryWriter.EncodingTests, BinaryReaderTests) -- every case of
 * DOTNET_COMPAT.md 7.4 -- plus the exact wire format of 5.1/5.2.
 */
#include "sp_test.h"

#include <float.h>
#include <math.h>

#include "sp_chunk_stream.h"

#if defined(__linux__) && !defined(__SANITIZE_ADDRESS__)
#  if defined(__has_feature)
#    if __has_feature(address_sanitizer)
#      define SP_NO_RLIMIT 1
#    endif
#  endif
#  ifndef SP_NO_RLIMIT
#    include <sys/resource.h>
#    define SP_HAVE_RLIMIT 1
#  endif
#endif


/* The bytes a MemoryStream holds, for a writer's output (caller frees). */
static uint8_t *ms_bytes(MemoryStream *ms, int32_t *n)
{
    uint8_t *a = MemoryStream_ToArray(ms, n);
    assert_non_null(a);
    return a;
}

static void rewind_ms(MemoryStream *ms) { assert_true(Stream_set_Position(ms, 0)); }

/* ------------------------------------------------------------------ wire format of each primitive */

/* sharpipc's own: the exact wire bytes of every primitive (DOTNET_COMPAT 5.1/5.2) */
static void wire_format_of_primitives(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    assert_true(BinaryWriter_WriteBoolean(w, true));
    assert_true(BinaryWriter_WriteBoolean(w, false));
    assert_true(BinaryWriter_WriteByte(w, 0xAB));
    assert_true(BinaryWriter_WriteSByte(w, -2));
    assert_true(BinaryWriter_WriteInt16(w, 0x1234));
    assert_true(BinaryWriter_WriteUInt16(w, 0xFEDC));
    assert_true(BinaryWriter_WriteInt32(w, 0x12345678));
    assert_true(BinaryWriter_WriteUInt32(w, 0xDEADBEEFu));
    assert_true(BinaryWriter_WriteInt64(w, 0x0102030405060708LL));
    assert_true(BinaryWriter_WriteUInt64(w, 0xF0E0D0C0B0A09080ULL));
    assert_true(BinaryWriter_WriteSingle(w, 1.0f));
    assert_true(BinaryWriter_WriteDouble(w, 1.0));
    assert_true(BinaryWriter_WriteHalf(w, Half_FromSingle(1.0f)));
    assert_true(BinaryWriter_WriteDecimal(w, Decimal_new(10005, 0, 0, true, 1))); /* -1000.5m */
    assert_true(BinaryWriter_WriteChar(w, 'A'));
    assert_true(BinaryWriter_WriteChar(w, 0x00E9)); /* é */
    assert_true(BinaryWriter_WriteChar(w, 0x20AC)); /* € */
    assert_true(BinaryWriter_WriteString(w, "h\xC3\xA9llo"));
    static const uint8_t expected[] = {
        0x01, 0x00, 0xAB, 0xFE, 0x34, 0x12, 0xDC, 0xFE, 0x78, 0x56, 0x34, 0x12, 0xEF, 0xBE, 0xAD, 0xDE,
        0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x80, 0x90, 0xA0, 0xB0, 0xC0, 0xD0, 0xE0, 0xF0,
        0x00, 0x00, 0x80, 0x3F,                                                                         /* 1.0f */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,                                                 /* 1.0 */
        0x00, 0x3C,                                                                                     /* (Half)1 */
        0x15, 0x27, 0x00, 0x00, 0,    0,    0,    0,    0,    0,    0,    0,    0x00, 0x00, 0x01, 0x80, /* -1000.5m */
        0x41, 0xC3, 0xA9, 0xE2, 0x82, 0xAC,                                                             /* chars */
        0x06, 0x68, 0xC3, 0xA9, 0x6C, 0x6C, 0x6F,                                                       /* "héllo" */
    };
    ASSERT_MS(ms, expected, sizeof expected);
    /* BinaryWriter does no buffering: every byte is in the stream already, and Flush is harmless. */
    assert_true(BinaryWriter_Flush(w));
    ASSERT_I64(Stream_get_Length(ms), sizeof expected);
    Dispose(w);
    Dispose(ms);
}

/* ------------------------------------------------------------------ round trips, UTF-8 and UTF-16 */

static const float floats[] = {
    -FLT_MAX,    FLT_MAX, 1.401298464324817e-45f /* float.Epsilon */, INFINITY, -INFINITY, 0.0f, -0.0f, -1e20f,
    3.14159265f, 1e-38f};
static const double doubles[] = {-DBL_MAX,
                                 DBL_MAX,
                                 4.9406564584124654e-324 /* double.Epsilon */,
                                 INFINITY,
                                 -INFINITY,
                                 0.0,
                                 -0.0,
                                 -1e20,
                                 3.141592653589793,
                                 2.2250738585072014e-308};

static void round_trip_all_primitives_with(const Encoding *enc)
{
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms, enc);
    assert_non_null(w);
    static const bool bools[] = {true, false, false, true, true};
    for (size_t i = 0; i < 5; i++)
        assert_true(BinaryWriter_WriteBoolean(w, bools[i]));
    static const uint8_t bytes[] = {0, 1, 127, 128, 255};
    for (size_t i = 0; i < 5; i++)
        assert_true(BinaryWriter_WriteByte(w, bytes[i]));
    static const int8_t sbytes[] = {INT8_MIN, -1, 0, 1, INT8_MAX};
    for (size_t i = 0; i < 5; i++)
        assert_true(BinaryWriter_WriteSByte(w, sbytes[i]));
    static const int16_t i16[] = {INT16_MIN, -1, 0, 1, INT16_MAX};
    for (size_t i = 0; i < 5; i++)
        assert_true(BinaryWriter_WriteInt16(w, i16[i]));
    static const uint16_t u16[] = {0, 1, 0x7FFF, 0x8000, UINT16_MAX};
    for (size_t i = 0; i < 5; i++)
        assert_true(BinaryWriter_WriteUInt16(w, u16[i]));
    static const int32_t i32[] = {INT32_MIN, -1, 0, 1, INT32_MAX};
    for (size_t i = 0; i < 5; i++)
        assert_true(BinaryWriter_WriteInt32(w, i32[i]));
    static const uint32_t u32[] = {0, 1, 0x7FFFFFFFu, 0x80000000u, UINT32_MAX};
    for (size_t i = 0; i < 5; i++)
        assert_true(BinaryWriter_WriteUInt32(w, u32[i]));
    static const int64_t i64[] = {INT64_MIN, -1, 0, 1, INT64_MAX};
    for (size_t i = 0; i < 5; i++)
        assert_true(BinaryWriter_WriteInt64(w, i64[i]));
    static const uint64_t u64[] = {0, 1, 0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull, UINT64_MAX};
    for (size_t i = 0; i < 5; i++)
        assert_true(BinaryWriter_WriteUInt64(w, u64[i]));
    for (size_t i = 0; i < sizeof floats / sizeof floats[0]; i++)
        assert_true(BinaryWriter_WriteSingle(w, floats[i]));
    assert_true(BinaryWriter_WriteSingle(w, NAN));
    for (size_t i = 0; i < sizeof doubles / sizeof doubles[0]; i++)
        assert_true(BinaryWriter_WriteDouble(w, doubles[i]));
    assert_true(BinaryWriter_WriteDouble(w, NAN));
    Decimal decs[] = {Decimal_One,
                      Decimal_Zero,
                      Decimal_MinusOne,
                      Decimal_MinValue,
                      Decimal_MaxValue,
                      Decimal_new(10005, 0, 0, true, 1),
                      Decimal_new(3, 0, 0, false, 28) /* 3.4e-28m rounds to 3e-28 */,
                      Decimal_new(123456789, 987654321, 0, false, 5)};
    for (size_t i = 0; i < sizeof decs / sizeof decs[0]; i++)
        assert_true(BinaryWriter_WriteDecimal(w, decs[i]));
    Half halves[] = {Half_PositiveInfinity, Half_NegativeInfinity, Half_Epsilon,
                     Half_MinValue,         Half_MaxValue,         Half_FromDouble(0.45),
                     Half_FromDouble(5.55), Half_FromBits(0),      Half_FromBits(0x8000)};
    for (size_t i = 0; i < sizeof halves / sizeof halves[0]; i++)
        assert_true(BinaryWriter_WriteHalf(w, halves[i]));
    static const int32_t seven[] = {
        INT32_MIN, INT32_MAX, 0, -10000, 10000, -50, 50, (int32_t)UINT32_MAX, (int32_t)(UINT32_MAX - 100)};
    for (size_t i = 0; i < sizeof seven / sizeof seven[0]; i++)
        assert_true(BinaryWriter_Write7BitEncodedInt(w, seven[i]));
    static const int64_t seven64[] = {
        INT64_MIN, INT64_MAX, 0, -10000, 10000, -50, 50, (int64_t)UINT64_MAX, (int64_t)(UINT64_MAX - 100)};
    for (size_t i = 0; i < sizeof seven64 / sizeof seven64[0]; i++)
        assert_true(BinaryWriter_Write7BitEncodedInt64(w, seven64[i]));
    static const char *strings[] = {"",
                                    " ",
                                    "   ",
                                    "Hello",
                                    "\t\t\n\n\n\r\r\v\v\t\rHello",
                                    "h\xC3\xA9llo",
                                    "\xEC\x95\x88\xEB\x85\x95",
                                    "\xF0\x9F\x98\x80"};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        assert_true(BinaryWriter_WriteString(w, strings[i]));
    static const char with_nul[] = "\t\t\n\n\n\0\r\r\v\v\t\0\rHello";
    assert_true(BinaryWriter_WriteStringWithLength(w, with_nul, (int32_t)sizeof with_nul - 1));
    static const uint16_t chars[] = {'A', 'c', 0, 0x2701, '$', '.', '1', 'l', 0x00FF, '\n', '\t', '\v'};
    for (size_t i = 0; i < sizeof chars / sizeof chars[0]; i++)
        assert_true(BinaryWriter_WriteChar(w, chars[i]));
    EXPECT_NO_EXC();

    rewind_ms(ms);
    BinaryReader *r = BinaryReader_new(ms, enc);
    assert_non_null(r);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(BinaryReader_ReadBoolean(r), bools[i]);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(BinaryReader_ReadByte(r), bytes[i]);
    for (size_t i = 0; i < 5; i++)
        ASSERT_I64(BinaryReader_ReadSByte(r), sbytes[i]);
    for (size_t i = 0; i < 5; i++)
        ASSERT_I64(BinaryReader_ReadInt16(r), i16[i]);
    for (size_t i = 0; i < 5; i++)
        ASSERT_I64(BinaryReader_ReadUInt16(r), u16[i]);
    for (size_t i = 0; i < 5; i++)
        ASSERT_I64(BinaryReader_ReadInt32(r), i32[i]);
    for (size_t i = 0; i < 5; i++)
        ASSERT_I64(BinaryReader_ReadUInt32(r), u32[i]);
    for (size_t i = 0; i < 5; i++)
        ASSERT_I64(BinaryReader_ReadInt64(r), i64[i]);
    for (size_t i = 0; i < 5; i++)
        ASSERT_U64(BinaryReader_ReadUInt64(r), u64[i]);
    for (size_t i = 0; i < sizeof floats / sizeof floats[0]; i++) {
        float f = BinaryReader_ReadSingle(r);
        assert_memory_equal(&f, &floats[i], sizeof f); /* bit-exact, -0 included */
    }
    assert_true(isnan(BinaryReader_ReadSingle(r)));
    for (size_t i = 0; i < sizeof doubles / sizeof doubles[0]; i++) {
        double d = BinaryReader_ReadDouble(r);
        assert_memory_equal(&d, &doubles[i], sizeof d);
    }
    assert_true(isnan(BinaryReader_ReadDouble(r)));
    for (size_t i = 0; i < sizeof decs / sizeof decs[0]; i++) {
        Decimal d = BinaryReader_ReadDecimal(r);
        EXPECT_NO_EXC();
        assert_memory_equal(&d, &decs[i], sizeof d);
    }
    for (size_t i = 0; i < sizeof halves / sizeof halves[0]; i++)
        assert_int_equal(BinaryReader_ReadHalf(r).bits, halves[i].bits);
    for (size_t i = 0; i < sizeof seven / sizeof seven[0]; i++)
        ASSERT_I64(BinaryReader_Read7BitEncodedInt(r), seven[i]);
    for (size_t i = 0; i < sizeof seven64 / sizeof seven64[0]; i++)
        ASSERT_I64(BinaryReader_Read7BitEncodedInt64(r), seven64[i]);
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        char *s = BinaryReader_ReadString(r);
        assert_non_null(s);
        assert_string_equal(s, strings[i]);
        String_Free(s);
    }
    int32_t len = -1;
    char *s = BinaryReader_ReadStringWithLength(r, &len);
    ASSERT_BYTES(s, len, with_nul, sizeof with_nul - 1);
    String_Free(s);
    for (size_t i = 0; i < sizeof chars / sizeof chars[0]; i++)
        assert_int_equal(BinaryReader_ReadChar(r), chars[i]);
    EXPECT_NO_EXC();
    /* After the last element, one more read is EndOfStreamException. */
    BinaryReader_ReadChar(r);
    EXPECT_EXC_MSG(EndOfStreamException, "Unable to read beyond the end of the stream.");
    BinaryReader_ReadInt32(r);
    EXPECT_EXC(EndOfStreamException);
    Dispose(r);
    Dispose(w);
    Dispose(ms);
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryWriter/BinaryWriter.WriteTests.cs: BinaryWriter_WriteBoolTest;
   also BinaryWriter_WriteSingleTest, _WriteDecimalTest, _WriteDoubleTest, _WriteHalfTest, _WriteInt16Test, _WriteInt32Test,
   _WriteInt64Test, _WriteUInt16Test, _WriteUInt32Test, _WriteUInt64Test, _Write7BitEncodedIntTest, _Write7BitEncodedInt64Test,
   _WriteStringTest (all through WriteTest, which runs each list with UTF-8 and UTF-16), and WriteByteCharTests.cs:
   BinaryWriter_WriteByteTest, BinaryWriter_WriteSByteTest */
static void BinaryWriter_WriteTests_BinaryWriter_WriteBoolTest(void **state)
{
    (void)state;
    /* WriteTest's encodings (UTF-8, Encoding.Unicode), plus the default and big-endian UTF-16. */
    const Encoding *const encodings[] = {NULL, Encoding_UTF8, Encoding_Unicode, Encoding_BigEndianUnicode};
    for (size_t i = 0; i < sizeof encodings / sizeof encodings[0]; i++)
        round_trip_all_primitives_with(encodings[i]);
}

/* ------------------------------------------------------------------ 7-bit encoded integers */

/* sharpipc's own: the exact bytes of Write7BitEncodedInt/Int64 (.NET's tests only round-trip them) */
static void seven_bit_exact_encodings(void **state)
{
    (void)state;
    static const struct {
        int32_t v;
        const char *bytes;
        int n;
    } cases[] = {
        {0, "\x00", 1},
        {1, "\x01", 1},
        {127, "\x7F", 1},
        {128, "\x80\x01", 2},
        {300, "\xAC\x02", 2},
        {16383, "\xFF\x7F", 2},
        {16384, "\x80\x80\x01", 3},
        {INT32_MAX, "\xFF\xFF\xFF\xFF\x07", 5},
        {-1, "\xFF\xFF\xFF\xFF\x0F", 5},
        {INT32_MIN, "\x80\x80\x80\x80\x08", 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        MemoryStream *ms = MemoryStream_new();
        BinaryWriter *w = BinaryWriter_new(ms);
        assert_true(BinaryWriter_Write7BitEncodedInt(w, cases[i].v));
        ASSERT_MS(ms, cases[i].bytes, cases[i].n);
        rewind_ms(ms);
        BinaryReader *r = BinaryReader_new(ms);
        ASSERT_I64(BinaryReader_Read7BitEncodedInt(r), cases[i].v);
        EXPECT_NO_EXC();
        Dispose(r);
        Dispose(w);
        Dispose(ms);
    }
    static const struct {
        int64_t v;
        const char *bytes;
        int n;
    } cases64[] = {
        {0, "\x00", 1},
        {300, "\xAC\x02", 2},
        {-1, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01", 10},
        {INT64_MAX, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x7F", 9},
        {INT64_MIN, "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 10},
        {(int64_t)UINT32_MAX, "\xFF\xFF\xFF\xFF\x0F", 5},
    };
    for (size_t i = 0; i < sizeof cases64 / sizeof cases64[0]; i++) {
        MemoryStream *ms = MemoryStream_new();
        BinaryWriter *w = BinaryWriter_new(ms);
        assert_true(BinaryWriter_Write7BitEncodedInt64(w, cases64[i].v));
        ASSERT_MS(ms, cases64[i].bytes, cases64[i].n);
        rewind_ms(ms);
        BinaryReader *r = BinaryReader_new(ms);
        ASSERT_I64(BinaryReader_Read7BitEncodedInt64(r), cases64[i].v);
        Dispose(r);
        Dispose(w);
        Dispose(ms);
    }
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryReader/BinaryReaderTests.cs: BinaryReader_Read7BitEncodedInt_BadFormat_Throws;
   also BinaryReader_Read7BitEncodedInt_AllowsOverlongEncodings, BinaryReader_Read7BitEncodedInt64_AllowsOverlongEncodings,
   BinaryReader_Read7BitEncodedInt64_BadFormat_Throws */
static void BinaryReaderTests_BinaryReader_Read7BitEncodedInt_BadFormat_Throws(void **state)
{
    (void)state;
    static const char bad7[] = "Too many bytes in what should have been a 7-bit encoded integer.";
    struct {
        const char *bytes;
        int n;
        bool is64;
        int64_t value; /* when valid */
        ExceptionType error;
    } cases[] = {
        {"\x9F\x00", 2, false, 31, ExceptionType_None}, /* overlong forms are accepted */
        {"\x80\x80\x80\x80\x0F", 5, false, (int32_t)0xF0000000u, ExceptionType_None},
        {"\x80\x80\x80\x80\x10", 5, false, 0, ExceptionType_FormatException},
        {"\x80\x80\x80\x80\x80", 5, false, 0, ExceptionType_FormatException},
        {"\xFF\xFF\xFF\xFF\xFF\x01", 6, false, 0, ExceptionType_FormatException},
        {"\x80", 1, false, 0, ExceptionType_EndOfStreamException},
        {"", 0, false, 0, ExceptionType_EndOfStreamException},
        {"\x9F\x00", 2, true, 31, ExceptionType_None},
        {"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x02", 10, true, 0, ExceptionType_FormatException},
        {"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80", 10, true, 0, ExceptionType_FormatException},
        {"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 10, true, INT64_MIN, ExceptionType_None},
        {"\x80\x80\x80", 3, true, 0, ExceptionType_EndOfStreamException},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        MemoryStream *ms = sp_ms_with(cases[i].bytes, (size_t)cases[i].n);
        BinaryReader *r = BinaryReader_new(ms);
        int64_t v = cases[i].is64 ? BinaryReader_Read7BitEncodedInt64(r) : BinaryReader_Read7BitEncodedInt(r);
        char label[32];
        snprintf(label, sizeof label, "case %lu", (unsigned long)i);
        if (cases[i].error == ExceptionType_None) {
            EXPECT_NO_EXC_AT(label);
            ASSERT_I64(v, cases[i].value);
        } else {
            sp_expect_exc_(cases[i].error, cases[i].error == ExceptionType_FormatException ? bad7 : NULL, label,
                           __FILE__, __LINE__);
            ASSERT_I64(v, 0);
        }
        Dispose(r);
        Dispose(ms);
    }
    /* The FormatException stops consuming at the bad byte: the next byte is still there. */
    MemoryStream *ms = SP_MS_LIT("\x80\x80\x80\x80\x10\x2A");
    BinaryReader *r = BinaryReader_new(ms);
    BinaryReader_Read7BitEncodedInt(r);
    EXPECT_EXC(FormatException);
    assert_int_equal(BinaryReader_ReadByte(r), 0x2A);
    Dispose(r);
    Dispose(ms);
}

/* ------------------------------------------------------------------ strings */

/* sharpipc's own: the 7-bit length prefix of strings at each prefix-size boundary */
static void string_length_prefixes(void **state)
{
    (void)state;
    static const int lengths[] = {0, 1, 127, 128, 16383, 16384, 100000};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        int n = lengths[i];
        char *s = malloc((size_t)n + 1);
        for (int k = 0; k < n; k++)
            s[k] = (char)('a' + k % 26);
        s[n] = 0;
        MemoryStream *ms = MemoryStream_new();
        BinaryWriter *w = BinaryWriter_new(ms);
        assert_true(BinaryWriter_Write(w, s));
        int32_t total;
        uint8_t *bytes = ms_bytes(ms, &total);
        uint8_t prefix[5];
        int p = 0;
        for (uint32_t v = (uint32_t)n;; v >>= 7) {
            if (v > 0x7F) {
                prefix[p++] = (uint8_t)(v | 0x80);
            } else {
                prefix[p++] = (uint8_t)v;
                break;
            }
        }
        assert_int_equal(total, p + n);
        ASSERT_BYTES(bytes, p, prefix, p);
        ASSERT_BYTES(bytes + p, n, s, n);
        Array_Free(bytes);
        rewind_ms(ms);
        BinaryReader *r = BinaryReader_new(ms);
        char *back = BinaryReader_ReadString(r);
        assert_non_null(back);
        assert_string_equal(back, s);
        String_Free(back);
        BinaryReader_ReadString(r);
        EXPECT_EXC(EndOfStreamException);
        Dispose(r);
        Dispose(w);
        Dispose(ms);
        free(s);
    }
    /* The examples of the notes: 127 -> 7F, 128 -> 80 01, 16384 -> 80 80 01. */
}

/* sharpipc's own: a string of more than 32 bytes written into a MemoryStream with room (checked
 * and copied in one pass, ASCII 64 bytes a step, then the rest validated) puts the same bytes on
 * the wire as through a stream that must grow: ASCII of every length around the steps, non-ASCII
 * after ASCII runs of 0-70 bytes, and invalid UTF-8 after an ASCII run (U+FFFD, as .NET's
 * Encoding.UTF8 gives) with nothing of the first attempt left behind. */
static void string_writes_in_place(void **state)
{
    (void)state;
    char text[300];
    for (int kind = 0; kind < 3; kind++)
        for (int n = 33; n < 200; n += kind == 0 ? 1 : 7) {
            for (int k = 0; k < n; k++)
                text[k] = (char)('A' + k % 26);
            if (kind == 1 && n >= 40) /* a Hangul syllable (3 bytes) after n - 40 ASCII bytes */
                memcpy(text + n - 40, "\xea\xb0\x80", 3);
            if (kind == 2) /* a lone continuation byte after n - 5 ASCII bytes */
                text[n - 5] = (char)0x80;
            text[n] = 0;
            MemoryStream *grow = MemoryStream_new(), *room = MemoryStream_new(512);
            BinaryWriter *wg = BinaryWriter_new(grow), *wr = BinaryWriter_new(room);
            assert_true(BinaryWriter_WriteByte(wr, 0x55));
            assert_true(BinaryWriter_WriteByte(wg, 0x55));
            assert_true(BinaryWriter_Write(wg, text));
            assert_true(BinaryWriter_Write(wr, text));
            int32_t lg = 0, lr = 0;
            uint8_t *bg = ms_bytes(grow, &lg), *br = ms_bytes(room, &lr);
            ASSERT_BYTES(br, lr, bg, lg);
            ASSERT_I64(Stream_get_Position(room), lr);
            int skip = 1 + 1 + (n >= 128); /* the 0x55, the 7-bit length */
            if (kind != 2)
                ASSERT_BYTES(br + skip, lr - skip, text, n);
            Array_Free(bg);
            Array_Free(br);
            Dispose(wg);
            Dispose(wr);
            Dispose(grow);
            Dispose(room);
        }
}

/* Write(string) of text into a fixed stream of `size` bytes of 'x' that cannot take its encoding:
 * NotSupportedException, as .NET's fixed MemoryStream raises, and not one byte of the stream
 * changed. */
static void expect_write_keeps_fixed_stream(const char *text, size_t size)
{
    uint8_t *buf = malloc(size), *want = malloc(size);
    assert_non_null(buf);
    assert_non_null(want);
    memset(buf, 'x', size);
    memcpy(want, buf, size);
    MemoryStream *ms = MemoryStream_new(buf, (int32_t)size);
    BinaryWriter *w = BinaryWriter_new(ms);
    assert_false(BinaryWriter_WriteString(w, text));
    EXPECT_EXC(NotSupportedException);
    ASSERT_I64(Stream_get_Position(ms), 0);
    ASSERT_BYTES(buf, size, want, size);
    Dispose(w);
    Dispose(ms);
    free(buf);
    free(want);
}

/* sharpipc's own: short non-ASCII strings (up to 127 bytes, the exported call's window path) make
 * the bytes a growing stream gets, written over bytes a stream already holds too, valid or with one
 * invalid byte (U+FFFD), through Write(string) and WriteWithLength; and one whose U+FFFD does not
 * fit a fixed stream leaves its bytes as they were. */
static void short_non_ascii_strings_in_place(void **state)
{
    (void)state;
    char text[130];
    for (int n = 1; n < 128; n++)
        for (int bad = -1; bad < n; bad += bad < 0 ? 1 : (n > 40 ? 7 : 1)) {
            for (int k = 0; k + 3 <= n; k += 3)
                memcpy(text + k, k % 2 ? "\xeb\x82\x98" : "\xea\xb0\x80", 3);
            for (int k = n - n % 3; k < n; k++)
                text[k] = 'z';
            if (bad >= 0)
                text[bad] = (char)0xFF;
            text[n] = 0;
            MemoryStream *grow = MemoryStream_new(), *over = MemoryStream_new(512);
            BinaryWriter *wg = BinaryWriter_new(grow), *wo = BinaryWriter_new(over);
            for (int k = 0; k < 300; k++)
                assert_true(BinaryWriter_WriteByte(wo, 0x55));
            assert_true(Stream_set_Position(over, 1));
            assert_true(BinaryWriter_WriteByte(wg, 0x55));
            assert_true(BinaryWriter_WriteString(wg, text));
            assert_true(BinaryWriter_WriteStringWithLength(wg, text, n));
            assert_true(BinaryWriter_WriteString(wo, text));
            assert_true(BinaryWriter_WriteStringWithLength(wo, text, n));
            int32_t lg = 0, lo = 0;
            uint8_t *bg = ms_bytes(grow, &lg), *bo = ms_bytes(over, &lo);
            ASSERT_I64(lo, 300);
            ASSERT_I64(Stream_get_Position(over), lg);
            ASSERT_BYTES(bo, lg, bg, lg);
            if (bad < 0)
                ASSERT_BYTES(bg + 2, n, text, n);
            Array_Free(bg);
            Array_Free(bo);
            Dispose(wg);
            Dispose(wo);
            Dispose(grow);
            Dispose(over);
        }
    /* 21 bytes whose last lead is cut off: U+FFFD makes 22, one more than the fixed stream holds */
    memcpy(text, "\xea\xb0\x80\xeb\x82\x98\xea\xb0\x80\xeb\x82\x98\xea\xb0\x80\xeb\x82\x98\xeb\x82\xff", 22);
    expect_write_keeps_fixed_stream(text, 22);
}

/* sharpipc's own: a Write(string) that fails leaves the bytes already in the stream as they were.
 * Invalid UTF-8 after a long ASCII run fits the fixed stream as it is (so the in-place path tries
 * it), but its U+FFFD (3 bytes for the 1) does not: NotSupportedException, as .NET's fixed
 * MemoryStream raises, and the text the stream held is still there. */
static void string_write_that_fails_keeps_the_stream(void **state)
{
    (void)state;
    char text[152];
    memset(text, 'a', 100);
    text[100] = (char)0xFF;
    memset(text + 101, 'b', 50);
    text[151] = 0;
    expect_write_keeps_fixed_stream(text, 154); /* 2 + 151 bytes fit, 2 + 153 do not */
}

/* sharpipc's own: the UTF-8 bytes Write(string) puts on the wire, and the WithLength variants */
static void string_encodings(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *bytes; /* prefix + UTF-8 */
        int n;
    } cases[] = {
        {"", "\x00", 1},
        {"h\xC3\xA9llo", "\x06h\xC3\xA9llo", 7},
        {"\xEC\x95\x88\xEB\x85\x95\xED\x95\x98\xEC\x84\xB8\xEC\x9A\x94", /* 안녕하세요 */
         "\x0F\xEC\x95\x88\xEB\x85\x95\xED\x95\x98\xEC\x84\xB8\xEC\x9A\x94", 16},
        {"\xF0\x9F\x98\x80", "\x04\xF0\x9F\x98\x80", 5}, /* 😀 */
        {"a\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD"
         "b",
         "\x0A"
         "a\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD"
         "b",
         11},
        /* Invalid UTF-8 input becomes U+FFFD, as Encoding.UTF8 does for lone surrogates. */
        {"a\xFF"
         "b",
         "\x05"
         "a\xEF\xBF\xBD"
         "b",
         6},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        MemoryStream *ms = MemoryStream_new();
        BinaryWriter *w = BinaryWriter_new(ms);
        assert_true(BinaryWriter_WriteString(w, cases[i].text));
        ASSERT_MS(ms, cases[i].bytes, cases[i].n);
        Dispose(w);
        Dispose(ms);
    }
    /* U+0000 inside: the WithLength variants. */
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    assert_true(BinaryWriter_WriteStringWithLength(w, "a\0b", 3));
    assert_true(BinaryWriter_WriteStringWithLength(w, "\0", 1));
    assert_true(BinaryWriter_WriteStringWithLength(w, "xyz", 0));
    ASSERT_MS(ms,
              "\x03"
              "a\0b"
              "\x01\0"
              "\x00",
              7);
    rewind_ms(ms);
    BinaryReader *r = BinaryReader_new(ms);
    int32_t n = -1;
    char *s = BinaryReader_ReadStringWithLength(r, &n);
    ASSERT_BYTES(s, n, "a\0b", 3);
    assert_int_equal(s[3], 0); /* still NUL-terminated */
    String_Free(s);
    s = BinaryReader_ReadStringWithLength(r, &n);
    ASSERT_BYTES(s, n, "\0", 1);
    String_Free(s);
    s = BinaryReader_ReadStringWithLength(r, &n);
    assert_non_null(s);
    assert_int_equal(n, 0);
    assert_string_equal(s, "");
    String_Free(s);
    s = BinaryReader_ReadStringWithLength(r, NULL);
    assert_null(s);
    EXPECT_EXC(EndOfStreamException);
    assert_false(BinaryWriter_WriteStringWithLength(w, "abc", -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    Dispose(r);
    Dispose(w);
    Dispose(ms);
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryWriter/BinaryWriter.WriteTests.cs: BinaryWriter_WriteStringTest_Null */
static void BinaryWriter_WriteTests_BinaryWriter_WriteStringTest_Null(void **state)
{
    (void)state;
    /* Write(string) null is ArgumentNullException and writes nothing. */
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    assert_false(BinaryWriter_WriteString(w, NULL));
    EXPECT_EXC(ArgumentNullException);
    ASSERT_I64(Stream_get_Length(ms), 0);
    Dispose(w);
    Dispose(ms);
}

/* sharpipc's own: ReadString decodes invalid UTF-8 with U+FFFD, as Encoding.UTF8 */
static void reading_strings_with_invalid_utf8(void **state)
{
    (void)state;
    /* BinaryReader decodes with Encoding.UTF8's replacement fallback. */
    MemoryStream *ms = SP_MS_LIT("\x05"
                                 "a\xFF\xC3"
                                 "b\xE2"
                                 "\x02\xC3\xA9");
    BinaryReader *r = BinaryReader_new(ms);
    char *s = BinaryReader_ReadString(r);
    assert_string_equal(s, "a\xEF\xBF\xBD\xEF\xBF\xBD"
                           "b\xEF\xBF\xBD");
    String_Free(s);
    s = BinaryReader_ReadString(r);
    assert_string_equal(s, "\xC3\xA9");
    String_Free(s);
    Dispose(r);
    Dispose(ms);
}

/* sharpipc's own: the UTF-16 wire bytes (no BOM, byte-count prefix); cf. BinaryWriterTests.BinaryWriter_EncodingCtorAndWriteTests */
static void utf16_writer_and_reader(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms, Encoding_Unicode);
    assert_true(BinaryWriter_WriteString(w, "h\xC3\xA9"));
    assert_true(BinaryWriter_WriteChar(w, 'A'));
    assert_true(BinaryWriter_WriteString(w, "\xF0\x9F\x98\x80"));
    static const uint16_t pair[] = {0xD83D, 0xDE00};
    assert_true(BinaryWriter_WriteChars(w, pair, 0, 2));
    /* No BOM, ever; the prefix counts bytes. */
    ASSERT_MS(ms,
              "\x04h\0\xE9\0"
              "A\0"
              "\x04\x3D\xD8\x00\xDE"
              "\x3D\xD8\x00\xDE",
              16);
    rewind_ms(ms);
    BinaryReader *r = BinaryReader_new(ms, Encoding_Unicode);
    char *s = BinaryReader_ReadString(r);
    assert_string_equal(s, "h\xC3\xA9");
    String_Free(s);
    assert_int_equal(BinaryReader_ReadChar(r), 'A');
    s = BinaryReader_ReadString(r);
    assert_string_equal(s, "\xF0\x9F\x98\x80");
    String_Free(s);
    int32_t n = 0;
    uint16_t *c = BinaryReader_ReadChars(r, 2, &n);
    assert_int_equal(n, 2);
    assert_int_equal(c[0], 0xD83D);
    assert_int_equal(c[1], 0xDE00);
    Array_Free(c);
    Dispose(r);
    Dispose(w);
    Dispose(ms);

    ms = MemoryStream_new();
    w = BinaryWriter_new(ms, Encoding_BigEndianUnicode);
    assert_true(BinaryWriter_WriteString(w, "A\xE2\x82\xAC"));
    ASSERT_MS(ms, "\x04\0A\x20\xAC", 5);
    Dispose(w);
    Dispose(ms);
}

/* ------------------------------------------------------------------ chars */

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryWriter/BinaryWriter.WriteByteCharTests.cs: BinaryWriter_WriteCharTest; also BinaryWriter_WriteCharTest_Negative */
static void BinaryWriter_WriteByteCharTests_BinaryWriter_WriteCharTest(void **state)
{
    (void)state;
    static const uint16_t chars[] = {'A', 'c', 0, 0x2701, '$', '.', '1', 'l', 0x00FF, '\n', '\t', '\v'};
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    for (size_t i = 0; i < sizeof chars / sizeof chars[0]; i++)
        assert_true(BinaryWriter_WriteChar(w, chars[i]));
    ASSERT_MS(ms, "Ac\0\xE2\x9C\x81$.1l\xC3\xBF\n\t\v", 15);
    /* Lone surrogates: ArgumentException, nothing written. */
    for (uint32_t c = 0xD800; c <= 0xDFFF; c += (c < 0xD810 || c > 0xDFF0) ? 1 : 0x37) {
        assert_false(BinaryWriter_WriteChar(w, (uint16_t)c));
        char label[32];
        snprintf(label, sizeof label, "U+%04X", (unsigned)c);
        sp_expect_exc_(ExceptionType_ArgumentException, "Surrogate characters are not allowed as single chars.", label,
                       __FILE__, __LINE__);
    }
    ASSERT_I64(Stream_get_Length(ms), 15);
    rewind_ms(ms);
    BinaryReader *r = BinaryReader_new(ms);
    for (size_t i = 0; i < sizeof chars / sizeof chars[0]; i++)
        assert_int_equal(BinaryReader_ReadChar(r), chars[i]);
    BinaryReader_ReadChar(r);
    EXPECT_EXC(EndOfStreamException);
    Dispose(r);
    Dispose(w);
    Dispose(ms);

    /* The same with Encoding.Unicode. */
    ms = MemoryStream_new();
    w = BinaryWriter_new(ms, Encoding_Unicode);
    assert_false(BinaryWriter_WriteChar(w, 0xD800));
    EXPECT_EXC(ArgumentException);
    assert_false(BinaryWriter_WriteChar(w, 0xDFFF));
    EXPECT_EXC(ArgumentException);
    ASSERT_I64(Stream_get_Length(ms), 0);
    Dispose(w);
    Dispose(ms);
}

/* sharpipc's own: ReadChar of a 4-byte UTF-8 sequence, and of an invalid byte */
static void read_char_of_a_supplementary_character(void **state)
{
    (void)state;
    /* ReadChar cannot return two UTF-16 units: ArgumentException, and a seekable stream goes back. */
    MemoryStream *ms = SP_MS_LIT("\xF0\x9F\x98\x80"
                                 "z");
    BinaryReader *r = BinaryReader_new(ms);
    BinaryReader_ReadChar(r);
    EXPECT_EXC(ArgumentException);
    ASSERT_I64(Stream_get_Position(ms), 0);
    /* ReadChars can, but the decoder kept F0 9F 98 (.NET's DecoderNLS, which drained them when the
     * character did not fit), so the F0 read again after them is invalid: U+FFFD, then the pair. */
    int32_t n = 0;
    uint16_t *c = BinaryReader_ReadChars(r, 3, &n);
    assert_int_equal(n, 3);
    assert_int_equal(c[0], 0xFFFD);
    assert_int_equal(c[1], 0xD83D);
    assert_int_equal(c[2], 0xDE00);
    Array_Free(c);
    Dispose(r);
    Dispose(ms);

    /* An invalid byte reads as U+FFFD. */
    ms = SP_MS_LIT("\xFF"
                   "a");
    r = BinaryReader_new(ms);
    assert_int_equal(BinaryReader_ReadChar(r), 0xFFFD);
    assert_int_equal(BinaryReader_ReadChar(r), 'a');
    Dispose(r);
    Dispose(ms);
}

/* sharpipc's own, checked against .NET 10: ReadChar where the bytes decode to two UTF-16 units
   (a supplementary character, or a replacement and the next character) raises ArgumentException
   naming the encoding's code page, and a seekable stream goes back to where the char began. */
static void read_char_of_two_units_names_the_code_page(void **state)
{
    (void)state;
    static const struct {
        const char *label;
        const char *bytes;
        int32_t count;
        int code_page;
        bool throwing; /* new UTF8Encoding(false, true): the fallback named is the exception one */
    } rows[] = {
        {"UTF-8 lone lead byte", "\xC3xy", 3, 65001, false},
        {"UTF-8 supplementary", "\xF0\x9F\x98\x80z", 5, 65001, false},
        {"UTF-8 supplementary, throwing", "\xF0\x9F\x98\x80z", 5, 65001, true},
        {"UTF-16 lone high surrogate", "\x3D\xD8x\0", 4, 1200, false},
        {"UTF-16 surrogate pair", "\x3D\xD8\x00\xDEx\0", 6, 1200, false},
        {"UTF-32 supplementary", "\x00\xF6\x01\x00x\0\0\0", 8, 12000, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const Encoding *e = rows[i].throwing             ? UTF8Encoding_new(false, true)
                            : rows[i].code_page == 65001 ? Encoding_UTF8
                            : rows[i].code_page == 1200  ? Encoding_Unicode
                                                         : Encoding_UTF32;
        MemoryStream *ms = sp_ms_with(rows[i].bytes, (size_t)rows[i].count);
        BinaryReader *r = BinaryReader_new(ms, e);
        char want[256];
        snprintf(want, sizeof want,
                 "The output char buffer is too small to contain the decoded characters, encoding codepage '%d' and "
                 "fallback 'System.Text.%s'. (Parameter 'chars')",
                 rows[i].code_page, rows[i].throwing ? "DecoderExceptionFallback" : "DecoderReplacementFallback");
        assert_int_equal(BinaryReader_ReadChar(r), 0); /* a value: 0 with the exception */
        sp_expect_exc_(ExceptionType_ArgumentException, want, rows[i].label, __FILE__, __LINE__);
        ASSERT_I64(Stream_get_Position(ms), 0);
        Dispose(r);
        Dispose(ms);
    }
}

/* sharpipc's own, checked against .NET 10 (a console program doing the same): a ReadChar that
   meets the end of the stream after a UTF-8 lead byte leaves that byte in the decoder, and what
   the stream gains next decides what the following ReadChars give. A row's `want` is per
   ReadChar: a char, or -1 for the two-units ArgumentException (the lead byte's U+FFFD and the
   next char at once), after which the seekable stream is back where that call began and the
   decoder holds nothing. */
static void read_char_after_a_lead_byte_at_the_end(void **state)
{
    (void)state;
    static const struct {
        const char *label;
        uint8_t next;
        int32_t want[3];
    } rows[] = {
        {"then 'x'", 'x', {-1, 'x', 'y'}},
        {"then a continuation byte", 0x80, {-1, 0xFFFD, 'y'}},
        {"then another lead byte", 0xE2, {0xFFFD, -1, 'y'}},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        MemoryStream *ms = MemoryStream_new();
        assert_true(Stream_WriteByte(ms, 0xE2));
        rewind_ms(ms);
        BinaryReader *r = BinaryReader_new(ms, UTF8Encoding_new(false, false));
        assert_int_equal(BinaryReader_ReadChar(r), 0);
        sp_expect_exc_(ExceptionType_EndOfStreamException, "Unable to read beyond the end of the stream.",
                       rows[i].label, __FILE__, __LINE__);
        int64_t at = Stream_get_Position(ms);
        assert_true(Stream_Seek(ms, 0, SeekOrigin_End) >= 0);
        assert_true(Stream_WriteByte(ms, rows[i].next));
        assert_true(Stream_WriteByte(ms, 'y'));
        Stream_set_Position(ms, at);
        for (int k = 0; k < 3; k++) {
            int32_t c = BinaryReader_ReadChar(r);
            if (rows[i].want[k] >= 0) {
                if (c != rows[i].want[k] || Exception_get_Current())
                    fail_msg("%s, ReadChar %d: %d (want %d)", rows[i].label, k + 2, c, rows[i].want[k]);
            } else {
                sp_expect_exc_(ExceptionType_ArgumentException,
                               "The output char buffer is too small to contain the decoded characters, encoding "
                               "codepage '65001' and fallback 'System.Text.DecoderReplacementFallback'. (Parameter "
                               "'chars')",
                               rows[i].label, __FILE__, __LINE__);
            }
        }
        Dispose(r);
        Dispose(ms);
    }
}

/* sharpipc's own: Write(char[]) with surrogate pairs and lone surrogates, the byte/char overloads' bytes and
   argument checks (cf. BinaryWriter_WriteBArrayTest_Negative, BinaryWriter_WriteCharArrayTest_Negative) */
static void write_char_array_with_surrogate_pairs(void **state)
{
    (void)state;
    static const uint16_t text[] = {'a', 0xD83D, 0xDE00, 'b', 0xAC00};
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    assert_true(BinaryWriter_WriteChars(w, text, 0, 5));
    assert_true(BinaryWriter_Write(w, text, 1, 2)); /* the _Generic form: uint16_t * -> chars */
    /* No length prefix. */
    ASSERT_MS(ms,
              "a\xF0\x9F\x98\x80"
              "b\xEA\xB0\x80"
              "\xF0\x9F\x98\x80",
              13);
    rewind_ms(ms);
    BinaryReader *r = BinaryReader_new(ms);
    int32_t n = 0;
    uint16_t *c = BinaryReader_ReadChars(r, 7, &n);
    assert_int_equal(n, 7);
    assert_memory_equal(c, text, sizeof text);
    assert_int_equal(c[5], 0xD83D);
    assert_int_equal(c[6], 0xDE00);
    Array_Free(c);
    Dispose(r);
    Dispose(w);
    Dispose(ms);

    /* A lone surrogate inside a char[] becomes U+FFFD (Encoding.UTF8 replaces; only Write(char) throws). */
    static const uint16_t lone[] = {'x', 0xD800, 'y', 0xDC00};
    ms = MemoryStream_new();
    w = BinaryWriter_new(ms);
    assert_true(BinaryWriter_WriteChars(w, lone, 0, 4));
    ASSERT_MS(ms, "x\xEF\xBF\xBDy\xEF\xBF\xBD", 8);
    /* Argument checks. */
    assert_false(BinaryWriter_WriteChars(w, lone, -1, 1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("index");
    assert_false(BinaryWriter_WriteChars(w, lone, 0, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("count");
    assert_false(BinaryWriter_WriteBytes(w, "ab", -1, 1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("index");
    assert_false(BinaryWriter_WriteBytes(w, "ab", 0, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("count");
    assert_false(BinaryWriter_WriteBytes(w, NULL, 0, 1));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("buffer");
    ASSERT_I64(Stream_get_Length(ms), 8);
    /* Raw bytes and UTF-8 chars, no prefix. */
    assert_true(BinaryWriter_WriteBytes(w, "0123", 1, 2));
    assert_true(BinaryWriter_WriteUtf8Chars(w, "h\xC3\xA9!", 1, 2));
    assert_true(BinaryWriter_Write(w, "xyz", 0, 2)); /* char * -> UTF-8 chars */
    uint8_t raw[] = {9, 8, 7};
    assert_true(BinaryWriter_Write(w, raw, 3)); /* uint8_t * -> bytes, index 0 */
    ASSERT_MS(ms,
              "x\xEF\xBF\xBDy\xEF\xBF\xBD"
              "12"
              "\xC3\xA9"
              "xy"
              "\x09\x08\x07",
              17);
    Dispose(w);
    Dispose(ms);
}

/* .NET's ChunkingStream: a MemoryStream whose Read gives count - 3 bytes when asked for more than
 * 10 (here read-only over a copy of the bytes, which is all the tests below need of it). */
typedef struct ShortStream {
    Stream stream;
    uint8_t *data;
    int32_t length, position;
} ShortStream;

static int32_t short_read(Stream *s, uint8_t *buffer, int32_t count)
{
    ShortStream *c = (ShortStream *)s;
    if (count > 10)
        count -= 3;
    int32_t n = c->length - c->position < count ? c->length - c->position : count;
    memcpy(buffer, c->data + c->position, (size_t)n);
    c->position += n;
    return n;
}

static void short_destroy(Object *o) { Array_Free(((ShortStream *)o)->data); }
static const sp_stream_ops short_ops = {.read = short_read};
static const sp_type short_type = {"Test.ChunkingStream", &sp_type_Stream, NULL, short_destroy};

static Stream *short_stream(MemoryStream *from)
{
    ShortStream *c = sp_object_new(sizeof *c, &short_type);
    assert_non_null(c);
    sp_stream_init(&c->stream, &short_ops);
    c->data = MemoryStream_ToArray(from, &c->length);
    return &c->stream;
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryReader/BinaryReaderTests.cs: ReadChars_OverReads ([Theory]: UTF-8 and Unicode) */
static void BinaryReaderTests_ReadChars_OverReads(void **state)
{
    (void)state;
    /* "hello world \ud83d\ude03!": 14 code points, 15 chars in UTF-16, 17 bytes in UTF-8 */
    static const uint16_t data1[] = {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', ' ', 0xD83D, 0xDE03, '!'};
    const int32_t n1 = (int32_t)(sizeof data1 / sizeof data1[0]);
    const uint32_t data2 = 0xABCDEF01u;
    for (int unicode = 0; unicode < 2; unicode++) {
        const Encoding *encoding = unicode ? Encoding_Unicode : Encoding_UTF8;
        MemoryStream *ms = MemoryStream_new();
        BinaryWriter *w = BinaryWriter_new(ms, encoding, true);
        assert_true(BinaryWriter_WriteChars(w, data1, 0, n1));
        assert_true(BinaryWriter_WriteUInt32(w, data2));
        Dispose(w);
        Stream *stream = short_stream(ms);
        BinaryReader *r = BinaryReader_new(stream, encoding, true);
        int32_t n = 0;
        uint16_t *chars = BinaryReader_ReadChars(r, n1, &n);
        if (!chars)
            fail_msg("%s: %s", unicode ? "Unicode" : "UTF-8", Exception_get_Message(Exception_get_Current()));
        assert_int_equal(n, n1);
        assert_memory_equal(chars, data1, sizeof data1);
        Array_Free(chars);
        ASSERT_U64(BinaryReader_ReadUInt32(r), data2);
        EXPECT_NO_EXC();
        Dispose(r);
        Dispose(stream);

        /* The same through Read(char[], index, count), which shares .NET's InternalReadChars. */
        stream = short_stream(ms);
        r = BinaryReader_new(stream, encoding, true);
        uint16_t into[20] = {0};
        assert_int_equal(BinaryReader_Read(r, into, 2, n1), n1);
        assert_memory_equal(into + 2, data1, sizeof data1);
        assert_int_equal(into[2 + n1], 0);
        ASSERT_U64(BinaryReader_ReadUInt32(r), data2);
        Dispose(r);
        Dispose(stream);
        Dispose(ms);
    }
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryReader/BinaryReaderTests.cs: Read_CharArray ([Theory]) */
static void BinaryReaderTests_Read_CharArray(void **state)
{
    (void)state;
    struct {
        int32_t source_size, index, count, destination_size, expected;
    } rows[] = {{100, 0, 100, 100, 100}, {100, 25, 50, 100, 50}, {50, 0, 100, 100, 50}, {0, 0, 10, 10, 0}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint8_t source[100];
        uint32_t seed = 345;
        for (int32_t k = 0; k < rows[i].source_size; k++) {
            seed = seed * 1103515245u + 12345u;
            source[k] = (uint8_t)((seed >> 16) % 127);
        }
        MemoryStream *ms = MemoryStream_new();
        assert_true(Stream_Write(ms, source, 0, rows[i].source_size));
        assert_true(Stream_set_Position(ms, 0));
        BinaryReader *r = BinaryReader_new(ms, Encoding_ASCII);
        uint16_t destination[100] = {0};
        int32_t got = BinaryReader_Read(r, destination, rows[i].index, rows[i].count);
        assert_int_equal(got, rows[i].expected);
        for (int32_t k = 0; k < got; k++)
            assert_int_equal(destination[rows[i].index + k], source[k]);
        /* nothing written past the end */
        for (int32_t k = rows[i].index + got; k < rows[i].destination_size; k++)
            assert_int_equal(destination[k], 0);
        Dispose(r);
        Dispose(ms);
    }
    /* the argument checks, in .NET's order, before the disposed check */
    MemoryStream *ms = SP_MS_LIT("ab");
    BinaryReader *r = BinaryReader_new(ms);
    uint16_t b[4];
    assert_int_equal(BinaryReader_ReadIntoChars(r, NULL, 0, 1), -1);
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("buffer");
    assert_int_equal(BinaryReader_ReadIntoChars(r, b, -1, 1), -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("index");
    assert_int_equal(BinaryReader_ReadIntoChars(r, b, 0, -1), -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("count");
    assert_int_equal(BinaryReader_ReadIntoChars(r, b, 0, 0), 0);
    EXPECT_NO_EXC();
    Dispose(r);
    Dispose(ms);
}

/* sharpipc's own (the old port of ReadChars_OverReads): a surrogate pair and multi-byte chars
 * split over a stream of 1-byte reads */
static void read_chars_over_one_byte_reads(void **state)
{
    (void)state;
    /* .NET's ChunkingStream case: a surrogate pair (and multi-byte chars) split over many reads. */
    static const char bytes[] = "a\xF0\x9F\x98\x80"
                                "b\xEA\xB0\x80"
                                "c";
    Stream *s = chunk_stream(bytes, (int32_t)sizeof bytes - 1);
    BinaryReader *r = BinaryReader_new(s);
    int32_t n = 0;
    uint16_t *c = BinaryReader_ReadChars(r, 6, &n);
    assert_int_equal(n, 6);
    static const uint16_t expected[] = {'a', 0xD83D, 0xDE00, 'b', 0xAC00, 'c'};
    assert_memory_equal(c, expected, sizeof expected);
    Array_Free(c);
    c = BinaryReader_ReadChars(r, 6, &n);
    assert_non_null(c);
    assert_int_equal(n, 0);
    Array_Free(c);
    Dispose(r);
    Dispose(s);
}

/* sharpipc's own: every primitive read over a stream that returns one byte per read */
static void primitives_with_one_byte_reads(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    BinaryWriter_WriteInt16(w, -2);
    BinaryWriter_WriteInt32(w, 0x12345678);
    BinaryWriter_WriteInt64(w, -1234567890123LL);
    BinaryWriter_WriteDouble(w, 2.5);
    BinaryWriter_WriteDecimal(w, Decimal_new(10005, 0, 0, true, 1));
    BinaryWriter_WriteString(w, "\xEC\x95\x88\xEB\x85\x95 \xF0\x9F\x98\x80");
    BinaryWriter_Write7BitEncodedInt(w, -1);
    BinaryWriter_WriteChar(w, 0x20AC);
    int32_t n;
    uint8_t *bytes = ms_bytes(ms, &n);
    Stream *s = chunk_stream(bytes, n);
    Array_Free(bytes);
    BinaryReader *r = BinaryReader_new(s);
    ASSERT_I64(BinaryReader_ReadInt16(r), -2);
    ASSERT_I64(BinaryReader_ReadInt32(r), 0x12345678);
    ASSERT_I64(BinaryReader_ReadInt64(r), -1234567890123LL);
    assert_true(BinaryReader_ReadDouble(r) == 2.5);
    Decimal d = BinaryReader_ReadDecimal(r);
    assert_true(Decimal_Equals(d, Decimal_new(10005, 0, 0, true, 1)));
    char *str = BinaryReader_ReadString(r);
    assert_string_equal(str, "\xEC\x95\x88\xEB\x85\x95 \xF0\x9F\x98\x80");
    String_Free(str);
    ASSERT_I64(BinaryReader_Read7BitEncodedInt(r), -1);
    assert_int_equal(BinaryReader_ReadChar(r), 0x20AC);
    /* A non-seekable stream: PeekChar is -1, no exception. */
    assert_int_equal(BinaryReader_PeekChar(r), -1);
    EXPECT_NO_EXC();
    BinaryReader_ReadByte(r);
    EXPECT_EXC(EndOfStreamException);
    Dispose(r);
    Dispose(s);
    Dispose(w);
    Dispose(ms);
}

/* sharpipc's own: Stream.CopyTo and the NotSupported members of a non-seekable read-only stream */
static void copy_to_from_a_non_seekable_stream(void **state)
{
    (void)state;
    /* Stream.CopyTo over a stream of 1-byte reads, with a few buffer sizes. */
    enum { N = 3000 };
    uint8_t data[N];
    for (int i = 0; i < N; i++)
        data[i] = (uint8_t)(i * 13);
    static const int32_t sizes[] = {1, 7, 81920};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        Stream *s = chunk_stream(data, N);
        MemoryStream *dst = MemoryStream_new();
        assert_true(Stream_CopyTo(s, dst, sizes[k]));
        ASSERT_MS(dst, data, N);
        /* A non-seekable stream: Length/Position/Seek are NotSupportedException. */
        ASSERT_I64(Stream_get_Length(s), -1);
        EXPECT_EXC_MSG(NotSupportedException, "Stream does not support seeking.");
        ASSERT_I64(Stream_get_Position(s), -1);
        EXPECT_EXC(NotSupportedException);
        ASSERT_I64(Stream_Seek(s, 0, SeekOrigin_Begin), -1);
        EXPECT_EXC(NotSupportedException);
        assert_false(Stream_get_CanSeek(s));
        assert_false(Stream_get_CanWrite(s));
        assert_false(Stream_WriteByte(s, 1));
        EXPECT_EXC_MSG(NotSupportedException, "Stream does not support writing.");
        assert_false(Stream_CopyTo(dst, s)); /* not writable */
        EXPECT_EXC(NotSupportedException);
        Dispose(dst);
        Dispose(s);
    }
}

/* ------------------------------------------------------------------ short reads at EOF */

/* sharpipc's own: ReadBytes, ReadChars and Read(byte[], int, int) short at the end, and their count checks
   (.NET's ReadChars Theory is BinaryReaderTests_ReadChars) */
static void read_bytes_and_chars_short_at_eof(void **state)
{
    (void)state;
    MemoryStream *ms = SP_MS_LIT("abcde");
    BinaryReader *r = BinaryReader_new(ms);
    int32_t n = -1;
    uint8_t *b = BinaryReader_ReadBytes(r, 0, &n);
    assert_non_null(b);
    assert_int_equal(n, 0);
    Array_Free(b);
    b = BinaryReader_ReadBytes(r, 3, &n);
    ASSERT_BYTES(b, n, "abc", 3);
    Array_Free(b);
    b = BinaryReader_ReadBytes(r, 10, &n);
    EXPECT_NO_EXC();
    ASSERT_BYTES(b, n, "de", 2);
    Array_Free(b);
    b = BinaryReader_ReadBytes(r, 10, &n);
    assert_non_null(b);
    EXPECT_NO_EXC();
    assert_int_equal(n, 0);
    Array_Free(b);
    assert_null(BinaryReader_ReadBytes(r, -1, &n));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("count");
    Dispose(r);
    Dispose(ms);

    ms = SP_MS_LIT("\xEC\x95\x88\xEB\x85\x95"
                   "ab");
    r = BinaryReader_new(ms);
    uint16_t *c = BinaryReader_ReadChars(r, 1, &n);
    assert_int_equal(n, 1);
    assert_int_equal(c[0], 0xC548); /* 안 */
    Array_Free(c);
    c = BinaryReader_ReadChars(r, 10, &n);
    EXPECT_NO_EXC();
    assert_int_equal(n, 3);
    assert_int_equal(c[0], 0xB155); /* 녕 */
    assert_int_equal(c[1], 'a');
    assert_int_equal(c[2], 'b');
    Array_Free(c);
    c = BinaryReader_ReadChars(r, 10, &n);
    assert_non_null(c);
    assert_int_equal(n, 0);
    Array_Free(c);
    c = BinaryReader_ReadChars(r, 0, &n);
    assert_non_null(c);
    assert_int_equal(n, 0);
    Array_Free(c);
    assert_null(BinaryReader_ReadChars(r, -1, &n));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("count");
    Dispose(r);
    Dispose(ms);

    /* Read(byte[], index, count) and Read(): what is there, 0 / -1 at the end. */
    ms = SP_MS_LIT("xy");
    r = BinaryReader_new(ms);
    uint8_t buf[8] = {0};
    assert_int_equal(BinaryReader_Read(r, buf, 2, 5), 2);
    assert_memory_equal(buf + 2, "xy", 2);
    assert_int_equal(BinaryReader_Read(r, buf, 0, 5), 0);
    assert_int_equal(BinaryReader_Read(r), -1);
    EXPECT_NO_EXC();
    assert_int_equal(BinaryReader_ReadIntoBytes(r, buf, -1, 1), -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("index");
    assert_int_equal(BinaryReader_ReadIntoBytes(r, buf, 0, -1), -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("count");
    Dispose(r);
    Dispose(ms);
}

/* sharpipc's own: PeekChar and Read() over multi-byte UTF-8, and at the end */
static void peek_char_and_read(void **state)
{
    (void)state;
    MemoryStream *ms = SP_MS_LIT("a\xC3\xA9");
    BinaryReader *r = BinaryReader_new(ms);
    assert_int_equal(BinaryReader_PeekChar(r), 'a');
    ASSERT_I64(Stream_get_Position(ms), 0);
    assert_int_equal(BinaryReader_Read(r), 'a');
    assert_int_equal(BinaryReader_PeekChar(r), 0xE9);
    ASSERT_I64(Stream_get_Position(ms), 1);
    assert_int_equal(BinaryReader_Read(r), 0xE9);
    assert_int_equal(BinaryReader_PeekChar(r), -1);
    assert_int_equal(BinaryReader_Read(r), -1);
    EXPECT_NO_EXC();
    Dispose(r);
    Dispose(ms);
}

/* ------------------------------------------------------------------ truncated by one byte */

typedef void (*write_twice_fn)(BinaryWriter *w);
typedef bool (*read_once_fn)(BinaryReader *r); /* true when the value read is the expected one */

static char *big_string(void)
{
    size_t n = 1u << 20;
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)('A' + i % 23);
    s[n] = 0;
    return s;
}

static void w_bool(BinaryWriter *w) { BinaryWriter_WriteBoolean(w, true); }
static bool r_bool(BinaryReader *r) { return BinaryReader_ReadBoolean(r) == true; }
static void w_byte(BinaryWriter *w) { BinaryWriter_WriteByte(w, 0xAB); }
static bool r_byte(BinaryReader *r) { return BinaryReader_ReadByte(r) == 0xAB; }
static void w_sbyte(BinaryWriter *w) { BinaryWriter_WriteSByte(w, -5); }
static bool r_sbyte(BinaryReader *r) { return BinaryReader_ReadSByte(r) == -5; }
static void w_i16(BinaryWriter *w) { BinaryWriter_WriteInt16(w, INT16_MIN); }
static bool r_i16(BinaryReader *r) { return BinaryReader_ReadInt16(r) == INT16_MIN; }
static void w_u16(BinaryWriter *w) { BinaryWriter_WriteUInt16(w, UINT16_MAX); }
static bool r_u16(BinaryReader *r) { return BinaryReader_ReadUInt16(r) == UINT16_MAX; }
static void w_i32(BinaryWriter *w) { BinaryWriter_WriteInt32(w, INT32_MIN); }
static bool r_i32(BinaryReader *r) { return BinaryReader_ReadInt32(r) == INT32_MIN; }
static void w_u32(BinaryWriter *w) { BinaryWriter_WriteUInt32(w, UINT32_MAX); }
static bool r_u32(BinaryReader *r) { return BinaryReader_ReadUInt32(r) == UINT32_MAX; }
static void w_i64(BinaryWriter *w) { BinaryWriter_WriteInt64(w, INT64_MIN); }
static bool r_i64(BinaryReader *r) { return BinaryReader_ReadInt64(r) == INT64_MIN; }
static void w_u64(BinaryWriter *w) { BinaryWriter_WriteUInt64(w, UINT64_MAX); }
static bool r_u64(BinaryReader *r) { return BinaryReader_ReadUInt64(r) == UINT64_MAX; }
static void w_f32(BinaryWriter *w) { BinaryWriter_WriteSingle(w, FLT_MAX); }
static bool r_f32(BinaryReader *r) { return BinaryReader_ReadSingle(r) == FLT_MAX; }
static void w_f64(BinaryWriter *w) { BinaryWriter_WriteDouble(w, DBL_MAX); }
static bool r_f64(BinaryReader *r) { return BinaryReader_ReadDouble(r) == DBL_MAX; }
static void w_dec(BinaryWriter *w) { BinaryWriter_WriteDecimal(w, Decimal_MaxValue); }
static bool r_dec(BinaryReader *r) { return Decimal_Equals(BinaryReader_ReadDecimal(r), Decimal_MaxValue); }
static void w_half(BinaryWriter *w) { BinaryWriter_WriteHalf(w, Half_MaxValue); }
static bool r_half(BinaryReader *r) { return BinaryReader_ReadHalf(r).bits == Half_MaxValue.bits; }
static void w_char(BinaryWriter *w) { BinaryWriter_WriteChar(w, 0x2701); }
static bool r_char(BinaryReader *r) { return BinaryReader_ReadChar(r) == 0x2701; }
static void w_7min(BinaryWriter *w) { BinaryWriter_Write7BitEncodedInt(w, INT32_MIN); }
static bool r_7min(BinaryReader *r) { return BinaryReader_Read7BitEncodedInt(r) == INT32_MIN; }
static void w_7max(BinaryWriter *w) { BinaryWriter_Write7BitEncodedInt(w, INT32_MAX); }
static bool r_7max(BinaryReader *r) { return BinaryReader_Read7BitEncodedInt(r) == INT32_MAX; }
static void w_7min64(BinaryWriter *w) { BinaryWriter_Write7BitEncodedInt64(w, INT64_MIN); }
static bool r_7min64(BinaryReader *r) { return BinaryReader_Read7BitEncodedInt64(r) == INT64_MIN; }
static void w_7max64(BinaryWriter *w) { BinaryWriter_Write7BitEncodedInt64(w, INT64_MAX); }
static bool r_7max64(BinaryReader *r) { return BinaryReader_Read7BitEncodedInt64(r) == INT64_MAX; }
static void w_str0(BinaryWriter *w) { BinaryWriter_WriteString(w, ""); }
static bool r_str0(BinaryReader *r)
{
    char *s = BinaryReader_ReadString(r);
    bool ok = s && !*s;
    String_Free(s);
    return ok;
}
static void w_str11(BinaryWriter *w) { BinaryWriter_WriteString(w, "hello world"); }
static bool r_str11(BinaryReader *r)
{
    char *s = BinaryReader_ReadString(r);
    bool ok = s && !strcmp(s, "hello world");
    String_Free(s);
    return ok;
}
static void w_str1m(BinaryWriter *w)
{
    char *s = big_string();
    BinaryWriter_WriteString(w, s);
    free(s);
}
static bool r_str1m(BinaryReader *r)
{
    char *s = BinaryReader_ReadString(r), *e = big_string();
    bool ok = s && !strcmp(s, e);
    String_Free(s);
    free(e);
    return ok;
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryReader/BinaryReaderTests.cs: BinaryReader_EofReachedEarlyTests_ThrowsException */
static void BinaryReaderTests_BinaryReader_EofReachedEarlyTests_ThrowsException(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        write_twice_fn w;
        read_once_fn r;
    } types[] = {
        {"Boolean", w_bool, r_bool},        {"Byte", w_byte, r_byte},
        {"SByte", w_sbyte, r_sbyte},        {"Int16", w_i16, r_i16},
        {"UInt16", w_u16, r_u16},           {"Int32", w_i32, r_i32},
        {"UInt32", w_u32, r_u32},           {"Int64", w_i64, r_i64},
        {"UInt64", w_u64, r_u64},           {"Single", w_f32, r_f32},
        {"Double", w_f64, r_f64},           {"Decimal", w_dec, r_dec},
        {"Half", w_half, r_half},           {"Char", w_char, r_char},
        {"7bit min", w_7min, r_7min},       {"7bit max", w_7max, r_7max},
        {"7bit64 min", w_7min64, r_7min64}, {"7bit64 max", w_7max64, r_7max64},
        {"String 0", w_str0, r_str0},       {"String 11", w_str11, r_str11},
        {"String 1Mi", w_str1m, r_str1m},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        MemoryStream *ms = MemoryStream_new();
        BinaryWriter *w = BinaryWriter_new(ms);
        types[i].w(w);
        types[i].w(w);
        EXPECT_NO_EXC_AT(types[i].name);
        int64_t len = Stream_get_Length(ms);
        assert_true(Stream_SetLength(ms, len - 1));
        rewind_ms(ms);
        BinaryReader *r = BinaryReader_new(ms);
        if (!types[i].r(r))
            fail_msg("%s: the first value did not read back", types[i].name);
        EXPECT_NO_EXC_AT(types[i].name);
        types[i].r(r);
        EXPECT_EXC_AT(EndOfStreamException, types[i].name);
        Dispose(r);
        Dispose(w);
        Dispose(ms);
    }
}

/* ------------------------------------------------------------------ hostile lengths */

/* sharpipc's own: a hostile string length fails at once, without a 2 GB allocation */
static void huge_declared_string_length_fails_fast(void **state)
{
    (void)state;
    /* 0x7FFFFFFF as the length, then 5 bytes: EndOfStreamException at once, no 2 GB allocation. */
    MemoryStream *ms = SP_MS_LIT("\xFF\xFF\xFF\xFF\x07"
                                 "abcde");
    BinaryReader *r = BinaryReader_new(ms);
#ifdef SP_HAVE_RLIMIT
    /* Cap the address space at what we use now + 512 MB for the duration of the read (skipped
     * under valgrind, which needs its own mappings). */
    struct rlimit old;
    bool limited = false;
    const char *preload = getenv("LD_PRELOAD");
    if (!(preload && strstr(preload, "vgpreload")) && getrlimit(RLIMIT_AS, &old) == 0) {
        long pages = 0;
        FILE *f = fopen("/proc/self/statm", "r");
        if (f) {
            if (fscanf(f, "%ld", &pages) != 1)
                pages = 0;
            fclose(f);
        }
        if (pages > 0) {
            struct rlimit lim = old;
            lim.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)512 << 20);
            if (old.rlim_cur == RLIM_INFINITY || lim.rlim_cur < old.rlim_cur)
                limited = setrlimit(RLIMIT_AS, &lim) == 0;
        }
    }
#endif
    double t0 = sp_now_seconds();
    char *s = BinaryReader_ReadString(r);
    double elapsed = sp_now_seconds() - t0;
#ifdef SP_HAVE_RLIMIT
    if (limited)
        setrlimit(RLIMIT_AS, &old);
#endif
    assert_null(s);
    EXPECT_EXC_MSG(EndOfStreamException, "Unable to read beyond the end of the stream.");
    if (elapsed > 0.5)
        fail_msg("ReadString took %.3f s of CPU for a 10-byte stream", elapsed);
    Dispose(r);
    Dispose(ms);

    /* The same through ReadStringWithLength and over a 1-byte-per-read stream. */
    Stream *cs = chunk_stream("\xFF\xFF\xFF\xFF\x07"
                              "abcde",
                              10);
    r = BinaryReader_new(cs);
    int32_t n = 5;
    assert_null(BinaryReader_ReadStringWithLength(r, &n));
    EXPECT_EXC(EndOfStreamException);
    Dispose(r);
    Dispose(cs);

    /* ReadBytes / ReadChars with a huge count over a short stream: what is there, quickly. */
    ms = SP_MS_LIT("abc");
    r = BinaryReader_new(ms);
    t0 = sp_now_seconds();
    uint8_t *b = BinaryReader_ReadBytes(r, INT32_MAX, &n);
    ASSERT_BYTES(b, n, "abc", 3);
    Array_Free(b);
    Stream_set_Position(ms, 0);
    uint16_t *c = BinaryReader_ReadChars(r, INT32_MAX, &n);
    assert_int_equal(n, 3);
    Array_Free(c);
    elapsed = sp_now_seconds() - t0;
    if (elapsed > 0.5)
        fail_msg("ReadBytes/ReadChars(int.MaxValue) took %.3f s", elapsed);
    Dispose(r);
    Dispose(ms);
}

/* sharpipc's own: a negative string length is IOException with .NET's message */
static void negative_string_length_is_io_exception(void **state)
{
    (void)state;
    MemoryStream *ms = SP_MS_LIT("\xFF\xFF\xFF\xFF\x0F"
                                 "abc");
    BinaryReader *r = BinaryReader_new(ms);
    assert_null(BinaryReader_ReadString(r));
    EXPECT_EXC_MSG(IOException, "BinaryReader encountered an invalid string length of -1 characters.");
    Dispose(r);
    Dispose(ms);
    ms = SP_MS_LIT("\x80\x80\x80\x80\x08");
    r = BinaryReader_new(ms);
    assert_null(BinaryReader_ReadString(r));
    EXPECT_EXC_MSG(IOException, "BinaryReader encountered an invalid string length of -2147483648 characters.");
    Dispose(r);
    Dispose(ms);
}

/* sharpipc's own: ReadDecimal of invalid flags is IOException (Arg_DecBitCtor) */
static void read_decimal_with_invalid_flags(void **state)
{
    (void)state;
    static const char msg[] =
        "Decimal byte array constructor requires an array of length four containing valid decimal bytes.";
    static const uint32_t bad_flags[] = {0x00000001u, 0x001D0000u /* scale 29 */, 0x00FF0000u, 0x7F000000u,
                                         0x80000100u};
    for (size_t i = 0; i < sizeof bad_flags / sizeof bad_flags[0]; i++) {
        uint8_t b[16] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        for (int k = 0; k < 4; k++)
            b[12 + k] = (uint8_t)(bad_flags[i] >> (8 * k));
        MemoryStream *ms = sp_ms_with(b, 16);
        BinaryReader *r = BinaryReader_new(ms);
        Decimal d = BinaryReader_ReadDecimal(r);
        EXPECT_EXC_MSG(IOException, msg);
        assert_false(Exception_Is(Exception_get_Current(), ExceptionType_ArgumentException));
        assert_int_equal(d.lo | d.mid | d.hi | d.flags, 0);
        Dispose(r);
        Dispose(ms);
    }
    /* Valid extremes: scale 28, negative. */
    uint8_t ok[16] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1C, 0x80};
    MemoryStream *ms = sp_ms_with(ok, 16);
    BinaryReader *r = BinaryReader_new(ms);
    Decimal d = BinaryReader_ReadDecimal(r);
    EXPECT_NO_EXC();
    assert_int_equal(Decimal_get_Scale(d), 28);
    assert_true(Decimal_IsNegative(d));
    Dispose(r);
    Dispose(ms);
}

/* ------------------------------------------------------------------ after Dispose */

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryReader/BinaryReaderTests.cs: BinaryReader_DisposeTests_Negative;
   also BinaryReader_CloseTests_Negative, BinaryReader_DisposeTests, BinaryReader_CloseTests */
static void BinaryReaderTests_BinaryReader_DisposeTests_Negative(void **state)
{
    (void)state;
    uint8_t buf[4];
    int32_t n;
    for (int variant = 0; variant < 3; variant++) {
        MemoryStream *ms = SP_MS_LIT("0123456789012345678901234567890123456789");
        BinaryReader *r = BinaryReader_new(ms, NULL, variant == 2);
        if (variant == 0) {
            assert_true(BinaryReader_Close(r));
        } else {
            Object_Retain(r);
            assert_true(Dispose(r));
        }
        assert_true(BinaryReader_Close(r)); /* idempotent */
        assert_true(BinaryReader_Close(r));
#define GONE(expr)                                                                                                     \
  do {                                                                                                                 \
    Exception_Clear();                                                                                                 \
    (void)(expr);                                                                                                      \
    sp_expect_exc_(ExceptionType_ObjectDisposedException, "Cannot access a closed file.", #expr, __FILE__, __LINE__);  \
  } while (0)
        GONE(BinaryReader_ReadBoolean(r));
        GONE(BinaryReader_ReadByte(r));
        GONE(BinaryReader_ReadSByte(r));
        GONE(BinaryReader_ReadInt16(r));
        GONE(BinaryReader_ReadUInt16(r));
        GONE(BinaryReader_ReadInt32(r));
        GONE(BinaryReader_ReadUInt32(r));
        GONE(BinaryReader_ReadInt64(r));
        GONE(BinaryReader_ReadUInt64(r));
        GONE(BinaryReader_ReadSingle(r));
        GONE(BinaryReader_ReadDouble(r));
        GONE(BinaryReader_ReadDecimal(r));
        GONE(BinaryReader_ReadHalf(r));
        GONE(BinaryReader_ReadChar(r));
        GONE(BinaryReader_Read(r));
        GONE(BinaryReader_PeekChar(r));
        GONE(BinaryReader_ReadString(r));
        GONE(BinaryReader_ReadStringWithLength(r, &n));
        GONE(BinaryReader_ReadBytes(r, 2, &n));
        GONE(BinaryReader_ReadChars(r, 2, &n));
        GONE(BinaryReader_ReadIntoBytes(r, buf, 0, 2));
        GONE(BinaryReader_Read(r, buf, 0, 2));
        uint16_t cbuf[2];
        GONE(BinaryReader_ReadIntoChars(r, cbuf, 0, 1));
        GONE(BinaryReader_Read(r, cbuf, 0, 1));
        GONE(BinaryReader_Read7BitEncodedInt(r));
        GONE(BinaryReader_Read7BitEncodedInt64(r));
#undef GONE
        /* Without leaveOpen the stream went with it; with it, it is untouched. */
        assert_int_equal(Stream_get_CanRead(ms), variant == 2);
        uint8_t *all = MemoryStream_ToArray(ms, &n);
        assert_non_null(all);
        assert_int_equal(n, 40);
        Array_Free(all);
        assert_true(Dispose(r));
        Dispose(ms);
    }
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryWriter/BinaryWriterTests.cs: BinaryWriter_DisposeTests_Negative (a subset of ValidateDisposedExceptions) */
static void BinaryWriterTests_BinaryWriter_DisposeTests_Negative(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    Object_Retain(w);
    assert_true(Dispose(w));
    assert_true(BinaryWriter_Close(w)); /* idempotent */
    assert_false(BinaryWriter_WriteInt32(w, 1));
    EXPECT_EXC(ObjectDisposedException);
    assert_false(BinaryWriter_WriteString(w, "x"));
    EXPECT_EXC(ObjectDisposedException);
    assert_false(BinaryWriter_WriteChar(w, 'x'));
    EXPECT_EXC(ObjectDisposedException);
    assert_false(BinaryWriter_Write7BitEncodedInt(w, 1));
    EXPECT_EXC(ObjectDisposedException);
    assert_false(BinaryWriter_WriteBytes(w, "ab", 0, 2));
    EXPECT_EXC(ObjectDisposedException);
    ASSERT_I64(Stream_get_Length(ms), -1);
    EXPECT_EXC(ObjectDisposedException); /* the stream was closed with it */
    assert_true(Dispose(w));
    Dispose(ms);
}

/* ------------------------------------------------------------------ construction */

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryWriter/BinaryWriterTests.cs: BinaryWriter_CtorAndWriteTests1_Negative (not writable);
   also BinaryWriter_BaseStreamTests and a FileStream row of BinaryWriter_SeekTests_NegativeOffset */
static void BinaryWriterTests_BinaryWriter_CtorAndWriteTests1_Negative(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "bin");
    sp_write_file(name, "abc", 3);
    FileStream *ro = FileStream_new(name, FileMode_Open, FileAccess_Read);
    assert_null(BinaryWriter_new(ro));
    EXPECT_EXC_MSG(ArgumentException, "Stream was not writable.");
    BinaryReader *r = BinaryReader_new(ro);
    assert_non_null(r);
    Dispose(r);
    Dispose(ro);
    FileStream *wo = FileStream_new(name, FileMode_Open, FileAccess_Write);
    assert_null(BinaryReader_new(wo));
    EXPECT_EXC_MSG(ArgumentException, "Stream was not readable.");
    BinaryWriter *w = BinaryWriter_new(wo);
    assert_non_null(w);
    /* Over a FileStream: the writer's Seek and BaseStream. */
    ASSERT_I64(BinaryWriter_Seek(w, 0, SeekOrigin_End), 3);
    assert_true(BinaryWriter_Write(w, (uint8_t)'d'));
    assert_ptr_equal(BinaryWriter_get_BaseStream(w), (Stream *)wo);
    ASSERT_I64(BinaryWriter_Seek(w, -1, SeekOrigin_Begin), -1);
    EXPECT_EXC(IOException);
    Dispose(w);
    Dispose(wo);
    int32_t n;
    uint8_t *data = sp_read_file(name, &n);
    ASSERT_BYTES(data, n, "abcd", 4);
    free(data);
    File_Delete(name);

    MemoryStream *ms = MemoryStream_new();
    r = BinaryReader_new(ms);
    assert_ptr_equal(BinaryReader_get_BaseStream(r), (Stream *)ms);
    Dispose(r);
    Dispose(ms);
}

/* ------------------------------------------------------------------ the _Generic Write */

/* sharpipc's own: the _Generic BinaryWriter_Write picks the .NET overload for each C type */
static void generic_write_dispatch(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    int64_t before;
#define SIZE_OF_WRITE(expr, expected)                                                                                  \
  do {                                                                                                                 \
    before = Stream_get_Length(ms);                                                                                    \
    assert_true(expr);                                                                                                 \
    if (Stream_get_Length(ms) - before != (expected))                                                                  \
      fail_msg("%s wrote %lld bytes, expected %d", #expr, (long long)(Stream_get_Length(ms) - before),                 \
               (int)(expected));                                                                                       \
  } while (0)
    int8_t i8 = -1;
    uint8_t u8 = 200;
    int16_t i16 = -2;
    uint16_t u16 = 3;
    int32_t i32 = -4;
    uint32_t u32 = 5;
    int64_t i64 = -6;
    uint64_t u64 = 7;
    long l = -8;
    unsigned long ul = 9;
    long long ll = -10;
    unsigned long long ull = 11;
    float f = 1.5f;
    double d = 2.5;
    bool b = true;
    char text[] = "txt";
    const char *ctext = "ctx";
    Decimal dec = Decimal_new(15, 0, 0, false, 1);
    Half h = Half_FromSingle(1.0f);
    SIZE_OF_WRITE(BinaryWriter_Write(w, i8), 1);
    SIZE_OF_WRITE(BinaryWriter_Write(w, u8), 1);
    SIZE_OF_WRITE(BinaryWriter_Write(w, i16), 2);
    SIZE_OF_WRITE(BinaryWriter_Write(w, u16), 2);
    SIZE_OF_WRITE(BinaryWriter_Write(w, i32), 4);
    SIZE_OF_WRITE(BinaryWriter_Write(w, u32), 4);
    SIZE_OF_WRITE(BinaryWriter_Write(w, i64), 8);
    SIZE_OF_WRITE(BinaryWriter_Write(w, u64), 8);
    SIZE_OF_WRITE(BinaryWriter_Write(w, l), (int)sizeof(long));
    SIZE_OF_WRITE(BinaryWriter_Write(w, ul), (int)sizeof(long));
    SIZE_OF_WRITE(BinaryWriter_Write(w, ll), 8);
    SIZE_OF_WRITE(BinaryWriter_Write(w, ull), 8);
    SIZE_OF_WRITE(BinaryWriter_Write(w, f), 4);
    SIZE_OF_WRITE(BinaryWriter_Write(w, d), 8);
    SIZE_OF_WRITE(BinaryWriter_Write(w, b), 1);
    SIZE_OF_WRITE(BinaryWriter_Write(w, dec), 16);
    SIZE_OF_WRITE(BinaryWriter_Write(w, h), 2);
    SIZE_OF_WRITE(BinaryWriter_Write(w, text), 4);         /* char[] decays to char *: a string */
    SIZE_OF_WRITE(BinaryWriter_Write(w, ctext), 4);        /* const char * */
    SIZE_OF_WRITE(BinaryWriter_Write(w, "lit"), 4);        /* a literal */
    SIZE_OF_WRITE(BinaryWriter_Write(w, (int32_t)'A'), 4); /* the documented char-literal trap */
#undef SIZE_OF_WRITE
    rewind_ms(ms);
    BinaryReader *r = BinaryReader_new(ms);
    ASSERT_I64(BinaryReader_ReadSByte(r), -1);
    ASSERT_I64(BinaryReader_ReadByte(r), 200);
    ASSERT_I64(BinaryReader_ReadInt16(r), -2);
    ASSERT_I64(BinaryReader_ReadUInt16(r), 3);
    ASSERT_I64(BinaryReader_ReadInt32(r), -4);
    ASSERT_I64(BinaryReader_ReadUInt32(r), 5);
    ASSERT_I64(BinaryReader_ReadInt64(r), -6);
    ASSERT_I64(BinaryReader_ReadUInt64(r), 7);
    if (sizeof(long) == 8) {
        ASSERT_I64(BinaryReader_ReadInt64(r), -8);
        ASSERT_I64(BinaryReader_ReadUInt64(r), 9);
    } else {
        ASSERT_I64(BinaryReader_ReadInt32(r), -8);
        ASSERT_I64(BinaryReader_ReadUInt32(r), 9);
    }
    ASSERT_I64(BinaryReader_ReadInt64(r), -10);
    ASSERT_I64(BinaryReader_ReadUInt64(r), 11);
    assert_true(BinaryReader_ReadSingle(r) == 1.5f);
    assert_true(BinaryReader_ReadDouble(r) == 2.5);
    assert_true(BinaryReader_ReadBoolean(r));
    assert_true(Decimal_Equals(BinaryReader_ReadDecimal(r), dec));
    assert_int_equal(BinaryReader_ReadHalf(r).bits, 0x3C00);
    static const char *strs[] = {"txt", "ctx", "lit"};
    for (int i = 0; i < 3; i++) {
        char *s = BinaryReader_ReadString(r);
        assert_string_equal(s, strs[i]);
        String_Free(s);
    }
    ASSERT_I64(BinaryReader_ReadInt32(r), 'A');
    Dispose(r);
    Dispose(w);
    Dispose(ms);
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryWriter/BinaryWriterTests.cs: BinaryWriter_CtorAndWriteTests1 */
static void BinaryWriterTests_BinaryWriter_CtorAndWriteTests1(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    BinaryReader *r = BinaryReader_new(ms);
    assert_true(BinaryWriter_WriteBoolean(w, true));
    assert_true(BinaryWriter_Flush(w));
    assert_true(Stream_set_Position(ms, 0));
    assert_true(BinaryReader_ReadBoolean(r));
    EXPECT_NO_EXC();
    Dispose(r);
    Dispose(w);
    Dispose(ms);
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryWriter/BinaryWriterTests.cs: BinaryWriter_EncodingCtorAndWriteTests */
static void BinaryWriterTests_BinaryWriter_EncodingCtorAndWriteTests(void **state)
{
    (void)state;
    /* [MemberData(EncodingAndEncodingStrings)] */
    const struct {
        const Encoding *encoding;
        const char *testString;
    } rows[] = {
        {Encoding_UTF8, "This is UTF8\xC3\xBF"},
        {Encoding_BigEndianUnicode, "This is BigEndianUnicode\xC3\xBF"},
        {Encoding_Unicode, "This is Unicode\xC3\xBF"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        MemoryStream *ms = MemoryStream_new();
        BinaryWriter *w = BinaryWriter_new(ms, rows[i].encoding);
        BinaryReader *r = BinaryReader_new(ms, rows[i].encoding);
        assert_true(BinaryWriter_WriteString(w, rows[i].testString));
        assert_true(BinaryWriter_Flush(w));
        assert_true(Stream_set_Position(ms, 0));
        char *s = BinaryReader_ReadString(r);
        assert_non_null(s);
        assert_string_equal(s, rows[i].testString);
        String_Free(s);
        Dispose(r);
        Dispose(w);
        Dispose(ms);
    }
}

/* What BinaryWriterTests' dw2.Write("...".ToCharArray()) writes: the chars, UTF-8, no prefix. */
static void write_char_array(BinaryWriter *w, const char *text)
{
    assert_true(BinaryWriter_WriteUtf8Chars(w, text, 0, (int32_t)strlen(text)));
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryWriter/BinaryWriterTests.cs: BinaryWriter_SeekTests */
static void BinaryWriterTests_BinaryWriter_SeekTests(void **state)
{
    (void)state;
    const int32_t iArrLargeValues[] = {
        10000,      100000,        INT32_MAX / 200, INT32_MAX / 1000, INT16_MAX, 0x7FFFFFC7 /* Array.MaxLength */,
        0x7FFFFFC6, INT32_MAX / 2, INT32_MAX / 10,  INT32_MAX / 100};
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    write_char_array(w, "Hello, this is my string");
    for (size_t i = 0; i < sizeof iArrLargeValues / sizeof iArrLargeValues[0]; i++)
        ASSERT_I64(BinaryWriter_Seek(w, iArrLargeValues[i], SeekOrigin_Begin), iArrLargeValues[i]);
    Dispose(w);
    Dispose(ms);

    /* Seek, then overwrite: the offset, the origin, the position it returns and the bytes after. */
    const struct {
        int32_t preset_position; /* -1: none */
        int32_t offset;
        SeekOrigin origin;
        int64_t returned;
        const char *write;
        const char *expected;
    } rows[] = {
        {-1, 0, SeekOrigin_Begin, 0, "lki", "lki3456789"},    /* from the start */
        {-1, 3, SeekOrigin_Begin, 3, "lk", "012lk56789"},     /* into the stream */
        {-1, -3, SeekOrigin_End, 7, "ll", "0123456ll9"},      /* from the end */
        {2, 2, SeekOrigin_Current, 4, "ll", "0123ll6789"},    /* from the current position */
        {-1, 10, SeekOrigin_Begin, 10, "ll", "0123456789ll"}, /* to the end */
        {-1, 4, SeekOrigin_End, 14, NULL, NULL},              /* past the end from the middle */
        {-1, 11, SeekOrigin_Begin, 11, NULL, NULL},           /* past the end from the beginning */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms = MemoryStream_new();
        w = BinaryWriter_new(ms);
        write_char_array(w, "0123456789");
        if (rows[i].preset_position >= 0)
            assert_true(Stream_set_Position(ms, rows[i].preset_position));
        ASSERT_I64(BinaryWriter_Seek(w, rows[i].offset, rows[i].origin), rows[i].returned);
        ASSERT_I64(Stream_get_Position(ms), rows[i].returned);
        if (rows[i].write) {
            write_char_array(w, rows[i].write);
            assert_true(BinaryWriter_Flush(w));
            int32_t n;
            uint8_t *bytes = ms_bytes(ms, &n);
            ASSERT_BYTES(bytes, n, rows[i].expected, strlen(rows[i].expected));
            Array_Free(bytes);
        }
        Dispose(w);
        Dispose(ms);
    }
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryWriter/BinaryWriterTests.cs: BinaryWriter_SeekTests_NegativeOffset */
static void BinaryWriterTests_BinaryWriter_SeekTests_NegativeOffset(void **state)
{
    (void)state;
    static const int32_t invalidValues[] = {-1, -2, -10000, INT32_MIN}; /* [InlineData] */
    for (size_t i = 0; i < sizeof invalidValues / sizeof invalidValues[0]; i++) {
        MemoryStream *ms = MemoryStream_new();
        BinaryWriter *w = BinaryWriter_new(ms);
        write_char_array(w, "Hello, this is my string");
        ASSERT_I64(BinaryWriter_Seek(w, invalidValues[i], SeekOrigin_Begin), -1);
        EXPECT_EXC(IOException);
        Dispose(w);
        Dispose(ms);
    }
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryWriter/BinaryWriterTests.cs: BinaryWriter_SeekTests_InvalidSeekOrigin */
static void BinaryWriterTests_BinaryWriter_SeekTests_InvalidSeekOrigin(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    write_char_array(w, "012345789");
    ASSERT_I64(BinaryWriter_Seek(w, 3, (SeekOrigin)~SeekOrigin_Begin), -1);
    EXPECT_EXC(ArgumentException);
    Dispose(w);
    Dispose(ms);
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryWriter/BinaryWriterTests.cs: BinaryWriter_FlushTests */
static void BinaryWriterTests_BinaryWriter_FlushTests(void **state)
{
    (void)state;
    /* Flush updates the underlying stream (a BinaryWriter has nothing to hold back). */
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    const char *str = "HelloWorld";
    int64_t expectedLength = (int64_t)strlen(str) + 1; /* 1 for the 7-bit encoded length */
    assert_true(BinaryWriter_WriteString(w, str));
    ASSERT_I64(Stream_get_Length(ms), expectedLength);
    assert_true(BinaryWriter_Flush(w));
    ASSERT_I64(Stream_get_Length(ms), expectedLength);
    Dispose(w);
    Dispose(ms);

    /* Flushing a closed writer should not throw: it flushes the closed MemoryStream, a no-op. */
    ms = MemoryStream_new();
    w = BinaryWriter_new(ms);
    Object_Retain(w);
    assert_true(Dispose(w));
    assert_true(BinaryWriter_Flush(w));
    EXPECT_NO_EXC();
    Dispose(w);
    Dispose(ms);

    /* BinaryWriterWithBufferedStream_Tests.BinaryWriter_FlushTests: over a stream whose Flush
     * throws once closed (there a BufferedStream, here a FileStream), ObjectDisposedException. */
    char name[64];
    snprintf(name, sizeof name, "sp_bw_flush_%d.bin", sp_getpid());
    FileStream *fs = FileStream_new(name, FileMode_Create);
    assert_non_null(fs);
    w = BinaryWriter_new(fs);
    Object_Retain(w);
    assert_true(Dispose(w));
    assert_false(BinaryWriter_Flush(w));
    EXPECT_EXC(ObjectDisposedException);
    Dispose(w);
    Dispose(fs);
    File_Delete(name);
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryWriter/BinaryWriterTests.cs: BinaryWriter_CloseTests */
static void BinaryWriterTests_BinaryWriter_CloseTests(void **state)
{
    (void)state;
    /* Closing multiple times does not throw. */
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    assert_true(BinaryWriter_Close(w));
    assert_true(BinaryWriter_Close(w));
    assert_true(BinaryWriter_Close(w));
    EXPECT_NO_EXC();
    Dispose(w);
    Dispose(ms);
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/BinaryReader/BinaryReaderTests.cs: ReadChars */
static void BinaryReaderTests_ReadChars(void **state)
{
    (void)state;
    /* [InlineData(source, readLength, expected)]; the source is written as ASCII bytes. */
    static const struct {
        const char *source;
        int source_len;
        int32_t readLength;
        const char *expected;
        int expected_len;
    } rows[] = {
        {"hello", 5, 5, "hello", 5}, {"hello", 5, 8, "hello", 5}, {"he\0\0o", 5, 5, "he\0\0o", 5},
        {"hello", 5, 0, "", 0},      {"", 0, 5, "", 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        MemoryStream *ms = sp_ms_with(rows[i].source, (size_t)rows[i].source_len);
        BinaryReader *r = BinaryReader_new(ms);
        int32_t n = -1;
        uint16_t *destination = BinaryReader_ReadChars(r, rows[i].readLength, &n);
        assert_non_null(destination);
        assert_int_equal(n, rows[i].expected_len);
        for (int k = 0; k < n; k++)
            assert_int_equal(destination[k], (uint8_t)rows[i].expected[k]);
        Array_Free(destination);
        Dispose(r);
        Dispose(ms);
    }
}

/* sharpipc's own, after BinaryReader.ReadExactly(Span<byte>) (.NET 9's BinaryReader.cs): count
 * bytes or EndOfStreamException; an empty buffer completes without reading. */
static void BinaryReader_ReadExactly_FillsOrEndOfStream(void **state)
{
    (void)state;
    uint8_t data[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, got[16] = {0};
    MemoryStream *ms = MemoryStream_new(data, 0, 10, false);
    BinaryReader *r = BinaryReader_new(ms);
    assert_true(BinaryReader_ReadExactly(r, got, 4));
    EXPECT_NO_EXC();
    ASSERT_BYTES(got, 4, data, 4);
    assert_true(BinaryReader_ReadExactly(r, NULL, 0));
    ASSERT_I64(Stream_get_Position(ms), 4);
    assert_false(BinaryReader_ReadExactly(r, got, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    assert_false(BinaryReader_ReadExactly(r, got, 10)); /* 6 left */
    EXPECT_EXC(EndOfStreamException);
    ASSERT_I64(Stream_get_Position(ms), 10);
    Dispose(r);
    Dispose(ms);
}

#ifdef SHARPIPC_FAULT_INJECTION
/* sharpipc's own (no .NET counterpart: .NET's ReadString and ReadBytes read the bytes, then
 * allocate, and an OutOfMemoryException there loses them): a string or an array that cannot be
 * allocated leaves the MemoryStream where it was, so the next read returns it whole. The
 * allocations are small blocks (core/smallblock.h), failed on a thread of its own, whose cache is
 * empty, so each one is the slow-path call sp_small_fail counts; the thread records, the main
 * thread asserts. */
#  include "core/smallblock.h"
#  include "core/thread.h"

typedef struct {
    Stream *ms;
    char *s[4];
    uint8_t *b[4];
    int32_t n[4];
    ExceptionType e[8];
    int64_t pos[8];
} oom_record;

static ExceptionType current_type(void)
{
    const Exception *e = Exception_get_Current();
    return e ? Exception_get_Type(e) : (ExceptionType)-1;
}

static void oom_reads(void *arg)
{
    oom_record *o = arg;
    BinaryReader *r = BinaryReader_new(o->ms);
    int i = 0;
    /* a short string: the one-byte length, the text read in place */
    sp_small_fail(1, 1);
    o->s[0] = BinaryReader_ReadString(r);
    o->e[i] = current_type(), o->pos[i++] = Stream_get_Position(o->ms);
    o->s[1] = BinaryReader_ReadString(r);
    o->pos[i++] = Stream_get_Position(o->ms);
    /* ReadBytes with all its bytes there */
    sp_small_fail(1, 1);
    o->b[0] = BinaryReader_ReadBytes(r, 16, &o->n[0]);
    o->e[i] = current_type(), o->pos[i++] = Stream_get_Position(o->ms);
    o->b[1] = BinaryReader_ReadBytes(r, 16, &o->n[1]);
    o->pos[i++] = Stream_get_Position(o->ms);
    /* a string of 200 bytes: a two-byte length, the general path */
    sp_small_fail(1, 1);
    o->s[2] = BinaryReader_ReadString(r);
    o->e[i] = current_type(), o->pos[i++] = Stream_get_Position(o->ms);
    o->s[3] = BinaryReader_ReadString(r);
    o->pos[i++] = Stream_get_Position(o->ms);
    /* ReadBytes past the end: the array (malloc's, for 1000) is trimmed to the 10 bytes there into
     * a small block, which fails */
    sp_small_fail(1, 1);
    o->b[2] = BinaryReader_ReadBytes(r, 1000, &o->n[2]);
    o->e[i] = current_type(), o->pos[i++] = Stream_get_Position(o->ms);
    o->b[3] = BinaryReader_ReadBytes(r, 1000, &o->n[3]);
    o->pos[i++] = Stream_get_Position(o->ms);
    sp_small_fail(0, 0);
    Dispose(r);
}

static void BinaryReader_OutOfMemory_LosesNoByte(void **state)
{
    (void)state;
    char text[201];
    memset(text, 'x', 200);
    text[200] = 0;
    uint8_t block[16], tail[10];
    for (int i = 0; i < 16; i++)
        block[i] = (uint8_t)(0xA0 + i);
    for (int i = 0; i < 10; i++)
        tail[i] = (uint8_t)i;
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
    assert_true(BinaryWriter_WriteString(w, "hello, sharpipc world"));
    assert_true(BinaryWriter_WriteBytes(w, block, 0, 16));
    assert_true(BinaryWriter_WriteString(w, text));
    assert_true(BinaryWriter_WriteBytes(w, tail, 0, 10));
    Dispose(w);
    Stream_set_Position(ms, 0);

    oom_record o = {.ms = (Stream *)ms};
    sp_task *t = sp_task_start(oom_reads, &o);
    assert_non_null(t);
    sp_task_join(t);

    assert_null(o.s[0]);
    ASSERT_I64(o.e[0], ExceptionType_OutOfMemoryException);
    ASSERT_I64(o.pos[0], 0);
    assert_string_equal(o.s[1], "hello, sharpipc world");
    ASSERT_I64(o.pos[1], 22);

    assert_null(o.b[0]);
    ASSERT_I64(o.e[2], ExceptionType_OutOfMemoryException);
    ASSERT_I64(o.pos[2], 22);
    ASSERT_BYTES(o.b[1], o.n[1], block, 16);
    ASSERT_I64(o.pos[3], 38);

    assert_null(o.s[2]);
    ASSERT_I64(o.e[4], ExceptionType_OutOfMemoryException);
    ASSERT_I64(o.pos[4], 38);
    assert_string_equal(o.s[3], text);
    ASSERT_I64(o.pos[5], 38 + 2 + 200);

    assert_null(o.b[2]);
    ASSERT_I64(o.e[6], ExceptionType_OutOfMemoryException);
    ASSERT_I64(o.pos[6], 240);
    ASSERT_BYTES(o.b[3], o.n[3], tail, 10);
    ASSERT_I64(o.pos[7], 250);

    String_Free(o.s[1]);
    String_Free(o.s[3]);
    Array_Free(o.b[1]);
    Array_Free(o.b[3]);
    Dispose(ms);
}
#endif

/* ---------------------------------------------------------------- a throwing encoding, and the
 * decoder that strings share */

/* ReadString's record: the 7-bit length, then the bytes. */
static size_t put_record(uint8_t *at, const void *bytes, size_t n)
{
    size_t k = 0, v = n;
    for (; v >= 0x80; v >>= 7)
        at[k++] = (uint8_t)(v | 0x80);
    at[k++] = (uint8_t)v;
    memcpy(at + k, bytes, n);
    return k + n;
}

/* head, then `xs` times 'x', then tail: one of the texts below, made in `out`. */
static size_t x_text(char *out, const char *head, size_t xs, const char *tail)
{
    size_t h = strlen(head), t = strlen(tail);
    memcpy(out, head, h);
    memset(out + h, 'x', xs);
    memcpy(out + h + xs, tail, t + 1);
    return h + xs + t;
}

typedef struct {
    const char *head;
    int xs;
    const char *tail; /* a string: head + xs 'x' + tail */
    const char *unknown;
    int32_t index; /* else a DecoderFallbackException for `unknown` at `index` */
    bool eos;      /* else EndOfStreamException */
} br_string_want;

#define BR_TEXT(h, n, t)                                                                                               \
  {                                                                                                                    \
    h, n, t, NULL, 0, false                                                                                            \
  }
#define BR_FALLBACK(u, i)                                                                                              \
  {                                                                                                                    \
    NULL, 0, NULL, u, i, false                                                                                         \
  }
#define BR_EOS                                                                                                         \
  {                                                                                                                    \
    NULL, 0, NULL, NULL, 0, true                                                                                       \
  }
#define BR_FFFD "\xEF\xBF\xBD"

/* sharpipc's own, each row as .NET 10 gave it, for UTF8Encoding(false, false) and (false, true),
 * over a MemoryStream and over a stream that is not one: ReadString decodes a string that its
 * first read of at most 128 bytes brings whole on its own (flushed: a character cut off at its end
 * is invalid; blind to what the reader's decoder holds), and a longer one through the reader's
 * decoder, unflushed, in reads of 128: a character cut off at the end of such a string waits in the
 * decoder for the next string that goes through it (a short one in between does not see it).
 * A throwing decoder's index is within the 128-byte read, and the stream stays past that read. */
static void reader_string_decoder_state(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        struct {
            const char *head;
            int xs;
            const char *tail;
        } strings[4];
        br_string_want replacing[4], throwing[4];
    } cases[] = {
        {"short cut-off, then its rest",
         {{"ab\xE2", 0, ""}, {"\x82\xAC", 0, ""}, {"ok", 0, ""}},
         {BR_TEXT("ab" BR_FFFD, 0, ""), BR_TEXT(BR_FFFD BR_FFFD, 0, ""), BR_TEXT("ok", 0, "")},
         {BR_FALLBACK("\xE2", 2), BR_FALLBACK("\x82", 0), BR_TEXT("ok", 0, "")}},
        {"long cut-off, then a short rest",
         {{"", 199, "\xE2"}, {"\x82\xAC", 0, ""}, {"ok", 0, ""}},
         {BR_TEXT("", 199, ""), BR_TEXT(BR_FFFD BR_FFFD, 0, ""), BR_TEXT("ok", 0, "")},
         {BR_TEXT("", 199, ""), BR_FALLBACK("\x82", 0), BR_TEXT("ok", 0, "")}},
        {"long cut-off, then a long rest",
         {{"", 199, "\xE2"}, {"\x82\xAC", 198, ""}, {"ok", 0, ""}},
         {BR_TEXT("", 199, ""), BR_TEXT("\xE2\x82\xAC", 198, ""), BR_TEXT("ok", 0, "")},
         {BR_TEXT("", 199, ""), BR_TEXT("\xE2\x82\xAC", 198, ""), BR_TEXT("ok", 0, "")}},
        {"long cut-off, then long ASCII",
         {{"", 199, "\xE2"}, {"", 200, ""}, {"ok", 0, ""}},
         {BR_TEXT("", 199, ""), BR_TEXT(BR_FFFD, 200, ""), BR_TEXT("ok", 0, "")},
         /* the third reads a length of 'x' from the second's rest, then the kept \xE2 again */
         {BR_TEXT("", 199, ""), BR_FALLBACK("\xE2", -1), BR_FALLBACK("\xE2", -1)}},
        {"long cut-off, a short string, then the long rest",
         {{"", 199, "\xE2"}, {"ok", 0, ""}, {"\x82\xAC", 198, ""}, {"ok", 0, ""}},
         {BR_TEXT("", 199, ""), BR_TEXT("ok", 0, ""), BR_TEXT("\xE2\x82\xAC", 198, ""), BR_TEXT("ok", 0, "")},
         {BR_TEXT("", 199, ""), BR_TEXT("ok", 0, ""), BR_TEXT("\xE2\x82\xAC", 198, ""), BR_TEXT("ok", 0, "")}},
        {"a character across the first 128 bytes",
         {{"", 127,
           "\xE2\x82\xAC"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
          {"ok", 0, ""}},
         {BR_TEXT("", 127,
                  "\xE2\x82\xAC"
                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
          BR_TEXT("ok", 0, "")},
         {BR_TEXT("", 127,
                  "\xE2\x82\xAC"
                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
          BR_TEXT("ok", 0, "")}},
        {"invalid in the first 128 of a long string",
         {{"xxxxx\xFF", 194, ""}, {"ok", 0, ""}},
         {BR_TEXT("xxxxx" BR_FFFD, 194, ""), BR_TEXT("ok", 0, "")},
         /* the stream stays past the first 128 bytes: a length of 'x', then too few bytes */
         {BR_FALLBACK("\xFF", 5), BR_EOS}},
        {"invalid in the last 72 of a long string",
         {{"", 130,
           "\xFF"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
          {"after", 0, ""}},
         {BR_TEXT("", 130, BR_FFFD "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
          BR_TEXT("after", 0, "")},
         {BR_FALLBACK("\xFF", 2), BR_TEXT("after", 0, "")}},
    };
    static uint8_t data[2048];
    static char text[512];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t n = 0;
        int count = 0;
        for (; count < 4 && cases[c].strings[count].head; count++) {
            size_t k = x_text(text, cases[c].strings[count].head, (size_t)cases[c].strings[count].xs,
                              cases[c].strings[count].tail);
            n += put_record(data + n, text, k);
        }
        for (int way = 0; way < 4; way++) {
            bool throws = way & 1, memory = way & 2;
            Stream *s = memory ? (Stream *)sp_ms_with(data, n) : step_stream(data, (int32_t)n, 100000);
            BinaryReader *r = BinaryReader_new(s, UTF8Encoding_new(false, throws));
            assert_non_null(r);
            for (int i = 0; i < count; i++) {
                const br_string_want *w = throws ? &cases[c].throwing[i] : &cases[c].replacing[i];
                char label[96];
                snprintf(label, sizeof label, "%s, %s, %s, string %d", cases[c].name, throws ? "throwing" : "replacing",
                         memory ? "MemoryStream" : "another stream", i);
                int32_t length = -1;
                char *got = BinaryReader_ReadStringWithLength(r, &length);
                if (w->unknown) {
                    assert_null(got);
                    EXPECT_FALLBACK_AT(w->unknown, w->index, label);
                } else if (w->eos) {
                    assert_null(got);
                    EXPECT_EXC_AT(EndOfStreamException, label);
                } else {
                    EXPECT_NO_EXC_AT(label);
                    size_t k = x_text(text, w->head, (size_t)w->xs, w->tail);
                    if (!got || (size_t)length != k || memcmp(got, text, k) != 0)
                        fail_msg("%s: the text differs (%d bytes, %lu expected)", label, (int)length, (unsigned long)k);
                    String_Free(got);
                }
            }
            Dispose(r);
            Dispose(s);
        }
    }
}

/* sharpipc's own, as .NET 10: ReadChar, PeekChar and ReadChars with a throwing UTF-8 encoding.
 * ReadChar seeks back before it throws (its catch does), PeekChar throws as it; ReadChars keeps
 * the bytes it read. A character cut off before an invalid byte stays in the decoder, so every
 * later read meets it again (index -2). */
static void reader_chars_throwing_encoding(void **state)
{
    (void)state;
    const Encoding *throwing = UTF8Encoding_new(false, true);
    MemoryStream *ms = SP_MS_LIT("abcd\xFF"
                                 "efg");
    BinaryReader *r = BinaryReader_new(ms, throwing);
    for (int i = 0; i < 4; i++)
        assert_int_equal(BinaryReader_ReadChar(r), "abcd"[i]);
    for (int again = 0; again < 2; again++) {
        BinaryReader_ReadChar(r);
        EXPECT_FALLBACK("\xFF", 0);
        assert_int_equal(Stream_get_Position(ms), 4);
    }
    assert_int_equal(BinaryReader_PeekChar(r), -1);
    EXPECT_FALLBACK("\xFF", 0);
    assert_int_equal(Stream_get_Position(ms), 4);
    assert_true(Stream_set_Position(ms, 0));
    int32_t length = -1;
    assert_null(BinaryReader_ReadChars(r, 8, &length));
    EXPECT_FALLBACK("\xFF", 4);
    assert_int_equal(Stream_get_Position(ms), 8);
    Dispose(r);
    Dispose(ms);

    /* "ab", a character cut off by '(', then more */
    static const char cut[] = "ab\xE2\x82(cdef";
    for (int way = 0; way < 3; way++) {
        ms = SP_MS_LIT(cut);
        r = BinaryReader_new(ms, throwing);
        if (way == 0) { /* ReadChars(3): "ab" and the cut-off one, then '(' */
            for (int again = 0; again < 2; again++) {
                assert_null(BinaryReader_ReadChars(r, 3, &length));
                EXPECT_FALLBACK("\xE2\x82", -2);
            }
            /* 3 + 1 + 1 bytes, then 2 (one less while the decoder holds a part) */
            assert_int_equal(Stream_get_Position(ms), 7);
        } else if (way == 1) { /* ReadChars(2): "ab", then every call meets the cut-off one */
            uint16_t *ab = BinaryReader_ReadChars(r, 2, &length);
            assert_non_null(ab);
            assert_int_equal(length, 2);
            assert_true(ab[0] == 'a' && ab[1] == 'b');
            Array_Free(ab);
            for (int again = 0; again < 3; again++) {
                assert_null(BinaryReader_ReadChars(r, 2, &length));
                EXPECT_FALLBACK("\xE2\x82", -2);
            }
        } else { /* ReadChar: 'a', 'b', then the same, each from position 2 */
            assert_int_equal(BinaryReader_ReadChar(r), 'a');
            assert_int_equal(BinaryReader_ReadChar(r), 'b');
            for (int again = 0; again < 3; again++) {
                BinaryReader_ReadChar(r);
                EXPECT_FALLBACK("\xE2\x82", -2);
                assert_int_equal(Stream_get_Position(ms), 2);
            }
        }
        Dispose(r);
        Dispose(ms);
    }

    /* ReadChars(300) with \xFF at 150: a MemoryStream's 300 bytes are one step, another
     * stream's steps are 128 bytes (index 22 in the second); the bytes read stay read. */
    static uint8_t big[300];
    memset(big, 'x', sizeof big);
    big[150] = 0xFF;
    for (int memory = 0; memory < 2; memory++) {
        Stream *s = memory ? (Stream *)sp_ms_with(big, sizeof big) : step_stream(big, (int32_t)sizeof big, 100000);
        r = BinaryReader_new(s, throwing);
        assert_null(BinaryReader_ReadChars(r, 300, &length));
        EXPECT_FALLBACK("\xFF", memory ? 150 : 22);
        if (memory)
            assert_int_equal(Stream_get_Position(s), 300);
        Dispose(r);
        Dispose(s);
    }

    /* A character cut off by the end of the stream is its end, no exception of the decoder's. */
    ms = SP_MS_LIT("\xE2\x82");
    r = BinaryReader_new(ms, throwing);
    BinaryReader_ReadChar(r);
    EXPECT_EXC(EndOfStreamException);
    assert_int_equal(Stream_get_Position(ms), 2);
    Dispose(r);
    Dispose(ms);
}

/* One step of read_chars_after_the_buffer_was_too_small's scripts, as the .NET 10 probe printed it:
 * the char(s) in hex ("[D83D.DE00.]" for ReadChars), AE or DFE[bytes]@index for the exception,
 * then @position. */
static void chars_step(BinaryReader *r, Stream *s, char op, int32_t count, char *out, size_t room)
{
    size_t k = strlen(out);
    const Exception *e;
    if (op == 'R') {
        int32_t n = 0;
        uint16_t *c = BinaryReader_ReadChars(r, count, &n);
        if (c) {
            k += (size_t)snprintf(out + k, room - k, "[");
            for (int32_t i = 0; i < n; i++)
                k += (size_t)snprintf(out + k, room - k, "%X.", c[i]);
            k += (size_t)snprintf(out + k, room - k, "]");
            Array_Free(c);
        }
    } else {
        int32_t c = op == 'C' ? BinaryReader_ReadChar(r) : BinaryReader_PeekChar(r);
        if (!Exception_get_Current())
            k += (size_t)snprintf(out + k, room - k, "%X", (unsigned)c);
    }
    if ((e = Exception_get_Current()) != NULL) {
        if (Exception_get_Type(e) == ExceptionType_DecoderFallbackException) {
            int32_t n = 0;
            const uint8_t *b = DecoderFallbackException_get_BytesUnknown(e, &n);
            k += (size_t)snprintf(out + k, room - k, "DFE[");
            for (int32_t i = 0; i < n; i++)
                k += (size_t)snprintf(out + k, room - k, "%02X", b[i]);
            k += (size_t)snprintf(out + k, room - k, "]@%d", (int)DecoderFallbackException_get_Index(e));
        } else {
            k += (size_t)snprintf(out + k, room - k,
                                  Exception_get_Type(e) == ExceptionType_ArgumentException ? "AE" : "E?");
        }
    }
    snprintf(out + k, room - k, "@%d|", (int)Stream_get_Position(s));
}

/* sharpipc's own, each script as .NET 10 ran it over a MemoryStream: after the "output char buffer
 * is too small" ArgumentException (a character of two UTF-16 units for ReadChar's one char, or past
 * what ReadChars has room for), the decoder is .NET's. UTF-8's (DecoderNLS) keeps the leftover
 * bytes it was draining when that character was its first, so F0 9F 98 stay, ReadChar seeks back
 * and its next call meets them with the F0 again (U+FFFD); a character after the first is not
 * kept. UTF-16's keeps what it held before the call (a high surrogate). */
static void read_chars_after_the_buffer_was_too_small(void **state)
{
    (void)state;
    static const struct {
        int enc; /* 0 UTF-8, 1 UTF-8 throwing, 2 UTF-16 LE */
        const char *bytes;
        size_t n;
        const char *script; /* C ReadChar, P PeekChar, a digit ReadChars(digit) */
        const char *want;
    } rows[] = {
        {0, "\xF0\x9F\x98\x80z", 5, "C3", "AE@0|[FFFD.D83D.DE00.]@4|"},
        {0, "\xF0\x9F\x98\x80z", 5, "CCCCC", "AE@0|FFFD@1|AE@1|AE@1|AE@1|"},
        {1, "\xF0\x9F\x98\x80z", 5, "CC2", "AE@0|DFE[F09F98]@-3@0|DFE[F09F98]@-3@1|"},
        {2, "\x3D\xD8\x00\xDEx\0", 6, "C3", "AE@0|[FFFD.D83D.DE00.]@4|"},
        {2, "\x3D\xD8x\0", 4, "CCC", "AE@0|FFFD@2|AE@2|"},
        {2,
         "\0\xD8"
         "a\0\0\xD8x\0x\0",
         10, "PP", "AE@0|FFFD@0|"},
        {0,
         "\x02\xF0\xAC\xF0\x9F\x98\x80\xF0"
         "a",
         9, "35", "AE@7|[FFFD.FFFD.61.]@9|"},
        {0, "a\xF0\x9F\x98\x80z", 6, "22", "AE@5|[FFFD.7A.]@6|"},
        {2, "\x3D\xD8\x00\xDEx\0", 6, "112", "AE@4|AE@5|[FFFD.0.]@6|"},
        {0,
         "\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xFF\x9F\xFF\x82\x05\xEF\xBF\xBD"
         "a\xC3",
         18, "C3111", "AE@0|[FFFD.D83D.DE00.]@4|AE@8|AE@9|[FFFD.]@10|"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const Encoding *e = rows[i].enc == 2 ? Encoding_Unicode : UTF8Encoding_new(false, rows[i].enc == 1);
        MemoryStream *ms = sp_ms_with(rows[i].bytes, rows[i].n);
        BinaryReader *r = BinaryReader_new(ms, e);
        char got[256] = {0};
        for (const char *op = rows[i].script; *op; op++)
            chars_step(r, (Stream *)ms, *op >= '0' && *op <= '9' ? 'R' : *op, *op - '0', got, sizeof got);
        if (strcmp(got, rows[i].want) != 0)
            fail_msg("row %zu (%s):\n  got  %s\n  want %s", i, rows[i].script, got, rows[i].want);
        Dispose(r);
        Dispose(ms);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#ifdef SHARPIPC_FAULT_INJECTION
        cmocka_unit_test(BinaryReader_OutOfMemory_LosesNoByte),
#endif
        cmocka_unit_test(BinaryReader_ReadExactly_FillsOrEndOfStream),
        cmocka_unit_test(wire_format_of_primitives),
        cmocka_unit_test(BinaryWriter_WriteTests_BinaryWriter_WriteBoolTest),
        cmocka_unit_test(seven_bit_exact_encodings),
        cmocka_unit_test(BinaryReaderTests_BinaryReader_Read7BitEncodedInt_BadFormat_Throws),
        cmocka_unit_test(string_length_prefixes),
        cmocka_unit_test(string_writes_in_place),
        cmocka_unit_test(string_write_that_fails_keeps_the_stream),
        cmocka_unit_test(string_encodings),
        cmocka_unit_test(BinaryWriter_WriteTests_BinaryWriter_WriteStringTest_Null),
        cmocka_unit_test(reading_strings_with_invalid_utf8),
        cmocka_unit_test(utf16_writer_and_reader),
        cmocka_unit_test(BinaryWriter_WriteByteCharTests_BinaryWriter_WriteCharTest),
        cmocka_unit_test(read_char_of_a_supplementary_character),
        cmocka_unit_test(read_char_of_two_units_names_the_code_page),
        cmocka_unit_test(read_char_after_a_lead_byte_at_the_end),
        cmocka_unit_test(write_char_array_with_surrogate_pairs),
        cmocka_unit_test(BinaryReaderTests_ReadChars_OverReads),
        cmocka_unit_test(BinaryReaderTests_Read_CharArray),
        cmocka_unit_test(read_chars_over_one_byte_reads),
        cmocka_unit_test(primitives_with_one_byte_reads),
        cmocka_unit_test(copy_to_from_a_non_seekable_stream),
        cmocka_unit_test(read_bytes_and_chars_short_at_eof),
        cmocka_unit_test(peek_char_and_read),
        cmocka_unit_test(BinaryReaderTests_BinaryReader_EofReachedEarlyTests_ThrowsException),
        cmocka_unit_test(huge_declared_string_length_fails_fast),
        cmocka_unit_test(negative_string_length_is_io_exception),
        cmocka_unit_test(read_decimal_with_invalid_flags),
        cmocka_unit_test(BinaryReaderTests_BinaryReader_DisposeTests_Negative),
        cmocka_unit_test(BinaryWriterTests_BinaryWriter_DisposeTests_Negative),
        cmocka_unit_test(BinaryWriterTests_BinaryWriter_CtorAndWriteTests1_Negative),
        cmocka_unit_test(generic_write_dispatch),
        cmocka_unit_test(BinaryWriterTests_BinaryWriter_CtorAndWriteTests1),
        cmocka_unit_test(BinaryWriterTests_BinaryWriter_EncodingCtorAndWriteTests),
        cmocka_unit_test(BinaryWriterTests_BinaryWriter_SeekTests),
        cmocka_unit_test(BinaryWriterTests_BinaryWriter_SeekTests_NegativeOffset),
        cmocka_unit_test(BinaryWriterTests_BinaryWriter_SeekTests_InvalidSeekOrigin),
        cmocka_unit_test(short_non_ascii_strings_in_place),
        cmocka_unit_test(BinaryWriterTests_BinaryWriter_FlushTests),
        cmocka_unit_test(BinaryWriterTests_BinaryWriter_CloseTests),
        cmocka_unit_test(BinaryReaderTests_ReadChars),
        cmocka_unit_test(reader_string_decoder_state),
        cmocka_unit_test(reader_chars_throwing_encoding),
        cmocka_unit_test(read_chars_after_the_buffer_was_too_small),
    };
    return cmocka_run_group_tests(tests, NULL, sp_remove_temp_files);
}
