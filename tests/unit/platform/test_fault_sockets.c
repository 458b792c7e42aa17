/*
 * The socket seam's error paths, through the syscall table (SHARPIPC_FAULT_INJECTION): EINTR in
 * every blocking socket call is retried (POSIX), short sends still send everything, and OS
 * failures come out as .NET's SocketException with the OS's code (errno; the WSA code on Windows)
 * as NativeErrorCode. The same rows run on POSIX and on Win32 (Winsock's calls are in
 * sys_win32.h's table). sharpipc's own.
 */
#ifdef _WIN32
#  include <winsock2.h> /* before sp_test.h's windows.h: the WSA codes */
#endif
#include "sp_sockets.h"
#include "sp_test.h"

#include <sharpipc.h>
#include <sharpipc/System.Net.Sockets.h>

#include "platform/platform_fault.h"

#ifdef _WIN32
/* the calls as the Win32 seam names them, and Winsock's codes */
#  define SOCKET_NAME "WSASocketW"
#  define ACCEPT_NAME "accept"
#  define CODE_ACCEPT_RESET WSAECONNRESET /* a connection reset before it was taken */
#  define ACCEPT_RESET_ERROR SocketError_ConnectionReset
#  define RECEIVE_NAME "recv"
#  define CODE_EMFILE WSAEMFILE
#  define CODE_TOO_MANY WSAEMFILE /* the SocketError's own code */
#  define CODE_CONNRESET WSAECONNRESET
#  define CODE_WOULDBLOCK WSAEWOULDBLOCK
#  define CODE_NOBUFS WSAENOBUFS
#else
#  include <errno.h>
#  include <netdb.h>
#  include <stdio.h>

#  ifdef __linux__
#    define ACCEPT_NAME "accept4"
#  else
#    define ACCEPT_NAME "accept"
#  endif
#  define SOCKET_NAME "socket"
#  define CODE_ACCEPT_RESET ECONNABORTED
#  define ACCEPT_RESET_ERROR SocketError_ConnectionAborted
#  define RECEIVE_NAME "recvfrom"
#  define CODE_EMFILE EMFILE
#  define CODE_TOO_MANY ENFILE /* TooManyOpenSockets' errno in SocketErrorPal's reverse map */
#  define CODE_CONNRESET ECONNRESET
#  define CODE_WOULDBLOCK EAGAIN
#  define CODE_NOBUFS ENOBUFS
#endif


static int reset(void **state)
{
    (void)state;
    sp_fault_reset();
    return 0;
}

#ifndef _WIN32
/* EINTR in connect, accept, poll (where Accept waits in it), send and recvfrom: each call goes on and
 * succeeds. */
