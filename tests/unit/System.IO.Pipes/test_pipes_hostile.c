/*
 * Pipes against hostile conditions and the ported dotnet/runtime tests that go with them: full
 * backlogs, Disconnect and Dispose under a blocked read, another local user racing the socket file,
 * several processes starting one name over a stale file, probes that must not become clients, and
 * .NET's rules for unconnected streams, anonymous pipes and SafePipeHandle.
 *
 * Names follow dotnet/runtime's tests (<TestClass>_<Method>, each with the .NET file it comes from);
 * a [Theory] is a table. The security tests need root (as the suite runs on CI): a forked child
 * drops to uid/gid 65534 (nobody) and attacks from there.
 */
#include "sp_test.h"
#include "sp_process.h"

#include "platform/platform.h" /* sp_os_now_ms */
#include <errno.h>
#include <stdatomic.h>

#ifdef _WIN32
#  include <windows.h>
static bool running_under_wine(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    return ntdll && GetProcAddress(ntdll, "wine_get_version");
}
#else
#  include <dirent.h>
#  include <grp.h>
#  include <fcntl.h>
#  include <sys/resource.h>
#  include <sys/socket.h>
#  include <sys/un.h>
#  include <sys/wait.h>
static bool running_under_wine(void) { return false; }
#endif

#ifdef SHARPIPC_FAULT_INJECTION
#  include "platform/platform_fault.h"
#endif

#define MSG_PIPE_CLOSED "Cannot access a closed pipe."
#define MSG_NOT_CONNECTED "Pipe hasn't been connected yet."
#define MSG_ALL_BUSY "All pipe instances are busy."
#define MSG_ACCESS_DENIED "Access to the path is denied."

static const char *pipe_name;

static int setup(void **state)
{
    (void)state;
    pipe_name = sp_unique_name("sphostile");
    return 0;
}

static void connect_pair(const char *name, PipeDirection server_direction, NamedPipeServerStream **server,
                         NamedPipeClientStream **client)
{
    PipeDirection client_direction = server_direction == PipeDirection_In    ? PipeDirection_Out
                                     : server_direction == PipeDirection_Out ? PipeDirection_In
                                                                             : PipeDirection_InOut;
    *server = NamedPipeServerStream_new(name, server_direction);
    assert_non_null(*server);
    *client = NamedPipeClientStream_new(".", name, client_direction);
    assert_non_null(*client);
    assert_true(NamedPipeClientStream_Connect(*client, 5000));
    assert_true(NamedPipeServerStream_WaitForConnection(*server));
}

/* ------------------------------------------------------------------ child roles */

/* argv: name [options]: tries to start a server of name; 0 served one client (reads a byte, echoes
 * it), 2 busy (.NET's text), 5 access denied, 4 nobody came within 3 s, 3 anything else. */
static atomic_int child_served;
static void dispose_after_3s(void *arg)
{
    for (int i = 0; i < 300 && !atomic_load(&child_served); i++)
        sp_sleep_ms(10);
    if (!atomic_load(&child_served))
        Dispose((NamedPipeServerStream *)arg);
}

static int role_start_server(int argc, char **argv)
{
    PipeOptions options = argc > 1 ? (PipeOptions)strtol(argv[1], NULL, 0) : PipeOptions_None;
    NamedPipeServerStream *server =
        NamedPipeServerStream_new(argv[0], PipeDirection_InOut, 1, PipeTransmissionMode_Byte, options);
    if (!server) {
        const Exception *e = Exception_get_Current();
        if (Exception_Is(e, ExceptionType_IOException) && strcmp(Exception_get_Message(e), MSG_ALL_BUSY) == 0)
            return 2;
        if (Exception_Is(e, ExceptionType_UnauthorizedAccessException) &&
            strcmp(Exception_get_Message(e), MSG_ACCESS_DENIED) == 0)
            return 5;
        fprintf(stderr, "child: %s: %s\n", sp_exc_name(Exception_get_Type(e)), Exception_get_Message(e));
        return 3;
    }
    if (argc > 2) /* only tries */
        return Dispose(server) ? 0 : 3;
    sp_thread *t = sp_thread_start(dispose_after_3s, server);
    bool connected = NamedPipeServerStream_WaitForConnection(server);
    atomic_store(&child_served, connected);
    int code = 4;
    if (connected) {
        int b = Stream_ReadByte(server);
        code = b >= 0 && Stream_WriteByte(server, (uint8_t)b) ? 0 : 3;
    }
    sp_thread_join(t);
    if (connected)
        Dispose(server);
    return code;
}

#ifndef _WIN32
/* argv: name attempts-file: as start-server, but every child notes its attempt in attempts-file,
 * and the one that came up holds the name until all four have tried (so that no child tries
 * after the winner let go, when the name is rightly free again). */
static int role_race_server(int argc, char **argv)
{
    (void)argc;
    NamedPipeServerStream *server = NamedPipeServerStream_new(argv[0]);
    const Exception *e = Exception_get_Current();
    int busy =
        !server && Exception_Is(e, ExceptionType_IOException) && strcmp(Exception_get_Message(e), MSG_ALL_BUSY) == 0;
    if (!server && !busy)
        fprintf(stderr, "child: %s: %s\n", sp_exc_name(Exception_get_Type(e)), Exception_get_Message(e));
    int fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT, 0600);
    if (fd < 0 || write(fd, "x", 1) != 1)
        return 3;
    close(fd);
    if (!server)
        return busy ? 2 : 3;
    sp_thread *t = sp_thread_start(dispose_after_3s, server);
    bool connected = NamedPipeServerStream_WaitForConnection(server);
    atomic_store(&child_served, connected);
    int code = 4;
    if (connected) {
        int b = Stream_ReadByte(server);
        code = b >= 0 && Stream_WriteByte(server, (uint8_t)b) ? 0 : 3;
    }
    sp_thread_join(t);
    struct stat st;
    for (int i = 0; i < 500 && (stat(argv[1], &st) != 0 || st.st_size < 4); i++)
        sp_sleep_ms(10);
    if (connected)
        Dispose(server);
    return code;
}
#endif

