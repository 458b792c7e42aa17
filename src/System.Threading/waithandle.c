/* System.Threading's WaitHandle, Mutex, Semaphore and EventWaitHandle: the checks and messages of
 * .NET's WaitHandle.cs, Mutex.cs, Semaphore.cs and EventWaitHandle.cs, over the OS objects of
 * platform_sync.h. */
#include "platform/platform.h"
#include "core/ioerror.h"

#include <stdio.h>

#define MSG_HANDLE_CLOSED "Safe handle has been closed."
#define MSG_NOT_OWNER "Object synchronization method was called from an unsynchronized block of code."
#define MSG_WRONG_TYPE "A WaitHandle with system-wide name '%s' cannot be created. A WaitHandle of a different type might have the same name."
#define MSG_NAME_TOO_LONG "The length of the name exceeds the maximum limit."
#define MSG_PATH_NOT_FOUND "Could not find a part of the path '%s'."
#define MSG_SEPARATOR "The value may not contain directory separator characters."
#define MSG_TIMEOUT_RANGE "Number must be either non-negative and less than or equal to Int32.MaxValue or -1."
#define MAX_WAIT_HANDLES 64

struct WaitHandle {
    Object base;
    /* The OS handle, released by whoever leaves last: Dispose while another thread waits keeps
     * the handle alive until that wait ends, as .NET's SafeHandle reference counting does. */
    _Atomic(sp_os_sync *) os;
    atomic_int users; /* 1 for the object itself until Dispose, plus one per call in flight */
};

struct Mutex {
    WaitHandle handle;
};

struct Semaphore {
    WaitHandle handle;
};

struct EventWaitHandle {
    WaitHandle handle;
};

static void handle_leave(WaitHandle *h)
{
    if (atomic_fetch_sub(&h->users, 1) == 1) {
        sp_os_sync *os = atomic_exchange(&h->os, NULL);
        if (os)
            sp_os_sync_close(os);
    }
}

/* Marks a call into the OS; false (ObjectDisposedException) once closed. */
static bool handle_enter(WaitHandle *h)
{
    atomic_fetch_add(&h->users, 1);
    if (sp_object_is_closed(&h->base) || !atomic_load(&h->os)) {
        handle_leave(h);
        sp_throw(ExceptionType_ObjectDisposedException, MSG_HANDLE_CLOSED, NULL);
        return false;
    }
    return true;
}

static bool handle_close(Object *o)
{
    handle_leave((WaitHandle *)o); /* the object's own reference */
    return true;
}

static void handle_destroy(Object *o)
{
    /* close has run (sp_object_release closes first), so no call is in flight */
    sp_os_sync *os = atomic_exchange(&((WaitHandle *)o)->os, NULL);
    if (os)
        sp_os_sync_close(os);
}

const sp_type sp_type_WaitHandle = {"System.Threading.WaitHandle", &sp_type_Object, handle_close, handle_destroy};
const sp_type sp_type_Mutex = {"System.Threading.Mutex", &sp_type_WaitHandle, NULL, NULL};
const sp_type sp_type_Semaphore = {"System.Threading.Semaphore", &sp_type_WaitHandle, NULL, NULL};
const sp_type sp_type_EventWaitHandle = {"System.Threading.EventWaitHandle", &sp_type_WaitHandle, NULL, NULL};

static const sp_type *type_of_kind(sp_sync_kind kind)
{
    switch (kind) {
    case SP_SYNC_MUTEX: return &sp_type_Mutex;
    case SP_SYNC_SEMAPHORE: return &sp_type_Semaphore;
    default: return &sp_type_EventWaitHandle;
    }
}

static void *wrap(sp_os_sync *os, sp_sync_kind kind)
{
    WaitHandle *h = sp_object_new(sizeof(WaitHandle), type_of_kind(kind));
    if (!h) {
        sp_os_sync_close(os);
        return NULL;
    }
    atomic_init(&h->os, os);
    atomic_init(&h->users, 1);
    return h;
}

