/*
 * The seam between portable sharpipc and the operating system. Portable code (src/core/ and the
 * src/System folders) calls only what is declared here for anything the OS does;
 * src/platform/posix/ and src/platform/win32/ each implement every function, file for file, and
 * nothing else in the tree looks at _WIN32.
 *
 * The contract:
 * - Every sp_os_* function that can fail returns 0 or the OS error code (errno on POSIX,
 *   GetLastError() on Windows), with its results in out-parameters. A function that cannot fail
 *   returns its result (sp_os_now_ms); a yes/no question answers bool (sp_os_file_can_seek).
 * - The OS files raise no exception and carry no .NET policy: no exception type, no .NET text.
 *   Portable code asks platform_error.h what a code means (sp_os_error_classify) and raises .NET's
 *   exception for it (src/core/ioerror.c for the I/O errors every class shares; the class's own
 *   file where .NET says something of its own).
 * - Where .NET's rule depends on what only the OS knows (a file's size, the address space, the
 *   rights of a map), the seam reports the fact (an out-parameter, a limit, or a sharpipc
 *   classification such as sp_view_verdict) and portable code applies the rule.
 * - The seam retries EINTR itself; short reads are the caller's to see, short writes are not
 *   (sp_os_file_write and the pipe writes write everything or fail).
 */
#ifndef SHARPIPC_PLATFORM_H
#define SHARPIPC_PLATFORM_H

#include "core/internal.h"

/* An open file: a POSIX descriptor or a Windows HANDLE, widened. */
typedef intptr_t sp_os_file;
#define SP_OS_FILE_INVALID ((sp_os_file)-1)

/* What an error code means, and its text: platform_error.h. */
#include "platform_error.h"

/* Opens or creates a file with .NET's FileMode/FileAccess/FileShare/FileOptions meaning; the
 * share mode is enforced where the OS can (mandatory on Windows, advisory flock on POSIX, as
 * .NET does). Arguments have already been validated. */
int32_t sp_os_file_open(const char *path, FileMode mode, FileAccess access, FileShare share, FileOptions options,
                        sp_os_file *file);
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
/* True for a file whose size says nothing of what it maps: a device. POSIX: a character (or block)
 * device, whose length is 0 (/dev/zero, /dev/mem), and which this OS's .NET maps without its
 * file-size checks (MemoryMappedFile.Unix.cs). Windows: never (.NET checks every file there). */
bool sp_os_file_is_device(sp_os_file file);
void sp_os_file_close(sp_os_file file);

/* Path helpers. */
bool sp_os_path_exists_as_file(const char *path);
/* A missing file is not an error; a missing directory is (DirectoryNotFoundException). */
int32_t sp_os_path_delete_file(const char *path);
/* The absolute, normalised form of path (malloc'd), as Path.GetFullPath: "." and ".." and
 * doubled separators resolved. NULL only when out of memory. */
char *sp_os_path_full(const char *path);

/* Environment.NewLine: "\n" or "\r\n". */
const char *sp_os_newline(void);

/* ---------------------------------------------------------------- time and waking */

/* Milliseconds from a monotonic clock. */
int64_t sp_os_now_ms(void);

/* Lets one thread abandon another's wait: Dispose signals it while WaitForConnection or a
 * Connect retry loop sleeps on it. Once signalled it stays signalled. */
typedef struct sp_os_waker sp_os_waker;
/* A new waker in *waker; 0 or an OS error code. */
int32_t sp_os_waker_new(sp_os_waker **waker);
void sp_os_waker_signal(sp_os_waker *waker);
/* Sleeps up to `milliseconds` (-1: without limit); true when woken by a signal. */
bool sp_os_waker_sleep(sp_os_waker *waker, int32_t milliseconds);
void sp_os_waker_free(sp_os_waker *waker);

/* ---------------------------------------------------------------- pipes */

/* The contract of this part: every function that can fail returns 0 or the OS error code (errno,
 * GetLastError()), results go to out-parameters, and nothing here raises or carries a .NET text:
 * src/System.IO.Pipes turns codes into .NET's exceptions, asking sp_os_pipe_error_kind what a
 * code means and the functions below what this OS's pipes are. */

#include <sharpipc/System.IO.Pipes.h>

/* A connected pipe end: a socket or pipe descriptor, or a Windows pipe HANDLE, widened. */
typedef intptr_t sp_os_pipe;
#define SP_OS_PIPE_INVALID ((sp_os_pipe)-1)

/* What the constructors were given, validated. */
typedef struct sp_pipe_config {
    PipeDirection direction;
    PipeTransmissionMode transmission_mode;
    PipeOptions options;
    int32_t max_instances; /* -1 for MaxAllowedServerInstances */
    int32_t in_buffer_size;
    int32_t out_buffer_size;
    SpTokenImpersonationLevel impersonation;
    HandleInheritability inheritability;
} sp_pipe_config;