static const char *const role_names[] = {"start-server",
#ifndef _WIN32
                                         "race-server"
#endif
};
static const sp_child_role roles[] = {role_start_server,
#ifndef _WIN32
                                      role_race_server
#endif
};

/* ================================================================== item 1: full backlogs */

#ifndef _WIN32
/* addr for the socket at path; false when the path does not fit sun_path (108 bytes on Linux): a
 * truncated path would name another socket, so the caller fails instead of connecting to it. */
static bool unix_address(struct sockaddr_un *addr, const char *path)
{
    *addr = (struct sockaddr_un){0};
    addr->sun_family = AF_UNIX;
    size_t n = strlen(path);
    if (n >= sizeof addr->sun_path)
        return false;
    memcpy(addr->sun_path, path, n + 1);
    return true;
}

/* A listener that is not sharpipc's (as a .NET server's is, from our side) with a backlog of 1,
 * filled: a blocking connect() would wait for ever. Returns the listener; *n fillers in fillers. */
static int full_backlog_listener(const char *path, int *fillers, int *n)
{
    struct sockaddr_un addr;
    assert_true(unix_address(&addr, path));
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(listener >= 0);
    assert_int_equal(bind(listener, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(listener, 1), 0);
    *n = 0;
    for (int i = 0; i < 64; i++) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assert_true(fd >= 0);
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
            assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
            close(fd);
            return listener;
        }
        fillers[(*n)++] = fd;
    }
    fail_msg("the backlog never filled");
    return -1;
}

static char *pipe_path(const char *name)
{
    static char path[512];
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    int n = snprintf(path, sizeof path, "%s%sCoreFxPipe_%s", tmp, tmp[strlen(tmp) - 1] == '/' ? "" : "/", name);
    assert_true(n >= 0 && (size_t)n < sizeof path); /* whole, or the test would name another file */
    return path;
}

/* Connect(300) to a server whose backlog is full: TimeoutException after about 300 ms. */
static void NamedPipeClientStream_Connect_FullBacklog_TimesOut(void **state)
{
    (void)state;
    int fillers[64], n;
    const char *path = pipe_path(pipe_name);
    int listener = full_backlog_listener(path, fillers, &n);
    NamedPipeClientStream *client = NamedPipeClientStream_new(pipe_name);
    assert_non_null(client);
    int64_t start = sp_os_now_ms();
    assert_false(NamedPipeClientStream_Connect(client, 300));
    int64_t took = sp_os_now_ms() - start;
    EXPECT_EXC_MSG(TimeoutException, "The operation has timed out.");
    assert_true(took >= 250 && took < 3000);
    assert_true(Dispose(client));
    /* the liveness check of a second server does not block either: the name is busy */
    start = sp_os_now_ms();
    assert_null(NamedPipeServerStream_new(pipe_name));
    EXPECT_EXC_MSG(IOException, MSG_ALL_BUSY);
    assert_true(sp_os_now_ms() - start < 3000);
    for (int i = 0; i < n; i++)
        close(fillers[i]);
    close(listener);
    unlink(path);
}

/* The same with a sharpipc server and the system's own backlog (4096 and more pending clients),
 * where the descriptors allow it. */
static void NamedPipeClientStream_Connect_SharpipcServerFullBacklog_TimesOut(void **state)
{
    (void)state;
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rlim_t old = rl.rlim_cur;
    rl.rlim_cur = rl.rlim_max > 20000 ? 20000 : rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name);
    assert_non_null(server);
    struct sockaddr_un addr;
    assert_true(unix_address(&addr, pipe_path(pipe_name)));
    int *fds = calloc(20000, sizeof *fds);
    int n = 0;
    bool full = false;
    while (n < 19000) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (fd < 0)
            break;
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
            full = errno == EAGAIN || errno == EWOULDBLOCK;
            close(fd);
            break;
        }
        fds[n++] = fd;
    }
    if (full) {
        NamedPipeClientStream *client = NamedPipeClientStream_new(pipe_name);
        int64_t start = sp_os_now_ms();
        assert_false(NamedPipeClientStream_Connect(client, 300));
        EXPECT_EXC(TimeoutException);
        assert_true(sp_os_now_ms() - start < 3000);
        Dispose(client);
        /* a second server of the name in another process: busy at once, no probe needed */
        const char *args[] = {pipe_name, "0", "try"};
        sp_child *c = sp_child_start("start-server", args, 3);
        assert_int_equal(sp_child_wait(c, 10000), 2);
        sp_child_free(c);
    } else {
        for (int i = 0; i < n; i++)
            close(fds[i]);
        SP_REQUIRE(false, "descriptors enough to fill a listener's backlog");
    }
    for (int i = 0; i < n; i++)
        close(fds[i]);
    free(fds);
    assert_true(Dispose(server));
    rl.rlim_cur = old;
    setrlimit(RLIMIT_NOFILE, &rl);
}
#endif

/* ================================================================== item 2: Disconnect under Read */

typedef struct blocked_read {
    Stream *stream;
    atomic_int started;
    int32_t result;
    ExceptionType exception;
    char message[256];
} blocked_read;

static void do_read(void *arg)
{
    blocked_read *r = arg;
    uint8_t b[16];
    atomic_store(&r->started, 1);
    r->result = Stream_Read(r->stream, b, 0, sizeof b);
    const Exception *e = Exception_get_Current();
    r->exception = e ? Exception_get_Type(e) : ExceptionType_None;
    snprintf(r->message, sizeof r->message, "%s", e ? Exception_get_Message(e) : "");
}

/* NamedPipeTest.Simple.cs ReadAsync_DisconnectDuringRead_Returns0, as a blocking read on the
 * server ended by Disconnect (not by the peer): the read ends with 0; Dispose afterwards works. */
