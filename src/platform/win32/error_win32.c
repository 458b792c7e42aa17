/* What a Win32 error code means (platform_error.h) and the OS's text for it. */
#include "platform/platform.h"

#include <stdio.h>
/* winsock2.h before windows.h: the WSA codes */
#include <winsock2.h>
#include <windows.h>

#include "util_win32.h"

sp_os_error_kind sp_os_error_classify(int32_t code)
{
    switch ((DWORD)code) {
    case ERROR_SUCCESS: return SP_ERR_NONE;
    case ERROR_FILE_NOT_FOUND: return SP_ERR_NOT_FOUND;
    case ERROR_PATH_NOT_FOUND: return SP_ERR_PATH_NOT_FOUND;
    case ERROR_ALREADY_EXISTS:
    case ERROR_FILE_EXISTS: return SP_ERR_ALREADY_EXISTS;
    case ERROR_SHARING_VIOLATION: return SP_ERR_SHARING_VIOLATION;
    case ERROR_PIPE_BUSY: return SP_ERR_BUSY;
    case ERROR_BROKEN_PIPE:
    case ERROR_NO_DATA: return SP_ERR_BROKEN;
    case ERROR_ACCESS_DENIED: return SP_ERR_ACCESS_DENIED;
    case ERROR_FILENAME_EXCED_RANGE: return SP_ERR_TOO_LONG;
    case ERROR_OPERATION_ABORTED: return SP_ERR_CANCELLED;
    case ERROR_NOT_SUPPORTED: return SP_ERR_NOT_SUPPORTED;
    case ERROR_INVALID_PARAMETER: return SP_ERR_INVALID;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL: return SP_ERR_NO_SPACE;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY: return SP_ERR_NO_MEMORY;
    case ERROR_TOO_MANY_OPEN_FILES: return SP_ERR_TOO_MANY_FILES;
    default: return SP_ERR_OTHER;
    }
}

/* Windows tells a missing directory from a missing file by the code itself. */
sp_os_error_kind sp_os_error_classify_path(int32_t code, const char *path)
{
    (void)path;
    return sp_os_error_classify(code);
}

/* Windows' own English texts for the WSA codes .NET's SocketError lists, for a FormatMessage that
 * has none (wine's, for WSAETIMEDOUT among others), so a SocketException's Message reads as on
 * Windows, where .NET's is the FormatMessage text. They are the MessageText of each code in the
 * SDK's winerror.h, which its message table is built from (read here from the JEDI translation
 * of winerror.h, jwawinerror.pas; WSAETIMEDOUT's and WSAEACCES's checked against Microsoft's
 * "System Error Codes (9000-11999)" page). */
