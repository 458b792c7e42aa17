/*
 * SafeHandle (System.Runtime.InteropServices) through FileStream.SafeFileHandle: ported from
 * dotnet/runtime src/libraries/System.IO.FileSystem/tests/FileStream/SafeFileHandle.cs
 * (FileStream_SafeFileHandle), with sharpipc's own checks of what .NET does around it (a
 * FileStream whose handle was closed is a closed stream; the handle object is borrowed, the same
 * each time; SafeHandle's members on every derived type) where no .NET test matches.
 *
 * The .NET tests use a FileStream after Dispose inside `using`; in C a borrowed handle lives as
 * long as its owner, so a test that looks at one after its owner's Dispose retains it first
 * (Object_Retain), as API.md section 7 says.
 */
#include "sp_test.h"
#include "sp_process.h"

static const uint8_t test_buffer[] = {0xBA, 0x5E, 0xBA, 0x11, 0xF0, 0x07, 0xBA, 0x11};

#define MSG_FILE_CLOSED "Cannot access a closed file."
#define MSG_STREAM_CLOSED "Cannot access a closed Stream."

static int64_t length_of(const char *path)
{
    FileStream *fs = FileStream_new_ex(path, FileMode_Open, FileAccess_Read, FileShare_ReadWrite | FileShare_Delete, 0,
                                       FileOptions_None);
    assert_non_null(fs);
    int64_t n = Stream_get_Length(fs);
    Dispose(fs);
    return n;
}

/* FileStream_SafeFileHandle.HandleNotNull, with Assert.Same as ValidateMemoryMappedFile does it */
static void FileStream_SafeFileHandle_HandleNotNull(void **state)
{
    (void)state;
    char path[128];
    FileStream *fs = FileStream_new(sp_temp_name(path, "sfh"), FileMode_Create);
    assert_non_null(fs);
    SafeFileHandle *h = FileStream_get_SafeFileHandle(fs);
    assert_non_null(h);
    EXPECT_NO_EXC();
    assert_ptr_equal(h, FileStream_get_SafeFileHandle(fs)); /* a property: the same object */
    assert_false(SafeHandle_get_IsClosed(h));
    assert_false(SafeHandle_get_IsInvalid(h));
    assert_false(SafeFileHandle_get_IsInvalid(h));
    assert_true(SafeHandle_DangerousGetHandle(h) != -1);
    EXPECT_NO_EXC();
    assert_true(Dispose(fs));
}

/* FileStream_SafeFileHandle.DisposeClosesHandle */
static void FileStream_SafeFileHandle_DisposeClosesHandle(void **state)
{
    (void)state;
    char path[128];
    FileStream *fs = FileStream_new(sp_temp_name(path, "sfh"), FileMode_Create);
    assert_non_null(fs);
    SafeFileHandle *h = FileStream_get_SafeFileHandle(fs);
    assert_non_null(h);
    if (!SafeHandle_get_IsInvalid(h)) {
        Object_Retain(h); /* the test keeps looking at it after its owner is gone */
        assert_true(Dispose(fs));
        assert_true(SafeHandle_get_IsClosed(h));
        EXPECT_NO_EXC();
        assert_true(SafeHandle_Dispose(h)); /* our reference; closing again is harmless */
        EXPECT_NO_EXC();
    } else {
        Dispose(fs);
    }
}

/* FileStream_SafeFileHandle.DisposingBufferedFileStreamThatWasClosedViaSafeFileHandleCloseDoesNotThrow */
static void
FileStream_SafeFileHandle_DisposingBufferedFileStreamThatWasClosedViaSafeFileHandleCloseDoesNotThrow(void **state)
{
    (void)state;
    char path[128];
    FileStream *fs = FileStream_new_ex(sp_temp_name(path, "sfh"), FileMode_Create, FileAccess_ReadWrite, FileShare_Read,
                                       100, FileOptions_None);
    assert_non_null(fs);
    assert_true(SafeHandle_Close(FileStream_get_SafeFileHandle(fs))); /* fs.SafeFileHandle.Dispose() */
    EXPECT_NO_EXC();
    assert_true(Dispose(fs)); /* must not throw */
    EXPECT_NO_EXC();
}

