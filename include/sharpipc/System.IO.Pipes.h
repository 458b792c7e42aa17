/*
 * System.IO.Pipes: named and anonymous pipes that a .NET process can be either end of.
 *
 * On Windows a named pipe is \\.\pipe\<name>. On Linux and macOS it is, as in .NET, a Unix domain
 * socket at $TMPDIR/CoreFxPipe_<name> (/tmp/ when TMPDIR is unset or empty), or at the name
 * itself when the name is an absolute path. Every pipe stream is a Stream.
 */
#ifndef SHARPIPC_SYSTEM_IO_PIPES_H
#define SHARPIPC_SYSTEM_IO_PIPES_H

#include "Microsoft.Win32.SafeHandles.h"
#include "System.IO.h"

SHARPIPC_BEGIN_DECLS

typedef enum PipeDirection { PipeDirection_In = 1, PipeDirection_Out = 2, PipeDirection_InOut = 3 } PipeDirection;
typedef enum PipeTransmissionMode {
    PipeTransmissionMode_Byte = 0,
    PipeTransmissionMode_Message = 1
} PipeTransmissionMode;
typedef enum PipeOptions {
    PipeOptions_None = 0,
    PipeOptions_WriteThrough = (int)0x80000000u,
    PipeOptions_Asynchronous = 0x40000000,
    PipeOptions_CurrentUserOnly = 0x20000000,
    PipeOptions_FirstPipeInstance = 0x00080000
} PipeOptions;
/* System.Security.Principal.TokenImpersonationLevel. <windows.h> already uses the name
 * TokenImpersonationLevel (an enumerator), so the C type is SpTokenImpersonationLevel everywhere
 * and TokenImpersonationLevel also names it where that does not clash. */
typedef enum SpTokenImpersonationLevel {
    TokenImpersonationLevel_None = 0,
    TokenImpersonationLevel_Anonymous = 1,
    TokenImpersonationLevel_Identification = 2,
    TokenImpersonationLevel_Impersonation = 3,
    TokenImpersonationLevel_Delegation = 4
} SpTokenImpersonationLevel;
#ifndef _WIN32
typedef SpTokenImpersonationLevel TokenImpersonationLevel;
#endif

/* NamedPipeServerStream.MaxAllowedServerInstances */
#define NamedPipeServerStream_MaxAllowedServerInstances (-1)

/* ================================================================ SafePipeHandle */

/* A pipe's OS handle as .NET's SafePipeHandle (a descriptor on POSIX, a HANDLE on Windows), a
 * SafeHandle (Microsoft.Win32.SafeHandles.h). The handles come from PipeStream_get_SafePipeHandle
 * and AnonymousPipeServerStream_get_ClientSafePipeHandle as properties do (borrowed: the same
 * object each time, valid while the stream lives, never Dispose'd by the caller; SafeHandle_Close
 * closes the OS handle, as .NET's SafeHandle.Dispose()), and the streams made from one share it
 * (it closes when any of them is disposed, as in .NET). */

/* ================================================================ PipeStream */

SHARPIPC_API bool PipeStream_get_IsConnected(PipeStream *pipe);
SHARPIPC_API bool PipeStream_get_IsAsync(PipeStream *pipe);
SHARPIPC_API PipeTransmissionMode PipeStream_get_TransmissionMode(PipeStream *pipe);
SHARPIPC_API PipeTransmissionMode PipeStream_get_ReadMode(PipeStream *pipe);
/* Message on POSIX is a PlatformNotSupportedException, as .NET on Unix. */
SHARPIPC_API bool PipeStream_set_ReadMode(PipeStream *pipe, PipeTransmissionMode mode);
/* Message mode: false while the last read left part of a message unread. */
SHARPIPC_API bool PipeStream_get_IsMessageComplete(PipeStream *pipe);
/* Waits until the peer has read everything written (Windows); PlatformNotSupportedException on POSIX. */
SHARPIPC_API bool PipeStream_WaitForPipeDrain(PipeStream *pipe);
SHARPIPC_API int32_t PipeStream_get_InBufferSize(PipeStream *pipe);
SHARPIPC_API int32_t PipeStream_get_OutBufferSize(PipeStream *pipe);
/* The stream's handle (borrowed, see SafePipeHandle above). */
SHARPIPC_API SafePipeHandle *PipeStream_get_SafePipeHandle(PipeStream *pipe);