/* What a code from a pipe call means, in the one vocabulary of platform_error.h: a pipe call gives
 * some codes a meaning of its own (EAGAIN from connect is a full backlog, ECONNREFUSED a name with
 * no server: both retried by Connect), so pipes classify their codes here, as .NET's PipeStream
 * does for its calls: SP_ERR_BUSY (all instances busy, a live server holds the name: EADDRINUSE,
 * EAGAIN; ERROR_PIPE_BUSY, ERROR_SEM_TIMEOUT), SP_ERR_BROKEN (the peer has gone: EPIPE;
 * ERROR_BROKEN_PIPE, ERROR_PIPE_NOT_CONNECTED, ERROR_NO_DATA), SP_ERR_NOT_FOUND (ENOENT,
 * ECONNREFUSED, EADDRNOTAVAIL; ERROR_FILE_NOT_FOUND), SP_ERR_PATH_NOT_FOUND, SP_ERR_ACCESS_DENIED,
 * SP_ERR_TOO_LONG, SP_ERR_CANCELLED (a waker ended the call), SP_ERR_NOT_SUPPORTED,
 * SP_ERR_ALREADY_EXISTS, SP_ERR_NO_MEMORY, and SP_ERR_OTHER for the rest (an IOException with the
 * OS's text). */
sp_os_error_kind sp_os_pipe_error_kind(int32_t code);

/* True where named pipes are Unix domain sockets (.NET's PipeStream.Unix.cs: errors of naming and
 * connecting surface as SocketException, I/O errors as IOException with the OS's text); false for
 * Windows named pipes (PipeStream.Windows.cs: Win32 errors). */
bool sp_os_pipe_is_socket(void);

/* Names. Portable code applies .NET's rules with these facts; nothing here checks a name. */
/* Whether pipes on other machines can be reached (Windows). */
bool sp_os_pipe_remote_supported(void);
/* Whether serverName is this machine ("." or its host name). */
bool sp_os_pipe_server_is_local(const char *serverName);
/* Whether a pipe name is a file name or an absolute path to a file (POSIX). */
bool sp_os_pipe_names_are_paths(void);
/* Builds the OS path of pipeName on serverName into buf (snprintf-like: returns the length it
 * needs, without the NUL; size 0 only measures). Only builds: no checks. */
size_t sp_os_pipe_full_path(const char *serverName, const char *pipeName, char *buf, size_t size);
/* The size of the OS's buffer for a path, its NUL included (sizeof sun_path), or 0 where no limit
 * applies. */
size_t sp_os_pipe_max_path_length(void);

/* Whether message mode exists here (Windows) or is PlatformNotSupportedException (POSIX). */
bool sp_os_pipe_supports_message_mode(void);

/* One server instance of a named pipe. */
typedef struct sp_os_pipe_server sp_os_pipe_server;
/* Creates an instance that clients can connect to as soon as this returns, with this OS's
 * instance rules: a busy code when the name's instances are all taken (in this process on POSIX)
 * or a live server holds it, an access-denied code (EPERM on POSIX) when a later instance asks
 * for a maximum the name has reached, EEXIST for a file that is not a pipe. */
int32_t sp_os_pipe_server_new(const char *path, const sp_pipe_config *config, sp_os_pipe_server **server);
/* The instance's own pipe handle where the OS has one before a client comes and between clients
 * (Windows), else SP_OS_PIPE_INVALID. Given back with sp_os_pipe_server_release_connection. */
sp_os_pipe sp_os_pipe_server_handle(const sp_os_pipe_server *server);
/* Waits for the next client and sets it up (direction, buffers, inheritance): *conn. The
 * cancelled code when `waker` was signalled. Given back with sp_os_pipe_server_release_connection. */
int32_t sp_os_pipe_server_accept(sp_os_pipe_server *server, sp_os_waker *waker, sp_os_pipe *conn);
/* Whether a server checks each client's user itself for CurrentUserOnly (POSIX); false where the
 * pipe's ACL admits only this user (Windows). */
bool sp_os_pipe_server_checks_peer_user(void);
/* Whether WaitForConnection on a server that is connected asks the OS (Windows, as .NET there:
 * ConnectNamedPipe answers ERROR_PIPE_CONNECTED while the client is there, which
 * sp_os_pipe_server_accept returns as success, and ERROR_NO_DATA once it has gone), rather than
 * refusing at once (POSIX, as .NET on Unix). */
bool sp_os_pipe_server_accept_checks_connected(void);
/* Whether conn's peer (a server: its client; a client: the pipe's owner) runs as this process's
 * user: *same, with both user ids where they are numbers (POSIX uids; 0 on Windows). */