static const struct {
    int32_t code;
    const char *text;
} wsa_texts[] = {
    {WSAEINTR, "A blocking operation was interrupted by a call to WSACancelBlockingCall."},
    {WSAEACCES, "An attempt was made to access a socket in a way forbidden by its access permissions."},
    {WSAEFAULT, "The system detected an invalid pointer address in attempting to use a pointer argument in a call."},
    {WSAEINVAL, "An invalid argument was supplied."},
    {WSAEMFILE, "Too many open sockets."},
    {WSAEWOULDBLOCK, "A non-blocking socket operation could not be completed immediately."},
    {WSAEINPROGRESS, "A blocking operation is currently executing."},
    {WSAEALREADY, "An operation was attempted on a non-blocking socket that already had an operation in progress."},
    {WSAENOTSOCK, "An operation was attempted on something that is not a socket."},
    {WSAEDESTADDRREQ, "A required address was omitted from an operation on a socket."},
    {WSAEMSGSIZE, "A message sent on a datagram socket was larger than the internal message buffer or some other "
                  "network limit, or the buffer used to receive a datagram into was smaller than the datagram itself."},
    {WSAEPROTOTYPE, "A protocol was specified in the socket function call that does not support the semantics of the "
                    "socket type requested."},
    {WSAENOPROTOOPT,
     "An unknown, invalid, or unsupported option or level was specified in a getsockopt or setsockopt call."},
    {WSAEPROTONOSUPPORT,
     "The requested protocol has not been configured into the system, or no implementation for it exists."},
    {WSAESOCKTNOSUPPORT, "The support for the specified socket type does not exist in this address family."},
    {WSAEOPNOTSUPP, "The attempted operation is not supported for the type of object referenced."},
    {WSAEPFNOSUPPORT,
     "The protocol family has not been configured into the system or no implementation for it exists."},
    {WSAEAFNOSUPPORT, "An address incompatible with the requested protocol was used."},
    {WSAEADDRINUSE, "Only one usage of each socket address (protocol/network address/port) is normally permitted."},
    {WSAEADDRNOTAVAIL, "The requested address is not valid in its context."},
    {WSAENETDOWN, "A socket operation encountered a dead network."},
    {WSAENETUNREACH, "A socket operation was attempted to an unreachable network."},
    {WSAENETRESET, "The connection has been broken due to keep-alive activity detecting a failure while the operation "
                   "was in progress."},
    {WSAECONNABORTED, "An established connection was aborted by the software in your host machine."},
    {WSAECONNRESET, "An existing connection was forcibly closed by the remote host."},
    {WSAENOBUFS, "An operation on a socket could not be performed because the system lacked sufficient buffer space or "
                 "because a queue was full."},
    {WSAEISCONN, "A connect request was made on an already connected socket."},
    {WSAENOTCONN, "A request to send or receive data was disallowed because the socket is not connected and (when "
                  "sending on a datagram socket using a sendto call) no address was supplied."},
    {WSAESHUTDOWN, "A request to send or receive data was disallowed because the socket had already been shut down in "
                   "that direction with a previous shutdown call."},
    {WSAETIMEDOUT, "A connection attempt failed because the connected party did not properly respond after a period of "
                   "time, or established connection failed because connected host has failed to respond."},
    {WSAECONNREFUSED, "No connection could be made because the target machine actively refused it."},
    {WSAEHOSTDOWN, "A socket operation failed because the destination host was down."},
    {WSAEHOSTUNREACH, "A socket operation was attempted to an unreachable host."},
    {WSAEPROCLIM,
     "A Windows Sockets implementation may have a limit on the number of applications that may use it simultaneously."},
    {WSASYSNOTREADY, "WSAStartup cannot function at this time because the underlying system it uses to provide network "
                     "services is currently unavailable."},
    {WSAVERNOTSUPPORTED, "The Windows Sockets version requested is not supported."},
    {WSANOTINITIALISED, "Either the application has not called WSAStartup, or WSAStartup failed."},
    {WSAEDISCON,
     "Returned by WSARecv or WSARecvFrom to indicate the remote party has initiated a graceful shutdown sequence."},
    {WSATYPE_NOT_FOUND, "The specified class was not found."},
    {WSAHOST_NOT_FOUND, "No such host is known."},
    {WSATRY_AGAIN, "This is usually a temporary error during hostname resolution and means that the local server did "
                   "not receive a response from an authoritative server."},
    {WSANO_RECOVERY, "A non-recoverable error occurred during a database lookup."},
    {WSANO_DATA, "The requested name is valid, but no data of the requested type was found."},
};

static const char *wsa_text(int32_t code)
{
    for (size_t i = 0; i < sizeof wsa_texts / sizeof wsa_texts[0]; i++)
        if (wsa_texts[i].code == code)
            return wsa_texts[i].text;
    return NULL;
}

void sp_os_error_text(int32_t code, char *buf, size_t size)
{
    wchar_t wide[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)code,
                             MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), wide, 512, NULL);
    while (n > 0 && (wide[n - 1] == L'\r' || wide[n - 1] == L'\n' || wide[n - 1] == L' '))
        wide[--n] = 0;
    if (n > 0 && WideCharToMultiByte(CP_UTF8, 0, wide, -1, buf, (int)size, NULL, NULL) != 0)
        return;
    const char *wsa = n == 0 ? wsa_text(code) : NULL;
    if (wsa)
        snprintf(buf, size, "%s", wsa);
    else
        snprintf(buf, size, "Unknown error (0x%x)", (unsigned)code);
}

int32_t sp_os_error_hresult(int32_t code) { return (int32_t)HRESULT_FROM_WIN32((DWORD)code); }

int32_t sp_os_error_socket_error(int32_t code) { return code; } /* a WSA code is a SocketError */

int32_t sp_os_error_invalid_parameter(void) { return ERROR_INVALID_PARAMETER; }

static const sp_os_error_style win32_style = {
    .not_found_quotes_empty_path = true,
    .map_resource_errors_are_plain_io = false,
};

const sp_os_error_style *sp_os_error_style_get(void) { return &win32_style; }
