/*
 * The seam between portable sharpipc and the operating system. Portable code (src/, src/io/,
 * src/text/) calls only what is declared here for anything the OS does; src/posix/ and
 * src/win32/ each implement every function, and nothing else in the tree looks at _WIN32.
 *
 * Conventions: functions that can fail return an OS error code (errno on POSIX, GetLastError()
 * on Windows), 0 meaning success, and raise no exception themselves; the portable caller turns a
 * code into a .NET exception with sp_os_throw_io_error, which knows the OS's codes.
 */
#ifndef SHARPIPC_PLATFORM_H
#define SHARPIPC_PLATFORM_H

#include "internal.h"

/* An open file: a POSIX descriptor or a Windows HANDLE, widened. */
typedef intptr_t sp_os_file;
#define SP_OS_FILE_INVALID ((sp_os_file)-1)

/* Raises the .NET exception that the OS error `code` means for an operation on `path` (NULL when
 * there is no path): FileNotFoundException, DirectoryNotFoundException,
 * UnauthorizedAccessException, PathTooLongException, IOException with .NET's texts, the sharing
 * violation included; NativeErrorCode carries the code. */
void sp_os_throw_io_error(int32_t code, const char *path);

/* The text the OS gives for an error code (strerror / FormatMessage), into buf. */
void sp_os_error_text(int32_t code, char *buf, size_t size);

/* Opens or creates a file with .NET's FileMode/FileAccess/FileShare/FileOptions meaning; the
 * share mode is enforced where the OS can (mandatory on Windows, advisory flock on POSIX, as
 * .NET does). Arguments have already been validated. */
int32_t sp_os_file_open(const char *path, FileMode mode, FileAccess access, FileShare share,
                        FileOptions options, sp_os_file *file);
/* Reads up to count bytes; *done = 0 at end of file. Retries interrupted calls. */
int32_t sp_os_file_read(sp_os_file file, void *buffer, int32_t count, int32_t *done);
/* Writes all count bytes, looping over partial writes. */
int32_t sp_os_file_write(sp_os_file file, const void *buffer, int32_t count);
/* Moves the OS file position; origin is a SeekOrigin. */
int32_t sp_os_file_seek(sp_os_file file, int64_t offset, SeekOrigin origin, int64_t *position);
int32_t sp_os_file_get_length(sp_os_file file, int64_t *length);
int32_t sp_os_file_set_length(sp_os_file file, int64_t length);
/* Asks the OS to write its caches of the file to the device. */
int32_t sp_os_file_sync(sp_os_file file);
/* True for a file that can seek (a regular file or a block device, not a pipe or a tty). */
bool sp_os_file_can_seek(sp_os_file file);
void sp_os_file_close(sp_os_file file);

/* Path helpers. */
bool sp_os_path_exists_as_file(const char *path);
int32_t sp_os_path_delete_file(const char *path); /* a missing file is not an error */
/* The absolute form of path (malloc'd), as Path.GetFullPath; NULL only when out of memory. */
char *sp_os_path_full(const char *path);

/* Environment.NewLine: "\n" or "\r\n". */
const char *sp_os_newline(void);

#endif
