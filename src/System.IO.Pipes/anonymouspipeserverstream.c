/* AnonymousPipeServerStream: .NET's AnonymousPipeServerStream.cs; the client end stays here, only
 * handed out as text, until DisposeLocalCopyOfClientHandle or Dispose. */
#include "System.IO.Pipes/pipes.h"

#include <stdio.h>

static bool anonymous_server_close(Object *o)
{
    sp_pipe_close(o);
    sp_os_pipe end = (sp_os_pipe)atomic_exchange(&((AnonymousPipeServerStream *)o)->client_end, (intptr_t)SP_OS_PIPE_INVALID);
    if (end != SP_OS_PIPE_INVALID)
        sp_os_pipe_close(end);
    return true;
}

const sp_type sp_type_AnonymousPipeServerStream = {"System.IO.Pipes.AnonymousPipeServerStream", &sp_type_PipeStream, anonymous_server_close, NULL};

/* ================================================================ AnonymousPipeServerStream */

#undef AnonymousPipeServerStream_new

AnonymousPipeServerStream *AnonymousPipeServerStream_new_ex(PipeDirection direction, HandleInheritability inheritability,
                                                            int32_t bufferSize)
{
    if (direction == PipeDirection_InOut) {
        sp_throw(ExceptionType_NotSupportedException, MSG_ONE_DIRECTION, NULL);
        return NULL;
    }
    if (!sp_pipe_check_direction(direction))
        return NULL;
    if (inheritability < HandleInheritability_None || inheritability > HandleInheritability_Inheritable) {
        sp_throw_out_of_range("inheritability", SP_SR_TEXT(ArgumentOutOfRange_HandleInheritabilityNoneOrInheritable));
        return NULL;
    }
    if (bufferSize < 0) {
        sp_throw_need_nonneg("bufferSize");
        return NULL;
    }
    sp_pipe_config config = {direction, PipeTransmissionMode_Byte, PipeOptions_None, 1, bufferSize, bufferSize,
                             TokenImpersonationLevel_None, inheritability};
    AnonymousPipeServerStream *a = sp_pipe_alloc(sizeof *a, &sp_type_AnonymousPipeServerStream, &config);
    if (!a)
        return NULL;
    atomic_init(&a->client_end, (intptr_t)SP_OS_PIPE_INVALID);
    sp_os_pipe server_end = SP_OS_PIPE_INVALID, client_end = SP_OS_PIPE_INVALID;
    int32_t err = sp_os_anonymous_pipe_new(direction, inheritability, bufferSize, &server_end, &client_end);
    if (err) {
        sp_throw_io_error(err, NULL);
        return sp_pipe_abandon(&a->pipe);
    }
    atomic_store(&a->client_end, (intptr_t)client_end);
    sp_handle *h = sp_pipe_handle_new(server_end);
    if (!h)
        return sp_pipe_abandon(&a->pipe);
    sp_handle_slot_exchange(&a->pipe.conn, h);
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

char *AnonymousPipeServerStream_GetClientHandleAsString(AnonymousPipeServerStream *server)
{
    if (!as_anonymous_server(server))
        return NULL;
    sp_os_pipe end = (sp_os_pipe)atomic_load(&server->client_end);
    if (end == SP_OS_PIPE_INVALID) {
        sp_throw(ExceptionType_ObjectDisposedException, SP_SR_TEXT(ObjectDisposed_PipeClosed), NULL);
        return NULL;
    }
    sp_clear();
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)sp_os_pipe_to_number(end));
    return sp_strdup(text);
}

bool AnonymousPipeServerStream_DisposeLocalCopyOfClientHandle(AnonymousPipeServerStream *server)
{
    if (!as_anonymous_server(server))
        return false;
    sp_clear();
    sp_os_pipe end = (sp_os_pipe)atomic_exchange(&server->client_end, (intptr_t)SP_OS_PIPE_INVALID);
    if (end != SP_OS_PIPE_INVALID)
        sp_os_pipe_close(end);
    return true;
}
