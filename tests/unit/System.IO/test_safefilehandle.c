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
static void FileStream_SafeFileHandle_DisposingBufferedFileStreamThatWasClosedViaSafeFileHandleCloseDoesNotThrow(
    void **state)
{
    (void)state;
    char path[128];
    FileStream *fs =
        FileStream_new_ex(sp_temp_name(path, "sfh"), FileMode_Create, FileAccess_ReadWrite, FileShare_Read, 100,
                          FileOptions_None);
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
    /* the buffered strategy's getter flushes first: on a closed stream, EnsureNotClosed */
    assert_null(FileStream_get_SafeFileHandle(fs));
    EXPECT_EXC_MSG(ObjectDisposedException, MSG_STREAM_CLOSED);
    /* the handle answers still, and closing it again is harmless */
    assert_true(SafeHandle_Close(h));
    assert_true(SafeHandle_get_IsClosed(h));
    EXPECT_NO_EXC();
    assert_true(Dispose(fs)); /* writes nothing: .NET drops the buffer of a closed strategy */
    EXPECT_NO_EXC();
    ASSERT_I64(length_of(path), 4);
}

/* sharpipc's own (OSFileStreamStrategy.SafeFileHandle): an unbuffered stream hands out its handle
 * even once closed (closed); the first ask after Dispose makes it closed. */
static void unbuffered_getter_after_dispose_returns_the_closed_handle(void **state)
{
    (void)state;
    char path[128];
    FileStream *fs = FileStream_new_ex(sp_temp_name(path, "sfh"), FileMode_Create, FileAccess_ReadWrite,
                                       FileShare_Read, 0, FileOptions_None);
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
    /* a closed buffered stream: the getter's flush is EnsureNotClosed */
    assert_null(FileStream_get_SafeFileHandle(fs));
    EXPECT_EXC_MSG(ObjectDisposedException, MSG_STREAM_CLOSED);
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
        bool ok = r->what == 0 ? SafeHandle_Close(r->h) : r->what == 1 ? Stream_WriteByte(r->fs, 7)
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
        cmocka_unit_test(FileStream_SafeFileHandle_DisposingBufferedFileStreamThatWasClosedViaSafeFileHandleCloseDoesNotThrow),
        cmocka_unit_test(FileStream_SafeFileHandle_AccessFlushesFileClosesHandle),
        cmocka_unit_test(safe_file_handle_getter_gives_back_read_ahead),
        cmocka_unit_test(file_stream_is_closed_once_its_handle_is),
        cmocka_unit_test(unbuffered_getter_after_dispose_returns_the_closed_handle),
        cmocka_unit_test(retained_handle_dispose_closes_the_stream),
        cmocka_unit_test(safe_handle_members_check_their_argument),
        cmocka_unit_test(closing_the_handle_races_with_the_stream),
    };
    return cmocka_run_group_tests(tests, NULL, sp_remove_temp_files);
}
