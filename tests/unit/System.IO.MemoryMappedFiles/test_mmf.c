/*
 * MemoryMappedFile, MemoryMappedViewStream and MemoryMappedViewAccessor: the behaviours of
 * dotnet/runtime's System.IO.MemoryMappedFiles.Tests (DOTNET_COMPAT.md 3 and 7.2), with real
 * child processes for the cross-process cases (this executable re-runs itself as the child; see
 * sp_process.h). Exception types, ParamNames and messages are what .NET 10 gives for the same
 * calls (read off a real .NET 10 on Linux; the Windows-only texts from the runtime's source).
 *
 * Argument checks are collected (CHECK_*): a test lists every deviation it finds, then fails.
 */
#ifdef __linux__
#  define _GNU_SOURCE /* sp_users.h: unshare, pipe2 */
#endif
#include "sp_test.h"
#include "sp_process.h"
#include "sp_users.h"

#ifdef _WIN32
#  include <windows.h>
#else
#  include <fcntl.h>
#  include <sys/file.h>
#  include <sys/mman.h>
#  include <sys/stat.h>
#  include <unistd.h>
#endif

#define CHILD_OK 0
#define SEED_TEXT "Hello, shared memory!"
#define CHILD_TEXT "Hello from the child! 안녕하세요 👋"

/* ------------------------------------------------------------------ helpers */

static char map_name[128]; /* fresh for each test */

static int setup(void **state)
{
    (void)state;
    snprintf(map_name, sizeof map_name, "%s", sp_unique_name("spmmf"));
    Exception_Clear();
    return 0;
}

/* A further name unique to this process, copied out of sp_unique_name's ring. */
static const char *fresh_name(char buf[128])
{
    snprintf(buf, 128, "%s", sp_unique_name("spmmf"));
    return buf;
}

static int64_t page_size(void)
{
#ifdef _WIN32
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return si.dwPageSize;
#else
    return sysconf(_SC_PAGESIZE);
#endif
}

#ifdef _WIN32
static bool running_under_wine(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    return ntdll && GetProcAddress(ntdll, "wine_get_version");
}
#endif

static int64_t file_length(const char *path)
{
    FileStream *fs = FileStream_new_ex(path, FileMode_Open, FileAccess_Read, FileShare_ReadWrite, 0, FileOptions_None);
    if (!fs)
        return -1;
    int64_t n = Stream_get_Length(fs);
    Dispose(fs);
    return n;
}

static void make_file(const char *path, int64_t length)
{
    FileStream *fs = FileStream_new(path, FileMode_Create);
    assert_non_null(fs);
    if (length)
        assert_true(Stream_SetLength(fs, length));
    assert_true(Dispose(fs));
}

/* Collected checks: each records a deviation instead of stopping the test. */
static int check_failures;

static void check_exc_(bool returned_failure, ExceptionType t, bool check_param, const char *param, const char *msg,
                       const char *label, const char *file, int line)
{
    const Exception *e = Exception_get_Current();
    if (!returned_failure) {
        print_error("%s:%d: [%s] expected %s, but the call succeeded\n", file, line, label, sp_exc_name(t));
        check_failures++;
        return;
    }
    if (!e) {
        print_error("%s:%d: [%s] expected %s, but no exception is pending\n", file, line, label, sp_exc_name(t));
        check_failures++;
        return;
    }
    if (Exception_get_Type(e) != t) {
        print_error("%s:%d: [%s] expected %s, got %s: \"%s\"\n", file, line, label, sp_exc_name(t),
                    sp_exc_name(Exception_get_Type(e)), Exception_get_Message(e));
        check_failures++;
        return;
    }
    const char *actual = Exception_get_ParamName(e);
    if (check_param && ((param == NULL) != (actual == NULL) || (param && strcmp(param, actual) != 0))) {
        print_error("%s:%d: [%s] %s ParamName expected %s, got %s\n", file, line, label, sp_exc_name(t),
                    param ? param : "NULL", actual ? actual : "NULL");
        check_failures++;
    }
    if (msg && strcmp(msg, Exception_get_Message(e)) != 0) {
        print_error("%s:%d: [%s] %s message\n  expected \"%s\"\n  actual   \"%s\"\n", file, line, label, sp_exc_name(t),
                    msg, Exception_get_Message(e));
        check_failures++;
    }
}

/* CHECK_T: the call (its result `failed`) raised type T; _P: and this ParamName (NULL: none);
 * _PM: and this Message. */
#define CHECK_T(failed, T, label) check_exc_(failed, ExceptionType_##T, false, NULL, NULL, label, __FILE__, __LINE__)
#define CHECK_P(failed, T, param, label)                                                                               \
  check_exc_(failed, ExceptionType_##T, true, param, NULL, label, __FILE__, __LINE__)
#define CHECK_PM(failed, T, param, msg, label)                                                                         \
  check_exc_(failed, ExceptionType_##T, true, param, msg, label, __FILE__, __LINE__)
#define CHECK(cond, label)                                                                                             \
  do {                                                                                                                 \
    if (!(cond)) {                                                                                                     \
      print_error("%s:%d: [%s] %s is false\n", __FILE__, __LINE__, label, #cond);                                      \
      check_failures++;                                                                                                \
    }                                                                                                                  \
  } while (0)
#define END_CHECKS()                                                                                                   \
  do {                                                                                                                 \
    int n_ = check_failures;                                                                                           \
    check_failures = 0;                                                                                                \
    if (n_)                                                                                                            \
      print_error("%d deviation(s) from .NET, listed above\n", n_);                                                    \
    assert_int_equal(n_, 0);                                                                                           \
  } while (0)

/* .NET 10's texts for ArgumentOutOfRangeException.ThrowIfNegative / ThrowIfNegativeOrZero and an
 * ArgumentOutOfRangeException(paramName) without a message. */
static const char *msg_nonneg(const char *param, long long value)
{
    static char buf[4][256];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, 256, "%s ('%lld') must be a non-negative value. (Parameter '%s')\nActual value was %lld.", param, value,
             param, value);
    return b;
}

static const char *msg_positive(const char *param, long long value)
{
    static char buf[4][256];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, 256, "%s ('%lld') must be a non-negative and non-zero value. (Parameter '%s')\nActual value was %lld.",
             param, value, param, value);
    return b;
}

static const char *msg_range(const char *param)
{
    static char buf[4][160];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, 160, "Specified argument was out of the range of valid values. (Parameter '%s')", param);
    return b;
}

#define MSG_EMPTY_NAME "Map name cannot be an empty string."
#define MSG_EMPTY_STRING_MAPNAME "The value cannot be an empty string. (Parameter 'mapName')"
#define MSG_WRITE_ACCESS                                                                                               \
  "MemoryMappedFileAccess.Write is not permitted when creating new memory mapped files. Use "                          \
  "MemoryMappedFileAccess.ReadWrite instead. (Parameter 'access')"
#define MSG_EMPTY_FILE "A positive capacity must be specified for a Memory Mapped File backed by an empty file."
#define MSG_READ_LARGE                                                                                                 \
  "When specifying MemoryMappedFileAccess.Read access, the capacity must not be larger than the file size."
#define MSG_CAP_SMALL "The capacity may not be smaller than the file size. (Parameter 'capacity')"
#define MSG_CAP_NEG                                                                                                    \
  "The capacity must be greater than or equal to 0. 0 represents the size of the file being mapped. (Parameter "       \
  "'capacity')"
#define MSG_SIZE_NEG                                                                                                   \
  "The size must be greater than or equal to 0. If 0 is specified, the view extends from the specified offset "        \
  "to the end of the file mapping. (Parameter 'size')"
#define MSG_POS_CAP "The position may not be greater or equal to the capacity of the accessor. (Parameter 'position')"
#define MSG_NOT_ENOUGH_READ                                                                                            \
  "There are not enough bytes remaining in the accessor to read at this position. (Parameter 'position')"
#define MSG_NOT_ENOUGH_WRITE                                                                                           \
  "There are not enough bytes remaining in the accessor to write at this position. (Parameter 'position')"
#define MSG_STREAM_CLOSED "Cannot access a closed Stream."
#define MSG_EXPAND "Unable to expand length of this stream beyond its capacity."
#ifdef _WIN32
#  define MSG_VIEW_DENIED "Access to the path is denied."
#else
#  define MSG_VIEW_DENIED "Attempted to perform an unauthorized operation."
#endif

/* ------------------------------------------------------------------ sample maps */

/* MemoryMappedFilesTestBase.CreateSampleMaps: an anonymous map, a new file's map, a named map (a
 * .NET name on Windows, sharpipc's POSIX named map elsewhere) and, on Windows, a named file map. */
typedef struct {
    MemoryMappedFile *m[4];
    const char *what[4];
    int n;
} sample_maps;

static void create_sample_maps(sample_maps *s, int64_t capacity, MemoryMappedFileAccess access)
{
    char path[128], name[128];
    s->n = 0;
    s->what[s->n] = "CreateNew(null)";
    s->m[s->n++] = MemoryMappedFile_CreateNew(NULL, capacity, access);
    s->what[s->n] = "CreateFromFile(CreateNew)";
    s->m[s->n++] =
        MemoryMappedFile_CreateFromFile(sp_temp_name(path, "mmfs"), FileMode_CreateNew, NULL, capacity, access);
    s->what[s->n] = "CreateNew(name)";
    s->m[s->n++] = MemoryMappedFile_CreateNew(fresh_name(name), capacity, access);
#ifdef _WIN32
    s->what[s->n] = "CreateFromFile(CreateNew, name)";
    s->m[s->n++] = MemoryMappedFile_CreateFromFile(sp_temp_name(path, "mmfs"), FileMode_CreateNew, fresh_name(name),
                                                   capacity, access);
#endif
    for (int i = 0; i < s->n; i++) {
        if (!s->m[i])
            print_error("sample map %s failed: %s\n", s->what[i],
                        Exception_get_Current() ? Exception_get_Message(Exception_get_Current()) : "?");
        assert_non_null(s->m[i]);
    }
}

static void dispose_sample_maps(sample_maps *s)
{
    for (int i = 0; i < s->n; i++)
        assert_true(Dispose(s->m[i]));
    s->n = 0;
}

/* ------------------------------------------------------------------ child roles */

/* The seed's reader: opens the map by name, reads the parent's string, answers. */
static int role_open_and_write(int argc, char **argv)
{
    (void)argc;
    MemoryMappedFile *mmf = MemoryMappedFile_OpenExisting(argv[0]);
    if (!mmf)
        return 10;
    MemoryMappedViewStream *stream = MemoryMappedFile_CreateViewStream(mmf);
    BinaryReader *reader = BinaryReader_new(stream, NULL, true);
    char *text = BinaryReader_ReadString(reader);
    if (!text || strcmp(text, SEED_TEXT) != 0)
        return 11;
    String_Free(text);
    Dispose(reader);
    /* the answer: a string at 5000 through the stream, values through an accessor */
    if (!Stream_set_Position(stream, 5000))
        return 12;
    BinaryWriter *writer = BinaryWriter_new(stream);
    BinaryWriter_Write(writer, CHILD_TEXT);
    Dispose(writer); /* closes the stream */
    Dispose(stream); /* and releases this reference to it */
    MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(mmf, 9000, 1000);
    MemoryMappedViewAccessor_WriteInt32(acc, 0, 0x12345678);
    MemoryMappedViewAccessor_WriteDouble(acc, 4, -0.0);
    MemoryMappedViewAccessor_WriteDecimal(acc, 12, Decimal_new(12345, 0, 0, true, 3));
    Dispose(acc);
    Dispose(mmf);
    return Exception_get_Current() ? 13 : CHILD_OK;
}

/* Creates a named map, marks it ready and waits to be killed. */
static int role_hold_named(int argc, char **argv)
{
    (void)argc;
    MemoryMappedFile *mmf = MemoryMappedFile_CreateNew(argv[0], 4096);
    if (!mmf)
        return 20;
    MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(mmf);
    MemoryMappedViewAccessor_WriteInt32(acc, 4, 4242);
    MemoryMappedViewAccessor_WriteByte(acc, 0, 1); /* ready */
    MemoryMappedViewAccessor_Flush(acc);
    sp_sleep_ms(60000);
    return 21;
}

/* An inherited anonymous map: checks the parent's pattern, writes its own. */
/* Creates the named map argv[0] and ends without Dispose (a service that exits or crashes). */
static int role_create_and_exit(int argc, char **argv)
{
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(argv[0], 4096);
    if (!m)
        return 60;
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m);
    if (!a || !MemoryMappedViewAccessor_WriteInt32(a, 0, 4242))
        return 61;
    fflush(NULL);
    _Exit(CHILD_OK); /* no Dispose, no clean-up (nor a leak report): the process just ends */
}

static int role_inherited(int argc, char **argv)
{
    if (argc < 2)
        return 30;
    int64_t capacity = atoll(argv[1]);
    MemoryMappedFile *mmf = MemoryMappedFile_OpenFromHandleString(argv[0], capacity, MemoryMappedFileAccess_ReadWrite);
    if (!mmf)
        return 31;
    MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(mmf);
    if (!acc || MemoryMappedViewAccessor_get_Capacity(acc) < capacity)
        return 32;
    for (int64_t i = 0; i < capacity; i++)
        if (MemoryMappedViewAccessor_ReadByte(acc, i) != (uint8_t)(i * 7))
            return 33;
    for (int64_t i = 0; i < capacity; i++)
        MemoryMappedViewAccessor_WriteByte(acc, i, (uint8_t)(i * 13 + 1));
    Dispose(acc);
    Dispose(mmf);
    return Exception_get_Current() ? 34 : CHILD_OK;
}

/* CrossProcess.cs DataShared_OtherProcess. */
static int role_file_other_process(int argc, char **argv)
{
    (void)argc;
    FileStream *fs =
        FileStream_new_ex(argv[0], FileMode_Open, FileAccess_ReadWrite, FileShare_ReadWrite, 4096, FileOptions_None);
    if (!fs)
        return 40;
    MemoryMappedFile *mmf = MemoryMappedFile_CreateFromFile(
        fs, NULL, Stream_get_Length(fs), MemoryMappedFileAccess_ReadWrite, HandleInheritability_None, true);
    if (!mmf)
        return 41;
    MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(mmf);
    int64_t capacity = MemoryMappedViewAccessor_get_Capacity(acc);
    for (int64_t i = 0; i < capacity; i++)
        if (MemoryMappedViewAccessor_ReadByte(acc, i) != (uint8_t)i)
            return 42;
    for (int64_t i = 0; i < capacity; i++)
        MemoryMappedViewAccessor_WriteByte(acc, i, (uint8_t)(capacity - i - 1));
    if (!MemoryMappedViewAccessor_Flush(acc))
        return 43;
    Dispose(acc);
    Dispose(mmf);
    Dispose(fs);
    return Exception_get_Current() ? 44 : CHILD_OK;
}

/* A view stream at Position long.MaxValue: .NET's UnmanagedMemoryStream sees position + count
 * overflow and throws IOException("Stream was too long."). In a child, because a wrong answer
 * here is a wild write. */
static int role_write_at_max_position(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    MemoryMappedFile *mmf = MemoryMappedFile_CreateNew(NULL, 4096);
    MemoryMappedViewStream *s = MemoryMappedFile_CreateViewStream(mmf);
    if (!s || !Stream_set_Position(s, INT64_MAX))
        return 50;
    if (Stream_WriteByte(s, 1))
        return 51;
    const Exception *e = Exception_get_Current();
    if (!e || Exception_get_Type(e) != ExceptionType_IOException ||
        strcmp(Exception_get_Message(e), "Stream was too long."))
        return 52;
    uint8_t b[8] = {0};
    if (!Stream_set_Position(s, INT64_MAX - 3) || Stream_Write(s, b, 0, 8))
        return 53;
    e = Exception_get_Current();
    if (!e || Exception_get_Type(e) != ExceptionType_IOException)
        return 54;
    Dispose(s);
    Dispose(mmf);
    return CHILD_OK;
}

/* ------------------------------------------------------------------ factories: arguments */

