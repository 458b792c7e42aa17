/*
 * FileStream and File, ported from System.IO.Tests (FileStream ctor tests, FileMode/FileAccess,
 * FileShare, Seek/SetLength/Position, Flush, buffering) and File.Exists/File.Delete.
 *
 * Every file is a relative name unique to this process (sp_temp_name), so the same binary runs
 * natively and under wine.
 */
#include "sp_test.h"

#include <errno.h>
#ifdef _WIN32
#  include <windows.h>
#endif

#define FULL(var, name)                                                                                                \
  char var[1024];                                                                                                      \
  sp_full_path(var, name)

static const char *mode_name(FileMode m)
{
    static const char *names[] = {"?", "CreateNew", "Create", "Open", "OpenOrCreate", "Truncate", "Append"};
    return (m >= 1 && m <= 6) ? names[m] : "?";
}

static const char *access_name(FileAccess a)
{
    static const char *names[] = {"?", "Read", "Write", "ReadWrite"};
    return (a >= 1 && a <= 3) ? names[a] : "?";
}

/* ------------------------------------------------------------------ FileMode x FileAccess */

enum outcome { OK, COMBO, APPEND_RW, EXISTS, NOT_FOUND };

typedef struct mode_case {
    FileMode mode;
    FileAccess access;
    bool exists;
    enum outcome outcome;
    int64_t length; /* after a successful open of "hello" (or of a new file) */
    int64_t position;
} mode_case;

/* Every FileMode x FileAccess, on an existing 5-byte file and on a missing one. */
static const mode_case mode_cases[] = {
    /* existing file */
    {FileMode_CreateNew, FileAccess_Read, true, COMBO, 0, 0},
    {FileMode_CreateNew, FileAccess_Write, true, EXISTS, 0, 0},
    {FileMode_CreateNew, FileAccess_ReadWrite, true, EXISTS, 0, 0},
    {FileMode_Create, FileAccess_Read, true, COMBO, 0, 0},
    {FileMode_Create, FileAccess_Write, true, OK, 0, 0},
    {FileMode_Create, FileAccess_ReadWrite, true, OK, 0, 0},
    {FileMode_Open, FileAccess_Read, true, OK, 5, 0},
    {FileMode_Open, FileAccess_Write, true, OK, 5, 0},
    {FileMode_Open, FileAccess_ReadWrite, true, OK, 5, 0},
    {FileMode_OpenOrCreate, FileAccess_Read, true, OK, 5, 0},
    {FileMode_OpenOrCreate, FileAccess_Write, true, OK, 5, 0},
    {FileMode_OpenOrCreate, FileAccess_ReadWrite, true, OK, 5, 0},
    {FileMode_Truncate, FileAccess_Read, true, COMBO, 0, 0},
    {FileMode_Truncate, FileAccess_Write, true, OK, 0, 0},
    {FileMode_Truncate, FileAccess_ReadWrite, true, OK, 0, 0},
    {FileMode_Append, FileAccess_Read, true, COMBO, 0, 0},
    {FileMode_Append, FileAccess_Write, true, OK, 5, 5},
    {FileMode_Append, FileAccess_ReadWrite, true, APPEND_RW, 0, 0},
    /* missing file */
    {FileMode_CreateNew, FileAccess_Read, false, COMBO, 0, 0},
    {FileMode_CreateNew, FileAccess_Write, false, OK, 0, 0},
    {FileMode_CreateNew, FileAccess_ReadWrite, false, OK, 0, 0},
    {FileMode_Create, FileAccess_Read, false, COMBO, 0, 0},
    {FileMode_Create, FileAccess_Write, false, OK, 0, 0},
    {FileMode_Create, FileAccess_ReadWrite, false, OK, 0, 0},
    {FileMode_Open, FileAccess_Read, false, NOT_FOUND, 0, 0},
    {FileMode_Open, FileAccess_Write, false, NOT_FOUND, 0, 0},
    {FileMode_Open, FileAccess_ReadWrite, false, NOT_FOUND, 0, 0},
    {FileMode_OpenOrCreate, FileAccess_Read, false, OK, 0, 0},
    {FileMode_OpenOrCreate, FileAccess_Write, false, OK, 0, 0},
    {FileMode_OpenOrCreate, FileAccess_ReadWrite, false, OK, 0, 0},
    {FileMode_Truncate, FileAccess_Read, false, COMBO, 0, 0},
    {FileMode_Truncate, FileAccess_Write, false, NOT_FOUND, 0, 0},
    {FileMode_Truncate, FileAccess_ReadWrite, false, NOT_FOUND, 0, 0},
    {FileMode_Append, FileAccess_Read, false, COMBO, 0, 0},
    {FileMode_Append, FileAccess_Write, false, OK, 0, 0},
    {FileMode_Append, FileAccess_ReadWrite, false, APPEND_RW, 0, 0},
};

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.FileSystem.Tests/FileStream/ctor_str_fm_fa.cs: InvalidFileModeAccessReadThrows;
   also InvalidFileModeAppendWithWriteThrows, FileAccessRead/Write/ReadWrite, and ctor_str_fm.cs: FileModeCreate(Existing),
   FileModeCreateNew(ExistingThrows), FileModeOpenThrows/Existing, FileModeOpenOrCreate(Existing), FileModeTruncateThrows/Existing,
   FileModeAppend(Existing), over every FileMode x FileAccess with .NET's messages */
static void FileStream_ctor_str_fm_fa_InvalidFileModeAccessReadThrows(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof mode_cases / sizeof mode_cases[0]; i++) {
        const mode_case *c = &mode_cases[i];
        char name[128], label[160], msg[1200];
        sp_temp_name(name, "mode");
        FULL(full, name);
        snprintf(label, sizeof label, "%s %s %s", mode_name(c->mode), access_name(c->access),
                 c->exists ? "existing" : "missing");
        if (c->exists)
            sp_write_file(name, "hello", 5);
        FileStream *fs = FileStream_new_ex(name, c->mode, c->access, FileShare_Read, -1, FileOptions_None);
        switch (c->outcome) {
        case OK:
            if (!fs)
                fail_msg("%s: failed: %s", label, Exception_get_Message(Exception_get_Current()));
            EXPECT_NO_EXC_AT(label);
            if (Stream_get_Length(fs) != c->length || Stream_get_Position(fs) != c->position)
                fail_msg("%s: Length %lld Position %lld", label, (long long)Stream_get_Length(fs),
                         (long long)Stream_get_Position(fs));
            assert_int_equal(Stream_get_CanRead(fs), (c->access & FileAccess_Read) != 0);
            assert_int_equal(Stream_get_CanWrite(fs), (c->access & FileAccess_Write) != 0);
            assert_true(Stream_get_CanSeek(fs));
            assert_true(Dispose(fs));
            assert_true(File_Exists(name));
            break;
        case COMBO:
            assert_null(fs);
            snprintf(msg, sizeof msg, "Combining FileMode: %s with FileAccess: %s is invalid. (Parameter 'access')",
                     mode_name(c->mode), access_name(c->access));
            sp_expect_exc_(ExceptionType_ArgumentException, msg, label, __FILE__, __LINE__);
            EXPECT_PARAM("access");
            assert_int_equal(File_Exists(name), c->exists); /* nothing created */
            break;
        case APPEND_RW:
            assert_null(fs);
            sp_expect_exc_(ExceptionType_ArgumentException,
                           "Append access can be requested only in write-only mode. (Parameter 'access')", label,
                           __FILE__, __LINE__);
            EXPECT_PARAM("access");
            assert_int_equal(File_Exists(name), c->exists);
            break;
        case EXISTS:
            assert_null(fs);
            snprintf(msg, sizeof msg, "The file '%s' already exists.", full);
            sp_expect_exc_(ExceptionType_IOException, msg, label, __FILE__, __LINE__);
            break;
        case NOT_FOUND:
            assert_null(fs);
            snprintf(msg, sizeof msg, "Could not find file '%s'.", full);
            sp_expect_exc_(ExceptionType_FileNotFoundException, msg, label, __FILE__, __LINE__);
            assert_false(File_Exists(name));
            break;
        }
        /* An existing file keeps its content when the open failed. */
        if (c->exists && c->outcome != OK) {
            int32_t n;
            uint8_t *data = sp_read_file(name, &n);
            ASSERT_BYTES(data, n, "hello", 5);
            free(data);
        }
        assert_true(File_Delete(name));
    }
}

