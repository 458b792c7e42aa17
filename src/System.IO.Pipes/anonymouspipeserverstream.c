/* AnonymousPipeServerStream: .NET's AnonymousPipeServerStream.cs. The client end is a
 * SafePipeHandle kept here, never used for I/O: Dispose closes it unless it was handed out
 * (GetClientHandleAsString, ClientSafePipeHandle), DisposeLocalCopyOfClientHandle always. */
#include "System.IO.Pipes/pipes.h"

#include <stdio.h>

static bool anonymous_server_close(Object *o)
{
    AnonymousPipeServerStream *a = (AnonymousPipeServerStream *)o;
    sp_pipe_close(o);
    if (a->client_handle && !atomic_load(&a->client_exposed))
        sp_handle_close(a->client_handle->safe.handle);
    return true;
}

static void anonymous_server_destroy(Object *o)
{
    AnonymousPipeServerStream *a = (AnonymousPipeServerStream *)o;
    if (a->client_handle)
        sp_object_release(&a->client_handle->safe.base);
    sp_pipe_destroy(o);
}

const sp_type sp_type_AnonymousPipeServerStream = {"System.IO.Pipes.AnonymousPipeServerStream", &sp_type_PipeStream,
                                                   anonymous_server_close, anonymous_server_destroy};

/* ================================================================ AnonymousPipeServerStream */

#undef AnonymousPipeServerStream_new

AnonymousPipeServerStream *AnonymousPipeServerStream_new_ex(PipeDirection direction,
                                                            HandleInheritability inheritability, int32_t bufferSize)
{
    /* PipeStream(direction, bufferSize) first: the direction's range, the buffer size */
    if (!sp_pipe_check_direction(direction))
        return NULL;
    if (bufferSize < 0) {
        sp_throw_need_nonneg("bufferSize");
        return NULL;
    }
    if (direction == PipeDirection_InOut) {
        sp_throw(ExceptionType_NotSupportedException, MSG_ONE_DIRECTION, NULL);
        return NULL;
    }
    if (inheritability < HandleInheritability_None || inheritability > HandleInheritability_Inheritable) {
        sp_throw_out_of_range("inheritability", SP_SR_TEXT(ArgumentOutOfRange_HandleInheritabilityNoneOrInheritable));
        return NULL;
    }
    sp_pipe_config config = {direction,  PipeTransmissionMode_Byte,    PipeOptions_None, 1, bufferSize,
                             bufferSize, TokenImpersonationLevel_None, inheritability};
    AnonymousPipeServerStream *a = sp_pipe_alloc(sizeof *a, &sp_type_AnonymousPipeServerStream, &config);
    if (!a)
        return NULL;
    atomic_init(&a->client_exposed, false);
    sp_os_pipe server_end = SP_OS_PIPE_INVALID, client_end = SP_OS_PIPE_INVALID;
    int32_t err = sp_os_anonymous_pipe_new(direction, inheritability, bufferSize, &server_end, &client_end);
    if (err) {
        sp_throw_io_error(err, NULL);
        return sp_pipe_abandon(&a->pipe);
    }
    sp_handle *ch = sp_pipe_handle_new(client_end);
    if (!ch) {
        sp_os_pipe_close(server_end);
        return sp_pipe_abandon(&a->pipe);
    }
    /* the keep meant for a slot is the SafePipeHandle's */
    if (!(a->client_handle = sp_safe_pipe_handle_new(ch))) {
        sp_handle_close(ch);
        sp_os_pipe_close(server_end);
        return sp_pipe_abandon(&a->pipe);
    }
    sp_handle *h = sp_pipe_handle_new(server_end);
    if (!h)
        return sp_pipe_abandon(&a->pipe);
    sp_handle_slot_exchange(&a->pipe.conn, h);
    atomic_store(&a->pipe.state, PIPE_CONNECTED);
    sp_clear();
    return a;
}

AnonymousPipeServerStream *AnonymousPipeServerStream_newFromHandles(PipeDirection direction,
                                                                    SafePipeHandle *serverSafePipeHandle,
                                                                    SafePipeHandle *clientSafePipeHandle)
{
    if (!sp_pipe_check_direction(direction))
        return NULL;
    if (direction == PipeDirection_InOut) {
        sp_throw(ExceptionType_NotSupportedException, MSG_ONE_DIRECTION, NULL);
        return NULL;
    }
    if (!serverSafePipeHandle) {
        sp_throw_null("serverSafePipeHandle");
        return NULL;
    }
    if (!clientSafePipeHandle) {
        sp_throw_null("clientSafePipeHandle");
        return NULL;
    }
    if (!sp_pipe_check_safe_handle(serverSafePipeHandle, "serverSafePipeHandle") ||
        !sp_pipe_check_safe_handle(clientSafePipeHandle, "clientSafePipeHandle"))
        return NULL;
    sp_pipe_config config = {direction, PipeTransmissionMode_Byte,    PipeOptions_None,         1, 0,
                             0,         TokenImpersonationLevel_None, HandleInheritability_None};
    AnonymousPipeServerStream *a = sp_pipe_alloc(sizeof *a, &sp_type_AnonymousPipeServerStream, &config);
    if (!a)
        return NULL;
    atomic_init(&a->client_exposed, true); /* .NET: _clientHandleExposed = true */
    a->client_handle = (SafePipeHandle *)Object_Retain(clientSafePipeHandle);
    if (!sp_pipe_adopt_handle(&a->pipe, serverSafePipeHandle))
        return sp_pipe_abandon(&a->pipe);
    atomic_store(&a->pipe.state, PIPE_CONNECTED);
    sp_clear();
    return a;
}

AnonymousPipeServerStream *AnonymousPipeServerStream_new(void)
{
    return AnonymousPipeServerStream_new_ex(PipeDirection_Out, HandleInheritability_None, 0);
}

static AnonymousPipeServerStream *as_anonymous_server(AnonymousPipeServerStream *a)
{
    return (AnonymousPipeServerStream *)sp_check_type(a, &sp_type_AnonymousPipeServerStream, "server");
}

/* The number stays valid until DisposeLocalCopyOfClientHandle: the server no longer closes it (.NET
 * marks it exposed and suppresses its finalizer), so a client made from the number in this process
 * owns the descriptor and reads end of stream once the server is gone. */
char *AnonymousPipeServerStream_GetClientHandleAsString(AnonymousPipeServerStream *server)
{
    if (!as_anonymous_server(server))
        return NULL;
    SafePipeHandle *ch = server->client_handle;
    atomic_store(&server->client_exposed, true);
    atomic_store(&ch->disowned, true);
    if (sp_handle_is_closed(ch->safe.handle)) {
        sp_throw(ExceptionType_ObjectDisposedException, SP_SR_TEXT(ObjectDisposed_PipeClosed), NULL);
        return NULL;
    }
    sp_clear();
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)sp_os_pipe_to_number((sp_os_pipe)sp_handle_value(ch->safe.handle)));
    return sp_strdup(text);
}

#undef AnonymousPipeServerStream_get_ClientSafePipeHandle

SafePipeHandle *AnonymousPipeServerStream_get_ClientSafePipeHandle(AnonymousPipeServerStream *server)
{
    if (!as_anonymous_server(server))
        return NULL;
    atomic_store(&server->client_exposed, true);
    sp_clear();
    return server->client_handle;
}

bool AnonymousPipeServerStream_DisposeLocalCopyOfClientHandle(AnonymousPipeServerStream *server)
{
    if (!as_anonymous_server(server))
        return false;
    sp_clear();
    sp_handle_close(server->client_handle->safe.handle);
    return true;
}