/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateNew.Tests.cs: InvalidArguments_MapName;
   also InvalidArguments_Capacity, InvalidArguments_Access, InvalidArguments_WriteAccess, InvalidArguments_Options,
   InvalidArguments_Inheritability (each [Theory] a table of .NET's inputs), and the same checks with a name */
static void MemoryMappedFileTests_CreateNew_InvalidArguments_MapName(void **state)
{
    (void)state;
    CHECK_PM(!MemoryMappedFile_CreateNew("", 4096), ArgumentException, NULL, MSG_EMPTY_NAME, "name \"\"");
    /* InvalidArguments_Capacity's rows */
    static const struct {
        int64_t capacity;
        const char *label;
    } capacities[] = {{0, "capacity 0"}, {-100, "capacity -100"}};
    for (size_t i = 0; i < sizeof capacities / sizeof capacities[0]; i++)
        CHECK_PM(!MemoryMappedFile_CreateNew(NULL, capacities[i].capacity), ArgumentOutOfRangeException, "capacity",
                 msg_positive("capacity", capacities[i].capacity), capacities[i].label);
    /* the rows of InvalidArguments_Access, InvalidArguments_Options and InvalidArguments_Inheritability */
    int bad[] = {42, -2};
    for (int i = 0; i < 2; i++) {
        CHECK_PM(!MemoryMappedFile_CreateNew(NULL, 4096, (MemoryMappedFileAccess)bad[i]), ArgumentOutOfRangeException,
                 "access", msg_range("access"), "access");
        CHECK_PM(!MemoryMappedFile_CreateNew(NULL, 4096, MemoryMappedFileAccess_ReadWrite,
                                             (MemoryMappedFileOptions)bad[i], HandleInheritability_None),
                 ArgumentOutOfRangeException, "options", msg_range("options"), "options");
        CHECK_PM(!MemoryMappedFile_CreateNew(NULL, 4096, MemoryMappedFileAccess_ReadWrite, MemoryMappedFileOptions_None,
                                             (HandleInheritability)bad[i]),
                 ArgumentOutOfRangeException, "inheritability", msg_range("inheritability"), "inheritability");
    }
    CHECK_PM(!MemoryMappedFile_CreateNew(NULL, 4096, MemoryMappedFileAccess_Write), ArgumentException, "access",
             MSG_WRITE_ACCESS, "access Write");
    /* the same checks with a name, which are made before the name is looked at */
    CHECK_P(!MemoryMappedFile_CreateNew(map_name, 0), ArgumentOutOfRangeException, "capacity", "named, capacity 0");
    CHECK_P(!MemoryMappedFile_CreateNew(map_name, 4096, MemoryMappedFileAccess_Write), ArgumentException, "access",
            "named, Write");
    END_CHECKS();
}

/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateOrOpen.Tests.cs: InvalidArguments_MapName;
   also InvalidArguments_Capacity, InvalidArgument_Access, InvalidArgument_Options, InvalidArgument_Inheritability
   (tables of .NET's inputs, and -2), and the refused half of OpenWrite (Write when no map exists) */
static void MemoryMappedFileTests_CreateOrOpen_InvalidArguments_MapName(void **state)
{
    (void)state;
    CHECK_PM(!MemoryMappedFile_CreateOrOpen(NULL, 4096), ArgumentNullException, "mapName",
             "Value cannot be null. (Parameter 'mapName')", "null name");
    CHECK_PM(!MemoryMappedFile_CreateOrOpen("", 4096), ArgumentException, "mapName", MSG_EMPTY_STRING_MAPNAME,
             "name \"\"");
    /* InvalidArguments_Capacity's rows */
    static const struct {
        int64_t capacity;
        const char *label;
    } capacities[] = {{0, "capacity 0"}, {-1, "capacity -1"}};
    for (size_t i = 0; i < sizeof capacities / sizeof capacities[0]; i++)
        CHECK_PM(!MemoryMappedFile_CreateOrOpen(map_name, capacities[i].capacity), ArgumentOutOfRangeException,
                 "capacity", msg_positive("capacity", capacities[i].capacity), capacities[i].label);
    /* the rows of InvalidArgument_Access, InvalidArgument_Options and InvalidArgument_Inheritability (-1, 42), and -2 */
    int bad[] = {-1, 42, -2};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_PM(!MemoryMappedFile_CreateOrOpen(map_name, 4096, (MemoryMappedFileAccess)bad[i]),
                 ArgumentOutOfRangeException, "access", msg_range("access"), "access");
        CHECK_PM(!MemoryMappedFile_CreateOrOpen(map_name, 4096, MemoryMappedFileAccess_ReadWrite,
                                                (MemoryMappedFileOptions)bad[i], HandleInheritability_None),
                 ArgumentOutOfRangeException, "options", msg_range("options"), "options");
        CHECK_PM(!MemoryMappedFile_CreateOrOpen(map_name, 4096, MemoryMappedFileAccess_ReadWrite,
                                                MemoryMappedFileOptions_None, (HandleInheritability)bad[i]),
                 ArgumentOutOfRangeException, "inheritability", msg_range("inheritability"), "inheritability");
    }
    /* Write only opens; with no such map .NET says the access was wrong */
    CHECK_PM(!MemoryMappedFile_CreateOrOpen(map_name, 4096, MemoryMappedFileAccess_Write), ArgumentException, "access",
             MSG_WRITE_ACCESS, "Write, no map");
    END_CHECKS();
}

/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.OpenExisting.Tests.cs: InvalidArguments_Name;
   also InvalidArguments_Inheritability (a table of .NET's inputs), InvalidArguments_Rights and
   InvalidArguments_Name_NonExistent (on every platform: sharpipc names maps on POSIX too) */
static void MemoryMappedFileTests_OpenExisting_InvalidArguments_Name(void **state)
{
    (void)state;
    CHECK_PM(!MemoryMappedFile_OpenExisting(NULL), ArgumentNullException, "mapName",
             "Value cannot be null. (Parameter 'mapName')", "null name");
    CHECK_PM(!MemoryMappedFile_OpenExisting(""), ArgumentException, "mapName", MSG_EMPTY_STRING_MAPNAME, "name \"\"");
    int bad[] = {-1, 42};
    for (int i = 0; i < 2; i++)
        CHECK_PM(
            !MemoryMappedFile_OpenExisting(map_name, MemoryMappedFileRights_ReadWrite, (HandleInheritability)bad[i]),
            ArgumentOutOfRangeException, "inheritability", msg_range("inheritability"), "inheritability");
    CHECK_PM(!MemoryMappedFile_OpenExisting(map_name, (MemoryMappedFileRights)0x800000), ArgumentOutOfRangeException,
             "desiredAccessRights", msg_range("desiredAccessRights"), "rights 0x800000");
    /* a missing name (Windows: .NET's own; POSIX: sharpipc's named maps, documented) */
    CHECK_PM(!MemoryMappedFile_OpenExisting(map_name), FileNotFoundException, NULL,
             "Unable to find the specified file.", "missing name");
    END_CHECKS();
}

/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateFromFile.Tests.cs: InvalidArguments_Path;
   also InvalidArguments_Mode, InvalidArguments_Mode_Truncate, the path rows of InvalidArguments_Access, InvalidArguments_Capacity
   and InvalidArguments_MapName, FileDoesNotExist_OpenFileMode, FileAlreadyExists,
   FileInUse_CreateFromFile_FailsWithExistingNoShareFile and MapNamesNotSupported_Unix (one name) */
static void MemoryMappedFileTests_CreateFromFile_InvalidArguments_Path(void **state)
{
    (void)state;
    char path[128], fresh[128];
    sp_temp_name(path, "mmfa");
    make_file(path, 4096);

    CHECK_PM(!MemoryMappedFile_CreateFromFile((const char *)NULL), ArgumentNullException, "path",
             "Value cannot be null. (Parameter 'path')", "null path");
    CHECK_PM(!MemoryMappedFile_CreateFromFile(path, (FileMode)42), ArgumentOutOfRangeException, "mode",
             "Enum value was out of legal range. (Parameter 'mode')", "mode 42");
    CHECK_PM(!MemoryMappedFile_CreateFromFile(path, FileMode_Append), ArgumentException, "mode",
             "FileMode.Append is not permitted when creating new memory mapped files. Instead, use "
             "MemoryMappedFileView to ensure write-only access within a specified region. (Parameter 'mode')",
             "Append");
    CHECK_PM(!MemoryMappedFile_CreateFromFile(path, FileMode_Truncate), ArgumentException, "mode",
             "FileMode.Truncate is not permitted when creating new memory mapped files. (Parameter 'mode')",
             "Truncate");
    CHECK_PM(!MemoryMappedFile_CreateFromFile(path, FileMode_Open, NULL, -1), ArgumentOutOfRangeException, "capacity",
             MSG_CAP_NEG, "capacity -1");
    int bad[] = {42, -2};
    for (int i = 0; i < 2; i++)
        CHECK_PM(!MemoryMappedFile_CreateFromFile(path, FileMode_Open, NULL, 0, (MemoryMappedFileAccess)bad[i]),
                 ArgumentOutOfRangeException, "access", msg_range("access"), "access");
    CHECK_PM(!MemoryMappedFile_CreateFromFile(path, FileMode_Open, NULL, 0, MemoryMappedFileAccess_Write),
             ArgumentException, "access", MSG_WRITE_ACCESS, "access Write");
    CHECK_PM(!MemoryMappedFile_CreateFromFile(path, FileMode_Open, ""), ArgumentException, NULL, MSG_EMPTY_NAME,
             "map name \"\"");

    /* a new file with the default capacity is empty: refused, and the file this call created is gone */
    FileMode creating[] = {FileMode_CreateNew, FileMode_Create, FileMode_OpenOrCreate};
    for (int i = 0; i < 3; i++) {
        sp_temp_name(fresh, "mmfa");
        CHECK_PM(!MemoryMappedFile_CreateFromFile(fresh, creating[i]), ArgumentException, NULL, MSG_EMPTY_FILE,
                 "new file, default capacity");
        CHECK(!File_Exists(fresh), "the file the failed call created is deleted");
    }
    /* a missing file; CreateNew over an existing one */
    char full[1024];
    sp_temp_name(fresh, "mmfa");
    sp_full_path(full, fresh);
    char text[1200];
    snprintf(text, sizeof text, "Could not find file '%s'.", full);
    CHECK_PM(!MemoryMappedFile_CreateFromFile(fresh), FileNotFoundException, NULL, text, "missing file");
    sp_full_path(full, path);
    snprintf(text, sizeof text, "The file '%s' already exists.", full);
    CHECK_PM(!MemoryMappedFile_CreateFromFile(path, FileMode_CreateNew, NULL, 4096), IOException, NULL, text,
             "CreateNew over a file");
    CHECK(file_length(path) == 4096, "the existing file is untouched");

    /* a file another stream holds with FileShare.None */
    FileStream *holder =
        FileStream_new_ex(path, FileMode_Open, FileAccess_ReadWrite, FileShare_None, 4096, FileOptions_None);
    assert_non_null(holder);
    CHECK_T(!MemoryMappedFile_CreateFromFile(path), IOException, "file held with FileShare.None");
    Dispose(holder);

    /* a map name: Windows maps it; .NET on Unix refuses, after opening (and so cleaning up) the file */
#ifdef _WIN32
    MemoryMappedFile *named = MemoryMappedFile_CreateFromFile(path, FileMode_Open, map_name);
    CHECK(named != NULL, "a named file map on Windows");
    Dispose(named);
#else
    CHECK_PM(!MemoryMappedFile_CreateFromFile(path, FileMode_Open, "name"), PlatformNotSupportedException, NULL,
             "Named maps are not supported.", "map name");
    sp_temp_name(fresh, "mmfa");
    CHECK_T(!MemoryMappedFile_CreateFromFile(fresh, FileMode_CreateNew, "name", 4096), PlatformNotSupportedException,
            "map name, new file");
    CHECK(!File_Exists(fresh), "the file of a refused map name is deleted");
#endif
    CHECK(file_length(path) == 4096, "no failed call changed the file");
    END_CHECKS();
}

/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateFromFile.Tests.cs: InvalidArguments_FileStream;
   also the FileStream rows of InvalidArguments_MapName, InvalidArguments_Capacity and InvalidArguments_Access, and
   InvalidArguments_Inheritability (a table of .NET's inputs) */
static void MemoryMappedFileTests_CreateFromFile_InvalidArguments_FileStream(void **state)
{
    (void)state;
    char path[128], empty[128];
    sp_temp_name(path, "mmfs");
    make_file(path, 4096);
    sp_temp_name(empty, "mmfs");
    make_file(empty, 0);
    CHECK_PM(!MemoryMappedFile_CreateFromFileStream(NULL, NULL, 0, MemoryMappedFileAccess_ReadWrite,
                                                    HandleInheritability_None, false),
             ArgumentNullException, "fileStream", "Value cannot be null. (Parameter 'fileStream')", "null stream");
    FileStream *fs = FileStream_new(path, FileMode_Open);
    assert_non_null(fs);
    CHECK_PM(
        !MemoryMappedFile_CreateFromFile(fs, "", 0, MemoryMappedFileAccess_ReadWrite, HandleInheritability_None, true),
        ArgumentException, NULL, MSG_EMPTY_NAME, "map name \"\"");
    CHECK_PM(!MemoryMappedFile_CreateFromFile(fs, NULL, -1, MemoryMappedFileAccess_ReadWrite, HandleInheritability_None,
                                              true),
             ArgumentOutOfRangeException, "capacity", MSG_CAP_NEG, "capacity -1");
    CHECK_PM(!MemoryMappedFile_CreateFromFile(fs, NULL, 0, (MemoryMappedFileAccess)42, HandleInheritability_None, true),
             ArgumentOutOfRangeException, "access", msg_range("access"), "access 42");
    CHECK_PM(
        !MemoryMappedFile_CreateFromFile(fs, NULL, 0, MemoryMappedFileAccess_Write, HandleInheritability_None, true),
        ArgumentException, "access", MSG_WRITE_ACCESS, "access Write");
    /* InvalidArguments_Inheritability's rows */
    static const int bad_inheritability[] = {-1, 42};
    for (size_t i = 0; i < sizeof bad_inheritability / sizeof bad_inheritability[0]; i++)
        CHECK_PM(!MemoryMappedFile_CreateFromFile(fs, NULL, 0, MemoryMappedFileAccess_ReadWrite,
                                                  (HandleInheritability)bad_inheritability[i], true),
                 ArgumentOutOfRangeException, "inheritability", msg_range("inheritability"), "inheritability");
    CHECK_PM(!MemoryMappedFile_CreateFromFile(fs, NULL, 1, MemoryMappedFileAccess_ReadWrite, HandleInheritability_None,
                                              true),
             ArgumentOutOfRangeException, "capacity", MSG_CAP_SMALL, "capacity < length");
    CHECK_PM(
        !MemoryMappedFile_CreateFromFile(fs, NULL, 8192, MemoryMappedFileAccess_Read, HandleInheritability_None, true),
        ArgumentException, NULL, MSG_READ_LARGE, "Read, capacity > length");
    CHECK(Stream_get_Length(fs) == 4096, "the failed attempts left the file alone");
    CHECK(Stream_get_CanRead(fs), "and its stream open");
    assert_true(Stream_Close(fs));
    CHECK_PM(!MemoryMappedFile_CreateFromFile(fs, NULL, 0, MemoryMappedFileAccess_ReadWrite, HandleInheritability_None,
                                              true),
             ObjectDisposedException, NULL, "Cannot access a closed file.", "closed stream");
    Dispose(fs);
    fs = FileStream_new(empty, FileMode_Open);
    CHECK_PM(!MemoryMappedFile_CreateFromFile(fs, NULL, 0, MemoryMappedFileAccess_ReadWrite, HandleInheritability_None,
                                              true),
             ArgumentException, NULL, MSG_EMPTY_FILE, "empty file");
    /* .NET 10 checks access before the empty file */
    CHECK_P(!MemoryMappedFile_CreateFromFile(fs, NULL, 0, (MemoryMappedFileAccess)42, HandleInheritability_None, true),
            ArgumentOutOfRangeException, "access", "empty file, access 42");
    Dispose(fs);
    END_CHECKS();
}

/* ------------------------------------------------------------------ file capacity rules */

/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateFromFile.Tests.cs: DefaultCapacityIsFileLength (with a path);
   also FileSizeExpandsToCapacity (with a path) and the path rows of InvalidArguments_Capacity (empty file, Read larger than
   the file, capacity smaller than the file) */
static void MemoryMappedFileTests_CreateFromFile_DefaultCapacityIsFileLength(void **state)
{
    (void)state;
    char path[128];
    sp_temp_name(path, "mmfc");
    /* an empty file with the default capacity */
    make_file(path, 0);
    CHECK_PM(!MemoryMappedFile_CreateFromFile(path), ArgumentException, NULL, MSG_EMPTY_FILE, "empty file");
    CHECK(File_Exists(path), "an existing file is never deleted");
    CHECK(file_length(path) == 0, "empty file unchanged");
    /* DefaultCapacityIsFileLength */
    make_file(path, 8192);
    MemoryMappedFile *m = MemoryMappedFile_CreateFromFile(path);
    assert_non_null(m);
    MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(m);
    assert_non_null(acc);
    ASSERT_I64(MemoryMappedViewAccessor_get_Capacity(acc), 8192);
    Dispose(acc);
    Dispose(m);
    /* Read access with capacity > length; capacity < length: neither touches the file */
    make_file(path, 4096);
    CHECK_PM(!MemoryMappedFile_CreateFromFile(path, FileMode_Open, NULL, 8192, MemoryMappedFileAccess_Read),
             ArgumentException, NULL, MSG_READ_LARGE, "Read, capacity > length");
    CHECK_PM(!MemoryMappedFile_CreateFromFile(path, FileMode_Open, NULL, 1), ArgumentOutOfRangeException, "capacity",
             MSG_CAP_SMALL, "capacity 1 < length 4096");
    CHECK(file_length(path) == 4096, "failed attempts leave the length");
    /* FileSizeExpandsToCapacity: 256 -> 512 -> 1024 exactly */
    make_file(path, 256);
    int64_t sizes[] = {512, 1024};
    for (int i = 0; i < 2; i++) {
        m = MemoryMappedFile_CreateFromFile(path, FileMode_Open, NULL, sizes[i]);
        assert_non_null(m);
        Dispose(m);
        ASSERT_I64(file_length(path), sizes[i]);
    }
    /* a capacity equal to the length, and Read access at exactly the length, are fine */
    m = MemoryMappedFile_CreateFromFile(path, FileMode_Open, NULL, 1024, MemoryMappedFileAccess_Read);
    assert_non_null(m);
    acc = MemoryMappedFile_CreateViewAccessor(m, 0, 0, MemoryMappedFileAccess_Read);
    assert_non_null(acc);
    assert_true(MemoryMappedViewAccessor_get_Capacity(acc) >= 1024);
    Dispose(acc);
    Dispose(m);
    /* CreateNew with a capacity makes the file that size; a failure after creating deletes it */
    char fresh[128];
    sp_temp_name(fresh, "mmfc");
    m = MemoryMappedFile_CreateFromFile(fresh, FileMode_CreateNew, NULL, 5000);
    assert_non_null(m);
    Dispose(m);
    ASSERT_I64(file_length(fresh), 5000);
    sp_temp_name(fresh, "mmfc");
    CHECK_T(!MemoryMappedFile_CreateFromFile(fresh, FileMode_CreateNew, NULL, 5000, MemoryMappedFileAccess_Read),
            ArgumentException, "new file, Read, capacity > 0");
    CHECK(!File_Exists(fresh), "deleted after the failure");
    END_CHECKS();
}

/* Growing the file fails: .NET 10 reports an IOException (Unix: the ftruncate error, or the
 * message of FileStream.SetLength's ArgumentOutOfRangeException), the file keeps its length, and
 * a file the call created is deleted. */
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateFromFile.Tests.cs: TooLargeCapacity (with a path, for an existing and a new file,
   and that the files are left as they were) */
static void MemoryMappedFileTests_CreateFromFile_TooLargeCapacity(void **state)
{
    (void)state;
    char path[128], fresh[128];
    sp_temp_name(path, "mmfg");
    make_file(path, 4096);
#ifdef _WIN32
#  define MSG_TOO_LARGE NULL /* CreateFileMapping's error text */
#else
#  define MSG_TOO_LARGE "Specified file length was too large for the file system. (Parameter 'value')"
#endif
    CHECK_PM(!MemoryMappedFile_CreateFromFile(path, FileMode_Open, NULL, INT64_MAX), IOException, NULL, MSG_TOO_LARGE,
             "existing file, capacity INT64_MAX");
    CHECK(file_length(path) == 4096, "the existing file keeps its length");
    sp_temp_name(fresh, "mmfg");
    CHECK_PM(!MemoryMappedFile_CreateFromFile(fresh, FileMode_CreateNew, NULL, INT64_MAX), IOException, NULL,
             MSG_TOO_LARGE, "new file, capacity INT64_MAX");
    CHECK(!File_Exists(fresh), "the new file is deleted");
#undef MSG_TOO_LARGE
    /* a FileStream opened for Read, mapped ReadWrite with a larger capacity: Unix .NET ftruncates
     * the read-only descriptor (EINVAL); Windows' CreateFileMapping refuses the handle */
    FileStream *fs =
        FileStream_new_ex(path, FileMode_Open, FileAccess_Read, FileShare_ReadWrite, 4096, FileOptions_None);
    assert_non_null(fs);
#ifdef _WIN32
    CHECK_T(!MemoryMappedFile_CreateFromFile(fs, NULL, 8192, MemoryMappedFileAccess_ReadWrite,
                                             HandleInheritability_None, true),
            UnauthorizedAccessException, "read-only stream, growing ReadWrite map");
#else
    CHECK_PM(!MemoryMappedFile_CreateFromFile(fs, NULL, 8192, MemoryMappedFileAccess_ReadWrite,
                                              HandleInheritability_None, true),
             IOException, NULL, "Invalid argument", "read-only stream, growing ReadWrite map");
#endif
    Dispose(fs);
    CHECK(file_length(path) == 4096, "the file keeps its length");
    END_CHECKS();
}

/* A read-only file: Read maps; ReadWrite and CopyOnWrite are refused (unless root on POSIX). */
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateFromFile.Tests.cs: WriteToReadOnlyFile_ReadWrite; also WriteToReadOnlyFile_CopyOnWrite */
static void MemoryMappedFileTests_CreateFromFile_WriteToReadOnlyFile_ReadWrite(void **state)
{
    (void)state;
    char path[128];
    sp_temp_name(path, "mmfro");
    make_file(path, 4096);
#ifdef _WIN32
    assert_true(SetFileAttributesA(path, FILE_ATTRIBUTE_READONLY));
    bool privileged = running_under_wine(); /* wine runs as a Unix user that may be root */
#else
    assert_int_equal(chmod(path, 0444), 0);
    bool privileged = geteuid() == 0;
#endif
    MemoryMappedFile *m = MemoryMappedFile_CreateFromFile(path, FileMode_Open, NULL, 0, MemoryMappedFileAccess_Read);
    assert_non_null(m);
    MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(m, 0, 0, MemoryMappedFileAccess_Read);
    assert_non_null(acc);
    assert_int_equal(MemoryMappedViewAccessor_ReadByte(acc, 0), 0);
    Dispose(acc);
    Dispose(m);
    if (!privileged) {
        MemoryMappedFileAccess denied[] = {MemoryMappedFileAccess_ReadWrite, MemoryMappedFileAccess_CopyOnWrite};
        for (int i = 0; i < 2; i++) {
            assert_null(MemoryMappedFile_CreateFromFile(path, FileMode_Open, NULL, 0, denied[i]));
            EXPECT_EXC(UnauthorizedAccessException);
        }
    }
#ifdef _WIN32
    SetFileAttributesA(path, FILE_ATTRIBUTE_NORMAL);
#endif
}

/* FileAccessAndMapAccessCombinations_Invalid: a FileStream opened for Read mapped ReadWrite. POSIX
 * fails at the view, Windows at the map. */
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateFromFile.Tests.cs: FileAccessAndMapAccessCombinations_Invalid_Unix (the (Read, ReadWrite) row);
   also that row of FileAccessAndMapAccessCombinations_Invalid_Windows and the (Read, Read) row of
   FileAccessAndMapAccessCombinations_Valid */
static void MemoryMappedFileTests_CreateFromFile_FileAccessAndMapAccessCombinations_Invalid_Unix(void **state)
{
    (void)state;
    char path[128];
    sp_temp_name(path, "mmfaa");
    make_file(path, 4096);
    FileStream *fs =
        FileStream_new_ex(path, FileMode_Open, FileAccess_Read, FileShare_ReadWrite, 4096, FileOptions_None);
    assert_non_null(fs);
    MemoryMappedFile *m =
        MemoryMappedFile_CreateFromFile(fs, NULL, 0, MemoryMappedFileAccess_ReadWrite, HandleInheritability_None, true);
#ifdef _WIN32
    assert_null(m);
    EXPECT_EXC(UnauthorizedAccessException);
#else
    assert_non_null(m);
    assert_null(MemoryMappedFile_CreateViewAccessor(m));
    EXPECT_EXC_MSG(UnauthorizedAccessException, "Access to the path is denied.");
    assert_null(MemoryMappedFile_CreateViewStream(m));
    EXPECT_EXC(UnauthorizedAccessException);
    Dispose(m);
#endif
    /* a Read map of the same stream works */
    m = MemoryMappedFile_CreateFromFile(fs, NULL, 0, MemoryMappedFileAccess_Read, HandleInheritability_None, true);
    assert_non_null(m);
    MemoryMappedViewStream *s = MemoryMappedFile_CreateViewStream(m, 0, 0, MemoryMappedFileAccess_Read);
    assert_non_null(s);
    assert_int_equal(Stream_ReadByte(s), 0);
    Dispose(s);
    Dispose(m);
    Dispose(fs);
}

/* ------------------------------------------------------------------ views */

/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedViewAccessor.Tests.cs: InvalidArguments; also MemoryMappedViewStream.Tests.cs: InvalidArguments */
static void MemoryMappedViewAccessorTests_InvalidArguments(void **state)
{
    (void)state;
    const int64_t len = 4096;
    sample_maps s;
    create_sample_maps(&s, len, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++) {
        MemoryMappedFile *m = s.m[i];
        const char *w = s.what[i];
        for (int stream = 0; stream < 2; stream++) {
#define VIEW(o, sz, a)                                                                                                 \
  (stream ? (void *)MemoryMappedFile_CreateViewStream(m, o, sz, (MemoryMappedFileAccess)(a))                           \
          : (void *)MemoryMappedFile_CreateViewAccessor(m, o, sz, (MemoryMappedFileAccess)(a)))
            /* every map and view kind for the types and ParamNames, the first for the texts */
            bool t = i == 0;
            CHECK_PM(!VIEW(-1, len, 0), ArgumentOutOfRangeException, "offset", t ? msg_nonneg("offset", -1) : NULL, w);
            CHECK_PM(!VIEW(0, -1, 0), ArgumentOutOfRangeException, "size", MSG_SIZE_NEG, w);
#ifdef _WIN32
            CHECK_PM(!VIEW(0, INT64_MAX, 0), IOException, NULL, t ? "Not enough memory to map view." : NULL, w);
#else
            CHECK_PM(!VIEW(0, INT64_MAX, 0), IOException, NULL,
                     t ? "The capacity cannot be greater than the size of the system's logical address space." : NULL,
                     w);
#endif
            CHECK_PM(!VIEW(0, len + 1, 0), UnauthorizedAccessException, NULL, t ? MSG_VIEW_DENIED : NULL, w);
            CHECK_PM(!VIEW(len, 1, 0), UnauthorizedAccessException, NULL, t ? MSG_VIEW_DENIED : NULL, w);
            CHECK_PM(!VIEW(0, len, -1), ArgumentOutOfRangeException, "access", t ? msg_range("access") : NULL, w);
            CHECK_PM(!VIEW(0, len, 42), ArgumentOutOfRangeException, "access", t ? msg_range("access") : NULL, w);
#ifndef _WIN32
            /* MemoryMappedView.Unix.cs: an offset past the end */
            CHECK_PM(
                !VIEW(len + 1, 0, 0), ArgumentOutOfRangeException, "offset",
                t ? "offset ('4097') must be less than or equal to '4096'. (Parameter 'offset')\nActual value was 4097."
                  : NULL,
                w);
#endif
#undef VIEW
        }
    }
    dispose_sample_maps(&s);
    END_CHECKS();
}

/* PointerOffsetMatchesViewStart (accessors and streams) and the stream's partial views. */
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedViewAccessor.Tests.cs: PointerOffsetMatchesViewStart (a table of .NET's map lengths);
   also MemoryMappedViewStream.Tests.cs: PointerOffsetMatchesViewStart */
static void MemoryMappedViewAccessorTests_PointerOffsetMatchesViewStart(void **state)
{
    (void)state;
    int64_t sizes[] = {1, 4095, 4096, 4099, 12290, 70000};
    for (int k = 0; k < 6; k++) {
        int64_t len = sizes[k];
        sample_maps s;
        create_sample_maps(&s, len, MemoryMappedFileAccess_ReadWrite);
        for (int i = 0; i < s.n; i++) {
            MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(s.m[i]);
            assert_non_null(a);
            ASSERT_I64(MemoryMappedViewAccessor_get_PointerOffset(a), 0);
            Dispose(a);
            a = MemoryMappedFile_CreateViewAccessor(s.m[i], 0, len);
            assert_non_null(a);
            ASSERT_I64(MemoryMappedViewAccessor_get_PointerOffset(a), 0);
            ASSERT_I64(MemoryMappedViewAccessor_get_Capacity(a), len);
            Dispose(a);
            MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(s.m[i]);
            assert_non_null(v);
            ASSERT_I64(MemoryMappedViewStream_get_PointerOffset(v), 0);
            Dispose(v);
            v = MemoryMappedFile_CreateViewStream(s.m[i], 0, len);
            ASSERT_I64(MemoryMappedViewStream_get_PointerOffset(v), 0);
            ASSERT_I64(Stream_get_Length(v), len);
            Dispose(v);
        }
        dispose_sample_maps(&s);
    }
    /* MemoryMappedViewStream.Tests PointerOffsetMatchesViewStart, on a one-page map */
    const int64_t len = page_size();
    sample_maps s;
    create_sample_maps(&s, len, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++) {
        MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(s.m[i], 1, len - 1);
        assert_non_null(v);
        ASSERT_I64(MemoryMappedViewStream_get_PointerOffset(v), 1);
        ASSERT_I64(Stream_get_Length(v), len - 1);
        Dispose(v);
        v = MemoryMappedFile_CreateViewStream(s.m[i], len - 1, 1);
        assert_non_null(v);
        ASSERT_I64(MemoryMappedViewStream_get_PointerOffset(v), len - 1);
        ASSERT_I64(Stream_get_Length(v), 1);
        Dispose(v);
        v = MemoryMappedFile_CreateViewStream(s.m[i], len, 0);
        assert_non_null(v);
#ifdef _WIN32
        ASSERT_I64(MemoryMappedViewStream_get_PointerOffset(v), len);
#else
        ASSERT_I64(MemoryMappedViewStream_get_PointerOffset(v), 0);
#endif
        ASSERT_I64(Stream_get_Length(v), 0);
        assert_int_equal(Stream_ReadByte(v), -1);
        EXPECT_NO_EXC();
        Dispose(v);
        MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(s.m[i], 1, len - 1);
        ASSERT_I64(MemoryMappedViewAccessor_get_PointerOffset(a), 1);
        ASSERT_I64(MemoryMappedViewAccessor_get_Capacity(a), len - 1);
        Dispose(a);
    }
    dispose_sample_maps(&s);
}

/* RoundedUpCapacity_Unix / _Windows: the default view of a 1-byte map. */
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateNew.Tests.cs: RoundedUpCapacity_Unix; also RoundedUpCapacity_Windows */
static void MemoryMappedFileTests_CreateNew_RoundedUpCapacity_Unix(void **state)
{
    (void)state;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 1);
    assert_non_null(m);
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m);
    MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(m);
#ifdef _WIN32
    ASSERT_I64(MemoryMappedViewAccessor_get_Capacity(a), page_size());
    ASSERT_I64(Stream_get_Length(v), page_size());
#else
    ASSERT_I64(MemoryMappedViewAccessor_get_Capacity(a), 1);
    ASSERT_I64(Stream_get_Length(v), 1);
#endif
    ASSERT_I64(UnmanagedMemoryStream_get_Capacity(v), Stream_get_Length(v));
    Dispose(v);
    Dispose(a);
    Dispose(m);
    /* the full views of other sizes */
    int64_t sizes[] = {4095, 4099, 12290, 70000};
    for (int i = 0; i < 4; i++) {
        m = MemoryMappedFile_CreateNew(NULL, sizes[i]);
        a = MemoryMappedFile_CreateViewAccessor(m);
        int64_t want = sizes[i];
#ifdef _WIN32
        want = (sizes[i] + page_size() - 1) / page_size() * page_size();
#endif
        ASSERT_I64(MemoryMappedViewAccessor_get_Capacity(a), want);
        Dispose(a);
        Dispose(m);
    }
}

static bool is_readable(MemoryMappedFileAccess a) { return a != MemoryMappedFileAccess_Write; }
static bool is_writable(MemoryMappedFileAccess a)
{
    return a == MemoryMappedFileAccess_Write || a == MemoryMappedFileAccess_ReadWrite ||
           a == MemoryMappedFileAccess_ReadWriteExecute;
}

/* MemoryMappedFilesTestBase.ValidateMemoryMappedViewAccessor / ViewStream. */
static void validate_views(MemoryMappedFile *m, int64_t capacity, MemoryMappedFileAccess access, const char *label)
{
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m, 0, capacity, access);
    if (!a)
        print_error("[%s] accessor: %s\n", label, Exception_get_Message(Exception_get_Current()));
    assert_non_null(a);
    assert_true(MemoryMappedViewAccessor_get_Capacity(a) >= capacity);
    ASSERT_I64(MemoryMappedViewAccessor_get_PointerOffset(a), 0);
    if (is_readable(access)) {
        assert_true(MemoryMappedViewAccessor_get_CanRead(a));
        assert_int_equal(MemoryMappedViewAccessor_ReadByte(a, 0), 0);
        assert_int_equal(MemoryMappedViewAccessor_ReadByte(a, capacity - 1), 0);
        EXPECT_NO_EXC();
    } else {
        assert_false(MemoryMappedViewAccessor_get_CanRead(a));
        MemoryMappedViewAccessor_ReadByte(a, 0);
        EXPECT_EXC_MSG(NotSupportedException, "Accessor does not support reading.");
    }
    if (is_writable(access) || access == MemoryMappedFileAccess_CopyOnWrite) {
        assert_true(MemoryMappedViewAccessor_get_CanWrite(a));
        assert_true(MemoryMappedViewAccessor_WriteByte(a, 0, 42));
        assert_true(MemoryMappedViewAccessor_WriteByte(a, capacity - 1, 42));
        if (is_readable(access)) {
            assert_int_equal(MemoryMappedViewAccessor_ReadByte(a, 0), 42);
            assert_int_equal(MemoryMappedViewAccessor_ReadByte(a, capacity - 1), 42);
        }
        assert_true(MemoryMappedViewAccessor_WriteByte(a, 0, 0));
        assert_true(MemoryMappedViewAccessor_WriteByte(a, capacity - 1, 0));
    } else {
        assert_false(MemoryMappedViewAccessor_get_CanWrite(a));
        assert_false(MemoryMappedViewAccessor_WriteByte(a, 0, 0));
        EXPECT_EXC_MSG(NotSupportedException, "Accessor does not support writing.");
    }
    Dispose(a);

    MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(m, 0, capacity, access);
    assert_non_null(v);
    assert_true(Stream_get_Length(v) >= capacity);
    assert_true(Stream_get_CanSeek(v));
    if (is_readable(access)) {
        assert_true(Stream_get_CanRead(v));
        assert_true(Stream_set_Position(v, 0));
        assert_int_equal(Stream_ReadByte(v), 0);
        ASSERT_I64(Stream_get_Position(v), 1);
        ASSERT_I64(Stream_Seek(v, capacity - 1, SeekOrigin_Begin), capacity - 1);
        assert_int_equal(Stream_ReadByte(v), 0);
        ASSERT_I64(Stream_get_Position(v), capacity);
    } else {
        assert_false(Stream_get_CanRead(v));
        assert_int_equal(Stream_ReadByte(v), -1);
        EXPECT_EXC_MSG(NotSupportedException, "Stream does not support reading.");
    }
    if (is_writable(access) || access == MemoryMappedFileAccess_CopyOnWrite) {
        assert_true(Stream_get_CanWrite(v));
        assert_true(Stream_set_Position(v, 0));
        assert_true(Stream_WriteByte(v, 42));
        assert_true(Stream_set_Position(v, Stream_get_Length(v) - 1));
        assert_true(Stream_WriteByte(v, 42));
        if (is_readable(access)) {
            assert_true(Stream_set_Position(v, 0));
            assert_int_equal(Stream_ReadByte(v), 42);
            assert_true(Stream_set_Position(v, Stream_get_Length(v) - 1));
            assert_int_equal(Stream_ReadByte(v), 42);
        }
        assert_true(Stream_set_Position(v, 0));
        assert_true(Stream_WriteByte(v, 0));
        assert_true(Stream_set_Position(v, Stream_get_Length(v) - 1));
        assert_true(Stream_WriteByte(v, 0));
    } else {
        assert_false(Stream_get_CanWrite(v));
        assert_false(Stream_WriteByte(v, 1));
        EXPECT_EXC_MSG(NotSupportedException, "Stream does not support writing.");
    }
    Dispose(v);
}

/* ValidAccessLevelCombinations / InvalidAccessLevelsCombinations (anonymous maps). */
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedViewAccessor.Tests.cs: ValidAccessLevelCombinations (a table of .NET's rows);
   also InvalidAccessLevelsCombinations and InvalidAccessLevels_ReadWrite_NonUwp, the same three of
   MemoryMappedViewStream.Tests.cs (ValidAccessLevelCombinations, InvalidAccessLevelsCombinations,
   InvalidAccessLevels_ReadWriteExecute_NonUwp), and MemoryMappedFilesTestsBase.cs: ValidateMemoryMappedFile */
static void MemoryMappedViewAccessorTests_ValidAccessLevelCombinations(void **state)
{
    (void)state;
    typedef struct {
        MemoryMappedFileAccess map, view;
    } pair;
#define RW MemoryMappedFileAccess_ReadWrite
#define R MemoryMappedFileAccess_Read
#define W MemoryMappedFileAccess_Write
#define COW MemoryMappedFileAccess_CopyOnWrite
#define RX MemoryMappedFileAccess_ReadExecute
#define RWX MemoryMappedFileAccess_ReadWriteExecute
    static const pair valid[] = {{RWX, R}, {RWX, W},  {RWX, RW}, {RWX, COW}, {RWX, RX},  {RWX, RWX},
                                 {RX, R},  {RX, COW}, {RX, RX},  {COW, R},   {COW, COW}, {RW, R},
                                 {RW, W},  {RW, RW},  {RW, COW}, {R, R},     {R, COW}};
    static const pair invalid[] = {{RX, W}, {RX, RW}, {COW, W},  {COW, RW},  {COW, RX}, {RW, RX}, {R, W},
                                   {R, RW}, {R, RX},  {RX, RWX}, {COW, RWX}, {RW, RWX}, {R, RWX}};
#undef RW
#undef R
#undef W
#undef COW
#undef RX
#undef RWX
    const int64_t cap = 4096;
    char label[64];
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        snprintf(label, sizeof label, "map %d, view %d", valid[i].map, valid[i].view);
        MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, cap, valid[i].map);
        assert_non_null(m);
        validate_views(m, cap, valid[i].view, label);
        Dispose(m);
    }
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        snprintf(label, sizeof label, "map %d, view %d", invalid[i].map, invalid[i].view);
        MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, cap, invalid[i].map);
        assert_non_null(m);
        /* Unix: MemoryMappedView.Unix.cs's own check (a bare UnauthorizedAccessException); Windows:
         * MapViewOfFile's ERROR_ACCESS_DENIED */
        CHECK_PM(!MemoryMappedFile_CreateViewAccessor(m, 0, cap, invalid[i].view), UnauthorizedAccessException, NULL,
                 i == 0 ? MSG_VIEW_DENIED : NULL, label);
        CHECK_T(!MemoryMappedFile_CreateViewStream(m, 0, cap, invalid[i].view), UnauthorizedAccessException, label);
        Dispose(m);
    }
    /* MemoryMappedFilesTestBase.ValidateMemoryMappedFile over every sample map */
    sample_maps s;
    create_sample_maps(&s, cap, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++) {
        validate_views(s.m[i], cap, MemoryMappedFileAccess_Read, s.what[i]);
        validate_views(s.m[i], cap, MemoryMappedFileAccess_Write, s.what[i]);
        validate_views(s.m[i], cap, MemoryMappedFileAccess_ReadWrite, s.what[i]);
    }
    dispose_sample_maps(&s);
    END_CHECKS();
}