static void NamedPipeTest_Simple_DisconnectDuringRead_Returns0(void **state)
{
    (void)state;
    for (int round = 0; round < 20; round++) {
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        connect_pair(sp_unique_name("spdisc"), PipeDirection_InOut, &server, &client);
        blocked_read r = {.stream = (Stream *)server};
        sp_thread *t = sp_thread_start(do_read, &r);
        while (!atomic_load(&r.started))
            sp_sleep_ms(1);
        sp_sleep_ms(20);
        assert_true(NamedPipeServerStream_Disconnect(server));
        sp_thread_join(t);
        if (r.result != 0 || r.exception != ExceptionType_None)
            fail_msg("round %d: %d, %s: %s", round, r.result, sp_exc_name(r.exception), r.message);
        assert_false(PipeStream_get_IsConnected(server));
        assert_true(Dispose(server));
        assert_true(Dispose(client));
    }
}

/* ================================================================== item 3: Dispose under Read */

/* AnonymousPipe ends, each direction: Dispose of the reading end from another thread ends its
 * blocked read with ObjectDisposedException; the writer keeps its own end open. */
static void AnonymousPipe_DisposeReadingEnd_WakesBlockedRead(void **state)
{
    (void)state;
    for (int reader_is_server = 0; reader_is_server < 2; reader_is_server++) {
        for (int round = 0; round < 10; round++) {
            AnonymousPipeServerStream *server =
                AnonymousPipeServerStream_new(reader_is_server ? PipeDirection_In : PipeDirection_Out);
            assert_non_null(server);
            char *handle = AnonymousPipeServerStream_GetClientHandleAsString(server);
            assert_non_null(handle);
            AnonymousPipeClientStream *client =
                AnonymousPipeClientStream_new(reader_is_server ? PipeDirection_Out : PipeDirection_In, handle);
            String_Free(handle);
            assert_non_null(client);
            blocked_read r = {.stream = reader_is_server ? (Stream *)server : (Stream *)client};
            sp_thread *t = sp_thread_start(do_read, &r);
            while (!atomic_load(&r.started))
                sp_sleep_ms(1);
            sp_sleep_ms(20);
            assert_true(Dispose(r.stream));
            sp_thread_join(t);
            if (r.result != -1 || r.exception != ExceptionType_ObjectDisposedException ||
                strcmp(r.message, MSG_PIPE_CLOSED) != 0)
                fail_msg("%s reads, round %d: %d, %s: %s", reader_is_server ? "server" : "client", round, r.result,
                         sp_exc_name(r.exception), r.message);
            assert_true(Dispose(reader_is_server ? (Stream *)client : (Stream *)server));
        }
    }
}

/* ================================================================== items 4: another user */

#ifndef _WIN32
#  define NOBODY 65534

/* Runs fn(arg) in a forked child as nobody; its exit code (fn's return). */
static int as_nobody(int (*fn)(void *), void *arg)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 || setuid(NOBODY) != 0)
            _exit(100);
        _exit(fn(arg));
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 200;
}

typedef struct shared_dir {
    char dir[256];    /* world-writable, no sticky bit: a shared TMPDIR gone wrong */
    char target[300]; /* root's file that an attack would chmod */
    char pipe[300];   /* the pipe's absolute path in dir */
} shared_dir;

static bool make_shared_dir(shared_dir *d)
{
    SP_REQUIRE(geteuid() == 0, "root (the second-user tests need setuid)");
    snprintf(d->dir, sizeof d->dir, "/tmp/sphostile-%d-XXXXXX", (int)getpid());
    assert_non_null(mkdtemp(d->dir));
    assert_int_equal(chmod(d->dir, 0777), 0); /* no sticky bit */
    snprintf(d->target, sizeof d->target, "/tmp/sphostile-target-%d", (int)getpid());
    int fd = open(d->target, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(chmod(d->target, 0644), 0);
    snprintf(d->pipe, sizeof d->pipe, "%s/p", d->dir);
    return true;
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 ? st.st_mode & 07777 : (mode_t)-1;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    if (d)
        closedir(d);
    return n;
}

static void remove_shared_dir(shared_dir *d)
{
    DIR *dir = opendir(d->dir);
    char path[600];
    for (struct dirent *e; dir && (e = readdir(dir));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", d->dir, e->d_name);
        if (unlink(path) != 0)
            rmdir(path);
    }
    if (dir)
        closedir(dir);
    rmdir(d->dir);
    unlink(d->target);
}

static int swap_in_symlink(void *arg)
{
    shared_dir *d = arg;
    if (unlink(d->pipe) != 0 && errno != ENOENT)
        return 10;
    return symlink(d->target, d->pipe) == 0 ? 0 : 11;
}

static int try_connect(void *arg)
{
    struct sockaddr_un addr;
    if (!unix_address(&addr, (const char *)arg))
        return 21;
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return 20;
    int r = connect(fd, (struct sockaddr *)&addr, sizeof addr);
    close(fd);
    return r == 0 ? 0 : errno == EACCES ? 1 : 2;
}

/* NamedPipeTest.CurrentUserOnly.Unix.cs, hostile: a CurrentUserOnly instance joins a listener of
 * the same name whose socket file another user has replaced by a link to root's file: the mode
 * change must not follow the link (root's file keeps 0644), and the instance still comes up. */
static void NamedPipeTest_CurrentUserOnly_LaterInstance_DoesNotFollowSwappedSymlink(void **state)
{
    (void)state;
    shared_dir d;
    if (!make_shared_dir(&d))
        return;
    NamedPipeServerStream *first = NamedPipeServerStream_new(d.pipe, PipeDirection_InOut, 2);
    assert_non_null(first);
    assert_int_equal(as_nobody(swap_in_symlink, &d), 0);
    NamedPipeServerStream *second = NamedPipeServerStream_new(d.pipe, PipeDirection_InOut, 2, PipeTransmissionMode_Byte,
                                                              PipeOptions_CurrentUserOnly);
    assert_non_null(second);
    assert_int_equal(mode_of(d.target), 0644);
    Dispose(second);
    Dispose(first);
    remove_shared_dir(&d);
}

/* A CurrentUserOnly server in a shared directory: its socket has mode 0600 under its final name,
 * another user cannot connect, and nothing of the private bind is left beside it. */
static void NamedPipeTest_CurrentUserOnly_SocketIs0600_OtherUserCannotConnect(void **state)
{
    (void)state;
    shared_dir d;
    if (!make_shared_dir(&d))
        return;
    mode_t old_umask = umask(0); /* the widest a process could have */
    NamedPipeServerStream *server = NamedPipeServerStream_new(d.pipe, PipeDirection_InOut, 1, PipeTransmissionMode_Byte,
                                                              PipeOptions_CurrentUserOnly);
    umask(old_umask);
    assert_non_null(server);
    assert_int_equal(mode_of(d.pipe) & 0777, 0600);
    assert_int_equal(as_nobody(try_connect, d.pipe), 1); /* EACCES */
    assert_int_equal(count_entries(d.dir), 2);           /* the socket and the name's lock */
    /* the owner's client still connects */
    NamedPipeClientStream *client =
        NamedPipeClientStream_new(".", d.pipe, PipeDirection_InOut, PipeOptions_CurrentUserOnly);
    assert_true(NamedPipeClientStream_Connect(client, 5000));
    assert_true(NamedPipeServerStream_WaitForConnection(server));
    Dispose(client);
    Dispose(server);
    assert_int_equal(count_entries(d.dir), 0);
    remove_shared_dir(&d);
}

/* Another user put a link at the pipe's path (or at its lock's) before the server came: the
 * server refuses the name (.NET's "already exists"), and follows neither link. */
static void NamedPipeTest_CurrentUserOnly_PlantedSymlink_NotFollowed(void **state)
{
    (void)state;
    shared_dir d;
    if (!make_shared_dir(&d))
        return;
    assert_int_equal(as_nobody(swap_in_symlink, &d), 0);
    assert_null(NamedPipeServerStream_new(d.pipe, PipeDirection_InOut, 1, PipeTransmissionMode_Byte,
                                          PipeOptions_CurrentUserOnly));
    EXPECT_EXC(IOException);
    assert_int_equal(mode_of(d.target), 0644);
    remove_shared_dir(&d);
}

#  ifdef SHARPIPC_FAULT_INJECTION
/* The attack between bind and listen (where the old code's chmod(path) followed a swapped link):
 * a hook in listen() lets nobody swap a link to root's file in at the final path and move the
 * private directory away, replacing it with a link to a directory of nobody's. */
static shared_dir *attack_dir;
static int (*real_listen)(int, int);

static int rename_private_dir(void *arg)
{
    shared_dir *d = arg;
    DIR *dir = opendir(d->dir);
    char from[600], to[600];
    int moved = 0;
    for (struct dirent *e; dir && (e = readdir(dir));) {
        if (strncmp(e->d_name, ".p.", 3) != 0)
            continue;
        snprintf(from, sizeof from, "%s/%s", d->dir, e->d_name);
        snprintf(to, sizeof to, "%s/moved", d->dir);
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".lock") == 0)
            continue;
        if (rename(from, to) == 0 && symlink("/tmp", from) == 0)
            moved++;
    }
    if (dir)
        closedir(dir);
    return swap_in_symlink(d) == 0 ? (moved ? 0 : 1) : 12;
}