int32_t sp_os_pipe_peer_is_current_user(sp_os_pipe conn, bool *same, uint32_t *peer_id, uint32_t *own_id);
/* Ends the instance's current connection for the peer (Disconnect: Windows disconnects the
 * instance, so later I/O on it fails at once; POSIX does nothing here, the connection ends when
 * it is interrupted and released). */
int32_t sp_os_pipe_server_disconnect(sp_os_pipe_server *server);
/* Gives back a connection from accept, or the instance's own handle: closes it on POSIX; nothing
 * on Windows, where it is the instance's handle, closed by sp_os_pipe_server_free. */
void sp_os_pipe_server_release_connection(sp_os_pipe_server *server, sp_os_pipe conn);
/* Gives up the instance (after every connection was given back); the last instance of a name
 * removes the name. */
void sp_os_pipe_server_free(sp_os_pipe_server *server);

/* One attempt to connect to path (set up for config's direction and inheritance): *conn. A
 * not-found or busy code means the server is not there or busy and the caller may retry (wait_ms
 * is how long this attempt may wait for a busy server). */
int32_t sp_os_pipe_client_try_connect(const char *path, const sp_pipe_config *config, int32_t wait_ms,
                                      sp_os_pipe *conn);

/* Reads up to count bytes: *done = 0 when the peer has gone. *message_complete reports whether
 * a message-mode read ended its message. The cancelled code once `waker` is signalled, where
 * sp_os_pipe_interrupt alone cannot wake the call (POSIX plain pipes, Windows). */
int32_t sp_os_pipe_read(sp_os_pipe conn, sp_os_waker *waker, void *buffer, int32_t count, int32_t *done,
                        bool *message_complete);
/* Writes all count bytes (no SIGPIPE ever); `waker` as for sp_os_pipe_read. */
int32_t sp_os_pipe_write(sp_os_pipe conn, sp_os_waker *waker, const void *buffer, int32_t count);
/* Wakes any thread blocked on conn, for good: reads then return 0 (or fail), writes fail (POSIX
 * sockets: shutdown; Windows: CancelIoEx of what is pending; POSIX plain pipes: nothing, their
 * calls wait on the waker too). conn stays valid until closed. */
void sp_os_pipe_interrupt(sp_os_pipe conn);
void sp_os_pipe_close(sp_os_pipe conn);
/* The OS buffer size in one direction (in = receive). */
int32_t sp_os_pipe_buffer_size(sp_os_pipe conn, bool in, int32_t *size);
/* Windows: sets PIPE_READMODE_*; POSIX never reaches it. */
int32_t sp_os_pipe_set_read_mode(sp_os_pipe conn, PipeTransmissionMode mode);
/* WaitForPipeDrain; the not-supported code where the OS cannot. */
int32_t sp_os_pipe_drain(sp_os_pipe conn);
/* The peer's user name (malloc'd) in *name. */
int32_t sp_os_pipe_peer_user_name(sp_os_pipe conn, char **name);
/* Runs worker as the peer's user. */
int32_t sp_os_pipe_run_as_client(sp_os_pipe conn, void (*worker)(void *), void *state);
/* The number of server instances of the pipe conn is connected to; not-supported where unknown. */
int32_t sp_os_pipe_instance_count(sp_os_pipe conn, int32_t *count);

/* Creates an anonymous pipe. The server end reads when server_direction is In; the client end
 * is inheritable when asked, the server end never. */
int32_t sp_os_anonymous_pipe_new(PipeDirection server_direction, HandleInheritability inheritability,
                                 int32_t buffer_size, sp_os_pipe *server_end, sp_os_pipe *client_end);
/* The number a child gets on its command line for a pipe end, and back: the invalid-parameter
 * code (sp_os_error_invalid_parameter) for a number that cannot be a handle here, another code
 * for one that is not an open pipe. */
int64_t sp_os_pipe_to_number(sp_os_pipe end);
int32_t sp_os_pipe_from_number(int64_t value, sp_os_pipe *end);

/* ---------------------------------------------------------------- memory-mapped files */

#include <sharpipc/System.IO.MemoryMappedFiles.h>

/* The OS object behind a MemoryMappedFile: a descriptor (POSIX) or a file-mapping HANDLE
 * (Windows), widened. SP_OS_MAP_NONE: no backing object (POSIX read-only anonymous maps, whose
 * views are fresh zero pages, as .NET makes them). */
typedef intptr_t sp_os_map;
#define SP_OS_MAP_NONE ((sp_os_map)-1)

typedef enum sp_map_how { SP_MAP_CREATE_NEW, SP_MAP_CREATE_OR_OPEN, SP_MAP_OPEN } sp_map_how;