/* ================================================================ names and errors */

/* The raisers for what .NET throws when creating a named object fails. */
static void throw_create_error(int32_t code, const char *name)
{
    switch (sp_os_sync_error_kind(code)) {
    case SP_SYNC_ERROR_WRONG_TYPE:
        sp_throwf(ExceptionType_WaitHandleCannotBeOpenedException, NULL, MSG_WRONG_TYPE, name ? name : "");
        break;
    case SP_SYNC_ERROR_NAME_TOO_LONG:
        sp_throw(ExceptionType_ArgumentException, MSG_NAME_TOO_LONG, "name");
        break;
    default:
        sp_throw_io_error(code, name);
        break;
    }
}

/* .NET's OpenExistingResult, raised as OpenExisting does (Semaphore says IOException where the
 * others say DirectoryNotFoundException). Returns true when the result is "not there" (which
 * TryOpenExisting reports as false without an exception). */
static bool throw_open_error(int32_t code, const char *name, sp_sync_kind kind)
{
    switch (sp_os_sync_error_kind(code)) {
    case SP_SYNC_ERROR_NOT_FOUND:
        sp_throw(ExceptionType_WaitHandleCannotBeOpenedException, NULL, NULL);
        return true;
    case SP_SYNC_ERROR_WRONG_TYPE:
        sp_throwf(ExceptionType_WaitHandleCannotBeOpenedException, NULL, MSG_WRONG_TYPE, name);
        return true;
    case SP_SYNC_ERROR_PATH_NOT_FOUND:
        sp_throwf(kind == SP_SYNC_SEMAPHORE ? ExceptionType_IOException : ExceptionType_DirectoryNotFoundException,
                  NULL, MSG_PATH_NOT_FOUND, name);
        return true;
    case SP_SYNC_ERROR_NAME_TOO_LONG:
        sp_throw(ExceptionType_ArgumentException, MSG_NAME_TOO_LONG, "name");
        return false;
    default:
        sp_throw_io_error(code, name);
        return false;
    }
}

/* A name this OS cannot take, as .NET on this OS refuses it. */
static bool check_name(const char *name)
{
    int32_t code = sp_os_sync_check_name(name);
    if (!code)
        return true;
    switch (sp_os_sync_error_kind(code)) {
    case SP_SYNC_ERROR_BAD_NAME:
        sp_throw(ExceptionType_IOException, MSG_SEPARATOR, NULL);
        break;
    case SP_SYNC_ERROR_NAME_TOO_LONG:
        sp_throw(ExceptionType_ArgumentException, MSG_NAME_TOO_LONG, "name");
        break;
    default:
        sp_throw_io_error(code, name);
        break;
    }
    return false;
}

/* The constructors: an empty name is no name (the Win32 calls treat "" as NULL). */
static void *create(const char *name, const sp_sync_init *init, bool *createdNew)
{
    if (name && !*name)
        name = NULL;
    if (!check_name(name))
        return NULL;
    sp_os_sync *os = NULL;
    bool created = true;
    int32_t err = sp_os_sync_create(name, init, &os, &created);
    if (err) {
        throw_create_error(err, name);
        return NULL;
    }
    void *h = wrap(os, init->kind);
    if (!h)
        return NULL;
    if (createdNew)
        *createdNew = created;
    sp_clear();
    return h;
}

/* OpenExisting / TryOpenExisting: ArgumentException.ThrowIfNullOrEmpty(name), then the OS. With
 * `trying`, "not there" is false with nothing pending. */
static void *open_existing(const char *name, sp_sync_kind kind, bool trying, bool *not_there)
{
    *not_there = false;
    if (!name) {
        sp_throw_null("name");
        return NULL;
    }
    if (!*name) {
        sp_throw(ExceptionType_ArgumentException, "The value cannot be an empty string.", "name");
        return NULL;
    }
    if (!check_name(name))
        return NULL;
    sp_os_sync *os = NULL;
    int32_t err = sp_os_sync_open(name, kind, &os);
    if (err) {
        *not_there = throw_open_error(err, name, kind);
        if (trying && *not_there)
            sp_clear();
        return NULL;
    }
    void *h = wrap(os, kind);
    if (h)
        sp_clear();
    return h;
}