/* FileStream_SafeFileHandle.AccessFlushesFileClosesHandle */
static void FileStream_SafeFileHandle_AccessFlushesFileClosesHandle(void **state)
{
    (void)state;
    char path[128];
    sp_temp_name(path, "sfh");
    FileStream *fs = FileStream_new_ex(path, FileMode_Create, FileAccess_ReadWrite,
                                       FileShare_ReadWrite | FileShare_Delete, -1, FileOptions_None);
    assert_non_null(fs);
    FileStream *fsr = FileStream_new_ex(path, FileMode_Open, FileAccess_Read, FileShare_ReadWrite | FileShare_Delete,
                                        -1, FileOptions_None);
    assert_non_null(fsr);
    /* write will be buffered */
    assert_true(Stream_Write(fs, test_buffer, 0, (int32_t)sizeof test_buffer));
    /* other handle doesn't yet see the change */
    ASSERT_I64(Stream_get_Length(fsr), 0);
    assert_non_null(FileStream_get_SafeFileHandle(fs));
    /* expect the handle to be flushed */
    ASSERT_I64(Stream_get_Length(fsr), sizeof test_buffer);
    /* and the stream goes on from where it was */
    ASSERT_I64(Stream_get_Position(fs), sizeof test_buffer);
    assert_true(Stream_WriteByte(fs, 1));
    assert_true(Stream_Flush(fs));
    ASSERT_I64(Stream_get_Length(fsr), sizeof test_buffer + 1);
    Dispose(fsr);
    Dispose(fs);
}

/* sharpipc's own: the read-ahead is given back too (BufferedFileStreamStrategy.Flush's FlushRead),
 * so the OS position under the handle is the stream's Position. */
static void safe_file_handle_getter_gives_back_read_ahead(void **state)
{
    (void)state;
    char path[128];
    FileStream *fs = FileStream_new(sp_temp_name(path, "sfh"), FileMode_Create);
    assert_non_null(fs);
    assert_true(Stream_Write(fs, test_buffer, 0, (int32_t)sizeof test_buffer));
    assert_true(Stream_set_Position(fs, 0));
    ASSERT_I64(Stream_ReadByte(fs), test_buffer[0]); /* the whole file is now in the read buffer */
    assert_non_null(FileStream_get_SafeFileHandle(fs));
    ASSERT_I64(Stream_get_Position(fs), 1);
    ASSERT_I64(Stream_ReadByte(fs), test_buffer[1]);
    Dispose(fs);
}

/* sharpipc's own (.NET: FileStream.IsClosed is its handle's IsClosed, OSFileStreamStrategy): once
 * the handle is closed the stream is closed, with the texts a disposed FileStream gives. */
static void file_stream_is_closed_once_its_handle_is(void **state)
{
    (void)state;
    char path[128];
    FileStream *fs = FileStream_new(sp_temp_name(path, "sfh"), FileMode_Create);
    assert_non_null(fs);
    assert_true(Stream_Write(fs, test_buffer, 0, 4));
    SafeFileHandle *h = FileStream_get_SafeFileHandle(fs);
    assert_non_null(h);
    assert_true(Stream_Write(fs, test_buffer, 4, 4)); /* buffered again */
    assert_true(SafeHandle_Close(h));
    assert_true(SafeHandle_get_IsClosed(h));
    assert_false(Stream_get_CanRead(fs));
    assert_false(Stream_get_CanWrite(fs));
    assert_false(Stream_get_CanSeek(fs));
    EXPECT_NO_EXC();
    assert_false(Stream_Write(fs, test_buffer, 0, 1));
    EXPECT_EXC_MSG(ObjectDisposedException, MSG_FILE_CLOSED);
    uint8_t b[4];
    ASSERT_I64(Stream_Read(fs, b, 0, 4), -1);
    EXPECT_EXC_MSG(ObjectDisposedException, MSG_FILE_CLOSED);
    assert_false(Stream_Flush(fs));
    EXPECT_EXC_MSG(ObjectDisposedException, MSG_FILE_CLOSED);
    ASSERT_I64(Stream_get_Position(fs), -1);
    EXPECT_EXC(ObjectDisposedException);
    /* the buffered strategy's getter flushes first: with the handle closed, what .NET 10 says */
    assert_null(FileStream_get_SafeFileHandle(fs));
    EXPECT_EXC_MSG(ObjectDisposedException, MSG_FILE_CLOSED);
    /* the handle answers still, and closing it again is harmless */
    assert_true(SafeHandle_Close(h));
    assert_true(SafeHandle_get_IsClosed(h));
    EXPECT_NO_EXC();
    assert_true(Dispose(fs)); /* writes nothing: .NET drops the buffer of a closed strategy */
    EXPECT_NO_EXC();
    ASSERT_I64(length_of(path), 4);
}

