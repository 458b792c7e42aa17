/*
 * Named and anonymous pipes on Windows, with the CreateNamedPipe / CreateFile / WaitNamedPipe
 * arguments .NET uses. Handles are overlapped so that Dispose on another thread can cancel a
 * blocked read, write or wait (CancelIoEx).
 */
#include "platform/platform.h"

#include <stdio.h>
#include <windows.h>
#include <sddl.h>
#include <aclapi.h>

#include "util_win32.h"

#define SP_PIPE_UNLIMITED_INSTANCES 255

void *sp_win32_io_event(void)
{
    static _Thread_local HANDLE event;
    if (!event)
        event = CreateEventW(NULL, TRUE, FALSE, NULL);
    return event;
}

/* ---------------------------------------------------------------- names */

char *sp_os_pipe_path(const char *serverName, const char *pipeName)
{
    size_t n = strlen(serverName) + strlen(pipeName) + 16;
    char *path = sp_malloc(n);
    if (!path)
        return NULL;
    snprintf(path, n, "\\\\%s\\pipe\\%s", serverName, pipeName);
    for (char *p = path; *p; p++) /* Path.GetFullPath turns / into \ */
        if (*p == '/')
            *p = '\\';
    if (_stricmp(path, "\\\\.\\pipe\\anonymous") == 0) {
        free(path);
        sp_throw_out_of_range("pipeName", "The pipeName \"anonymous\" is reserved.");
        return NULL;
    }
    return path;
}

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
    if (GetSecurityInfo(h, SE_KERNEL_OBJECT, OWNER_SECURITY_INFORMATION, &owner, NULL, NULL, NULL, &sd) != ERROR_SUCCESS)
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

sp_os_pipe_server *sp_os_pipe_server_new(const char *path, const sp_pipe_config *config)
{
    wchar_t *wpath = sp_win32_widen(path);
    sp_os_pipe_server *server = calloc(1, sizeof *server);
    if (!wpath || !server) {
        free(wpath);
        free(server);
        sp_throw_out_of_memory();
        return NULL;
    }
    DWORD open_mode = (DWORD)config->direction | FILE_FLAG_OVERLAPPED |
                      ((DWORD)config->options & ~(DWORD)(PipeOptions_CurrentUserOnly | PipeOptions_Asynchronous));
    if (config->max_instances == 1)
        open_mode |= FILE_FLAG_FIRST_PIPE_INSTANCE;
    DWORD tm = (DWORD)config->transmission_mode;
    DWORD pipe_mode = (tm << 2) | (tm << 1);
    DWORD instances = config->max_instances == -1 ? SP_PIPE_UNLIMITED_INSTANCES : (DWORD)config->max_instances;
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, FALSE};
    if (config->options & PipeOptions_CurrentUserOnly)
        sa.lpSecurityDescriptor = owner_only_descriptor();
    HANDLE h = CreateNamedPipeW(wpath, open_mode, pipe_mode, instances, (DWORD)config->out_buffer_size,
                                (DWORD)config->in_buffer_size, 0, &sa);
    DWORD err = GetLastError();
    if (sa.lpSecurityDescriptor)
        LocalFree(sa.lpSecurityDescriptor);
    free(wpath);
    if (h == INVALID_HANDLE_VALUE) {
        free(server);
        sp_os_throw_io_error((int32_t)err, NULL);
        return NULL;
    }
    server->handle = h;
    return server;
}

int sp_os_pipe_server_accept(sp_os_pipe_server *server, sp_os_waker *waker, sp_os_pipe *conn)
{
    OVERLAPPED ov = {0};
    ov.hEvent = sp_win32_io_event();
    if (!ConnectNamedPipe(server->handle, &ov)) {
        DWORD err = GetLastError();
        if (err == ERROR_IO_PENDING) {
            HANDLE events[2] = {ov.hEvent, sp_win32_waker_event(waker)};
            DWORD which = WaitForMultipleObjects(2, events, FALSE, INFINITE);
            DWORD ignored;
            if (which != WAIT_OBJECT_0) {
                CancelIoEx(server->handle, &ov);
                GetOverlappedResult(server->handle, &ov, &ignored, TRUE);
                return 0;
            }
            if (!GetOverlappedResult(server->handle, &ov, &ignored, FALSE)) {
                err = GetLastError();
                if (err != ERROR_PIPE_CONNECTED) {
                    sp_os_pipe_throw_error((int32_t)err);
                    return -1;
                }
            }
        } else if (err != ERROR_PIPE_CONNECTED) {
            sp_os_pipe_throw_error((int32_t)err);
            return -1;
        }
    }
    *conn = (sp_os_pipe)server->handle;
    return 1;
}