/* sharpipc's own: new FileStream(path, mode)'s default access (cf. ctor_str_fm_fa.cs' CreateFileStream override) */
static void default_access_of_two_argument_ctor(void **state)
{
    (void)state;
    /* new FileStream(path, mode): ReadWrite, except Append which is Write. */
    char name[128];
    sp_temp_name(name, "defacc");
    FileStream *fs = FileStream_new(name, FileMode_Create);
    assert_non_null(fs);
    assert_true(Stream_get_CanRead(fs));
    assert_true(Stream_get_CanWrite(fs));
    Dispose(fs);
    fs = FileStream_new(name, FileMode_Append);
    assert_non_null(fs);
    assert_false(Stream_get_CanRead(fs));
    assert_true(Stream_get_CanWrite(fs));
    Dispose(fs);
    fs = FileStream_new(name, FileMode_Open, FileAccess_Read); /* arity 3 */
    assert_non_null(fs);
    assert_false(Stream_get_CanWrite(fs));
    Dispose(fs);
    File_Delete(name);
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.FileSystem.Tests/FileStream/ctor_str_fm.cs: InvalidModeThrows; also EmptyPathThrows, and ctor_str_fm_fa.cs: InvalidAccessThrows
   (plus share and bufferSize checks) */
static void FileStream_ctor_str_fm_InvalidModeThrows(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "args");
    assert_null(FileStream_new_ex("", FileMode_Create, FileAccess_ReadWrite, FileShare_Read, -1, FileOptions_None));
    EXPECT_EXC(ArgumentException);
    EXPECT_PARAM("path");
    assert_null(FileStream_new_ex(name, (FileMode)0, FileAccess_ReadWrite, FileShare_Read, -1, FileOptions_None));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("mode");
    assert_null(FileStream_new_ex(name, (FileMode)7, FileAccess_ReadWrite, FileShare_Read, -1, FileOptions_None));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("mode");
    /* mode is checked before access */
    assert_null(FileStream_new_ex(name, (FileMode)7, (FileAccess)0, FileShare_Read, -1, FileOptions_None));
    EXPECT_PARAM("mode");
    assert_null(FileStream_new_ex(name, FileMode_Create, (FileAccess)0, FileShare_Read, -1, FileOptions_None));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("access");
    assert_null(FileStream_new_ex(name, FileMode_Create, (FileAccess)4, FileShare_Read, -1, FileOptions_None));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("access");
    assert_null(FileStream_new_ex(name, FileMode_Create, FileAccess_ReadWrite, (FileShare)8, -1, FileOptions_None));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("share");
    assert_null(FileStream_new_ex(name, FileMode_Create, FileAccess_ReadWrite, (FileShare)-1, -1, FileOptions_None));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("share");
    assert_null(FileStream_new_ex(name, FileMode_Create, FileAccess_ReadWrite, FileShare_Read, -2, FileOptions_None));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("bufferSize");
    /* FileShare.Inheritable is accepted on top of a valid share. */
    FileStream *fs = FileStream_new_ex(name, FileMode_Create, FileAccess_ReadWrite,
                                       (FileShare)(FileShare_Read | FileShare_Inheritable), -1, FileOptions_None);
    assert_non_null(fs);
    Dispose(fs);
    assert_true(File_Delete(name));
    assert_false(File_Exists(name));
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.FileSystem.Tests/FileStream/ctor_str_fm.cs: MissingDirectory_ThrowsDirectoryNotFound (every FileMode, with the message and HResult) */
static void FileStream_ctor_str_fm_MissingDirectory_ThrowsDirectoryNotFound(void **state)
{
    (void)state;
    char dir[128], name[300], msg[1400];
    snprintf(dir, sizeof dir, "sp_nodir_%d", sp_getpid());
    snprintf(name, sizeof name, "%s" SP_SEP "f.tmp", dir);
    FULL(full, name);
    snprintf(msg, sizeof msg, "Could not find a part of the path '%s'.", full);
    static const FileMode modes[] = {FileMode_Open,         FileMode_Create,   FileMode_CreateNew,
                                     FileMode_OpenOrCreate, FileMode_Truncate, FileMode_Append};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        FileStream *fs = FileStream_new_ex(name, modes[i], FileAccess_Write, FileShare_Read, -1, FileOptions_None);
        assert_null(fs);
        sp_expect_exc_(ExceptionType_DirectoryNotFoundException, msg, mode_name(modes[i]), __FILE__, __LINE__);
        assert_true(Exception_Is(Exception_get_Current(), ExceptionType_IOException));
        ASSERT_U64((uint32_t)Exception_get_HResult(Exception_get_Current()), 0x80070003u);
    }
    assert_false(File_Exists(name));
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.FileSystem.Tests/FileStream/ctor_str_fm.cs: MissingFile_ThrowsFileNotFound (no trailing character; with the message and HResult) */
static void FileStream_ctor_str_fm_MissingFile_ThrowsFileNotFound(void **state)
{
    (void)state;
    char name[128], msg[1200];
    sp_temp_name(name, "fnf");
    FULL(full, name);
    assert_null(FileStream_new(name, FileMode_Open));
    snprintf(msg, sizeof msg, "Could not find file '%s'.", full);
    EXPECT_EXC_MSG(FileNotFoundException, msg);
    ASSERT_U64((uint32_t)Exception_get_HResult(Exception_get_Current()), 0x80070002u);
    /* Reading through the reader helpers gives the same. */
    assert_null(StreamReader_newFromPath(name, NULL, true));
    EXPECT_EXC_MSG(FileNotFoundException, msg);
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.FileSystem.Tests/FileStream/ctor_str_fm.cs: FileModeCreateNewExistingThrows (with the message and HResult) */
static void FileStream_ctor_str_fm_FileModeCreateNewExistingThrows(void **state)
{
    (void)state;
    char name[128], msg[1200];
    sp_temp_name(name, "exists");
    FULL(full, name);
    sp_write_file(name, "x", 1);
    assert_null(FileStream_new(name, FileMode_CreateNew));
    snprintf(msg, sizeof msg, "The file '%s' already exists.", full);
    EXPECT_EXC_MSG(IOException, msg);
    int32_t hr = Exception_get_HResult(Exception_get_Current());
    File_Delete(name);
    /* .NET: IOException(message, errno) on Unix; HRESULT_FROM_WIN32(ERROR_FILE_EXISTS) on Windows. */
#ifdef _WIN32
    ASSERT_U64((uint32_t)hr, 0x80070050u);
#else
    ASSERT_I64(hr, EEXIST);
#endif
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.FileSystem.Tests/FileStream/ctor_str_fm.cs: DirectoryThrows (with the message) */
static void FileStream_ctor_str_fm_DirectoryThrows(void **state)
{
    (void)state;
    char dir[128], msg[1200];
    snprintf(dir, sizeof dir, "sp_dir_%d", sp_getpid());
    assert_int_equal(sp_mkdir(dir), 0);
    FULL(full, dir);
    FileStream *fs = FileStream_new_ex(dir, FileMode_Open, FileAccess_Read, FileShare_Read, -1, FileOptions_None);
    ExceptionType type = Exception_get_Type(Exception_get_Current());
    char actual[1200];
    snprintf(actual, sizeof actual, "%s", Exception_get_Message(Exception_get_Current()));
    bool exists = File_Exists(dir);
    Dispose(fs);
    sp_rmdir(dir); /* before any assertion, so a failure leaves nothing behind */
    assert_null(fs);
    assert_int_equal(type, ExceptionType_UnauthorizedAccessException);
    snprintf(msg, sizeof msg, "Access to the path '%s' is denied.", full);
    assert_string_equal(actual, msg);
    assert_false(exists); /* a directory is not a file */
}

/* sharpipc's own: FileStream.Name is the full path (cf. Name.cs), and IsAsync is false */
static void name_is_the_full_path(void **state)
{
    (void)state;
    char name[128], dotted[200];
    sp_temp_name(name, "name");
    FULL(full, name);
    FileStream *fs = FileStream_new(name, FileMode_Create);
    char *n = FileStream_get_Name(fs);
    assert_string_equal(n, full);
    String_Free(n);
    assert_false(FileStream_get_IsAsync(fs));
    EXPECT_NO_EXC();
    Dispose(fs);
    File_Delete(name);
    (void)dotted;
}

/* Path.GetFullPath removes "." and ".." segments: "./name" and "sub/../name" are "<cwd>/name". */
/* sharpipc's own: FileStream.Name removes "." and ".." segments, as Path.GetFullPath */
static void name_is_normalised(void **state)
{
    (void)state;
    char name[128], dotted[200], up[200];
    sp_temp_name(name, "norm");
    FULL(full, name);
    sp_write_file(name, "x", 1);
    snprintf(dotted, sizeof dotted, "." SP_SEP "%s", name);
    snprintf(up, sizeof up, "nosuchdir" SP_SEP ".." SP_SEP "%s", name);
    /* One at a time: two ReadWrite handles with FileShare.Read conflict on Windows. */
    FileStream *a = FileStream_new(dotted, FileMode_Open);
    char *na = a ? FileStream_get_Name(a) : NULL;
    Dispose(a);
    FileStream *b = FileStream_new(up, FileMode_Open); /* also opens although nosuchdir is missing */
    char *nb = b ? FileStream_get_Name(b) : NULL;
    Dispose(b);
    File_Delete(name);
    char ga[1100], gb[1100];
    snprintf(ga, sizeof ga, "%s", na ? na : "(null)");
    snprintf(gb, sizeof gb, "%s", nb ? nb : "(null)");
    String_Free(na);
    String_Free(nb);
    assert_string_equal(ga, full);
    assert_string_equal(gb, full);
}

/* ------------------------------------------------------------------ Append */

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.FileSystem.Tests/FileStream/Seek.cs: SeekAppendModifyThrows; also ctor_str_fm.cs: FileModeAppendExisting */
static void FileStream_Seek_SeekAppendModifyThrows(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "append");
    sp_write_file(name, "hello", 5);
    FileStream *fs = FileStream_new(name, FileMode_Append);
    assert_non_null(fs);
    ASSERT_I64(Stream_get_Position(fs), 5);
    assert_true(Stream_get_CanSeek(fs));
    assert_false(Stream_get_CanRead(fs));
    assert_true(Stream_Write(fs, " world", 0, 6));
    ASSERT_I64(Stream_get_Position(fs), 11);

    static const char seek_msg[] =
        "Unable seek backward to overwrite data that previously existed in a file opened in Append mode.";
    ASSERT_I64(Stream_Seek(fs, 0, SeekOrigin_Begin), -1);
    EXPECT_EXC_MSG(IOException, seek_msg);
    ASSERT_I64(Stream_get_Position(fs), 11); /* unchanged */
    ASSERT_I64(Stream_Seek(fs, 4, SeekOrigin_Begin), -1);
    EXPECT_EXC_MSG(IOException, seek_msg);
    ASSERT_I64(Stream_Seek(fs, -7, SeekOrigin_End), -1);
    EXPECT_EXC_MSG(IOException, seek_msg);
    ASSERT_I64(Stream_Seek(fs, -7, SeekOrigin_Current), -1);
    EXPECT_EXC_MSG(IOException, seek_msg);
    assert_false(Stream_set_Position(fs, 2));
    EXPECT_EXC_MSG(IOException, seek_msg);
    ASSERT_I64(Stream_get_Position(fs), 11);

    /* Back to the original end and over the appended data is fine. */
    ASSERT_I64(Stream_Seek(fs, 5, SeekOrigin_Begin), 5);
    assert_true(Stream_Write(fs, "_", 0, 1));
    ASSERT_I64(Stream_Seek(fs, -1, SeekOrigin_End), 10);
    assert_true(Stream_Write(fs, "D", 0, 1));

    /* SetLength below the original end: IOException; at or above: fine. */
    assert_false(Stream_SetLength(fs, 4));
    EXPECT_EXC_MSG(IOException, "Unable to truncate data that previously existed in a file opened in Append mode.");
    assert_true(Stream_SetLength(fs, 5 + 6));
    assert_true(Stream_SetLength(fs, 5));
    assert_true(Stream_SetLength(fs, 11));

    /* Reading is not supported. */
    uint8_t b[4];
    assert_int_equal(Stream_Read(fs, b, 0, 1), -1);
    EXPECT_EXC_MSG(NotSupportedException, "Stream does not support reading.");
    assert_true(Dispose(fs));

    int32_t n;
    uint8_t *data = sp_read_file(name, &n);
    ASSERT_BYTES(data, n, "hello\0\0\0\0\0\0", 11);
    free(data);
    File_Delete(name);
}

/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.FileSystem.Tests/FileStream/ctor_str_fm.cs: FileModeAppend (creating, then appending to an existing file) */
static void FileStream_ctor_str_fm_FileModeAppend(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "append2");
    for (int i = 0; i < 3; i++) {
        FileStream *fs = FileStream_new(name, FileMode_Append);
        assert_non_null(fs);
        ASSERT_I64(Stream_get_Position(fs), i * 3);
        assert_true(Stream_Write(fs, "abc", 0, 3));
        Dispose(fs);
    }
    int32_t n;
    uint8_t *data = sp_read_file(name, &n);
    ASSERT_BYTES(data, n, "abcabcabc", 9);
    free(data);
    File_Delete(name);
}

/* ------------------------------------------------------------------ seek, length, position */

/* sharpipc's own: Seek and Position over a FileStream: origins, past the end, before the beginning (cf. Seek.cs, Position.cs) */
static void seek_and_position_rules(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "seek");
    FULL(full, name);
    FileStream *fs = FileStream_new(name, FileMode_Create);
    assert_true(Stream_Write(fs, "0123456789", 0, 10));
    ASSERT_I64(Stream_Seek(fs, 0, SeekOrigin_Begin), 0);
    ASSERT_I64(Stream_Seek(fs, -2, SeekOrigin_End), 8);
    ASSERT_I64(Stream_Seek(fs, -3, SeekOrigin_Current), 5);
    assert_int_equal(Stream_ReadByte(fs), '5');
    ASSERT_I64(Stream_Seek(fs, 20, SeekOrigin_Begin), 20); /* beyond the end is allowed */
    ASSERT_I64(Stream_get_Length(fs), 10);
    assert_int_equal(Stream_ReadByte(fs), -1);
    EXPECT_NO_EXC();

    /* Before the beginning: IOException, position unchanged (message: FileStream_Seek_SeekNegativePositionThrowsWithClearMessage). */
    Stream_set_Position(fs, 3);
    ASSERT_I64(Stream_Seek(fs, -1, SeekOrigin_Begin), -1);
    EXPECT_EXC(IOException);
    ASSERT_I64(Stream_get_Position(fs), 3); /* unchanged */
    ASSERT_I64(Stream_Seek(fs, -11, SeekOrigin_End), -1);
    EXPECT_EXC(IOException);
    ASSERT_I64(Stream_Seek(fs, -4, SeekOrigin_Current), -1);
    EXPECT_EXC(IOException);
    ASSERT_I64(Stream_get_Position(fs), 3);

    /* An invalid origin: ArgumentException (name: seek_invalid_origin_names_origin). */
    ASSERT_I64(Stream_Seek(fs, 0, (SeekOrigin)3), -1);
    EXPECT_EXC(ArgumentException);

    assert_false(Stream_set_Position(fs, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("value");

    /* Writing past the end leaves a zero-filled gap. */
    Stream_set_Position(fs, 12);
    assert_true(Stream_Write(fs, "Z", 0, 1));
    ASSERT_I64(Stream_get_Length(fs), 13);
    Dispose(fs);
    int32_t n;
    uint8_t *data = sp_read_file(name, &n);
    ASSERT_BYTES(data, n, "0123456789\0\0Z", 13);
    free(data);
    File_Delete(name);
}

/* .NET: OSFileStreamStrategy.Seek -> FileStreamHelpers.ThrowInvalidArgument: the OS's EINVAL
 * (Unix) / ERROR_INVALID_PARAMETER (Windows) text, then " : 'path'". */
/* dotnet/runtime src/libraries/System.Runtime/tests/System.IO.FileSystem.Tests/FileStream/Seek.cs: SeekNegativePositionThrowsWithClearMessage (the Begin case, exact message) */
static void FileStream_Seek_SeekNegativePositionThrowsWithClearMessage(void **state)
{
    (void)state;
    char name[128], msg[1200], actual[1200];
    sp_temp_name(name, "seekmsg");
    FULL(full, name);
    FileStream *fs = FileStream_new(name, FileMode_Create);
    Stream_Seek(fs, -1, SeekOrigin_Begin);
    snprintf(actual, sizeof actual, "%s", Exception_get_Message(Exception_get_Current()));
    Dispose(fs);
    File_Delete(name);
#ifdef _WIN32
    char os[512] = "";
    DWORD k = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, ERROR_INVALID_PARAMETER,
                             MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), os, sizeof os, NULL);
    while (k > 0 && (unsigned char)os[k - 1] <= ' ')
        os[--k] = 0;
    snprintf(msg, sizeof msg, "%s : '%s'", os, full);
#else
    snprintf(msg, sizeof msg, "%s : '%s'", strerror(EINVAL), full);
#endif
    assert_string_equal(actual, msg);
}

