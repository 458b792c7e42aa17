/* System.Threading's WaitHandle, Mutex, Semaphore and EventWaitHandle: the checks and messages of
 * .NET's WaitHandle.cs, Mutex.cs, Semaphore.cs and EventWaitHandle.cs, over the OS objects of
 * platform_sync.h. */
#include "core/handle.h"
#include "platform/platform.h"
#include "core/ioerror.h"

#include <stdio.h>

#define MAX_WAIT_HANDLES 64

struct WaitHandle {
    Object base;
    /* .NET's SafeWaitHandle: a Dispose while another thread waits keeps the OS object until that
     * wait ends (each call pins the object and the handle), as .NET's reference counting does. */
    sp_handle *os;
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

static sp_os_sync *os_of(WaitHandle *h) { return (sp_os_sync *)sp_handle_value(h->os); }

/* Pins h and its OS object for a call; false (ObjectDisposedException) once closed. */
static bool handle_enter(WaitHandle *h)
{
    return sp_call_enter(&h->base, h->os, SP_SR_TEXT(ObjectDisposed_SafeHandleClosed));
}
static void handle_leave(WaitHandle *h) { sp_call_leave(&h->base, h->os); }

static bool handle_close(Object *o)
{
    sp_handle_close(((WaitHandle *)o)->os); /* the OS object goes when the last call leaves */
    return true;
}

static void release_os_sync(intptr_t value, void *context) { sp_os_sync_close((sp_os_sync *)value); }

static void handle_destroy(Object *o)
{
    if (((WaitHandle *)o)->os)
        sp_handle_unkeep(((WaitHandle *)o)->os); /* the object's pointer */
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
    if (h && !(h->os = sp_handle_new((intptr_t)os, release_os_sync, NULL))) {
        free(h);
        h = NULL;
    }
    if (!h) {
        sp_os_sync_close(os);
        return NULL;
    }
    sp_handle_keep(h->os); /* the object points at it until its destroy */
    return h;
}

/* ================================================================ names and errors */

/* The raisers for what .NET throws when creating a named object fails. */
static void throw_create_error(int32_t code, const char *name)
{
    switch (sp_os_sync_error_kind(code)) {
    case SP_SYNC_ERROR_WRONG_TYPE:
        sp_throwf_sr(ExceptionType_WaitHandleCannotBeOpenedException, NULL,
                     SR_Threading_WaitHandleCannotBeOpenedException_InvalidHandle, name ? name : "");
        break;
    case SP_SYNC_ERROR_NAME_TOO_LONG:
        sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_WaitHandleNameTooLong, "name");
        break;
    default: sp_throw_io_error(code, name); break;
    }
}

/* .NET's OpenExistingResult, raised as OpenExisting does (Semaphore says IOException where the
 * others say DirectoryNotFoundException). Returns true when the result is "not there" (which
 * TryOpenExisting reports as false without an exception). */
static bool throw_open_error(int32_t code, const char *name, sp_sync_kind kind)
{
    switch (sp_os_sync_error_kind(code)) {
    case SP_SYNC_ERROR_NOT_FOUND: sp_throw(ExceptionType_WaitHandleCannotBeOpenedException, NULL, NULL); return true;
    case SP_SYNC_ERROR_WRONG_TYPE:
        sp_throwf_sr(ExceptionType_WaitHandleCannotBeOpenedException, NULL,
                     SR_Threading_WaitHandleCannotBeOpenedException_InvalidHandle, name);
        return true;
    case SP_SYNC_ERROR_PATH_NOT_FOUND:
        sp_throwf_sr(kind == SP_SYNC_SEMAPHORE ? ExceptionType_IOException : ExceptionType_DirectoryNotFoundException,
                     NULL, SR_IO_PathNotFound_Path, name);
        return true;
    case SP_SYNC_ERROR_NAME_TOO_LONG:
        sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_WaitHandleNameTooLong, "name");
        return false;
    default: sp_throw_io_error(code, name); return false;
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
        sp_throw_sr(ExceptionType_IOException, SR_Argument_NameContainsDirectorySeparator, NULL);
        break;
    case SP_SYNC_ERROR_NAME_TOO_LONG:
        sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_WaitHandleNameTooLong, "name");
        break;
    default: sp_throw_io_error(code, name); break;
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
        sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_EmptyString, "name");
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
        sp_throw_out_of_range("millisecondsTimeout", sp_sr(SR_ArgumentOutOfRange_NeedNonNegOrNegative1));
        return false;
    }
    return true;
}