static void socket_calls_retry_eintr(void **state)
{
    (void)state;
    Socket *l = sp_socket_listener(-1);
    Socket *c = Socket_new(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    assert_true(sp_fault_interrupt("connect", 1));
    assert_true(Socket_Connect(c, IPAddress_Loopback, sp_socket_port(l)));
#  ifndef __linux__
    assert_true(sp_fault_interrupt("poll", 2)); /* Linux's Accept waits in accept4 itself */
#  endif
    assert_true(sp_fault_interrupt(ACCEPT_NAME, 2));
    Socket *a = Socket_Accept(l);
    assert_non_null(a);
    EXPECT_NO_EXC();
    uint8_t out[100], in[100];
    for (int i = 0; i < 100; i++)
        out[i] = (uint8_t)i;
    assert_true(sp_fault_interrupt("send", 3));
    assert_int_equal(Socket_Send(c, out, 0, 100, SocketFlags_None), 100);
    assert_true(sp_fault_interrupt("recvfrom", 3));
    int32_t got = 0;
    while (got < 100) {
        int32_t n = Socket_Receive(a, in, got, 100 - got, SocketFlags_None);
        assert_true(n > 0);
        got += n;
    }
    ASSERT_BYTES(in, 100, out, 100);
    assert_true(sp_fault_calls("recvfrom") >= 4);
    Dispose(a);
    Dispose(c);
    Dispose(l);
}

/* getnameinfo answering a name for any address, as a PTR record would (the reverse lookup of
 * Dns_GetHostEntry with an IP literal), so that the test needs no resolver set up for it. */
static int reverse_to_ptr_only_name(const struct sockaddr *addr, socklen_t len, char *host, socklen_t hostlen,
                                    char *serv, socklen_t servlen, int flags)
{
    (void)addr, (void)len, (void)serv, (void)servlen, (void)flags;
    snprintf(host, hostlen, "%s", "ptr-only.sharpipc.test");
    return 0;
}

/* Dns.GetHostEntry(IPAddress) (Dns.cs GetHostEntryOrAddressesCore): a reverse lookup, then a
 * forward lookup of the name found, whose failure .NET logs and does not throw ("there was a ptr
 * record in dns, but not a corollary A/AAA record ... Return whatever we got"): the entry is the
 * name with no addresses and no aliases, as NameResolutionPal's TryGetAddrInfo leaves them on
 * failure. .NET 10.0.12, GetHostEntry("127.0.0.1", InterNetworkV6) with no ::1 for localhost:
 * HostName "localhost", AddressList empty. Out of memory (EAI_MEMORY) still throws
 * OutOfMemoryException, as GetSocketErrorForNativeError throws it; a failed reverse lookup, and a
 * failed lookup of a name given, still throw SocketException. */
static void dns_get_host_entry_forward_lookup_fails_is_the_name_alone(void **state)
{
    (void)state;
    assert_true(sp_fault_set_syscall("getnameinfo", (sp_fault_fn)reverse_to_ptr_only_name));
    const int codes[] = {EAI_NONAME, EAI_AGAIN, EAI_FAIL};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_true(sp_fault_fail("getaddrinfo", 1, codes[i], 1));
        IPHostEntry entry;
        assert_true(Dns_GetHostEntry("192.0.2.1", &entry));
        EXPECT_NO_EXC();
        assert_string_equal(entry.HostName, "ptr-only.sharpipc.test");
        assert_int_equal(entry.AddressCount, 0);
        assert_int_equal(entry.AliasCount, 0);
        IPHostEntry_Free(&entry);
    }
    IPHostEntry entry;
    assert_true(sp_fault_fail("getaddrinfo", 1, EAI_MEMORY, 1));
    assert_false(Dns_GetHostEntry("192.0.2.1", &entry));
    EXPECT_EXC(OutOfMemoryException);
    assert_null(entry.HostName);
    assert_true(sp_fault_fail("getaddrinfo", 1, EAI_NONAME, 1));
    assert_false(Dns_GetHostEntry("ptr-only.sharpipc.test", &entry));
    assert_int_equal(SocketException_get_SocketErrorCode(Exception_get_Current()), SocketError_HostNotFound);
    sp_fault_set_syscall("getnameinfo", NULL);
    assert_true(sp_fault_fail("getnameinfo", 1, EAI_NONAME, 1));
    assert_false(Dns_GetHostEntry("192.0.2.1", &entry));
    assert_int_equal(SocketException_get_SocketErrorCode(Exception_get_Current()), SocketError_HostNotFound);
    assert_int_equal(sp_fault_calls("getaddrinfo"), 5); /* none after the failed reverse lookup */
}
#endif

/* A blocking accept that fails because the connection was reset before it was taken (ECONNABORTED;
 * WSAECONNRESET on Windows) is not retried: .NET's SystemNative_Accept retries EINTR alone and
 * SocketPal.Windows.Accept nothing, so .NET's Accept throws SocketException ConnectionAborted
 * (ConnectionReset on Windows) with that code. The next Accept takes the connection still
 * waiting. */
