/*
 * Named and anonymous pipes on Windows, with the CreateNamedPipe / CreateFile / WaitNamedPipe
 * arguments .NET uses. Handles are overlapped so that Dispose on another thread can cancel a
 * blocked read, write or wait (CancelIoEx). Every function returns 0 or a GetLastError() code
 * (platform.h); the .NET exceptions and their texts are src/System.IO.Pipes' business.
 *
 * The pipe calls themselves (CreateNamedPipeW, ConnectNamedPipe, CreateFileW, WaitNamedPipeW,
 * ReadFile, WriteFile, GetOverlappedResult, CreatePipe, CloseHandle) go through SP_SYS
 * (sys_win32.h), for the fault tests; the security and state queries are called directly.
 */
#include "platform/platform.h"

#include <stdio.h>
#include <winsock2.h> /* before windows.h, for sys_win32.h's Winsock rows */
#include <windows.h>
#include <sddl.h>
#include <aclapi.h>

#include "sys_win32.h"
#include "util_win32.h"

#define SP_PIPE_UNLIMITED_INSTANCES 255

void *sp_win32_io_event(void)
{
    static _Thread_local HANDLE event;
    if (!event)
        event = CreateEventW(NULL, TRUE, FALSE, NULL);
    return event;
}

/* ---------------------------------------------------------------- errors */

sp_os_error_kind sp_os_pipe_error_kind(int32_t code)
{
    switch (code) {
    case ERROR_PIPE_BUSY:
    case ERROR_SEM_TIMEOUT: return SP_ERR_BUSY; /* SEM_TIMEOUT: WaitNamedPipe */
    case ERROR_BROKEN_PIPE:
    case ERROR_PIPE_NOT_CONNECTED:
    case ERROR_NO_DATA: return SP_ERR_BROKEN;
    case ERROR_FILE_NOT_FOUND: return SP_ERR_NOT_FOUND;
    case ERROR_PATH_NOT_FOUND: return SP_ERR_PATH_NOT_FOUND;
    case ERROR_ACCESS_DENIED: return SP_ERR_ACCESS_DENIED;
    case ERROR_FILENAME_EXCED_RANGE: return SP_ERR_TOO_LONG;
    case ERROR_OPERATION_ABORTED: return SP_ERR_CANCELLED;
    case ERROR_NOT_SUPPORTED: return SP_ERR_NOT_SUPPORTED;
    case ERROR_ALREADY_EXISTS:
    case ERROR_FILE_EXISTS: return SP_ERR_ALREADY_EXISTS;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY: return SP_ERR_NO_MEMORY;
    default: return SP_ERR_OTHER;
    }
}

bool sp_os_pipe_is_socket(void) { return false; }

/* ---------------------------------------------------------------- names */

bool sp_os_pipe_remote_supported(void) { return true; }

bool sp_os_pipe_server_is_local(const char *serverName)
{
    if (strcmp(serverName, ".") == 0)
        return true;
    char host[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD n = sizeof host;
    return GetComputerNameA(host, &n) && _stricmp(serverName, host) == 0;
}

bool sp_os_pipe_names_are_paths(void) { return false; }

size_t sp_os_pipe_full_path(const char *serverName, const char *pipeName, char *buf, size_t size)
{
    int n = snprintf(buf, size, "\\\\%s\\pipe\\%s", serverName, pipeName);
    for (char *p = buf; size && *p; p++) /* Path.GetFullPath turns / into \ */
        if (*p == '/')
            *p = '\\';
    return n < 0 ? 0 : (size_t)n;
}

size_t sp_os_pipe_max_path_length(void) { return 0; /* .NET checks none here */ }

bool sp_os_pipe_supports_message_mode(void) { return true; }

/* ---------------------------------------------------------------- security */

/* The SID string of the user running this process (LocalFree), or NULL. */
static wchar_t *current_user_sid(void)
{
    HANDLE token;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return NULL;
    DWORD size = 0;
    GetTokenInformation(token, TokenUser, NULL, 0, &size);
    TOKEN_USER *user = size ? malloc(size) : NULL;
    wchar_t *sid = NULL;
    if (user && GetTokenInformation(token, TokenUser, user, size, &size))
        ConvertSidToStringSidW(user->User.Sid, &sid);
    free(user);
    CloseHandle(token);
    return sid;
}

/* CurrentUserOnly: as .NET, the owner is this user and the only ACE gives this user full control. */
static PSECURITY_DESCRIPTOR owner_only_descriptor(void)
{
    wchar_t *sid = current_user_sid();
    if (!sid)
        return NULL;
    wchar_t sddl[512];
    _snwprintf(sddl, 512, L"O:%lsD:P(A;;GA;;;%ls)", sid, sid);
    LocalFree(sid);
    PSECURITY_DESCRIPTOR sd = NULL;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, NULL))
        return NULL;
    return sd;
}