/* ------------------------------------------------------------------ accessor reads and writes */

#define WR(T, value, pos)                                                                                              \
  do {                                                                                                                 \
    if (!MemoryMappedViewAccessor_Write##T(acc, pos, value))                                                           \
      fail_msg("Write" #T "(%lld): %s", (long long)(pos), Exception_get_Message(Exception_get_Current()));             \
  } while (0)

/* AssertWritesReads: every type at 0 and at Capacity - sizeof(T), then the boundary exceptions. */
static void assert_writes_reads(MemoryMappedViewAccessor *acc)
{
    int64_t ends[2] = {0, MemoryMappedViewAccessor_get_Capacity(acc)};
    for (int k = 0; k < 2; k++) {
#define AT(n) (k == 0 ? 0 : ends[1] - (n))
        WR(Boolean, false, AT(1));
        assert_false(MemoryMappedViewAccessor_ReadBoolean(acc, AT(1)));
        WR(Boolean, true, AT(1));
        assert_true(MemoryMappedViewAccessor_ReadBoolean(acc, AT(1)));
        WR(Byte, 42, AT(1));
        assert_int_equal(MemoryMappedViewAccessor_ReadByte(acc, AT(1)), 42);
        WR(Char, 'c', AT(2));
        assert_int_equal(MemoryMappedViewAccessor_ReadChar(acc, AT(2)), 'c');
        WR(Decimal, Decimal_new(9, 0, 0, false, 0), AT(16));
        Decimal d = MemoryMappedViewAccessor_ReadDecimal(acc, AT(16));
        assert_true(Decimal_Equals(d, Decimal_new(9, 0, 0, false, 0)));
        WR(Double, 10.0, AT(8));
        assert_true(MemoryMappedViewAccessor_ReadDouble(acc, AT(8)) == 10.0);
        WR(Int16, 11, AT(2));
        assert_int_equal(MemoryMappedViewAccessor_ReadInt16(acc, AT(2)), 11);
        WR(Int32, 12, AT(4));
        assert_int_equal(MemoryMappedViewAccessor_ReadInt32(acc, AT(4)), 12);
        WR(Int64, 13, AT(8));
        ASSERT_I64(MemoryMappedViewAccessor_ReadInt64(acc, AT(8)), 13);
        WR(SByte, 14, AT(1));
        assert_int_equal(MemoryMappedViewAccessor_ReadSByte(acc, AT(1)), 14);
        WR(Single, 15.0f, AT(4));
        assert_true(MemoryMappedViewAccessor_ReadSingle(acc, AT(4)) == 15.0f);
        WR(UInt16, 16, AT(2));
        assert_int_equal(MemoryMappedViewAccessor_ReadUInt16(acc, AT(2)), 16);
        WR(UInt32, 17, AT(4));
        assert_int_equal(MemoryMappedViewAccessor_ReadUInt32(acc, AT(4)), 17);
        WR(UInt64, 17, AT(8));
        ASSERT_U64(MemoryMappedViewAccessor_ReadUInt64(acc, AT(8)), 17);
        WR(Half, Half_FromBits(0x3C00), AT(2));
        assert_int_equal(MemoryMappedViewAccessor_ReadHalf(acc, AT(2)).bits, 0x3C00);
        EXPECT_NO_EXC();
#undef AT
    }
    /* just past the end (capacity + 1 - sizeof): 1-byte types AOORE, the others ArgumentException;
     * well past it (capacity + 20 - sizeof): AOORE for all */
    int64_t cap = ends[1];
    for (int well_past = 0; well_past < 2; well_past++) {
        int64_t beyond = cap + (well_past ? 20 : 1);
        char label[64];
        snprintf(label, sizeof label, "capacity %lld, beyond + %d", (long long)cap, well_past ? 20 : 1);
#define READ_FAILS(T, n)                                                                                               \
  do {                                                                                                                 \
    MemoryMappedViewAccessor_Read##T(acc, beyond - (n));                                                               \
    if (well_past || (n) == 1)                                                                                         \
      CHECK_PM(true, ArgumentOutOfRangeException, "position", MSG_POS_CAP, label);                                     \
    else                                                                                                               \
      CHECK_PM(true, ArgumentException, "position", MSG_NOT_ENOUGH_READ, label);                                       \
  } while (0)
#define WRITE_FAILS(T, v, n)                                                                                           \
  do {                                                                                                                 \
    bool ok_ = MemoryMappedViewAccessor_Write##T(acc, beyond - (n), v);                                                \
    if (well_past || (n) == 1)                                                                                         \
      CHECK_PM(!ok_, ArgumentOutOfRangeException, "position", MSG_POS_CAP, label);                                     \
    else                                                                                                               \
      CHECK_PM(!ok_, ArgumentException, "position", MSG_NOT_ENOUGH_WRITE, label);                                      \
  } while (0)
        READ_FAILS(Boolean, 1);
        READ_FAILS(Byte, 1);
        READ_FAILS(SByte, 1);
        READ_FAILS(Char, 2);
        READ_FAILS(Decimal, 16);
        READ_FAILS(Double, 8);
        READ_FAILS(Int16, 2);
        READ_FAILS(Int32, 4);
        READ_FAILS(Int64, 8);
        READ_FAILS(Single, 4);
        READ_FAILS(UInt16, 2);
        READ_FAILS(UInt32, 4);
        READ_FAILS(UInt64, 8);
        READ_FAILS(Half, 2);
        WRITE_FAILS(Boolean, false, 1);
        WRITE_FAILS(Byte, 0, 1);
        WRITE_FAILS(SByte, 0, 1);
        WRITE_FAILS(Char, 'c', 2);
        WRITE_FAILS(Decimal, Decimal_Zero, 16);
        WRITE_FAILS(Double, 0.0, 8);
        WRITE_FAILS(Int16, 0, 2);
        WRITE_FAILS(Int32, 0, 4);
        WRITE_FAILS(Int64, 0, 8);
        WRITE_FAILS(Single, 0.0f, 4);
        WRITE_FAILS(UInt16, 0, 2);
        WRITE_FAILS(UInt32, 0, 4);
        WRITE_FAILS(UInt64, 0, 8);
        WRITE_FAILS(Half, Half_FromBits(0), 2);
#undef READ_FAILS
#undef WRITE_FAILS
    }
    MemoryMappedViewAccessor_ReadInt32(acc, -1);
    CHECK_P(true, ArgumentOutOfRangeException, "position", "position -1");
    CHECK_P(!MemoryMappedViewAccessor_WriteByte(acc, -1, 1), ArgumentOutOfRangeException, "position", "write at -1");
}

static void fill_random(MemoryMappedFile *m, unsigned seed)
{
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m);
    assert_non_null(a);
    int64_t n = MemoryMappedViewAccessor_get_Capacity(a);
    for (int64_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        MemoryMappedViewAccessor_WriteByte(a, i, (uint8_t)(seed >> 16));
    }
    Dispose(a);
}

/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedViewAccessor.Tests.cs: AllReadWriteMethods (a table of .NET's rows) */
static void MemoryMappedViewAccessorTests_AllReadWriteMethods(void **state)
{
    (void)state;
    static const int64_t cases[][3] = {{8192, 0, 8192},  {8192, 8100, 92}, {8192, 0, 20},     {8192, 1, 8191},
                                       {8192, 17, 8175}, {8192, 17, 20},   {70000, 69900, 16}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int64_t map_size = cases[c][0], offset = cases[c][1], size = cases[c][2];
        sample_maps s;
        create_sample_maps(&s, map_size, MemoryMappedFileAccess_ReadWrite);
        for (int i = 0; i < s.n; i++) {
            MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(s.m[i], offset, size);
            assert_non_null(acc);
            ASSERT_I64(MemoryMappedViewAccessor_get_Capacity(acc), size);
            assert_writes_reads(acc);
            /* the accessor reads where its pointer says, and the pointer is PointerOffset past a
             * mapping boundary (a page; Windows' allocation granularity) */
            fill_random(s.m[i], 42);
            uint8_t *p = MemoryMappedViewAccessor_AcquirePointer(acc);
            assert_non_null(p);
            int64_t po = MemoryMappedViewAccessor_get_PointerOffset(acc);
#ifdef _WIN32
            SYSTEM_INFO si;
            GetSystemInfo(&si);
            ASSERT_I64(po, offset % si.dwAllocationGranularity);
#else
            ASSERT_I64(po, offset % page_size());
#endif
            ASSERT_I64(((uintptr_t)(p - po)) % (uintptr_t)page_size(), 0);
            for (int64_t k = 0; k < size; k++) {
                assert_int_equal(MemoryMappedViewAccessor_ReadByte(acc, k), p[k]);
                MemoryMappedViewAccessor_WriteByte(acc, k, (uint8_t)k);
                assert_int_equal(MemoryMappedViewAccessor_ReadByte(acc, k), (uint8_t)k);
                assert_int_equal(p[k], (uint8_t)k);
            }
            Dispose(acc);
        }
        dispose_sample_maps(&s);
    }
    END_CHECKS();
}

/* Values whose bits matter: NaN payloads, -0.0, decimal extremes and scale, Half. */
/* sharpipc's own: the bytes the accessor writes for each type (endianness, NaN payloads, decimal layout and validity) */
static void accessor_value_layouts(void **state)
{
    (void)state;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 4096);
    MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(m);
    uint8_t *p = MemoryMappedViewAccessor_AcquirePointer(acc);
    /* little-endian, unaligned */
    WR(Int32, 0x01020304, 1);
    uint8_t le[] = {4, 3, 2, 1};
    ASSERT_BYTES(p + 1, 4, le, 4);
    WR(Int64, (int64_t)0x0102030405060708LL, 3);
    uint8_t le8[] = {8, 7, 6, 5, 4, 3, 2, 1};
    ASSERT_BYTES(p + 3, 8, le8, 8);
    WR(Char, 0xD83D, 101);
    uint8_t ch[] = {0x3D, 0xD8};
    ASSERT_BYTES(p + 101, 2, ch, 2);
    /* bool: 1 and 0 written, any non-zero byte reads true */
    WR(Boolean, true, 200);
    assert_int_equal(p[200], 1);
    p[201] = 0x80;
    assert_true(MemoryMappedViewAccessor_ReadBoolean(acc, 201));
    /* floats by their bits */
    uint64_t nan_bits = 0x7FF8DEADBEEF0001ULL, got64;
    double dnan;
    memcpy(&dnan, &nan_bits, 8);
    WR(Double, dnan, 300);
    double back = MemoryMappedViewAccessor_ReadDouble(acc, 300);
    memcpy(&got64, &back, 8);
    ASSERT_U64(got64, nan_bits);
    WR(Double, -0.0, 310);
    back = MemoryMappedViewAccessor_ReadDouble(acc, 310);
    memcpy(&got64, &back, 8);
    ASSERT_U64(got64, 0x8000000000000000ULL);
    uint32_t fnan_bits = 0xFFC00123u, got32;
    float fnan;
    memcpy(&fnan, &fnan_bits, 4);
    WR(Single, fnan, 320);
    float fback = MemoryMappedViewAccessor_ReadSingle(acc, 320);
    memcpy(&got32, &fback, 4);
    ASSERT_U64(got32, fnan_bits);
    WR(Half, Half_NaN, 330);
    assert_int_equal(MemoryMappedViewAccessor_ReadHalf(acc, 330).bits, 0xFE00);
    assert_int_equal(p[330] | p[331] << 8, 0xFE00);
    /* decimal: lo, mid, hi, flags */
    Decimal ds[] = {Decimal_MaxValue, Decimal_MinValue, Decimal_new(12345, 0, 0, true, 3),
                    Decimal_new(1, 0, 0, false, 28)};
    for (int i = 0; i < 4; i++) {
        WR(Decimal, ds[i], 400 + 16 * i);
        Decimal d = MemoryMappedViewAccessor_ReadDecimal(acc, 400 + 16 * i);
        assert_memory_equal(&d, &ds[i], sizeof d);
        uint8_t want[16];
        for (int k = 0; k < 4; k++) {
            uint32_t w = k == 0 ? ds[i].lo : k == 1 ? ds[i].mid : k == 2 ? ds[i].hi : ds[i].flags;
            for (int b = 0; b < 4; b++)
                want[4 * k + b] = (uint8_t)(w >> (8 * b));
        }
        ASSERT_BYTES(p + 400 + 16 * i, 16, want, 16);
    }
    /* flags with bits other than sign and scale, or a scale over 28: invalid */
    WR(Int32, 0, 600);
    WR(Int32, 0, 604);
    WR(Int32, 0, 608);
    uint32_t bad_flags[] = {0x00FF0000u, 0x001D0000u, 0x00000001u, 0x40000000u};
    for (int i = 0; i < 4; i++) {
        WR(UInt32, bad_flags[i], 612);
        MemoryMappedViewAccessor_ReadDecimal(acc, 600);
        CHECK_PM(true, ArgumentException, NULL, "Read an invalid decimal value from the buffer.", "invalid decimal");
    }
    WR(UInt32, 0x801C0000u, 612);
    MemoryMappedViewAccessor_ReadDecimal(acc, 600);
    EXPECT_NO_EXC();
    /* Writing such bits (a Decimal made by hand) is refused as new decimal(int[]) refuses them,
     * and the accessor keeps what it held. */
    for (int i = 0; i < 4; i++) {
        Decimal bad = {7, 0, 0, bad_flags[i]};
        assert_false(MemoryMappedViewAccessor_Write(acc, 600, bad));
        CHECK_PM(true, ArgumentException, NULL,
                 "Decimal byte array constructor requires an array of length four containing valid decimal bytes.",
                 "write of invalid decimal bits");
        static const uint8_t kept[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1C, 0x80};
        ASSERT_BYTES(p + 600, 16, kept, 16);
    }
    Dispose(acc);
    Dispose(m);
    END_CHECKS();
}

typedef struct {
    uint8_t a; /* 3 bytes of padding follow, as in C# LayoutKind.Sequential */
    int32_t b;
    int16_t c;
    int64_t d;
} padded;

/* sharpipc's own: Read<T>/Write<T> of a padded struct, ReadArray/WriteArray bounds and access */
static void struct_and_array_access(void **state)
{
    (void)state;
    const int64_t cap = 4096;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, cap);
    MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(m);
    assert_int_equal(sizeof(padded), 24);
    padded in, out;
    memset(&in, 0, sizeof in); /* the padding too: it is written to the map as it lies */
    in.a = 7;
    in.b = -123456;
    in.c = 321;
    in.d = INT64_MIN + 5;
    memset(&out, 0, sizeof out);
    assert_true(MemoryMappedViewAccessor_WriteStruct(acc, 100, &in, (int32_t)sizeof in));
    assert_true(MemoryMappedViewAccessor_ReadStruct(acc, 100, &out, (int32_t)sizeof out));
    assert_int_equal(out.a, 7);
    assert_int_equal(out.b, -123456);
    assert_int_equal(out.c, 321);
    ASSERT_I64(out.d, INT64_MIN + 5);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(acc, 104), -123456);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt16(acc, 108), 321);
    ASSERT_I64(MemoryMappedViewAccessor_ReadInt64(acc, 116), INT64_MIN + 5);
    /* the same bounds as the primitives */
    CHECK_PM(!MemoryMappedViewAccessor_WriteStruct(acc, cap - 8, &in, (int32_t)sizeof in), ArgumentException,
             "position", MSG_NOT_ENOUGH_WRITE, "Write<T> not fitting");
    CHECK_PM(!MemoryMappedViewAccessor_WriteStruct(acc, cap, &in, (int32_t)sizeof in), ArgumentOutOfRangeException,
             "position", MSG_POS_CAP, "Write<T> at capacity");
    CHECK_PM(!MemoryMappedViewAccessor_ReadStruct(acc, cap - 8, &out, (int32_t)sizeof out), ArgumentException,
             "position", MSG_NOT_ENOUGH_READ, "Read<T> not fitting");

    /* ReadArray clamps the count to what fits */
    int32_t arr[10] = {0};
    for (int i = 0; i < 10; i++)
        MemoryMappedViewAccessor_WriteInt32(acc, i * 4, i + 1);
    assert_int_equal(MemoryMappedViewAccessor_ReadArray(acc, 0, arr, 0, 10, 4), 10);
    for (int i = 0; i < 10; i++)
        assert_int_equal(arr[i], i + 1);
    assert_int_equal(MemoryMappedViewAccessor_ReadArray(acc, 4, arr, 5, 3, 4), 3);
    assert_int_equal(arr[5], 2);
    assert_int_equal(arr[7], 4);
    assert_int_equal(MemoryMappedViewAccessor_ReadArray(acc, cap - 8, arr, 0, 10, 4), 2);
    assert_int_equal(MemoryMappedViewAccessor_ReadArray(acc, cap - 6, arr, 0, 10, 4), 1);
    EXPECT_NO_EXC();
    CHECK_PM(MemoryMappedViewAccessor_ReadArray(acc, cap, arr, 0, 10, 4) < 0, ArgumentOutOfRangeException, "position",
             MSG_POS_CAP, "ReadArray at capacity");
    CHECK_PM(MemoryMappedViewAccessor_ReadArray(acc, 0, NULL, 0, 10, 4) < 0, ArgumentNullException, "array",
             "Value cannot be null. (Parameter 'array')", "ReadArray null");
    CHECK_PM(MemoryMappedViewAccessor_ReadArray(acc, 0, arr, -1, 10, 4) < 0, ArgumentOutOfRangeException, "offset",
             msg_nonneg("offset", -1), "ReadArray offset -1");
    CHECK_PM(MemoryMappedViewAccessor_ReadArray(acc, 0, arr, 0, -1, 4) < 0, ArgumentOutOfRangeException, "count",
             msg_nonneg("count", -1), "ReadArray count -1");
    /* WriteArray writes all or nothing */
    int32_t src[10] = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    assert_true(MemoryMappedViewAccessor_WriteArray(acc, 1000, src, 2, 5, 4));
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(acc, 1000), 30);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(acc, 1016), 70);
    CHECK_PM(!MemoryMappedViewAccessor_WriteArray(acc, cap, src, 0, 10, 4), ArgumentOutOfRangeException, "position",
             MSG_POS_CAP, "WriteArray at capacity");
    MemoryMappedViewAccessor_WriteInt32(acc, cap - 8, 0x5A5A5A5A);
    CHECK_PM(!MemoryMappedViewAccessor_WriteArray(acc, cap - 8, src, 0, 10, 4), ArgumentException, NULL,
             "Not enough space available in the buffer.", "WriteArray not fitting");
    CHECK(MemoryMappedViewAccessor_ReadInt32(acc, cap - 8) == 0x5A5A5A5A, "a refused WriteArray wrote nothing");
    /* a read-only accessor does not write, a write-only one does not read */
    MemoryMappedViewAccessor *ro = MemoryMappedFile_CreateViewAccessor(m, 0, 0, MemoryMappedFileAccess_Read);
    CHECK_PM(!MemoryMappedViewAccessor_WriteArray(ro, 0, src, 0, 1, 4), NotSupportedException, NULL,
             "Accessor does not support writing.", "read-only WriteArray");
    CHECK_PM(!MemoryMappedViewAccessor_WriteStruct(ro, 0, &in, (int32_t)sizeof in), NotSupportedException, NULL,
             "Accessor does not support writing.", "read-only Write<T>");
    assert_true(MemoryMappedViewAccessor_Flush(ro));
    MemoryMappedViewAccessor *wo = MemoryMappedFile_CreateViewAccessor(m, 0, 0, MemoryMappedFileAccess_Write);
    CHECK_PM(MemoryMappedViewAccessor_ReadArray(wo, 0, arr, 0, 1, 4) < 0, NotSupportedException, NULL,
             "Accessor does not support reading.", "write-only ReadArray");
    Dispose(wo);
    Dispose(ro);
    Dispose(acc);
    Dispose(m);
    END_CHECKS();
}