static int hooked_listen(int fd, int backlog)
{
    as_nobody(rename_private_dir, attack_dir);
    return real_listen(fd, backlog);
}

static void NamedPipeTest_CurrentUserOnly_SwapDuringCreation_NoLinkFollowed(void **state)
{
    (void)state;
    shared_dir d;
    if (!make_shared_dir(&d))
        return;
    attack_dir = &d;
    real_listen = (int (*)(int, int))sp_fault_get_syscall("listen");
    sp_fault_set_syscall("listen", (sp_fault_fn)hooked_listen);
    NamedPipeServerStream *server = NamedPipeServerStream_new(d.pipe, PipeDirection_InOut, 1, PipeTransmissionMode_Byte,
                                                              PipeOptions_CurrentUserOnly);
    sp_fault_reset();
    /* the link at the final name is not replaced: the name is refused ("busy": someone took it) */
    assert_null(server);
    EXPECT_EXC(IOException);
    assert_int_equal(mode_of(d.target), 0644);
    assert_int_equal(mode_of("/tmp") & 07777, 01777);
    remove_shared_dir(&d);
}
#  endif
#endif

/* ================================================================== item 5: FirstPipeInstance */

/* NamedPipeTest.CreateServer.cs / Windows' FILE_FLAG_FIRST_PIPE_INSTANCE: a first instance of a
 * free name comes up; with an instance alive (in this process or another), a FirstPipeInstance
 * server is UnauthorizedAccessException("Access to the path is denied."). */
static void NamedPipeTest_CreateServer_FirstPipeInstance_NameInUse_Throws_UnauthorizedAccessException(void **state)
{
    (void)state;
    NamedPipeServerStream *first = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 2,
                                                             PipeTransmissionMode_Byte, PipeOptions_FirstPipeInstance);
    assert_non_null(first);
    NamedPipeServerStream *second = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 2,
                                                              PipeTransmissionMode_Byte, PipeOptions_FirstPipeInstance);
    if (second && running_under_wine()) {
        print_message("wine: FILE_FLAG_FIRST_PIPE_INSTANCE not enforced; skipped\n");
        Dispose(second);
    } else {
        assert_null(second);
        EXPECT_EXC_MSG(UnauthorizedAccessException, MSG_ACCESS_DENIED);
        char options[32];
        snprintf(options, sizeof options, "%d", (int)PipeOptions_FirstPipeInstance);
        const char *args[] = {pipe_name, options, "try"};
        sp_child *c = sp_child_start("start-server", args, 3);
        assert_int_equal(sp_child_wait(c, 10000), 5);
        sp_child_free(c);
    }
    /* without the flag a second instance is fine */
    second = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 2);
    assert_non_null(second);
    Dispose(second);
    Dispose(first);
}

/* ================================================================== items 6 and 7: processes */

#ifndef _WIN32
/* Four processes start a server of one name over a stale socket file (its server died): exactly
 * one comes up, the others are told the name is busy, and the one that came up serves the client
 * (no later one removed its socket). 150 rounds. */
