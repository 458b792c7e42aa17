/* errno -> .NET SocketError, as SocketErrorPal.Unix.cs maps it, and SocketException raising. */
#include "platform/platform.h"

#include <errno.h>
#include <stdio.h>

#include "util_posix.h"

int32_t sp_posix_socket_error(int err)
{
    switch (err) {
    case 0: return 0;
    case EACCES: case EPERM: return 10013;
    case EADDRINUSE: return 10048;
    case EADDRNOTAVAIL: case ENOENT: return 10049;
    case EAFNOSUPPORT: return 10047;
    case EAGAIN: return 10035;
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK: return 10035;
#endif
    case EALREADY: return 10037;
    case EBADF: case ECANCELED: return 995;
    case ECONNABORTED: return 10053;
    case ECONNREFUSED: return 10061;
    case ECONNRESET: return 10054;
    case EDESTADDRREQ: return 10039;
    case EFAULT: return 10014;
#ifdef EHOSTDOWN
    case EHOSTDOWN: return 10064;
#endif
    case ENXIO: return 11001;
    case EHOSTUNREACH: return 10065;
    case EINPROGRESS: return 10036;
    case EINTR: return 10004;
    case EINVAL: return 10022;
    case EISCONN: return 10056;
    case EMFILE: case ENFILE: return 10024;
    case EMSGSIZE: return 10040;
    case ENETDOWN: return 10050;
    case ENETRESET: return 10052;
    case ENETUNREACH: return 10051;
    case ENOBUFS: return 10055;
#ifdef ENODATA
    case ENODATA: return 11004;
#endif
    case ENOPROTOOPT: return 10042;
    case ENOTCONN: return 10057;
    case ENOTSOCK: return 10038;
    case ENOTSUP: return 10045;
    case EPIPE: return 10058;
#ifdef EPFNOSUPPORT
    case EPFNOSUPPORT: return 10046;
#endif
    case EPROTONOSUPPORT: return 10043;
    case EPROTOTYPE: return 10041;
#ifdef ESOCKTNOSUPPORT
    case ESOCKTNOSUPPORT: return 10044;
#endif
#ifdef ESHUTDOWN
    case ESHUTDOWN: return 10101;
#endif
    case ETIMEDOUT: return 10060;
    default: return -1;
    }
}

void sp_posix_throw_socket_error(int err, const char *endpoint)
{
    char text[256];
    sp_os_error_text(err, text, sizeof text);
    if (endpoint)
        sp_throwf(ExceptionType_SocketException, NULL, "%s %s", text, endpoint);
    else
        sp_throw(ExceptionType_SocketException, text, NULL);
    sp_exception_set_native_code(err);
    sp_exception_set_socket_error(sp_posix_socket_error(err));
}
