/* NamedPipeServerStream: .NET's NamedPipeServerStream.cs checks and state changes; an instance is
 * an sp_os_pipe_server that each of its connection handles keeps alive. */
#include "System.IO.Pipes/pipes.h"

#define MSG_ALL_BUSY SP_SR_TEXT(IO_AllPipeInstancesAreBusy)
#define MSG_FILE_EXISTS SP_SR_TEXT(IO_FileExists_Name)
#define MSG_ACCESS_DENIED SP_SR_TEXT(UnauthorizedAccess_IODenied_Path)
#define MSG_CLIENT_REFUSED SP_SR_TEXT(UnauthorizedAccess_ClientIsNotCurrentUser)

/* Creating a server instance: .NET's Unix SharedServer texts; Windows is WinIOError. */
static void throw_server_error(int32_t code, const char *path, PipeOptions options)
{
    /* FirstPipeInstance on a name that a live server holds: Windows' ERROR_ACCESS_DENIED, which
     * .NET raises without a path; the POSIX seam reports the live server as busy. */
    if ((options & PipeOptions_FirstPipeInstance) && sp_os_pipe_error_kind(code) == SP_ERR_BUSY) {
        sp_throw(ExceptionType_UnauthorizedAccessException, SP_SR_TEXT(UnauthorizedAccess_IODenied_NoPathName), NULL);
        return;
    }
    if (!sp_os_pipe_is_socket()) {
        sp_pipe_throw_os_error(code);
        return;
    }
    switch (sp_os_pipe_error_kind(code)) {
    case SP_ERR_BUSY: sp_throw(ExceptionType_IOException, MSG_ALL_BUSY, NULL); break;
    case SP_ERR_ALREADY_EXISTS: sp_throwf(ExceptionType_IOException, NULL, MSG_FILE_EXISTS, path); break;
    case SP_ERR_ACCESS_DENIED: /* the in-process instance rule, as .NET's SharedServer */
        sp_throwf(ExceptionType_UnauthorizedAccessException, NULL, MSG_ACCESS_DENIED, path);
        break;
    case SP_ERR_NOT_FOUND:
    case SP_ERR_PATH_NOT_FOUND: sp_throw_io_error(code, path); break;
    default: sp_pipe_throw_connection_error(code, path); break;
    }
}

/* ---------------------------------------------------------------- the instance and its connections */

static sp_os_pipe_server *instance_of(NamedPipeServerStream *s)
{
    return (sp_os_pipe_server *)sp_handle_value(s->instance);
}

static void release_instance(intptr_t value, void *context)
{
    (void)context;
    sp_os_pipe_server_free((sp_os_pipe_server *)value);
}

/* A server's connection: given back to its instance, which it keeps alive until then. */
static void release_server_connection(intptr_t value, void *context)
{
    sp_handle *instance = context;
    sp_os_pipe_server_release_connection((sp_os_pipe_server *)sp_handle_value(instance), (sp_os_pipe)value);
    sp_handle_release(instance);
}

/* A handle for a connection of server's instance (or its own handle between connections). On
 * failure the connection is given back: ObjectDisposedException when the instance was closed
 * meanwhile, OutOfMemoryException. The caller has the instance pinned. */
static sp_handle *server_connection_handle(NamedPipeServerStream *server, sp_os_pipe conn)
{
    if (!sp_handle_add_ref(server->instance)) {
        sp_os_pipe_server_release_connection(instance_of(server), conn);
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return NULL;
    }
    sp_handle *h = sp_handle_new((intptr_t)conn, release_server_connection, server->instance);
    if (!h) {
        sp_os_pipe_server_release_connection(instance_of(server), conn);
        sp_handle_release(server->instance);
    } else {
        sp_handle_keep(h); /* the slot's keep (pipes.h) */
    }
    return h;
}

static bool server_close(Object *o)
{
    sp_pipe_close(o);
    sp_handle_close(((NamedPipeServerStream *)o)->instance); /* the name goes with the last connection */
    return true;
}

