/* SafePipeHandle (Microsoft.Win32.SafeHandles): the pipe part of a SafeHandle (core/safehandle.c
 * has the members every SafeHandle shares). */
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
    if (s->safe.owns && !atomic_load(&s->disowned))
        sp_handle_close(s->safe.handle);
    return true;
}

static void safe_pipe_handle_destroy(Object *o)
{
    SafePipeHandle *s = (SafePipeHandle *)o;
    sp_handle *h = s->safe.handle;
    /* the last reference: as .NET's finalizer, it closes an owned handle; a disowned one (handed
     * out as a number) stays open for whoever adopted the number */
    if (s->safe.owns) {
        if (atomic_load(&s->disowned) && !sp_handle_is_closed(h))
            h->release = do_nothing;
        sp_handle_close(h);
    }
    sp_handle_unkeep(h);
}

const sp_type sp_type_SafePipeHandle = {"Microsoft.Win32.SafeHandles.SafePipeHandle", &sp_type_SafeHandle,
                                        safe_pipe_handle_close, safe_pipe_handle_destroy};

static intptr_t pipe_number(intptr_t value) { return (intptr_t)sp_os_pipe_to_number((sp_os_pipe)value); }
static bool pipe_is_invalid(intptr_t value) { return (sp_os_pipe)value == SP_OS_PIPE_INVALID; }

/* A pipe handle has no owner to tell: the streams sharing it find it closed at their next call. */
static const sp_safe_handle_ops pipe_ops = {pipe_number, pipe_is_invalid, NULL};

SafePipeHandle *sp_safe_pipe_handle_new(sp_handle *h)
{
    SafePipeHandle *s = sp_object_new(sizeof *s, &sp_type_SafePipeHandle);
    if (!s) {
        sp_handle_unkeep(h);
        return NULL;
    }
    sp_safe_handle_init(&s->safe, h, &pipe_ops, NULL);
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
    sp_handle *h = handle->safe.handle;
    if (sp_pipe_value(h) == SP_OS_PIPE_INVALID) {
        sp_throw(ExceptionType_ArgumentException, SP_SR_TEXT(Arg_InvalidHandle), param);
        return false;
    }
    if (!sp_handle_add_ref(h)) {
        sp_throw(ExceptionType_ObjectDisposedException, SP_SR_TEXT(ObjectDisposed_SafeHandleClosed), NULL);
        return false;
    }
    /* ValidateHandleIsPipe */
    sp_os_pipe end = SP_OS_PIPE_INVALID;
    int32_t err = sp_os_pipe_from_number(sp_os_pipe_to_number(sp_pipe_value(h)), &end);
    sp_handle_release(h);
    if (err) {
        sp_throw(ExceptionType_IOException, SP_SR_TEXT(IO_InvalidPipeHandle), NULL);
        return false;
    }
    return true;
}

bool sp_pipe_adopt_handle(PipeStream *p, SafePipeHandle *handle)
{
    sp_handle *h = handle->safe.handle;
    if (sp_handle_is_closed(h)) {
        sp_throw(ExceptionType_ObjectDisposedException, SP_SR_TEXT(ObjectDisposed_SafeHandleClosed), NULL);
        return false;
    }
    sp_handle_keep(h);
    sp_handle_slot_exchange(&p->conn, h);
    Object_Retain(handle);
    atomic_store(&p->exposed, handle);
    return true;
}

bool SafePipeHandle_get_IsInvalid(SafePipeHandle *handle)
{
    if (!sp_check_type(handle, &sp_type_SafePipeHandle, "handle"))
        return false;
    sp_clear();
    return pipe_is_invalid(sp_handle_value(handle->safe.handle));
}