/* FlushSupportedOnBothReadAndWriteAccessors */
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedViewAccessor.Tests.cs: FlushSupportedOnBothReadAndWriteAccessors (a table of .NET's inputs),
   and the same for view streams */
static void MemoryMappedViewAccessorTests_FlushSupportedOnBothReadAndWriteAccessors(void **state)
{
    (void)state;
    MemoryMappedFileAccess accesses[] = {MemoryMappedFileAccess_Read, MemoryMappedFileAccess_Write,
                                         MemoryMappedFileAccess_ReadWrite, MemoryMappedFileAccess_CopyOnWrite};
    sample_maps s;
    create_sample_maps(&s, 256, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++)
        for (int k = 0; k < 4; k++) {
            MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(s.m[i], 0, 256, accesses[k]);
            assert_non_null(a);
            assert_true(MemoryMappedViewAccessor_Flush(a));
            Dispose(a);
            MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(s.m[i], 0, 256, accesses[k]);
            assert_non_null(v);
            assert_true(Stream_Flush(v));
            Dispose(v);
        }
    dispose_sample_maps(&s);
}

/* ViewsShareData, and stream views see accessor views' data */
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedViewAccessor.Tests.cs: ViewsShareData; also a stream write seen by an accessor (cf.
   MemoryMappedViewStream.Tests.cs: ViewsShareData) */
static void MemoryMappedViewAccessorTests_ViewsShareData(void **state)
{
    (void)state;
    const int len = 256;
    sample_maps s;
    create_sample_maps(&s, len, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++) {
        MemoryMappedViewAccessor *a1 = MemoryMappedFile_CreateViewAccessor(s.m[i]);
        MemoryMappedViewAccessor *a2 = MemoryMappedFile_CreateViewAccessor(s.m[i]);
        for (int k = 0; k < len; k++)
            MemoryMappedViewAccessor_WriteByte(a1, k, (uint8_t)k);
        assert_true(MemoryMappedViewAccessor_Flush(a1));
        for (int k = 0; k < len; k++)
            assert_int_equal(MemoryMappedViewAccessor_ReadByte(a2, k), k);
        Dispose(a1);
        Dispose(a2);
        MemoryMappedViewAccessor *a3 = MemoryMappedFile_CreateViewAccessor(s.m[i]);
        for (int k = 0; k < len; k++)
            assert_int_equal(MemoryMappedViewAccessor_ReadByte(a3, k), k);
        Dispose(a3);
        MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(s.m[i]);
        for (int k = 0; k < len; k++)
            assert_int_equal(Stream_ReadByte(v), k);
        /* and the other way: a stream write is seen by an accessor at an offset */
        assert_true(Stream_set_Position(v, 10));
        uint8_t b[3] = {0xAA, 0xBB, 0xCC};
        assert_true(Stream_Write(v, b, 0, 3));
        MemoryMappedViewAccessor *a4 = MemoryMappedFile_CreateViewAccessor(s.m[i], 11, 2);
        assert_int_equal(MemoryMappedViewAccessor_ReadByte(a4, 0), 0xBB);
        assert_int_equal(MemoryMappedViewAccessor_ReadByte(a4, 1), 0xCC);
        Dispose(a4);
        Dispose(v);
    }
    dispose_sample_maps(&s);
}

/* CopyOnWrite: a CoW view sees the map, its own writes stay its own. */
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedViewAccessor.Tests.cs: CopyOnWrite; also a CopyOnWrite stream view (cf. MemoryMappedViewStream.Tests.cs:
   CopyOnWrite) and a CopyOnWrite file map */
static void MemoryMappedViewAccessorTests_CopyOnWrite(void **state)
{
    (void)state;
    const int len = 256;
    sample_maps s;
    create_sample_maps(&s, len, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++) {
        MemoryMappedViewAccessor *a =
            MemoryMappedFile_CreateViewAccessor(s.m[i], 0, len, MemoryMappedFileAccess_ReadWrite);
        assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 0), 0);
        assert_true(MemoryMappedViewAccessor_WriteInt32(a, 0, 42));
        Dispose(a);
        a = MemoryMappedFile_CreateViewAccessor(s.m[i], 0, len, MemoryMappedFileAccess_CopyOnWrite);
        assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 0), 42);
        assert_true(MemoryMappedViewAccessor_WriteInt32(a, 0, 84));
        assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 0), 84);
        MemoryMappedViewAccessor *other =
            MemoryMappedFile_CreateViewAccessor(s.m[i], 0, len, MemoryMappedFileAccess_Read);
        assert_int_equal(MemoryMappedViewAccessor_ReadInt32(other, 0), 42); /* while the CoW view lives */
        Dispose(a);
        assert_int_equal(MemoryMappedViewAccessor_ReadInt32(other, 0), 42);
        Dispose(other);
        /* a CoW stream view likewise */
        MemoryMappedViewStream *v =
            MemoryMappedFile_CreateViewStream(s.m[i], 0, len, MemoryMappedFileAccess_CopyOnWrite);
        assert_true(Stream_WriteByte(v, 99));
        Dispose(v);
        a = MemoryMappedFile_CreateViewAccessor(s.m[i]);
        assert_int_equal(MemoryMappedViewAccessor_ReadByte(a, 0), 42);
        Dispose(a);
    }
    dispose_sample_maps(&s);
    /* a CopyOnWrite map: its views never write through to the file */
    char path[128];
    sp_temp_name(path, "mmfcow");
    make_file(path, 4096);
    MemoryMappedFile *m =
        MemoryMappedFile_CreateFromFile(path, FileMode_Open, NULL, 0, MemoryMappedFileAccess_CopyOnWrite);
    assert_non_null(m);
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m, 0, 0, MemoryMappedFileAccess_CopyOnWrite);
    assert_non_null(a);
    assert_true(MemoryMappedViewAccessor_WriteInt32(a, 0, 0x11223344));
    assert_true(MemoryMappedViewAccessor_Flush(a));
    Dispose(a);
    Dispose(m);
    int32_t n;
    uint8_t *data = sp_read_file(path, &n);
    assert_int_equal(n, 4096);
    uint8_t zeros[4] = {0};
    ASSERT_BYTES(data, 4, zeros, 4);
    free(data);
}

