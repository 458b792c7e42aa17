/*
 * What an OS error code means, for portable code. Every sp_os_* function returns 0 or an OS error
 * code (errno on POSIX, GetLastError() on Windows); portable code never looks at the numbers
 * themselves: it asks sp_os_error_classify what a code is and chooses .NET's exception and text
 * (src/core/ioerror.c for the I/O errors every class shares). One file per OS implements this
 * header: posix/error_posix.c and win32/error_win32.c.
 *
 * The kinds are sharpipc's, not an OS's: a code the OS uses for several things maps to the kind
 * that .NET's mapping for that OS (Interop.IOErrors on Unix, Win32Marshal on Windows) gives it.
 * A part of the seam that overloads codes with meanings of its own (platform_sync.h) refines
 * this classification for its codes.
 */
#ifndef SHARPIPC_PLATFORM_ERROR_H
#define SHARPIPC_PLATFORM_ERROR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum sp_os_error_kind {
    SP_ERR_NONE = 0,          /* 0: success */
    SP_ERR_NOT_FOUND,         /* ENOENT; ERROR_FILE_NOT_FOUND */
    SP_ERR_PATH_NOT_FOUND,    /* ENOTDIR (and ENOENT for a path whose directory is missing, through
                                 sp_os_error_classify_path); ERROR_PATH_NOT_FOUND */
    SP_ERR_ALREADY_EXISTS,    /* EEXIST; ERROR_ALREADY_EXISTS, ERROR_FILE_EXISTS */
    SP_ERR_SHARING_VIOLATION, /* EWOULDBLOCK (a lock someone else holds); ERROR_SHARING_VIOLATION */
    SP_ERR_BUSY,              /* ERROR_PIPE_BUSY: every instance of the object is in use */
    SP_ERR_BROKEN,            /* EPIPE, ECONNRESET; ERROR_BROKEN_PIPE, ERROR_NO_DATA */
    SP_ERR_ACCESS_DENIED,     /* EACCES, EPERM, EBADF; ERROR_ACCESS_DENIED */
    SP_ERR_TOO_LONG,          /* ENAMETOOLONG; ERROR_FILENAME_EXCED_RANGE */
    SP_ERR_CANCELLED,         /* ECANCELED; ERROR_OPERATION_ABORTED */
    SP_ERR_NOT_SUPPORTED,     /* ENOTSUP, EOPNOTSUPP, ENOSYS, ENODEV; ERROR_NOT_SUPPORTED */
    SP_ERR_INVALID,           /* EINVAL; ERROR_INVALID_PARAMETER */
    SP_ERR_NO_SPACE,          /* ENOSPC, EDQUOT; ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL */
    SP_ERR_FILE_TOO_LARGE,    /* EFBIG (Windows has no code .NET treats so) */
    SP_ERR_NO_MEMORY,         /* ENOMEM; ERROR_NOT_ENOUGH_MEMORY, ERROR_OUTOFMEMORY */
    SP_ERR_TOO_MANY_FILES,    /* EMFILE, ENFILE; ERROR_TOO_MANY_OPEN_FILES */
    SP_ERR_INTERRUPTED,       /* EINTR (the seam retries it; it reaches portable code only when
                                 an operation cannot be retried) */
    SP_ERR_OTHER              /* anything else: an IOException with the OS's text */
} sp_os_error_kind;

/* What `code` is. */
sp_os_error_kind sp_os_error_classify(int32_t code);
/* As sp_os_error_classify, for an operation on `path` (may be NULL): POSIX says ENOENT for a
 * missing file and for a missing directory alike, so this looks at the path's directory and answers
 * SP_ERR_PATH_NOT_FOUND for the second, as .NET's Interop.IOErrors does. */
sp_os_error_kind sp_os_error_classify_path(int32_t code, const char *path);

/* The text the OS gives for `code` (strerror / FormatMessage), into buf. */
void sp_os_error_text(int32_t code, char *buf, size_t size);
/* The HResult .NET gives an IOException made from `code` on this OS (the errno itself on Unix,
 * HRESULT_FROM_WIN32 on Windows). */
int32_t sp_os_error_hresult(int32_t code);
/* .NET's SocketError for `code` (SocketErrorPal on Unix; the code itself on Windows), -1 if none. */
int32_t sp_os_error_socket_error(int32_t code);
/* The OS's code for an invalid argument (EINVAL, ERROR_INVALID_PARAMETER), for portable code that
 * reports an argument the OS would refuse as the OS would. */
int32_t sp_os_error_invalid_parameter(void);

/* The few places where this OS's .NET words an error differently, for a kind that is the same on
 * both: facts of the port, read by the portable raisers instead of an #ifdef. */
typedef struct sp_os_error_style {
    /* SP_ERR_NOT_FOUND without a path: "Could not find file ''." (true: Windows, Win32Marshal as
     * sharpipc ports it) or FileNotFoundException's own text (false: Unix). */
    bool not_found_quotes_empty_path;
    /* A map that fails for want of memory or space, or for a size the OS refuses
     * (SP_ERR_NO_MEMORY, _NO_SPACE, _INVALID, _FILE_TOO_LARGE): an IOException with the OS's text
     * and no HResult (true: POSIX, as the Windows texts read), or the I/O error of any other
     * operation (false: Windows, Win32Marshal). */
    bool map_resource_errors_are_plain_io;
} sp_os_error_style;

const sp_os_error_style *sp_os_error_style_get(void);

#endif
