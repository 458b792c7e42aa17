/* NamedPipeClientStream: .NET's NamedPipeClientStream.cs checks and its Connect loop. */
#include "System.IO.Pipes/pipes.h"

#define MSG_NOT_OWNED SP_SR_TEXT(UnauthorizedAccess_NotOwnedByCurrentUser)

static void client_destroy(Object *o)
{
    sp_pipe_destroy(o);
    free(((NamedPipeClientStream *)o)->path);
}

const sp_type sp_type_NamedPipeClientStream = {"System.IO.Pipes.NamedPipeClientStream", &sp_type_PipeStream, NULL,
                                               client_destroy};

/* ================================================================ NamedPipeClientStream */

#undef NamedPipeClientStream_new
#undef NamedPipeClientStream_Connect

NamedPipeClientStream *NamedPipeClientStream_new_ex(const char *serverName, const char *pipeName,
                                                    PipeDirection direction, PipeOptions options,
                                                    SpTokenImpersonationLevel impersonationLevel,
                                                    HandleInheritability inheritability)
{
    if (!sp_pipe_check_name(pipeName, "pipeName"))
        return NULL;
    if (!serverName) {
        sp_throw_null("serverName");
        return NULL;
    }
    if (!*serverName) {
        sp_throw(ExceptionType_ArgumentException, SP_SR_TEXT(Argument_EmptyServerName), NULL);
        return NULL;
    }
    if (!sp_pipe_check_direction(direction) || !sp_pipe_check_options(options, false))
        return NULL;
    if (impersonationLevel < TokenImpersonationLevel_None || impersonationLevel > TokenImpersonationLevel_Delegation) {
        sp_throw_out_of_range("impersonationLevel", SP_SR_TEXT(ArgumentOutOfRange_ImpersonationInvalid));
        return NULL;
    }
    if (inheritability < HandleInheritability_None || inheritability > HandleInheritability_Inheritable) {
        sp_throw_out_of_range("inheritability", SP_SR_TEXT(ArgumentOutOfRange_HandleInheritabilityNoneOrInheritable));
        return NULL;
    }
    char *path = sp_pipe_path(serverName, pipeName);
    if (!path)
        return NULL;
    sp_pipe_config config = {direction, PipeTransmissionMode_Byte, options,       1, 0,
                             0,         impersonationLevel,        inheritability};
    NamedPipeClientStream *c = sp_pipe_alloc(sizeof *c, &sp_type_NamedPipeClientStream, &config);
    if (!c) {
        free(path);
        return NULL;
    }
    c->path = path;
    sp_clear();
    return c;
}

NamedPipeClientStream *NamedPipeClientStream_newFromHandle(PipeDirection direction, bool isAsync, bool isConnected,
                                                           SafePipeHandle *safePipeHandle)
{
    char *path = sp_strdup(""); /* before the stream shares the handle, whose failure would close it */
    if (!path)
        return NULL;
    NamedPipeClientStream *c = sp_named_pipe_from_handle(sizeof *c, &sp_type_NamedPipeClientStream, direction, isAsync,
                                                         isConnected, safePipeHandle);
    if (!c) {
        free(path);
        return NULL;
    }
    c->path = path;
    sp_clear();
    return c;
}

NamedPipeClientStream *NamedPipeClientStream_new(const char *pipeName)
{
    return NamedPipeClientStream_new_ex(".", pipeName, PipeDirection_InOut, PipeOptions_None,
                                        TokenImpersonationLevel_None, HandleInheritability_None);
}

static NamedPipeClientStream *as_client(NamedPipeClientStream *c)
{
    return (NamedPipeClientStream *)sp_check_type(c, &sp_type_NamedPipeClientStream, "client");
}

/* .NET polls with at most 50 ms between attempts; starting faster makes a late server cheap. */
#define SP_CONNECT_MAX_BACKOFF_MS 50