/* sharpipc's own, after OSFileStreamStrategy.Seek in dotnet/runtime: .NET adds the offset to the
 * origin's base unchecked, so a sum past long.MaxValue wraps negative and gets the negative
 * position's IOException (the OS's invalid-argument text with the path); the position stays. */
static void seek_with_offsets_near_the_int64_limits(void **state)
{
    (void)state;
    struct {
        int64_t offset;
        SeekOrigin origin;
    } rows[] = {
        {INT64_MAX, SeekOrigin_Current}, {INT64_MAX, SeekOrigin_End}, {INT64_MAX - 5, SeekOrigin_End},
        {INT64_MIN, SeekOrigin_Current}, {INT64_MIN, SeekOrigin_End}, {INT64_MIN, SeekOrigin_Begin},
    };
    char name[128];
    sp_temp_name(name, "seekmax");
    for (int buffered = 0; buffered < 2; buffered++) {
        FileStream *fs = FileStream_new_ex(name, FileMode_Create, FileAccess_ReadWrite, FileShare_Read,
                                           buffered ? 4096 : 0, FileOptions_None);
        assert_non_null(fs);
        assert_true(Stream_Write(fs, "0123456789", 0, 10));
        assert_true(Stream_set_Position(fs, 5));
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
            ASSERT_I64(Stream_Seek(fs, rows[i].offset, rows[i].origin), -1);
            EXPECT_EXC(IOException);
            ASSERT_I64(Stream_get_Position(fs), 5);
        }
        assert_int_equal(Stream_ReadByte(fs), '5');
        Dispose(fs);
    }
    File_Delete(name);
}

