/*
 * MemoryStream and the Stream base behaviours, ported from System.IO.Tests (MemoryStreamTests,
 * MemoryStream.ConstructorTests, Stream.CopyToTests, StreamConformanceTests for a seekable stream).
 */
#include "sp_test.h"

/* ------------------------------------------------------------------ construction */

/* sharpipc's own: the state of new MemoryStream(): lengths, capabilities, an empty ToArray, reads at the end */
static void new_defaults(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    assert_non_null(ms);
    EXPECT_NO_EXC();
    ASSERT_I64(Stream_get_Length(ms), 0);
    ASSERT_I64(Stream_get_Position(ms), 0);
    ASSERT_I64(MemoryStream_get_Capacity(ms), 0);
    assert_true(Stream_get_CanRead(ms));
    assert_true(Stream_get_CanWrite(ms));
    assert_true(Stream_get_CanSeek(ms));
    assert_false(Stream_get_CanTimeout(ms));
    int32_t n = -1;
    uint8_t *a = MemoryStream_ToArray(ms, &n);
    assert_non_null(a); /* an empty stream gives a non-NULL zero-length array */
    assert_int_equal(n, 0);
    Array_Free(a);
    uint8_t b[4];
    assert_int_equal(Stream_Read(ms, b, 0, 4), 0);
    EXPECT_NO_EXC();
    assert_int_equal(Stream_ReadByte(ms), -1);
    EXPECT_NO_EXC();
    Dispose(ms);
}

