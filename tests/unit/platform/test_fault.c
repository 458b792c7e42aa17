/*
 * Fault injection at the seam (platform/platform_fault.h), built only with
 * -DSHARPIPC_FAULT_INJECTION=ON: OS calls that fail, come up short or are interrupted, each ending in
 * the exception .NET raises (or in success, for what the seam must absorb), with nothing leaked
 * (ASan in the `fault` preset; open descriptors are counted on Linux).
 *
 * None of these has a dotnet/runtime counterpart (.NET's tests cannot make the OS fail), so the
 * names say what happens.
 */
#include "sp_fault_test.h"
#include "sp_process.h"

#include <errno.h>

#include "platform/platform.h"
#include "platform/platform_fault.h"

#ifndef _WIN32
#  include <dirent.h>
#  include <unistd.h>
#endif

#define FULL(var, name)                                                                                                \
  char var[1024];                                                                                                      \
  sp_full_path(var, name)


static void fill(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 31 + 7);
}

#ifndef _WIN32


/* ------------------------------------------------------------------ a file-backed map grows */

/* CreateFromFile with a capacity past the end grows the file (ftruncate, as .NET on Unix); a full
 * disk is .NET's IOException with the OS's text, and the file keeps its size. */
static void CreateFromFile_CapacityLargerThanFile_DiskFull_IOException(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "grow");
    sp_write_file(name, "0123456789", 10);
    int fds = open_fds();
    assert_true(sp_fault_fail("ftruncate", 1, ENOSPC, -1));
    MemoryMappedFile *m =
        MemoryMappedFile_CreateFromFile(name, FileMode_Open, NULL, 1 << 20, MemoryMappedFileAccess_ReadWrite);
    assert_null(m);
    EXPECT_EXC_MSG(IOException, os_text(ENOSPC));
    ASSERT_I64(Exception_get_NativeErrorCode(Exception_get_Current()), ENOSPC);
    ASSERT_I64(Exception_get_HResult(Exception_get_Current()), (int32_t)0x80131620); /* COR_E_IO */
    assert_true(sp_fault_calls("ftruncate") >= 1);
    sp_fault_reset();
    ASSERT_NO_FD_LEAK(fds);
    int32_t length;
    uint8_t *bytes = sp_read_file(name, &length);
    ASSERT_I64(length, 10);
    free(bytes);
}

/* The same with FileMode.CreateNew: .NET's CleanupFile removes the file the failed call made. */
static void CreateFromFile_CreateNew_DiskFull_RemovesTheFile(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "grownew");
    int fds = open_fds();
    sp_fault_fail("ftruncate", 1, ENOSPC, -1);
    MemoryMappedFile *m =
        MemoryMappedFile_CreateFromFile(name, FileMode_CreateNew, NULL, 65536, MemoryMappedFileAccess_ReadWrite);
    assert_null(m);
    EXPECT_EXC_MSG(IOException, os_text(ENOSPC));
    sp_fault_reset();
    assert_false(File_Exists(name));
    ASSERT_NO_FD_LEAK(fds);
}

/* A file system that cannot hold the size: EFBIG is .NET's ArgumentOutOfRangeException("value"),
 * rethrown as IOException. */
static void CreateFromFile_CapacityTooLargeForFileSystem_IOException(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "efbig");
    sp_write_file(name, "x", 1);
    sp_fault_fail("ftruncate", 1, EFBIG, -1);
    assert_null(MemoryMappedFile_CreateFromFile(name, FileMode_Open, NULL, 1 << 20, MemoryMappedFileAccess_ReadWrite));
    EXPECT_EXC_MSG(IOException, "Specified file length was too large for the file system. (Parameter 'value')");
}