/* ------------------------------------------------------------------ view streams */
/* sharpipc's own, after UnmanagedMemoryStream.Seek in dotnet/runtime: .NET adds the offset to the
 * origin's base unchecked; a sum past long.MaxValue wraps negative and is IOException("An attempt
 * was made to move the position before the beginning of the stream."), while Begin + long.MaxValue
 * is a valid position (reads there give 0 bytes, writes "Stream was too long."). */
static void view_stream_seek_with_offsets_near_the_int64_limits(void **state)
{
    (void)state;
    struct {
        int64_t offset;
        SeekOrigin origin;
        bool ok;
        int64_t position;
    } rows[] = {
        {INT64_MAX, SeekOrigin_Current, false, 0},
        {INT64_MAX, SeekOrigin_End, false, 0},
        {INT64_MAX - 5, SeekOrigin_Current, true, INT64_MAX},
        {INT64_MIN, SeekOrigin_Current, false, 0},
        {INT64_MIN, SeekOrigin_End, false, 0},
        {INT64_MIN, SeekOrigin_Begin, false, 0},
        {INT64_MAX, SeekOrigin_Begin, true, INT64_MAX},
    };
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 4096);
    assert_non_null(m);
    MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(m);
    assert_non_null(v);
    int64_t len = Stream_get_Length(v);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_true(Stream_set_Position(v, 5));
        int64_t r = Stream_Seek(v, rows[i].offset, rows[i].origin);
        if (rows[i].ok) {
            EXPECT_NO_EXC();
            ASSERT_I64(r, rows[i].position);
            uint8_t b[4];
            assert_int_equal(Stream_Read(v, b, 0, 4), 0);
            assert_false(Stream_Write(v, b, 0, 4));
            EXPECT_EXC_MSG(IOException, "Stream was too long.");
        } else {
            ASSERT_I64(r, -1);
            EXPECT_EXC_MSG(IOException, "An attempt was made to move the position before the beginning of the stream.");
            ASSERT_I64(Stream_get_Position(v), 5);
        }
    }
    ASSERT_I64(Stream_get_Length(v), len);
    Dispose(v);
    Dispose(m);
}


/* sharpipc's own: a view stream's Position, Seek, SetLength and end-of-view rules, and BinaryWriter/BinaryReader over it
   (cf. MemoryMappedViewStream.Tests.cs: AllReadWriteMethods) */
static void view_stream_semantics(void **state)
{
    (void)state;
    /* the position overflow first, in a child (see role_write_at_max_position) */
    sp_child *child = sp_child_start("write-at-max-position", NULL, 0);
    assert_non_null(child);
    int code = sp_child_wait(child, 30000);
    sp_child_free(child);
    CHECK(code == CHILD_OK, "WriteByte/Write at Position long.MaxValue: IOException(\"Stream was too long.\")");
    if (code != CHILD_OK)
        print_error("  the child exited with %d (50-54: a wrong answer; otherwise it crashed)\n", code);

    sample_maps s;
    create_sample_maps(&s, 4096, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++) {
        MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(s.m[i]);
        int64_t len = Stream_get_Length(v);
        assert_true(len >= 4096);
        ASSERT_I64(UnmanagedMemoryStream_get_Capacity(v), len);
        ASSERT_I64(Stream_get_Position(v), 0);
        assert_true(Stream_get_CanSeek(v));
        /* AllReadWriteMethods: at 0 and at Length - 3 */
        int64_t positions[2] = {0, len - 3};
        for (int k = 0; k < 2; k++) {
            uint8_t out[3] = {1, 2, 3}, in[3] = {0};
            assert_true(Stream_set_Position(v, positions[k]));
            assert_true(Stream_Write(v, out, 0, 3));
            ASSERT_I64(Stream_get_Position(v), positions[k] + 3);
            assert_true(Stream_set_Position(v, positions[k]));
            assert_int_equal(Stream_Read(v, in, 0, 3), 3);
            ASSERT_BYTES(in, 3, out, 3);
            assert_true(Stream_set_Position(v, positions[k]));
            assert_int_equal(Stream_ReadByte(v), 1);
            assert_true(Stream_WriteByte(v, 9));
            /* .NET: PositionPointer is refused on a stream over a SafeBuffer (every view stream) */
            assert_null(UnmanagedMemoryStream_get_PositionPointer(v));
            EXPECT_EXC(NotSupportedException);
            assert_true(Stream_Seek(v, -1, SeekOrigin_Current) >= 0);
            assert_int_equal(Stream_ReadByte(v), 9);
        }
        /* at the end */
        assert_true(Stream_set_Position(v, len));
        assert_int_equal(Stream_ReadByte(v), -1);
        EXPECT_NO_EXC();
        uint8_t b[4];
        assert_int_equal(Stream_Read(v, b, 0, 4), 0);
        EXPECT_NO_EXC();
        CHECK_PM(!Stream_WriteByte(v, 1), NotSupportedException, NULL, MSG_EXPAND, "WriteByte at the end");
        /* a write that does not fit writes nothing and does not move */
        assert_true(Stream_set_Position(v, len - 2));
        CHECK_PM(!Stream_Write(v, b, 0, 4), NotSupportedException, NULL, MSG_EXPAND, "Write across the end");
        ASSERT_I64(Stream_get_Position(v), len - 2);
        CHECK_PM(!Stream_SetLength(v, 10), NotSupportedException, NULL, "MemoryMappedViewStreams are fixed length.",
                 "SetLength");
        ASSERT_I64(Stream_get_Length(v), len);
        CHECK_PM(Stream_Seek(v, -1, SeekOrigin_Begin) < 0, IOException, NULL,
                 "An attempt was made to move the position before the beginning of the stream.", "Seek before 0");
        CHECK_P(!Stream_set_Position(v, -1), ArgumentOutOfRangeException, "value", "Position -1");
        /* past the end: reads nothing, writes fail */
        assert_true(Stream_set_Position(v, len + 100));
        assert_int_equal(Stream_ReadByte(v), -1);
        EXPECT_NO_EXC();
        CHECK_PM(!Stream_WriteByte(v, 1), NotSupportedException, NULL, MSG_EXPAND, "WriteByte past the end");
        /* a write of nothing is checked as any write (UnmanagedMemoryStream.WriteCore has no early
         * return): past the capacity it cannot move the length there */
        CHECK_PM(!Stream_Write(v, b, 0, 0), NotSupportedException, NULL, MSG_EXPAND, "Write of 0 past the end");
        assert_true(Stream_set_Position(v, len));
        assert_true(Stream_Write(v, b, 0, 0));
        EXPECT_NO_EXC();
        ASSERT_I64(Stream_Seek(v, -4, SeekOrigin_End), len - 4);
        Dispose(v);
    }
    dispose_sample_maps(&s);

    /* BinaryWriter / BinaryReader over a view stream (the seed) */
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 10000);
    MemoryMappedViewStream *stream = MemoryMappedFile_CreateViewStream(m);
    BinaryWriter *writer = BinaryWriter_new(stream);
    assert_true(BinaryWriter_Write(writer, SEED_TEXT));
    assert_true(BinaryWriter_Write(writer, (int32_t)-5));
    assert_true(Dispose(writer)); /* closes the stream: flush and unmap */
    assert_true(Dispose(stream));
    stream = MemoryMappedFile_CreateViewStream(m, 0, 0, MemoryMappedFileAccess_Read);
    BinaryReader *reader = BinaryReader_new(stream);
    char *text = BinaryReader_ReadString(reader);
    assert_string_equal(text, SEED_TEXT);
    String_Free(text);
    assert_int_equal(BinaryReader_ReadInt32(reader), -5);
    Dispose(reader);
    Dispose(stream);
    /* a write-only stream: no reads */
    stream = MemoryMappedFile_CreateViewStream(m, 0, 0, MemoryMappedFileAccess_Write);
    assert_false(Stream_get_CanRead(stream));
    assert_true(Stream_get_CanWrite(stream));
    Dispose(stream);
    Dispose(m);
    END_CHECKS();
}

/* ------------------------------------------------------------------ disposal */

/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateNew.Tests.cs: UnusableAfterDispose; also DoubleDispose,
   MemoryMappedViewAccessor.Tests.cs: DisposeMultipleTimes, InvalidAfterDisposal, and MemoryMappedViewStream.Tests.cs:
   HandleClosedOnDisposal (with what a disposed stream reports) */