static void accept_connection_aborted_is_dotnet_socket_exception(void **state)
{
    (void)state;
    Socket *l = sp_socket_listener(-1);
    Socket *c = Socket_new(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    assert_true(Socket_Connect(c, IPAddress_Loopback, sp_socket_port(l)));
    assert_true(sp_fault_fail(ACCEPT_NAME, 1, CODE_ACCEPT_RESET, 1));
    assert_null(Socket_Accept(l));
    const Exception *e = Exception_get_Current();
    EXPECT_EXC(SocketException);
    assert_int_equal(SocketException_get_SocketErrorCode(e), ACCEPT_RESET_ERROR);
    assert_int_equal(Exception_get_NativeErrorCode(e), CODE_ACCEPT_RESET);
    assert_int_equal(SocketException_get_ErrorCode(e), CODE_ACCEPT_RESET);
#ifndef _WIN32
    assert_string_equal(Exception_get_Message(e), strerror(ECONNABORTED));
    assert_int_equal(sp_fault_calls(ACCEPT_NAME), 1); /* not retried */
#endif
    Socket *a = Socket_Accept(l);
    assert_non_null(a);
    EXPECT_NO_EXC();
    Dispose(a);
    Dispose(c);
    Dispose(l);
}

/* A send the OS shortens to one byte at a time still sends everything (a blocking Send). */
static void short_sends_send_everything(void **state)
{
    (void)state;
    Socket *c, *a;
    sp_socket_pair(&c, &a);
    uint8_t out[64], in[64];
    for (int i = 0; i < 64; i++)
        out[i] = (uint8_t)(i * 3);
    assert_true(sp_fault_short("send", 1, 1, -1));
    assert_int_equal(Socket_Send(c, out, 0, 64, SocketFlags_None), 64);
    assert_true(sp_fault_calls("send") >= 64);
    sp_fault_reset();
    int32_t got = 0;
    while (got < 64) {
        int32_t n = Socket_Receive(a, in, got, 64 - got, SocketFlags_None);
        assert_true(n > 0);
        got += n;
    }
    ASSERT_BYTES(in, 64, out, 64);
    Dispose(a);
    Dispose(c);
}

/* EMFILE from socket(2) (WSAEMFILE from WSASocketW): SocketException TooManyOpenSockets, whose
 * NativeErrorCode and text are that SocketError's, as .NET's `new SocketException((int)error)`:
 * ENFILE on POSIX (EMFILE and ENFILE share it), the same code on Windows. */
static void socket_emfile_is_too_many_open_sockets(void **state)
{
    (void)state;
    assert_true(sp_fault_fail(SOCKET_NAME, 1, CODE_EMFILE, 1));
    assert_null(Socket_new(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp));
    const Exception *e = Exception_get_Current();
    EXPECT_EXC(SocketException);
    assert_int_equal(SocketException_get_SocketErrorCode(e), SocketError_TooManyOpenSockets);
    assert_int_equal(Exception_get_NativeErrorCode(e), CODE_TOO_MANY);
    assert_int_equal(SocketException_get_ErrorCode(e), CODE_TOO_MANY);
#ifndef _WIN32
    assert_string_equal(Exception_get_Message(e), strerror(ENFILE));
#endif
}

/* ECONNRESET from recvfrom (WSAECONNRESET from recv): ConnectionReset, and the socket is no
 * longer Connected. */
static void receive_reset_disconnects(void **state)
{
    (void)state;
    Socket *c, *a;
    sp_socket_pair(&c, &a);
    assert_true(sp_fault_fail(RECEIVE_NAME, 1, CODE_CONNRESET, 1));
    uint8_t b[4];
    assert_int_equal(Socket_Receive(a, b, 4), -1);
    assert_int_equal(SocketException_get_SocketErrorCode(Exception_get_Current()), SocketError_ConnectionReset);
    assert_false(Socket_get_Connected(a));
    /* the out-SocketError form reports it instead */
    SocketError err = SocketError_Success;
    assert_true(sp_fault_fail(RECEIVE_NAME, 1, CODE_WOULDBLOCK, 1));
    assert_true(Socket_set_Blocking(a, false));
    assert_int_equal(Socket_Receive(a, b, 4, SocketFlags_None, &err), 0);
    assert_int_equal(err, SocketError_WouldBlock);
    EXPECT_NO_EXC();
    Dispose(a);
    Dispose(c);
}

#ifdef __linux__
/* Socket.SendFile through sendfile(2): EINTR retried and pieces the OS shortens still send the
 * whole file; a would-block of the blocking call (it waits in the kernel on Linux, so that is
 * SO_SNDTIMEO expired) is TimedOut, as Send's; a failure is .NET's SocketException with the errno. */
static void send_file_retries_and_fails_as_dotnet(void **state)
{
    (void)state;
    enum { N = 48 * 1024 };
    static uint8_t data[N], got[N];
    for (int i = 0; i < N; i++)
        data[i] = (uint8_t)(i * 11 + (i >> 8));
    char name[128];
    sp_temp_name(name, "fault_sendfile");
    FILE *f = fopen(name, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, N, f), N);
    fclose(f);
    Socket *c, *a;
    sp_socket_pair(&c, &a);
    assert_true(sp_fault_interrupt("sendfile", 2));
    assert_true(sp_fault_short("sendfile", 1, 1000, -1));
    assert_true(Socket_SendFile(c, name));
    EXPECT_NO_EXC();
    assert_true(sp_fault_calls("sendfile") >= N / 1000);
    int32_t done = 0;
    while (done < N) {
        int32_t n = Socket_Receive(a, got, done, N - done, SocketFlags_None);
        assert_true(n > 0);
        done += n;
    }
    ASSERT_BYTES(got, N, data, N);
    sp_fault_reset();
    assert_true(sp_fault_fail("sendfile", 1, EAGAIN, 1));
    assert_false(Socket_SendFile(c, name));
    EXPECT_EXC(SocketException);
    assert_int_equal(SocketException_get_SocketErrorCode(Exception_get_Current()), SocketError_TimedOut);
    assert_true(Socket_get_Connected(c)); /* TimedOut leaves the socket connected */
    sp_fault_reset();
    assert_true(sp_fault_fail("sendfile", 1, EIO, 1));
    assert_false(Socket_SendFile(c, name));
    const Exception *e = Exception_get_Current();
    EXPECT_EXC(SocketException);
    assert_int_equal(Exception_get_NativeErrorCode(e), EIO);
    remove(name);
    Dispose(a);
    Dispose(c);
}
#endif