/* An interrupted ftruncate is retried: the map is made and the file has grown. */
static void CreateFromFile_GrowInterrupted_Retried(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "growintr");
    sp_write_file(name, "abc", 3);
    sp_fault_interrupt("ftruncate", 3);
    MemoryMappedFile *m =
        MemoryMappedFile_CreateFromFile(name, FileMode_Open, NULL, 8192, MemoryMappedFileAccess_ReadWrite);
    assert_non_null(m);
    EXPECT_NO_EXC();
    assert_true(sp_fault_calls("ftruncate") >= 4);
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m);
    assert_non_null(a);
    ASSERT_I64(UnmanagedMemoryAccessor_ReadByte((UnmanagedMemoryAccessor *)a, 2), 'c');
    assert_true(Dispose(a));
    assert_true(Dispose(m));
    int32_t length;
    free(sp_read_file(name, &length));
    ASSERT_I64(length, 8192);
}

/* ------------------------------------------------------------------ mmap fails */

static void CreateViewAccessor_MmapOutOfMemory_IOException(void **state)
{
    (void)state;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 65536);
    assert_non_null(m);
    int fds = open_fds();
    sp_fault_fail("mmap", 1, ENOMEM, 1);
    assert_null(MemoryMappedFile_CreateViewAccessor(m, 0, 0, MemoryMappedFileAccess_ReadWrite));
    EXPECT_EXC_MSG(IOException, os_text(ENOMEM));
    ASSERT_I64(Exception_get_NativeErrorCode(Exception_get_Current()), ENOMEM);
    /* the next view is fine: the failure left nothing half made */
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m);
    assert_non_null(a);
    assert_true(UnmanagedMemoryAccessor_WriteInt32((UnmanagedMemoryAccessor *)a, 8, 42));
    assert_true(Dispose(a));
    assert_true(Dispose(m));
    ASSERT_NO_FD_LEAK(fds - 1);
}

static void CreateViewStream_MmapOutOfMemory_IOException(void **state)
{
    (void)state;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 4096);
    assert_non_null(m);
    sp_fault_fail("mmap", 1, ENOMEM, 1);
    assert_null(MemoryMappedFile_CreateViewStream(m, 100, 200, MemoryMappedFileAccess_ReadWrite));
    EXPECT_EXC_MSG(IOException, os_text(ENOMEM));
    MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(m);
    assert_non_null(v);
    assert_true(Dispose(v));
    assert_true(Dispose(m));
}

/* mmap refusing the rights: UnauthorizedAccessException, as .NET's view code says it. */
static void CreateViewStream_MmapAccessDenied_UnauthorizedAccess(void **state)
{
    (void)state;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 4096);
    assert_non_null(m);
    sp_fault_fail("mmap", 1, EACCES, 1);
    assert_null(MemoryMappedFile_CreateViewStream(m));
    EXPECT_EXC_MSG(UnauthorizedAccessException, "Access to the path is denied.");
    assert_true(Dispose(m));
}

/* ------------------------------------------------------------------ out of descriptors */

static void FileStream_ctor_TooManyOpenFiles_IOException(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "emfile");
    FULL(full, name);
    int fds = open_fds();
    sp_fault_fail("open", 1, EMFILE, 1);
    assert_null(FileStream_new(name, FileMode_Create));
    char message[1200];
    snprintf(message, sizeof message, "%s : '%s'", os_text(EMFILE), full);
    EXPECT_EXC_MSG(IOException, message);
    ASSERT_I64(Exception_get_HResult(Exception_get_Current()), EMFILE);
    ASSERT_I64(Exception_get_NativeErrorCode(Exception_get_Current()), EMFILE);
    ASSERT_NO_FD_LEAK(fds);
    assert_false(File_Exists(name));
}

static void MemoryMappedFile_CreateNew_Anonymous_TooManyOpenFiles_IOException(void **state)
{
    (void)state;
    int fds = open_fds();
#  ifdef __linux__
    sp_fault_fail("memfd_create", 1, EMFILE, 1);
#  else
    sp_fault_fail("shm_open", 1, EMFILE, 1);
#  endif
    assert_null(MemoryMappedFile_CreateNew(NULL, 4096));
    EXPECT_EXC_MSG(IOException, os_text(EMFILE));
    ASSERT_I64(Exception_get_NativeErrorCode(Exception_get_Current()), EMFILE);
    ASSERT_NO_FD_LEAK(fds);
}