/* FileStream.Seek: throw new ArgumentException(SR.Argument_InvalidSeekOrigin, nameof(origin)). */
/* sharpipc's own: FileStream.Seek's invalid origin is ArgumentException naming 'origin' */
static void seek_invalid_origin_names_origin(void **state)
{
    (void)state;
    char name[128], actual[256];
    sp_temp_name(name, "seekorg");
    FileStream *fs = FileStream_new(name, FileMode_Create);
    Stream_Seek(fs, 0, (SeekOrigin)3);
    snprintf(actual, sizeof actual, "%s", Exception_get_Message(Exception_get_Current()));
    Dispose(fs);
    File_Delete(name);
    assert_string_equal(actual, "Invalid seek origin. (Parameter 'origin')");
}

/* sharpipc's own: Length and SetLength of a FileStream: growth with zeros, the position after a shrink, bad values (cf. SetLength.cs) */
static void length_and_set_length(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "len");
    FileStream *fs = FileStream_new(name, FileMode_Create);
    ASSERT_I64(Stream_get_Length(fs), 0);
    assert_true(Stream_Write(fs, "abcdef", 0, 6));
    ASSERT_I64(Stream_get_Length(fs), 6);  /* buffered bytes count */
    assert_true(Stream_SetLength(fs, 10)); /* grows with zeros */
    ASSERT_I64(Stream_get_Length(fs), 10);
    ASSERT_I64(Stream_get_Position(fs), 6);
    assert_true(Stream_SetLength(fs, 3)); /* the position follows a shrink */
    ASSERT_I64(Stream_get_Length(fs), 3);
    ASSERT_I64(Stream_get_Position(fs), 3);
    assert_true(Stream_Write(fs, "X", 0, 1));
    assert_false(Stream_SetLength(fs, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("value");
    Stream_set_Position(fs, 0);
    uint8_t b[8];
    assert_int_equal(Stream_Read(fs, b, 0, 8), 4);
    assert_memory_equal(b, "abcX", 4);
    assert_true(Stream_SetLength(fs, 0));
    ASSERT_I64(Stream_get_Position(fs), 0);
    assert_int_equal(Stream_Read(fs, b, 0, 8), 0);
    Dispose(fs);

    /* Read-only: NotSupportedException. */
    fs = FileStream_new(name, FileMode_Open, FileAccess_Read);
    assert_false(Stream_SetLength(fs, 1));
    EXPECT_EXC_MSG(NotSupportedException, "Stream does not support writing.");
    Dispose(fs);
    File_Delete(name);
}

/* sharpipc's own: reads on a write-only and writes on a read-only FileStream (cf. ctor_str_fm_fa.cs: FileAccessRead, FileAccessWrite) */
static void wrong_access_is_not_supported(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "access");
    sp_write_file(name, "data", 4);
    uint8_t b[4];
    FileStream *r = FileStream_new(name, FileMode_Open, FileAccess_Read);
    assert_false(Stream_Write(r, "x", 0, 1));
    EXPECT_EXC_MSG(NotSupportedException, "Stream does not support writing.");
    assert_false(Stream_WriteByte(r, 1));
    EXPECT_EXC_MSG(NotSupportedException, "Stream does not support writing.");
    assert_int_equal(Stream_Read(r, b, 0, 4), 4);
    Dispose(r);
    FileStream *w = FileStream_new(name, FileMode_Open, FileAccess_Write);
    assert_int_equal(Stream_Read(w, b, 0, 1), -1);
    EXPECT_EXC_MSG(NotSupportedException, "Stream does not support reading.");
    assert_int_equal(Stream_ReadByte(w), -1);
    EXPECT_EXC_MSG(NotSupportedException, "Stream does not support reading.");
    /* Adapters refuse it. */
    assert_null(BinaryReader_new(w));
    EXPECT_EXC_MSG(ArgumentException, "Stream was not readable.");
    assert_null(StreamReader_new(w));
    EXPECT_EXC_MSG(ArgumentException, "Stream was not readable.");
    Dispose(w);
    File_Delete(name);
}