static bool try_open_existing(const char *name, sp_sync_kind kind, void **result)
{
    if (result)
        *result = NULL;
    bool not_there;
    void *h = open_existing(name, kind, true, &not_there);
    if (!h)
        return false;
    if (result)
        *result = h;
    else
        sp_object_release((Object *)h); /* nowhere to put it */
    return true;
}

/* ================================================================ WaitHandle */

#undef WaitHandle_WaitOne
#undef WaitHandle_Close
#undef WaitHandle_Dispose

static WaitHandle *as_handle(WaitHandle *h, const char *param)
{
    return (WaitHandle *)sp_check_type(h, &sp_type_WaitHandle, param);
}

static bool check_timeout(int32_t ms)
{
    if (ms < -1) {
        sp_throw_out_of_range("millisecondsTimeout", MSG_TIMEOUT_RANGE);
        return false;
    }
    return true;
}

bool WaitHandle_WaitOneWithTimeout(WaitHandle *handle, int32_t millisecondsTimeout)
{
    if (!as_handle(handle, "waitHandle") || !check_timeout(millisecondsTimeout) || !handle_enter(handle))
        return false;
    int32_t result = SP_WAIT_TIMEOUT;
    int32_t err = sp_os_sync_wait(atomic_load(&handle->os), millisecondsTimeout, &result);
    handle_leave(handle);
    if (err) {
        sp_throw_io_error(err, NULL);
        return false;
    }
    if (result == SP_WAIT_ABANDONED_0) {
        sp_throw(ExceptionType_AbandonedMutexException, NULL, NULL);
        return false;
    }
    sp_clear();
    return result == SP_WAIT_OBJECT_0;
}

bool WaitHandle_WaitOne(WaitHandle *handle) { return WaitHandle_WaitOneWithTimeout(handle, -1); }

/* .NET's WaitMultiple: its checks in its order, then one wait for all. Returns the wait result or
 * -1 with the exception raised. */
static int32_t wait_multiple(WaitHandle *const *handles, int32_t count, bool wait_all, int32_t ms)
{
    if (!handles) {
        sp_throw_null("waitHandles");
        return -1;
    }
    if (count < 0) {
        sp_throw_need_nonneg("count");
        return -1;
    }
    if (count == 0) {
        sp_throw(ExceptionType_ArgumentException, "Waithandle array may not be empty.", "waitHandles");
        return -1;
    }
    if (count > MAX_WAIT_HANDLES) {
        sp_throw(ExceptionType_NotSupportedException, "The number of WaitHandles must be less than or equal to 64.", NULL);
        return -1;
    }
    if (!check_timeout(ms))
        return -1;
    char param[32];
    for (int32_t i = 0; i < count; i++) {
        snprintf(param, sizeof param, "waitHandles[%d]", (int)i);
        if (!handles[i]) {
            sp_throw(ExceptionType_ArgumentNullException, "At least one element in the specified array was null.", param);
            return -1;
        }
        if (!as_handle(handles[i], param))
            return -1;
    }
    if (wait_all) /* DuplicateWaitObjectException, an ArgumentException */
        for (int32_t i = 1; i < count; i++)
            for (int32_t j = 0; j < i; j++)
                if (handles[i] == handles[j]) {
                    snprintf(param, sizeof param, "waitHandles[%d]", (int)i);
                    sp_throw(ExceptionType_ArgumentException, "Duplicate objects in argument.", param);
                    return -1;
                }
    sp_os_sync *os[MAX_WAIT_HANDLES];
    int32_t entered = 0;
    for (; entered < count; entered++) {
        if (!handle_enter(handles[entered]))
            break;
        os[entered] = atomic_load(&handles[entered]->os);
    }
    int32_t result = SP_WAIT_TIMEOUT, err = 0;
    if (entered == count)
        err = sp_os_sync_wait_multiple(os, count, wait_all, ms, &result);
    for (int32_t i = 0; i < entered; i++)
        handle_leave(handles[i]);
    if (entered < count) /* ObjectDisposedException raised */
        return -1;
    if (err) {
        switch (sp_os_sync_error_kind(err)) {
        case SP_SYNC_ERROR_INVALID_PARAMETER:
            sp_throw(ExceptionType_ArgumentException, "Value does not fall within the expected range.", NULL);
            break;
        case SP_SYNC_ERROR_NO_MULTIPLE_WAIT:
            sp_throw(ExceptionType_PlatformNotSupportedException,
                     "WaitHandle.WaitAny and WaitHandle.WaitAll over several handles need the futex_waitv system "
                     "call (Linux 5.16 or later), which this system does not provide.", NULL);
            break;
        case SP_SYNC_ERROR_MUTEX_IN_MULTIPLE_WAIT:
            sp_throw(ExceptionType_PlatformNotSupportedException,
                     "WaitHandle.WaitAny and WaitHandle.WaitAll over several handles do not support a Mutex among "
                     "them on this platform.", NULL);
            break;
        default:
            sp_throw_io_error(err, NULL);
            break;
        }
        return -1;
    }
    if (result >= SP_WAIT_ABANDONED_0 && result < SP_WAIT_ABANDONED_0 + count) {
        sp_throw(ExceptionType_AbandonedMutexException, NULL, NULL);
        return -1;
    }
    sp_clear();
    return result;
}