static void MemoryMappedFileTests_CreateNew_UnusableAfterDispose(void **state)
{
    (void)state;
    /* a map: Dispose twice (a second reference stands in for .NET's second Dispose on the same
     * object), then no new views */
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 4096);
    Object_Retain(m);
    assert_true(Dispose(m));
    CHECK_PM(!MemoryMappedFile_CreateViewAccessor(m), ObjectDisposedException, NULL,
             "Cannot access a disposed object.\nObject name: 'Microsoft.Win32.SafeHandles.SafeMemoryMappedFileHandle'.",
             "CreateViewAccessor after Dispose");
    CHECK_T(!MemoryMappedFile_CreateViewStream(m), ObjectDisposedException, "CreateViewStream after Dispose");
    CHECK_T(!MemoryMappedFile_CreateViewStream(m, 0, 10), ObjectDisposedException,
            "CreateViewStream(0, 10) after Dispose");
    assert_true(Dispose(m));
    EXPECT_NO_EXC();

    /* an accessor: DisposeMultipleTimes, InvalidAfterDisposal */
    sample_maps s;
    create_sample_maps(&s, 4096, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++) {
        MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(s.m[i]);
        Object_Retain(a);
        assert_true(Dispose(a));
        assert_false(MemoryMappedViewAccessor_get_CanRead(a));
        assert_false(MemoryMappedViewAccessor_get_CanWrite(a));
        EXPECT_NO_EXC();
        CHECK(MemoryMappedViewAccessor_get_Capacity(a) == 4096 || page_size() > 4096, "Capacity after Dispose");
        CHECK(!Exception_get_Current(), "Capacity after Dispose throws nothing");
        MemoryMappedViewAccessor_ReadByte(a, 0);
        CHECK_PM(true, ObjectDisposedException, NULL,
                 "Cannot access a closed accessor.\nObject name: 'UnmanagedMemoryAccessor'.", "ReadByte after Dispose");
        CHECK_T(!MemoryMappedViewAccessor_WriteByte(a, 0, 0), ObjectDisposedException, "Write after Dispose");
        CHECK_PM(!MemoryMappedViewAccessor_Flush(a), ObjectDisposedException, NULL,
                 "Cannot access a closed accessor.\nObject name: 'MemoryMappedViewAccessor'.", "Flush after Dispose");
        uint8_t b[4];
        CHECK_T(MemoryMappedViewAccessor_ReadArray(a, 0, b, 0, 4, 1) < 0, ObjectDisposedException,
                "ReadArray after Dispose");
        /* .NET: PointerOffset is a plain field, readable after Dispose */
        int64_t po = MemoryMappedViewAccessor_get_PointerOffset(a);
        CHECK(po == 0 && !Exception_get_Current(), "PointerOffset after Dispose");
        assert_true(Dispose(a));
        EXPECT_NO_EXC();

        /* a stream */
        MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(s.m[i]);
        Object_Retain(v);
        assert_true(Dispose(v));
        assert_false(Stream_get_CanRead(v));
        assert_false(Stream_get_CanWrite(v));
        assert_false(Stream_get_CanSeek(v));
        CHECK_PM(!Stream_Flush(v), ObjectDisposedException, NULL, MSG_STREAM_CLOSED, "Flush after Dispose");
        CHECK_PM(Stream_ReadByte(v) < 0, ObjectDisposedException, NULL, MSG_STREAM_CLOSED, "ReadByte after Dispose");
        CHECK_PM(!Stream_WriteByte(v, 1), ObjectDisposedException, NULL, MSG_STREAM_CLOSED, "WriteByte after Dispose");
        CHECK_PM(Stream_get_Position(v) < 0, ObjectDisposedException, NULL, MSG_STREAM_CLOSED,
                 "Position after Dispose");
        CHECK_PM(Stream_get_Length(v) < 0, ObjectDisposedException, NULL, MSG_STREAM_CLOSED, "Length after Dispose");
        /* .NET: SetLength says "fixed length" first; PointerOffset stays readable */
        CHECK_PM(!Stream_SetLength(v, 1), NotSupportedException, NULL, "MemoryMappedViewStreams are fixed length.",
                 "SetLength after Dispose");
        po = MemoryMappedViewStream_get_PointerOffset(v);
        CHECK(po == 0 && !Exception_get_Current(), "stream PointerOffset after Dispose");
        assert_true(Stream_Close(v)); /* Close after Dispose: harmless */
        assert_true(Dispose(v));
        EXPECT_NO_EXC();
    }
    dispose_sample_maps(&s);
    END_CHECKS();
}


/* UseAfterMMFDisposal: views outlive their map (and, for a file map, its closed FileStream). */
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedViewAccessor.Tests.cs: UseAfterMMFDisposal (and a view stream) */
static void MemoryMappedViewAccessorTests_UseAfterMMFDisposal(void **state)
{
    (void)state;
    sample_maps s;
    create_sample_maps(&s, 8192, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++) {
        MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(s.m[i]);
        MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(s.m[i], 100, 200);
        assert_non_null(a);
        assert_non_null(v);
        assert_true(Dispose(s.m[i]));
        assert_true(MemoryMappedViewAccessor_get_Capacity(a) >= 8192);
        assert_int_equal(MemoryMappedViewAccessor_ReadByte(a, 0), 0);
        assert_int_equal(MemoryMappedViewAccessor_ReadByte(a, 8191), 0);
        assert_true(MemoryMappedViewAccessor_WriteByte(a, 8191, 42));
        assert_int_equal(MemoryMappedViewAccessor_ReadByte(a, 8191), 42);
        assert_true(MemoryMappedViewAccessor_WriteInt64(a, 100, 0x0102030405060708LL));
        assert_int_equal(Stream_ReadByte(v), 8);
        assert_true(Stream_WriteByte(v, 0xEE));
        assert_int_equal(MemoryMappedViewAccessor_ReadByte(a, 101), 0xEE);
        assert_true(MemoryMappedViewAccessor_Flush(a));
        assert_true(Stream_Flush(v));
        assert_true(Dispose(v));
        assert_true(Dispose(a));
        EXPECT_NO_EXC();
    }
    s.n = 0;
}

/* LeaveOpenRespected_Basic / _OutstandingViews, and maps sharing one FileStream. */
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateFromFile.Tests.cs: LeaveOpenRespected_Basic (a table of .NET's inputs);
   also LeaveOpenRespected_OutstandingViews, MultipleMapsForTheSameFileStream, FileInUse_CreateFromFile_SucceedsWithReadOnly */
static void MemoryMappedFileTests_CreateFromFile_LeaveOpenRespected_Basic(void **state)
{
    (void)state;
    char path[128];
    /* LeaveOpenRespected_Basic's and LeaveOpenRespected_OutstandingViews' rows (views 0 and 1) */
    static const bool leave_opens[] = {true, false};
    for (size_t k = 0; k < sizeof leave_opens / sizeof leave_opens[0]; k++) {
        bool leave = leave_opens[k];
        for (int views = 0; views < 2; views++) {
            sp_temp_name(path, "mmflo");
            make_file(path, 0);
            FileStream *fs = FileStream_new(path, FileMode_Open);
            assert_non_null(fs);
            MemoryMappedFile *m = MemoryMappedFile_CreateFromFile(fs, NULL, 4096, MemoryMappedFileAccess_ReadWrite,
                                                                  HandleInheritability_None, leave != 0);
            assert_non_null(m);
            MemoryMappedViewAccessor *a = views ? MemoryMappedFile_CreateViewAccessor(m, 0, 4096) : NULL;
            MemoryMappedViewStream *v = views ? MemoryMappedFile_CreateViewStream(m, 0, 4096) : NULL;
            assert_true(Dispose(m));
            if (leave) {
                ASSERT_I64(Stream_get_Length(fs), 4096);
                EXPECT_NO_EXC();
            } else {
                ASSERT_I64(Stream_get_Length(fs), -1);
                EXPECT_EXC_MSG(ObjectDisposedException, "Cannot access a closed file.");
                assert_false(Stream_get_CanRead(fs));
            }
            if (views) {
                assert_true(MemoryMappedViewAccessor_WriteInt32(a, 0, 77));
                assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 0), 77);
                assert_int_equal(Stream_ReadByte(v), 77);
                Dispose(v);
                Dispose(a);
            }
            Dispose(fs);
            ASSERT_I64(file_length(path), 4096);
        }
    }
    /* two maps over one FileStream see each other's writes; two Read maps of one file coexist */
    sp_temp_name(path, "mmflo");
    make_file(path, 4096);
    FileStream *fs =
        FileStream_new_ex(path, FileMode_Open, FileAccess_ReadWrite, FileShare_ReadWrite, 4096, FileOptions_None);
    MemoryMappedFile *m1 =
        MemoryMappedFile_CreateFromFile(fs, NULL, 0, MemoryMappedFileAccess_ReadWrite, HandleInheritability_None, true);
    MemoryMappedFile *m2 =
        MemoryMappedFile_CreateFromFile(fs, NULL, 0, MemoryMappedFileAccess_ReadWrite, HandleInheritability_None, true);
    assert_non_null(m1);
    assert_non_null(m2);
    MemoryMappedViewAccessor *a1 = MemoryMappedFile_CreateViewAccessor(m1);
    MemoryMappedViewAccessor *a2 = MemoryMappedFile_CreateViewAccessor(m2);
    assert_true(MemoryMappedViewAccessor_WriteInt32(a1, 64, 0xABCDEF));
    assert_true(MemoryMappedViewAccessor_Flush(a1));
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a2, 64), 0xABCDEF);
    Dispose(a1);
    Dispose(a2);
    Dispose(m1);
    Dispose(m2);
    Dispose(fs);
    MemoryMappedFile *r1 = MemoryMappedFile_CreateFromFile(path, FileMode_Open, NULL, 0, MemoryMappedFileAccess_Read);
    MemoryMappedFile *r2 = MemoryMappedFile_CreateFromFile(path, FileMode_Open, NULL, 0, MemoryMappedFileAccess_Read);
    assert_non_null(r1);
    assert_non_null(r2);
    a1 = MemoryMappedFile_CreateViewAccessor(r2, 0, 0, MemoryMappedFileAccess_Read);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a1, 64), 0xABCDEF);
    Dispose(a1);
    Dispose(r1);
    Dispose(r2);
}

/* DataNotPersistedBetweenMaps, TooLargeCapacity, many maps at once. */
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateNew.Tests.cs: DataNotPersistedBetweenMaps_Unix; also TooLargeCapacity_Unix,
   ManyConcurrentMaps, and a Read map */
static void MemoryMappedFileTests_CreateNew_DataNotPersistedBetweenMaps_Unix(void **state)
{
    (void)state;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 4096);
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m);
    assert_true(MemoryMappedViewAccessor_WriteByte(a, 0, 42));
    Dispose(a);
    Dispose(m);
    m = MemoryMappedFile_CreateNew(NULL, 4096);
    a = MemoryMappedFile_CreateViewAccessor(m);
    assert_int_equal(MemoryMappedViewAccessor_ReadByte(a, 0), 0);
    Dispose(a);
    Dispose(m);

    /* TooLargeCapacity: IOException from CreateNew or from the first view */
    m = MemoryMappedFile_CreateNew(NULL, INT64_MAX);
    if (m) {
        assert_null(MemoryMappedFile_CreateViewAccessor(m));
        EXPECT_EXC(IOException);
        Dispose(m);
    } else {
        EXPECT_EXC(IOException);
    }

    /* 100 maps of 4096 bytes at once */
    enum { N = 100 };
    MemoryMappedFile *maps[N];
    MemoryMappedViewAccessor *views[N];
    for (int i = 0; i < N; i++) {
        maps[i] = MemoryMappedFile_CreateNew(NULL, 4096);
        assert_non_null(maps[i]);
        views[i] = MemoryMappedFile_CreateViewAccessor(maps[i]);
        assert_non_null(views[i]);
        assert_true(MemoryMappedViewAccessor_WriteInt32(views[i], 4092, i));
    }
    for (int i = 0; i < N; i++) {
        assert_int_equal(MemoryMappedViewAccessor_ReadInt32(views[i], 4092), i);
        Dispose(views[i]);
        Dispose(maps[i]);
    }

    /* a Read map has nothing to write: its views are zeros */
    m = MemoryMappedFile_CreateNew(NULL, 4096, MemoryMappedFileAccess_Read);
    assert_non_null(m);
    a = MemoryMappedFile_CreateViewAccessor(m, 0, 0, MemoryMappedFileAccess_Read);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt64(a, 4088), 0);
    Dispose(a);
#ifndef _WIN32
    /* ... and no backing object to hand to a child */
    assert_null(MemoryMappedFile_GetHandleAsString(m));
    EXPECT_EXC(InvalidOperationException);
#endif
    Dispose(m);
}

/* ------------------------------------------------------------------ named maps */

#ifdef __linux__
static bool shm_file_exists(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "/dev/shm/%s", name);
    struct stat st;
    return stat(path, &st) == 0;
}
#endif

/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.OpenExisting.Tests.cs: OpenCreatedNew (the Read rights row, on every platform:
   sharpipc names maps on POSIX too); also the accepted half of MemoryMappedFile.CreateOrOpen.Tests.cs: OpenWrite */
static void MemoryMappedFileTests_OpenExisting_OpenCreatedNew(void **state)
{
    (void)state;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(map_name, 4096);
    assert_non_null(m);
#ifdef __linux__
    assert_true(shm_file_exists(map_name));
#endif
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m);
    assert_true(MemoryMappedViewAccessor_WriteInt32(a, 0, 0x600DF00D));
    Dispose(a);
    /* ReusingNames_Windows: a live name cannot be created again */
    assert_null(MemoryMappedFile_CreateNew(map_name, 4096));
    EXPECT_EXC_MSG(IOException, "Cannot create a file when that file already exists.");
    assert_null(MemoryMappedFile_CreateNew(map_name, 8192, MemoryMappedFileAccess_Read));
    EXPECT_EXC(IOException);
    /* another handle by name sees the data */
    MemoryMappedFile *o = MemoryMappedFile_OpenExisting(map_name);
    assert_non_null(o);
    a = MemoryMappedFile_CreateViewAccessor(o);
    assert_non_null(a);
    assert_true(MemoryMappedViewAccessor_get_Capacity(a) >= 4096);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 0), 0x600DF00D);
    Dispose(a);
    /* CreateOrOpen opens it, whatever capacity it asks for */
    MemoryMappedFile *c = MemoryMappedFile_CreateOrOpen(map_name, 99999);
    assert_non_null(c);
    a = MemoryMappedFile_CreateViewAccessor(c);
    assert_non_null(a);
    assert_true(MemoryMappedViewAccessor_get_Capacity(a) < 99999);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 0), 0x600DF00D);
    Dispose(a);
    /* opened for Read: Read views only */
    MemoryMappedFile *r = MemoryMappedFile_OpenExisting(map_name, MemoryMappedFileRights_Read);
    assert_non_null(r);
    assert_null(MemoryMappedFile_CreateViewAccessor(r));
    EXPECT_EXC(UnauthorizedAccessException);
    a = MemoryMappedFile_CreateViewAccessor(r, 0, 0, MemoryMappedFileAccess_Read);
    assert_non_null(a);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 0), 0x600DF00D);
    Dispose(a);
    Dispose(r);
    /* CreateOrOpen with Write opens an existing map */
    MemoryMappedFile *w = MemoryMappedFile_CreateOrOpen(map_name, 4096, MemoryMappedFileAccess_Write);
    assert_non_null(w);
    a = MemoryMappedFile_CreateViewAccessor(w, 0, 4096, MemoryMappedFileAccess_Write);
    assert_non_null(a);
    assert_true(MemoryMappedViewAccessor_WriteByte(a, 8, 8));
    Dispose(a);
    Dispose(w);
    /* the creator goes, the name stays while others hold it */
    Dispose(m);
    m = MemoryMappedFile_OpenExisting(map_name);
    assert_non_null(m);
    a = MemoryMappedFile_CreateViewAccessor(m);
    assert_int_equal(MemoryMappedViewAccessor_ReadByte(a, 8), 8);
    Dispose(a);
    Dispose(m);
    Dispose(c);
    Dispose(o);
    /* the last holder is gone, and so is the name */
    assert_null(MemoryMappedFile_OpenExisting(map_name));
    EXPECT_EXC_MSG(FileNotFoundException, "Unable to find the specified file.");
#ifdef __linux__
    assert_false(shm_file_exists(map_name));
#endif
    /* CreateOrOpen creates a fresh one: new data */
    c = MemoryMappedFile_CreateOrOpen(map_name, 1234);
    assert_non_null(c);
    a = MemoryMappedFile_CreateViewAccessor(c);
    assert_true(MemoryMappedViewAccessor_get_Capacity(a) >= 1234);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 0), 0);
    Dispose(a);
    Dispose(c);
    assert_null(MemoryMappedFile_OpenExisting(map_name));
    EXPECT_EXC(FileNotFoundException);
}

/* A view keeps its memory, not the name: on Windows a name goes with the last handle to the
 * section, whatever views remain, and sharpipc's POSIX names do the same. */
/* sharpipc's own: a name goes with the last map handle, whatever views remain */
static void named_map_name_goes_with_last_handle(void **state)
{
    (void)state;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(map_name, 4096);
    assert_non_null(m);
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m);
    assert_true(MemoryMappedViewAccessor_WriteInt32(a, 0, 31337));
    Dispose(m);
    assert_null(MemoryMappedFile_OpenExisting(map_name));
    EXPECT_EXC(FileNotFoundException);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 0), 31337);
    /* the name is free for a new map, which does not share the old memory */
    m = MemoryMappedFile_CreateNew(map_name, 4096);
    assert_non_null(m);
    MemoryMappedViewAccessor *b = MemoryMappedFile_CreateViewAccessor(m);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(b, 0), 0);
    assert_true(MemoryMappedViewAccessor_WriteInt32(b, 0, 1));
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 0), 31337);
    Dispose(b);
    Dispose(m);
    Dispose(a);
}

/* MemoryMappedFilesTestBase.CreateValidMapNames: Windows takes them all; sharpipc's POSIX names
 * are file names in /dev/shm (no '/', at most NAME_MAX bytes), see the report. */
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateNew.Tests.cs: ValidMapNames_Windows (MemoryMappedFilesTestsBase.cs: CreateValidMapNames;
   on POSIX the names sharpipc takes), with OpenExisting of each */