static void NamedPipeServerStream_StaleSocket_FourProcesses_ExactlyOneServes(void **state)
{
    (void)state;
    int rounds = getenv("SP_HOSTILE_ROUNDS") ? atoi(getenv("SP_HOSTILE_ROUNDS")) : 150;
    for (int round = 0; round < rounds; round++) {
        const char *name = sp_unique_name("spstale");
        struct sockaddr_un addr;
        assert_true(unix_address(&addr, pipe_path(name))); /* the server's own path, whole */
        int stale = socket(AF_UNIX, SOCK_STREAM, 0);
        assert_int_equal(bind(stale, (struct sockaddr *)&addr, sizeof addr), 0);
        close(stale); /* the file stays: a server that died */
        char attempts[128];
        snprintf(attempts, sizeof attempts, "/tmp/sphostile-attempts-%d-%d", (int)getpid(), round);
        unlink(attempts);
        sp_child *children[4];
        const char *args[] = {name, attempts};
        for (int i = 0; i < 4; i++)
            children[i] = sp_child_start("race-server", args, 2);
        NamedPipeClientStream *client = NamedPipeClientStream_new(name);
        assert_true(NamedPipeClientStream_Connect(client, 10000));
        assert_true(Stream_WriteByte(client, 42));
        int echoed = Stream_ReadByte(client);
        Dispose(client);
        int served = 0, busy = 0;
        for (int i = 0; i < 4; i++) {
            int code = sp_child_wait(children[i], 10000);
            sp_child_free(children[i]);
            served += code == 0;
            busy += code == 2;
            if (code != 0 && code != 2)
                fail_msg("round %d: a child ended with %d (4: a server nobody reached)", round, code);
        }
        if (served != 1 || busy != 3 || echoed != 42)
            fail_msg("round %d: %d served, %d busy, echo %d", round, served, busy, echoed);
        assert_int_equal(access(addr.sun_path, F_OK), -1); /* the server removed its name */
        unlink(attempts);
    }
}

typedef struct waiting_server {
    NamedPipeServerStream *server;
    atomic_int returned;
    bool ok;
} waiting_server;

static void wait_for_client(void *arg)
{
    waiting_server *w = arg;
    w->ok = NamedPipeServerStream_WaitForConnection(w->server);
    atomic_store(&w->returned, 1);
}

/* A second process trying to start a server of a live name fails as "busy", and the live server's
 * WaitForConnection does not return a connection nobody made: its first client is the real one. */
static void NamedPipeServerStream_SecondServerElsewhere_NoPhantomClient(void **state)
{
    (void)state;
    waiting_server w = {.server = NamedPipeServerStream_new(pipe_name)};
    assert_non_null(w.server);
    sp_thread *t = sp_thread_start(wait_for_client, &w);
    for (int i = 0; i < 3; i++) {
        const char *args[] = {pipe_name, "0", "try"};
        sp_child *c = sp_child_start("start-server", args, 3);
        assert_int_equal(sp_child_wait(c, 10000), 2);
        sp_child_free(c);
    }
    sp_sleep_ms(200);
    assert_int_equal(atomic_load(&w.returned), 0);
    NamedPipeClientStream *client = NamedPipeClientStream_new(pipe_name);
    assert_true(NamedPipeClientStream_Connect(client, 5000));
    assert_true(Stream_WriteByte(client, 9));
    sp_thread_join(t);
    assert_true(w.ok);
    ASSERT_I64(Stream_ReadByte(w.server), 9);
    Dispose(client);
    Dispose(w.server);
}
#endif

/* ================================================================== item 8: unconnected streams */

/* NamedPipeTest.Simple.cs OperationsOnUnconnectedServer, each direction ([Theory] over the pairs). */
static void NamedPipeTest_Simple_OperationsOnUnconnectedServer(void **state)
{
    (void)state;
    const PipeDirection directions[] = {PipeDirection_In, PipeDirection_Out, PipeDirection_InOut};
    for (int i = 0; i < 3; i++) {
        NamedPipeServerStream *server = NamedPipeServerStream_new(sp_unique_name("spunconn"), directions[i]);
        assert_non_null(server);
        uint8_t buffer[4] = {0};
        ASSERT_I64(PipeStream_get_TransmissionMode(server), PipeTransmissionMode_Byte);
        EXPECT_NO_EXC();
        assert_false(PipeStream_set_ReadMode(server, (PipeTransmissionMode)999));
        EXPECT_EXC(ArgumentOutOfRangeException);
        EXPECT_PARAM("value");
        if ((directions[i] & PipeDirection_Out) && running_under_wine()) {
            print_message("wine: GetNamedPipeInfo on an unconnected instance fails; buffer sizes skipped\n");
        } else if (directions[i] & PipeDirection_Out) {
            ASSERT_I64(PipeStream_get_OutBufferSize(server), 0);
            EXPECT_NO_EXC();
        }
        if (directions[i] & PipeDirection_Out) {
            assert_false(Stream_Write(server, buffer, 0, 4));
            EXPECT_EXC_MSG(InvalidOperationException, MSG_NOT_CONNECTED);
        }
        if (directions[i] & PipeDirection_In) {
            if (!running_under_wine()) {
                ASSERT_I64(PipeStream_get_InBufferSize(server), 0);
                EXPECT_NO_EXC();
            }
            ASSERT_I64(PipeStream_get_ReadMode(server), PipeTransmissionMode_Byte);
            EXPECT_NO_EXC();
            ASSERT_I64(Stream_Read(server, buffer, 0, 4), -1);
            EXPECT_EXC_MSG(InvalidOperationException, MSG_NOT_CONNECTED);
        }
        if (directions[i] == PipeDirection_In) {
            assert_true(PipeStream_get_OutBufferSize(server) == -1);
            EXPECT_EXC(NotSupportedException);
        }
        assert_false(NamedPipeServerStream_Disconnect(server));
        EXPECT_EXC(InvalidOperationException);
        assert_false(PipeStream_get_IsMessageComplete(server));
        EXPECT_EXC(InvalidOperationException);
        assert_true(Dispose(server));
    }
}

/* NamedPipeTest.Simple.cs OperationsOnUnconnectedClient, each direction: the connection is
 * checked first (InvalidOperationException), before the direction. */