/* Does the pipe's owner equal this process's user? */
static bool owned_by_current_user(HANDLE h)
{
    PSID owner = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    if (GetSecurityInfo(h, SE_KERNEL_OBJECT, OWNER_SECURITY_INFORMATION, &owner, NULL, NULL, NULL, &sd) !=
        ERROR_SUCCESS)
        return false;
    wchar_t *mine = current_user_sid();
    PSID my_sid = NULL;
    bool same = mine && ConvertStringSidToSidW(mine, &my_sid) && owner && EqualSid(owner, my_sid);
    if (my_sid)
        LocalFree(my_sid);
    if (mine)
        LocalFree(mine);
    LocalFree(sd);
    return same;
}

/* ---------------------------------------------------------------- server */

struct sp_os_pipe_server {
    HANDLE handle;
};

int32_t sp_os_pipe_server_new(const char *path, const sp_pipe_config *config, sp_os_pipe_server **result)
{
    wchar_t *wpath = sp_win32_widen(path);
    sp_os_pipe_server *server = calloc(1, sizeof *server);
    if (!wpath || !server) {
        free(wpath);
        free(server);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    DWORD open_mode = (DWORD)config->direction | FILE_FLAG_OVERLAPPED |
                      ((DWORD)config->options & ~(DWORD)(PipeOptions_CurrentUserOnly | PipeOptions_Asynchronous));
    if (config->max_instances == 1)
        open_mode |= FILE_FLAG_FIRST_PIPE_INSTANCE;
    DWORD tm = (DWORD)config->transmission_mode;
    DWORD pipe_mode = (tm << 2) | (tm << 1);
    DWORD instances = config->max_instances == -1 ? SP_PIPE_UNLIMITED_INSTANCES : (DWORD)config->max_instances;
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, FALSE};
    /* CurrentUserOnly fails closed: without the owner-only descriptor the pipe would get the default
     * DACL, and a Windows server does not check its peer's user after the connection */
    if ((config->options & PipeOptions_CurrentUserOnly) && !(sa.lpSecurityDescriptor = owner_only_descriptor())) {
        DWORD e = GetLastError();
        free(wpath);
        free(server);
        return e ? (int32_t)e : ERROR_ACCESS_DENIED;
    }
    HANDLE h = SP_SYS(CreateNamedPipeW)(wpath, open_mode, pipe_mode, instances, (DWORD)config->out_buffer_size,
                                        (DWORD)config->in_buffer_size, 0, &sa);
    DWORD err = GetLastError();
    if (sa.lpSecurityDescriptor)
        LocalFree(sa.lpSecurityDescriptor);
    free(wpath);
    if (h == INVALID_HANDLE_VALUE) {
        free(server);
        return (int32_t)err;
    }
    server->handle = h;
    *result = server;
    return 0;
}

int32_t sp_os_pipe_server_accept(sp_os_pipe_server *server, sp_os_waker *waker, sp_os_pipe *conn)
{
    OVERLAPPED ov = {0};
    ov.hEvent = sp_win32_io_event();
    if (!SP_SYS(ConnectNamedPipe)(server->handle, &ov)) {
        DWORD err = GetLastError();
        if (err == ERROR_IO_PENDING) {
            HANDLE events[2] = {ov.hEvent, sp_win32_waker_event(waker)};
            DWORD which = WaitForMultipleObjects(2, events, FALSE, INFINITE);
            DWORD ignored;
            if (which != WAIT_OBJECT_0) {
                CancelIoEx(server->handle, &ov);
                /* direct, not SP_SYS: the cancelled I/O must be over before ov goes */
                GetOverlappedResult(server->handle, &ov, &ignored, TRUE);
                return ERROR_OPERATION_ABORTED;
            }
            if (!SP_SYS(GetOverlappedResult)(server->handle, &ov, &ignored, FALSE)) {
                err = GetLastError();
                if (err != ERROR_PIPE_CONNECTED)
                    return (int32_t)err;
            }
        } else if (err != ERROR_PIPE_CONNECTED) {
            return (int32_t)err;
        }
    }
    *conn = (sp_os_pipe)server->handle;
    return 0;
}

sp_os_pipe sp_os_pipe_server_handle(const sp_os_pipe_server *server) { return (sp_os_pipe)server->handle; }