static void MemoryMappedFileTests_CreateNew_ValidMapNames_Windows(void **state)
{
    (void)state;
    char names[5][1200];
    int n = 0;
    snprintf(names[n++], sizeof names[0], "%s", map_name);
    /* a name that is entirely whitespace */
    static const char ws[4] = {' ', '\t', '\r', '\n'};
    unsigned seed = (unsigned)sp_getpid() * 2654435761u;
    for (int i = 0; i < 64; i++) {
        seed = seed * 1103515245u + 12345u;
        names[n][i] = ws[(seed >> 16) & 3];
    }
    names[n++][64] = 0;
#ifdef _WIN32
    snprintf(names[n++], sizeof names[0], "local/%s", map_name);
    snprintf(names[n++], sizeof names[0], "global/%s", map_name);
    snprintf(names[n], sizeof names[0], "%s", map_name);
    memset(names[n] + strlen(names[n]), 'a', 1000);
    names[n++][strlen(map_name) + 1000] = 0;
#endif
    for (int i = 0; i < n; i++) {
        MemoryMappedFile *m = MemoryMappedFile_CreateNew(names[i], 4096);
        if (!m)
            fail_msg("name %d: %s", i, Exception_get_Message(Exception_get_Current()));
        MemoryMappedFile *o = MemoryMappedFile_OpenExisting(names[i]);
        assert_non_null(o);
        Dispose(o);
        Dispose(m);
        assert_null(MemoryMappedFile_OpenExisting(names[i]));
        EXPECT_EXC(FileNotFoundException);
    }
}

/* sharpipc's own: the Local\ and Global\ name prefixes */
static void named_map_prefixes(void **state)
{
    (void)state;
    char local[160], global[160], g2[128];
    snprintf(local, sizeof local, "Local\\%s", map_name);
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(local, 4096);
    assert_non_null(m);
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m);
    assert_true(MemoryMappedViewAccessor_WriteInt32(a, 0, 1111));
    Dispose(a);
    /* Local\ is the namespace a plain name lives in */
    MemoryMappedFile *o = MemoryMappedFile_OpenExisting(map_name);
    assert_non_null(o);
    a = MemoryMappedFile_CreateViewAccessor(o);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 0), 1111);
    Dispose(a);
    Dispose(o);
    o = MemoryMappedFile_OpenExisting(local);
    assert_non_null(o);
    Dispose(o);
    assert_null(MemoryMappedFile_CreateNew(map_name, 4096));
    EXPECT_EXC(IOException);
    Dispose(m);
    assert_null(MemoryMappedFile_OpenExisting(local));
    EXPECT_EXC(FileNotFoundException);

    snprintf(global, sizeof global, "Global\\%s", fresh_name(g2));
    m = MemoryMappedFile_CreateNew(global, 4096);
    assert_non_null(m);
    a = MemoryMappedFile_CreateViewAccessor(m);
    assert_true(MemoryMappedViewAccessor_WriteInt32(a, 0, 2222));
    Dispose(a);
    o = MemoryMappedFile_OpenExisting(global);
    assert_non_null(o);
    a = MemoryMappedFile_CreateViewAccessor(o);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 0), 2222);
    Dispose(a);
    Dispose(o);
#ifndef _WIN32
    /* POSIX has one namespace: Global\x, Local\x and x are one object, /dev/shm/x */
    o = MemoryMappedFile_OpenExisting(g2);
    assert_non_null(o);
    Dispose(o);
#  ifdef __linux__
    assert_true(shm_file_exists(g2));
#  endif
#endif
    Dispose(m);
    assert_null(MemoryMappedFile_OpenExisting(global));
    EXPECT_EXC(FileNotFoundException);
}

/* Polls until the child has created the map and marked it ready; returns the open map. */
static MemoryMappedFile *wait_for_child_map(const char *name, MemoryMappedViewAccessor **view)
{
    for (int i = 0; i < 2000; i++) {
        MemoryMappedFile *o = MemoryMappedFile_OpenExisting(name);
        if (o) {
            MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(o);
            if (a && MemoryMappedViewAccessor_ReadByte(a, 0) == 1) {
                *view = a;
                return o;
            }
            Dispose(a);
            Dispose(o);
        }
        sp_sleep_ms(10);
    }
    fail_msg("the child's map %s never became ready", name);
    return NULL;
}

/* sharpipc's own: a named map whose creator was killed */
static void named_map_of_killed_process(void **state)
{
    (void)state;
    const char *args[1] = {map_name};
    /* 1. this process holds it while its creator is killed: the name lives on */
    sp_child *child = sp_child_start("hold-named", args, 1);
    assert_non_null(child);
    MemoryMappedViewAccessor *a = NULL;
    MemoryMappedFile *o = wait_for_child_map(map_name, &a);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 4), 4242);
    sp_child_kill(child);
    sp_child_free(child);
    MemoryMappedFile *o2 = MemoryMappedFile_OpenExisting(map_name);
    assert_non_null(o2);
    Dispose(o2);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 4), 4242);
    Dispose(a);
    Dispose(o);
    assert_null(MemoryMappedFile_OpenExisting(map_name));
    EXPECT_EXC(FileNotFoundException);
#ifdef __linux__
    assert_false(shm_file_exists(map_name));
#endif

    /* 2. nobody else holds it: the killed process's name is gone (Windows) / left behind and
     *    reclaimed at the next use (POSIX) */
    child = sp_child_start("hold-named", args, 1);
    assert_non_null(child);
    o = wait_for_child_map(map_name, &a);
    Dispose(a);
    Dispose(o);
    o = MemoryMappedFile_OpenExisting(map_name); /* the child still holds it */
    assert_non_null(o);
    Dispose(o);
    sp_child_kill(child);
    sp_child_free(child);
#ifdef __linux__
    assert_true(shm_file_exists(map_name)); /* what SIGKILL leaves */
    sp_sleep_ms(150);                       /* an unheld object younger than 100 ms may still be a starting peer's */
#endif
    assert_null(MemoryMappedFile_OpenExisting(map_name));
    EXPECT_EXC_MSG(FileNotFoundException, "Unable to find the specified file.");
#ifdef __linux__
    assert_false(shm_file_exists(map_name));
#endif

    /* 3. left behind again, then taken by CreateNew: a fresh, zeroed map */
    child = sp_child_start("hold-named", args, 1);
    o = wait_for_child_map(map_name, &a);
    Dispose(a);
    Dispose(o);
    sp_child_kill(child);
    sp_child_free(child);
#ifdef __linux__
    sp_sleep_ms(150);
#endif
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(map_name, 4096);
    assert_non_null(m);
    a = MemoryMappedFile_CreateViewAccessor(m);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 4), 0);
    Dispose(a);
    Dispose(m);
    /* 4. and by CreateOrOpen, which must create, not open the dead one */
    child = sp_child_start("hold-named", args, 1);
    o = wait_for_child_map(map_name, &a);
    Dispose(a);
    Dispose(o);
    sp_child_kill(child);
    sp_child_free(child);
#ifdef __linux__
    sp_sleep_ms(150);
#endif
    m = MemoryMappedFile_CreateOrOpen(map_name, 8192);
    assert_non_null(m);
    a = MemoryMappedFile_CreateViewAccessor(m);
    assert_true(MemoryMappedViewAccessor_get_Capacity(a) >= 8192);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 4), 0);
    Dispose(a);
    Dispose(m);
    assert_null(MemoryMappedFile_OpenExisting(map_name));
    EXPECT_EXC(FileNotFoundException);
}


/* sharpipc's own (cf. Windows, where a kernel object's name goes with its last holder process): a
 * map created and left without Dispose by a process that exited is free at once, for CreateNew
 * and for OpenExisting, with no grace period (a restarting service creates it again at once). */
static void named_map_left_by_exited_process_free_at_once(void **state)
{
    (void)state;
    const char *args[1] = {map_name};
    for (int round = 0; round < 3; round++) {
        sp_child *child = sp_child_start("create-and-exit", args, 1);
        assert_non_null(child);
        assert_int_equal(sp_child_wait(child, 20000), CHILD_OK);
        sp_child_free(child);
        if (round == 0) {
            assert_null(MemoryMappedFile_OpenExisting(map_name));
            EXPECT_EXC_MSG(FileNotFoundException, "Unable to find the specified file.");
            continue;
        }
        MemoryMappedFile *m =
            round == 1 ? MemoryMappedFile_CreateNew(map_name, 4096) : MemoryMappedFile_CreateOrOpen(map_name, 4096);
        if (!m)
            fail_msg("round %d: %s", round, Exception_get_Message(Exception_get_Current()));
        MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m);
        assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 0), 0); /* fresh, not the dead one's */
        Dispose(a);
        Dispose(m);
    }
}

#ifdef __linux__
/* A file in /dev/shm made by a program that is not sharpipc (.NET's FileStream through
 * CreateFromFile("/dev/shm/<name>")) takes its lock a moment after creating it: while young and
 * unheld it is still taken for a live map (the interop path of docs/interop.md). */
static void named_map_foreign_file_young_and_unheld_is_live(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "/dev/shm/%s", map_name);
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 4096), 0);
    MemoryMappedFile *o = MemoryMappedFile_OpenExisting(map_name);
    if (!o)
        fail_msg("%s", Exception_get_Message(Exception_get_Current()));
    Dispose(o);
    close(fd);
    unlink(path);
}

/* ---- another local user against named maps (sp_users.h: `nobody`, a private /dev/shm) */

static bool other_user_scenarios_available(void)
{
    const char *why = sp_users_unavailable();
    if (why)
        print_message("    (skipped: %s)\n", why);
    return why == NULL;
}

/* The other user plants a symlink at every path of /dev/shm sharpipc might use. */
static int plant_links(int ready, void *arg)
{
    const char *const *links = arg;
    for (int i = 0; links[i]; i++)
        if (symlink("/dev/shm/victim-target", links[i]) != 0)
            return 1;
    sp_other_user_ready(ready);
    return 0;
}

static int scenario_links_not_followed(void *arg)
{
    const char *name = arg;
    char link_path[256];
    snprintf(link_path, sizeof link_path, "/dev/shm/%s", name);
    int t = open("/dev/shm/victim-target", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (t < 0 || write(t, "root's", 6) != 6)
        return 2;
    close(t);
    const char *links[] = {"/dev/shm/.sharpipc-names.lock", link_path, NULL};
    if (sp_as_other_user(plant_links, (void *)links) != 0)
        return 3;
    /* a map of another name: whatever lock sharpipc takes, it must not open a planted link */
    MemoryMappedFile *m = MemoryMappedFile_CreateNew("unrelated", 4096);
    if (!m)
        return 4;
    Dispose(m);
    /* the name itself is a link: refused, never followed */
    if (MemoryMappedFile_CreateOrOpen(name, 4096) ||
        !Exception_Is(Exception_get_Current(), ExceptionType_UnauthorizedAccessException))
        return 5;
    if (MemoryMappedFile_OpenExisting(name) ||
        !Exception_Is(Exception_get_Current(), ExceptionType_UnauthorizedAccessException))
        return 6;
    if (MemoryMappedFile_CreateNew(name, 4096))
        return 7;
    struct stat st;
    if (stat("/dev/shm/victim-target", &st) != 0 || (st.st_mode & 07777) != 0644 || st.st_size != 6)
        return 8; /* made world-writable, or truncated, through the link */
    return 0;
}

/* sharpipc's own: no path operation on /dev/shm follows a link another user planted there. */
static void named_map_other_user_links_not_followed(void **state)
{
    (void)state;
    SP_REQUIRE(other_user_scenarios_available(), "a second user and a private /dev/shm (root, a mount namespace)");
    assert_int_equal(sp_private_shm_run(scenario_links_not_followed, map_name, 20000), 0);
}

/* The other user holds an exclusive flock on everything of /dev/shm it can open (the old global
 * name lock included) and waits. */
static int hold_every_lock(int ready, void *arg)
{
    (void)arg;
    int fd = open("/dev/shm/.sharpipc-names.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd >= 0) {
        fchmod(fd, 0666);
        flock(fd, LOCK_EX);
    }
    const char *const *names = arg;
    for (int i = 0; names && names[i]; i++) { /* the victim's objects, if it could open them */
        char path[256];
        snprintf(path, sizeof path, "/dev/shm/%s", names[i]);
        int o = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (o >= 0) {
            flock(o, LOCK_EX | LOCK_NB);
            return 5; /* it could: the object is readable by others */
        }
    }
    sp_other_user_ready(ready);
    sleep(30);
    return 0;
}

static int scenario_other_user_cannot_block(void *arg)
{
    (void)arg;
    /* a map that exists before the other user comes */
    MemoryMappedFile *early = MemoryMappedFile_CreateNew("early", 4096);
    Mutex *early_mutex = Mutex_new(false, "early");
    if (!early || !early_mutex)
        return 2;
    const char *names[] = {"early", "sharpipc.sync.early", NULL};
    sp_other_user u;
    if (!sp_other_user_start(&u, hold_every_lock, (void *)names))
        return 3;
    if (!sp_other_user_wait_ready(&u))
        return 4;
    alarm(5); /* frozen: SIGALRM ends the scenario, and the test fails */
    MemoryMappedFile *m = MemoryMappedFile_CreateNew("late", 4096);
    MemoryMappedFile *o = MemoryMappedFile_OpenExisting("early");
    Mutex *mx = Mutex_new(false, "late");
    Semaphore *s = Semaphore_OpenExisting("early");
    if (!m || !o || !mx || s || !Mutex_WaitOne(early_mutex, 0) || !Mutex_ReleaseMutex(early_mutex))
        return 6;
    Dispose(m);
    Dispose(o);
    Dispose(mx);
    Dispose(early);
    Dispose(early_mutex);
    alarm(0);
    sp_other_user_kill(&u);
    return 0;
}

/* sharpipc's own: another user can neither open sharpipc's objects nor freeze, by holding a lock,
 * the creation, opening or closing of named maps and named synchronization objects. */
static void named_map_other_user_cannot_block(void **state)
{
    (void)state;
    SP_REQUIRE(other_user_scenarios_available(), "a second user and a private /dev/shm (root, a mount namespace)");
    assert_int_equal(sp_private_shm_run(scenario_other_user_cannot_block, NULL, 20000), 0);
}

/* The other user makes a live map of its own, writable by everyone, and holds it. */
static int offer_world_writable_map(int ready, void *arg)
{
    const char *name = arg;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(name, 4096);
    if (!m)
        return 1;
    char path[256];
    snprintf(path, sizeof path, "/dev/shm/%s", name);
    if (chmod(path, 0666) != 0)
        return 2;
    if (mkfifo("/dev/shm/a-fifo", 0666) != 0)
        return 3;
    sp_other_user_ready(ready);
    sleep(30);
    return 0;
}

static int scenario_other_users_map_refused(void *arg)
{
    (void)arg;
    sp_other_user u;
    if (!sp_other_user_start(&u, offer_world_writable_map, "theirs") || !sp_other_user_wait_ready(&u))
        return 2;
    alarm(5);
    int rc = 0;
    if (MemoryMappedFile_CreateOrOpen("theirs", 4096))
        rc = 3; /* root would share another user's memory */
    else if (!Exception_Is(Exception_get_Current(), ExceptionType_UnauthorizedAccessException) ||
             strcmp(Exception_get_Message(Exception_get_Current()), "Access to the path is denied.") != 0)
        rc = 4;
    else if (MemoryMappedFile_OpenExisting("theirs") ||
             !Exception_Is(Exception_get_Current(), ExceptionType_UnauthorizedAccessException))
        rc = 5;
    else if (MemoryMappedFile_CreateNew("theirs", 4096) ||
             !Exception_Is(Exception_get_Current(), ExceptionType_UnauthorizedAccessException))
        rc = 6;
    else if (MemoryMappedFile_OpenExisting("a-fifo") || /* not a regular file: refused, without blocking */
             !Exception_Is(Exception_get_Current(), ExceptionType_UnauthorizedAccessException))
        rc = 7;
    sp_other_user_kill(&u);
    /* root's own object, made writable by others: refused too */
    if (!rc) {
        int fd = open("/dev/shm/rootmap", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 || ftruncate(fd, 4096) != 0 || fchmod(fd, 0666) != 0 || flock(fd, LOCK_SH) != 0)
            rc = 8;
        else if (MemoryMappedFile_OpenExisting("rootmap") ||
                 !Exception_Is(Exception_get_Current(), ExceptionType_UnauthorizedAccessException))
            rc = 9;
    }
    /* and what sharpipc makes is for its user alone */
    MemoryMappedFile *m = rc ? NULL : MemoryMappedFile_CreateNew("mine", 4096);
    struct stat st;
    if (!rc && (!m || stat("/dev/shm/mine", &st) != 0 || (st.st_mode & 0077) != 0 || st.st_uid != geteuid()))
        rc = 10;
    Dispose(m);
    return rc;
}

/* sharpipc's own (as a kernel object's security descriptor): a named map that another user owns,
 * or that others may write, is UnauthorizedAccessException, never shared; sharpipc's are 0600. */
static void named_map_other_users_object_refused(void **state)
{
    (void)state;
    SP_REQUIRE(other_user_scenarios_available(), "a second user and a private /dev/shm (root, a mount namespace)");
    assert_int_equal(sp_private_shm_run(scenario_other_users_map_refused, NULL, 20000), 0);
}
#endif

#ifndef _WIN32
/* sharpipc's own: map names and synchronization object names are kept apart on POSIX, where both
 * live in /dev/shm: no map name reaches the shared state of a Mutex. (Not on Windows: one
 * namespace of kernel objects, each with its type.) */
static void named_map_cannot_reach_sync_object(void **state)
{
    (void)state;
    Mutex *mx = Mutex_new(false, map_name);
    assert_non_null(mx);
    char spelled[200];
    snprintf(spelled, sizeof spelled, "sharpipc.sync.%s", map_name);
    assert_null(MemoryMappedFile_OpenExisting(spelled));
    EXPECT_EXC_MSG(ArgumentException, "The map name may not begin with 'sharpipc.sync.': on this platform that "
                                      "prefix names synchronization objects. (Parameter 'mapName')");
    assert_null(MemoryMappedFile_CreateOrOpen(spelled, 4096));
    EXPECT_EXC(ArgumentException);
    snprintf(spelled, sizeof spelled, "Global\\sharpipc.sync.%s", map_name);
    assert_null(MemoryMappedFile_CreateNew(spelled, 4096));
    EXPECT_EXC(ArgumentException);
    Dispose(mx);
}
#endif

/* The seed: this process creates the named map and writes; a child opens it by name, reads, answers. */
/* sharpipc's own: a named map written by this process and a child (the README's example) */
static void named_map_across_processes(void **state)
{
    (void)state;
    MemoryMappedFile *mmf = MemoryMappedFile_CreateNew(map_name, 10000);
    assert_non_null(mmf);
    MemoryMappedViewStream *stream = MemoryMappedFile_CreateViewStream(mmf);
    BinaryWriter *writer = BinaryWriter_new(stream);
    assert_true(BinaryWriter_Write(writer, SEED_TEXT));
    Dispose(writer);
    Dispose(stream);
    const char *args[1] = {map_name};
    sp_child *child = sp_child_start("open-and-write", args, 1);
    assert_non_null(child);
    assert_int_equal(sp_child_wait(child, 30000), CHILD_OK);
    sp_child_free(child);
    stream = MemoryMappedFile_CreateViewStream(mmf, 5000, 4000);
    BinaryReader *reader = BinaryReader_new(stream);
    char *text = BinaryReader_ReadString(reader);
    assert_non_null(text);
    assert_string_equal(text, CHILD_TEXT);
    String_Free(text);
    Dispose(reader);
    Dispose(stream);
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(mmf, 9000, 1000, MemoryMappedFileAccess_Read);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(a, 0), 0x12345678);
    double d = MemoryMappedViewAccessor_ReadDouble(a, 4);
    uint64_t bits;
    memcpy(&bits, &d, 8);
    ASSERT_U64(bits, 0x8000000000000000ULL);
    Decimal dec = MemoryMappedViewAccessor_ReadDecimal(a, 12);
    Decimal want = Decimal_new(12345, 0, 0, true, 3);
    assert_memory_equal(&dec, &want, sizeof dec);
    Dispose(a);
    Dispose(mmf);
    assert_null(MemoryMappedFile_OpenExisting(map_name));
    EXPECT_EXC(FileNotFoundException);
}