/* sharpipc's own: new MemoryStream(capacity) (.NET's invalid capacities are MemoryStream_ConstructorTests_MemoryStream_Ctor_InvalidCapacities) */
static void new_with_capacity(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new(100);
    assert_non_null(ms);
    ASSERT_I64(MemoryStream_get_Capacity(ms), 100);
    ASSERT_I64(Stream_get_Length(ms), 0);
    Dispose(ms);

    ms = MemoryStream_newWithCapacity(0);
    assert_non_null(ms);
    ASSERT_I64(MemoryStream_get_Capacity(ms), 0);
    Dispose(ms);

    assert_null(MemoryStream_newWithCapacity(-1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("capacity");
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/MemoryStream/MemoryStream.ConstructorTests.cs: MemoryStream_Ctor_NullArray;
   also a negative index and count (cf. MemoryStream_Ctor_NegativeIndices) and the buffer constructors' capabilities */
static void MemoryStream_ConstructorTests_MemoryStream_Ctor_NullArray(void **state)
{
    (void)state;
    uint8_t buf[10] = {0};
    assert_null(MemoryStream_newFromBuffer(NULL, 0, 0, true, false));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("buffer");
    assert_null(MemoryStream_newFromBuffer(buf, -1, 1, true, false));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("index");
    assert_null(MemoryStream_newFromBuffer(buf, 0, -1, true, false));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("count");

    /* The arity macro: (buffer, count) is writable and not publicly visible. */
    MemoryStream *ms = MemoryStream_new(buf, 10);
    assert_non_null(ms);
    assert_true(Stream_get_CanWrite(ms));
    assert_null(MemoryStream_GetBuffer(ms));
    EXPECT_EXC(UnauthorizedAccessException);
    ASSERT_I64(Stream_get_Length(ms), 10);
    ASSERT_I64(MemoryStream_get_Capacity(ms), 10);
    Dispose(ms);

    ms = MemoryStream_new(buf, 2, 5, false);
    assert_non_null(ms);
    assert_false(Stream_get_CanWrite(ms));
    assert_true(Stream_get_CanRead(ms));
    assert_true(Stream_get_CanSeek(ms));
    ASSERT_I64(Stream_get_Length(ms), 5);
    ASSERT_I64(MemoryStream_get_Capacity(ms), 5);
    Dispose(ms);
}

/* ------------------------------------------------------------------ growth and capacity */

/* sharpipc's own: EnsureCapacity's growth (256 minimum, doubling); cf. MemoryStream_GetBufferTests.MemoryStream_GetBuffer */
static void growth_follows_dotnet(void **state)
{
    (void)state;
    /* EnsureCapacity: max(value, 256), at least twice the old capacity. */
    MemoryStream *ms = MemoryStream_new();
    assert_true(Stream_WriteByte(ms, 1));
    ASSERT_I64(MemoryStream_get_Capacity(ms), 256);
    uint8_t block[255];
    memset(block, 2, sizeof block);
    assert_true(Stream_Write(ms, block, 0, 255));
    ASSERT_I64(MemoryStream_get_Capacity(ms), 256);
    assert_true(Stream_WriteByte(ms, 3));
    ASSERT_I64(MemoryStream_get_Capacity(ms), 512);
    ASSERT_I64(Stream_get_Length(ms), 257);
    Dispose(ms);

    ms = MemoryStream_new();
    uint8_t big[300];
    memset(big, 7, sizeof big);
    assert_true(Stream_Write(ms, big, 0, 300));
    ASSERT_I64(MemoryStream_get_Capacity(ms), 300);
    assert_true(Stream_WriteByte(ms, 1));
    ASSERT_I64(MemoryStream_get_Capacity(ms), 600);
    Dispose(ms);

    /* Growth from a preset capacity doubles it. */
    ms = MemoryStream_new(1000);
    uint8_t k[1001] = {0};
    assert_true(Stream_Write(ms, k, 0, 1001));
    ASSERT_I64(MemoryStream_get_Capacity(ms), 2000);
    Dispose(ms);
}

/* sharpipc's own: 1 MiB written in 1000-byte pieces and read back in 777-byte pieces */
static void large_content_round_trip(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    enum { TOTAL = 1 << 20 };
    uint8_t *expected = malloc(TOTAL);
    for (int i = 0; i < TOTAL; i++)
        expected[i] = (uint8_t)(i * 31 + (i >> 8));
    for (int off = 0; off < TOTAL; off += 1000) {
        int n = TOTAL - off < 1000 ? TOTAL - off : 1000;
        assert_true(Stream_Write(ms, expected, off, n));
    }
    ASSERT_I64(Stream_get_Length(ms), TOTAL);
    ASSERT_I64(Stream_get_Position(ms), TOTAL);
    ASSERT_MS(ms, expected, TOTAL);
    /* Read it back in odd-sized pieces. */
    Stream_set_Position(ms, 0);
    uint8_t *back = malloc(TOTAL);
    int got = 0;
    for (;;) {
        int n = Stream_Read(ms, back, got, 777 < TOTAL - got ? 777 : TOTAL - got);
        assert_true(n >= 0);
        if (n == 0)
            break;
        got += n;
    }
    assert_int_equal(got, TOTAL);
    ASSERT_BYTES(back, TOTAL, expected, TOTAL);
    free(back);
    free(expected);
    Dispose(ms);
}

/* sharpipc's own: the Capacity setter: below Length, shrink to 0, a fixed buffer, after Close */
static void capacity_setter(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    assert_true(Stream_Write(ms, "hello", 0, 5));
    assert_false(MemoryStream_set_Capacity(ms, 4));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("value");
    assert_true(MemoryStream_set_Capacity(ms, 5));
    ASSERT_I64(MemoryStream_get_Capacity(ms), 5);
    assert_true(MemoryStream_set_Capacity(ms, 1000));
    ASSERT_I64(MemoryStream_get_Capacity(ms), 1000);
    ASSERT_MS_LIT(ms, "hello");
    ASSERT_I64(Stream_get_Position(ms), 5);
    Dispose(ms);

    ms = MemoryStream_new(10);
    assert_true(MemoryStream_set_Capacity(ms, 0));
    ASSERT_I64(MemoryStream_get_Capacity(ms), 0);
    assert_true(Stream_WriteByte(ms, 9));
    ASSERT_MS_LIT(ms, "\x09");
    Dispose(ms);

    /* A fixed buffer: the same value is fine, another is NotSupportedException. */
    uint8_t buf[8] = {0};
    ms = MemoryStream_newFromBuffer(buf, 0, 8, true, true);
    assert_true(MemoryStream_set_Capacity(ms, 8));
    EXPECT_NO_EXC();
    assert_false(MemoryStream_set_Capacity(ms, 16));
    EXPECT_EXC_MSG(NotSupportedException, "Memory stream is not expandable.");
    assert_false(MemoryStream_set_Capacity(ms, 2));
    EXPECT_EXC(ArgumentOutOfRangeException); /* below Length is checked first */

    /* Closed: the getter and setter are ObjectDisposedException. */
    Stream_Close(ms);
    assert_int_equal(MemoryStream_get_Capacity(ms), -1);
    EXPECT_EXC(ObjectDisposedException);
    assert_false(MemoryStream_set_Capacity(ms, 8));
    EXPECT_EXC(ObjectDisposedException);
    Dispose(ms);
}

/* ------------------------------------------------------------------ position and length */

/* dotnet/runtime src/libraries/Common/tests/StreamConformanceTests/System/IO/StreamConformanceTests.cs: StandaloneStreamConformanceTests.SeekPastEnd_Write_BeyondCapacity (run by MemoryStreamTests);
   also the mustZero part of SetLength_DataFromShrinkNotPreserved_Success */
static void MemoryStreamTests_SeekPastEnd_Write_BeyondCapacity(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    assert_true(Stream_Write(ms, "abc", 0, 3));
    assert_true(Stream_set_Position(ms, 10));
    ASSERT_I64(Stream_get_Length(ms), 3); /* moving does not grow */
    ASSERT_I64(Stream_get_Position(ms), 10);
    uint8_t b[4];
    assert_int_equal(Stream_Read(ms, b, 0, 4), 0);
    assert_int_equal(Stream_ReadByte(ms), -1);
    EXPECT_NO_EXC();
    assert_true(Stream_Write(ms, "x", 0, 1));
    ASSERT_I64(Stream_get_Length(ms), 11);
    ASSERT_MS(ms, "abc\0\0\0\0\0\0\0x", 11);

    /* WriteByte as well. */
    assert_true(Stream_set_Position(ms, 13));
    assert_true(Stream_WriteByte(ms, 'y'));
    ASSERT_MS(ms, "abc\0\0\0\0\0\0\0x\0\0y", 14);
    Dispose(ms);

    /* Old bytes past a shrunk length must not reappear (.NET's mustZero). */
    ms = MemoryStream_new();
    uint8_t ff[10];
    memset(ff, 0xFF, sizeof ff);
    assert_true(Stream_Write(ms, ff, 0, 10));
    assert_true(Stream_SetLength(ms, 2));
    assert_true(Stream_set_Position(ms, 8));
    assert_true(Stream_WriteByte(ms, 1));
    ASSERT_MS(ms, "\xFF\xFF\0\0\0\0\0\0\x01", 9);
    Dispose(ms);

    ms = MemoryStream_new();
    assert_true(Stream_Write(ms, ff, 0, 10));
    assert_true(Stream_SetLength(ms, 2));
    assert_true(Stream_set_Position(ms, 5));
    assert_true(Stream_Write(ms, "zz", 0, 2));
    ASSERT_MS(ms, "\xFF\xFF\0\0\0zz", 7);
    Dispose(ms);
}

/* dotnet/runtime src/libraries/Common/tests/StreamConformanceTests/System/IO/StreamConformanceTests.cs: StandaloneStreamConformanceTests.Seek_Offset0FromMark_Success (run by MemoryStreamTests);
   also Seek_PastEnd_ReadReturns0, and MemoryStreamTests.cs: MemoryStream_SeekOverflow_Throws (the offset past the maximum) */
static void MemoryStreamTests_Seek_Offset0FromMark_Success(void **state)
{
    (void)state;
    MemoryStream *ms = SP_MS_LIT("0123456789");
    ASSERT_I64(Stream_Seek(ms, 0, SeekOrigin_End), 10);
    ASSERT_I64(Stream_Seek(ms, -3, SeekOrigin_End), 7);
    ASSERT_I64(Stream_Seek(ms, 2, SeekOrigin_Current), 9);
    ASSERT_I64(Stream_Seek(ms, -9, SeekOrigin_Current), 0);
    ASSERT_I64(Stream_Seek(ms, 4, SeekOrigin_Begin), 4);
    assert_int_equal(Stream_ReadByte(ms), '4');
    /* Beyond the end is allowed. */
    ASSERT_I64(Stream_Seek(ms, 100, SeekOrigin_Begin), 100);
    ASSERT_I64(Stream_Seek(ms, 5, SeekOrigin_End), 15);
    ASSERT_I64(Stream_get_Length(ms), 10);

    /* Before the beginning: IOException, position unchanged. */
    Stream_set_Position(ms, 3);
    static const char before[] = "An attempt was made to move the position before the beginning of the stream.";
    ASSERT_I64(Stream_Seek(ms, -1, SeekOrigin_Begin), -1);
    EXPECT_EXC_MSG(IOException, before);
    ASSERT_I64(Stream_Seek(ms, -4, SeekOrigin_Current), -1);
    EXPECT_EXC_MSG(IOException, before);
    ASSERT_I64(Stream_Seek(ms, -11, SeekOrigin_End), -1);
    EXPECT_EXC_MSG(IOException, before);
    ASSERT_I64(Stream_get_Position(ms), 3);
    ASSERT_I64(Stream_Seek(ms, -3, SeekOrigin_Current), 0);

    /* Far beyond what a MemoryStream can hold: ArgumentOutOfRangeException(offset). */
    ASSERT_I64(Stream_Seek(ms, (int64_t)INT32_MAX + 1, SeekOrigin_Begin), -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("offset");

    /* An invalid origin: ArgumentException (details in seek_invalid_origin_has_no_param). */
    ASSERT_I64(Stream_Seek(ms, 0, (SeekOrigin)3), -1);
    EXPECT_EXC(ArgumentException);
    ASSERT_I64(Stream_Seek(ms, 0, (SeekOrigin)-1), -1);
    EXPECT_EXC(ArgumentException);

    /* Position setter. */
    assert_false(Stream_set_Position(ms, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("value");
    assert_false(Stream_set_Position(ms, (int64_t)INT32_MAX + 1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    ASSERT_I64(Stream_get_Position(ms), 0);

    /* Closed. */
    Stream_Close(ms);
    ASSERT_I64(Stream_Seek(ms, 0, SeekOrigin_Begin), -1);
    EXPECT_EXC_MSG(ObjectDisposedException, "Cannot access a closed Stream.");
    Dispose(ms);
}

/* MemoryStream.Seek: `_ => throw new ArgumentException(SR.Argument_InvalidSeekOrigin)`, no name. */
/* sharpipc's own: MemoryStream.Seek's invalid-origin ArgumentException has .NET's message and no ParamName */
static void seek_invalid_origin_has_no_param(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    Stream_Seek(ms, 0, (SeekOrigin)3);
    int32_t type = Exception_get_Type(Exception_get_Current());
    char msg[256], param[64];
    snprintf(msg, sizeof msg, "%s", Exception_get_Message(Exception_get_Current()));
    const char *p = Exception_get_ParamName(Exception_get_Current());
    snprintf(param, sizeof param, "%s", p ? p : "(null)");
    Dispose(ms);
    assert_int_equal(type, ExceptionType_ArgumentException);
    assert_string_equal(msg, "Invalid seek origin.");
    assert_string_equal(param, "(null)");
}

/* MemoryStream.Position's setter: ArgumentOutOfRangeException(nameof(value)) beyond the maximum. */
/* sharpipc's own: the Position setter's ArgumentOutOfRangeException names 'value' */
static void position_setter_out_of_range_names_value(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    assert_false(Stream_set_Position(ms, (int64_t)INT32_MAX + 1));
    const char *p = Exception_get_ParamName(Exception_get_Current());
    char param[64];
    snprintf(param, sizeof param, "%s", p ? p : "(null)");
    Dispose(ms);
    assert_string_equal(param, "value");
}

/* sharpipc's own: Seek, writes, GetBuffer and TryGetBuffer of a MemoryStream over a window of a caller's buffer */
static void seek_with_origin_in_caller_buffer(void **state)
{
    (void)state;
    uint8_t buf[20];
    for (int i = 0; i < 20; i++)
        buf[i] = (uint8_t)('a' + i);
    MemoryStream *ms = MemoryStream_newFromBuffer(buf, 5, 10, true, true);
    ASSERT_I64(Stream_get_Position(ms), 0);
    ASSERT_I64(Stream_get_Length(ms), 10);
    assert_int_equal(Stream_ReadByte(ms), 'f');
    ASSERT_I64(Stream_Seek(ms, 0, SeekOrigin_End), 10);
    ASSERT_I64(Stream_Seek(ms, -1, SeekOrigin_Begin), -1);
    EXPECT_EXC(IOException);
    ASSERT_I64(Stream_Seek(ms, -11, SeekOrigin_End), -1);
    EXPECT_EXC(IOException);
    ASSERT_I64(Stream_Seek(ms, -10, SeekOrigin_End), 0);
    assert_int_equal(Stream_ReadByte(ms), 'f');
    /* Writes land in the caller's memory at index + position. */
    Stream_set_Position(ms, 2);
    assert_true(Stream_Write(ms, "XY", 0, 2));
    assert_memory_equal(buf + 7, "XY", 2);
    int32_t n;
    uint8_t *a = MemoryStream_ToArray(ms, &n);
    ASSERT_BYTES(a, n, "fgXYjklmno", 10);
    Array_Free(a);
    /* GetBuffer is the whole array; TryGetBuffer the segment. */
    assert_ptr_equal(MemoryStream_GetBuffer(ms), buf);
    uint8_t *seg = NULL;
    int32_t seglen = 0;
    assert_true(MemoryStream_TryGetBuffer(ms, &seg, &seglen));
    assert_ptr_equal(seg, buf + 5);
    assert_int_equal(seglen, 10);
    /* Not expandable. */
    Stream_set_Position(ms, 9);
    assert_false(Stream_Write(ms, "12", 0, 2));
    EXPECT_EXC_MSG(NotSupportedException, "Memory stream is not expandable.");
    ASSERT_I64(Stream_get_Length(ms), 10);
    assert_int_equal(buf[15], 'p'); /* nothing written past the window */
    Dispose(ms);
}

/* dotnet/runtime src/libraries/Common/tests/StreamConformanceTests/System/IO/StreamConformanceTests.cs: StandaloneStreamConformanceTests.SetLength_ChangesLengthAccordingly_Success (run by MemoryStreamTests);
   also SetLength_FailsForReadOnly_Throws, and the fixed-buffer and argument cases */
static void MemoryStreamTests_SetLength_ChangesLengthAccordingly_Success(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    assert_true(Stream_SetLength(ms, 10));
    ASSERT_I64(Stream_get_Length(ms), 10);
    ASSERT_I64(Stream_get_Position(ms), 0);
    ASSERT_MS(ms, "\0\0\0\0\0\0\0\0\0\0", 10);
    Stream_set_Position(ms, 8);
    assert_true(Stream_SetLength(ms, 4)); /* position clamps to the new length */
    ASSERT_I64(Stream_get_Position(ms), 4);
    assert_true(Stream_SetLength(ms, 6)); /* does not move forward again */
    ASSERT_I64(Stream_get_Position(ms), 4);
    assert_true(Stream_SetLength(ms, 0));
    ASSERT_I64(Stream_get_Position(ms), 0);

    assert_false(Stream_SetLength(ms, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("value");
    assert_false(Stream_SetLength(ms, (int64_t)INT32_MAX + 1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("value");
    Dispose(ms);

    /* A fixed buffer: within its capacity is fine, beyond is NotSupportedException. */
    uint8_t buf[10];
    memset(buf, 'q', sizeof buf);
    ms = MemoryStream_newFromBuffer(buf, 0, 10, true, false);
    assert_true(Stream_SetLength(ms, 5));
    ASSERT_I64(Stream_get_Length(ms), 5);
    assert_true(Stream_SetLength(ms, 10));
    ASSERT_MS(ms, "qqqqq\0\0\0\0\0", 10); /* re-extended bytes are cleared */
    assert_false(Stream_SetLength(ms, 11));
    EXPECT_EXC_MSG(NotSupportedException, "Memory stream is not expandable.");
    Dispose(ms);

    /* Read-only: NotSupportedException. */
    ms = MemoryStream_newFromBuffer(buf, 0, 10, false, false);
    assert_false(Stream_SetLength(ms, 5));
    EXPECT_EXC_MSG(NotSupportedException, "Stream does not support writing.");
    Dispose(ms);
}

/* .NET's MemoryStream.SetLength has no closed check: EnsureWriteable() sees CanWrite == false. */
/* sharpipc's own: SetLength after Close is NotSupportedException, as .NET's EnsureWriteable gives */
static void set_length_after_close_is_not_supported(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    Stream_Close(ms);
    bool ok = Stream_SetLength(ms, 5);
    ExceptionType type = Exception_get_Type(Exception_get_Current());
    char msg[256];
    snprintf(msg, sizeof msg, "%s", Exception_get_Message(Exception_get_Current()));
    Dispose(ms);
    assert_false(ok);
    if (type != ExceptionType_NotSupportedException)
        fail_msg("expected NotSupportedException, got %s: %s", sp_exc_name(type), msg);
    assert_string_equal(msg, "Stream does not support writing.");
}

/* ------------------------------------------------------------------ read-only and fixed buffers */

/* sharpipc's own: a read-only MemoryStream refuses every write and every writer (cf. StandaloneStreamConformanceTests.ArgumentValidation_ThrowsExpectedException) */
static void read_only_buffer_rejects_writes(void **state)
{
    (void)state;
    uint8_t buf[4] = {1, 2, 3, 4};
    MemoryStream *ms = MemoryStream_newFromBuffer(buf, 0, 4, false, true);
    static const char nw[] = "Stream does not support writing.";
    assert_false(Stream_Write(ms, "x", 0, 1));
    EXPECT_EXC_MSG(NotSupportedException, nw);
    assert_false(Stream_WriteByte(ms, 1));
    EXPECT_EXC_MSG(NotSupportedException, nw);
    assert_false(Stream_WriteSpan(ms, "x", 1));
    EXPECT_EXC_MSG(NotSupportedException, nw);
    assert_memory_equal(buf, "\x01\x02\x03\x04", 4);
    /* Reading works; a zero-byte write is still refused (.NET checks writability first). */
    assert_int_equal(Stream_ReadByte(ms), 1);
    assert_false(Stream_Write(ms, "x", 0, 0));
    EXPECT_EXC(NotSupportedException);
    /* Nor can a writer be made over it. */
    assert_null(BinaryWriter_new(ms));
    EXPECT_EXC_MSG(ArgumentException, "Stream was not writable.");
    assert_null(StreamWriter_new(ms));
    EXPECT_EXC_MSG(ArgumentException, "Stream was not writable.");
    Dispose(ms);
}

/* sharpipc's own: a fixed buffer is not expandable and a write that does not fit writes nothing */
static void fixed_buffer_is_not_expandable(void **state)
{
    (void)state;
    uint8_t buf[4] = {0};
    MemoryStream *ms = MemoryStream_newFromBuffer(buf, 0, 4, true, false);
    assert_true(Stream_Write(ms, "abcd", 0, 4));
    assert_memory_equal(buf, "abcd", 4);
    assert_false(Stream_WriteByte(ms, 'e'));
    EXPECT_EXC_MSG(NotSupportedException, "Memory stream is not expandable.");
    Stream_set_Position(ms, 2);
    assert_false(Stream_Write(ms, "xyz", 0, 3));
    EXPECT_EXC_MSG(NotSupportedException, "Memory stream is not expandable.");
    assert_memory_equal(buf, "abcd", 4); /* nothing partially written */
    ASSERT_I64(Stream_get_Position(ms), 2);
    assert_true(Stream_Write(ms, "xy", 0, 2));
    assert_memory_equal(buf, "abxy", 4);
    /* The same for a zero-length one. */
    MemoryStream *empty = MemoryStream_newFromBuffer(buf, 0, 0, true, false);
    assert_false(Stream_WriteByte(empty, 1));
    EXPECT_EXC(NotSupportedException);
    Dispose(empty);
    Dispose(ms);
}

/* A write whose end passes int.MaxValue: IOException "Stream was too long.", nothing allocated. */
/* sharpipc's own: a write whose end passes int.MaxValue is IOException "Stream was too long." */
static void write_past_the_maximum_length(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    assert_true(Stream_set_Position(ms, 0x7FFFFFC0)); /* below Array.MaxLength: valid in every .NET */
    uint8_t buf[100] = {0};
    assert_false(Stream_Write(ms, buf, 0, 100));
    EXPECT_EXC_MSG(IOException, "Stream was too long.");
    ASSERT_I64(Stream_get_Length(ms), 0);
    ASSERT_I64(MemoryStream_get_Capacity(ms), 0);
    Dispose(ms);
}

/* A BinaryWriter over a fixed buffer: a value that does not fit is refused whole. */
/* sharpipc's own: a BinaryWriter value that does not fit a fixed buffer is refused whole */
static void no_partial_write_into_a_fixed_buffer(void **state)
{
    (void)state;
    uint8_t buf[6] = {0};
    MemoryStream *ms = MemoryStream_newFromBuffer(buf, 0, 6, true, false);
    BinaryWriter *w = BinaryWriter_new(ms);
    assert_true(BinaryWriter_WriteInt32(w, 0x01020304));
    assert_false(BinaryWriter_WriteInt32(w, 0x05060708));
    EXPECT_EXC_MSG(NotSupportedException, "Memory stream is not expandable.");
    ASSERT_I64(Stream_get_Position(ms), 4);
    assert_memory_equal(buf, "\x04\x03\x02\x01\0\0", 6);
    assert_true(BinaryWriter_WriteInt16(w, 0x0506));
    assert_memory_equal(buf, "\x04\x03\x02\x01\x06\x05", 6);
    Dispose(w);
    Dispose(ms);
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/MemoryStream/MemoryStream.GetBufferTests.cs: MemoryStream_GetBuffer_NonExposable;
   also MemoryStream_GetBuffer_Length, MemoryStream_GetBuffer_Exposable and the TryGetBuffer results of MemoryStream.TryGetBufferTests.cs */
static void MemoryStream_GetBufferTests_MemoryStream_GetBuffer_NonExposable(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    Stream_Write(ms, "hey", 0, 3);
    uint8_t *b = MemoryStream_GetBuffer(ms);
    assert_non_null(b);
    EXPECT_NO_EXC();
    assert_memory_equal(b, "hey", 3);
    uint8_t *seg = NULL;
    int32_t n = 0;
    assert_true(MemoryStream_TryGetBuffer(ms, &seg, &n));
    assert_ptr_equal(seg, b);
    assert_int_equal(n, 3);
    Dispose(ms);

    /* An empty new MemoryStream has an (empty) buffer, and GetBuffer does not fail. */
    ms = MemoryStream_new();
    MemoryStream_GetBuffer(ms);
    EXPECT_NO_EXC();
    Dispose(ms);

    uint8_t buf[6] = "secret";
    ms = MemoryStream_newFromBuffer(buf, 0, 6, true, false);
    assert_null(MemoryStream_GetBuffer(ms));
    EXPECT_EXC_MSG(UnauthorizedAccessException, "MemoryStream's internal buffer cannot be accessed.");
    seg = (uint8_t *)1;
    assert_false(MemoryStream_TryGetBuffer(ms, &seg, &n));
    EXPECT_NO_EXC(); /* TryGetBuffer reports by its result only */
    /* ToArray is always allowed. */
    uint8_t *a = MemoryStream_ToArray(ms, &n);
    ASSERT_BYTES(a, n, "secret", 6);
    Array_Free(a);
    Dispose(ms);

    ms = MemoryStream_newFromBuffer(buf, 1, 4, false, true);
    assert_ptr_equal(MemoryStream_GetBuffer(ms), buf);
    Dispose(ms);
}

/* ------------------------------------------------------------------ after Close */

/* dotnet/runtime src/libraries/Common/tests/StreamConformanceTests/System/IO/StreamConformanceTests.cs: StandaloneStreamConformanceTests.Disposed_ThrowsObjectDisposedException (run by MemoryStreamTests);
   also ToArray and GetBuffer after Close */
static void MemoryStreamTests_Disposed_ThrowsObjectDisposedException(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    Stream_Write(ms, "data", 0, 4);
    Stream_set_Position(ms, 1);
    assert_true(Stream_Close(ms));
    assert_false(Stream_get_CanRead(ms));
    assert_false(Stream_get_CanWrite(ms));
    assert_false(Stream_get_CanSeek(ms));
    assert_false(Stream_get_CanTimeout(ms));
    EXPECT_NO_EXC();
    /* ToArray and GetBuffer work after close: all the data, whatever the position. */
    int32_t n;
    uint8_t *a = MemoryStream_ToArray(ms, &n);
    assert_non_null(a);
    EXPECT_NO_EXC();
    ASSERT_BYTES(a, n, "data", 4);
    Array_Free(a);
    uint8_t *b = MemoryStream_GetBuffer(ms);
    assert_non_null(b);
    EXPECT_NO_EXC();
    assert_memory_equal(b, "data", 4);

    uint8_t buf[4];
    static const char closed[] = "Cannot access a closed Stream.";
    assert_int_equal(Stream_Read(ms, buf, 0, 1), -1);
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    assert_int_equal(Stream_ReadSpan(ms, buf, 1), -1);
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    assert_false(Stream_ReadExactly(ms, buf, 0, 1));
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    assert_int_equal(Stream_ReadByte(ms), -1);
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    assert_false(Stream_Write(ms, buf, 0, 1));
    EXPECT_EXC_MSG(ObjectDisposedException, closed); /* closed before not-writable */
    assert_false(Stream_WriteByte(ms, 1));
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    ASSERT_I64(Stream_get_Length(ms), -1);
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    ASSERT_I64(Stream_get_Position(ms), -1);
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    assert_false(Stream_set_Position(ms, 0));
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    MemoryStream *dst = MemoryStream_new();
    assert_false(MemoryStream_WriteTo(ms, dst));
    EXPECT_EXC(ObjectDisposedException);
    assert_false(Stream_CopyTo(ms, dst));
    EXPECT_EXC(ObjectDisposedException);
    Dispose(dst);
    Dispose(ms);
}

/* MemoryStream.Flush() is an empty method in .NET: no exception even when closed. */
/* sharpipc's own: MemoryStream.Flush is a no-op, even when closed */
static void flush_is_a_no_op_even_when_closed(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    assert_true(Stream_Flush(ms));
    EXPECT_NO_EXC();
    Stream_Close(ms);
    bool ok = Stream_Flush(ms);
    ExceptionType type = Exception_get_Type(Exception_get_Current());
    Dispose(ms);
    if (!ok || type != ExceptionType_None)
        fail_msg("Flush of a closed MemoryStream: %s, %s", ok ? "true" : "false", sp_exc_name(type));
}

/* ------------------------------------------------------------------ byte-level reads and writes */

/* sharpipc's own: ReadByte/WriteByte of every byte value, 0xFF included */
static void read_byte_write_byte(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    for (int i = 0; i < 256; i++)
        assert_true(Stream_WriteByte(ms, (uint8_t)i));
    ASSERT_I64(Stream_get_Length(ms), 256);
    Stream_set_Position(ms, 0);
    for (int i = 0; i < 256; i++) {
        int v = Stream_ReadByte(ms);
        assert_int_equal(v, i); /* 0xFF comes back as 255, not -1 */
        EXPECT_NO_EXC();
    }
    assert_int_equal(Stream_ReadByte(ms), -1);
    EXPECT_NO_EXC(); /* end of stream is not an exception */
    /* Overwrite in the middle. */
    Stream_set_Position(ms, 10);
    assert_true(Stream_WriteByte(ms, 0xAA));
    ASSERT_I64(Stream_get_Position(ms), 11);
    ASSERT_I64(Stream_get_Length(ms), 256);
    Stream_set_Position(ms, 10);
    assert_int_equal(Stream_ReadByte(ms), 0xAA);
    Dispose(ms);
}

/* dotnet/runtime src/libraries/Common/tests/StreamConformanceTests/System/IO/StreamConformanceTests.cs: StandaloneStreamConformanceTests.ArgumentValidation_ThrowsExpectedException (run by MemoryStreamTests);
   also Read_DataStoredAtDesiredOffset */
static void MemoryStreamTests_ArgumentValidation_ThrowsExpectedException(void **state)
{
    (void)state;
    MemoryStream *ms = SP_MS_LIT("abcdef");
    uint8_t buf[8] = {0};
    assert_int_equal(Stream_Read(ms, buf, 0, 0), 0);
    EXPECT_NO_EXC();
    assert_int_equal(Stream_Read(ms, buf, -1, 1), -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("offset");
    assert_int_equal(Stream_Read(ms, buf, 0, -1), -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("count");
    assert_int_equal(Stream_Read(ms, NULL, 0, 1), -1);
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("buffer");
    assert_false(Stream_Write(ms, buf, -1, 1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("offset");
    assert_false(Stream_Write(ms, buf, 0, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("count");
    assert_false(Stream_Write(ms, NULL, 0, 1));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("buffer");
    /* The Span forms: a NULL buffer of zero length is an empty span. */
    assert_int_equal(Stream_ReadSpan(ms, NULL, 0), 0);
    EXPECT_NO_EXC();
    assert_true(Stream_WriteSpan(ms, NULL, 0));
    EXPECT_NO_EXC();
    assert_int_equal(Stream_ReadSpan(ms, buf, -1), -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    /* Offsets apply to the buffer. */
    assert_int_equal(Stream_Read(ms, buf, 3, 2), 2);
    assert_memory_equal(buf + 3, "ab", 2);
    assert_int_equal(Stream_Read(ms, buf, 3), 3); /* the Span overload via arity */
    assert_memory_equal(buf, "cde", 3);
    /* Reading more than remains gives what remains. */
    assert_int_equal(Stream_Read(ms, buf, 0, 8), 1);
    assert_int_equal(buf[0], 'f');
    assert_int_equal(Stream_Read(ms, buf, 0, 8), 0);
    Dispose(ms);
}

/* sharpipc's own: Stream.ReadExactly over a MemoryStream */
static void read_exactly(void **state)
{
    (void)state;
    MemoryStream *ms = SP_MS_LIT("abcdef");
    uint8_t buf[8] = {0};
    assert_true(Stream_ReadExactly(ms, buf, 0, 4));
    assert_memory_equal(buf, "abcd", 4);
    assert_true(Stream_ReadExactly(ms, buf, 0, 0));
    EXPECT_NO_EXC();
    assert_true(Stream_ReadExactly(ms, buf, 2)); /* the 3-argument form */
    assert_memory_equal(buf, "ef", 2);
    assert_false(Stream_ReadExactly(ms, buf, 0, 1));
    EXPECT_EXC_MSG(EndOfStreamException, "Unable to read beyond the end of the stream.");
    Stream_set_Position(ms, 4);
    assert_false(Stream_ReadExactly(ms, buf, 0, 3));
    EXPECT_EXC(EndOfStreamException);
    Dispose(ms);
}

/* sharpipc's own, after MemoryStream.SeekCore in dotnet/runtime's MemoryStream.cs: offsets near
 * long.MaxValue/MinValue from every origin. .NET refuses an offset past the maximum length counted
 * from the origin's base as ArgumentOutOfRangeException("offset"), a target before the start as
 * IOException; nothing overflows. */
static void seek_with_offsets_near_the_int64_limits(void **state)
{
    (void)state;
    struct {
        int64_t offset;
        SeekOrigin origin;
        ExceptionType thrown; /* None: succeeds at `position` */
        int64_t position;
    } rows[] = {
        {INT64_MAX, SeekOrigin_Begin, ExceptionType_ArgumentOutOfRangeException, 0},
        {INT64_MAX, SeekOrigin_Current, ExceptionType_ArgumentOutOfRangeException, 0},
        {INT64_MAX, SeekOrigin_End, ExceptionType_ArgumentOutOfRangeException, 0},
        {INT64_MAX - 4, SeekOrigin_End, ExceptionType_ArgumentOutOfRangeException, 0},
        {(int64_t)INT32_MAX - 4, SeekOrigin_Current, ExceptionType_ArgumentOutOfRangeException, 0},
        {(int64_t)INT32_MAX - 5, SeekOrigin_Current, ExceptionType_None, INT32_MAX},
        {(int64_t)INT32_MAX - 10, SeekOrigin_End, ExceptionType_None, INT32_MAX},
        {(int64_t)INT32_MAX, SeekOrigin_Begin, ExceptionType_None, INT32_MAX},
        {INT64_MIN, SeekOrigin_Begin, ExceptionType_IOException, 0},
        {INT64_MIN, SeekOrigin_Current, ExceptionType_IOException, 0},
        {INT64_MIN, SeekOrigin_End, ExceptionType_IOException, 0},
        {INT64_MIN + 1, SeekOrigin_End, ExceptionType_IOException, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        MemoryStream *ms = MemoryStream_new();
        assert_true(Stream_Write(ms, "0123456789", 0, 10));
        assert_true(Stream_set_Position(ms, 5));
        int64_t r = Stream_Seek(ms, rows[i].offset, rows[i].origin);
        if (rows[i].thrown == ExceptionType_None) {
            EXPECT_NO_EXC();
            ASSERT_I64(r, rows[i].position);
        } else {
            ASSERT_I64(r, -1);
            const Exception *e = Exception_get_Current();
            assert_non_null(e);
            assert_int_equal(Exception_get_Type(e), rows[i].thrown);
            if (rows[i].thrown == ExceptionType_IOException)
                assert_string_equal(Exception_get_Message(e),
                                    "An attempt was made to move the position before the beginning of the stream.");
            else
                EXPECT_PARAM("offset");
            ASSERT_I64(Stream_get_Position(ms), 5);
        }
        Dispose(ms);
    }
    /* Position = value: the limit counts from the origin, the parameter is "value". */
    static uint8_t backing[16];
    MemoryStream *ms = MemoryStream_newFromBuffer(backing, 4, 8, true, false);
    assert_false(Stream_set_Position(ms, (int64_t)INT32_MAX - 3));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("value");
    assert_true(Stream_set_Position(ms, (int64_t)INT32_MAX - 4));
    ASSERT_I64(Stream_get_Position(ms), (int64_t)INT32_MAX - 4);
    assert_false(Stream_set_Position(ms, INT64_MAX));
    EXPECT_PARAM("value");
    Dispose(ms);
}

/* sharpipc's own, after MemoryStream.WriteTo in dotnet/runtime's MemoryStream.cs: a stream written
 * into itself. .NET writes its buffer, from the origin to the length, at the destination's
 * position; when that grows the stream the copy comes from the old array, so the contents come
 * out once more at the position. Rows: with and without growing the buffer. */
static void write_to_itself_writes_its_contents_at_its_position(void **state)
{
    (void)state;
    struct {
        int32_t capacity, position;
        const char *expected;
    } rows[] = {
        {6, 6, "abcdefabcdef"},  /* grows: the old buffer is freed under the copy */
        {6, 2, "ababcdef"},      /* grows, overlapping */
        {64, 6, "abcdefabcdef"}, /* fits */
        {64, 2, "ababcdef"},     /* fits, overlapping: memmove, as Buffer.BlockCopy */
        {6, 0, "abcdef"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        MemoryStream *ms = MemoryStream_newWithCapacity(rows[i].capacity);
        assert_true(Stream_Write(ms, "abcdef", 0, 6));
        assert_int_equal(MemoryStream_get_Capacity(ms), rows[i].capacity);
        assert_true(Stream_set_Position(ms, rows[i].position));
        assert_true(MemoryStream_WriteTo(ms, ms));
        EXPECT_NO_EXC();
        size_t n = strlen(rows[i].expected);
        ASSERT_MS(ms, rows[i].expected, n);
        ASSERT_I64(Stream_get_Position(ms), rows[i].position + 6);
        Dispose(ms);
    }
}

/* sharpipc's own, from .NET's MemoryStream.Write (no early return for a count of 0): a write of
 * nothing at a position past the length moves the length to the position and zeroes the gap,
 * whichever call makes it (a Span write of none, BinaryWriter.Write(byte[0]) and WriteTo of an
 * empty stream are that Write too); at or before the length it changes nothing. */
static void write_of_none_past_the_end_moves_the_length(void **state)
{
    (void)state;
    for (int call = 0; call < 4; call++) {
        MemoryStream *ms = MemoryStream_new();
        BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
        MemoryStream *empty = MemoryStream_new();
        assert_true(Stream_Write(ms, "\x01\x02\x03\x04", 0, 4));
        for (int32_t position = 2; position <= 10; position += 8) {
            assert_true(Stream_set_Position(ms, position));
            uint8_t none[1];
            bool ok = call == 0   ? Stream_Write(ms, none, 0, 0)
                      : call == 1 ? Stream_WriteSpan(ms, NULL, 0)
                      : call == 2 ? BinaryWriter_WriteBytes(w, none, 0, 0)
                                  : MemoryStream_WriteTo(empty, ms);
            assert_true(ok);
            EXPECT_NO_EXC();
            ASSERT_I64(Stream_get_Position(ms), position);
            ASSERT_I64(Stream_get_Length(ms), position < 4 ? 4 : position);
        }
        ASSERT_MS(ms, "\x01\x02\x03\x04\0\0\0\0\0\0", 10);
        Dispose(empty);
        Dispose(w);
        Dispose(ms);
    }
}

/* sharpipc's own: bytes written from, or read into, the stream's own buffer (GetBuffer) are copied as
 * memmove copies, as .NET's Buffer.BlockCopy does, forwards and backwards, by every path (a count
 * the compiler knows, which the inline paths copy themselves, and one it does not); ASan's lane
 * reports a memcpy of overlapping bytes. */
static int32_t opaque_count(int32_t n)
{
    volatile int32_t v = n;
    return v;
}
static void writes_and_reads_from_its_own_buffer(void **state)
{
    (void)state;
    for (int way = 0; way < 12; way++) {
        MemoryStream *ms = MemoryStream_newWithCapacity(256);
        uint8_t expected[256];
        for (int i = 0; i < 200; i++) {
            assert_true(Stream_WriteByte(ms, (uint8_t)i));
            expected[i] = (uint8_t)i;
        }
        uint8_t *own = MemoryStream_GetBuffer(ms);
        bool forwards = way & 1, known = way & 2;
        int op = way >> 2; /* Stream.Write, BinaryWriter.Write(bytes), Stream.Read */
        bool reader = op == 2;
        int32_t at = forwards ? 8 : 0, from = forwards ? 0 : 8; /* the copy's target and source */
        int32_t n = known ? 64 : opaque_count(64);
        memmove(expected + at, expected + from, 64);
        assert_true(Stream_set_Position(ms, reader ? from : at));
        if (reader) {
            assert_int_equal(Stream_Read(ms, own, at, n), 64);
        } else if (op == 0) {
            assert_true(Stream_Write(ms, own, from, n));
        } else {
            BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
            assert_true(BinaryWriter_WriteBytes(w, own, from, n));
            Dispose(w);
        }
        EXPECT_NO_EXC();
        ASSERT_MS(ms, expected, 200);
        Dispose(ms);
    }
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/MemoryStream/MemoryStreamTests.cs: MemoryStream_WriteToTests; also MemoryStream_WriteToTests_Negative (null, read-only) */
static void MemoryStreamTests_MemoryStream_WriteToTests(void **state)
{
    (void)state;
    MemoryStream *src = SP_MS_LIT("content");
    Stream_set_Position(src, 3); /* WriteTo ignores the position */
    MemoryStream *dst = MemoryStream_new();
    Stream_Write(dst, ">", 0, 1);
    assert_true(MemoryStream_WriteTo(src, dst));
    ASSERT_MS_LIT(dst, ">content");
    ASSERT_I64(Stream_get_Position(src), 3);
    assert_false((MemoryStream_WriteTo)(src, NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("stream");
    uint8_t ro_buf[2];
    MemoryStream *ro = MemoryStream_newFromBuffer(ro_buf, 0, 2, false, false);
    assert_false(MemoryStream_WriteTo(src, ro));
    EXPECT_EXC(NotSupportedException);
    Dispose(ro);
    Dispose(dst);
    Dispose(src);
}

/* sharpipc's own: ReadTimeout/WriteTimeout of a MemoryStream are InvalidOperationException */
static void timeouts_are_invalid_operation(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    assert_false(Stream_get_CanTimeout(ms));
    Stream_get_ReadTimeout(ms);
    EXPECT_EXC_MSG(InvalidOperationException, "Timeouts are not supported on this stream.");
    Stream_get_WriteTimeout(ms);
    EXPECT_EXC_MSG(InvalidOperationException, "Timeouts are not supported on this stream.");
    assert_false(Stream_set_ReadTimeout(ms, 100));
    EXPECT_EXC(InvalidOperationException);
    assert_false(Stream_set_WriteTimeout(ms, 100));
    EXPECT_EXC(InvalidOperationException);
    Dispose(ms);
}

/* ------------------------------------------------------------------ CopyTo */

/* dotnet/runtime src/libraries/Common/tests/StreamConformanceTests/System/IO/StreamConformanceTests.cs: StandaloneStreamConformanceTests.CopyTo_CopiesAllDataFromRightPosition_Success (run by MemoryStreamTests);
   also every buffer size */
static void MemoryStreamTests_CopyTo_CopiesAllDataFromRightPosition_Success(void **state)
{
    (void)state;
    MemoryStream *src = SP_MS_LIT("0123456789");
    Stream_set_Position(src, 4);
    MemoryStream *dst = MemoryStream_new();
    assert_true(Stream_CopyTo(src, dst));
    EXPECT_NO_EXC();
    ASSERT_MS_LIT(dst, "456789");
    ASSERT_I64(Stream_get_Position(src), 10);
    ASSERT_I64(Stream_get_Position(dst), 6);
    /* At the end: nothing more, no error. */
    assert_true(Stream_CopyTo(src, dst));
    ASSERT_I64(Stream_get_Length(dst), 6);
    /* Beyond the end: nothing either. */
    Stream_set_Position(src, 50);
    assert_true(Stream_CopyTo(src, dst));
    ASSERT_I64(Stream_get_Length(dst), 6);
    Dispose(dst);

    /* Every buffer size gives the same bytes, and the destination's position is respected. */
    enum { N = 5000 };
    uint8_t data[N];
    for (int i = 0; i < N; i++)
        data[i] = (uint8_t)(i ^ (i >> 3));
    MemoryStream *big = sp_ms_with(data, N);
    static const int32_t sizes[] = {1, 2, 3, 7, 100, 4096, 81920, 1 << 20};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        Stream_set_Position(big, 0);
        dst = MemoryStream_new();
        Stream_Write(dst, "**", 0, 2);
        assert_true(Stream_CopyTo(big, dst, sizes[s]));
        uint8_t *expect = malloc(N + 2);
        memcpy(expect, "**", 2);
        memcpy(expect + 2, data, N);
        ASSERT_MS(dst, expect, N + 2);
        free(expect);
        Dispose(dst);
    }
    Dispose(big);
    Dispose(src);
}

/* dotnet/runtime src/libraries/Common/tests/StreamConformanceTests/System/IO/StreamConformanceTests.cs: StandaloneStreamConformanceTests.ArgumentValidation_ThrowsExpectedException (run by MemoryStreamTests),
   its CopyTo part (ValidateMisuseExceptionsAsync: destination, bufferSize, unwritable and disposed streams) */
static void MemoryStreamTests_ArgumentValidation_ThrowsExpectedException_CopyTo(void **state)
{
    (void)state;
    MemoryStream *src = SP_MS_LIT("abc");
    MemoryStream *dst = MemoryStream_new();
    assert_false(Stream_CopyTo(src, NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("destination");
    assert_false(Stream_CopyTo(src, dst, 0));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("bufferSize");
    assert_false(Stream_CopyTo(src, dst, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("bufferSize");
    ASSERT_I64(Stream_get_Position(src), 0); /* nothing consumed */

    /* Destination not writable: NotSupportedException; closed: ObjectDisposedException. */
    uint8_t ro_buf[8];
    MemoryStream *ro = MemoryStream_newFromBuffer(ro_buf, 0, 8, false, false);
    assert_false(Stream_CopyTo(src, ro));
    EXPECT_EXC_MSG(NotSupportedException, "Stream does not support writing.");
    Dispose(ro);
    Stream_Close(dst);
    assert_false(Stream_CopyTo(src, dst));
    EXPECT_EXC(ObjectDisposedException);
    ASSERT_I64(Stream_get_Position(src), 0);
    Dispose(dst);

    /* Source closed. */
    MemoryStream *dst2 = MemoryStream_new();
    Stream_Close(src);
    assert_false(Stream_CopyTo(src, dst2));
    EXPECT_EXC(ObjectDisposedException);
    Dispose(dst2);
    Dispose(src);

    /* Copying into a fixed buffer too small for the data: NotSupportedException. */
    MemoryStream *src2 = SP_MS_LIT("0123456789");
    uint8_t small[4];
    MemoryStream *fixed = MemoryStream_newFromBuffer(small, 0, 4, true, false);
    assert_false(Stream_CopyTo(src2, fixed));
    EXPECT_EXC(NotSupportedException);
    Dispose(fixed);
    Dispose(src2);
}

/* sharpipc's own: CopyTo into a MemoryStream over a window of a caller's buffer */
static void copy_to_self_type_mix(void **state)
{
    (void)state;
    /* MemoryStream to a MemoryStream over a caller buffer that is big enough. */
    MemoryStream *src = SP_MS_LIT("xyz");
    uint8_t buf[5] = "-----";
    MemoryStream *fixed = MemoryStream_newFromBuffer(buf, 1, 3, true, false);
    assert_true(Stream_CopyTo(src, fixed));
    assert_memory_equal(buf, "-xyz-", 5);
    Dispose(fixed);
    Dispose(src);
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/MemoryStream/MemoryStream.ConstructorTests.cs: MemoryStream_Ctor_NegativeIndices */
static void MemoryStream_ConstructorTests_MemoryStream_Ctor_NegativeIndices(void **state)
{
    (void)state;
    static const struct {
        int arraySize, index, count;
    } rows[] = {{10, -1, INT32_MAX}, {10, 6, -1}}; /* [InlineData] */
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint8_t *buffer = calloc((size_t)rows[i].arraySize, 1);
        assert_null(MemoryStream_new(buffer, rows[i].index, rows[i].count, true));
        EXPECT_EXC(ArgumentOutOfRangeException);
        free(buffer);
    }
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/MemoryStream/MemoryStream.ConstructorTests.cs: MemoryStream_Ctor_InvalidCapacities */
static void MemoryStream_ConstructorTests_MemoryStream_Ctor_InvalidCapacities(void **state)
{
    (void)state;
    static const int32_t capacities[] = {INT32_MIN, -1};
    for (size_t i = 0; i < sizeof capacities / sizeof capacities[0]; i++) {
        assert_null(MemoryStream_newWithCapacity(capacities[i]));
        EXPECT_EXC(ArgumentOutOfRangeException);
    }
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/MemoryStream/MemoryStream.GetBufferTests.cs: MemoryStream_GetBuffer */
static void MemoryStream_GetBufferTests_MemoryStream_GetBuffer(void **state)
{
    (void)state;
    uint8_t testdata[100];
    for (int i = 0; i < 100; i++)
        testdata[i] = (uint8_t)(i * 7 + 45135);
    MemoryStream *ms = MemoryStream_new(100);
    assert_non_null(MemoryStream_GetBuffer(ms));
    ASSERT_I64(MemoryStream_get_Capacity(ms), 100); /* buffer.Length */
    assert_true(Stream_Write(ms, testdata, 0, 100));
    assert_true(Stream_Write(ms, testdata, 0, 100));
    ASSERT_I64(Stream_get_Length(ms), 200);
    assert_non_null(MemoryStream_GetBuffer(ms));
    ASSERT_I64(MemoryStream_get_Capacity(ms), 256); /* the minimum size after writing */
    Dispose(ms);
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/MemoryStream/MemoryStream.GetBufferTests.cs: MemoryStream_GetBuffer_AfterCapacityReset */
static void MemoryStream_GetBufferTests_MemoryStream_GetBuffer_AfterCapacityReset(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new(100);
    assert_true(MemoryStream_set_Capacity(ms, 0));
    assert_non_null(MemoryStream_GetBuffer(ms));
    EXPECT_NO_EXC();
    Dispose(ms);
}

/* MemoryStream.TryGetBufferTests' GetArraysVariedByOffsetAndLength: (offset, count) over a 512-byte array. */
static const struct {
    int32_t offset, count;
} varied_by_offset_and_length[] = {{0, 512}, {1, 511}, {2, 510}, {256, 256}, {512, 0}, {511, 1}, {510, 2}};

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/MemoryStream/MemoryStream.TryGetBufferTests.cs: TryGetBuffer_WhenDisposed_ReturnsTrue;
   also TryGetBuffer_WhenDisposed_ReturnsOffsetSetToIndex, _ReturnsCountSetToCount, _ReturnsArraySetToBuffer, and
   TryGetBuffer_Constructor_ByteArray_Int32_Int32_Bool_Bool_ValueAsIndexAndTrueAsPubliclyVisible_AlwaysReturnsOffsetSetToIndex
   (the same rows before the Dispose) */
static void MemoryStream_TryGetBufferTests_TryGetBuffer_WhenDisposed_ReturnsTrue(void **state)
{
    (void)state;
    static uint8_t array[512];
    for (size_t i = 0; i < sizeof varied_by_offset_and_length / sizeof varied_by_offset_and_length[0]; i++) {
        int32_t offset = varied_by_offset_and_length[i].offset, count = varied_by_offset_and_length[i].count;
        MemoryStream *stream = MemoryStream_new(array, offset, count, true, true);
        assert_non_null(stream);
        uint8_t *segment = NULL;
        int32_t n = -1;
        assert_true(MemoryStream_TryGetBuffer(stream, &segment, &n));
        assert_ptr_equal(segment, array + offset);
        assert_int_equal(n, count);
        assert_true(Stream_Close(stream)); /* stream.Dispose() */
        segment = NULL;
        n = -1;
        assert_true(MemoryStream_TryGetBuffer(stream, &segment, &n));
        assert_ptr_equal(MemoryStream_GetBuffer(stream), array); /* Assert.Same(array.Array, segment.Array) */
        assert_ptr_equal(segment, array + offset);               /* segment.Offset */
        assert_int_equal(n, count);                              /* segment.Count */
        Dispose(stream);
    }
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/MemoryStream/MemoryStream.TryGetBufferTests.cs: TryGetBuffer_Constructor_ByteArray_Int32_Int32_Bool_Bool_FalseAsPubliclyVisible_ReturnsEmptyArraySegment */
static void
MemoryStream_TryGetBufferTests_TryGetBuffer_Constructor_ByteArray_Int32_Int32_Bool_Bool_FalseAsPubliclyVisible_ReturnsEmptyArraySegment(
    void **state)
{
    (void)state;
    static uint8_t array[512];
    for (size_t i = 0; i < sizeof varied_by_offset_and_length / sizeof varied_by_offset_and_length[0]; i++) {
        MemoryStream *stream = MemoryStream_new(array, varied_by_offset_and_length[i].offset,
                                                varied_by_offset_and_length[i].count, true, false);
        assert_non_null(stream);
        uint8_t *segment = (uint8_t *)1;
        int32_t n = -1;
        assert_false(MemoryStream_TryGetBuffer(stream, &segment, &n));
        EXPECT_NO_EXC();
        Dispose(stream);
    }
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.Tests/MemoryStream/MemoryStream.TryGetBufferTests.cs: TryGetBuffer_Constructor_ReturnsCountSetToWrittenLength */
static void MemoryStream_TryGetBufferTests_TryGetBuffer_Constructor_ReturnsCountSetToWrittenLength(void **state)
{
    (void)state;
    /* GetArraysVariedBySize */
    static const int32_t sizes[] = {0, 1, 2, 254, 255, 256, 511, 512, 513, 1023, 1024, 1025, 2047, 2048, 2049};
    static uint8_t data[2049];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        MemoryStream *stream = MemoryStream_new();
        assert_true(Stream_Write(stream, data, 0, sizes[i]));
        uint8_t *segment = NULL;
        int32_t n = -1;
        assert_true(MemoryStream_TryGetBuffer(stream, &segment, &n));
        assert_int_equal(n, sizes[i]);
        Dispose(stream);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_defaults),
        cmocka_unit_test(new_with_capacity),
        cmocka_unit_test(MemoryStream_ConstructorTests_MemoryStream_Ctor_NullArray),
        cmocka_unit_test(growth_follows_dotnet),
        cmocka_unit_test(large_content_round_trip),
        cmocka_unit_test(capacity_setter),
        cmocka_unit_test(MemoryStreamTests_SeekPastEnd_Write_BeyondCapacity),
        cmocka_unit_test(MemoryStreamTests_Seek_Offset0FromMark_Success),
        cmocka_unit_test(seek_invalid_origin_has_no_param),
        cmocka_unit_test(position_setter_out_of_range_names_value),
        cmocka_unit_test(seek_with_origin_in_caller_buffer),
        cmocka_unit_test(MemoryStreamTests_SetLength_ChangesLengthAccordingly_Success),
        cmocka_unit_test(set_length_after_close_is_not_supported),
        cmocka_unit_test(read_only_buffer_rejects_writes),
        cmocka_unit_test(fixed_buffer_is_not_expandable),
        cmocka_unit_test(write_past_the_maximum_length),
        cmocka_unit_test(no_partial_write_into_a_fixed_buffer),
        cmocka_unit_test(MemoryStream_GetBufferTests_MemoryStream_GetBuffer_NonExposable),
        cmocka_unit_test(MemoryStreamTests_Disposed_ThrowsObjectDisposedException),
        cmocka_unit_test(flush_is_a_no_op_even_when_closed),
        cmocka_unit_test(read_byte_write_byte),
        cmocka_unit_test(MemoryStreamTests_ArgumentValidation_ThrowsExpectedException),
        cmocka_unit_test(read_exactly),
        cmocka_unit_test(MemoryStreamTests_MemoryStream_WriteToTests),
        cmocka_unit_test(write_to_itself_writes_its_contents_at_its_position),
        cmocka_unit_test(seek_with_offsets_near_the_int64_limits),
        cmocka_unit_test(timeouts_are_invalid_operation),
        cmocka_unit_test(MemoryStreamTests_CopyTo_CopiesAllDataFromRightPosition_Success),
        cmocka_unit_test(MemoryStreamTests_ArgumentValidation_ThrowsExpectedException_CopyTo),
        cmocka_unit_test(copy_to_self_type_mix),
        cmocka_unit_test(MemoryStream_ConstructorTests_MemoryStream_Ctor_NegativeIndices),
        cmocka_unit_test(MemoryStream_ConstructorTests_MemoryStream_Ctor_InvalidCapacities),
        cmocka_unit_test(MemoryStream_GetBufferTests_MemoryStream_GetBuffer),
        cmocka_unit_test(MemoryStream_GetBufferTests_MemoryStream_GetBuffer_AfterCapacityReset),
        cmocka_unit_test(write_of_none_past_the_end_moves_the_length),
        cmocka_unit_test(writes_and_reads_from_its_own_buffer),
        cmocka_unit_test(MemoryStream_TryGetBufferTests_TryGetBuffer_WhenDisposed_ReturnsTrue),
        cmocka_unit_test(
            MemoryStream_TryGetBufferTests_TryGetBuffer_Constructor_ByteArray_Int32_Int32_Bool_Bool_FalseAsPubliclyVisible_ReturnsEmptyArraySegment),
        cmocka_unit_test(MemoryStream_TryGetBufferTests_TryGetBuffer_Constructor_ReturnsCountSetToWrittenLength),
    };
    return cmocka_run_group_tests(tests, NULL, sp_remove_temp_files);
}