/* The instance handle's struct stays while the object does (a call that starts as Dispose runs
 * still reads it in sp_call_enter); the instance itself goes with its last connection. */
static void server_destroy(Object *o)
{
    NamedPipeServerStream *s = (NamedPipeServerStream *)o;
    if (s->instance)
        sp_handle_unkeep(s->instance);
    sp_pipe_destroy(o);
}

const sp_type sp_type_NamedPipeServerStream = {"System.IO.Pipes.NamedPipeServerStream", &sp_type_PipeStream,
                                               server_close, server_destroy};

/* ================================================================ NamedPipeServerStream */

#undef NamedPipeServerStream_new

NamedPipeServerStream *NamedPipeServerStream_new_ex(const char *pipeName, PipeDirection direction,
                                                    int32_t maxNumberOfServerInstances,
                                                    PipeTransmissionMode transmissionMode, PipeOptions options,
                                                    int32_t inBufferSize, int32_t outBufferSize)
{
    if (!sp_pipe_check_name(pipeName, "pipeName") || !sp_pipe_check_direction(direction))
        return NULL;
    if (transmissionMode < PipeTransmissionMode_Byte || transmissionMode > PipeTransmissionMode_Message) {
        sp_throw_out_of_range("transmissionMode", SP_SR_TEXT(ArgumentOutOfRange_TransmissionModeByteOrMsg));
        return NULL;
    }
    if (!sp_pipe_check_options(options, true))
        return NULL;
    if (inBufferSize < 0) {
        sp_throw_need_nonneg("inBufferSize");
        return NULL;
    }
    if (outBufferSize < 0) {
        sp_throw_need_nonneg("outBufferSize");
        return NULL;
    }
    if ((maxNumberOfServerInstances < 1 || maxNumberOfServerInstances > 254) &&
        maxNumberOfServerInstances != NamedPipeServerStream_MaxAllowedServerInstances) {
        sp_throw_out_of_range("maxNumberOfServerInstances", SP_SR_TEXT(ArgumentOutOfRange_MaxNumServerInstances));
        return NULL;
    }
    if (transmissionMode == PipeTransmissionMode_Message && !sp_os_pipe_supports_message_mode()) {
        sp_throw(ExceptionType_PlatformNotSupportedException, SP_SR_TEXT(PlatformNotSupported_MessageTransmissionMode),
                 NULL);
        return NULL;
    }
    char *path = sp_pipe_path(".", pipeName);
    if (!path)
        return NULL;
    if (!sp_pipe_check_path_length(path)) { /* the server checks it when it binds, in its constructor */
        free(path);
        return NULL;
    }
    sp_pipe_config config = {direction,
                             transmissionMode,
                             options,
                             maxNumberOfServerInstances,
                             inBufferSize,
                             outBufferSize,
                             TokenImpersonationLevel_None,
                             HandleInheritability_None};
    NamedPipeServerStream *s = sp_pipe_alloc(sizeof *s, &sp_type_NamedPipeServerStream, &config);
    if (!s) {
        free(path);
        return NULL;
    }
    s->pipe.read_mode = transmissionMode;
    sp_os_pipe_server *instance = NULL;
    int32_t err = sp_os_pipe_server_new(path, &config, &instance);
    if (err)
        throw_server_error(err, path, options);
    free(path);
    if (err)
        return sp_pipe_abandon(&s->pipe);
    if (!(s->instance = sp_handle_new((intptr_t)instance, release_instance, NULL))) {
        sp_os_pipe_server_free(instance);
        return sp_pipe_abandon(&s->pipe);
    }
    sp_handle_keep(s->instance);
    /* Where the instance has a handle before a client comes (Windows), properties use it. */
    sp_os_pipe idle = sp_os_pipe_server_handle(instance);
    if (idle != SP_OS_PIPE_INVALID) {
        sp_handle *h = server_connection_handle(s, idle);
        if (!h)
            return sp_pipe_abandon(&s->pipe);
        sp_handle_slot_exchange(&s->pipe.conn, h);
    }
    sp_clear();
    return s;
}

