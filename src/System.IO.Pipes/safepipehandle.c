/* SafePipeHandle (Microsoft.Win32.SafeHandles) over the core sp_handle, and the SafeHandle members
 * it has from System.Runtime.InteropServices.SafeHandle. */
#include "System.IO.Pipes/pipes.h"

static void do_nothing(intptr_t value, void *context)
{
    (void)value;
    (void)context;
}

/* Dispose, or the last release: a disowned handle (handed out as a number) is closed only by
 * SafeHandle_Close or DisposeLocalCopyOfClientHandle, a dropped duplicate never. */
static bool safe_pipe_handle_close(Object *o)
{
    SafePipeHandle *s = (SafePipeHandle *)o;
    if (s->owns && !atomic_load(&s->disowned))
        sp_handle_close(s->handle);
    return true;
}

static void safe_pipe_handle_destroy(Object *o)
{
    SafePipeHandle *s = (SafePipeHandle *)o;
    /* the last reference: as .NET's finalizer, it closes an owned handle; a disowned one (handed
     * out as a number) stays open for whoever adopted the number */
    if (s->owns) {
        if (atomic_load(&s->disowned) && !sp_handle_is_closed(s->handle))
            s->handle->release = do_nothing;
        sp_handle_close(s->handle);
    }
    sp_handle_unkeep(s->handle);
}

static const sp_type sp_type_SafeHandle = {"System.Runtime.InteropServices.SafeHandle", &sp_type_Object, NULL, NULL};
const sp_type sp_type_SafePipeHandle = {"Microsoft.Win32.SafeHandles.SafePipeHandle", &sp_type_SafeHandle,
                                        safe_pipe_handle_close, safe_pipe_handle_destroy};

SafePipeHandle *sp_safe_pipe_handle_new(sp_handle *h)
{
    SafePipeHandle *s = sp_object_new(sizeof *s, &sp_type_SafePipeHandle);
    if (!s) {
        sp_handle_unkeep(h);
        return NULL;
    }
    s->handle = h;
    s->owns = true;
    atomic_init(&s->disowned, false);
    return s;
}

bool sp_pipe_check_safe_handle(SafePipeHandle *handle, const char *param)
{
    if (!handle) {
        sp_throw_null(param);
        return false;
    }
    if (!sp_check_type(handle, &sp_type_SafePipeHandle, param))
        return false;
    if ((sp_os_pipe)sp_handle_value(handle->handle) == SP_OS_PIPE_INVALID) {
        sp_throw(ExceptionType_ArgumentException, SP_SR_TEXT(Arg_InvalidHandle), param);
        return false;
    }
    if (!sp_handle_add_ref(handle->handle)) {
        sp_throw(ExceptionType_ObjectDisposedException, SP_SR_TEXT(ObjectDisposed_SafeHandleClosed), NULL);
        return false;
    }
    /* ValidateHandleIsPipe */
    sp_os_pipe end = SP_OS_PIPE_INVALID;
    int32_t err = sp_os_pipe_from_number(sp_os_pipe_to_number((sp_os_pipe)sp_handle_value(handle->handle)), &end);
    sp_handle_release(handle->handle);
    if (err) {
        sp_throw(ExceptionType_IOException, SP_SR_TEXT(IO_InvalidPipeHandle), NULL);
        return false;
    }
    return true;
}

bool sp_pipe_adopt_handle(PipeStream *p, SafePipeHandle *handle)
{
    if (sp_handle_is_closed(handle->handle)) {
        sp_throw(ExceptionType_ObjectDisposedException, SP_SR_TEXT(ObjectDisposed_SafeHandleClosed), NULL);
        return false;
    }
    sp_handle_keep(handle->handle);
    sp_handle_slot_exchange(&p->conn, handle->handle);
    Object_Retain(handle);
    atomic_store(&p->exposed, handle);
    return true;
}

/* ================================================================ SafeHandle */

#undef SafeHandle_get_IsClosed
#undef SafeHandle_DangerousGetHandle
#undef SafeHandle_Close

static SafePipeHandle *as_safe_handle(SafeHandle *h)
{
    return (SafePipeHandle *)sp_check_type(h, &sp_type_SafePipeHandle, "handle");
}

bool SafeHandle_get_IsClosed(SafeHandle *handle)
{
    SafePipeHandle *s = as_safe_handle(handle);
    if (!s)
        return false;
    sp_clear();
    return sp_handle_is_closed(s->handle);
}

intptr_t SafeHandle_DangerousGetHandle(SafeHandle *handle)
{
    SafePipeHandle *s = as_safe_handle(handle);
    if (!s)
        return -1;
    sp_clear();
    return (intptr_t)sp_os_pipe_to_number((sp_os_pipe)sp_handle_value(s->handle));
}

bool SafeHandle_Close(SafeHandle *handle)
{
    SafePipeHandle *s = as_safe_handle(handle);
    if (!s)
        return false;
    sp_clear();
    sp_handle_close(s->handle);
    return true;
}

bool SafePipeHandle_get_IsInvalid(SafePipeHandle *handle)
{
    SafePipeHandle *s = as_safe_handle((SafeHandle *)handle);
    if (!s)
        return false;
    sp_clear();
    return (sp_os_pipe)sp_handle_value(s->handle) == SP_OS_PIPE_INVALID;
}