/* A multicast membership the OS refuses (ENOBUFS from setsockopt; WSAENOBUFS on Windows):
 * SocketException NoBufferSpaceAvailable with the OS's code, for IPv4 and IPv6 alike. */
static void multicast_membership_fails_as_dotnet(void **state)
{
    (void)state;
    Socket *s = Socket_new(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
    IPAddress *group = IPAddress_Parse("239.255.77.19");
    MulticastOption *o = MulticastOption_newWithIndex(group, 0);
    assert_true(sp_fault_fail("setsockopt", 1, CODE_NOBUFS, 1));
    assert_false(Socket_SetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_AddMembership, o));
    const Exception *e = Exception_get_Current();
    EXPECT_EXC(SocketException);
    assert_int_equal(SocketException_get_SocketErrorCode(e), SocketError_NoBufferSpaceAvailable);
    assert_int_equal(Exception_get_NativeErrorCode(e), CODE_NOBUFS);
    Dispose(o);
    Dispose(group);
    Dispose(s);
    SP_REQUIRE(Socket_OSSupportsIPv6, "IPv6");
    sp_fault_reset();
    s = Socket_new(AddressFamily_InterNetworkV6, SocketType_Dgram, ProtocolType_Udp);
    group = IPAddress_Parse("ff02::77:19");
    IPv6MulticastOption *o6 = IPv6MulticastOption_new(group);
    assert_true(sp_fault_fail("setsockopt", 1, CODE_NOBUFS, 1));
    assert_false(Socket_SetSocketOption(s, SocketOptionLevel_IPv6, SocketOptionName_AddMembership, o6));
    e = Exception_get_Current();
    EXPECT_EXC(SocketException);
    assert_int_equal(Exception_get_NativeErrorCode(e), CODE_NOBUFS);
    Dispose(o6);
    Dispose(group);
    Dispose(s);
}

#ifdef _WIN32
/* closesocket's WSAEWOULDBLOCK, Windows' answer for a socket with a linger timeout while it is
 * non-blocking (every socket of the seam is), which leaves the socket open: the seam makes it
 * blocking and closes it again, as SafeSocketHandle.Windows' DoCloseHandle, so the handle goes and
 * the peer reads the end of the stream; a second WSAEWOULDBLOCK gives DoCloseHandle's abortive
 * close (linger 0, then closesocket). */
static void close_would_block_closes_blocking(void **state)
{
    (void)state;
    for (int refusals = 1; refusals <= 2; refusals++) {
        Socket *c, *a;
        sp_socket_pair(&c, &a);
        assert_true(Socket_set_LingerState(c, LingerOption_new(true, 5)));
        assert_true(Socket_set_ReceiveTimeout(a, 3000));
        long closes = sp_fault_calls("closesocket"), ioctls = sp_fault_calls("ioctlsocket");
        assert_true(sp_fault_fail("closesocket", 1, WSAEWOULDBLOCK, refusals));
        Dispose(c);
        assert_int_equal(sp_fault_calls("closesocket") - closes, refusals + 1);
        assert_int_equal(sp_fault_calls("ioctlsocket") - ioctls, 1); /* FIONBIO 0 */
        uint8_t b[4];
        int32_t n = Socket_Receive(a, b, 4);
        if (refusals == 1) {
            assert_int_equal(n, 0); /* a FIN: the close was graceful */
        } else if (n != 0) {
            /* the abortive close: a reset (wine sends a FIN for it) */
            assert_int_equal(n, -1);
            sp_expect_socket_error(SocketError_ConnectionReset, "Receive after the abortive close");
        }
        Dispose(a);
        sp_fault_reset();
    }
}
#endif

#ifdef _WIN32
/* A file of `size` bytes (0, 1, 2, ... mod 251) under a temporary name. */
static void make_file(char *name, const char *tag, size_t size)
{
    sp_temp_name(name, tag);
    FILE *f = fopen(name, "wb");
    assert_non_null(f);
    static uint8_t block[65536];
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = (uint8_t)(i % 251);
    for (size_t done = 0; done < size;) {
        size_t n = size - done < sizeof block ? size - done : sizeof block;
        assert_int_equal(fwrite(block, 1, n, f), n);
        done += n;
    }
    fclose(f);
}

/* Socket.SendFile through mswsock's TransmitFile (as .NET on Windows): a failure of the call, or of
 * the overlapped result it leaves pending, is .NET's SocketException with the WSA code. */