NamedPipeServerStream *NamedPipeServerStream_newFromHandle(PipeDirection direction, bool isAsync, bool isConnected,
                                                           SafePipeHandle *safePipeHandle)
{
    NamedPipeServerStream *s = sp_named_pipe_from_handle(sizeof *s, &sp_type_NamedPipeServerStream, direction, isAsync,
                                                         isConnected, safePipeHandle);
    if (s)
        sp_clear();
    return s;
}

NamedPipeServerStream *NamedPipeServerStream_new(const char *pipeName)
{
    return NamedPipeServerStream_new_ex(pipeName, PipeDirection_InOut, 1, PipeTransmissionMode_Byte, PipeOptions_None,
                                        0, 0);
}

static NamedPipeServerStream *as_server(NamedPipeServerStream *s)
{
    return (NamedPipeServerStream *)sp_check_type(s, &sp_type_NamedPipeServerStream, "server");
}

bool NamedPipeServerStream_WaitForConnection(NamedPipeServerStream *server)
{
    if (!as_server(server))
        return false;
    int state = sp_pipe_state(&server->pipe);
    if (state == PIPE_CLOSED) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return false;
    }
    bool ask_os = state == PIPE_CONNECTED && sp_os_pipe_server_accept_checks_connected();
    if (state == PIPE_CONNECTED && !ask_os) {
        sp_throw(ExceptionType_InvalidOperationException, MSG_ALREADY_CONNECTED, NULL);
        return false;
    }
    if (state == PIPE_BROKEN) {
        sp_throw(ExceptionType_IOException, MSG_BROKEN, NULL);
        return false;
    }
    if (!server->instance) { /* made over a handle: there is no instance to wait on */
        sp_throw(ExceptionType_InvalidOperationException, ask_os ? MSG_ALREADY_CONNECTED : MSG_HANDLE_NOT_SET, NULL);
        return false;
    }
    sp_clear();
    if (!sp_call_enter(&server->pipe.stream.base, server->instance, MSG_PIPE_CLOSED))
        return false;
    sp_os_pipe conn = SP_OS_PIPE_INVALID;
    int32_t err = sp_os_pipe_server_accept(instance_of(server), server->pipe.waker, &conn);
    if (ask_os) {
        /* connected already: the OS says whether its client is still there (ERROR_PIPE_CONNECTED,
         * success here: .NET's "Already in a connected state.") or gone (ERROR_NO_DATA: .NET's
         * IOException); the connection stays as it is either way */
        if (!err) {
            sp_os_pipe_server_release_connection(instance_of(server), conn);
            sp_throw(ExceptionType_InvalidOperationException, MSG_ALREADY_CONNECTED, NULL);
        } else if (sp_os_pipe_error_kind(err) == SP_ERR_CANCELLED || sp_object_is_closed(&server->pipe.stream.base)) {
            sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        } else {
            sp_pipe_throw_connection_error(err, NULL);
        }
        sp_call_leave(&server->pipe.stream.base, server->instance);
        return false;
    }
    if (!err && (server->pipe.config.options & PipeOptions_CurrentUserOnly) && sp_os_pipe_server_checks_peer_user()) {
        bool same = false;
        uint32_t peer = 0, self = 0;
        int32_t check = sp_os_pipe_peer_is_current_user(conn, &same, &peer, &self);
        if (check || !same) {
            sp_os_pipe_server_release_connection(instance_of(server), conn);
            if (check)
                sp_pipe_throw_connection_error(check, NULL);
            else
                sp_throwf(ExceptionType_UnauthorizedAccessException, NULL, MSG_CLIENT_REFUSED, (unsigned)peer,
                          (unsigned)self);
            sp_call_leave(&server->pipe.stream.base, server->instance);
            return false;
        }
    }
    bool ok = false;
    if (!err) {
        sp_handle *h = server_connection_handle(server, conn);
        if (h && sp_pipe_install_connection(&server->pipe, h)) {
            int expected = state;
            if (atomic_compare_exchange_strong(&server->pipe.state, &expected, PIPE_CONNECTED)) {
                server->pipe.message_complete = true;
                ok = true;
            } else { /* disposed while the client arrived: Dispose closes the connection */
                sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
            }
        }
    } else if (sp_os_pipe_error_kind(err) == SP_ERR_CANCELLED || sp_object_is_closed(&server->pipe.stream.base)) {
        /* woken, or failed because Dispose cancelled the wait (CancelIoEx) */
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
    } else {
        sp_pipe_throw_connection_error(err, NULL);
    }
    sp_call_leave(&server->pipe.stream.base, server->instance);
    return ok;
}