static void MemoryMappedFile_CreateNew_Named_TooManyOpenFiles_IOException(void **state)
{
    (void)state;
    char name[64];
    snprintf(name, sizeof name, "sp_fault_emfile_%d", sp_getpid());
    int fds = open_fds();
    /* named objects are files of /dev/shm, opened relative to its descriptor */
    sp_fault_fail("openat", 1, EMFILE, 1);
    assert_null(MemoryMappedFile_CreateNew(name, 4096));
    EXPECT_EXC_MSG(IOException, os_text(EMFILE));
    ASSERT_NO_FD_LEAK(fds);
    /* the name was never made: it can be created now */
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(name, 4096);
    assert_non_null(m);
    assert_true(Dispose(m));
    ASSERT_NO_FD_LEAK(fds);
}

/* ------------------------------------------------------------------ EINTR is retried */

static void FileStream_OpenInterrupted_Retried(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "openintr");
    sp_fault_interrupt("open", 2);
    sp_fault_interrupt("flock", 2); /* FileShare.None: the exclusive lock, interrupted too */
    FileStream *fs = FileStream_new(name, FileMode_Create, FileAccess_ReadWrite, FileShare_None);
    assert_non_null(fs);
    EXPECT_NO_EXC();
    ASSERT_I64(sp_fault_calls("open"), 3);
    ASSERT_I64(sp_fault_calls("flock"), 3);
    /* the lock was taken after all: a second open is refused */
    sp_fault_reset();
    assert_null(FileStream_new(name, FileMode_Open, FileAccess_Read, FileShare_ReadWrite));
    EXPECT_EXC(IOException);
    assert_true(Dispose(fs));
}

static void FileStream_ReadWriteInterrupted_Retried(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "rwintr");
    uint8_t data[10000], back[10000];
    fill(data, sizeof data);
    FileStream *fs =
        FileStream_new(name, FileMode_Create, FileAccess_ReadWrite, FileShare_None, 4096, FileOptions_None);
    assert_non_null(fs);
    sp_fault_interrupt("write", 5);
    assert_true(Stream_Write(fs, data, 0, (int32_t)sizeof data));
    assert_true(FileStream_Flush(fs, true));
    ASSERT_I64(Stream_get_Length(fs), sizeof data);
    sp_fault_interrupt("ftruncate", 2);
    assert_true(Stream_SetLength(fs, sizeof data)); /* same length, through ftruncate */
    sp_fault_interrupt("fsync", 2);
    assert_true(FileStream_Flush(fs, true));
    Stream_set_Position(fs, 0);
    sp_fault_interrupt("read", 5);
    int32_t total = 0, n;
    while ((n = Stream_Read(fs, back, total, (int32_t)sizeof back - total)) > 0)
        total += n;
    ASSERT_I64(n, 0);
    EXPECT_NO_EXC();
    ASSERT_BYTES(back, total, data, sizeof data);
    assert_true(Dispose(fs));
}

/* A named map's cross-process name lock and holder lock are flocks: interrupted, retried. */
static void MemoryMappedFile_CreateNew_Named_LocksInterrupted_Retried(void **state)
{
    (void)state;
    char name[64];
    snprintf(name, sizeof name, "sp_fault_flock_%d", sp_getpid());
    sp_fault_interrupt("flock", 4);
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(name, 4096);
    assert_non_null(m);
    EXPECT_NO_EXC();
    /* it is there, and held: a second CreateNew of the name is refused */
    assert_null(MemoryMappedFile_CreateNew(name, 4096));
    EXPECT_EXC_MSG(IOException, "Cannot create a file when that file already exists.");
    sp_fault_interrupt("flock", 4);
    assert_true(Dispose(m)); /* the last holder removes the name, through the same locks */
    MemoryMappedFile *again = MemoryMappedFile_OpenExisting(name);
    assert_null(again);
    EXPECT_EXC_MSG(FileNotFoundException, "Unable to find the specified file.");
}