/* sharpipc's own (what .NET 10 does): after Dispose, buffered or not, the getter hands out the
 * closed handle; an unbuffered stream whose handle was closed hands it out too. */
static void getter_after_dispose_returns_the_closed_handle(void **state)
{
    (void)state;
    static const int32_t buffer_sizes[] = {0, -1, 100};
    for (size_t i = 0; i < sizeof buffer_sizes / sizeof buffer_sizes[0]; i++) {
        char path[128];
        FileStream *fs = FileStream_new_ex(sp_temp_name(path, "sfh"), FileMode_Create, FileAccess_ReadWrite,
                                           FileShare_Read, buffer_sizes[i], FileOptions_None);
        assert_non_null(fs);
        Object_Retain(fs);
        assert_true(Dispose(fs));
        SafeFileHandle *h = FileStream_get_SafeFileHandle(fs);
        assert_non_null(h);
        EXPECT_NO_EXC();
        assert_true(SafeHandle_get_IsClosed(h));
        assert_ptr_equal(h, FileStream_get_SafeFileHandle(fs));
        Dispose(fs);
    }
    char path[128];
    FileStream *fs = FileStream_new_ex(sp_temp_name(path, "sfh"), FileMode_Create, FileAccess_ReadWrite, FileShare_Read,
                                       0, FileOptions_None);
    assert_non_null(fs);
    SafeFileHandle *h = FileStream_get_SafeFileHandle(fs);
    assert_true(SafeHandle_Close(h));
    assert_ptr_equal(h, FileStream_get_SafeFileHandle(fs));
    EXPECT_NO_EXC();
    assert_false(Stream_Write(fs, test_buffer, 0, 1));
    EXPECT_EXC_MSG(ObjectDisposedException, MSG_FILE_CLOSED);
    ASSERT_I64(Stream_ReadByte(fs), -1);
    EXPECT_EXC_MSG(ObjectDisposedException, MSG_FILE_CLOSED);
    Dispose(fs);
}

/* sharpipc's own: a handle the caller retained outlives its stream; Dispose (SafeHandle.Dispose)
 * closes it and the stream with it; Dispose of a never-retained borrowed one is not allowed, so
 * SafeHandle_Close is the port of `fs.SafeFileHandle.Dispose()`. */
static void retained_handle_dispose_closes_the_stream(void **state)
{
    (void)state;
    char path[128];
    FileStream *fs = FileStream_new(sp_temp_name(path, "sfh"), FileMode_Create);
    assert_non_null(fs);
    SafeFileHandle *h = (SafeFileHandle *)Object_Retain(FileStream_get_SafeFileHandle(fs));
    assert_non_null(h);
    assert_true(Dispose(h)); /* the generic Dispose: SafeHandle.Dispose(), then our reference */
    EXPECT_NO_EXC();
    assert_false(Stream_WriteByte(fs, 1));
    EXPECT_EXC_MSG(ObjectDisposedException, MSG_FILE_CLOSED);
    /* a buffered stream whose handle is closed: the getter's flush refuses */
    assert_null(FileStream_get_SafeFileHandle(fs));
    EXPECT_EXC_MSG(ObjectDisposedException, MSG_FILE_CLOSED);
    assert_true(Dispose(fs));
    EXPECT_NO_EXC();
}