#ifdef SHARPIPC_HAVE_GENERIC
#  define PipeStream_get_IsConnected(p) (PipeStream_get_IsConnected)(SP_AS_PipeStream(p))
#  define PipeStream_get_IsAsync(p) (PipeStream_get_IsAsync)(SP_AS_PipeStream(p))
#  define PipeStream_get_TransmissionMode(p) (PipeStream_get_TransmissionMode)(SP_AS_PipeStream(p))
#  define PipeStream_get_ReadMode(p) (PipeStream_get_ReadMode)(SP_AS_PipeStream(p))
#  define PipeStream_set_ReadMode(p, m) (PipeStream_set_ReadMode)(SP_AS_PipeStream(p), m)
#  define PipeStream_get_IsMessageComplete(p) (PipeStream_get_IsMessageComplete)(SP_AS_PipeStream(p))
#  define PipeStream_WaitForPipeDrain(p) (PipeStream_WaitForPipeDrain)(SP_AS_PipeStream(p))
#  define PipeStream_get_InBufferSize(p) (PipeStream_get_InBufferSize)(SP_AS_PipeStream(p))
#  define PipeStream_get_OutBufferSize(p) (PipeStream_get_OutBufferSize)(SP_AS_PipeStream(p))
#  define PipeStream_get_SafePipeHandle(p) (PipeStream_get_SafePipeHandle)(SP_AS_PipeStream(p))
#endif

/* ================================================================ NamedPipeServerStream */

/* new NamedPipeServerStream(pipeName, direction, maxNumberOfServerInstances, transmissionMode,
 * options, inBufferSize, outBufferSize). The pipe exists (clients can connect) when this returns. */
SHARPIPC_API NamedPipeServerStream *NamedPipeServerStream_new_ex(const char *pipeName, PipeDirection direction,
                                                                 int32_t maxNumberOfServerInstances,
                                                                 PipeTransmissionMode transmissionMode,
                                                                 PipeOptions options, int32_t inBufferSize,
                                                                 int32_t outBufferSize);
/* new NamedPipeServerStream(direction, isAsync, isConnected, safePipeHandle): a stream over a pipe
 * handle of another stream (it shares the handle, and retains it). An explicit name only: C cannot
 * tell it from NamedPipeServerStream_new(pipeName, direction, max, transmissionMode) (API.md). */
SHARPIPC_API NamedPipeServerStream *NamedPipeServerStream_newFromHandle(PipeDirection direction, bool isAsync,
                                                                        bool isConnected,
                                                                        SafePipeHandle *safePipeHandle);
/* new NamedPipeServerStream(pipeName): InOut, one instance, byte mode. */
SHARPIPC_API NamedPipeServerStream *NamedPipeServerStream_new(const char *pipeName);
/* Blocks until a client connects. Disposing the stream from another thread abandons the wait
 * (ObjectDisposedException here). */
SHARPIPC_API bool NamedPipeServerStream_WaitForConnection(NamedPipeServerStream *server);
/* Ends the connection; WaitForConnection may be called again. */
SHARPIPC_API bool NamedPipeServerStream_Disconnect(NamedPipeServerStream *server);
/* The connected client's user name. String_Free. */
SHARPIPC_API char *NamedPipeServerStream_GetImpersonationUserName(NamedPipeServerStream *server);
/* Runs worker(state) as the connected client's user. */
SHARPIPC_API bool NamedPipeServerStream_RunAsClient(NamedPipeServerStream *server, void (*worker)(void *state),
                                                    void *state);

#ifdef SHARPIPC_HAVE_GENERIC
#  define NamedPipeServerStream_new(...) SP_OVERLOAD(NamedPipeServerStream_new, __VA_ARGS__)
#  define NamedPipeServerStream_new__1(n) (NamedPipeServerStream_new)(n)
#  define NamedPipeServerStream_new__2(n, d)                                                                           \
    NamedPipeServerStream_new_ex(n, d, 1, PipeTransmissionMode_Byte, PipeOptions_None, 0, 0)