/* The waker's poll: an interrupted sleep goes on sleeping, and a signal still wakes it. */
static void Waker_SleepInterrupted_Retried(void **state)
{
    (void)state;
    sp_os_waker *w = NULL;
    ASSERT_I64(sp_os_waker_new(&w), 0);
    sp_fault_interrupt("poll", 3);
    assert_false(sp_os_waker_sleep(w, 20));
    ASSERT_I64(sp_fault_calls("poll"), 4);
    sp_os_waker_signal(w);
    sp_fault_interrupt("poll", 3);
    assert_true(sp_os_waker_sleep(w, -1));
    sp_os_waker_free(w);
}

/* sharpipc's own: a wait's poll timeout is never negative (poll's "no limit"), even when the clock
 * moves on between the reads poll_one makes. The clock here steps 6 ms a read: a wait of 10 ms has
 * 4 ms left at the first read after its deadline was taken, and would have had -2 at a second.
 * (Seen for real under valgrind on a loaded machine: Connect's 1 ms back-off hung in poll(-7).) */
#  include <poll.h>
#  include <time.h>
static long clock_reads;
static int poll_timeout = -100;
static int stepping_clock(clockid_t clock, struct timespec *ts)
{
    (void)clock;
    long long ms = 1000000 + 6 * clock_reads++;
    ts->tv_sec = (time_t)(ms / 1000);
    ts->tv_nsec = (long)(ms % 1000) * 1000000;
    return 0;
}
static int recording_poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
    (void)fds;
    (void)nfds;
    poll_timeout = timeout;
    return 0; /* timed out, at once: a negative timeout must not block the test */
}

static void Waker_Sleep_ClockMovesBetweenReads_TimeoutNeverNegative(void **state)
{
    (void)state;
    sp_os_waker *w = NULL;
    ASSERT_I64(sp_os_waker_new(&w), 0);
    assert_true(sp_fault_set_syscall("clock_gettime", (sp_fault_fn)stepping_clock));
    assert_true(sp_fault_set_syscall("poll", (sp_fault_fn)recording_poll));
    assert_false(sp_os_waker_sleep(w, 10));
    sp_fault_reset();
    ASSERT_I64(poll_timeout, 4);
    sp_os_waker_free(w);
}

#  ifdef __linux__
#    define WAKER_PIPE "pipe2" /* O_CLOEXEC at creation */
#  else
#    define WAKER_PIPE "pipe"
#  endif

#  ifdef __linux__
#    include <fcntl.h>
#    include "platform/posix/util_posix.h" /* sp_posix_waker_fd */
static int pipe2_flags = -1;
static sp_fault_fn real_pipe2;
static int recording_pipe2(int fds[2], int flags)
{
    pipe2_flags = flags;
    return ((int (*)(int *, int))real_pipe2)(fds, flags);
}

/* sharpipc's own: the waker's pipe is close-on-exec from its creation (pipe2), so a fork+exec on
 * another thread never inherits it; no fcntl(FD_CLOEXEC) after the fact. */
static void Waker_Create_PipeCloseOnExecAtCreation(void **state)
{
    (void)state;
    real_pipe2 = sp_fault_get_syscall("pipe2");
    assert_non_null(real_pipe2);
    assert_true(sp_fault_set_syscall("pipe2", (sp_fault_fn)recording_pipe2));
    long pipes = sp_fault_calls("pipe");
    sp_os_waker *w = NULL;
    ASSERT_I64(sp_os_waker_new(&w), 0);
    assert_true(pipe2_flags >= 0 && (pipe2_flags & O_CLOEXEC));
    ASSERT_I64(sp_fault_calls("pipe"), pipes);
    int fd = sp_posix_waker_fd(w);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    sp_os_waker_free(w);
    sp_fault_reset();
}
#  endif