static void NamedPipeTest_Simple_OperationsOnUnconnectedClient(void **state)
{
    (void)state;
    const PipeDirection directions[] = {PipeDirection_In, PipeDirection_Out, PipeDirection_InOut};
    for (int i = 0; i < 3; i++) {
        NamedPipeClientStream *client = NamedPipeClientStream_new(".", pipe_name, directions[i]);
        assert_non_null(client);
        uint8_t buffer[4] = {0};
        if (directions[i] & PipeDirection_In) {
            ASSERT_I64(Stream_Read(client, buffer, 0, 4), -1);
            EXPECT_EXC(InvalidOperationException);
            PipeStream_get_ReadMode(client);
            EXPECT_EXC_MSG(InvalidOperationException, MSG_NOT_CONNECTED);
            assert_false(PipeStream_set_ReadMode(client, PipeTransmissionMode_Byte));
            EXPECT_EXC_MSG(InvalidOperationException, MSG_NOT_CONNECTED);
        }
        if (directions[i] & PipeDirection_Out) {
            assert_false(Stream_Write(client, buffer, 0, 4));
            EXPECT_EXC(InvalidOperationException);
        }
        ASSERT_I64(NamedPipeClientStream_get_NumberOfServerInstances(client), -1);
        EXPECT_EXC_MSG(InvalidOperationException, MSG_NOT_CONNECTED);
        PipeStream_get_TransmissionMode(client);
        EXPECT_EXC_MSG(InvalidOperationException, MSG_NOT_CONNECTED);
        ASSERT_I64(PipeStream_get_InBufferSize(client), -1);
        EXPECT_EXC_MSG(InvalidOperationException, MSG_NOT_CONNECTED);
        ASSERT_I64(PipeStream_get_OutBufferSize(client), -1);
        EXPECT_EXC_MSG(InvalidOperationException, MSG_NOT_CONNECTED);
        assert_null(PipeStream_get_SafePipeHandle(client));
        EXPECT_EXC_MSG(InvalidOperationException, MSG_NOT_CONNECTED);
        assert_true(Dispose(client));
    }
}

/* ================================================================== item 9: closed partner */

/* AnonymousPipeTest.Read.cs ReadFromPipeWithClosedPartner_ReadNoBytes (and PipeTest.Read.cs
 * WhenAnonymousPipeServerIsClosedAnonymousPipeClientReadReturnsZero): a client made from
 * GetClientHandleAsString keeps its end when the server is disposed, and reads end of stream. */
static void AnonymousPipeTest_Read_ReadFromPipeWithClosedPartner_ReadNoBytes(void **state)
{
    (void)state;
    AnonymousPipeServerStream *server = AnonymousPipeServerStream_new(PipeDirection_Out);
    char *handle = AnonymousPipeServerStream_GetClientHandleAsString(server);
    AnonymousPipeClientStream *client = AnonymousPipeClientStream_new(PipeDirection_In, handle);
    String_Free(handle);
    assert_non_null(client);
    assert_true(Dispose(server));
    uint8_t buffer[4];
    ASSERT_I64(Stream_Read(client, buffer, 0, 4), 0);
    EXPECT_NO_EXC();
    ASSERT_I64(Stream_ReadByte(client), -1);
    EXPECT_NO_EXC();
    assert_true(Dispose(client));
}

/* AnonymousPipeTest.Write.cs WriteToPipeWithClosedPartner_Throws_IOException. */
static void AnonymousPipeTest_Write_WriteToPipeWithClosedPartner_Throws_IOException(void **state)
{
    (void)state;
    AnonymousPipeServerStream *server = AnonymousPipeServerStream_new(PipeDirection_In);
    char *handle = AnonymousPipeServerStream_GetClientHandleAsString(server);
    AnonymousPipeClientStream *client = AnonymousPipeClientStream_new(PipeDirection_Out, handle);
    String_Free(handle);
    assert_non_null(client);
    assert_true(Dispose(server));
    uint8_t buffer[4] = {1, 2, 3, 4};
    assert_false(Stream_Write(client, buffer, 0, 4));
    EXPECT_EXC(IOException);
    assert_int_not_equal(Exception_get_Type(Exception_get_Current()), ExceptionType_ObjectDisposedException);
    assert_true(Dispose(client));
}

/* ================================================================== item 10: anonymous checks */

/* AnonymousPipeTest.CreateServer.cs InvalidBufferSize_Throws_ArgumentOutOfRangeException
 * [In, Out, InOut]: the buffer size is checked before the direction is refused. */
static void AnonymousPipeTest_CreateServer_InvalidBufferSize_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    const PipeDirection directions[] = {PipeDirection_In, PipeDirection_Out, PipeDirection_InOut};
    for (int i = 0; i < 3; i++) {
        assert_null(AnonymousPipeServerStream_new(directions[i], HandleInheritability_None, -1));
        EXPECT_EXC(ArgumentOutOfRangeException);
        EXPECT_PARAM("bufferSize");
    }
}

static void anonymous_pair(PipeDirection server_direction, AnonymousPipeServerStream **server,
                           AnonymousPipeClientStream **client)
{
    *server = AnonymousPipeServerStream_new(server_direction);
    assert_non_null(*server);
    char *handle = AnonymousPipeServerStream_GetClientHandleAsString(*server);
    *client = AnonymousPipeClientStream_new(server_direction == PipeDirection_In ? PipeDirection_Out : PipeDirection_In,
                                            handle);
    String_Free(handle);
    assert_non_null(*client);
}

/* AnonymousPipeTest.Specific.cs MessageReadMode_Throws_NotSupportedException (exactly that type),
 * InvalidReadMode_Throws_ArgumentOutOfRangeException, ReadModeToByte_Accepted,
 * PipeTransmissionMode_Returns_Byte. */