#  define NamedPipeServerStream_new__3(n, d, m)                                                                        \
    NamedPipeServerStream_new_ex(n, d, m, PipeTransmissionMode_Byte, PipeOptions_None, 0, 0)
#  define NamedPipeServerStream_new__4(n, d, m, t) NamedPipeServerStream_new_ex(n, d, m, t, PipeOptions_None, 0, 0)
#  define NamedPipeServerStream_new__5(n, d, m, t, o) NamedPipeServerStream_new_ex(n, d, m, t, o, 0, 0)
#  define NamedPipeServerStream_new__7(n, d, m, t, o, i, u) NamedPipeServerStream_new_ex(n, d, m, t, o, i, u)
#endif

/* ================================================================ NamedPipeClientStream */

/* new NamedPipeClientStream(serverName, pipeName, direction, options, impersonationLevel,
 * inheritability). serverName "." is this machine. */
SHARPIPC_API NamedPipeClientStream *NamedPipeClientStream_new_ex(const char *serverName, const char *pipeName,
                                                                 PipeDirection direction, PipeOptions options,
                                                                 SpTokenImpersonationLevel impersonationLevel,
                                                                 HandleInheritability inheritability);
/* new NamedPipeClientStream(direction, isAsync, isConnected, safePipeHandle), as the server's. */
SHARPIPC_API NamedPipeClientStream *NamedPipeClientStream_newFromHandle(PipeDirection direction, bool isAsync,
                                                                        bool isConnected,
                                                                        SafePipeHandle *safePipeHandle);
/* new NamedPipeClientStream(pipeName): ".", InOut. */
SHARPIPC_API NamedPipeClientStream *NamedPipeClientStream_new(const char *pipeName);
/* Connect(): waits without limit for the server to exist. */
SHARPIPC_API bool NamedPipeClientStream_Connect(NamedPipeClientStream *client);
/* Connect(timeout): milliseconds, -1 = infinite; TimeoutException when the server never came.
 * At least one attempt is made, even with 0. */
SHARPIPC_API bool NamedPipeClientStream_ConnectWithTimeout(NamedPipeClientStream *client, int32_t timeout);
/* Connect(TimeSpan timeout): whole milliseconds, -1 ms infinite; others below -1 ms or past
 * int.MaxValue ms are ArgumentOutOfRangeException ("timeout"). */
SHARPIPC_API bool NamedPipeClientStream_ConnectTimeSpan(NamedPipeClientStream *client, TimeSpan timeout);
SHARPIPC_API int32_t NamedPipeClientStream_get_NumberOfServerInstances(NamedPipeClientStream *client);

#ifdef SHARPIPC_HAVE_GENERIC
#  define NamedPipeClientStream_new(...) SP_OVERLOAD(NamedPipeClientStream_new, __VA_ARGS__)
#  define NamedPipeClientStream_new__1(n) (NamedPipeClientStream_new)(n)
#  define NamedPipeClientStream_new__2(s, n)                                                                           \
    NamedPipeClientStream_new_ex(s, n, PipeDirection_InOut, PipeOptions_None, TokenImpersonationLevel_None,            \
                                 HandleInheritability_None)
#  define NamedPipeClientStream_new__3(s, n, d)                                                                        \
    NamedPipeClientStream_new_ex(s, n, d, PipeOptions_None, TokenImpersonationLevel_None, HandleInheritability_None)
#  define NamedPipeClientStream_new__4(s, n, d, o)                                                                     \
    NamedPipeClientStream_new_ex(s, n, d, o, TokenImpersonationLevel_None, HandleInheritability_None)
#  define NamedPipeClientStream_new__5(s, n, d, o, l)                                                                  \
    NamedPipeClientStream_new_ex(s, n, d, o, l, HandleInheritability_None)