int32_t sp_os_pipe_server_disconnect(sp_os_pipe_server *server)
{
    return DisconnectNamedPipe(server->handle) ? 0 : (int32_t)GetLastError();
}

void sp_os_pipe_server_release_connection(sp_os_pipe_server *server, sp_os_pipe conn)
{
    (void)server; /* every connection is the instance's handle, closed with the instance */
    (void)conn;
}

void sp_os_pipe_server_free(sp_os_pipe_server *server)
{
    if (!server)
        return;
    SP_SYS(CloseHandle)(server->handle);
    free(server);
}

/* ---------------------------------------------------------------- client */

/* CurrentUserOnly is the server's ACL here: only this user can open the pipe. */
bool sp_os_pipe_server_checks_peer_user(void) { return false; }

/* .NET's Windows WaitForConnection has no state check of its own: ConnectNamedPipe decides. */
bool sp_os_pipe_server_accept_checks_connected(void) { return true; }

int32_t sp_os_pipe_peer_is_current_user(sp_os_pipe conn, bool *same, uint32_t *peer_id, uint32_t *own_id)
{
    *peer_id = *own_id = 0; /* SIDs, not numbers */
    *same = owned_by_current_user((HANDLE)conn);
    return 0;
}

int32_t sp_os_pipe_client_try_connect(const char *path, const sp_pipe_config *config, int32_t wait_ms, sp_os_pipe *conn)
{
    wchar_t *wpath = sp_win32_widen(path);
    if (!wpath)
        return ERROR_NOT_ENOUGH_MEMORY;
    DWORD flags = FILE_FLAG_OVERLAPPED | ((DWORD)config->options & (DWORD)PipeOptions_WriteThrough);
    if (config->impersonation != TokenImpersonationLevel_None)
        flags |= SECURITY_SQOS_PRESENT | (((DWORD)config->impersonation - 1) << 16);
    DWORD access = ((config->direction & PipeDirection_In) ? GENERIC_READ : 0) |
                   ((config->direction & PipeDirection_Out) ? GENERIC_WRITE : 0);
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, config->inheritability == HandleInheritability_Inheritable};
    DWORD err = 0;
    HANDLE h = SP_SYS(CreateFileW)(wpath, access, 0, &sa, OPEN_EXISTING, flags, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        err = GetLastError();
        /* not there or busy: wait (a little) for an instance, then try once more */
        if (err == ERROR_PIPE_BUSY || err == ERROR_FILE_NOT_FOUND) {
            if (!SP_SYS(WaitNamedPipeW)(wpath, (DWORD)(wait_ms > 0 ? wait_ms : 1))) {
                err = GetLastError();
            } else {
                h = SP_SYS(CreateFileW)(wpath, access, 0, &sa, OPEN_EXISTING, flags, NULL);
                err = h == INVALID_HANDLE_VALUE ? GetLastError() : 0;
            }
        }
    }
    free(wpath);
    if (err)
        return (int32_t)err;
    *conn = (sp_os_pipe)h;
    return 0;
}

/* ---------------------------------------------------------------- I/O */

/* Runs one overlapped ReadFile/WriteFile to completion, or cancels it when waker is signalled
 * (Dispose on another thread: a CancelIoEx made before the I/O started would miss it). */
static DWORD complete(HANDLE h, BOOL started, OVERLAPPED *ov, DWORD *done, sp_os_waker *waker)
{
    if (!started) {
        DWORD err = GetLastError();
        /* ERROR_MORE_DATA: part of a message is here; the count comes from the result */
        if (err != ERROR_IO_PENDING && err != ERROR_MORE_DATA)
            return err;
        if (err == ERROR_IO_PENDING && waker) {
            HANDLE events[2] = {ov->hEvent, sp_win32_waker_event(waker)};
            if (WaitForMultipleObjects(2, events, FALSE, INFINITE) != WAIT_OBJECT_0) {
                CancelIoEx(h, ov);
                GetOverlappedResult(h, ov, done, TRUE); /* direct: the I/O must be over before ov goes */
                return ERROR_OPERATION_ABORTED;
            }
        }
    }
    if (!SP_SYS(GetOverlappedResult)(h, ov, done, TRUE))
        return GetLastError();
    return 0;
}

int32_t sp_os_pipe_read(sp_os_pipe conn, sp_os_waker *waker, void *buffer, int32_t count, int32_t *done,
                        bool *message_complete)
{
    HANDLE h = (HANDLE)conn;
    OVERLAPPED ov = {0};
    ov.hEvent = sp_win32_io_event();
    DWORD n = 0;
    DWORD err = complete(h, SP_SYS(ReadFile)(h, buffer, (DWORD)count, NULL, &ov), &ov, &n, waker);
    *done = (int32_t)n;
    *message_complete = true;
    if (err == ERROR_MORE_DATA) { /* part of a message: the rest comes with the next read */
        *message_complete = false;
        return 0;
    }
    return (int32_t)err;
}

