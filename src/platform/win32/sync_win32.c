/*
 * Mutex, Semaphore and EventWaitHandle on Windows: kernel objects, created and opened with the
 * access rights .NET asks for, so a .NET process opens the same objects by the same names (Local\
 * and Global\ included, passed verbatim). An sp_os_sync is the HANDLE itself.
 */
#include "platform/platform.h"

#include <windows.h>

#include "util_win32.h"

/* .NET's AccessRights for each type (Mutex.Windows.cs, Semaphore.Windows.cs, EventWaitHandle.Windows.cs). */
#define MUTEX_RIGHTS (MAXIMUM_ALLOWED | SYNCHRONIZE | MUTEX_MODIFY_STATE)
#define SEMAPHORE_RIGHTS (MAXIMUM_ALLOWED | SYNCHRONIZE | SEMAPHORE_MODIFY_STATE)
#define EVENT_RIGHTS (MAXIMUM_ALLOWED | SYNCHRONIZE | EVENT_MODIFY_STATE)

#ifndef CREATE_MUTEX_INITIAL_OWNER
#  define CREATE_MUTEX_INITIAL_OWNER 0x1
#endif
#ifndef CREATE_EVENT_MANUAL_RESET
#  define CREATE_EVENT_MANUAL_RESET 0x1
#endif
#ifndef CREATE_EVENT_INITIAL_SET
#  define CREATE_EVENT_INITIAL_SET 0x2
#endif

static HANDLE handle_of(sp_os_sync *s) { return (HANDLE)s; }

sp_sync_error sp_os_sync_error_kind(int32_t code)
{
    switch ((DWORD)code) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_INVALID_NAME: return SP_SYNC_ERROR_NOT_FOUND;
    case ERROR_PATH_NOT_FOUND: return SP_SYNC_ERROR_PATH_NOT_FOUND;
    case ERROR_INVALID_HANDLE: return SP_SYNC_ERROR_WRONG_TYPE;
    case ERROR_NOT_OWNER: return SP_SYNC_ERROR_NOT_OWNER;
    case ERROR_TOO_MANY_POSTS: return SP_SYNC_ERROR_FULL;
    case ERROR_INVALID_PARAMETER: return SP_SYNC_ERROR_INVALID_PARAMETER;
    default: return SP_SYNC_ERROR_OTHER;
    }
}

int32_t sp_os_sync_check_name(const char *name)
{
    (void)name; /* the kernel judges names */
    return 0;
}

int32_t sp_os_sync_create(const char *name, const sp_sync_init *init, sp_os_sync **out, bool *created)
{
    wchar_t *wname = NULL;
    if (name && !(wname = sp_win32_widen(name)))
        return ERROR_NOT_ENOUGH_MEMORY;
    HANDLE h = NULL;
    SetLastError(ERROR_SUCCESS);
    switch (init->kind) {
    case SP_SYNC_MUTEX:
        h = CreateMutexExW(NULL, wname, init->initially_owned ? CREATE_MUTEX_INITIAL_OWNER : 0, MUTEX_RIGHTS);
        break;
    case SP_SYNC_SEMAPHORE:
        h = CreateSemaphoreExW(NULL, init->initial_count, init->maximum_count, wname, 0, SEMAPHORE_RIGHTS);
        break;
    case SP_SYNC_EVENT:
        h = CreateEventExW(NULL, wname,
                           (init->manual_reset ? CREATE_EVENT_MANUAL_RESET : 0) |
                               (init->initial_state ? CREATE_EVENT_INITIAL_SET : 0),
                           EVENT_RIGHTS);
        break;
    }
    DWORD err = GetLastError();
    free(wname);
    if (!h)
        return (int32_t)(err ? err : ERROR_INVALID_PARAMETER);
    *created = err != ERROR_ALREADY_EXISTS;
    *out = (sp_os_sync *)h;
    return 0;
}

int32_t sp_os_sync_open(const char *name, sp_sync_kind kind, sp_os_sync **out)
{
    wchar_t *wname = sp_win32_widen(name);
    if (!wname)
        return ERROR_NOT_ENOUGH_MEMORY;
    HANDLE h = NULL;
    switch (kind) {
    case SP_SYNC_MUTEX: h = OpenMutexW(MUTEX_RIGHTS, FALSE, wname); break;
    case SP_SYNC_SEMAPHORE: h = OpenSemaphoreW(SEMAPHORE_RIGHTS, FALSE, wname); break;
    case SP_SYNC_EVENT: h = OpenEventW(EVENT_RIGHTS, FALSE, wname); break;
    }
    DWORD err = GetLastError();
    free(wname);
    if (!h)
        return (int32_t)(err ? err : ERROR_FILE_NOT_FOUND);
    *out = (sp_os_sync *)h;
    return 0;
}

void sp_os_sync_close(sp_os_sync *s) { CloseHandle(handle_of(s)); }

static int32_t wait_result(DWORD r, int32_t *result)
{
    if (r == WAIT_FAILED)
        return (int32_t)GetLastError();
    if (r == WAIT_TIMEOUT)
        *result = SP_WAIT_TIMEOUT;
    else if (r >= WAIT_ABANDONED_0 && r < WAIT_ABANDONED_0 + MAXIMUM_WAIT_OBJECTS)
        *result = SP_WAIT_ABANDONED_0 + (int32_t)(r - WAIT_ABANDONED_0);
    else
        *result = SP_WAIT_OBJECT_0 + (int32_t)(r - WAIT_OBJECT_0);
    return 0;
}

int32_t sp_os_sync_wait(sp_os_sync *s, int32_t ms, int32_t *result)
{
    return wait_result(WaitForSingleObject(handle_of(s), ms < 0 ? INFINITE : (DWORD)ms), result);
}

int32_t sp_os_sync_wait_multiple(sp_os_sync *const *s, int32_t n, bool all, int32_t ms, int32_t *result)
{
    HANDLE h[MAXIMUM_WAIT_OBJECTS];
    for (int32_t i = 0; i < n; i++)
        h[i] = handle_of(s[i]);
    return wait_result(WaitForMultipleObjects((DWORD)n, h, all, ms < 0 ? INFINITE : (DWORD)ms), result);
}

int32_t sp_os_sync_release_mutex(sp_os_sync *s) { return ReleaseMutex(handle_of(s)) ? 0 : (int32_t)GetLastError(); }

int32_t sp_os_sync_release_semaphore(sp_os_sync *s, int32_t count, int32_t *previous)
{
    LONG prev = 0;
    if (!ReleaseSemaphore(handle_of(s), count, &prev))
        return (int32_t)GetLastError();
    *previous = (int32_t)prev;
    return 0;
}

int32_t sp_os_sync_set_event(sp_os_sync *s) { return SetEvent(handle_of(s)) ? 0 : (int32_t)GetLastError(); }

int32_t sp_os_sync_reset_event(sp_os_sync *s) { return ResetEvent(handle_of(s)) ? 0 : (int32_t)GetLastError(); }