sp_os_pipe sp_os_pipe_server_handle(const sp_os_pipe_server *server) { return (sp_os_pipe)server->handle; }

void sp_os_pipe_server_disconnect(sp_os_pipe_server *server) { DisconnectNamedPipe(server->handle); }

void sp_os_pipe_server_release_connection(sp_os_pipe_server *server, sp_os_pipe conn)
{
    (void)server; /* every connection is the instance's handle, closed with the instance */
    (void)conn;
}

void sp_os_pipe_server_free(sp_os_pipe_server *server)
{
    if (!server)
        return;
    CloseHandle(server->handle);
    free(server);
}

/* ---------------------------------------------------------------- client */

int sp_os_pipe_client_try_connect(const char *path, const sp_pipe_config *config, int32_t wait_ms, sp_os_pipe *conn)
{
    wchar_t *wpath = sp_win32_widen(path);
    if (!wpath) {
        sp_throw_out_of_memory();
        return -1;
    }
    DWORD flags = FILE_FLAG_OVERLAPPED | ((DWORD)config->options & (DWORD)PipeOptions_WriteThrough);
    if (config->impersonation != TokenImpersonationLevel_None)
        flags |= SECURITY_SQOS_PRESENT | (((DWORD)config->impersonation - 1) << 16);
    DWORD access = ((config->direction & PipeDirection_In) ? GENERIC_READ : 0) |
                   ((config->direction & PipeDirection_Out) ? GENERIC_WRITE : 0);
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, config->inheritability == HandleInheritability_Inheritable};
    HANDLE h = CreateFileW(wpath, access, 0, &sa, OPEN_EXISTING, flags, NULL);
    int result = 1;
    if (h == INVALID_HANDLE_VALUE) {
        DWORD err = GetLastError();
        if (err != ERROR_PIPE_BUSY && err != ERROR_FILE_NOT_FOUND) {
            sp_os_throw_io_error((int32_t)err, NULL);
            result = -1;
        } else if (!WaitNamedPipeW(wpath, (DWORD)(wait_ms > 0 ? wait_ms : 1))) {
            err = GetLastError();
            if (err == ERROR_FILE_NOT_FOUND || err == ERROR_SEM_TIMEOUT || err == ERROR_PIPE_BUSY)
                result = 0;
            else {
                sp_os_throw_io_error((int32_t)err, NULL);
                result = -1;
            }
        } else {
            h = CreateFileW(wpath, access, 0, &sa, OPEN_EXISTING, flags, NULL);
            if (h == INVALID_HANDLE_VALUE) {
                err = GetLastError();
                if (err == ERROR_PIPE_BUSY || err == ERROR_FILE_NOT_FOUND)
                    result = 0;
                else {
                    sp_os_throw_io_error((int32_t)err, NULL);
                    result = -1;
                }
            }
        }
    }
    free(wpath);
    if (result != 1)
        return result;
    if ((config->options & PipeOptions_CurrentUserOnly) && !owned_by_current_user(h)) {
        CloseHandle(h);
        sp_throw(ExceptionType_UnauthorizedAccessException,
                 "Could not connect to the pipe because it was not owned by the current user.", NULL);
        return -1;
    }
    *conn = (sp_os_pipe)h;
    return 1;
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
                GetOverlappedResult(h, ov, done, TRUE);
                return ERROR_OPERATION_ABORTED;
            }
        }
    }
    if (!GetOverlappedResult(h, ov, done, TRUE))
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
    DWORD err = complete(h, ReadFile(h, buffer, (DWORD)count, NULL, &ov), &ov, &n, waker);
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
        DWORD err = complete(h, WriteFile(h, p, (DWORD)count, NULL, &ov), &ov, &n, waker);
        if (err)
            return (int32_t)err;
        p += n;
        count -= (int32_t)n;
    }
    return 0;
}