bool WaitHandle_WaitOneWithTimeout(WaitHandle *handle, int32_t millisecondsTimeout)
{
    if (!as_handle(handle, "waitHandle") || !check_timeout(millisecondsTimeout) || !handle_enter(handle))
        return false;
    int32_t result = SP_WAIT_TIMEOUT;
    int32_t err = sp_os_sync_wait(os_of(handle), millisecondsTimeout, &result);
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
        sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_EmptyWaithandleArray, "waitHandles");
        return -1;
    }
    if (count > MAX_WAIT_HANDLES) {
        sp_throw_sr(ExceptionType_NotSupportedException, SR_NotSupported_MaxWaitHandles, NULL);
        return -1;
    }
    if (!check_timeout(ms))
        return -1;
    char param[32];
    for (int32_t i = 0; i < count; i++) {
        snprintf(param, sizeof param, "waitHandles[%d]", (int)i);
        if (!handles[i]) {
            sp_throw_sr(ExceptionType_ArgumentNullException, SR_ArgumentNull_ArrayElement, param);
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
                    sp_throw_sr(ExceptionType_ArgumentException, SR_Arg_DuplicateWaitObjectException, param);
                    return -1;
                }
    sp_os_sync *os[MAX_WAIT_HANDLES];
    int32_t entered = 0;
    for (; entered < count; entered++) {
        if (!handle_enter(handles[entered]))
            break;
        os[entered] = os_of(handles[entered]);
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
            sp_throw_sr(ExceptionType_ArgumentException, SR_Arg_ArgumentException, NULL);
            break;
        case SP_SYNC_ERROR_NO_MULTIPLE_WAIT:
            sp_throw_sr(ExceptionType_PlatformNotSupportedException,
                        SR_PlatformNotSupported_WaitAnyWaitAllNeedsFutexWaitv, NULL);
            break;
        case SP_SYNC_ERROR_MUTEX_IN_MULTIPLE_WAIT:
            sp_throw_sr(ExceptionType_PlatformNotSupportedException, SR_PlatformNotSupported_WaitAnyWaitAllMutex, NULL);
            break;
        default: sp_throw_io_error(err, NULL); break;
        }
        return -1;
    }
    if (result >= SP_WAIT_ABANDONED_0 && result < SP_WAIT_ABANDONED_0 + count) {
        sp_throw(ExceptionType_AbandonedMutexException, NULL, NULL);
        /* .NET: WaitAll cannot say which one (the OS does not tell), WaitAny can */
        if (!wait_all)
            sp_exception_set_mutex_index(result - SP_WAIT_ABANDONED_0);
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
    int32_t err = sp_os_sync_release_mutex(os_of(&mutex->handle));
    handle_leave(&mutex->handle);
    if (err) { /* .NET: any failure of ReleaseMutex */
        sp_throw_sr(ExceptionType_ApplicationException, SR_Arg_SynchronizationLockException, NULL);
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
        sp_throw_out_of_range("maximumCount", sp_sr(SR_ArgumentOutOfRange_NeedPosNum));
        return NULL;
    }
    if (initialCount > maximumCount) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_SemaphoreInitialMaximum, NULL);
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
    int32_t err = sp_os_sync_release_semaphore(os_of(&semaphore->handle), releaseCount, &previous);
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
        sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_InvalidFlag, "mode");
        return NULL;
    }
    sp_sync_init init = {
        .kind = SP_SYNC_EVENT, .initial_state = initialState, .manual_reset = mode == EventResetMode_ManualReset};
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
    sp_os_sync *os = os_of(&e->handle);
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