#  define NamedPipeClientStream_new__6(s, n, d, o, l, h) NamedPipeClientStream_new_ex(s, n, d, o, l, h)
#  define NamedPipeClientStream_Connect(...) SP_OVERLOAD(NamedPipeClientStream_Connect, __VA_ARGS__)
#  define NamedPipeClientStream_Connect__1(c) (NamedPipeClientStream_Connect)(c)
#  define NamedPipeClientStream_Connect__2(c, t)                                                                       \
    _Generic((t), TimeSpan                                                                                             \
             : NamedPipeClientStream_ConnectTimeSpan, default                                                          \
             : NamedPipeClientStream_ConnectWithTimeout)(c, t)
#endif

/* ================================================================ anonymous pipes */

/* new AnonymousPipeServerStream(direction, inheritability, bufferSize). direction In or Out. */
SHARPIPC_API AnonymousPipeServerStream *
AnonymousPipeServerStream_new_ex(PipeDirection direction, HandleInheritability inheritability, int32_t bufferSize);
/* new AnonymousPipeServerStream(direction, serverSafePipeHandle, clientSafePipeHandle): shares (and
 * retains) both handles. */
SHARPIPC_API AnonymousPipeServerStream *AnonymousPipeServerStream_newFromHandles(PipeDirection direction,
                                                                                 SafePipeHandle *serverSafePipeHandle,
                                                                                 SafePipeHandle *clientSafePipeHandle);
/* new AnonymousPipeServerStream(): Out, not inheritable. */
SHARPIPC_API AnonymousPipeServerStream *AnonymousPipeServerStream_new(void);
/* The client end as text for a child's command line (a descriptor or handle number). String_Free. */
SHARPIPC_API char *AnonymousPipeServerStream_GetClientHandleAsString(AnonymousPipeServerStream *server);
/* The client end (borrowed, see SafePipeHandle): once asked for, Dispose no longer closes it. */
SHARPIPC_API SafePipeHandle *AnonymousPipeServerStream_get_ClientSafePipeHandle(AnonymousPipeServerStream *server);
/* Closes this process's copy of the client end, after the child has inherited it. */
SHARPIPC_API bool AnonymousPipeServerStream_DisposeLocalCopyOfClientHandle(AnonymousPipeServerStream *server);
/* new AnonymousPipeClientStream(direction, pipeHandleAsString). */
SHARPIPC_API AnonymousPipeClientStream *AnonymousPipeClientStream_new_ex(PipeDirection direction,
                                                                         const char *pipeHandleAsString);
/* new AnonymousPipeClientStream(direction, safePipeHandle): shares (and retains) the handle. */
SHARPIPC_API AnonymousPipeClientStream *AnonymousPipeClientStream_newFromHandle(PipeDirection direction,
                                                                                SafePipeHandle *safePipeHandle);
/* new AnonymousPipeClientStream(pipeHandleAsString): In. */
SHARPIPC_API AnonymousPipeClientStream *AnonymousPipeClientStream_new(const char *pipeHandleAsString);

#ifdef SHARPIPC_HAVE_GENERIC
#  define AnonymousPipeServerStream_new(...) SP_OVERLOAD(AnonymousPipeServerStream_new, __VA_ARGS__)
#  define AnonymousPipeServerStream_new__0() (AnonymousPipeServerStream_new)()
#  define AnonymousPipeServerStream_new__1(d) AnonymousPipeServerStream_new_ex(d, HandleInheritability_None, 0)
#  define AnonymousPipeServerStream_new__2(d, h) AnonymousPipeServerStream_new_ex(d, h, 0)
#  define AnonymousPipeServerStream_new__3(d, h, b)                                                                    \
    _Generic((h), SafePipeHandle *                                                                                     \
             : AnonymousPipeServerStream_newFromHandles, default                                                       \
             : AnonymousPipeServerStream_new_ex)(d, h, b)
#  define AnonymousPipeClientStream_new(...) SP_OVERLOAD(AnonymousPipeClientStream_new, __VA_ARGS__)
#  define AnonymousPipeClientStream_new__1(s) (AnonymousPipeClientStream_new)(s)
#  define AnonymousPipeClientStream_new__2(d, s)                                                                       \
    _Generic((s), SafePipeHandle *                                                                                     \
             : AnonymousPipeClientStream_newFromHandle, default                                                        \
             : AnonymousPipeClientStream_new_ex)(d, s)
#endif

SHARPIPC_END_DECLS

#endif