static void Waker_Create_TooManyOpenFiles_IOException(void **state)
{
    (void)state;
    sp_fault_fail(WAKER_PIPE, 1, EMFILE, 1);
    sp_os_waker *w = NULL;
    ASSERT_I64(sp_os_waker_new(&w), EMFILE);
    assert_null(w);
    /* a pipe stream needs a waker (Dispose wakes its calls): its constructor reports the OS error */
    sp_fault_fail(WAKER_PIPE, 1, EMFILE, 1);
    assert_null(NamedPipeServerStream_new(sp_unique_name("fault-waker"), PipeDirection_InOut));
    EXPECT_EXC_MSG(IOException, os_text(EMFILE));
}

#  ifdef __linux__
typedef struct release_later {
    Semaphore *s;
} release_later;

static void release_after_a_while(void *arg)
{
    release_later *r = arg;
    struct timespec ts = {0, 50 * 1000000};
    nanosleep(&ts, NULL);
    Semaphore_Release(r->s);
}

/* A futex wait that a signal interrupts goes on waiting (with its deadline), for an unnamed and
 * a named semaphore. */
static void Semaphore_WaitOne_FutexInterrupted_StillAcquires(void **state)
{
    (void)state;
    char name[64];
    snprintf(name, sizeof name, "sp_fault_sem_%d", sp_getpid());
    const char *names[] = {NULL, name};
    for (int i = 0; i < 2; i++) {
        Semaphore *s = Semaphore_new_ex(0, 1, names[i], NULL);
        assert_non_null(s);
        release_later r = {s};
        sp_fault_interrupt("sp_linux_futex_wait", 3);
        sp_thread *t = sp_thread_start(release_after_a_while, &r);
        assert_true(WaitHandle_WaitOne(s, 5000));
        EXPECT_NO_EXC();
        sp_thread_join(t);
        assert_true(sp_fault_calls("sp_linux_futex_wait") >= 4);
        /* and a timed wait that is interrupted still times out, without an exception */
        sp_fault_interrupt("sp_linux_futex_wait", 2);
        assert_false(WaitHandle_WaitOne(s, 30));
        EXPECT_NO_EXC();
        assert_true(Dispose(s));
        sp_fault_reset();
    }
}
#  endif

/* ------------------------------------------------------------------ short writes, short reads */

/* write(2) taking a few bytes at a time: the seam loops, and the file holds every byte. */
static void FileStream_Write_ShortWrites_DataArrivesWhole(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "shortw");
    uint8_t data[20000];
    fill(data, sizeof data);
    FileStream *fs = FileStream_new(name, FileMode_Create, FileAccess_Write);
    assert_non_null(fs);
    sp_fault_short("write", 1, 3, -1);
    assert_true(Stream_Write(fs, data, 0, 5));     /* buffered */
    assert_true(Stream_Write(fs, data, 5, 10000)); /* past the buffer: written through */
    assert_true(Stream_WriteByte(fs, data[10005]));
    assert_true(Stream_Write(fs, data, 10006, (int32_t)sizeof data - 10006));
    assert_true(Dispose(fs));
    assert_true(sp_fault_calls("write") > 20000 / 3);
    sp_fault_reset();
    int32_t length;
    uint8_t *back = sp_read_file(name, &length);
    ASSERT_BYTES(back, length, data, sizeof data);
    free(back);
}