int32_t WaitHandle_WaitAny(WaitHandle *const *handles, int32_t count, int32_t millisecondsTimeout)
{
    return wait_multiple(handles, count, false, millisecondsTimeout);
}

bool WaitHandle_WaitAll(WaitHandle *const *handles, int32_t count, int32_t millisecondsTimeout)
{
    int32_t r = wait_multiple(handles, count, true, millisecondsTimeout);
    return r >= 0 && r != SP_WAIT_TIMEOUT;
}

bool WaitHandle_Close(WaitHandle *handle)
{
    if (!as_handle(handle, "waitHandle"))
        return false;
    sp_clear();
    return sp_object_close(&handle->base);
}

bool WaitHandle_Dispose(WaitHandle *handle)
{
    if (!as_handle(handle, "waitHandle"))
        return false;
    return Dispose(&handle->base);
}

/* ================================================================ Mutex */

#undef Mutex_new

Mutex *Mutex_new_ex(bool initiallyOwned, const char *name, bool *createdNew)
{
    sp_sync_init init = {.kind = SP_SYNC_MUTEX, .initially_owned = initiallyOwned};
    return create(name, &init, createdNew);
}

Mutex *Mutex_new(void) { return Mutex_new_ex(false, NULL, NULL); }

Mutex *Mutex_OpenExisting(const char *name)
{
    bool not_there;
    return open_existing(name, SP_SYNC_MUTEX, false, &not_there);
}

bool Mutex_TryOpenExisting(const char *name, Mutex **result)
{
    return try_open_existing(name, SP_SYNC_MUTEX, (void **)result);
}

bool Mutex_ReleaseMutex(Mutex *mutex)
{
    if (!sp_check_type(mutex, &sp_type_Mutex, "mutex") || !handle_enter(&mutex->handle))
        return false;
    int32_t err = sp_os_sync_release_mutex(atomic_load(&mutex->handle.os));
    handle_leave(&mutex->handle);
    if (err) { /* .NET: any failure of ReleaseMutex */
        sp_throw(ExceptionType_ApplicationException, MSG_NOT_OWNER, NULL);
        return false;
    }
    sp_clear();
    return true;
}

/* ================================================================ Semaphore */

#undef Semaphore_new
#undef Semaphore_Release