/* sharpipc's own: a closed FileStream: capabilities and ObjectDisposedException (cf. Dispose.cs) */
static void closed_file_stream(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "closed");
    FileStream *fs = FileStream_new(name, FileMode_Create);
    assert_true(Stream_Write(fs, "abc", 0, 3));
    assert_true(Stream_Close(fs)); /* flushes */
    assert_true(Stream_Close(fs));
    assert_false(Stream_get_CanRead(fs));
    assert_false(Stream_get_CanWrite(fs));
    assert_false(Stream_get_CanSeek(fs));
    EXPECT_NO_EXC();
    uint8_t b[4];
    assert_int_equal(Stream_Read(fs, b, 0, 1), -1);
    EXPECT_EXC(ObjectDisposedException);
    assert_false(Stream_Write(fs, b, 0, 1));
    EXPECT_EXC(ObjectDisposedException);
    ASSERT_I64(Stream_get_Length(fs), -1);
    EXPECT_EXC(ObjectDisposedException);
    ASSERT_I64(Stream_get_Position(fs), -1);
    EXPECT_EXC(ObjectDisposedException);
    assert_false(Stream_SetLength(fs, 0));
    EXPECT_EXC(ObjectDisposedException);
    assert_false(FileStream_Flush(fs, true));
    EXPECT_EXC(ObjectDisposedException);
    assert_false(Stream_Flush(fs));
    EXPECT_EXC(ObjectDisposedException);
    ASSERT_I64(Stream_Seek(fs, 0, SeekOrigin_Begin), -1);
    EXPECT_EXC(ObjectDisposedException);
    assert_int_equal(Stream_ReadByte(fs), -1);
    EXPECT_EXC(ObjectDisposedException);
    assert_false(Stream_WriteByte(fs, 1));
    EXPECT_EXC(ObjectDisposedException);
    char *n = FileStream_get_Name(fs); /* the name survives */
    assert_non_null(n);
    String_Free(n);
    assert_true(Dispose(fs));
    int32_t len;
    uint8_t *data = sp_read_file(name, &len);
    ASSERT_BYTES(data, len, "abc", 3);
    free(data);
    File_Delete(name);
}

/* FileStream's own members say ThrowHelper.ThrowObjectDisposedException_FileClosed():
 * "Cannot access a closed file." (MemoryStream says "...closed Stream.") */
/* sharpipc's own: the messages of a closed FileStream's members */
static void closed_file_stream_messages(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "closedmsg");
    FileStream *fs = FileStream_new(name, FileMode_Create);
    Stream_Close(fs);
    uint8_t b[4];
    char got[6][200];
    Stream_Read(fs, b, 0, 1);
    snprintf(got[0], 200, "Read: %s", Exception_get_Message(Exception_get_Current()));
    Stream_Write(fs, b, 0, 1);
    snprintf(got[1], 200, "Write: %s", Exception_get_Message(Exception_get_Current()));
    Stream_get_Length(fs);
    snprintf(got[2], 200, "Length: %s", Exception_get_Message(Exception_get_Current()));
    Stream_get_Position(fs);
    snprintf(got[3], 200, "Position: %s", Exception_get_Message(Exception_get_Current()));
    Stream_SetLength(fs, 0);
    snprintf(got[4], 200, "SetLength: %s", Exception_get_Message(Exception_get_Current()));
    FileStream_Flush(fs, false);
    snprintf(got[5], 200, "Flush: %s", Exception_get_Message(Exception_get_Current()));
    Dispose(fs);
    File_Delete(name);
    static const char *expected[] = {"Read: ", "Write: ", "Length: ", "Position: ", "SetLength: ", "Flush: "};
    for (int i = 0; i < 6; i++) {
        char e[200];
        snprintf(e, sizeof e, "%sCannot access a closed file.", expected[i]);
        assert_string_equal(got[i], e);
    }
}

/* ------------------------------------------------------------------ FileShare */

/* sharpipc's own: FileShare.None blocks a second open, with .NET's message (cf. ctor_str_fm_fa_fs.cs) */
static void share_none_blocks_a_second_open(void **state)
{
    (void)state;
    char name[128], msg[1200];
    sp_temp_name(name, "share");
    FULL(full, name);
    snprintf(msg, sizeof msg, "The process cannot access the file '%s' because it is being used by another process.",
             full);
    FileStream *a =
        FileStream_new_ex(name, FileMode_Create, FileAccess_ReadWrite, FileShare_None, -1, FileOptions_None);
    assert_non_null(a);
    static const FileShare shares[] = {FileShare_None, FileShare_Read, FileShare_ReadWrite};
    static const FileAccess accesses[] = {FileAccess_Read, FileAccess_Write, FileAccess_ReadWrite};
    for (size_t s = 0; s < 3; s++)
        for (size_t x = 0; x < 3; x++) {
            FileStream *b = FileStream_new_ex(name, FileMode_Open, accesses[x], shares[s], -1, FileOptions_None);
            if (b) {
                Dispose(b);
                fail_msg("second open (%s, share %d) succeeded under FileShare.None", access_name(accesses[x]),
                         (int)shares[s]);
            }
            EXPECT_EXC_MSG(IOException, msg);
        }
    /* A failed open does not disturb the first handle. */
    assert_true(Stream_Write(a, "ok", 0, 2));
    Dispose(a);
    /* Once closed, the file opens again. */
    FileStream *b = FileStream_new_ex(name, FileMode_Open, FileAccess_Read, FileShare_None, -1, FileOptions_None);
    assert_non_null(b);
    ASSERT_I64(Stream_get_Length(b), 2);
    /* And FileShare.None in the second open is refused while the first is open. */
    FileStream *c = FileStream_new_ex(name, FileMode_Open, FileAccess_Read, FileShare_Read, -1, FileOptions_None);
    assert_null(c);
    EXPECT_EXC_MSG(IOException, msg);
    Dispose(b);

    FileStream *r1 = FileStream_new_ex(name, FileMode_Open, FileAccess_Read, FileShare_ReadWrite, -1, FileOptions_None);
    assert_non_null(r1);
    FileStream *r2 = FileStream_new_ex(name, FileMode_Open, FileAccess_Read, FileShare_ReadWrite, -1, FileOptions_None);
    assert_non_null(r2); /* shared readers coexist */
    FileStream *x = FileStream_new_ex(name, FileMode_Open, FileAccess_Read, FileShare_None, -1, FileOptions_None);
    assert_null(x);
    EXPECT_EXC_MSG(IOException, msg);
    Dispose(r2);
    Dispose(r1);
    File_Delete(name);
}

#ifndef _WIN32
/* .NET on Unix takes LOCK_EX only for `share == FileShare.None` exactly; any other share value
 * (FileShare.Delete, FileShare.Inheritable alone) is LOCK_SH, so a second shared open succeeds. */