/* read(2) returning a few bytes at a time: a reader that loops gets everything, in order. */
static void FileStream_Read_ShortReads_DataArrivesWhole(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "shortr");
    uint8_t data[9000], back[9000];
    fill(data, sizeof data);
    sp_write_file(name, data, sizeof data);
    FileStream *fs = FileStream_new(name, FileMode_Open, FileAccess_Read);
    assert_non_null(fs);
    sp_fault_short("read", 1, 7, -1);
    int32_t total = 0, n;
    while ((n = Stream_Read(fs, back, total, (int32_t)sizeof back - total)) > 0)
        total += n;
    ASSERT_I64(n, 0);
    ASSERT_BYTES(back, total, data, sizeof data);
    assert_true(sp_fault_calls("read") > (long)sizeof data / 7);
    /* BinaryReader's fixed-size reads loop over short reads too */
    Stream_set_Position(fs, 0);
    BinaryReader *r = BinaryReader_new(fs);
    assert_non_null(r);
    uint64_t expected;
    memcpy(&expected, data, 8);
    ASSERT_U64(BinaryReader_ReadUInt64(r), expected);
    assert_true(Dispose(r));
    assert_true(Dispose(fs));
}

/* A full disk while flushing: IOException with the OS's text and the path, as Interop.IOErrors. */
static void FileStream_Flush_DiskFull_IOException(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "enospc");
    FULL(full, name);
    int fds = open_fds();
    FileStream *fs = FileStream_new(name, FileMode_Create, FileAccess_Write);
    assert_non_null(fs);
    assert_true(Stream_Write(fs, "hello", 0, 5));
    sp_fault_fail("write", 1, ENOSPC, -1);
    assert_false(Stream_Flush(fs));
    char message[1200];
    snprintf(message, sizeof message, "%s : '%s'", os_text(ENOSPC), full);
    EXPECT_EXC_MSG(IOException, message);
    ASSERT_I64(Exception_get_HResult(Exception_get_Current()), ENOSPC);
    sp_fault_reset();
    Dispose(fs);
    ASSERT_NO_FD_LEAK(fds);
}

/* ------------------------------------------------------------------ the table itself */

static int fstat_calls;
static sp_fault_fn real_fstat;
static int counting_fstat(int fd, struct stat *st)
{
    fstat_calls++;
    return ((int (*)(int, struct stat *))real_fstat)(fd, st);
}

/* As SQLite's xSetSystemCall: a test puts a function of its own in a slot, and reset restores it. */
static void SetSyscall_ReplacesAndResetRestores(void **state)
{
    (void)state;
    assert_false(sp_fault_set_syscall("no_such_call", NULL));
    assert_null(sp_fault_get_syscall("no_such_call"));
    ASSERT_I64(sp_fault_calls("no_such_call"), -1);
    real_fstat = sp_fault_get_syscall("fstat");
    assert_non_null(real_fstat);
    assert_true(sp_fault_set_syscall("fstat", (sp_fault_fn)counting_fstat));
    char name[128];
    sp_temp_name(name, "setsys");
    sp_write_file(name, "abc", 3);
    assert_true(fstat_calls > 0);
    sp_fault_reset();
    assert_true(sp_fault_get_syscall("fstat") == real_fstat);
    int seen = fstat_calls;
    sp_write_file(name, "abc", 3);
    ASSERT_I64(fstat_calls, seen);
    int count = 0;
    while (sp_fault_syscall_name(count))
        count++;
    assert_true(count > 20);
}

#endif /* !_WIN32 */

#ifdef _WIN32
/* The Win32 twin of the table: WriteFile taking a few bytes at a time, CreateFileW out of handles. */
static void FileStream_Write_ShortWrites_DataArrivesWhole(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "shortw");
    uint8_t data[5000];
    fill(data, sizeof data);
    FileStream *fs = FileStream_new(name, FileMode_Create, FileAccess_Write);
    assert_non_null(fs);
    sp_fault_short("WriteFile", 1, 3, -1);
    assert_true(Stream_Write(fs, data, 0, (int32_t)sizeof data));
    assert_true(Dispose(fs));
    sp_fault_reset();
    int32_t length;
    uint8_t *back = sp_read_file(name, &length);
    ASSERT_BYTES(back, length, data, sizeof data);
    free(back);
}