Semaphore *Semaphore_new_ex(int32_t initialCount, int32_t maximumCount, const char *name, bool *createdNew)
{
    if (initialCount < 0) {
        sp_throw_need_nonneg("initialCount");
        return NULL;
    }
    if (maximumCount < 1) {
        sp_throw_out_of_range("maximumCount", "Positive number required.");
        return NULL;
    }
    if (initialCount > maximumCount) {
        sp_throw(ExceptionType_ArgumentException,
                 "The initial count for the semaphore must be greater than or equal to zero and less than the maximum count.",
                 NULL);
        return NULL;
    }
    sp_sync_init init = {.kind = SP_SYNC_SEMAPHORE, .initial_count = initialCount, .maximum_count = maximumCount};
    return create(name, &init, createdNew);
}

Semaphore *Semaphore_new(int32_t initialCount, int32_t maximumCount)
{
    return Semaphore_new_ex(initialCount, maximumCount, NULL, NULL);
}

Semaphore *Semaphore_OpenExisting(const char *name)
{
    bool not_there;
    return open_existing(name, SP_SYNC_SEMAPHORE, false, &not_there);
}

bool Semaphore_TryOpenExisting(const char *name, Semaphore **result)
{
    return try_open_existing(name, SP_SYNC_SEMAPHORE, (void **)result);
}

int32_t Semaphore_ReleaseCount(Semaphore *semaphore, int32_t releaseCount)
{
    if (!sp_check_type(semaphore, &sp_type_Semaphore, "semaphore"))
        return -1;
    if (releaseCount < 1) {
        sp_throw_need_nonneg("releaseCount");
        return -1;
    }
    if (!handle_enter(&semaphore->handle))
        return -1;
    int32_t previous = 0;
    int32_t err = sp_os_sync_release_semaphore(atomic_load(&semaphore->handle.os), releaseCount, &previous);
    handle_leave(&semaphore->handle);
    if (err) { /* .NET: any failure of ReleaseSemaphore */
        sp_throw(ExceptionType_SemaphoreFullException, NULL, NULL);
        return -1;
    }
    sp_clear();
    return previous;
}

int32_t Semaphore_Release(Semaphore *semaphore) { return Semaphore_ReleaseCount(semaphore, 1); }

/* ================================================================ EventWaitHandle */

#undef EventWaitHandle_new

EventWaitHandle *EventWaitHandle_new_ex(bool initialState, EventResetMode mode, const char *name, bool *createdNew)
{
    if (mode != EventResetMode_AutoReset && mode != EventResetMode_ManualReset) {
        sp_throw(ExceptionType_ArgumentException, "Value of flags is invalid.", "mode");
        return NULL;
    }
    sp_sync_init init = {.kind = SP_SYNC_EVENT, .initial_state = initialState,
                         .manual_reset = mode == EventResetMode_ManualReset};
    return create(name, &init, createdNew);
}

EventWaitHandle *EventWaitHandle_new(bool initialState, EventResetMode mode)
{
    return EventWaitHandle_new_ex(initialState, mode, NULL, NULL);
}

EventWaitHandle *EventWaitHandle_OpenExisting(const char *name)
{
    bool not_there;
    return open_existing(name, SP_SYNC_EVENT, false, &not_there);
}

bool EventWaitHandle_TryOpenExisting(const char *name, EventWaitHandle **result)
{
    return try_open_existing(name, SP_SYNC_EVENT, (void **)result);
}

static bool event_call(EventWaitHandle *e, bool set)
{
    if (!sp_check_type(e, &sp_type_EventWaitHandle, "handle") || !handle_enter(&e->handle))
        return false;
    sp_os_sync *os = atomic_load(&e->handle.os);
    int32_t err = set ? sp_os_sync_set_event(os) : sp_os_sync_reset_event(os);
    handle_leave(&e->handle);
    if (err) {
        sp_throw_io_error(err, NULL);
        return false;
    }
    sp_clear();
    return true;
}

bool EventWaitHandle_Set(EventWaitHandle *handle) { return event_call(handle, true); }
bool EventWaitHandle_Reset(EventWaitHandle *handle) { return event_call(handle, false); }