/* sharpipc's own: on POSIX, FileShare.None takes the exclusive advisory lock, as .NET */
static void posix_only_share_none_takes_the_exclusive_lock(void **state)
{
    (void)state;
    static const FileShare firsts[] = {FileShare_Delete, FileShare_Inheritable};
    for (int i = 0; i < 2; i++) {
        char name[128];
        sp_temp_name(name, "lock");
        FileStream *a = FileStream_new_ex(name, FileMode_Create, FileAccess_ReadWrite, firsts[i], -1, FileOptions_None);
        assert_non_null(a);
        FileStream *b =
            FileStream_new_ex(name, FileMode_Open, FileAccess_Read, FileShare_ReadWrite, -1, FileOptions_None);
        bool opened = b != NULL;
        Dispose(b);
        Dispose(a);
        File_Delete(name);
        if (!opened)
            fail_msg("FileShare %d: a second FileShare.ReadWrite open failed (.NET: LOCK_SH, succeeds)",
                     (int)firsts[i]);
    }
}
#endif

/* .NET: IOException(message, errno) on Unix (Interop.GetExceptionForIoErrno, EWOULDBLOCK);
 * HRESULT_FROM_WIN32(ERROR_SHARING_VIOLATION) on Windows. */
/* sharpipc's own: the HResult of a sharing violation */
static void share_violation_hresult(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "sharehr");
    FileStream *a =
        FileStream_new_ex(name, FileMode_Create, FileAccess_ReadWrite, FileShare_None, -1, FileOptions_None);
    assert_non_null(a);
    FileStream *b = FileStream_new_ex(name, FileMode_Open, FileAccess_Read, FileShare_ReadWrite, -1, FileOptions_None);
    assert_null(b);
    EXPECT_EXC(IOException);
    int32_t hr = Exception_get_HResult(Exception_get_Current());
    Dispose(a);
    File_Delete(name);
#ifdef _WIN32
    ASSERT_U64((uint32_t)hr, 0x80070020u);
#else
    ASSERT_I64(hr, EWOULDBLOCK);
#endif
}

/* ------------------------------------------------------------------ Flush and buffering */

/* sharpipc's own: the 4096-byte write buffer and Flush(flushToDisk) (cf. Flush.cs) */
static void flush_makes_data_visible(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "flush");
    FileStream *fs =
        FileStream_new_ex(name, FileMode_Create, FileAccess_Write, FileShare_ReadWrite, 4096, FileOptions_None);
    assert_true(Stream_Write(fs, "0123456789", 0, 10));
    int32_t n;
    uint8_t *data = sp_read_file(name, &n);
    assert_int_equal(n, 0); /* still in the 4096-byte buffer, as .NET */
    free(data);
    assert_true(Stream_Flush(fs));
    data = sp_read_file(name, &n);
    ASSERT_BYTES(data, n, "0123456789", 10);
    free(data);
    assert_true(Stream_Write(fs, "ab", 0, 2));
    assert_true(FileStream_Flush(fs, true));
    EXPECT_NO_EXC();
    data = sp_read_file(name, &n);
    ASSERT_BYTES(data, n, "0123456789ab", 12);
    free(data);
    assert_true(FileStream_Flush(fs, false));
    Dispose(fs);

    /* Unbuffered (0 and 1): every write reaches the file at once. */
    for (int32_t bs = 0; bs <= 1; bs++) {
        fs = FileStream_new_ex(name, FileMode_Create, FileAccess_Write, FileShare_ReadWrite, bs, FileOptions_None);
        assert_true(Stream_Write(fs, "xyz", 0, 3));
        assert_true(Stream_WriteByte(fs, '!'));
        data = sp_read_file(name, &n);
        ASSERT_BYTES(data, n, "xyz!", 4);
        free(data);
        Dispose(fs);
    }
    /* Flush(true) on a read-only stream is fine. */
    fs = FileStream_new(name, FileMode_Open, FileAccess_Read);
    assert_true(FileStream_Flush(fs, true));
    assert_true(Stream_Flush(fs));
    Dispose(fs);
    File_Delete(name);
}

/* sharpipc's own: writes after a buffered read land at the logical position */
static void interleaved_read_write(void **state)
{
    (void)state;
    char name[128];
    static const int32_t sizes[] = {0, 1, 2, 4, 8, 4096, -1};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        sp_temp_name(name, "inter");
        sp_write_file(name, "0123456789", 10);
        FileStream *fs =
            FileStream_new_ex(name, FileMode_Open, FileAccess_ReadWrite, FileShare_None, sizes[s], FileOptions_None);
        uint8_t b[16];
        /* A read fills the buffer; a write must land at the logical position, not after the read-ahead. */
        assert_int_equal(Stream_Read(fs, b, 0, 2), 2);
        assert_memory_equal(b, "01", 2);
        assert_true(Stream_Write(fs, "ab", 0, 2));
        ASSERT_I64(Stream_get_Position(fs), 4);
        /* A read after a write continues right after it. */
        assert_int_equal(Stream_Read(fs, b, 0, 3), 3);
        assert_memory_equal(b, "456", 3);
        /* A seek inside what was read, then a write. */
        ASSERT_I64(Stream_Seek(fs, -1, SeekOrigin_Current), 6);
        assert_true(Stream_WriteByte(fs, 'X'));
        assert_int_equal(Stream_ReadByte(fs), '7');
        ASSERT_I64(Stream_get_Length(fs), 10);
        /* Writing past the end, then reading back from the start. */
        Stream_Seek(fs, 0, SeekOrigin_End);
        assert_true(Stream_Write(fs, "END", 0, 3));
        ASSERT_I64(Stream_get_Length(fs), 13);
        Stream_set_Position(fs, 0);
        assert_int_equal(Stream_Read(fs, b, 0, 16), 13);
        assert_memory_equal(b, "01ab45X789END", 13);
        Dispose(fs);
        int32_t n;
        uint8_t *data = sp_read_file(name, &n);
        ASSERT_BYTES(data, n, "01ab45X789END", 13);
        free(data);
        File_Delete(name);
    }
}