bool sp_os_pipe_error_is_broken(int32_t code)
{
    return code == ERROR_BROKEN_PIPE || code == ERROR_PIPE_NOT_CONNECTED || code == ERROR_NO_DATA;
}

void sp_os_pipe_throw_error(int32_t code)
{
    if (sp_os_pipe_error_is_broken(code)) {
        sp_throw(ExceptionType_IOException, "Pipe is broken.", NULL);
        sp_exception_set_hresult((int32_t)HRESULT_FROM_WIN32(code));
        sp_exception_set_native_code(code);
        return;
    }
    sp_os_throw_io_error(code, NULL);
}

void sp_os_pipe_interrupt(sp_os_pipe conn) { CancelIoEx((HANDLE)conn, NULL); }

void sp_os_pipe_close(sp_os_pipe conn) { CloseHandle((HANDLE)conn); }

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

bool sp_os_pipe_drain(sp_os_pipe conn)
{
    if (!FlushFileBuffers((HANDLE)conn)) {
        sp_os_pipe_throw_error((int32_t)GetLastError());
        return false;
    }
    return true;
}

char *sp_os_pipe_peer_user_name(sp_os_pipe conn)
{
    wchar_t name[257];
    if (!GetNamedPipeHandleStateW((HANDLE)conn, NULL, NULL, NULL, NULL, name, 257)) {
        sp_os_pipe_throw_error((int32_t)GetLastError());
        return NULL;
    }
    char *s = sp_win32_narrow(name);
    if (!s)
        sp_throw_out_of_memory();
    return s;
}

bool sp_os_pipe_run_as_client(sp_os_pipe conn, void (*worker)(void *), void *state)
{
    if (!ImpersonateNamedPipeClient((HANDLE)conn)) {
        sp_os_pipe_throw_error((int32_t)GetLastError());
        return false;
    }
    worker(state);
    RevertToSelf();
    return true;
}

int32_t sp_os_pipe_instance_count(sp_os_pipe conn)
{
    DWORD count = 0;
    if (!GetNamedPipeHandleStateW((HANDLE)conn, NULL, &count, NULL, NULL, NULL, 0)) {
        sp_os_pipe_throw_error((int32_t)GetLastError());
        return -1;
    }
    return (int32_t)count;
}

/* ---------------------------------------------------------------- anonymous pipes */

int32_t sp_os_anonymous_pipe_new(PipeDirection server_direction, HandleInheritability inheritability,
                                 int32_t buffer_size, sp_os_pipe *server_end, sp_os_pipe *client_end)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, inheritability == HandleInheritability_Inheritable};
    HANDLE read_end, write_end;
    if (!CreatePipe(&read_end, &write_end, &sa, (DWORD)buffer_size))
        return (int32_t)GetLastError();
    HANDLE server = server_direction == PipeDirection_In ? read_end : write_end;
    HANDLE client = server_direction == PipeDirection_In ? write_end : read_end;
    SetHandleInformation(server, HANDLE_FLAG_INHERIT, 0); /* only the child's end is inherited */
    *server_end = (sp_os_pipe)server;
    *client_end = (sp_os_pipe)client;
    return 0;
}

char *sp_os_pipe_to_string(sp_os_pipe end)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)(intptr_t)end);
    return _strdup(text);
}

bool sp_os_pipe_from_string(const char *text, sp_os_pipe *end)
{
    char *stop;
    long long value = _strtoi64(text, &stop, 10);
    if (stop == text || *stop || value <= 0) {
        sp_throw(ExceptionType_ArgumentException, "Invalid handle.", "pipeHandleAsString");
        return false;
    }
    HANDLE h = (HANDLE)(intptr_t)value;
    if (GetFileType(h) != FILE_TYPE_PIPE) {
        sp_throw(ExceptionType_IOException, "Invalid pipe handle.", NULL);
        return false;
    }
    *end = (sp_os_pipe)h;
    return true;
}
