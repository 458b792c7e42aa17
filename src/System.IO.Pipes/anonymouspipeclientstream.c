/* AnonymousPipeClientStream: .NET's AnonymousPipeClientStream.cs, over a handle given as text. */
#include "System.IO.Pipes/pipes.h"

#include <errno.h>

#define MSG_INVALID_HANDLE SP_SR_TEXT(Arg_InvalidHandle)
#define MSG_INVALID_PIPE_HANDLE SP_SR_TEXT(IO_InvalidPipeHandle)

const sp_type sp_type_AnonymousPipeClientStream = {"System.IO.Pipes.AnonymousPipeClientStream", &sp_type_PipeStream,
                                                   NULL, NULL};

/* ================================================================ AnonymousPipeClientStream */

#undef AnonymousPipeClientStream_new

AnonymousPipeClientStream *AnonymousPipeClientStream_new_ex(PipeDirection direction, const char *pipeHandleAsString)
{
    /* PipeStream(direction, 0) first: the direction's range */
    if (!sp_pipe_check_direction(direction))
        return NULL;
    if (direction == PipeDirection_InOut) {
        sp_throw(ExceptionType_NotSupportedException, MSG_ONE_DIRECTION, NULL);
        return NULL;
    }
    if (!pipeHandleAsString) {
        sp_throw_null("pipeHandleAsString");
        return NULL;
    }
    sp_pipe_config config = {direction, PipeTransmissionMode_Byte,    PipeOptions_None,         1, 0,
                             0,         TokenImpersonationLevel_None, HandleInheritability_None};
    /* long.TryParse, then ValidateHandleIsPipe */
    char *stop;
    errno = 0;
    long long value = strtoll(pipeHandleAsString, &stop, 10);
    sp_os_pipe end = SP_OS_PIPE_INVALID;
    int32_t err = errno || stop == pipeHandleAsString || *stop ? sp_os_error_invalid_parameter()
                                                               : sp_os_pipe_from_number(value, &end);
    if (err == sp_os_error_invalid_parameter()) {
        sp_throw(ExceptionType_ArgumentException, MSG_INVALID_HANDLE, "pipeHandleAsString");
        return NULL;
    }
    if (err) {
        sp_throw(ExceptionType_IOException, MSG_INVALID_PIPE_HANDLE, NULL);
        return NULL;
    }
    AnonymousPipeClientStream *a = sp_pipe_alloc(sizeof *a, &sp_type_AnonymousPipeClientStream, &config);
    if (!a)
        return NULL;
    sp_handle *h = sp_pipe_handle_new(end);
    if (!h)
        return sp_pipe_abandon(&a->pipe);
    sp_handle_slot_exchange(&a->pipe.conn, h);
    atomic_store(&a->pipe.state, PIPE_CONNECTED);
    sp_clear();
    return a;
}

AnonymousPipeClientStream *AnonymousPipeClientStream_new(const char *pipeHandleAsString)
{
    return AnonymousPipeClientStream_new_ex(PipeDirection_In, pipeHandleAsString);
}

AnonymousPipeClientStream *AnonymousPipeClientStream_newFromHandle(PipeDirection direction,
                                                                   SafePipeHandle *safePipeHandle)
{
    if (!sp_pipe_check_direction(direction))
        return NULL;
    if (direction == PipeDirection_InOut) {
        sp_throw(ExceptionType_NotSupportedException, MSG_ONE_DIRECTION, NULL);
        return NULL;
    }
    if (!sp_pipe_check_safe_handle(safePipeHandle, "safePipeHandle"))
        return NULL;
    sp_pipe_config config = {direction, PipeTransmissionMode_Byte,    PipeOptions_None,         1, 0,
                             0,         TokenImpersonationLevel_None, HandleInheritability_None};
    AnonymousPipeClientStream *a = sp_pipe_alloc(sizeof *a, &sp_type_AnonymousPipeClientStream, &config);
    if (!a)
        return NULL;
    if (!sp_pipe_adopt_handle(&a->pipe, safePipeHandle))
        return sp_pipe_abandon(&a->pipe);
    atomic_store(&a->pipe.state, PIPE_CONNECTED);
    sp_clear();
    return a;
}