/* A small deterministic generator, the same on every platform. */
static uint32_t rng_state;
static uint32_t rng(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

typedef struct model {
    uint8_t *data;
    int64_t length, capacity, position;
} model;

static void model_reserve(model *m, int64_t n)
{
    if (n <= m->capacity)
        return;
    int64_t cap = m->capacity ? m->capacity : 256;
    while (cap < n)
        cap *= 2;
    m->data = realloc(m->data, (size_t)cap);
    assert_non_null(m->data);
    memset(m->data + m->capacity, 0, (size_t)(cap - m->capacity));
    m->capacity = cap;
}

static void model_set_length(model *m, int64_t n)
{
    model_reserve(m, n);
    if (n > m->length)
        memset(m->data + m->length, 0, (size_t)(n - m->length));
    m->length = n;
    if (m->position > n)
        m->position = n;
}

static void model_write(model *m, const uint8_t *b, int64_t n)
{
    model_reserve(m, m->position + n);
    if (m->position > m->length)
        memset(m->data + m->length, 0, (size_t)(m->position - m->length));
    memcpy(m->data + m->position, b, (size_t)n);
    m->position += n;
    if (m->position > m->length)
        m->length = m->position;
}

static void check_disk(const char *name, const model *m, int step, int32_t bs)
{
    int32_t n;
    uint8_t *data = sp_read_file(name, &n);
    if (n != m->length || (n && memcmp(data, m->data, (size_t)n) != 0))
        fail_msg("bufferSize %d step %d: the file (%d bytes) differs from the model (%lld bytes) after Flush", bs, step,
                 n, (long long)m->length);
    free(data);
}

/* sharpipc's own: random reads, writes, seeks and flushes checked against a model */
static void random_operations_against_a_model(void **state)
{
    (void)state;
    static const int32_t sizes[] = {0, 1, 2, 3, 7, 16, 100, 4096, -1};
    uint8_t wbuf[700], rbuf[700];
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int32_t bs = sizes[s];
        rng_state = 12345u + (uint32_t)s;
        char name[128];
        sp_temp_name(name, "model");
        FileStream *fs =
            FileStream_new_ex(name, FileMode_Create, FileAccess_ReadWrite, FileShare_ReadWrite, bs, FileOptions_None);
        assert_non_null(fs);
        model m = {0};
        for (int step = 0; step < 1500; step++) {
            uint32_t op = rng() % 100;
            if (op < 30) { /* Write */
                int n = (int)(rng() % 600);
                for (int i = 0; i < n; i++)
                    wbuf[i] = (uint8_t)rng();
                int off = (int)(rng() % 50);
                memmove(wbuf + off, wbuf, (size_t)n);
                if (!Stream_Write(fs, wbuf, off, n))
                    fail_msg("bufferSize %d step %d: Write failed: %s", bs, step,
                             Exception_get_Message(Exception_get_Current()));
                model_write(&m, wbuf + off, n);
            } else if (op < 60) { /* Read */
                int n = (int)(rng() % 600);
                int64_t avail = m.length - m.position;
                int expect = avail <= 0 ? 0 : (avail < n ? (int)avail : n);
                /* A file read may return fewer bytes; loop like ReadExactly up to what the model has. */
                int got = 0;
                while (got < expect) {
                    int r = Stream_Read(fs, rbuf, got, n - got);
                    if (r <= 0)
                        fail_msg("bufferSize %d step %d: Read returned %d after %d of %d", bs, step, r, got, expect);
                    got += r;
                }
                if (expect < n) {
                    int r = Stream_Read(fs, rbuf, got, n - got);
                    if (r != 0)
                        fail_msg("bufferSize %d step %d: Read past the end returned %d", bs, step, r);
                }
                if (expect && memcmp(rbuf, m.data + m.position, (size_t)expect) != 0)
                    fail_msg("bufferSize %d step %d: Read data differs at position %lld", bs, step,
                             (long long)m.position);
                m.position += expect;
            } else if (op < 75) { /* Seek */
                int64_t target = (int64_t)(rng() % (uint32_t)(m.length + 100));
                SeekOrigin origin = (SeekOrigin)(rng() % 3);
                int64_t offset = origin == SeekOrigin_Begin     ? target
                                 : origin == SeekOrigin_Current ? target - m.position
                                                                : target - m.length;
                int64_t r = Stream_Seek(fs, offset, origin);
                if (r != target)
                    fail_msg("bufferSize %d step %d: Seek(%lld, %d) = %lld, expected %lld", bs, step, (long long)offset,
                             (int)origin, (long long)r, (long long)target);
                m.position = target;
            } else if (op < 80) { /* Position setter */
                int64_t target = (int64_t)(rng() % (uint32_t)(m.length + 20));
                assert_true(Stream_set_Position(fs, target));
                m.position = target;
            } else if (op < 84) { /* SetLength */
                int64_t len = (int64_t)(rng() % (uint32_t)(m.length + 200));
                if (!Stream_SetLength(fs, len))
                    fail_msg("bufferSize %d step %d: SetLength failed: %s", bs, step,
                             Exception_get_Message(Exception_get_Current()));
                model_set_length(&m, len);
            } else if (op < 88) { /* Flush, then the file on disk equals the model */
                if (rng() % 2)
                    assert_true(Stream_Flush(fs));
                else
                    assert_true(FileStream_Flush(fs, true));
                check_disk(name, &m, step, bs);
            } else if (op < 93) { /* ReadByte */
                int v = Stream_ReadByte(fs);
                int expect = m.position < m.length ? m.data[m.position] : -1;
                if (v != expect)
                    fail_msg("bufferSize %d step %d: ReadByte %d, expected %d", bs, step, v, expect);
                if (expect >= 0)
                    m.position++;
                EXPECT_NO_EXC();
            } else { /* WriteByte */
                uint8_t v = (uint8_t)rng();
                assert_true(Stream_WriteByte(fs, v));
                model_write(&m, &v, 1);
            }
            int64_t pos = Stream_get_Position(fs), len = Stream_get_Length(fs);
            if (pos != m.position || len != m.length)
                fail_msg("bufferSize %d step %d (op %u): Position %lld Length %lld, model %lld %lld", bs, step, op,
                         (long long)pos, (long long)len, (long long)m.position, (long long)m.length);
        }
        assert_true(Dispose(fs));
        check_disk(name, &m, -1, bs);
        free(m.data);
        File_Delete(name);
    }
}

/* sharpipc's own: chunks smaller, equal and bigger than the buffer */
static void large_writes_and_reads_across_the_buffer(void **state)
{
    (void)state;
    enum { N = 100000 };
    uint8_t *data = malloc(N), *back = malloc(N);
    for (int i = 0; i < N; i++)
        data[i] = (uint8_t)(i * 7 + (i >> 10));
    static const int32_t sizes[] = {0, 1, 4096, 10000, 65536};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        char name[128];
        sp_temp_name(name, "large");
        FileStream *fs =
            FileStream_new_ex(name, FileMode_Create, FileAccess_ReadWrite, FileShare_None, sizes[s], FileOptions_None);
        /* Chunks smaller, equal and bigger than the buffer. */
        int off = 0;
        static const int chunks[] = {1, 100, 4095, 4096, 4097, 30000};
        for (int c = 0; off < N; c = (c + 1) % 6) {
            int n = chunks[c] < N - off ? chunks[c] : N - off;
            assert_true(Stream_Write(fs, data, off, n));
            off += n;
        }
        ASSERT_I64(Stream_get_Length(fs), N);
        Stream_set_Position(fs, 0);
        off = 0;
        for (int c = 0; off < N; c = (c + 1) % 6) {
            int n = chunks[(c + 3) % 6] < N - off ? chunks[(c + 3) % 6] : N - off;
            int r = Stream_Read(fs, back, off, n);
            assert_true(r > 0);
            off += r;
        }
        ASSERT_BYTES(back, N, data, N);
        Dispose(fs);
        File_Delete(name);
    }
    free(data);
    free(back);
}

/* ------------------------------------------------------------------ options, CopyTo, File */

/* sharpipc's own: FileOptions.DeleteOnClose (cf. DeleteOnClose.cs) */
static void delete_on_close(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "doc");
    FileStream *fs =
        FileStream_new_ex(name, FileMode_Create, FileAccess_ReadWrite, FileShare_None, -1, FileOptions_DeleteOnClose);
    assert_non_null(fs);
    assert_true(Stream_Write(fs, "temp", 0, 4));
    Stream_set_Position(fs, 0);
    uint8_t b[4];
    assert_int_equal(Stream_Read(fs, b, 0, 4), 4);
    assert_memory_equal(b, "temp", 4);
    Dispose(fs);
    assert_false(File_Exists(name));
}