int32_t sp_os_pipe_write(sp_os_pipe conn, sp_os_waker *waker, const void *buffer, int32_t count)
{
    HANDLE h = (HANDLE)conn;
    const char *p = buffer;
    while (count > 0) {
        OVERLAPPED ov = {0};
        ov.hEvent = sp_win32_io_event();
        DWORD n = 0;
        DWORD err = complete(h, SP_SYS(WriteFile)(h, p, (DWORD)count, NULL, &ov), &ov, &n, waker);
        if (err)
            return (int32_t)err;
        p += n;
        count -= (int32_t)n;
    }
    return 0;
}

void sp_os_pipe_interrupt(sp_os_pipe conn) { CancelIoEx((HANDLE)conn, NULL); }

void sp_os_pipe_close(sp_os_pipe conn) { SP_SYS(CloseHandle)((HANDLE)conn); }

int32_t sp_os_pipe_buffer_size(sp_os_pipe conn, bool in, int32_t *size)
{
    DWORD out_size = 0, in_size = 0;
    if (!GetNamedPipeInfo((HANDLE)conn, NULL, &out_size, &in_size, NULL))
        return (int32_t)GetLastError();
    *size = (int32_t)(in ? in_size : out_size);
    return 0;
}

int32_t sp_os_pipe_set_read_mode(sp_os_pipe conn, PipeTransmissionMode mode)
{
    DWORD m = (DWORD)mode << 1;
    return SetNamedPipeHandleState((HANDLE)conn, &m, NULL, NULL) ? 0 : (int32_t)GetLastError();
}

int32_t sp_os_pipe_drain(sp_os_pipe conn) { return FlushFileBuffers((HANDLE)conn) ? 0 : (int32_t)GetLastError(); }

int32_t sp_os_pipe_peer_user_name(sp_os_pipe conn, char **name)
{
    wchar_t wide[257];
    if (!GetNamedPipeHandleStateW((HANDLE)conn, NULL, NULL, NULL, NULL, wide, 257))
        return (int32_t)GetLastError();
    if (!(*name = sp_win32_narrow(wide)))
        return ERROR_NOT_ENOUGH_MEMORY;
    return 0;
}

int32_t sp_os_pipe_run_as_client(sp_os_pipe conn, void (*worker)(void *), void *state)
{
    if (!ImpersonateNamedPipeClient((HANDLE)conn))
        return (int32_t)GetLastError();
    worker(state);
    RevertToSelf();
    return 0;
}

int32_t sp_os_pipe_instance_count(sp_os_pipe conn, int32_t *count)
{
    DWORD n = 0;
    if (!GetNamedPipeHandleStateW((HANDLE)conn, NULL, &n, NULL, NULL, NULL, 0))
        return (int32_t)GetLastError();
    *count = (int32_t)n;
    return 0;
}

/* ---------------------------------------------------------------- anonymous pipes */

int32_t sp_os_anonymous_pipe_new(PipeDirection server_direction, HandleInheritability inheritability,
                                 int32_t buffer_size, sp_os_pipe *server_end, sp_os_pipe *client_end)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, inheritability == HandleInheritability_Inheritable};
    HANDLE read_end, write_end;
    if (!SP_SYS(CreatePipe)(&read_end, &write_end, &sa, (DWORD)buffer_size))
        return (int32_t)GetLastError();
    HANDLE server = server_direction == PipeDirection_In ? read_end : write_end;
    HANDLE client = server_direction == PipeDirection_In ? write_end : read_end;
    SetHandleInformation(server, HANDLE_FLAG_INHERIT, 0); /* only the child's end is inherited */
    *server_end = (sp_os_pipe)server;
    *client_end = (sp_os_pipe)client;
    return 0;
}

int64_t sp_os_pipe_to_number(sp_os_pipe end) { return (int64_t)(intptr_t)end; }

int32_t sp_os_pipe_from_number(int64_t value, sp_os_pipe *end)
{
    if (value <= 0)
        return ERROR_INVALID_PARAMETER;
    HANDLE h = (HANDLE)(intptr_t)value;
    if (SP_SYS(GetFileType)(h) != FILE_TYPE_PIPE)
        return ERROR_INVALID_HANDLE;
    *end = (sp_os_pipe)h;
    return 0;
}