static void send_file_fails_as_dotnet(void **state)
{
    (void)state;
    char name[128];
    make_file(name, "fault_transmitfile", 10);
    Socket *c, *a;
    sp_socket_pair(&c, &a);
    assert_true(sp_fault_fail("TransmitFile", 1, WSAECONNRESET, 1));
    assert_false(Socket_SendFile(c, name));
    const Exception *e = Exception_get_Current();
    EXPECT_EXC(SocketException);
    assert_int_equal(SocketException_get_SocketErrorCode(e), SocketError_ConnectionReset);
    assert_int_equal(Exception_get_NativeErrorCode(e), WSAECONNRESET);
    assert_int_equal(sp_fault_calls("TransmitFile"), 1);
    Dispose(a);
    Dispose(c);
    sp_fault_reset();
    /* the Win32 event SendFile waits on */
    sp_socket_pair(&c, &a);
    assert_true(sp_fault_fail("CreateEventW", 1, ERROR_NOT_ENOUGH_MEMORY, 1));
    assert_false(Socket_SendFile(c, name));
    EXPECT_EXC(SocketException);
    assert_int_equal(Exception_get_NativeErrorCode(Exception_get_Current()), ERROR_NOT_ENOUGH_MEMORY);
    assert_int_equal(sp_fault_calls("TransmitFile"), 0);
    remove(name);
    Dispose(a);
    Dispose(c);
}

/* SendFile's wait beside the waker fails (WAIT_FAILED): the OS's error, not TimedOut. The peer
 * reads nothing and both buffers are small, so 8 MiB cannot have gone when the wait fails: the
 * cancel ends the transfer and the wait's error is the answer. */
static void send_file_wait_failed_is_the_os_error(void **state)
{
    (void)state;
    char name[128];
    make_file(name, "fault_sendfile_waitfailed", 8u << 20);
    Socket *c, *a;
    sp_socket_pair(&c, &a);
    assert_true(Socket_set_SendBufferSize(c, 8192));
    assert_true(Socket_set_ReceiveBufferSize(a, 8192));
    assert_true(sp_fault_fail("WaitForMultipleObjects", 1, ERROR_INVALID_HANDLE, 1));
    assert_false(Socket_SendFile(c, name));
    const Exception *e = Exception_get_Current();
    EXPECT_EXC(SocketException);
    assert_int_equal(Exception_get_NativeErrorCode(e), ERROR_INVALID_HANDLE);
    assert_int_not_equal(SocketException_get_SocketErrorCode(e), SocketError_TimedOut);
    assert_int_equal(sp_fault_calls("WaitForMultipleObjects"), 1);
    remove(name);
    Dispose(a);
    Dispose(c);
}

/* The race of a Dispose with a transfer that completes: the wait returns the waker's index (or
 * the timeout) only after the transfer's own event was set, as when both land together. The
 * transfer completed, so SendFile reports success and the peer has every byte, as .NET's
 * completed operation would. */
static sp_fault_fn real_wait;
static DWORD late_wake_result;
static DWORD WINAPI transfer_then_late_wake(DWORD count, const HANDLE *handles, BOOL all, DWORD timeout)
{
    (void)count;
    (void)all;
    (void)timeout;
    DWORD r = ((DWORD(WINAPI *)(DWORD, const HANDLE *, BOOL, DWORD))real_wait)(1, handles, FALSE, INFINITE);
    return r == WAIT_OBJECT_0 ? late_wake_result : r;
}

static void send_file_completed_as_dispose_lands_succeeds(void **state)
{
    (void)state;
    char name[128];
    make_file(name, "fault_sendfile_late_wake", 4096);
    real_wait = sp_fault_get_syscall("WaitForMultipleObjects");
    assert_non_null(real_wait);
    static const DWORD results[] = {WAIT_OBJECT_0 + 1, WAIT_TIMEOUT};
    for (int i = 0; i < 2; i++) {
        Socket *c, *a;
        sp_socket_pair(&c, &a);
        if (results[i] == WAIT_TIMEOUT)
            assert_true(Socket_set_SendTimeout(c, 60000)); /* the wait has a deadline to miss */
        late_wake_result = results[i];
        assert_true(sp_fault_set_syscall("WaitForMultipleObjects", (sp_fault_fn)transfer_then_late_wake));
        bool sent = Socket_SendFile(c, name);
        long waits = sp_fault_calls("WaitForMultipleObjects");
        sp_fault_set_syscall("WaitForMultipleObjects", NULL);
        if (waits == 0) /* TransmitFile finished at once: nothing was waited for */
            fail_msg("TransmitFile of 4 KiB did not go pending: the race cannot be staged here");
        EXPECT_NO_EXC();
        assert_true(sent);
        uint8_t buffer[4096];
        int32_t got = 0;
        while (got < 4096) {
            int32_t n = Socket_Receive(a, buffer + got, 4096 - got, SocketFlags_None);
            assert_true(n > 0);
            got += n;
        }
        for (int32_t k = 0; k < 4096; k++)
            assert_int_equal(buffer[k], k % 251);
        Dispose(a);
        Dispose(c);
    }
    remove(name);
}
#endif