/* sharpipc's own: SafeHandle's members take every derived handle and nothing else. */
static void safe_handle_members_check_their_argument(void **state)
{
    (void)state;
    assert_false(SafeHandle_get_IsClosed(NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("handle");
    assert_false(SafeHandle_Close(NULL));
    EXPECT_EXC(ArgumentNullException);
    ASSERT_I64(SafeHandle_DangerousGetHandle(NULL), -1);
    EXPECT_EXC(ArgumentNullException);
    assert_false(SafeHandle_get_IsInvalid(NULL));
    EXPECT_EXC(ArgumentNullException);
    assert_false(SafeHandle_Dispose(NULL));
    EXPECT_EXC(ArgumentNullException);
    ASSERT_U64(SafeBuffer_get_ByteLength(NULL), 0);
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("buffer");
    MemoryStream *ms = MemoryStream_new();
    assert_false(SafeHandle_get_IsClosed((void *)ms));
    EXPECT_EXC(ArgumentException);
    assert_false(SafeHandle_Close((void *)ms));
    EXPECT_EXC(ArgumentException);
    char path[128];
    FileStream *fs = FileStream_new(sp_temp_name(path, "sfh"), FileMode_Create);
    assert_non_null(fs);
    SafeFileHandle *h = FileStream_get_SafeFileHandle(fs);
    /* a SafeFileHandle is no SafeBuffer, and no SafePipeHandle */
    ASSERT_U64(SafeBuffer_get_ByteLength((void *)h), 0);
    EXPECT_EXC(ArgumentException);
    assert_false(SafePipeHandle_get_IsInvalid((void *)h));
    EXPECT_EXC(ArgumentException);
    assert_string_equal(Object_GetTypeName(h), "Microsoft.Win32.SafeHandles.SafeFileHandle");
    assert_false(FileStream_get_SafeFileHandle(NULL));
    EXPECT_EXC(ArgumentNullException);
    Dispose(fs);
    Dispose(ms);
}


/* ------------------------------------------------------------------ new FileStream(SafeFileHandle, ...) */

/* dotnet/runtime src/libraries/System.IO.FileSystem/tests/FileStream/ctor_sfh_fa.cs (FileStream_ctor_sfh_fa)
 * and ctor_sfh_fa_buffer.cs (FileStream_ctor_sfh_fa_buffer): CreateFileStream(handle, access) is
 * bufferSize 4096, as .NET's two-argument form. */
static FileStream *create_file_stream(SafeFileHandle *handle, FileAccess access)
{
    return FileStream_newFromHandle(handle, access, 4096);
}

static void write_one_byte_file(const char *path)
{
    FileStream *fs = FileStream_new(path, FileMode_Create);
    assert_non_null(fs);
    assert_true(Stream_WriteByte(fs, 0));
    assert_true(Dispose(fs));
}

static void FileStream_ctor_sfh_fa_InvalidHandle_Throws(void **state)
{
    (void)state;
    SafeFileHandle *handle = SafeFileHandle_new(-1, false);
    assert_non_null(handle);
    assert_true(SafeHandle_get_IsInvalid(handle));
    assert_null(create_file_stream(handle, FileAccess_Read));
    EXPECT_EXC_MSG(ArgumentException, "Invalid handle. (Parameter 'handle')");
    EXPECT_PARAM("handle");
    assert_true(Dispose(handle));
    /* sharpipc's own: NULL (.NET: NullReferenceException) */
    assert_null(FileStream_newFromHandle(NULL, FileAccess_Read, 4096));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("handle");
}

static void FileStream_ctor_sfh_fa_InvalidAccess_Throws(void **state)
{
    (void)state;
    SafeFileHandle *handle = SafeFileHandle_new(1, false);
    assert_non_null(handle);
    assert_null(create_file_stream(handle, (FileAccess)~FileAccess_Read));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("access");
    assert_true(Dispose(handle));
}

static void FileStream_ctor_sfh_fa_InvalidAccess_DoesNotCloseHandle(void **state)
{
    (void)state;
    SafeFileHandle *handle = SafeFileHandle_new(1, false);
    assert_null(create_file_stream(handle, (FileAccess)~FileAccess_Read));
    EXPECT_EXC(ArgumentOutOfRangeException);
    assert_false(SafeHandle_get_IsClosed(handle));
    assert_true(Dispose(handle));
}

static void FileStream_ctor_sfh_fa_buffer_InvalidBufferSize_Throws(void **state)
{
    (void)state;
    /* .NET 10: -1 is "Non-negative number required."; 0 is an unbuffered stream (the .NET test's
     * InlineData(0) predates .NET 6) */
    SafeFileHandle *handle = SafeFileHandle_new(1, false);
    assert_null(FileStream_newFromHandle(handle, FileAccess_Read, -1));
    EXPECT_EXC_MSG(ArgumentOutOfRangeException, "Non-negative number required. (Parameter 'bufferSize')");
    EXPECT_PARAM("bufferSize");
    /* InvalidBufferSize_DoesNotCloseHandle */
    assert_false(SafeHandle_get_IsClosed(handle));
    /* sharpipc's own (.NET 10): a closed handle, after the argument checks */
    assert_true(SafeHandle_Close(handle));
    assert_null(FileStream_newFromHandle(handle, FileAccess_Read, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    assert_null(FileStream_newFromHandle(handle, FileAccess_Read, 0));
    EXPECT_EXC_MSG(ObjectDisposedException, MSG_FILE_CLOSED);
    assert_true(Dispose(handle));
}

static void FileStream_ctor_sfh_fa_buffer_ValidBufferSize(void **state)
{
    (void)state;
    char path[128];
    FileStream *fs = FileStream_new(sp_temp_name(path, "sfh"), FileMode_Create);
    assert_non_null(fs);
    FileStream *fsw = FileStream_newFromHandle(FileStream_get_SafeFileHandle(fs), FileAccess_Write, 64 * 1024);
    assert_non_null(fsw);
    EXPECT_NO_EXC();
    assert_true(Dispose(fsw));
    assert_true(Dispose(fs));
}

static void FileStream_ctor_sfh_fa_FileAccessRead(void **state)
{
    (void)state;
    char path[128];
    write_one_byte_file(sp_temp_name(path, "sfh"));
    FileStream *fs = FileStream_new(path, FileMode_Open, FileAccess_Read);
    assert_non_null(fs);
    FileStream *fsr = create_file_stream(FileStream_get_SafeFileHandle(fs), FileAccess_Read);
    assert_non_null(fsr);
    assert_true(Stream_get_CanRead(fsr));
    ASSERT_I64(Stream_ReadByte(fsr), 0);
    assert_false(Stream_get_CanWrite(fsr));
    assert_false(Stream_WriteByte(fsr, 0));
    EXPECT_EXC(NotSupportedException);
    assert_true(Stream_get_CanSeek(fsr));
    /* sharpipc's own (.NET 10): the same handle object, the file's name */
    assert_ptr_equal(FileStream_get_SafeFileHandle(fsr), FileStream_get_SafeFileHandle(fs));
    char *a = FileStream_get_Name(fsr), *b = FileStream_get_Name(fs);
    assert_string_equal(a, b);
    String_Free(a);
    String_Free(b);
    assert_true(Dispose(fsr));
    assert_true(Dispose(fs));
}

static void FileStream_ctor_sfh_fa_FileAccessWrite(void **state)
{
    (void)state;
    char path[128];
    FileStream *fs = FileStream_new(sp_temp_name(path, "sfh"), FileMode_Create, FileAccess_Write);
    assert_non_null(fs);
    FileStream *fsw = create_file_stream(FileStream_get_SafeFileHandle(fs), FileAccess_Write);
    assert_non_null(fsw);
    assert_false(Stream_get_CanRead(fsw));
    ASSERT_I64(Stream_ReadByte(fsw), -1);
    EXPECT_EXC(NotSupportedException);
    assert_true(Stream_get_CanWrite(fsw));
    assert_true(Stream_WriteByte(fsw, 0)); /* should not throw */
    assert_true(Stream_get_CanSeek(fsw));
    assert_true(Dispose(fsw));
    assert_true(Dispose(fs));
}

static void FileStream_ctor_sfh_fa_FileAccessReadWrite(void **state)
{
    (void)state;
    char path[128];
    write_one_byte_file(sp_temp_name(path, "sfh"));
    FileStream *fs = FileStream_new(path, FileMode_Open, FileAccess_ReadWrite);
    assert_non_null(fs);
    FileStream *fsrw = create_file_stream(FileStream_get_SafeFileHandle(fs), FileAccess_ReadWrite);
    assert_non_null(fsrw);
    assert_true(Stream_get_CanRead(fsrw));
    ASSERT_I64(Stream_ReadByte(fsrw), 0);
    assert_true(Stream_get_CanWrite(fsrw));
    assert_true(Stream_WriteByte(fsrw, 0)); /* should not throw */
    assert_true(Stream_get_CanSeek(fsrw));
    assert_true(Dispose(fsrw));
    assert_true(Dispose(fs));
}

static void FileStream_ctor_sfh_fa_InconsistentFileAccessThrows(void **state)
{
    (void)state;
    char path[128];
    write_one_byte_file(sp_temp_name(path, "sfh"));
    FileStream *fs = FileStream_new(path, FileMode_Open, FileAccess_Read);
    assert_non_null(fs);
    FileStream *fsw = create_file_stream(FileStream_get_SafeFileHandle(fs), FileAccess_Write);
    assert_non_null(fsw);
    assert_false(Stream_get_CanRead(fsw));
    ASSERT_I64(Stream_ReadByte(fsw), -1);
    EXPECT_EXC(NotSupportedException);
    assert_true(Stream_get_CanWrite(fsw));
    assert_true(Stream_WriteByte(fsw, 0)); /* doesn't throw due to buffering */
    assert_true(Stream_get_CanSeek(fsw));
    /* throws due to FS trying to flush write buffer */
    assert_false(Dispose(fsw));
    EXPECT_EXC(UnauthorizedAccessException);
    Dispose(fs);

    fs = FileStream_new(path, FileMode_Open, FileAccess_Write);
    assert_non_null(fs);
    FileStream *fsr = create_file_stream(FileStream_get_SafeFileHandle(fs), FileAccess_Read);
    assert_non_null(fsr);
    assert_true(Stream_get_CanRead(fsr));
    ASSERT_I64(Stream_ReadByte(fsr), -1);
    EXPECT_EXC(UnauthorizedAccessException);
    assert_false(Stream_get_CanWrite(fsr));
    assert_false(Stream_WriteByte(fsr, 0));
    EXPECT_EXC(NotSupportedException);
    assert_true(Stream_get_CanSeek(fsr));
    assert_true(Dispose(fsr));
    Dispose(fs);
}

/* sharpipc's own (what .NET 10 does): disposing a stream made over another's handle closes the
 * handle, and so the other stream; a handle nobody names by path gives the Name "[Unknown]"; a
 * handle the caller made closes the stream over it when it is closed. */
static void streams_sharing_a_handle(void **state)
{
    (void)state;
    char path[128];
    write_one_byte_file(sp_temp_name(path, "sfh"));
    FileStream *fs = FileStream_new(path, FileMode_Open);
    assert_non_null(fs);
    FileStream *fsr = create_file_stream(FileStream_get_SafeFileHandle(fs), FileAccess_Read);
    assert_non_null(fsr);
    assert_true(Dispose(fsr));
    assert_false(Stream_get_CanRead(fs));
    ASSERT_I64(Stream_ReadByte(fs), -1);
    EXPECT_EXC(ObjectDisposedException);
    assert_true(Dispose(fs));

    fs = FileStream_new(path, FileMode_Open);
    assert_non_null(fs);
    SafeFileHandle *raw = SafeFileHandle_new(SafeHandle_DangerousGetHandle(FileStream_get_SafeFileHandle(fs)), false);
    assert_non_null(raw);
    FileStream *u = create_file_stream(raw, FileAccess_Read);
    assert_non_null(u);
    char *name = FileStream_get_Name(u);
    assert_string_equal(name, "[Unknown]");
    String_Free(name);
    ASSERT_I64(Stream_ReadByte(u), 0);
    assert_true(SafeHandle_Close(raw)); /* not owned: the file stays open for fs */
    assert_false(Stream_get_CanRead(u));
    ASSERT_I64(Stream_ReadByte(u), -1);
    EXPECT_EXC_MSG(ObjectDisposedException, MSG_FILE_CLOSED);
    assert_true(Stream_get_CanRead(fs));
    assert_true(Stream_set_Position(fs, 0));
    ASSERT_I64(Stream_ReadByte(fs), 0);
    assert_true(Dispose(u));
    assert_true(Dispose(raw));
    assert_true(Dispose(fs));
}

/* sharpipc's own: closing the handle in one thread while another disposes the stream, writes to it
 * or asks for the handle: no crash, no leak, no use after free (ASan, valgrind), every call either
 * succeeds or gets ObjectDisposedException. */
typedef struct race {
    FileStream *fs;
    SafeFileHandle *h;
    int what;
} race;

static void race_worker(void *arg)
{
    race *r = arg;
    for (int i = 0; i < 50; i++) {
        bool ok = r->what == 0   ? SafeHandle_Close(r->h)
                  : r->what == 1 ? Stream_WriteByte(r->fs, 7)
                                 : FileStream_get_SafeFileHandle(r->fs) != NULL;
        if (!ok)
            assert_true(Exception_Is(Exception_get_Current(), ExceptionType_ObjectDisposedException));
    }
}

static void closing_the_handle_races_with_the_stream(void **state)
{
    (void)state;
    for (int round = 0; round < 40; round++) {
        char path[128];
        FileStream *fs = FileStream_new(sp_temp_name(path, "sfh"), FileMode_Create);
        assert_non_null(fs);
        SafeFileHandle *h = (SafeFileHandle *)Object_Retain(FileStream_get_SafeFileHandle(fs));
        Object_Retain(fs);
        race a = {fs, h, 0}, b = {fs, h, 1 + round % 2};
        sp_thread *ta = sp_thread_start(race_worker, &a);
        sp_thread *tb = sp_thread_start(race_worker, &b);
        if (round % 3 == 0)
            Dispose(fs);
        sp_thread_join(ta);
        sp_thread_join(tb);
        if (round % 3 != 0)
            Dispose(fs);
        assert_true(SafeHandle_get_IsClosed(h));
        Dispose(fs);
        Dispose(h);
        Exception_Clear();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(FileStream_SafeFileHandle_HandleNotNull),
        cmocka_unit_test(FileStream_SafeFileHandle_DisposeClosesHandle),
        cmocka_unit_test(
            FileStream_SafeFileHandle_DisposingBufferedFileStreamThatWasClosedViaSafeFileHandleCloseDoesNotThrow),
        cmocka_unit_test(FileStream_SafeFileHandle_AccessFlushesFileClosesHandle),
        cmocka_unit_test(safe_file_handle_getter_gives_back_read_ahead),
        cmocka_unit_test(file_stream_is_closed_once_its_handle_is),
        cmocka_unit_test(getter_after_dispose_returns_the_closed_handle),
        cmocka_unit_test(retained_handle_dispose_closes_the_stream),
        cmocka_unit_test(safe_handle_members_check_their_argument),
        cmocka_unit_test(closing_the_handle_races_with_the_stream),
        cmocka_unit_test(FileStream_ctor_sfh_fa_InvalidHandle_Throws),
        cmocka_unit_test(FileStream_ctor_sfh_fa_InvalidAccess_Throws),
        cmocka_unit_test(FileStream_ctor_sfh_fa_InvalidAccess_DoesNotCloseHandle),
        cmocka_unit_test(FileStream_ctor_sfh_fa_buffer_InvalidBufferSize_Throws),
        cmocka_unit_test(FileStream_ctor_sfh_fa_buffer_ValidBufferSize),
        cmocka_unit_test(FileStream_ctor_sfh_fa_FileAccessRead),
        cmocka_unit_test(FileStream_ctor_sfh_fa_FileAccessWrite),
        cmocka_unit_test(FileStream_ctor_sfh_fa_FileAccessReadWrite),
        cmocka_unit_test(FileStream_ctor_sfh_fa_InconsistentFileAccessThrows),
        cmocka_unit_test(streams_sharing_a_handle),
    };
    return cmocka_run_group_tests(tests, NULL, sp_remove_temp_files);
}