bool NamedPipeServerStream_Disconnect(NamedPipeServerStream *server)
{
    if (!as_server(server))
        return false;
    int state = sp_pipe_state(&server->pipe);
    if (state == PIPE_WAITING) {
        sp_throw(ExceptionType_InvalidOperationException, MSG_NOT_CONNECTED, NULL);
        return false;
    }
    if (state == PIPE_DISCONNECTED) {
        sp_throw(ExceptionType_InvalidOperationException, SP_SR_TEXT(InvalidOperation_PipeAlreadyDisconnected), NULL);
        return false;
    }
    if (state == PIPE_CLOSED) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return false;
    }
    sp_clear();
    if (!sp_call_enter(&server->pipe.stream.base, server->instance, MSG_PIPE_CLOSED))
        return false;
    /* End the connection first (Windows: later I/O on it fails at once), then wake what blocks on
     * it; a read woken so holds its own reference, so the descriptor closes when it leaves. */
    int32_t err = server->instance ? sp_os_pipe_server_disconnect(instance_of(server)) : 0;
    if (err) { /* .NET: the exception, and the state stays */
        sp_pipe_throw_os_error(err);
        sp_call_leave(&server->pipe.stream.base, server->instance);
        return false;
    }
    /* Disconnected before the connection goes: a call that finds no connection says so. */
    int expected = state;
    atomic_compare_exchange_strong(&server->pipe.state, &expected, PIPE_DISCONNECTED);
    sp_handle *idle = NULL;
    sp_os_pipe handle = server->instance ? sp_os_pipe_server_handle(instance_of(server)) : SP_OS_PIPE_INVALID;
    bool ok = handle == SP_OS_PIPE_INVALID || (idle = server_connection_handle(server, handle)) != NULL;
    sp_pipe_drop_connection(&server->pipe, idle);
    if (idle && sp_object_is_closed(&server->pipe.stream.base)) /* Dispose ran meanwhile */
        sp_pipe_drop_connection(&server->pipe, NULL);
    sp_call_leave(&server->pipe.stream.base, server->instance);
    return ok;
}

char *NamedPipeServerStream_GetImpersonationUserName(NamedPipeServerStream *server)
{
    if (!as_server(server) || !sp_pipe_check_io_state(&server->pipe, true))
        return NULL;
    sp_clear();
    sp_handle *h = sp_pipe_connection_enter(&server->pipe);
    if (!h)
        return NULL;
    char *name = NULL;
    int32_t err = sp_os_pipe_peer_user_name(sp_pipe_value(h), &name);
    if (err)
        sp_pipe_throw_os_error(err);
    sp_pipe_connection_leave(&server->pipe, h);
    return name;
}

bool NamedPipeServerStream_RunAsClient(NamedPipeServerStream *server, void (*worker)(void *state), void *state)
{
    if (!as_server(server))
        return false;
    if (!worker) {
        sp_throw_null("impersonationWorker");
        return false;
    }
    if (!sp_pipe_check_io_state(&server->pipe, true))
        return false;
    sp_clear();
    sp_handle *h = sp_pipe_connection_enter(&server->pipe);
    if (!h)
        return false;
    int32_t err = sp_os_pipe_run_as_client(sp_pipe_value(h), worker, state);
    if (err)
        sp_pipe_throw_os_error(err);
    sp_pipe_connection_leave(&server->pipe, h);
    return !err;
}