static void FileStream_ctor_TooManyOpenFiles_IOException(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "emfile");
    FULL(full, name);
    sp_fault_fail("CreateFileW", 1, 4 /* ERROR_TOO_MANY_OPEN_FILES */, 1);
    assert_null(FileStream_new(name, FileMode_Create));
    char message[1200];
    snprintf(message, sizeof message, "%s : '%s'", os_text(4), full);
    EXPECT_EXC_MSG(IOException, message);
}

static void CreateViewAccessor_MapViewOutOfMemory_OutOfMemory(void **state)
{
    (void)state;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 65536);
    assert_non_null(m);
    sp_fault_fail("MapViewOfFile", 1, 8 /* ERROR_NOT_ENOUGH_MEMORY */, 1);
    assert_null(MemoryMappedFile_CreateViewAccessor(m));
    EXPECT_EXC(OutOfMemoryException);
    MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m);
    assert_non_null(a);
    assert_true(Dispose(a));
    assert_true(Dispose(m));
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
#ifndef _WIN32
        cmocka_unit_test_teardown(CreateFromFile_CapacityLargerThanFile_DiskFull_IOException, reset),
        cmocka_unit_test_teardown(CreateFromFile_CreateNew_DiskFull_RemovesTheFile, reset),
        cmocka_unit_test_teardown(CreateFromFile_CapacityTooLargeForFileSystem_IOException, reset),
        cmocka_unit_test_teardown(CreateFromFile_GrowInterrupted_Retried, reset),
        cmocka_unit_test_teardown(CreateViewAccessor_MmapOutOfMemory_IOException, reset),
        cmocka_unit_test_teardown(CreateViewStream_MmapOutOfMemory_IOException, reset),
        cmocka_unit_test_teardown(CreateViewStream_MmapAccessDenied_UnauthorizedAccess, reset),
        cmocka_unit_test_teardown(FileStream_ctor_TooManyOpenFiles_IOException, reset),
        cmocka_unit_test_teardown(MemoryMappedFile_CreateNew_Anonymous_TooManyOpenFiles_IOException, reset),
        cmocka_unit_test_teardown(MemoryMappedFile_CreateNew_Named_TooManyOpenFiles_IOException, reset),
        cmocka_unit_test_teardown(FileStream_OpenInterrupted_Retried, reset),
        cmocka_unit_test_teardown(FileStream_ReadWriteInterrupted_Retried, reset),
        cmocka_unit_test_teardown(MemoryMappedFile_CreateNew_Named_LocksInterrupted_Retried, reset),
        cmocka_unit_test_teardown(Waker_SleepInterrupted_Retried, reset),
        cmocka_unit_test_teardown(Waker_Sleep_ClockMovesBetweenReads_TimeoutNeverNegative, reset),
        cmocka_unit_test_teardown(Waker_Create_TooManyOpenFiles_IOException, reset),
#  ifdef __linux__
        cmocka_unit_test_teardown(Waker_Create_PipeCloseOnExecAtCreation, reset),
#  endif
#  ifdef __linux__
        cmocka_unit_test_teardown(Semaphore_WaitOne_FutexInterrupted_StillAcquires, reset),
#  endif
        cmocka_unit_test_teardown(FileStream_Write_ShortWrites_DataArrivesWhole, reset),
        cmocka_unit_test_teardown(FileStream_Read_ShortReads_DataArrivesWhole, reset),
        cmocka_unit_test_teardown(FileStream_Flush_DiskFull_IOException, reset),
        cmocka_unit_test_teardown(SetSyscall_ReplacesAndResetRestores, reset),
#else
        cmocka_unit_test_teardown(FileStream_Write_ShortWrites_DataArrivesWhole, reset),
        cmocka_unit_test_teardown(FileStream_ctor_TooManyOpenFiles_IOException, reset),
        cmocka_unit_test_teardown(CreateViewAccessor_MapViewOutOfMemory_OutOfMemory, reset),
#endif
    };
    int failed = cmocka_run_group_tests(tests, NULL, sp_remove_temp_files);
    return failed;
}