static void AnonymousPipeTest_Specific_ReadModes(void **state)
{
    (void)state;
    const PipeDirection directions[] = {PipeDirection_Out, PipeDirection_In};
    for (int i = 0; i < 2; i++) {
        AnonymousPipeServerStream *server;
        AnonymousPipeClientStream *client;
        anonymous_pair(directions[i], &server, &client);
        PipeStream *ends[] = {(PipeStream *)server, (PipeStream *)client};
        for (int e = 0; e < 2; e++) {
            assert_false(PipeStream_set_ReadMode(ends[e], PipeTransmissionMode_Message));
            EXPECT_EXC_MSG(NotSupportedException,
                           "Anonymous pipes do not support PipeTransmissionMode.Message ReadMode.");
            assert_int_equal(Exception_get_Type(Exception_get_Current()), ExceptionType_NotSupportedException);
            assert_false(PipeStream_set_ReadMode(ends[e], (PipeTransmissionMode)999));
            EXPECT_EXC(ArgumentOutOfRangeException);
            assert_true(PipeStream_set_ReadMode(ends[e], PipeTransmissionMode_Byte));
            ASSERT_I64(PipeStream_get_ReadMode(ends[e]), PipeTransmissionMode_Byte);
            ASSERT_I64(PipeStream_get_TransmissionMode(ends[e]), PipeTransmissionMode_Byte);
            EXPECT_NO_EXC();
        }
        Dispose(client);
        Dispose(server);
    }
}