bool NamedPipeClientStream_ConnectWithTimeout(NamedPipeClientStream *client, int32_t timeout)
{
    if (!as_client(client))
        return false;
    if (timeout < -1) {
        sp_throw_out_of_range("timeout", SP_SR_TEXT(ArgumentOutOfRange_InvalidTimeout));
        return false;
    }
    int state = sp_pipe_state(&client->pipe);
    if (state == PIPE_CONNECTED) {
        sp_throw(ExceptionType_InvalidOperationException, MSG_ALREADY_CONNECTED, NULL);
        return false;
    }
    if (state == PIPE_CLOSED) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return false;
    }
    /* the client makes its endpoint, and so checks the path, in Connect */
    if (!sp_pipe_check_path_length(client->path))
        return false;
    sp_clear();
    if (!sp_call_enter(&client->pipe.stream.base, NULL, MSG_PIPE_CLOSED))
        return false;
    bool ok = false;
    int64_t start = sp_os_now_ms();
    int32_t backoff = 1;
    for (;;) {
        int64_t elapsed = sp_os_now_ms() - start;
        /* A busy server is waited for in slices, so that a Dispose is seen within one. */
        int32_t wait = timeout == -1 || timeout - elapsed > SP_CONNECT_MAX_BACKOFF_MS
                           ? SP_CONNECT_MAX_BACKOFF_MS
                           : (int32_t)(timeout - elapsed > 0 ? timeout - elapsed : 0);
        sp_os_pipe conn = SP_OS_PIPE_INVALID;
        int32_t err = sp_os_pipe_client_try_connect(client->path, &client->pipe.config, wait, &conn);
        if (!err && (client->pipe.config.options & PipeOptions_CurrentUserOnly)) { /* ValidateRemotePipeUser */
            bool same = false;
            uint32_t peer, self;
            if (sp_os_pipe_peer_is_current_user(conn, &same, &peer, &self) || !same) {
                sp_os_pipe_close(conn);
                sp_throw(ExceptionType_UnauthorizedAccessException, MSG_NOT_OWNED, NULL);
                break;
            }
        }
        sp_os_error_kind kind = err ? sp_os_pipe_error_kind(err) : SP_ERR_OTHER;
        if (err && kind != SP_ERR_NOT_FOUND && kind != SP_ERR_BUSY) {
            sp_pipe_throw_connection_error(err, client->path);
            break;
        }
        if (!err) {
            sp_handle *h = sp_pipe_handle_new(conn);
            /* sp_pipe_install_connection closes a broken earlier connection */
            if (h && sp_pipe_install_connection(&client->pipe, h)) {
                int expected = state;
                if (atomic_compare_exchange_strong(&client->pipe.state, &expected, PIPE_CONNECTED)) {
                    client->pipe.message_complete = true;
                    ok = true;
                } else { /* disposed meanwhile: Dispose closes the connection */
                    sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
                }
            }
            break;
        }
        elapsed = sp_os_now_ms() - start;
        if (timeout != -1 && elapsed >= timeout) {
            sp_throw(ExceptionType_TimeoutException, NULL, NULL);
            break;
        }
        int32_t nap = backoff;
        if (timeout != -1 && nap > timeout - elapsed)
            nap = (int32_t)(timeout - elapsed);
        if (sp_os_waker_sleep(client->pipe.waker, nap)) {
            sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
            break;
        }
        backoff = backoff * 2 > SP_CONNECT_MAX_BACKOFF_MS ? SP_CONNECT_MAX_BACKOFF_MS : backoff * 2;
    }
    sp_call_leave(&client->pipe.stream.base, NULL);
    return ok;
}

bool NamedPipeClientStream_Connect(NamedPipeClientStream *client)
{
    return NamedPipeClientStream_ConnectWithTimeout(client, -1);
}

int32_t NamedPipeClientStream_get_NumberOfServerInstances(NamedPipeClientStream *client)
{
    if (!as_client(client) || !sp_pipe_property(&client->pipe))
        return -1;
    sp_handle *h = sp_pipe_connection_enter(&client->pipe);
    if (!h)
        return -1;
    int32_t count = -1;
    int32_t err = sp_os_pipe_instance_count(sp_pipe_value(h), &count);
    if (err) {
        sp_pipe_throw_unsupported_or(err);
        count = -1;
    }
    sp_pipe_connection_leave(&client->pipe, h);
    return count;
}

/* Connect(TimeSpan): .NET's ToTimeoutMilliseconds (whole milliseconds, -1 to int.MaxValue). */
bool NamedPipeClientStream_ConnectTimeSpan(NamedPipeClientStream *client, TimeSpan timeout)
{
    if (!as_client(client))
        return false;
    long long ms = (long long)(timeout.ticks / 10000);
    if (ms < -1) {
        sp_throwf_sr(ExceptionType_ArgumentOutOfRangeException, "timeout",
                     SR_ArgumentOutOfRange_Generic_MustBeGreaterOrEqual, "timeout", ms, -1LL);
        return false;
    }
    if (ms > INT32_MAX) {
        sp_throwf_sr(ExceptionType_ArgumentOutOfRangeException, "timeout",
                     SR_ArgumentOutOfRange_Generic_MustBeLessOrEqual, "timeout", ms, (long long)INT32_MAX);
        return false;
    }
    return NamedPipeClientStream_ConnectWithTimeout(client, (int32_t)ms);
}