#ifdef __linux__
/* ---- a Dispose that lands inside a call, after its pin and its state checks (sharpipc's own):
 * the hook closes the socket (Socket_Close: the test keeps its reference) from within the seam's
 * OS call, once, then runs the OS's own function. The call ends as one that came after the
 * Dispose (ObjectDisposedException), as SendFile (b4ab7c5) does, not with what the Dispose's
 * disconnect left (sp_os_socket_interrupt: connect(AF_UNSPEC), then shutdown). */
#  include <fcntl.h>
#  include <sys/socket.h>
#  include <unistd.h>

static Socket *dispose_target;
static sp_fault_fn real_fn;

/* Closes the target the first time (the Dispose's own OS calls then meet no hook a second time). */
static void dispose_inside(void)
{
    Socket *s = dispose_target;
    dispose_target = NULL;
    if (s)
        assert_true(Socket_Close(s));
}

static int getname_disposing(int fd, struct sockaddr *addr, socklen_t *len)
{
    dispose_inside();
    return ((int (*)(int, struct sockaddr *, socklen_t *))real_fn)(fd, addr, len);
}

static int connect_then_dispose_on_restore(int fd, int cmd, int arg)
{
    /* the restore of the blocking mode after the connect completed (socket_posix.c's connect) */
    if (cmd == F_SETFL && !(arg & O_NONBLOCK))
        dispose_inside();
    return ((int (*)(int, int, int))real_fn)(fd, cmd, arg);
}

static int bind_then_dispose(int fd, const struct sockaddr *addr, socklen_t len)
{
    int r = ((int (*)(int, const struct sockaddr *, socklen_t))real_fn)(fd, addr, len);
    dispose_inside();
    return r;
}