/* An anonymous Inheritable map, handed to a child on its command line. */
/* sharpipc's own: an inheritable anonymous map handed to a child */
static void inherited_anonymous_map(void **state)
{
    (void)state;
    const int64_t cap = 4096 + 123;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, cap, MemoryMappedFileAccess_ReadWrite,
                                                     MemoryMappedFileOptions_None, HandleInheritability_Inheritable);
    assert_non_null(m);
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m);
    for (int64_t i = 0; i < cap; i++)
        MemoryMappedViewAccessor_WriteByte(a, i, (uint8_t)(i * 7));
    char *handle = MemoryMappedFile_GetHandleAsString(m);
    assert_non_null(handle);
    char capacity[32];
    snprintf(capacity, sizeof capacity, "%lld", (long long)cap);
    const char *args[2] = {handle, capacity};
    sp_child *child = sp_child_start("inherited", args, 2);
    assert_non_null(child);
    assert_int_equal(sp_child_wait(child, 30000), CHILD_OK);
    sp_child_free(child);
    for (int64_t i = 0; i < cap; i++)
        if (MemoryMappedViewAccessor_ReadByte(a, i) != (uint8_t)(i * 13 + 1))
            fail_msg("byte %lld: the child's write is not visible", (long long)i);
    String_Free(handle);
    Dispose(a);
    Dispose(m);

    assert_null(MemoryMappedFile_OpenFromHandleString(NULL, 10, MemoryMappedFileAccess_ReadWrite));
    EXPECT_EXC(ArgumentNullException);
    assert_null(MemoryMappedFile_OpenFromHandleString("not a handle", 10, MemoryMappedFileAccess_ReadWrite));
    EXPECT_EXC(ArgumentException);

    /* A capacity the object does not have is refused, not mapped past the object's end (where
     * every access would be SIGBUS). Windows' MapViewOfFile refuses such a view by itself. */
    m = MemoryMappedFile_CreateNew(NULL, 4096, MemoryMappedFileAccess_ReadWrite, MemoryMappedFileOptions_None,
                                   HandleInheritability_Inheritable);
    handle = MemoryMappedFile_GetHandleAsString(m);
    assert_non_null(handle);
#ifndef _WIN32
    assert_null(MemoryMappedFile_OpenFromHandleString(handle, 4096 * 16, MemoryMappedFileAccess_ReadWrite));
    EXPECT_EXC_MSG(ArgumentOutOfRangeException,
                   "The capacity must not be larger than the memory-mapped object the handle refers to. "
                   "(Parameter 'capacity')");
#endif
    String_Free(handle);
    Dispose(m);
}

/* CrossProcess.cs DataShared: a file map written by two processes in turn. */
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CrossProcess.cs: DataShared */
static void CrossProcessTests_DataShared(void **state)
{
    (void)state;
    char path[128];
    sp_temp_name(path, "mmfxp");
    make_file(path, 4096);
    FileStream *fs =
        FileStream_new_ex(path, FileMode_Open, FileAccess_ReadWrite, FileShare_ReadWrite, 4096, FileOptions_None);
    assert_non_null(fs);
    MemoryMappedFile *m = MemoryMappedFile_CreateFromFile(
        fs, NULL, Stream_get_Length(fs), MemoryMappedFileAccess_ReadWrite, HandleInheritability_None, true);
    assert_non_null(m);
    MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(m);
    int64_t capacity = MemoryMappedViewAccessor_get_Capacity(acc);
    for (int64_t i = 0; i < capacity; i++)
        MemoryMappedViewAccessor_WriteByte(acc, i, (uint8_t)i);
    assert_true(MemoryMappedViewAccessor_Flush(acc));
    const char *args[1] = {path};
    sp_child *child = sp_child_start("file-other-process", args, 1);
    assert_non_null(child);
    assert_int_equal(sp_child_wait(child, 30000), CHILD_OK);
    sp_child_free(child);
    for (int64_t i = 0; i < capacity; i++)
        if (MemoryMappedViewAccessor_ReadByte(acc, i) != (uint8_t)(capacity - i - 1))
            fail_msg("byte %lld: the other process's write is not visible", (long long)i);
    Dispose(acc);
    Dispose(m);
    Dispose(fs);
    /* and the file holds it */
    int32_t n;
    uint8_t *data = sp_read_file(path, &n);
    assert_int_equal(n, 4096);
    for (int i = 0; i < n; i++)
        if (data[i] != (uint8_t)(4096 - i - 1))
            fail_msg("file byte %d", i);
    free(data);
}

/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedViewStream.Tests.cs: AllReadWriteMethods */
static void MemoryMappedViewStreamTests_AllReadWriteMethods(void **state)
{
    (void)state;
    static const int64_t cases[][2] = {{0, 8192}, {8100, 92}, {0, 20}, {1, 8191}, {17, 8175}, {17, 20}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int64_t offset = cases[c][0], size = cases[c][1];
        sample_maps s;
        create_sample_maps(&s, 8192, MemoryMappedFileAccess_ReadWrite);
        for (int i = 0; i < s.n; i++) {
            MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(s.m[i], offset, size);
            assert_non_null(v);
            /* write and read at the beginning */
            assert_true(Stream_set_Position(v, 0));
            assert_true(Stream_WriteByte(v, 42));
            assert_true(Stream_set_Position(v, 0));
            assert_int_equal(Stream_ReadByte(v), 42);
            /* write and read at the end */
            uint8_t data[3] = {1, 2, 3};
            int64_t len = Stream_get_Length(v);
            assert_true(Stream_set_Position(v, len - 3));
            assert_true(Stream_Write(v, data, 0, 3));
            assert_true(Stream_set_Position(v, len - 3));
            memset(data, 0, sizeof data);
            assert_int_equal(Stream_Read(v, data, 0, 3), 3);
            ASSERT_BYTES(data, 3, "\x01\x02\x03", 3);
            /* reading and writing past the end */
            assert_true(Stream_set_Position(v, len));
            assert_int_equal(Stream_ReadByte(v), -1);
            assert_false(Stream_WriteByte(v, 42));
            EXPECT_EXC(NotSupportedException);
            Dispose(v);
        }
        dispose_sample_maps(&s);
    }
}

/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateFromFile.Tests.cs: FileAccessAndMapAccessCombinations_Valid */
static void MemoryMappedFileTests_CreateFromFile_FileAccessAndMapAccessCombinations_Valid(void **state)
{
    (void)state;
    static const struct {
        FileAccess file;
        MemoryMappedFileAccess map;
    } cases[] = {
        {FileAccess_ReadWrite, MemoryMappedFileAccess_Read},
        {FileAccess_ReadWrite, MemoryMappedFileAccess_ReadWrite},
        {FileAccess_ReadWrite, MemoryMappedFileAccess_CopyOnWrite},
        {FileAccess_Read, MemoryMappedFileAccess_Read},
        {FileAccess_Read, MemoryMappedFileAccess_CopyOnWrite},
    };
    const int64_t cap = 4096;
    char path[128], label[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sp_temp_name(path, "mmfva");
        make_file(path, cap);
        FileStream *fs = FileStream_new(path, FileMode_Open, cases[i].file);
        assert_non_null(fs);
        MemoryMappedFile *m =
            MemoryMappedFile_CreateFromFile(fs, NULL, cap, cases[i].map, HandleInheritability_None, true);
        if (!m)
            fail_msg("file access %d, map access %d: %s", cases[i].file, cases[i].map,
                     Exception_get_Message(Exception_get_Current()));
        snprintf(label, sizeof label, "file access %d, map access %d", cases[i].file, cases[i].map);
        validate_views(m, cap, cases[i].map, label);
        Dispose(m);
        Dispose(fs);
    }
}

/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateFromFile.Tests.cs: FileSizeExpandsToCapacity (with a path and with a FileStream) */
static void MemoryMappedFileTests_CreateFromFile_FileSizeExpandsToCapacity(void **state)
{
    (void)state;
    const int64_t initial = 256;
    char path[128];
    sp_temp_name(path, "mmfex");
    make_file(path, initial);
    MemoryMappedFile *m = MemoryMappedFile_CreateFromFile(path, FileMode_Open, NULL, initial * 2);
    assert_non_null(m);
    Dispose(m);
    ASSERT_I64(file_length(path), initial * 2);
    FileStream *fs = FileStream_new(path, FileMode_Open);
    assert_non_null(fs);
    m = MemoryMappedFile_CreateFromFile(fs, NULL, initial * 4, MemoryMappedFileAccess_ReadWrite,
                                        HandleInheritability_None, true);
    assert_non_null(m);
    Dispose(m);
    ASSERT_I64(Stream_get_Length(fs), initial * 4);
    Dispose(fs);
}

#ifndef _WIN32
/* dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests/MemoryMappedFile.CreateFromFile.Tests.cs:
 * ValidateDeviceAccess, the view of OpenCharacterDeviceAsStream / OpenCharacterDeviceAsFile. */
static void validate_device_access(MemoryMappedFile *map, int64_t view_capacity, MemoryMappedFileAccess access)
{
    MemoryMappedViewAccessor *view = MemoryMappedFile_CreateViewAccessor_ex(map, 0, view_capacity, access);
    assert_non_null(view);
    if (access != MemoryMappedFileAccess_Write)
        assert_int_equal(MemoryMappedViewAccessor_ReadByte(view, 0), 0); /* /dev/zero returns zeroes */
    if (access != MemoryMappedFileAccess_Read)
        assert_true(MemoryMappedViewAccessor_WriteByte(view, 0, 1));
    Dispose(view);
}

/* .NET skips its file-size checks for character devices (a length of 0 that maps anyway); it lets
 * the OS refuse with UnauthorizedAccessException or ENODEV, which the test accepts too. */
static bool device_refused(void)
{
    const Exception *e = Exception_get_Current();
    bool refused = e && (Exception_get_Type(e) == ExceptionType_UnauthorizedAccessException ||
                         (Exception_Is(e, ExceptionType_IOException) && Exception_get_HResult(e) == 19));
    if (refused)
        print_message("the OS refused to map /dev/zero: %s\n", Exception_get_Message(e));
    return refused;
}

/* dotnet/runtime ...CreateFromFile.Tests.cs: OpenCharacterDeviceAsStream [Theory: Read, ReadWrite] */
static void MemoryMappedFileTests_CreateFromFile_OpenCharacterDeviceAsStream(void **state)
{
    (void)state;
    static const MemoryMappedFileAccess rows[] = {MemoryMappedFileAccess_Read, MemoryMappedFileAccess_ReadWrite};
    SP_REQUIRE(File_Exists("/dev/zero"), "/dev/zero");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        FileStream *fs = FileStream_new_ex("/dev/zero", FileMode_Open, FileAccess_ReadWrite, FileShare_ReadWrite, -1,
                                           FileOptions_None);
        assert_non_null(fs);
        MemoryMappedFile *map =
            MemoryMappedFile_CreateFromFileStream(fs, NULL, 0xFF, rows[i], HandleInheritability_None, false);
        if (map) {
            validate_device_access(map, 0xFF, rows[i]);
            Dispose(map);
        } else if (!device_refused()) {
            fail_msg("access %d: %s", (int)rows[i], Exception_get_Message(Exception_get_Current()));
        }
        Dispose(fs);
    }
}

/* dotnet/runtime ...CreateFromFile.Tests.cs: OpenCharacterDeviceAsFile [Theory: Read, ReadWrite] */
static void MemoryMappedFileTests_CreateFromFile_OpenCharacterDeviceAsFile(void **state)
{
    (void)state;
    static const MemoryMappedFileAccess rows[] = {MemoryMappedFileAccess_Read, MemoryMappedFileAccess_ReadWrite};
    SP_REQUIRE(File_Exists("/dev/zero"), "/dev/zero");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        MemoryMappedFile *map = MemoryMappedFile_CreateFromFile_ex("/dev/zero", FileMode_Open, NULL, 0xFF, rows[i]);
        if (map) {
            validate_device_access(map, 0xFF, rows[i]);
            Dispose(map);
        } else if (!device_refused()) {
            fail_msg("access %d: %s", (int)rows[i], Exception_get_Message(Exception_get_Current()));
        }
    }
}
#endif

int main(int argc, char **argv)
{
    static const char *const names[] = {"open-and-write",        "hold-named",     "inherited", "file-other-process",
                                        "write-at-max-position", "create-and-exit"};
    static const sp_child_role roles[] = {
        role_open_and_write,        role_hold_named,     role_inherited, role_file_other_process,
        role_write_at_max_position, role_create_and_exit};
    int child = sp_child_main(argc, argv, names, roles, 6);
    if (child >= 0)
        return child;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateNew_InvalidArguments_MapName, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateOrOpen_InvalidArguments_MapName, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_OpenExisting_InvalidArguments_Name, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateFromFile_InvalidArguments_Path, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateFromFile_InvalidArguments_FileStream, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateFromFile_DefaultCapacityIsFileLength, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateFromFile_TooLargeCapacity, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateFromFile_WriteToReadOnlyFile_ReadWrite, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateFromFile_FileAccessAndMapAccessCombinations_Invalid_Unix,
                               setup),
        cmocka_unit_test_setup(MemoryMappedViewAccessorTests_InvalidArguments, setup),
        cmocka_unit_test_setup(MemoryMappedViewAccessorTests_PointerOffsetMatchesViewStart, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateNew_RoundedUpCapacity_Unix, setup),
        cmocka_unit_test_setup(MemoryMappedViewAccessorTests_ValidAccessLevelCombinations, setup),
        cmocka_unit_test_setup(MemoryMappedViewAccessorTests_AllReadWriteMethods, setup),
        cmocka_unit_test_setup(accessor_value_layouts, setup),
        cmocka_unit_test_setup(struct_and_array_access, setup),
        cmocka_unit_test_setup(MemoryMappedViewAccessorTests_FlushSupportedOnBothReadAndWriteAccessors, setup),
        cmocka_unit_test_setup(MemoryMappedViewAccessorTests_ViewsShareData, setup),
        cmocka_unit_test_setup(MemoryMappedViewAccessorTests_CopyOnWrite, setup),
        cmocka_unit_test_setup(view_stream_semantics, setup),
        cmocka_unit_test_setup(view_stream_seek_with_offsets_near_the_int64_limits, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateNew_UnusableAfterDispose, setup),
        cmocka_unit_test_setup(MemoryMappedViewAccessorTests_UseAfterMMFDisposal, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateFromFile_LeaveOpenRespected_Basic, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateNew_DataNotPersistedBetweenMaps_Unix, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_OpenExisting_OpenCreatedNew, setup),
        cmocka_unit_test_setup(named_map_name_goes_with_last_handle, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateNew_ValidMapNames_Windows, setup),
        cmocka_unit_test_setup(named_map_prefixes, setup),
        cmocka_unit_test_setup(named_map_of_killed_process, setup),
        cmocka_unit_test_setup(named_map_left_by_exited_process_free_at_once, setup),
#ifdef __linux__
        cmocka_unit_test_setup(named_map_foreign_file_young_and_unheld_is_live, setup),
        cmocka_unit_test_setup(named_map_other_user_links_not_followed, setup),
        cmocka_unit_test_setup(named_map_other_user_cannot_block, setup),
        cmocka_unit_test_setup(named_map_other_users_object_refused, setup),
#endif
#ifndef _WIN32
        cmocka_unit_test_setup(named_map_cannot_reach_sync_object, setup),
#endif
        cmocka_unit_test_setup(named_map_across_processes, setup),
        cmocka_unit_test_setup(inherited_anonymous_map, setup),
        cmocka_unit_test_setup(CrossProcessTests_DataShared, setup),
        cmocka_unit_test_setup(MemoryMappedViewStreamTests_AllReadWriteMethods, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateFromFile_FileAccessAndMapAccessCombinations_Valid, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateFromFile_FileSizeExpandsToCapacity, setup),
#ifndef _WIN32
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateFromFile_OpenCharacterDeviceAsStream, setup),
        cmocka_unit_test_setup(MemoryMappedFileTests_CreateFromFile_OpenCharacterDeviceAsFile, setup),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, sp_remove_temp_files);
}
