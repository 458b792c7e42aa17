/* What an errno means (platform_error.h), the OS's text for it, and errno -> .NET SocketError as
 * SocketErrorPal.Unix.cs maps it. */
#include "platform/platform.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "util_posix.h"

sp_os_error_kind sp_os_error_classify(int32_t code)
{
    switch (code) {
    case 0: return SP_ERR_NONE;
    case ENOENT: return SP_ERR_NOT_FOUND;
    case ENOTDIR: return SP_ERR_PATH_NOT_FOUND;
    case EEXIST: return SP_ERR_ALREADY_EXISTS;
    case EWOULDBLOCK: return SP_ERR_SHARING_VIOLATION; /* what a refused flock says */
#if EAGAIN != EWOULDBLOCK
    case EAGAIN: return SP_ERR_SHARING_VIOLATION;
#endif
    case EPIPE:
    case ECONNRESET: return SP_ERR_BROKEN;
    case EACCES:
    case EPERM:
    case EBADF: return SP_ERR_ACCESS_DENIED;
    case ENAMETOOLONG: return SP_ERR_TOO_LONG;
    case ECANCELED: return SP_ERR_CANCELLED;
    case ENOTSUP:
#if EOPNOTSUPP != ENOTSUP
    case EOPNOTSUPP:
#endif
    case ENOSYS:
    case ENODEV: return SP_ERR_NOT_SUPPORTED;
    case EINVAL: return SP_ERR_INVALID;
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
        return SP_ERR_NO_SPACE;
    case EFBIG: return SP_ERR_FILE_TOO_LARGE;
    case ENOMEM: return SP_ERR_NO_MEMORY;
    case EMFILE:
    case ENFILE: return SP_ERR_TOO_MANY_FILES;
    case EINTR: return SP_ERR_INTERRUPTED;
    default: return SP_ERR_OTHER;
    }
}

sp_os_error_kind sp_os_error_classify_path(int32_t code, const char *path)
{
    sp_os_error_kind kind = sp_os_error_classify(code);
    if (kind == SP_ERR_NOT_FOUND && path && !sp_posix_parent_directory_exists(path))
        return SP_ERR_PATH_NOT_FOUND;
    return kind;
}

void sp_os_error_text(int32_t code, char *buf, size_t size)
{
    /* .NET's own two codes (util_posix.h), which strerror does not know: StrErrorR's texts */
    if (code == SP_POSIX_EHOSTNOTFOUND) {
        snprintf(buf, size, "%s", gai_strerror(EAI_NONAME));
        return;
    }
    if (code == SP_POSIX_ESOCKETERROR) {
        snprintf(buf, size, "Unknown socket error");
        return;
    }
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
    const char *s = strerror_r(code, buf, size);
    if (s != buf)
        snprintf(buf, size, "%s", s);
#else
    if (strerror_r(code, buf, size) != 0)
        snprintf(buf, size, "Unknown error %d", (int)code);
#endif
}

int32_t sp_os_error_hresult(int32_t code) { return code; }

int32_t sp_os_error_invalid_parameter(void) { return EINVAL; }

static const sp_os_error_style posix_style = {
    .not_found_quotes_empty_path = false,
    .map_resource_errors_are_plain_io = true,
};

const sp_os_error_style *sp_os_error_style_get(void) { return &posix_style; }

int32_t sp_posix_socket_error(int err)
{
    switch (err) {
    case 0: return 0;
    case EACCES:
    case EPERM: return 10013;
    case EADDRINUSE: return 10048;
    case EADDRNOTAVAIL:
    case ENOENT: return 10049;
    case EAFNOSUPPORT: return 10047;
    case EAGAIN: return 10035;
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK: return 10035;
#endif
    case EALREADY: return 10037;
    case EBADF:
    case ECANCELED: return 995;
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
    case EMFILE:
    case ENFILE: return 10024;
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
    case SP_POSIX_EHOSTNOTFOUND: return 11001; /* the codes sp_os_socket_error_code gives back */
    default: return -1;
    }
}

int32_t sp_os_error_socket_error(int32_t code) { return sp_posix_socket_error(code); }

/* SocketErrorPal.Unix.cs's reverse map (GetNativeErrorForSocketError), for the exceptions .NET
 * makes from a SocketError alone: their NativeErrorCode is this errno. */
int32_t sp_os_socket_error_code(int32_t socket_error)
{
    switch (socket_error) {
    case 0: return 0;
    case 10004: return EINTR;
    case 10013: return EACCES;
    case 10014: return EFAULT;
    case 10022: return EINVAL;
    case 10024: return ENFILE;
    case 10035: return EAGAIN;
    case 10036: return EINPROGRESS;
    case 10037: return EALREADY;
    case 10038: return ENOTSOCK;
    case 10039: return EDESTADDRREQ;
    case 10040: return EMSGSIZE;
    case 10041: return EPROTOTYPE;
    case 10042: return ENOPROTOOPT;
    case 10043: return EPROTONOSUPPORT;
#ifdef ESOCKTNOSUPPORT
    case 10044: return ESOCKTNOSUPPORT;
#endif
    case 10045: return ENOTSUP;
#ifdef EPFNOSUPPORT
    case 10046: return EPFNOSUPPORT;
#endif
    case 10047: return EAFNOSUPPORT;
    case 10048: return EADDRINUSE;
    case 10049: return EADDRNOTAVAIL;
    case 10050: return ENETDOWN;
    case 10051: return ENETUNREACH;
    case 10052: return ENETRESET;
    case 10053: return ECONNABORTED;
    case 10054: return ECONNRESET;
    case 10055: return ENOBUFS;
    case 10056: return EISCONN;
    case 10057: return ENOTCONN;
    case 10058: return EPIPE;
    case 10060: return ETIMEDOUT;
    case 10061: return ECONNREFUSED;
#ifdef EHOSTDOWN
    case 10064: return EHOSTDOWN;
#endif
    case 10065: return EHOSTUNREACH;
#ifdef ESHUTDOWN
    case 10101: return ESHUTDOWN;
#endif
    case 11001: return SP_POSIX_EHOSTNOTFOUND; /* .NET's EHOSTNOTFOUND, not ENXIO (SocketErrorPal) */
    case 11002: return EAGAIN;
#ifdef ENODATA
    case 11004: return ENODATA;
#endif
    case 995: return ECANCELED;
    case 997: return EINPROGRESS;
    case -1: return SP_POSIX_ESOCKETERROR; /* SocketError.SocketError: .NET's ESOCKETERROR */
    default: return socket_error;          /* no errno: .NET keeps the number itself */
    }
}