/* a connected client that bound no address of its own (the connect chose it), and its peer */
static Socket *connected_client(Socket **accepted)
{
    Socket *l = sp_socket_listener(1);
    Socket *c = Socket_new(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    assert_true(Socket_Connect(c, IPAddress_Loopback, sp_socket_port(l)));
    *accepted = Socket_Accept(l);
    assert_non_null(*accepted);
    Dispose(l);
    return c;
}

static void stage(const char *name, sp_fault_fn hook, Socket *s)
{
    dispose_target = s;
    real_fn = sp_fault_get_syscall(name);
    assert_non_null(real_fn);
    assert_true(sp_fault_set_syscall(name, hook));
}

static void unstage(const char *name)
{
    sp_fault_set_syscall(name, NULL);
    if (dispose_target)
        fail_msg("%s was not called: the Dispose could not be staged", name);
}

/* RemoteEndPoint: connected when checked, the peer gone by getpeername (ENOTCONN): not a NULL
 * with no exception. */
static void remote_endpoint_disposed_after_the_check_is_disposed(void **state)
{
    (void)state;
    Socket *a, *c = connected_client(&a);
    stage("getpeername", (sp_fault_fn)getname_disposing, c);
    EndPoint *ep = Socket_get_RemoteEndPoint(c);
    unstage("getpeername");
    assert_null(ep);
    EXPECT_EXC(ObjectDisposedException);
    Dispose(a);
    Dispose(c);
}

/* LocalEndPoint: the disconnect unbinds the address the connect chose (0.0.0.0 on Linux): not
 * that address. */
static void local_endpoint_disposed_after_the_check_is_disposed(void **state)
{
    (void)state;
    Socket *a, *c = connected_client(&a);
    stage("getsockname", (sp_fault_fn)getname_disposing, c);
    EndPoint *ep = Socket_get_LocalEndPoint(c);
    unstage("getsockname");
    if (ep) {
        char *text = EndPoint_ToString(ep);
        print_message("LocalEndPoint after the Dispose: %s\n", text);
        String_Free(text);
        Dispose(ep);
    }
    assert_null(ep);
    EXPECT_EXC(ObjectDisposedException);
    Dispose(a);
    Dispose(c);
}

/* A Connect whose connection completed as the Dispose landed: the Dispose cleared connected before
 * the Connect stored it; a disposed socket is not Connected afterwards. */
static void connect_completed_as_dispose_lands_is_disposed(void **state)
{
    (void)state;
    Socket *l = sp_socket_listener(1);
    Socket *c = Socket_new(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    stage("fcntl", (sp_fault_fn)connect_then_dispose_on_restore, c);
    bool ok = Socket_Connect(c, IPAddress_Loopback, sp_socket_port(l));
    unstage("fcntl");
    assert_false(ok);
    EXPECT_EXC(ObjectDisposedException);
    assert_false(Socket_get_Connected(c));
    Dispose(c);
    Dispose(l);
}

/* A Unix socket's Bind whose bind(2) completed as the Dispose landed: the Dispose looked for the
 * bound file before the Bind stored its name; the file goes all the same, as after any Dispose. */
static void unix_bind_as_dispose_lands_removes_the_file(void **state)
{
    (void)state;
    char name[128];
    sp_temp_name(name, "bind");
    UnixDomainSocketEndPoint *ep = UnixDomainSocketEndPoint_new(name);
    Socket *s = Socket_new(AddressFamily_Unix, SocketType_Stream, ProtocolType_Unspecified);
    assert_non_null(s);
    stage("bind", (sp_fault_fn)bind_then_dispose, s);
    bool bound = Socket_Bind(s, (EndPoint *)ep);
    unstage("bind");
    assert_true(bound || Exception_get_Current() != NULL);
    if (access(name, F_OK) == 0) {
        remove(name);
        fail_msg("the bound file %s outlived the Dispose", name);
    }
    Dispose(s);
    Dispose(ep);
}

static int getsockopt_disposing(int fd, int level, int name, void *value, socklen_t *len)
{
    dispose_inside();
    return ((int (*)(int, int, int, void *, socklen_t *))real_fn)(fd, level, name, value, len);
}

static int ioctl_disposing(int fd, unsigned long request, void *arg)
{
    dispose_inside();
    return ((int (*)(int, unsigned long, void *))real_fn)(fd, request, arg);
}

/* LingerState: the Dispose of a socket a call holds closes it abortively, with a linger of its own
 * (on, 0 s): not that linger, which the user never set. */
static void linger_state_disposed_during_the_call_is_disposed(void **state)
{
    (void)state;
    Socket *a, *c = connected_client(&a);
    stage("getsockopt", (sp_fault_fn)getsockopt_disposing, c);
    LingerOption v = Socket_get_LingerState(c);
    unstage("getsockopt");
    if (!Exception_get_Current())
        print_message("LingerState after the Dispose: %d, %d\n", (int)v.Enabled, (int)v.LingerTime);
    EXPECT_EXC(ObjectDisposedException);
    assert_false(v.Enabled);
    Dispose(a);
    Dispose(c);
}

/* Available: the Dispose's disconnect drops what the socket had received: not 0 for the 5 bytes
 * waiting. */
static void available_disposed_during_the_call_is_disposed(void **state)
{
    (void)state;
    Socket *a, *c = connected_client(&a);
    uint8_t b[5] = {1, 2, 3, 4, 5};
    assert_int_equal(Socket_Send(a, b, 0, 5, SocketFlags_None), 5);
    assert_true(Socket_Poll(c, 5000000, SelectMode_SelectRead));
    assert_int_equal(Socket_get_Available(c), 5);
    stage("ioctl", (sp_fault_fn)ioctl_disposing, c);
    int32_t n = Socket_get_Available(c);
    unstage("ioctl");
    if (!Exception_get_Current())
        print_message("Available after the Dispose: %d\n", (int)n);
    EXPECT_EXC(ObjectDisposedException);
    assert_int_equal(n, 0);
    Dispose(a);
    Dispose(c);
}

static UdpClient *udp_dispose_target;

static int connect_disposing_the_client(int fd, const struct sockaddr *addr, socklen_t len)
{
    UdpClient *c = udp_dispose_target;
    udp_dispose_target = NULL;
    if (c)
        assert_true(UdpClient_Close(c));
    return ((int (*)(int, const struct sockaddr *, socklen_t))real_fn)(fd, addr, len);
}

/* UdpClient.Connect(hostname, port) on a client with no socket connects a fresh one and stores it
 * after: a Dispose of the client that emptied the slot meanwhile does not get a socket stored
 * behind it (Client stays NULL, the socket is closed), and the Connect ends as one after it. */
static void udp_connect_host_as_dispose_lands_is_disposed(void **state)
{
    (void)state;
    Socket *peer = sp_socket_udp_bound(AddressFamily_InterNetwork, IPAddress_Loopback);
    UdpClient *c = UdpClient_newDefault();
    assert_true(UdpClient_set_Client(c, NULL)); /* as .NET: Connect(hostname) makes its own */
    udp_dispose_target = c;
    real_fn = sp_fault_get_syscall("connect");
    assert_true(sp_fault_set_syscall("connect", (sp_fault_fn)connect_disposing_the_client));
    bool ok = UdpClient_Connect(c, "127.0.0.1", sp_socket_port(peer));
    sp_fault_set_syscall("connect", NULL);
    if (udp_dispose_target)
        fail_msg("connect was not called: the Dispose could not be staged");
    assert_false(ok);
    EXPECT_EXC(ObjectDisposedException);
    assert_null(UdpClient_get_Client(c));
    Dispose(c);
    Dispose(peer);
}

static TcpListener *listener_dispose_target;

static int listen_then_dispose_the_listener(int fd, int backlog)
{
    int r = ((int (*)(int, int))real_fn)(fd, backlog);
    TcpListener *l = listener_dispose_target;
    listener_dispose_target = NULL;
    if (l)
        assert_true(Dispose(l)); /* the test keeps a reference of its own */
    return r;
}

/* TcpListener.Start whose listen(2) completed as the listener's Dispose (its Stop) landed: the
 * listener stays stopped (not Active after the Dispose), and the Start ends as one after it. */
static void tcp_listener_start_as_dispose_lands_is_disposed(void **state)
{
    (void)state;
    TcpListener *l = TcpListener_new(IPAddress_Loopback, 0);
    assert_non_null(l);
    Object_Retain(l);
    listener_dispose_target = l;
    real_fn = sp_fault_get_syscall("listen");
    assert_true(sp_fault_set_syscall("listen", (sp_fault_fn)listen_then_dispose_the_listener));
    bool ok = TcpListener_Start(l);
    sp_fault_set_syscall("listen", NULL);
    if (listener_dispose_target)
        fail_msg("listen was not called: the Dispose could not be staged");
    assert_false(ok);
    EXPECT_EXC(ObjectDisposedException);
    assert_false(TcpListener_get_Active(l));
    Dispose(l);
}

static int socket_disposing_the_listener(int domain, int type, int protocol)
{
    TcpListener *l = listener_dispose_target;
    listener_dispose_target = NULL;
    if (l)
        assert_true(Dispose(l));
    return ((int (*)(int, int, int))real_fn)(domain, type, protocol);
}

/* ... and a Start on a stopped listener, which makes its socket anew, with the Dispose landing
 * before that socket is stored: the socket made after the Dispose's Stop is closed, and the
 * listener stays stopped. */
static void tcp_listener_restart_as_dispose_lands_is_disposed(void **state)
{
    (void)state;
    TcpListener *l = TcpListener_new(IPAddress_Loopback, 0);
    assert_true(TcpListener_Start(l));
    assert_true(TcpListener_Stop(l));
    Object_Retain(l);
    listener_dispose_target = l;
    real_fn = sp_fault_get_syscall("socket");
    assert_true(sp_fault_set_syscall("socket", (sp_fault_fn)socket_disposing_the_listener));
    bool ok = TcpListener_Start(l);
    sp_fault_set_syscall("socket", NULL);
    if (listener_dispose_target)
        fail_msg("socket was not called: the Dispose could not be staged");
    assert_false(ok);
    EXPECT_EXC(ObjectDisposedException);
    assert_false(TcpListener_get_Active(l));
    Dispose(l);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
#ifndef _WIN32
        cmocka_unit_test_setup(socket_calls_retry_eintr, reset),
        cmocka_unit_test_setup(dns_get_host_entry_forward_lookup_fails_is_the_name_alone, reset),
#endif
        cmocka_unit_test_setup(accept_connection_aborted_is_dotnet_socket_exception, reset),
        cmocka_unit_test_setup(short_sends_send_everything, reset),
        cmocka_unit_test_setup(socket_emfile_is_too_many_open_sockets, reset),
        cmocka_unit_test_setup(receive_reset_disconnects, reset),
        cmocka_unit_test_setup(multicast_membership_fails_as_dotnet, reset),
#ifdef _WIN32
        cmocka_unit_test_setup(send_file_fails_as_dotnet, reset),
        cmocka_unit_test_setup(send_file_wait_failed_is_the_os_error, reset),
        cmocka_unit_test_setup(send_file_completed_as_dispose_lands_succeeds, reset),
        cmocka_unit_test_setup(close_would_block_closes_blocking, reset),
#endif
#ifdef __linux__
        cmocka_unit_test_setup(send_file_retries_and_fails_as_dotnet, reset),
        cmocka_unit_test_setup(remote_endpoint_disposed_after_the_check_is_disposed, reset),
        cmocka_unit_test_setup(local_endpoint_disposed_after_the_check_is_disposed, reset),
        cmocka_unit_test_setup(connect_completed_as_dispose_lands_is_disposed, reset),
        cmocka_unit_test_setup(unix_bind_as_dispose_lands_removes_the_file, reset),
        cmocka_unit_test_setup(linger_state_disposed_during_the_call_is_disposed, reset),
        cmocka_unit_test_setup(available_disposed_during_the_call_is_disposed, reset),
        cmocka_unit_test_setup(udp_connect_host_as_dispose_lands_is_disposed, reset),
        cmocka_unit_test_setup(tcp_listener_start_as_dispose_lands_is_disposed, reset),
        cmocka_unit_test_setup(tcp_listener_restart_as_dispose_lands_is_disposed, reset),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