/* 0 when `name` can name a map here, else an OS code (POSIX: a name must be a file name of
 * /dev/shm, not empty and without '/', after an optional "Local\\" or "Global\\"; a code that
 * sp_os_error_classify calls SP_ERR_ACCESS_DENIED: the name begins with the prefix that the
 * synchronization objects use there, "sharpipc.sync."). */
int32_t sp_os_map_check_name(const char *name);

/* Creates or opens a map that no user file backs: named (a kernel object on Windows, a POSIX
 * shared-memory object elsewhere, with the lifetime of a kernel object) or anonymous (name NULL).
 * *capacity is in for a creation and out for an opened map. `rights` matter for SP_MAP_OPEN.
 * The name has passed sp_os_map_check_name. Returns an OS code: SP_ERR_ALREADY_EXISTS for
 * SP_MAP_CREATE_NEW of a live name, SP_ERR_NOT_FOUND for SP_MAP_OPEN of a missing one. */
int32_t sp_os_map_create(const char *name, int64_t *capacity, MemoryMappedFileAccess access,
                         MemoryMappedFileRights rights, MemoryMappedFileOptions options,
                         HandleInheritability inheritability, sp_map_how how, sp_os_map *map);
/* A map over an open file of capacity bytes; where this OS's .NET grows a shorter file itself
 * (POSIX: ftruncate), this does (SP_ERR_FILE_TOO_LARGE, SP_ERR_NO_SPACE when it cannot). A name
 * where the OS cannot name a file-backed map is SP_ERR_NOT_SUPPORTED. Returns an OS code. */
int32_t sp_os_map_from_file(sp_os_file file, const char *name, int64_t capacity, MemoryMappedFileAccess access,
                            HandleInheritability inheritability, sp_os_map *map);
/* Releases the map object (views stay valid); name is what it was created or opened with. */
void sp_os_map_close(sp_os_map map, const char *name);

/* A mapped view: what the OS mapped and where the caller's byte 0 is. */
typedef struct sp_view {
    uint8_t *base;          /* the start of the OS mapping */
    int64_t mapped_length;  /* what to unmap and flush */
    int64_t pointer_offset; /* the caller's byte 0 is base + pointer_offset */
    int64_t size;           /* the view's Capacity */
} sp_view;

/* What this OS finds wrong with a view before mapping it, each a fact portable code turns into
 * .NET's exception for this OS (MemoryMappedView.Unix.cs and .Windows.cs check different things). */
typedef enum sp_view_verdict {
    SP_VIEW_OK = 0,
    SP_VIEW_OFFSET_PAST_END,    /* offset > the map's capacity */
    SP_VIEW_PAST_ADDRESS_SPACE, /* the size exceeds the process's logical address space (POSIX) */
    SP_VIEW_NOT_ENOUGH_MEMORY,  /* the rounded size exceeds the virtual memory there is (Windows) */
    SP_VIEW_PAST_MAP_END,       /* the view would end past the map's capacity (POSIX's own check) */
    SP_VIEW_ACCESS_DENIED,      /* the OS refuses such a view: past the map's end (Windows) */
    SP_VIEW_ACCESS_EXCEEDS_MAP  /* the view wants rights the map does not have (POSIX's own check) */
} sp_view_verdict;

/* Checks a view of a map (offset >= 0, *size >= 0: 0 means to the end) as this OS's .NET does,
 * in its order, and resolves *size where the OS does not (POSIX: 0 becomes the rest of the map). */
sp_view_verdict sp_os_map_view_check(int64_t map_capacity, MemoryMappedFileAccess map_access, int64_t offset,
                                     int64_t *size, MemoryMappedFileAccess view_access);
/* Maps a view that passed sp_os_map_view_check, with this OS's rounding. Returns an OS code. */
int32_t sp_os_map_view(sp_os_map map, MemoryMappedFileAccess map_access, int64_t offset, int64_t size,
                       MemoryMappedFileAccess view_access, HandleInheritability inheritability, sp_view *view);
void sp_os_unmap_view(sp_view *view);
/* Writes the view's pages back to the backing object (msync, FlushViewOfFile). OS error code. */
int32_t sp_os_flush_view(sp_view *view);
/* The map as text for a child's command line (malloc'd; NULL when out of memory), and back
 * (sharpipc's handle-inheritance path): sp_os_error_invalid_parameter()'s code for text that is
 * no handle, another OS code for a handle that is no map. *size is the object's size in bytes
 * where the OS tells it (POSIX: the shared-memory object's or file's length, which a view must
 * not pass: its pages beyond are SIGBUS), -1 where it does not (Windows, whose MapViewOfFile
 * itself refuses a view past the section). */
char *sp_os_map_to_string(sp_os_map map);
int32_t sp_os_map_from_string(const char *text, sp_os_map *map, int64_t *size);

/* Named synchronization (Mutex, Semaphore, EventWaitHandle) has its own part of the seam. */
#include "platform_sync.h"

#endif
