/*
 * The exception model (API.md section 3) and the object/reference rules (section 6):
 * Exception_get_Current is cleared by a successful call; Exception_Is follows .NET's hierarchy;
 * messages, ParamName and HResult are .NET's; NULL objects are ArgumentNullException, objects of
 * the wrong type ArgumentException, closed objects ObjectDisposedException, never a crash.
 */
#include "sp_test.h"

#include "core/internal.h" /* sp_throw: raise every exception type to check the hierarchy table */

/* ------------------------------------------------------------------ Current / Clear */

/* sharpipc's own: Exception_get_Current is NULL at start and after a successful call */
static void current_is_null_at_start_and_after_success(void **state)
{
    (void)state;
    Exception_Clear();
    assert_null(Exception_get_Current());

    MemoryStream *ms = MemoryStream_new();
    assert_non_null(ms);
    EXPECT_NO_EXC();

    /* A failure leaves an exception pending... */
    ASSERT_I64(Stream_Seek(ms, -1, SeekOrigin_Begin), -1);
    EXPECT_EXC(IOException);
    /* ...that stays until the next call, even across reads of it... */
    assert_non_null(Exception_get_Current());
    assert_non_null(Exception_get_Current());
    /* ...and a successful call clears it. */
    ASSERT_I64(Stream_get_Length(ms), 0);
    assert_null(Exception_get_Current());

    /* Each kind of successful call clears: a getter, a write, a constructor, Dispose. */
    Stream_set_Position(ms, -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    assert_true(Stream_get_CanRead(ms));
    EXPECT_NO_EXC();

    Stream_set_Position(ms, -1);
    assert_true(Stream_WriteByte(ms, 1));
    EXPECT_NO_EXC();

    Stream_set_Position(ms, -1);
    BinaryWriter *w = BinaryWriter_new(ms);
    assert_non_null(w);
    EXPECT_NO_EXC();

    Stream_set_Position(ms, -1);
    assert_true(Dispose(w));
    EXPECT_NO_EXC();

    /* A later failure replaces an earlier one. */
    Stream_set_Position(ms, -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    Stream_WriteByte(ms, 1); /* closed by the writer's Dispose */
    EXPECT_EXC(ObjectDisposedException);

    /* Exception_Clear is a catch that handled it. */
    Exception_Clear();
    assert_null(Exception_get_Current());
    assert_true(Dispose(ms));
}

/* sharpipc's own: the pending exception is per thread and stays valid until the next call */
static void current_is_per_thread_storage_stays_valid_until_next_call(void **state)
{
    (void)state;
    BinaryWriter_new(NULL);
    const Exception *e = Exception_get_Current();
    assert_non_null(e);
    /* The strings stay valid while no other sharpipc call is made. */
    const char *msg = Exception_get_Message(e);
    const char *type = Exception_get_TypeName(e);
    assert_string_equal(type, "System.ArgumentNullException");
    assert_string_equal(msg, "Value cannot be null. (Parameter 'output')");
    char *s = Exception_ToString(e);
    assert_non_null(s);
    assert_string_equal(s, "System.ArgumentNullException: Value cannot be null. (Parameter 'output')");
    String_Free(s);
    Exception_Clear();
}

/* ------------------------------------------------------------------ the hierarchy */

typedef struct type_info {
    ExceptionType type;
    const char *name;
    uint32_t hresult;
    ExceptionType base;
} type_info;

/* Every type, from the one list (include/sharpipc/exception_types.h). */
#define TYPE_INFO_(type, base, dotnet_name, hresult, message)                                                          \
  {ExceptionType_##type, dotnet_name, hresult, ExceptionType_##base},
static const type_info hierarchy[] = {SHARPIPC_EXCEPTION_TYPES(TYPE_INFO_)};
#undef TYPE_INFO_

/* t is ti's type or one of its bases (walking the list's Base column). */
static bool is_ancestor(const type_info *ti, ExceptionType t)
{
    for (int depth = 0; depth < ExceptionType_Count_; depth++) {
        if (t == ti->type)
            return true;
        if (ti->base == ExceptionType_None)
            return false;
        assert_true(ti->base > ExceptionType_None && ti->base < ExceptionType_Count_);
        ti = &hierarchy[ti->base - 1]; /* the list is in enum order, after ExceptionType_None */
    }
    fail_msg("a cycle in the Base column of exception_types.h");
    return false;
}

/* sharpipc's own: Exception_Is follows .NET's exception hierarchy for every type */
static void is_follows_dotnet_hierarchy_for_every_type(void **state)
{
    (void)state;
    size_t n = sizeof hierarchy / sizeof hierarchy[0];
    assert_int_equal(n, ExceptionType_Count_ - 1); /* every type is in the table */
    for (size_t i = 0; i < n; i++) {
        const type_info *ti = &hierarchy[i];
        assert_int_equal(ti->type, (ExceptionType)(i + 1)); /* ExceptionType_None is 0, then the list */
        assert_string_equal(sp_exc_name(ti->type), ti->name + strlen(ti->name) - strlen(sp_exc_name(ti->type)));
        sp_throw(ti->type, NULL, NULL);
        const Exception *e = Exception_get_Current();
        assert_non_null(e);
        assert_int_equal(Exception_get_Type(e), ti->type);
        if (strcmp(Exception_get_TypeName(e), ti->name) != 0)
            fail_msg("%s: TypeName %s", ti->name, Exception_get_TypeName(e));
        if ((uint32_t)Exception_get_HResult(e) != ti->hresult)
            fail_msg("%s: HResult 0x%08X, .NET has 0x%08X", ti->name, (unsigned)Exception_get_HResult(e),
                     (unsigned)ti->hresult);
        for (int t = ExceptionType_None; t < ExceptionType_Count_; t++) {
            bool expected = t != ExceptionType_None && is_ancestor(ti, (ExceptionType)t);
            if (Exception_Is(e, (ExceptionType)t) != expected)
                fail_msg("Exception_Is(%s, %s) should be %s", ti->name, sp_exc_name((ExceptionType)t),
                         expected ? "true" : "false");
        }
        assert_null(Exception_get_ParamName(e));
    }
    Exception_Clear();
}

/* sharpipc's own: Exception_Is, the examples of the API contract */
static void is_examples_from_the_contract(void **state)
{
    (void)state;
    /* EndOfStream is an IOException, from a real failing call. */
    MemoryStream *ms = MemoryStream_new();
    BinaryReader *r = BinaryReader_new(ms);
    BinaryReader_ReadInt32(r);
    const Exception *e = Exception_get_Current();
    assert_true(Exception_Is(e, ExceptionType_EndOfStreamException));
    assert_true(Exception_Is(e, ExceptionType_IOException));
    assert_true(Exception_Is(e, ExceptionType_SystemException));
    assert_true(Exception_Is(e, ExceptionType_Exception));
    assert_false(Exception_Is(e, ExceptionType_FileNotFoundException));
    assert_false(Exception_Is(e, ExceptionType_ArgumentException));
    assert_false(Exception_Is(e, ExceptionType_None));

    /* ArgumentNull is an Argument exception. */
    BinaryReader_new(NULL);
    e = Exception_get_Current();
    assert_true(Exception_Is(e, ExceptionType_ArgumentNullException));
    assert_true(Exception_Is(e, ExceptionType_ArgumentException));
    assert_false(Exception_Is(e, ExceptionType_ArgumentOutOfRangeException));
    assert_false(Exception_Is(e, ExceptionType_IOException));

    /* ObjectDisposed is an InvalidOperation. */
    Dispose(r);
    Stream_ReadByte(ms);
    e = Exception_get_Current();
    assert_true(Exception_Is(e, ExceptionType_ObjectDisposedException));
    assert_true(Exception_Is(e, ExceptionType_InvalidOperationException));
    assert_false(Exception_Is(e, ExceptionType_IOException));

    /* PlatformNotSupported is a NotSupported (no System.IO call raises it; use the raiser). */
    sp_throw(ExceptionType_PlatformNotSupportedException, NULL, NULL);
    e = Exception_get_Current();
    assert_true(Exception_Is(e, ExceptionType_NotSupportedException));
    assert_false(Exception_Is(e, ExceptionType_InvalidOperationException));

    /* NULL is no exception: nothing catches it. */
    for (int t = ExceptionType_None; t < ExceptionType_Count_; t++)
        assert_false(Exception_Is(NULL, (ExceptionType)t));
    assert_int_equal(Exception_get_Type(NULL), ExceptionType_None);
    assert_int_equal(Exception_get_HResult(NULL), 0);
    assert_null(Exception_get_ParamName(NULL));
    assert_null(Exception_ToString(NULL));
    Exception_Clear();
    Dispose(ms);
}

/* The parameterless constructors' messages (what sp_throw gives without a text). */
/* sharpipc's own: each type's default Message is .NET's */
static void default_messages_are_dotnets(void **state)
{
    (void)state;
    static const struct {
        ExceptionType t;
        const char *msg;
    } cases[] = {
        {ExceptionType_Exception, "Exception of type 'System.Exception' was thrown."},
        {ExceptionType_SystemException, "System error."},
        {ExceptionType_IOException, "I/O error occurred."},
        {ExceptionType_EndOfStreamException, "Attempted to read past the end of the stream."},
        {ExceptionType_FileNotFoundException, "Unable to find the specified file."},
        {ExceptionType_DirectoryNotFoundException, "Attempted to access a path that is not on the disk."},
        {ExceptionType_UnauthorizedAccessException, "Attempted to perform an unauthorized operation."},
        {ExceptionType_TimeoutException, "The operation has timed out."},
        {ExceptionType_ArgumentException, "Value does not fall within the expected range."},
        {ExceptionType_ArgumentNullException, "Value cannot be null."},
        {ExceptionType_ArgumentOutOfRangeException, "Specified argument was out of the range of valid values."},
        {ExceptionType_InvalidOperationException, "Operation is not valid due to the current state of the object."},
        {ExceptionType_ObjectDisposedException, "Cannot access a disposed object."},
        {ExceptionType_NotSupportedException, "Specified method is not supported."},
        {ExceptionType_PlatformNotSupportedException, "Operation is not supported on this platform."},
        {ExceptionType_FormatException, "One of the identified items was in an invalid format."},
        {ExceptionType_OperationCanceledException, "The operation was canceled."},
        {ExceptionType_OutOfMemoryException, "Insufficient memory to continue the execution of the program."},
        {ExceptionType_OverflowException, "Arithmetic operation resulted in an overflow."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sp_throw(cases[i].t, NULL, NULL);
        sp_expect_exc_(cases[i].t, cases[i].msg, sp_exc_name(cases[i].t), __FILE__, __LINE__);
    }
    /* With a parameter: ArgumentExceptions append it, others do not. */
    sp_throw(ExceptionType_ArgumentNullException, NULL, "x");
    EXPECT_EXC_MSG(ArgumentNullException, "Value cannot be null. (Parameter 'x')");
    EXPECT_PARAM("x");
    sp_throw(ExceptionType_ArgumentOutOfRangeException, "Non-negative number required.", "count");
    EXPECT_EXC_MSG(ArgumentOutOfRangeException, "Non-negative number required. (Parameter 'count')");
    EXPECT_PARAM("count");
    sp_throw(ExceptionType_ArgumentException, "Bad.", "y");
    EXPECT_EXC_MSG(ArgumentException, "Bad. (Parameter 'y')");
    char *s = Exception_ToString(Exception_get_Current());
    assert_string_equal(s, "System.ArgumentException: Bad. (Parameter 'y')");
    String_Free(s);
    Exception_Clear();
}

/* ------------------------------------------------------------------ messages, ParamName, HResult from real calls */

/* sharpipc's own: ArgumentNullException messages and ParamName */
static void argument_null_messages_and_param_names(void **state)
{
    (void)state;
    static const char null_output[] = "Value cannot be null. (Parameter 'output')";
    assert_null(BinaryWriter_new(NULL));
    EXPECT_EXC_MSG(ArgumentNullException, null_output);
    EXPECT_PARAM("output");
    ASSERT_U64((uint32_t)Exception_get_HResult(Exception_get_Current()), 0x80004003u);

    assert_null(BinaryReader_new(NULL));
    EXPECT_EXC_MSG(ArgumentNullException, "Value cannot be null. (Parameter 'input')");
    EXPECT_PARAM("input");

    assert_null(StreamWriter_new(NULL));
    EXPECT_EXC_MSG(ArgumentNullException, "Value cannot be null. (Parameter 'stream')");
    EXPECT_PARAM("stream");

    assert_null(StreamReader_new(NULL));
    EXPECT_EXC_MSG(ArgumentNullException, "Value cannot be null. (Parameter 'stream')");
    EXPECT_PARAM("stream");

    assert_null(FileStream_new(NULL, FileMode_Open));
    EXPECT_EXC_MSG(ArgumentNullException, "Value cannot be null. (Parameter 'path')");
    EXPECT_PARAM("path");

    MemoryStream *ms = MemoryStream_new();
    assert_false(Stream_CopyTo(ms, NULL));
    EXPECT_EXC_MSG(ArgumentNullException, "Value cannot be null. (Parameter 'destination')");
    EXPECT_PARAM("destination");

    assert_int_equal(Stream_Read(ms, NULL, 0, 1), -1);
    EXPECT_EXC_MSG(ArgumentNullException, "Value cannot be null. (Parameter 'buffer')");
    EXPECT_PARAM("buffer");

    BinaryWriter *w = BinaryWriter_new(ms);
    assert_false(BinaryWriter_WriteString(w, NULL));
    EXPECT_EXC_MSG(ArgumentNullException, "Value cannot be null. (Parameter 'value')");
    EXPECT_PARAM("value");
    Dispose(w);
    Dispose(ms);
}

/* sharpipc's own: ArgumentOutOfRangeException messages and ParamName */
static void out_of_range_messages_and_param_names(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    assert_false(Stream_set_Position(ms, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("value");
    ASSERT_U64((uint32_t)Exception_get_HResult(Exception_get_Current()), 0x80131502u);
    const char *m = Exception_get_Message(Exception_get_Current());
    const char *suffix = " (Parameter 'value')";
    assert_true(strlen(m) > strlen(suffix));
    assert_string_equal(m + strlen(m) - strlen(suffix), suffix);

    assert_null(MemoryStream_newWithCapacity(-1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("capacity");

    assert_int_equal(Stream_Read(ms, (uint8_t[4]){0}, -1, 1), -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("offset");
    assert_int_equal(Stream_Read(ms, (uint8_t[4]){0}, 0, -1), -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("count");

    BinaryReader *r = BinaryReader_new(ms);
    int32_t n = 7;
    assert_null(BinaryReader_ReadBytes(r, -1, &n));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("count");
    Dispose(r);
    Dispose(ms);
}

/* sharpipc's own: other exceptions have no ParamName and no "(Parameter ...)" suffix */
static void non_argument_exceptions_have_no_param_and_no_suffix(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    Stream_Seek(ms, -1, SeekOrigin_Begin);
    EXPECT_EXC_MSG(IOException, "An attempt was made to move the position before the beginning of the stream.");
    EXPECT_PARAM(NULL);
    ASSERT_U64((uint32_t)Exception_get_HResult(Exception_get_Current()), 0x80131620u); /* COR_E_IO */
    char *s = Exception_ToString(Exception_get_Current());
    assert_string_equal(
        s, "System.IO.IOException: An attempt was made to move the position before the beginning of the stream.");
    String_Free(s);
    Dispose(ms);
}

/* sharpipc's own: the HResult of real failures */
static void hresults_of_real_failures(void **state)
{
    (void)state;
    /* COR_E_ENDOFSTREAM */
    MemoryStream *ms = MemoryStream_new();
    BinaryReader *r = BinaryReader_new(ms, NULL, true);
    BinaryReader_ReadByte(r);
    EXPECT_EXC_MSG(EndOfStreamException, "Unable to read beyond the end of the stream.");
    ASSERT_U64((uint32_t)Exception_get_HResult(Exception_get_Current()), 0x80070026u);
    Dispose(r);

    /* COR_E_NOTSUPPORTED: writing a read-only MemoryStream */
    uint8_t buf[4] = {0};
    MemoryStream *ro = MemoryStream_newFromBuffer(buf, 0, 4, false, false);
    assert_false(Stream_WriteByte(ro, 1));
    EXPECT_EXC_MSG(NotSupportedException, "Stream does not support writing.");
    ASSERT_U64((uint32_t)Exception_get_HResult(Exception_get_Current()), 0x80131515u);

    /* COR_E_UNAUTHORIZEDACCESS: GetBuffer of a non-visible buffer */
    assert_null(MemoryStream_GetBuffer(ro));
    EXPECT_EXC_MSG(UnauthorizedAccessException, "MemoryStream's internal buffer cannot be accessed.");
    ASSERT_U64((uint32_t)Exception_get_HResult(Exception_get_Current()), 0x80070005u);

    /* COR_E_INVALIDOPERATION: timeouts on a MemoryStream */
    Stream_get_ReadTimeout(ms);
    EXPECT_EXC_MSG(InvalidOperationException, "Timeouts are not supported on this stream.");
    ASSERT_U64((uint32_t)Exception_get_HResult(Exception_get_Current()), 0x80131509u);

    /* COR_E_FORMAT */
    MemoryStream *bad = SP_MS_LIT("\x80\x80\x80\x80\x80");
    BinaryReader *br = BinaryReader_new(bad);
    BinaryReader_Read7BitEncodedInt(br);
    EXPECT_EXC_MSG(FormatException, "Too many bytes in what should have been a 7-bit encoded integer.");
    ASSERT_U64((uint32_t)Exception_get_HResult(Exception_get_Current()), 0x80131537u);
    Dispose(br);
    Dispose(bad);

    /* COR_E_OBJECTDISPOSED */
    Dispose(ro);
    Object_Retain(ms);
    Dispose(ms);
    Stream_get_Length(ms);
    EXPECT_EXC_MSG(ObjectDisposedException, "Cannot access a closed Stream.");
    ASSERT_U64((uint32_t)Exception_get_HResult(Exception_get_Current()), 0x80131622u);
    Dispose(ms);

    /* COR_E_ARGUMENT: a wrong type */
    MemoryStream *ms2 = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms2);
    Stream_get_Length((Stream *)w);
    EXPECT_EXC(ArgumentException);
    ASSERT_U64((uint32_t)Exception_get_HResult(Exception_get_Current()), 0x80070057u);
    Dispose(w);
    Dispose(ms2);

    /* COR_E_OVERFLOW, FormatException from Decimal_Parse */
    Decimal_Parse("79228162514264337593543950336");
    EXPECT_EXC(OverflowException);
    ASSERT_U64((uint32_t)Exception_get_HResult(Exception_get_Current()), 0x80131516u);
    Exception_Clear();
}

/* sharpipc's own: FileNotFoundException's HResult */
static void file_not_found_hresult(void **state)
{
    (void)state;
    char name[128], full[1024];
    sp_temp_name(name, "missing");
    FileStream *fs = FileStream_new(name, FileMode_Open);
    assert_null(fs);
    char msg[1200];
    snprintf(msg, sizeof msg, "Could not find file '%s'.", sp_full_path(full, name));
    EXPECT_EXC_MSG(FileNotFoundException, msg);
    assert_true(Exception_Is(Exception_get_Current(), ExceptionType_IOException));
    ASSERT_U64((uint32_t)Exception_get_HResult(Exception_get_Current()), 0x80070002u);
    assert_true(Exception_get_NativeErrorCode(Exception_get_Current()) != 0);
    Exception_Clear();
}

/* ------------------------------------------------------------------ NULL objects */

#define NULLCHECK(expr)                                                                                                \
  do {                                                                                                                 \
    Exception_Clear();                                                                                                 \
    (void)(expr);                                                                                                      \
    sp_expect_exc_(ExceptionType_ArgumentNullException, NULL, #expr, __FILE__, __LINE__);                              \
  } while (0)

/* sharpipc's own: a NULL object is ArgumentNullException for every function */
static void null_object_is_argument_null_for_every_function(void **state)
{
    (void)state;
    uint8_t buf[16] = {0};
    char cbuf[16] = {0};
    uint16_t wbuf[4] = {'a', 'b', 0, 0};
    int32_t n = 0;
    uint8_t *ptr = NULL;
    Decimal d = Decimal_Zero;
    Half h = Half_FromBits(0);
    MemoryStream *ms = MemoryStream_new();

    /* Stream: the exported functions, bypassing the macros, and the macros with NULL. */
    NULLCHECK((Stream_Read)(NULL, buf, 0, 1));
    NULLCHECK((Stream_ReadSpan)(NULL, buf, 1));
    NULLCHECK((Stream_ReadExactly)(NULL, buf, 0, 1));
    NULLCHECK((Stream_Write)(NULL, buf, 0, 1));
    NULLCHECK((Stream_WriteSpan)(NULL, buf, 1));
    NULLCHECK((Stream_ReadByte)(NULL));
    NULLCHECK((Stream_WriteByte)(NULL, 1));
    NULLCHECK((Stream_Flush)(NULL));
    NULLCHECK((Stream_Seek)(NULL, 0, SeekOrigin_Begin));
    NULLCHECK((Stream_get_Length)(NULL));
    NULLCHECK((Stream_SetLength)(NULL, 0));
    NULLCHECK((Stream_get_Position)(NULL));
    NULLCHECK((Stream_set_Position)(NULL, 0));
    NULLCHECK((Stream_get_CanRead)(NULL));
    NULLCHECK((Stream_get_CanWrite)(NULL));
    NULLCHECK((Stream_get_CanSeek)(NULL));
    NULLCHECK((Stream_get_CanTimeout)(NULL));
    NULLCHECK((Stream_get_ReadTimeout)(NULL));
    NULLCHECK((Stream_set_ReadTimeout)(NULL, 100));
    NULLCHECK((Stream_get_WriteTimeout)(NULL));
    NULLCHECK((Stream_set_WriteTimeout)(NULL, 100));
    NULLCHECK((Stream_CopyTo)(NULL, (Stream *)ms));
    NULLCHECK((Stream_CopyTo)((Stream *)ms, NULL));
    NULLCHECK(Stream_CopyToWithBufferSize(NULL, (Stream *)ms, 10));
    NULLCHECK(Stream_CopyToWithBufferSize((Stream *)ms, NULL, 10));
    NULLCHECK((Stream_Close)(NULL));
    NULLCHECK((Stream_Dispose)(NULL));
    NULLCHECK(Stream_Read(NULL, buf, 0, 1));
    NULLCHECK(Stream_Read(NULL, buf, 1));
    NULLCHECK(Stream_Write(NULL, buf, 0, 1));
    NULLCHECK(Stream_get_Length(NULL));
    NULLCHECK(Stream_CopyTo(ms, NULL));
    NULLCHECK(Stream_CopyTo(NULL, ms));

    /* MemoryStream */
    NULLCHECK(MemoryStream_newFromBuffer(NULL, 0, 1, true, true));
    EXPECT_PARAM("buffer");
    NULLCHECK((MemoryStream_ToArray)(NULL, &n));
    NULLCHECK(MemoryStream_ToArray(NULL));
    NULLCHECK(MemoryStream_GetBuffer(NULL));
    NULLCHECK(MemoryStream_TryGetBuffer(NULL, &ptr, &n));
    NULLCHECK(MemoryStream_get_Capacity(NULL));
    NULLCHECK(MemoryStream_set_Capacity(NULL, 10));
    NULLCHECK((MemoryStream_WriteTo)(NULL, (Stream *)ms));
    NULLCHECK((MemoryStream_WriteTo)(ms, NULL));

    /* FileStream and File */
    NULLCHECK(FileStream_new_ex(NULL, FileMode_Open, FileAccess_Read, FileShare_Read, -1, FileOptions_None));
    EXPECT_PARAM("path");
    NULLCHECK((FileStream_new)(NULL, FileMode_Open));
    NULLCHECK(FileStream_get_Name(NULL));
    NULLCHECK(FileStream_Flush(NULL, true));
    NULLCHECK(FileStream_get_IsAsync(NULL));
    NULLCHECK(File_Delete(NULL));
    EXPECT_PARAM("path");

    /* BinaryWriter */
    NULLCHECK(BinaryWriter_new_ex(NULL, NULL, false));
    NULLCHECK((BinaryWriter_new)(NULL));
    NULLCHECK(BinaryWriter_WriteBoolean(NULL, true));
    NULLCHECK(BinaryWriter_WriteByte(NULL, 1));
    NULLCHECK(BinaryWriter_WriteSByte(NULL, 1));
    NULLCHECK(BinaryWriter_WriteInt16(NULL, 1));
    NULLCHECK(BinaryWriter_WriteUInt16(NULL, 1));
    NULLCHECK(BinaryWriter_WriteInt32(NULL, 1));
    NULLCHECK(BinaryWriter_WriteUInt32(NULL, 1));
    NULLCHECK(BinaryWriter_WriteInt64(NULL, 1));
    NULLCHECK(BinaryWriter_WriteUInt64(NULL, 1));
    NULLCHECK(BinaryWriter_WriteSingle(NULL, 1.0f));
    NULLCHECK(BinaryWriter_WriteDouble(NULL, 1.0));
    NULLCHECK(BinaryWriter_WriteDecimal(NULL, d));
    NULLCHECK(BinaryWriter_WriteHalf(NULL, h));
    NULLCHECK(BinaryWriter_WriteChar(NULL, 'a'));
    NULLCHECK(BinaryWriter_WriteString(NULL, "a"));
    NULLCHECK(BinaryWriter_WriteStringWithLength(NULL, "a", 1));
    NULLCHECK(BinaryWriter_WriteBytes(NULL, buf, 0, 1));
    NULLCHECK(BinaryWriter_WriteChars(NULL, wbuf, 0, 1));
    NULLCHECK(BinaryWriter_WriteUtf8Chars(NULL, "a", 0, 1));
    NULLCHECK(BinaryWriter_Write7BitEncodedInt(NULL, 1));
    NULLCHECK(BinaryWriter_Write7BitEncodedInt64(NULL, 1));
    NULLCHECK(BinaryWriter_Flush(NULL));
    NULLCHECK(BinaryWriter_Seek(NULL, 0, SeekOrigin_Begin));
    NULLCHECK(BinaryWriter_get_BaseStream(NULL));
    NULLCHECK(BinaryWriter_Close(NULL));
    NULLCHECK(BinaryWriter_Dispose(NULL));
    NULLCHECK(BinaryWriter_Write(NULL, (int32_t)1));
    NULLCHECK(BinaryWriter_Write(NULL, "s"));
    /* NULL arguments of a live writer */
    BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
    assert_non_null(w);
    NULLCHECK(BinaryWriter_WriteString(w, NULL));
    EXPECT_PARAM("value");
    NULLCHECK(BinaryWriter_WriteStringWithLength(w, NULL, 0));
    NULLCHECK(BinaryWriter_WriteBytes(w, NULL, 0, 0));
    EXPECT_PARAM("buffer");
    NULLCHECK(BinaryWriter_WriteChars(w, NULL, 0, 0));
    EXPECT_PARAM("chars");
    NULLCHECK(BinaryWriter_WriteUtf8Chars(w, NULL, 0, 0));
    EXPECT_PARAM("chars");
    ASSERT_I64(Stream_get_Length(ms), 0); /* nothing was written by the failures */
    Dispose(w);

    /* BinaryReader */
    NULLCHECK(BinaryReader_new_ex(NULL, NULL, false));
    NULLCHECK((BinaryReader_new)(NULL));
    NULLCHECK(BinaryReader_ReadBoolean(NULL));
    NULLCHECK(BinaryReader_ReadByte(NULL));
    NULLCHECK(BinaryReader_ReadSByte(NULL));
    NULLCHECK(BinaryReader_ReadInt16(NULL));
    NULLCHECK(BinaryReader_ReadUInt16(NULL));
    NULLCHECK(BinaryReader_ReadInt32(NULL));
    NULLCHECK(BinaryReader_ReadUInt32(NULL));
    NULLCHECK(BinaryReader_ReadInt64(NULL));
    NULLCHECK(BinaryReader_ReadUInt64(NULL));
    NULLCHECK(BinaryReader_ReadSingle(NULL));
    NULLCHECK(BinaryReader_ReadDouble(NULL));
    NULLCHECK(BinaryReader_ReadDecimal(NULL));
    NULLCHECK(BinaryReader_ReadHalf(NULL));
    NULLCHECK(BinaryReader_ReadChar(NULL));
    NULLCHECK((BinaryReader_Read)(NULL));
    NULLCHECK(BinaryReader_Read(NULL));
    NULLCHECK(BinaryReader_PeekChar(NULL));
    NULLCHECK(BinaryReader_ReadString(NULL));
    NULLCHECK(BinaryReader_ReadStringWithLength(NULL, &n));
    NULLCHECK(BinaryReader_ReadBytes(NULL, 1, &n));
    NULLCHECK(BinaryReader_ReadChars(NULL, 1, &n));
    NULLCHECK(BinaryReader_ReadIntoBytes(NULL, buf, 0, 1));
    NULLCHECK(BinaryReader_Read(NULL, buf, 0, 1));
    NULLCHECK(BinaryReader_Read7BitEncodedInt(NULL));
    NULLCHECK(BinaryReader_Read7BitEncodedInt64(NULL));
    NULLCHECK(BinaryReader_get_BaseStream(NULL));
    NULLCHECK(BinaryReader_Close(NULL));
    NULLCHECK(BinaryReader_Dispose(NULL));
    BinaryReader *r = BinaryReader_new(ms, NULL, true);
    assert_non_null(r);
    NULLCHECK(BinaryReader_ReadIntoBytes(r, NULL, 0, 1));
    EXPECT_PARAM("buffer");
    Dispose(r);

    /* StreamWriter */
    NULLCHECK(StreamWriter_new_ex(NULL, NULL, -1, false));
    NULLCHECK((StreamWriter_new)(NULL));
    NULLCHECK(StreamWriter_newFromPath(NULL, false, NULL, -1));
    EXPECT_PARAM("path");
    NULLCHECK(StreamWriter_WriteString(NULL, "a"));
    NULLCHECK(StreamWriter_WriteChars(NULL, "abc", 0, 1));
    NULLCHECK(StreamWriter_WriteChar(NULL, 'a'));
    NULLCHECK(StreamWriter_WriteBoolean(NULL, true));
    NULLCHECK(StreamWriter_WriteInt32(NULL, 1));
    NULLCHECK(StreamWriter_WriteUInt32(NULL, 1));
    NULLCHECK(StreamWriter_WriteInt64(NULL, 1));
    NULLCHECK(StreamWriter_WriteUInt64(NULL, 1));
    NULLCHECK(StreamWriter_WriteDecimal(NULL, d));
    NULLCHECK((StreamWriter_WriteLine)(NULL));
    NULLCHECK(StreamWriter_WriteLineString(NULL, "a"));
    NULLCHECK(StreamWriter_Flush(NULL));
    NULLCHECK(StreamWriter_get_AutoFlush(NULL));
    NULLCHECK(StreamWriter_set_AutoFlush(NULL, true));
    NULLCHECK(StreamWriter_get_NewLine(NULL));
    NULLCHECK(StreamWriter_set_NewLine(NULL, "\n"));
    NULLCHECK(StreamWriter_get_Encoding(NULL));
    NULLCHECK(StreamWriter_get_BaseStream(NULL));
    NULLCHECK(StreamWriter_Close(NULL));
    NULLCHECK(StreamWriter_Dispose(NULL));
    NULLCHECK(StreamWriter_Write(NULL, "a"));
    NULLCHECK(StreamWriter_WriteLine(NULL));
    NULLCHECK(StreamWriter_WriteLine(NULL, "a"));
    StreamWriter *sw = StreamWriter_new(ms, NULL, -1, true);
    assert_non_null(sw);
    NULLCHECK(StreamWriter_WriteChars(sw, NULL, 0, 1));
    EXPECT_PARAM("buffer");
    /* Write((string)null) writes nothing and succeeds, as .NET. */
    Exception_Clear();
    assert_true(StreamWriter_WriteString(sw, NULL));
    EXPECT_NO_EXC();
    Dispose(sw);

    /* StreamReader */
    NULLCHECK(StreamReader_new_ex(NULL, NULL, true, -1, false));
    NULLCHECK((StreamReader_new)(NULL));
    NULLCHECK(StreamReader_newFromPath(NULL, NULL, true));
    EXPECT_PARAM("path");
    NULLCHECK(StreamReader_ReadLine(NULL));
    NULLCHECK(StreamReader_ReadLineWithLength(NULL, &n));
    NULLCHECK(StreamReader_ReadToEnd(NULL));
    NULLCHECK(StreamReader_ReadToEndWithLength(NULL, &n));
    NULLCHECK((StreamReader_Read)(NULL));
    NULLCHECK(StreamReader_Read(NULL));
    NULLCHECK(StreamReader_Peek(NULL));
    NULLCHECK(StreamReader_ReadChars(NULL, cbuf, 0, 1));
    NULLCHECK(StreamReader_Read(NULL, cbuf, 0, 1));
    NULLCHECK(StreamReader_get_EndOfStream(NULL));
    NULLCHECK(StreamReader_get_CurrentEncoding(NULL));
    NULLCHECK(StreamReader_get_BaseStream(NULL));
    NULLCHECK(StreamReader_DiscardBufferedData(NULL));
    NULLCHECK(StreamReader_Close(NULL));
    NULLCHECK(StreamReader_Dispose(NULL));
    StreamReader *sr = StreamReader_new(ms, NULL, true, -1, true);
    assert_non_null(sr);
    NULLCHECK(StreamReader_ReadChars(sr, NULL, 0, 1));
    EXPECT_PARAM("buffer");
    Dispose(sr);

    /* System.Text */
    NULLCHECK(Encoding_get_WebName(NULL));
    NULLCHECK(Encoding_get_CodePage(NULL));
    NULLCHECK(Encoding_GetPreamble(NULL, buf));
    NULLCHECK(Encoding_GetByteCount(NULL, "a", 1));
    NULLCHECK(Encoding_GetByteCount(Encoding_UTF8, NULL, 1));

    /* System */
    NULLCHECK((Object_Retain)(NULL));
    NULLCHECK((Object_GetTypeName)(NULL));
    NULLCHECK(Decimal_Parse(NULL));
    EXPECT_PARAM("s");

    Dispose(ms);
    Exception_Clear();
}

/* sharpipc's own: the functions that accept NULL */
static void null_friendly_functions(void **state)
{
    (void)state;
    /* Dispose(NULL) is `using (null)`: fine, and a successful call. */
    BinaryWriter_new(NULL);
    assert_true(Dispose(NULL));
    EXPECT_NO_EXC();
    assert_true((Dispose)(NULL));
    EXPECT_NO_EXC();
    /* File.Exists(null) is false, not an exception. */
    BinaryWriter_new(NULL);
    assert_false(File_Exists(NULL));
    EXPECT_NO_EXC();
    assert_false(File_Exists(""));
    EXPECT_NO_EXC();
    /* TryParse(null) is false. */
    Decimal d;
    assert_false(Decimal_TryParse(NULL, &d));
    EXPECT_NO_EXC();
    /* Freeing NULL is harmless. */
    String_Free(NULL);
    Array_Free(NULL);
}

/* ------------------------------------------------------------------ wrong types */

#define WRONGTYPE(expr)                                                                                                \
  do {                                                                                                                 \
    Exception_Clear();                                                                                                 \
    (void)(expr);                                                                                                      \
    sp_expect_exc_(ExceptionType_ArgumentException, NULL, #expr, __FILE__, __LINE__);                                  \
  } while (0)

/* sharpipc's own: an object of the wrong type is ArgumentException */
static void wrong_type_is_argument_exception(void **state)
{
    (void)state;
    uint8_t buf[16] = {0};
    char cbuf[16] = {0};
    int32_t n = 0;
    uint8_t *ptr = NULL;
    MemoryStream *ms = MemoryStream_new();
    assert_true(Stream_Write(ms, "hello", 0, 5));
    Stream_set_Position(ms, 0);
    BinaryWriter *bw = BinaryWriter_new(ms, NULL, true);
    BinaryReader *br = BinaryReader_new(ms, NULL, true);
    StreamWriter *sw = StreamWriter_new(ms, NULL, -1, true);
    StreamReader *sr = StreamReader_new(ms, NULL, true, -1, true);
    assert_non_null(bw);
    assert_non_null(br);
    assert_non_null(sw);
    assert_non_null(sr);
    Stream *not_a_stream = (Stream *)bw;

    /* A BinaryWriter where a Stream is expected. */
    WRONGTYPE((Stream_Read)(not_a_stream, buf, 0, 1));
    WRONGTYPE((Stream_ReadSpan)(not_a_stream, buf, 1));
    WRONGTYPE((Stream_ReadExactly)(not_a_stream, buf, 0, 1));
    WRONGTYPE((Stream_Write)(not_a_stream, buf, 0, 1));
    WRONGTYPE((Stream_WriteSpan)(not_a_stream, buf, 1));
    WRONGTYPE((Stream_ReadByte)(not_a_stream));
    WRONGTYPE((Stream_WriteByte)(not_a_stream, 1));
    WRONGTYPE((Stream_Flush)(not_a_stream));
    WRONGTYPE((Stream_Seek)(not_a_stream, 0, SeekOrigin_Begin));
    WRONGTYPE((Stream_get_Length)(not_a_stream));
    WRONGTYPE((Stream_SetLength)(not_a_stream, 0));
    WRONGTYPE((Stream_get_Position)(not_a_stream));
    WRONGTYPE((Stream_set_Position)(not_a_stream, 0));
    WRONGTYPE((Stream_get_CanRead)(not_a_stream));
    WRONGTYPE((Stream_get_CanWrite)(not_a_stream));
    WRONGTYPE((Stream_get_CanSeek)(not_a_stream));
    WRONGTYPE((Stream_get_CanTimeout)(not_a_stream));
    WRONGTYPE((Stream_get_ReadTimeout)(not_a_stream));
    WRONGTYPE((Stream_set_ReadTimeout)(not_a_stream, 10));
    WRONGTYPE((Stream_get_WriteTimeout)(not_a_stream));
    WRONGTYPE((Stream_set_WriteTimeout)(not_a_stream, 10));
    WRONGTYPE((Stream_CopyTo)(not_a_stream, (Stream *)ms));
    WRONGTYPE((Stream_CopyTo)((Stream *)ms, not_a_stream));
    WRONGTYPE((Stream_Close)(not_a_stream));
    WRONGTYPE((Stream_Dispose)(not_a_stream));
    WRONGTYPE(BinaryWriter_new_ex(not_a_stream, NULL, false));
    WRONGTYPE(BinaryReader_new_ex((Stream *)br, NULL, false));
    WRONGTYPE(StreamWriter_new_ex((Stream *)sw, NULL, -1, false));
    WRONGTYPE(StreamReader_new_ex((Stream *)sr, NULL, true, -1, false));

    /* A MemoryStream where a BinaryWriter / BinaryReader / StreamWriter / StreamReader is expected. */
    BinaryWriter *not_bw = (BinaryWriter *)ms;
    WRONGTYPE(BinaryWriter_WriteInt32(not_bw, 1));
    WRONGTYPE(BinaryWriter_WriteString(not_bw, "x"));
    WRONGTYPE(BinaryWriter_WriteChar(not_bw, 'x'));
    WRONGTYPE(BinaryWriter_Write7BitEncodedInt(not_bw, 1));
    WRONGTYPE(BinaryWriter_Flush(not_bw));
    WRONGTYPE(BinaryWriter_get_BaseStream(not_bw));
    WRONGTYPE(BinaryWriter_Close(not_bw));
    WRONGTYPE(BinaryWriter_Dispose(not_bw));
    WRONGTYPE(BinaryWriter_WriteInt32((BinaryWriter *)br, 1));
    BinaryReader *not_br = (BinaryReader *)ms;
    WRONGTYPE(BinaryReader_ReadInt32(not_br));
    WRONGTYPE(BinaryReader_ReadString(not_br));
    WRONGTYPE(BinaryReader_ReadBytes(not_br, 1, &n));
    WRONGTYPE(BinaryReader_ReadChars(not_br, 1, &n));
    WRONGTYPE(BinaryReader_ReadChar(not_br));
    WRONGTYPE(BinaryReader_PeekChar(not_br));
    WRONGTYPE(BinaryReader_Read7BitEncodedInt(not_br));
    WRONGTYPE(BinaryReader_get_BaseStream(not_br));
    WRONGTYPE(BinaryReader_Close(not_br));
    WRONGTYPE(BinaryReader_ReadInt32((BinaryReader *)bw));
    StreamWriter *not_sw = (StreamWriter *)sr;
    WRONGTYPE(StreamWriter_WriteString(not_sw, "x"));
    WRONGTYPE(StreamWriter_WriteLine(not_sw));
    WRONGTYPE(StreamWriter_Flush(not_sw));
    WRONGTYPE(StreamWriter_set_AutoFlush(not_sw, true));
    WRONGTYPE(StreamWriter_set_NewLine(not_sw, "x"));
    WRONGTYPE(StreamWriter_get_Encoding(not_sw));
    WRONGTYPE(StreamWriter_Close(not_sw));
    StreamReader *not_sr = (StreamReader *)sw;
    WRONGTYPE(StreamReader_ReadLine(not_sr));
    WRONGTYPE(StreamReader_ReadToEnd(not_sr));
    WRONGTYPE(StreamReader_Read(not_sr));
    WRONGTYPE(StreamReader_Peek(not_sr));
    WRONGTYPE(StreamReader_ReadChars(not_sr, cbuf, 0, 1));
    WRONGTYPE(StreamReader_get_EndOfStream(not_sr));
    WRONGTYPE(StreamReader_get_CurrentEncoding(not_sr));
    WRONGTYPE(StreamReader_Close(not_sr));

    /* MemoryStream-only and FileStream-only functions given the other kind of object. */
    MemoryStream *not_ms = (MemoryStream *)bw;
    WRONGTYPE(MemoryStream_ToArray(not_ms, &n));
    WRONGTYPE(MemoryStream_GetBuffer(not_ms));
    WRONGTYPE(MemoryStream_TryGetBuffer(not_ms, &ptr, &n));
    WRONGTYPE(MemoryStream_get_Capacity(not_ms));
    WRONGTYPE(MemoryStream_set_Capacity(not_ms, 10));
    WRONGTYPE((MemoryStream_WriteTo)(not_ms, (Stream *)ms));
    WRONGTYPE((MemoryStream_WriteTo)(ms, not_a_stream));
    FileStream *not_fs = (FileStream *)ms;
    WRONGTYPE(FileStream_get_Name(not_fs));
    WRONGTYPE(FileStream_Flush(not_fs, false));
    WRONGTYPE(FileStream_get_IsAsync(not_fs));

    /* An object where an Encoding is expected, and an Encoding where an object of another type is. */
    const Encoding *not_enc = (const Encoding *)ms;
    WRONGTYPE(Encoding_get_WebName(not_enc));
    WRONGTYPE(Encoding_get_CodePage(not_enc));
    WRONGTYPE(Encoding_GetPreamble(not_enc, buf));
    WRONGTYPE(BinaryWriter_new_ex((Stream *)ms, not_enc, true));
    WRONGTYPE(BinaryReader_new_ex((Stream *)ms, not_enc, true));
    WRONGTYPE(StreamWriter_new_ex((Stream *)ms, not_enc, -1, true));
    WRONGTYPE(StreamReader_new_ex((Stream *)ms, not_enc, true, -1, true));
    WRONGTYPE((Stream_Read)((Stream *)Encoding_UTF8, buf, 0, 1));

    /* Memory that is no sharpipc object at all (zeroed, so no magic). */
    union {
        uint64_t align;
        uint8_t bytes[256];
    } fake;
    memset(&fake, 0, sizeof fake);
    WRONGTYPE((Stream_ReadByte)((Stream *)&fake));
    WRONGTYPE((Object_GetTypeName)((Object *)&fake));
    WRONGTYPE((Object_Retain)((Object *)&fake));
    WRONGTYPE((Dispose)((Object *)&fake));

    /* Nothing was damaged: every object still works. */
    assert_string_equal(Object_GetTypeName(ms), "System.IO.MemoryStream");
    assert_string_equal(Object_GetTypeName(bw), "System.IO.BinaryWriter");
    assert_string_equal(Object_GetTypeName(br), "System.IO.BinaryReader");
    assert_string_equal(Object_GetTypeName(sw), "System.IO.StreamWriter");
    assert_string_equal(Object_GetTypeName(sr), "System.IO.StreamReader");
    ASSERT_I64(Stream_get_Length(ms), 5);
    assert_true(Stream_get_CanWrite(ms));
    Dispose(sr);
    Dispose(sw);
    Dispose(br);
    Dispose(bw);
    Dispose(ms);
    Exception_Clear();
}

/* ------------------------------------------------------------------ Dispose and references */

/* sharpipc's own: Dispose twice through a retained reference */
static void dispose_twice_via_retained_reference(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    assert_ptr_equal(Object_Retain(ms), (Object *)ms);
    EXPECT_NO_EXC();
    assert_true(Dispose(ms)); /* closes, drops one reference */
    EXPECT_NO_EXC();
    assert_true(Dispose(ms)); /* harmless: the close runs once; drops the last reference */
    EXPECT_NO_EXC();

    /* Three owners, and Close in the middle. */
    MemoryStream *m2 = MemoryStream_new();
    Object_Retain(m2);
    Object_Retain(m2);
    assert_true(Stream_Close(m2));
    assert_true(Stream_Close(m2)); /* the .NET close is idempotent */
    assert_true(Dispose(m2));
    assert_true(Stream_Dispose(m2));
    assert_true(Dispose(m2));

    /* Every adapter type too. */
    MemoryStream *m3 = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(m3, NULL, true);
    Object_Retain(w);
    assert_true(BinaryWriter_Close(w));
    assert_true(Dispose(w));
    assert_true(BinaryWriter_Dispose(w));
    BinaryReader *r = BinaryReader_new(m3, NULL, true);
    Object_Retain(r);
    assert_true(Dispose(r));
    assert_true(BinaryReader_Close(r));
    assert_true(Dispose(r));
    StreamWriter *sw = StreamWriter_new(m3, NULL, -1, true);
    Object_Retain(sw);
    assert_true(Dispose(sw));
    assert_true(StreamWriter_Close(sw));
    assert_true(StreamWriter_Dispose(sw));
    StreamReader *sr = StreamReader_new(m3, NULL, true, -1, true);
    Object_Retain(sr);
    assert_true(StreamReader_Dispose(sr));
    assert_true(Dispose(sr));
    assert_true(Stream_get_CanWrite(m3)); /* leaveOpen everywhere */
    assert_true(Dispose(m3));
}

/* "Encodings are shared singletons: Dispose on one is harmless and they are never freed." */
/* sharpipc's own: disposing an Encoding singleton is harmless */
static void dispose_encoding_is_harmless(void **state)
{
    (void)state;
    const Encoding *all[] = {Encoding_UTF8,  Encoding_Unicode, Encoding_BigEndianUnicode,    Encoding_UTF32,
                             Encoding_ASCII, Encoding_Latin1,  UTF8Encoding_new(false, true)};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        assert_ptr_equal(Object_Retain((Object *)all[i]), (Object *)all[i]);
        assert_true(Dispose((Object *)all[i]));
        assert_true(Dispose((Object *)all[i]));
        EXPECT_NO_EXC();
        assert_non_null(Encoding_get_WebName(all[i]));
    }
    assert_string_equal(Encoding_get_WebName(Encoding_UTF8), "utf-8");
    /* Still usable by adapters afterwards. */
    MemoryStream *ms = MemoryStream_new();
    StreamWriter *sw = StreamWriter_new(ms, Encoding_UTF8);
    assert_non_null(sw);
    assert_true(StreamWriter_Write(sw, "a"));
    assert_true(Dispose(sw));
    ASSERT_MS_LIT(ms, "\xEF\xBB\xBF"
                      "a");
    Dispose(ms);
}

/* sharpipc's own: use after Dispose is ObjectDisposedException */
static void use_after_dispose_is_object_disposed(void **state)
{
    (void)state;
    uint8_t buf[8];
    int32_t n;
    MemoryStream *ms = MemoryStream_new();
    Stream_Write(ms, "abc", 0, 3);
    Object_Retain(ms);
    assert_true(Dispose(ms));

    static const char closed[] = "Cannot access a closed Stream.";
    assert_int_equal(Stream_ReadByte(ms), -1);
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    assert_int_equal(Stream_Read(ms, buf, 0, 1), -1);
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    assert_false(Stream_Write(ms, buf, 0, 1));
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    assert_false(Stream_WriteByte(ms, 1));
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    ASSERT_I64(Stream_get_Length(ms), -1);
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    ASSERT_I64(Stream_get_Position(ms), -1);
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    assert_false(Stream_set_Position(ms, 0));
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    ASSERT_I64(Stream_Seek(ms, 0, SeekOrigin_Begin), -1);
    EXPECT_EXC_MSG(ObjectDisposedException, closed);
    assert_int_equal(MemoryStream_get_Capacity(ms), -1);
    EXPECT_EXC(ObjectDisposedException);
    /* Capabilities are plain false, no exception. */
    assert_false(Stream_get_CanRead(ms));
    EXPECT_NO_EXC();
    assert_false(Stream_get_CanWrite(ms));
    assert_false(Stream_get_CanSeek(ms));
    assert_false(Stream_get_CanTimeout(ms));
    EXPECT_NO_EXC();
    /* The data survives for ToArray, as .NET. */
    uint8_t *a = MemoryStream_ToArray(ms, &n);
    ASSERT_BYTES(a, n, "abc", 3);
    Array_Free(a);
    /* An adapter cannot be made over the closed stream. */
    assert_null(BinaryReader_new(ms));
    EXPECT_EXC(ArgumentException);
    assert_null(StreamWriter_new(ms));
    EXPECT_EXC(ArgumentException);
    assert_true(Dispose(ms));

    /* Adapters: Close keeps the reference. */
    MemoryStream *m2 = SP_MS_LIT("0123456789");
    BinaryReader *r = BinaryReader_new(m2, NULL, true);
    assert_true(BinaryReader_Close(r));
    BinaryReader_ReadByte(r);
    EXPECT_EXC_MSG(ObjectDisposedException, "Cannot access a closed file.");
    assert_true(Dispose(r));

    StreamReader *sr = StreamReader_new(m2, NULL, true, -1, true);
    Object_Retain(sr);
    assert_true(Dispose(sr));
    assert_null(StreamReader_ReadLine(sr));
    EXPECT_EXC_MSG(ObjectDisposedException, "Cannot read from a closed TextReader.");
    assert_true(Dispose(sr));

    StreamWriter *sw = StreamWriter_new(m2, NULL, -1, true);
    assert_true(StreamWriter_Close(sw));
    assert_false(StreamWriter_WriteString(sw, "x"));
    EXPECT_EXC_MSG(ObjectDisposedException, "Cannot write to a closed TextWriter.");
    assert_true(Dispose(sw));

    BinaryWriter *w = BinaryWriter_new(m2); /* not leaveOpen: closes m2 */
    Object_Retain(w);
    assert_true(Dispose(w));
    assert_false(BinaryWriter_WriteInt32(w, 1));
    EXPECT_EXC(ObjectDisposedException);
    assert_true(Dispose(w));
    assert_false(Stream_get_CanRead(m2));
    assert_true(Dispose(m2));
}

/* sharpipc's own: the reference rules, disposing the writer and then the stream */
static void reference_rules_writer_then_stream(void **state)
{
    (void)state;
    /* Dispose(writer); Dispose(stream); -- the writer closes the stream (no leaveOpen). */
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    assert_true(BinaryWriter_Write(w, (int32_t)7));
    assert_true(Dispose(w));
    assert_false(Stream_get_CanWrite(ms)); /* closed, but our reference is alive */
    EXPECT_NO_EXC();
    ASSERT_MS(ms, "\x07\0\0\0", 4);
    assert_int_equal(Stream_ReadByte(ms), -1);
    EXPECT_EXC(ObjectDisposedException);
    assert_true(Dispose(ms)); /* harmless close, frees */

    /* The same with every adapter. */
    ms = MemoryStream_new();
    StreamWriter *sw = StreamWriter_new(ms);
    assert_true(StreamWriter_Write(sw, "hi"));
    assert_true(Dispose(sw)); /* flushes, then closes */
    ASSERT_MS_LIT(ms, "hi");
    assert_false(Stream_get_CanRead(ms));
    assert_true(Dispose(ms));

    ms = SP_MS_LIT("line\n");
    StreamReader *sr = StreamReader_new(ms);
    char *line = StreamReader_ReadLine(sr);
    assert_string_equal(line, "line");
    String_Free(line);
    assert_true(Dispose(sr));
    assert_false(Stream_get_CanRead(ms));
    assert_true(Dispose(ms));

    ms = SP_MS_LIT("\x01");
    BinaryReader *br = BinaryReader_new(ms);
    assert_true(BinaryReader_ReadBoolean(br));
    assert_true(Dispose(br));
    assert_false(Stream_get_CanRead(ms));
    assert_true(Dispose(ms));
}

/* sharpipc's own: the reference rules, disposing the stream and then the writer */
static void reference_rules_stream_then_writer(void **state)
{
    (void)state;
    /* Dispose(stream); Dispose(writer); -- the writer still holds the memory; it reports
     * ObjectDisposedException and never touches freed memory (ASan/valgrind check that). */
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    assert_true(BinaryWriter_Write(w, (int32_t)7));
    assert_true(Dispose(ms));
    assert_false(BinaryWriter_Write(w, (int32_t)8));
    EXPECT_EXC(ObjectDisposedException);
    Stream *base = BinaryWriter_get_BaseStream(w);
    assert_ptr_equal(base, (Stream *)ms); /* still the same live object */
    assert_false(Stream_get_CanWrite(base));
    assert_true(Dispose(w)); /* last reference: frees the stream too */
    EXPECT_NO_EXC();

    ms = MemoryStream_new();
    BinaryReader *r = BinaryReader_new(ms);
    assert_true(Dispose(ms));
    BinaryReader_ReadInt32(r);
    EXPECT_EXC(ObjectDisposedException);
    assert_true(Dispose(r));

    ms = MemoryStream_new();
    StreamWriter *sw = StreamWriter_new(ms);
    assert_true(StreamWriter_Write(sw, "x"));
    assert_true(StreamWriter_Flush(sw));
    assert_true(Dispose(ms));
    /* .NET's writer buffers "y" (ThrowIfDisposed asks about the writer only); its Dispose's flush
     * then meets the closed stream: ObjectDisposedException, and the writer is gone all the same */
    assert_true(StreamWriter_Write(sw, "y"));
    EXPECT_NO_EXC();
    assert_false(Dispose(sw));
    EXPECT_EXC(ObjectDisposedException);

    ms = SP_MS_LIT("abc\n");
    StreamReader *sr = StreamReader_new(ms);
    assert_true(Dispose(ms));
    assert_null(StreamReader_ReadLine(sr));
    EXPECT_EXC(ObjectDisposedException);
    assert_true(Dispose(sr));
}

/* sharpipc's own: the reference rules with leaveOpen */
static void reference_rules_leave_open(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();

    BinaryWriter *w = BinaryWriter_new(ms, NULL, true);
    assert_true(BinaryWriter_Write(w, (int16_t)0x0102));
    assert_true(Dispose(w));
    assert_true(Stream_get_CanWrite(ms));
    assert_true(Stream_WriteByte(ms, 3));

    StreamWriter *sw = StreamWriter_new(ms, NULL, -1, true);
    assert_true(StreamWriter_Write(sw, "z"));
    assert_true(Dispose(sw)); /* flushes; the stream stays open */
    assert_true(Stream_get_CanWrite(ms));
    ASSERT_MS_LIT(ms, "\x02\x01\x03z");

    Stream_set_Position(ms, 0);
    BinaryReader *r = BinaryReader_new(ms, NULL, true);
    ASSERT_I64(BinaryReader_ReadInt16(r), 0x0102);
    assert_true(Dispose(r));
    assert_true(Stream_get_CanRead(ms));
    ASSERT_I64(Stream_get_Position(ms), 2);

    StreamReader *sr = StreamReader_new(ms, NULL, true, -1, true);
    char *rest = StreamReader_ReadToEnd(sr);
    assert_string_equal(rest, "\x03z");
    String_Free(rest);
    assert_true(Dispose(sr));
    assert_true(Stream_get_CanRead(ms));

    /* Two adapters over one stream, one of them closing it. */
    BinaryWriter *w1 = BinaryWriter_new(ms, NULL, true);
    BinaryWriter *w2 = BinaryWriter_new(ms);
    assert_true(Dispose(w2)); /* closes ms */
    assert_false(BinaryWriter_Write(w1, (uint8_t)1));
    EXPECT_EXC(ObjectDisposedException);
    assert_true(Dispose(w1));
    assert_true(Dispose(ms));
}

/* sharpipc's own: an adapter closed before its owner is disposed */
static void adapter_close_before_owner_dispose(void **state)
{
    (void)state;
    /* "an adapter closing its stream before the owner disposes it is harmless" */
    MemoryStream *ms = MemoryStream_new();
    StreamWriter *sw = StreamWriter_new(ms);
    BinaryReader *br = BinaryReader_new(ms);
    assert_true(StreamWriter_Close(sw)); /* closes ms */
    assert_true(BinaryReader_Close(br)); /* ms already closed: harmless */
    EXPECT_NO_EXC();
    assert_true(Stream_Close(ms));
    assert_true(Dispose(br));
    assert_true(Dispose(ms));
    assert_true(Dispose(sw));
    EXPECT_NO_EXC();
}

/* Dispose returns false when the close itself failed (the flush of a StreamWriter that no longer
 * fits its stream), and still releases the reference (ASan/valgrind check no leak). */
/* sharpipc's own: Dispose reports a close that failed */
static void dispose_reports_a_failed_close(void **state)
{
    (void)state;
    uint8_t buf[4];
    MemoryStream *ms = MemoryStream_newFromBuffer(buf, 0, 4, true, false);
    StreamWriter *w = StreamWriter_new(ms, NULL, -1, true);
    assert_true(StreamWriter_Write(w, "too long"));
    assert_false(Dispose(w));
    EXPECT_EXC_MSG(NotSupportedException, "Memory stream is not expandable.");
    assert_true(Stream_get_CanWrite(ms)); /* leaveOpen */
    assert_true(Dispose(ms));

    /* Flush fails the same way; the text is gone afterwards (as .NET: the chars were consumed),
     * so the Dispose that follows is clean. */
    ms = MemoryStream_newFromBuffer(buf, 0, 4, true, false);
    w = StreamWriter_new(ms);
    assert_true(StreamWriter_Write(w, "12345"));
    assert_false(StreamWriter_Flush(w));
    EXPECT_EXC(NotSupportedException);
    assert_true(Dispose(w));
    EXPECT_NO_EXC();
    assert_false(Stream_get_CanWrite(ms));
    assert_true(Dispose(ms));
}

/* sharpipc's own: the type names of the objects */
static void type_names(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    assert_string_equal(Object_GetTypeName(ms), "System.IO.MemoryStream");
    assert_non_null(Object_GetTypeName((Object *)Encoding_UTF8));
    BinaryWriter *w = BinaryWriter_new(ms);
    assert_string_equal(Object_GetTypeName(w), "System.IO.BinaryWriter");
    Dispose(w);
    /* The type name is available after Dispose while a reference is held. */
    Object_Retain(ms);
    Dispose(ms);
    assert_string_equal(Object_GetTypeName(ms), "System.IO.MemoryStream");
    Dispose(ms);
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.Runtime.Tests/System/ArgumentOutOfRangeExceptionTests.cs:
 * Ctor_String_Object_String (ActualValue), through the ThrowIf* helpers that set it, and its
 * absence where .NET gives none. */
/* sharpipc's own: a message longer than the exception's fixed buffer is cut where a character
 * ends, never inside one, so that it stays valid UTF-8 (a JSON-RPC error's message, a peer's
 * decoder); text that fits is kept as it is */
static void long_message_is_cut_at_a_character(void **state)
{
    (void)state;
    static const char *const chars[] = {"\xc3\xa9", "\xea\xb0\x80", "\xf0\x9f\x98\x80"};
    for (size_t c = 0; c < sizeof chars / sizeof chars[0]; c++) {
        size_t w = strlen(chars[c]);
        for (size_t p = 0; p < w; p++) { /* p ASCII bytes first: the cut falls at each byte of a character */
            char text[3000];
            size_t n = 0;
            for (; n < p; n++)
                text[n] = 'x';
            for (; n + w < sizeof text; n += w)
                memcpy(text + n, chars[c], w);
            text[n] = 0;
            assert_false(Exception_Throw(ExceptionType_IOException, text));
            const char *m = Exception_get_Message(Exception_get_Current());
            size_t len = strlen(m);
            if (len < 1020 || len > 1023 || (len - p) % w != 0 || memcmp(m, text, len) != 0)
                fail_msg("width %zu, %zu ASCII first: a message of %zu bytes", w, p, len);
        }
    }
    assert_false(Exception_Throw(ExceptionType_IOException, "caf\xc3\xa9"));
    assert_string_equal(Exception_get_Message(Exception_get_Current()), "caf\xc3\xa9");
}

static void ArgumentOutOfRangeExceptionTests_ActualValue(void **state)
{
    (void)state;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 4096);
    assert_non_null(m);
    struct {
        int64_t offset, size;
        const char *actual; /* NULL: none */
    } rows[] = {{-1, 0, "-1"}, {-9223372036854775807LL - 1, 0, "-9223372036854775808"}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_null(
            MemoryMappedFile_CreateViewAccessor_ex(m, rows[i].offset, rows[i].size, MemoryMappedFileAccess_ReadWrite));
        const Exception *e = Exception_get_Current();
        if (!Exception_Is(e, ExceptionType_ArgumentOutOfRangeException))
            continue; /* this platform reports that row otherwise */
        const char *v = ArgumentOutOfRangeException_get_ActualValue(e);
        assert_non_null(v);
        assert_string_equal(v, rows[i].actual);
    }
    Dispose(m);
    /* an ArgumentOutOfRangeException without a value, and other exceptions, have none */
    assert_null(MemoryStream_new(-1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    assert_null(ArgumentOutOfRangeException_get_ActualValue(Exception_get_Current()));
    assert_null(BinaryWriter_new(NULL));
    EXPECT_EXC(ArgumentNullException);
    assert_null(ArgumentOutOfRangeException_get_ActualValue(Exception_get_Current()));
    assert_null(ArgumentOutOfRangeException_get_ActualValue(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(current_is_null_at_start_and_after_success),
        cmocka_unit_test(current_is_per_thread_storage_stays_valid_until_next_call),
        cmocka_unit_test(is_follows_dotnet_hierarchy_for_every_type),
        cmocka_unit_test(is_examples_from_the_contract),
        cmocka_unit_test(default_messages_are_dotnets),
        cmocka_unit_test(argument_null_messages_and_param_names),
        cmocka_unit_test(out_of_range_messages_and_param_names),
        cmocka_unit_test(non_argument_exceptions_have_no_param_and_no_suffix),
        cmocka_unit_test(hresults_of_real_failures),
        cmocka_unit_test(file_not_found_hresult),
        cmocka_unit_test(null_object_is_argument_null_for_every_function),
        cmocka_unit_test(null_friendly_functions),
        cmocka_unit_test(wrong_type_is_argument_exception),
        cmocka_unit_test(dispose_twice_via_retained_reference),
        cmocka_unit_test(use_after_dispose_is_object_disposed),
        cmocka_unit_test(reference_rules_writer_then_stream),
        cmocka_unit_test(reference_rules_stream_then_writer),
        cmocka_unit_test(reference_rules_leave_open),
        cmocka_unit_test(adapter_close_before_owner_dispose),
        cmocka_unit_test(dispose_reports_a_failed_close),
        cmocka_unit_test(type_names),
        /* Last: it crashes the process under ASan when the library is wrong. */
        cmocka_unit_test(dispose_encoding_is_harmless),
        cmocka_unit_test(ArgumentOutOfRangeExceptionTests_ActualValue),
        cmocka_unit_test(long_message_is_cut_at_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, sp_remove_temp_files);
}