/* sharpipc's own: Stream.CopyTo between FileStreams and MemoryStreams, and the wrong directions */
static void copy_to_with_files(void **state)
{
    (void)state;
    char a[128], b[128];
    sp_temp_name(a, "cpa");
    sp_temp_name(b, "cpb");
    enum { N = 200000 };
    uint8_t *data = malloc(N);
    for (int i = 0; i < N; i++)
        data[i] = (uint8_t)(i % 251);
    sp_write_file(a, data, N);
    FileStream *src = FileStream_new(a, FileMode_Open, FileAccess_Read);
    FileStream *dst = FileStream_new(b, FileMode_Create, FileAccess_Write);
    Stream_set_Position(src, 1000);
    assert_true(Stream_CopyTo(src, dst));
    ASSERT_I64(Stream_get_Position(src), N);
    ASSERT_I64(Stream_get_Length(dst), N - 1000);
    /* Wrong directions. */
    MemoryStream *ms = MemoryStream_new();
    assert_false(Stream_CopyTo(dst, ms)); /* source not readable */
    EXPECT_EXC_MSG(NotSupportedException, "Stream does not support reading.");
    Stream_set_Position(src, 0);
    assert_false(Stream_CopyTo(ms, src)); /* destination not writable */
    EXPECT_EXC_MSG(NotSupportedException, "Stream does not support writing.");
    /* File to memory with a small buffer. */
    assert_true(Stream_CopyTo(src, ms, 333));
    ASSERT_MS(ms, data, N);
    Dispose(ms);
    Dispose(dst);
    Dispose(src);
    int32_t n;
    uint8_t *copy = sp_read_file(b, &n);
    ASSERT_BYTES(copy, n, data + 1000, N - 1000);
    free(copy);
    free(data);
    File_Delete(a);
    File_Delete(b);
}

/* sharpipc's own: File.Exists and File.Delete */
static void file_exists_and_delete(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "exist");
    assert_false(File_Exists(name));
    EXPECT_NO_EXC();
    assert_true(File_Delete(name)); /* a missing file is not an error */
    EXPECT_NO_EXC();
    sp_write_file(name, "", 0);
    assert_true(File_Exists(name));
    assert_true(File_Delete(name));
    assert_false(File_Exists(name));
    assert_false(File_Exists("."));
    assert_false(File_Exists(""));
    assert_false(File_Exists(NULL));
    EXPECT_NO_EXC();
    assert_false(File_Delete(""));
    EXPECT_EXC(ArgumentException);
    EXPECT_PARAM("path");
}

/* File.Delete throws DirectoryNotFoundException when the directory is missing (Windows and, to
 * match it, Unix). */
/* sharpipc's own: File.Delete in a missing directory is DirectoryNotFoundException */
static void file_delete_in_missing_directory(void **state)
{
    (void)state;
    char name[300], msg[1400];
    snprintf(name, sizeof name, "sp_nodir_%d" SP_SEP "f.tmp", sp_getpid());
    FULL(full, name);
    assert_false(File_Delete(name));
    snprintf(msg, sizeof msg, "Could not find a part of the path '%s'.", full);
    EXPECT_EXC_MSG(DirectoryNotFoundException, msg);
}

/* sharpipc's own: StreamWriter and StreamReader opened from a path */
static void stream_writer_and_reader_from_path(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "swpath");
    StreamWriter *w = StreamWriter_newFromPath(name, false, NULL, -1);
    assert_non_null(w);
    StreamWriter_set_NewLine(w, "\n");
    assert_true(StreamWriter_WriteLine(w, "first"));
    Dispose(w);
    w = StreamWriter_newFromPath(name, true, NULL, -1); /* append */
    StreamWriter_set_NewLine(w, "\n");
    assert_true(StreamWriter_WriteLine(w, "second"));
    Dispose(w);
    StreamReader *r = StreamReader_newFromPath(name, NULL, true);
    assert_non_null(r);
    char *all = StreamReader_ReadToEnd(r);
    assert_string_equal(all, "first\nsecond\n");
    String_Free(all);
    Dispose(r);
    w = StreamWriter_newFromPath(name, false, NULL, -1); /* overwrite */
    assert_true(StreamWriter_Write(w, "x"));
    Dispose(w);
    int32_t n;
    uint8_t *data = sp_read_file(name, &n);
    ASSERT_BYTES(data, n, "x", 1);
    free(data);
    File_Delete(name);
}

#ifndef _WIN32
#  include <fcntl.h>
#  include <signal.h>
#  include <sys/stat.h>
#  include <unistd.h>

/* sharpipc's own: a FileStream writing to a FIFO whose reader has gone. write(2) raises SIGPIPE
 * there, whose default action kills the process; .NET ignores SIGPIPE process-wide and reports
 * EPIPE as an IOException. No sharpipc call may raise SIGPIPE, and the thread's signal mask must
 * come back as it was. */
static void FileStream_Write_FifoWithoutReader_IOExceptionNotSigpipe(void **state)
{
    (void)state;
    char buf[128];
    const char *path = sp_temp_name(buf, "fifo");
    assert_int_equal(mkfifo(path, 0600), 0);
    int reader = open(path, O_RDONLY | O_NONBLOCK);
    assert_true(reader >= 0);
    FileStream *fs = FileStream_new_ex(path, FileMode_Open, FileAccess_Write, FileShare_ReadWrite, 0, FileOptions_None);
    assert_non_null(fs);
    close(reader);
    sigset_t before, after;
    pthread_sigmask(SIG_SETMASK, NULL, &before);
    assert_false(Stream_Write(fs, "lost", 0, 4));
    EXPECT_EXC(IOException);
    assert_int_equal(Exception_get_NativeErrorCode(Exception_get_Current()), EPIPE);
    pthread_sigmask(SIG_SETMASK, NULL, &after);
    assert_int_equal(sigismember(&before, SIGPIPE), sigismember(&after, SIGPIPE));
    sigset_t pending;
    sigpending(&pending);
    assert_false(sigismember(&pending, SIGPIPE)); /* swallowed, not left for later */
    Dispose(fs);
    unlink(path);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
#ifndef _WIN32
        cmocka_unit_test(FileStream_Write_FifoWithoutReader_IOExceptionNotSigpipe),
#endif
        cmocka_unit_test(FileStream_ctor_str_fm_fa_InvalidFileModeAccessReadThrows),
        cmocka_unit_test(default_access_of_two_argument_ctor),
        cmocka_unit_test(FileStream_ctor_str_fm_InvalidModeThrows),
        cmocka_unit_test(FileStream_ctor_str_fm_MissingDirectory_ThrowsDirectoryNotFound),
        cmocka_unit_test(FileStream_ctor_str_fm_MissingFile_ThrowsFileNotFound),
        cmocka_unit_test(FileStream_ctor_str_fm_FileModeCreateNewExistingThrows),
        cmocka_unit_test(FileStream_ctor_str_fm_DirectoryThrows),
        cmocka_unit_test(name_is_the_full_path),
        cmocka_unit_test(name_is_normalised),
        cmocka_unit_test(FileStream_Seek_SeekAppendModifyThrows),
        cmocka_unit_test(FileStream_ctor_str_fm_FileModeAppend),
        cmocka_unit_test(seek_and_position_rules),
        cmocka_unit_test(FileStream_Seek_SeekNegativePositionThrowsWithClearMessage),
        cmocka_unit_test(seek_with_offsets_near_the_int64_limits),
        cmocka_unit_test(seek_invalid_origin_names_origin),
        cmocka_unit_test(length_and_set_length),
        cmocka_unit_test(wrong_access_is_not_supported),
        cmocka_unit_test(closed_file_stream),
        cmocka_unit_test(closed_file_stream_messages),
        cmocka_unit_test(share_none_blocks_a_second_open),
        cmocka_unit_test(share_violation_hresult),
#ifndef _WIN32
        cmocka_unit_test(posix_only_share_none_takes_the_exclusive_lock),
#endif
        cmocka_unit_test(flush_makes_data_visible),
        cmocka_unit_test(interleaved_read_write),
        cmocka_unit_test(random_operations_against_a_model),
        cmocka_unit_test(large_writes_and_reads_across_the_buffer),
        cmocka_unit_test(delete_on_close),
        cmocka_unit_test(copy_to_with_files),
        cmocka_unit_test(file_exists_and_delete),
        cmocka_unit_test(file_delete_in_missing_directory),
        cmocka_unit_test(stream_writer_and_reader_from_path),
    };
    return cmocka_run_group_tests(tests, NULL, sp_remove_temp_files);
}
