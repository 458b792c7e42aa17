/* The .NET exceptions for OS error codes: portable code's side of platform_error.h. */
#ifndef SHARPIPC_IOERROR_H
#define SHARPIPC_IOERROR_H

#include <stdint.h>

/* Raises the .NET exception that the OS error `code` means for an operation on `path` (NULL when
 * there is no path), as this OS's .NET does (Interop.IOErrors on Unix, Win32Marshal on Windows):
 * FileNotFoundException, DirectoryNotFoundException, UnauthorizedAccessException,
 * PathTooLongException, OperationCanceledException, OutOfMemoryException, or IOException with
 * .NET's texts (the sharing violation included) or the OS's own; NativeErrorCode carries the code. */
void sp_throw_io_error(int32_t code, const char *path);

/* Raises a SocketException for `code`, as .NET's: the OS's text, then the endpoint if any;
 * NativeErrorCode the code, SocketErrorCode its SocketError. */
void sp_throw_socket_error(int32_t code, const char *endpoint);

#endif