/* AnonymousPipeTest.CreateClient.cs: direction's range is PipeStream's first check. */
static void AnonymousPipeTest_CreateClient_InvalidDirection_CheckedFirst(void **state)
{
    (void)state;
    assert_null(AnonymousPipeClientStream_new((PipeDirection)0, NULL));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("direction");
    assert_null(AnonymousPipeServerStream_new((PipeDirection)0, HandleInheritability_None, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("direction");
}

/* ================================================================== item 11: SafePipeHandle */

/* AnonymousPipeTest.Specific.cs DisposeLocalCopyOfClientHandle_BeforeServerRead. */
static void AnonymousPipeTest_Specific_DisposeLocalCopyOfClientHandle_BeforeServerRead(void **state)
{
    (void)state;
    AnonymousPipeServerStream *server = AnonymousPipeServerStream_new(PipeDirection_In);
    SafePipeHandle *ch = AnonymousPipeServerStream_get_ClientSafePipeHandle(server);
    assert_non_null(ch);
    AnonymousPipeClientStream *client = AnonymousPipeClientStream_new(PipeDirection_Out, ch);
    assert_non_null(client);
    uint8_t sent = 123, received = 0;
    assert_true(Stream_Write(client, &sent, 0, 1));
    assert_true(AnonymousPipeServerStream_DisposeLocalCopyOfClientHandle(server));
    ASSERT_I64(Stream_Read(server, &received, 0, 1), 1);
    ASSERT_I64(received, 123);
    Dispose(client);
    Dispose(server);
}

/* AnonymousPipeTest.Specific.cs ClonedServer_ActsAsOriginalServer. */
static void AnonymousPipeTest_Specific_ClonedServer_ActsAsOriginalServer(void **state)
{
    (void)state;
    AnonymousPipeServerStream *base = AnonymousPipeServerStream_new(PipeDirection_Out);
    AnonymousPipeServerStream *server =
        AnonymousPipeServerStream_new(PipeDirection_Out, PipeStream_get_SafePipeHandle(base),
                                      AnonymousPipeServerStream_get_ClientSafePipeHandle(base));
    assert_non_null(server);
    assert_true(PipeStream_get_IsConnected(server));
    AnonymousPipeClientStream *client =
        AnonymousPipeClientStream_new(PipeDirection_In, AnonymousPipeServerStream_get_ClientSafePipeHandle(server));
    assert_non_null(client);
    assert_true(PipeStream_get_IsConnected(client));
    uint8_t sent = 123, received = 0;
    assert_true(Stream_Write(server, &sent, 0, 1));
    ASSERT_I64(Stream_Read(client, &received, 0, 1), 1);
    ASSERT_I64(received, 123);
    Dispose(client);
    assert_false(Stream_WriteByte(server, 5));
    EXPECT_EXC(IOException);
    Dispose(server);
    Dispose(base);
}

/* AnonymousPipeTest.Specific.cs ClonedClient_ActsAsOriginalClient. */
static void AnonymousPipeTest_Specific_ClonedClient_ActsAsOriginalClient(void **state)
{
    (void)state;
    AnonymousPipeServerStream *server = AnonymousPipeServerStream_new(PipeDirection_Out);
    AnonymousPipeClientStream *base =
        AnonymousPipeClientStream_new(PipeDirection_In, AnonymousPipeServerStream_get_ClientSafePipeHandle(server));
    AnonymousPipeClientStream *client =
        AnonymousPipeClientStream_new(PipeDirection_In, PipeStream_get_SafePipeHandle(base));
    assert_non_null(client);
    uint8_t sent = 123, received = 0;
    assert_true(Stream_Write(server, &sent, 0, 1));
    ASSERT_I64(Stream_Read(client, &received, 0, 1), 1);
    ASSERT_I64(received, 123);
    Dispose(client);
    Dispose(base);
    Dispose(server);
}

/* NamedPipeTest.Simple.cs ClonedServer_ActsAsOriginalServer and ClonedClient_ActsAsOriginalClient. */
static void NamedPipeTest_Simple_ClonedServerAndClient_ActAsOriginals(void **state)
{
    (void)state;
    NamedPipeServerStream *server_base;
    NamedPipeClientStream *client_base;
    connect_pair(pipe_name, PipeDirection_InOut, &server_base, &client_base);
    NamedPipeServerStream *server =
        NamedPipeServerStream_newFromHandle(PipeDirection_Out, false, true, PipeStream_get_SafePipeHandle(server_base));
    assert_non_null(server);
    NamedPipeClientStream *client =
        NamedPipeClientStream_newFromHandle(PipeDirection_In, false, true, PipeStream_get_SafePipeHandle(client_base));
    assert_non_null(client);
    assert_true(PipeStream_get_IsConnected(server));
    assert_true(PipeStream_get_IsConnected(client));
    uint8_t msg[4] = {5, 7, 9, 10};
    /* the read first, on a thread (as .NET's ReadAsync): a Windows pipe without a buffer holds a
     * write until it is read */
    blocked_read r = {.stream = (Stream *)client};
    sp_thread *t = sp_thread_start(do_read, &r);
    assert_true(Stream_Write(server, msg, 0, 4));
    sp_thread_join(t);
    ASSERT_I64(r.result, 4);
    Dispose(client);
    Dispose(server);
    Dispose(client_base);
    Dispose(server_base);
}

/* SafePipeHandle's own members: IsInvalid, IsClosed, DangerousGetHandle, Dispose. */
static void SafePipeHandle_Members(void **state)
{
    (void)state;
    AnonymousPipeServerStream *server = AnonymousPipeServerStream_new(PipeDirection_Out);
    SafePipeHandle *h = PipeStream_get_SafePipeHandle(server);
    assert_non_null(h);
    assert_true(h == PipeStream_get_SafePipeHandle(server)); /* the same object, as .NET's */
    assert_false(SafePipeHandle_get_IsInvalid(h));
    assert_false(SafeHandle_get_IsClosed(h));
    assert_true(SafeHandle_DangerousGetHandle(h) != (intptr_t)-1);
    assert_true(SafeHandle_Close(h));
    assert_true(SafeHandle_get_IsClosed(h));
    assert_false(Stream_WriteByte(server, 1));
    EXPECT_EXC(ObjectDisposedException);
    assert_null(NamedPipeServerStream_newFromHandle(PipeDirection_Out, false, true, NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("safePipeHandle");
    Dispose(server);
}

/* NamedPipeTest.Specific.cs: Connect(TimeSpan) to a name nobody serves times out; out-of-range
 * spans are ArgumentOutOfRangeException ("timeout"). */
static void NamedPipeTest_Specific_ConnectTimeSpan(void **state)
{
    (void)state;
    NamedPipeClientStream *client = NamedPipeClientStream_new(pipe_name);
    assert_false(NamedPipeClientStream_ConnectTimeSpan(client, TimeSpan_FromMilliseconds(50)));
    EXPECT_EXC(TimeoutException);
    assert_false(NamedPipeClientStream_ConnectTimeSpan(client, TimeSpan_FromTicks(-2 * 10000)));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("timeout");
    assert_false(NamedPipeClientStream_ConnectTimeSpan(client, TimeSpan_FromTicks((int64_t)INT32_MAX * 10000 + 10000)));
    EXPECT_EXC(ArgumentOutOfRangeException);
    NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name);
    assert_true(NamedPipeClientStream_ConnectTimeSpan(client, TimeSpan_FromMilliseconds(-1)));
    Dispose(client);
    Dispose(server);
}

int main(int argc, char **argv)
{
    int child = sp_child_main(argc, argv, role_names, roles, (int)(sizeof roles / sizeof roles[0]));
    if (child >= 0)
        return child;
    const struct CMUnitTest tests[] = {
#ifndef _WIN32
        cmocka_unit_test_setup(NamedPipeClientStream_Connect_FullBacklog_TimesOut, setup),
        cmocka_unit_test_setup(NamedPipeClientStream_Connect_SharpipcServerFullBacklog_TimesOut, setup),
#endif
        cmocka_unit_test_setup(NamedPipeTest_Simple_DisconnectDuringRead_Returns0, setup),
        cmocka_unit_test_setup(AnonymousPipe_DisposeReadingEnd_WakesBlockedRead, setup),
#ifndef _WIN32
        cmocka_unit_test_setup(NamedPipeTest_CurrentUserOnly_LaterInstance_DoesNotFollowSwappedSymlink, setup),
        cmocka_unit_test_setup(NamedPipeTest_CurrentUserOnly_SocketIs0600_OtherUserCannotConnect, setup),
        cmocka_unit_test_setup(NamedPipeTest_CurrentUserOnly_PlantedSymlink_NotFollowed, setup),
#  ifdef SHARPIPC_FAULT_INJECTION
        cmocka_unit_test_setup(NamedPipeTest_CurrentUserOnly_SwapDuringCreation_NoLinkFollowed, setup),
#  endif
#endif
        cmocka_unit_test_setup(
            NamedPipeTest_CreateServer_FirstPipeInstance_NameInUse_Throws_UnauthorizedAccessException, setup),
#ifndef _WIN32
        cmocka_unit_test_setup(NamedPipeServerStream_StaleSocket_FourProcesses_ExactlyOneServes, setup),
        cmocka_unit_test_setup(NamedPipeServerStream_SecondServerElsewhere_NoPhantomClient, setup),
#endif
        cmocka_unit_test_setup(NamedPipeTest_Simple_OperationsOnUnconnectedServer, setup),
        cmocka_unit_test_setup(NamedPipeTest_Simple_OperationsOnUnconnectedClient, setup),
        cmocka_unit_test_setup(AnonymousPipeTest_Read_ReadFromPipeWithClosedPartner_ReadNoBytes, setup),
        cmocka_unit_test_setup(AnonymousPipeTest_Write_WriteToPipeWithClosedPartner_Throws_IOException, setup),
        cmocka_unit_test_setup(AnonymousPipeTest_CreateServer_InvalidBufferSize_Throws_ArgumentOutOfRangeException,
                               setup),
        cmocka_unit_test_setup(AnonymousPipeTest_Specific_ReadModes, setup),
        cmocka_unit_test_setup(AnonymousPipeTest_CreateClient_InvalidDirection_CheckedFirst, setup),
        cmocka_unit_test_setup(AnonymousPipeTest_Specific_DisposeLocalCopyOfClientHandle_BeforeServerRead, setup),
        cmocka_unit_test_setup(AnonymousPipeTest_Specific_ClonedServer_ActsAsOriginalServer, setup),
        cmocka_unit_test_setup(AnonymousPipeTest_Specific_ClonedClient_ActsAsOriginalClient, setup),
        cmocka_unit_test_setup(NamedPipeTest_Simple_ClonedServerAndClient_ActAsOriginals, setup),
        cmocka_unit_test_setup(SafePipeHandle_Members, setup),
        cmocka_unit_test_setup(NamedPipeTest_Specific_ConnectTimeSpan, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
