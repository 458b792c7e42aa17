/*
 * The Win32 calls of the file, map and pipe seam files, the twin of posix/sys_posix.h: the seam writes
 * SP_SYS(WriteFile)(...). Built with SHARPIPC_FAULT_INJECTION, SP_SYS(f) is sp_sys.f, a wrapper
 * that lets a test fail the call (SetLastError + the call's failure value), shorten it, or hand
 * it to a function of its own (platform/platform_fault.h); without it SP_SYS(f) is f.
 *
 * Winsock's calls report their error through WSAGetLastError(), which is the thread's last error
 * (GetLastError) on Windows and wine alike, so a wrapper's SetLastError fails them as the OS would.
 *
 * To add a call: a line in SP_WIN32_SYSCALLS (X, or XIO for a call whose DWORD `count` a short
 * rule may lower), and SP_SYS(name)(...) at the call sites.
 */
#ifndef SHARPIPC_SYS_WIN32_H
#define SHARPIPC_SYS_WIN32_H

/* winsock2.h before windows.h, which would bring in the old winsock.h */
#include <winsock2.h>
#include <windows.h>
/* TransmitFile's row (mswsock.dll) */
#include <mswsock.h>

/* pipes (pipe_win32.c): creating, connecting and waiting for named pipes, the overlapped
 * results of their I/O, anonymous pipes. (CreateFileW, ReadFile and WriteFile are rows above.) */
#define SP_WIN32_SYSCALLS_PIPES(X, XIO)                                                                                \
  X(HANDLE, CreateNamedPipeW,                                                                                          \
    (LPCWSTR name, DWORD open_mode, DWORD pipe_mode, DWORD instances, DWORD out_size, DWORD in_size, DWORD timeout,    \
     LPSECURITY_ATTRIBUTES sa),                                                                                        \
    (name, open_mode, pipe_mode, instances, out_size, in_size, timeout, sa), INVALID_HANDLE_VALUE)                     \
  X(BOOL, ConnectNamedPipe, (HANDLE h, LPOVERLAPPED overlapped), (h, overlapped), FALSE)                               \
  X(BOOL, GetOverlappedResult, (HANDLE h, LPOVERLAPPED overlapped, LPDWORD done, BOOL wait),                           \
    (h, overlapped, done, wait), FALSE)                                                                                \
  X(BOOL, WaitNamedPipeW, (LPCWSTR name, DWORD timeout), (name, timeout), FALSE)                                       \
  X(BOOL, CreatePipe, (PHANDLE read_end, PHANDLE write_end, LPSECURITY_ATTRIBUTES sa, DWORD size),                     \
    (read_end, write_end, sa, size), FALSE)

/* sockets (socket_win32.c): Winsock 2; send and recv (and their -to/-from forms) take a short
 * rule. TransmitFile is mswsock.dll's export, the one .NET's Socket.SendFile calls on Windows;
 * WaitForMultipleObjects is where SendFile waits for it beside the waker. */
#define SP_WIN32_SYSCALLS_SOCKETS(X, XIO)                                                                              \
  X(SOCKET, WSASocketW, (int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP group, DWORD flags),          \
    (af, type, protocol, info, group, flags), INVALID_SOCKET)                                                          \
  X(SOCKET, socket, (int af, int type, int protocol), (af, type, protocol), INVALID_SOCKET)                            \
  X(int, closesocket, (SOCKET s), (s), SOCKET_ERROR)                                                                   \
  X(int, bind, (SOCKET s, const struct sockaddr *addr, int len), (s, addr, len), SOCKET_ERROR)                         \
  X(int, listen, (SOCKET s, int backlog), (s, backlog), SOCKET_ERROR)                                                  \
  X(SOCKET, accept, (SOCKET s, struct sockaddr * addr, int *len), (s, addr, len), INVALID_SOCKET)                      \
  X(int, connect, (SOCKET s, const struct sockaddr *addr, int len), (s, addr, len), SOCKET_ERROR)                      \
  XIO(int, send, (SOCKET s, const char *buffer, int count, int flags), (s, buffer, count, flags), SOCKET_ERROR)        \
  XIO(int, sendto, (SOCKET s, const char *buffer, int count, int flags, const struct sockaddr *to, int len),           \
      (s, buffer, count, flags, to, len), SOCKET_ERROR)                                                                \
  XIO(int, recv, (SOCKET s, char *buffer, int count, int flags), (s, buffer, count, flags), SOCKET_ERROR)              \
  XIO(int, recvfrom, (SOCKET s, char *buffer, int count, int flags, struct sockaddr *from, int *len),                  \
      (s, buffer, count, flags, from, len), SOCKET_ERROR)                                                              \
  X(int, shutdown, (SOCKET s, int how), (s, how), SOCKET_ERROR)                                                        \
  X(int, WSAPoll, (LPWSAPOLLFD fds, ULONG n, INT timeout), (fds, n, timeout), SOCKET_ERROR)                            \
  X(int, getsockopt, (SOCKET s, int level, int name, char *value, int *len), (s, level, name, value, len),             \
    SOCKET_ERROR)                                                                                                      \
  X(int, setsockopt, (SOCKET s, int level, int name, const char *value, int len), (s, level, name, value, len),        \
    SOCKET_ERROR)                                                                                                      \
  X(int, getsockname, (SOCKET s, struct sockaddr * addr, int *len), (s, addr, len), SOCKET_ERROR)                      \
  X(int, getpeername, (SOCKET s, struct sockaddr * addr, int *len), (s, addr, len), SOCKET_ERROR)                      \
  X(int, ioctlsocket, (SOCKET s, long cmd, u_long *arg), (s, cmd, arg), SOCKET_ERROR)                                  \
  X(BOOL, TransmitFile,                                                                                                \
    (SOCKET s, HANDLE file, DWORD count, DWORD per_send, LPOVERLAPPED overlapped, LPTRANSMIT_FILE_BUFFERS buffers,     \
     DWORD flags),                                                                                                     \
    (s, file, count, per_send, overlapped, buffers, flags), FALSE)                                                     \
  X(BOOL, WSAGetOverlappedResult, (SOCKET s, LPWSAOVERLAPPED overlapped, LPDWORD done, BOOL wait, LPDWORD flags),      \
    (s, overlapped, done, wait, flags), FALSE)                                                                         \
  X(DWORD, WaitForMultipleObjects, (DWORD count, const HANDLE *handles, BOOL all, DWORD timeout),                      \
    (count, handles, all, timeout), WAIT_FAILED)

/* X(return type, name, (parameters), (arguments), value on failure) */
#define SP_WIN32_SYSCALLS(X, XIO)                                                                                      \
  X(HANDLE, CreateFileW,                                                                                               \
    (LPCWSTR name, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa, DWORD disposition, DWORD flags,                \
     HANDLE template_file),                                                                                            \
    (name, access, share, sa, disposition, flags, template_file), INVALID_HANDLE_VALUE)                                \
  X(DWORD, GetFileType, (HANDLE h), (h), FILE_TYPE_UNKNOWN)                                                            \
  XIO(BOOL, ReadFile, (HANDLE h, LPVOID buffer, DWORD count, LPDWORD done, LPOVERLAPPED overlapped),                   \
      (h, buffer, count, done, overlapped), FALSE)                                                                     \
  XIO(BOOL, WriteFile, (HANDLE h, LPCVOID buffer, DWORD count, LPDWORD done, LPOVERLAPPED overlapped),                 \
      (h, buffer, count, done, overlapped), FALSE)                                                                     \
  X(BOOL, SetFilePointerEx, (HANDLE h, LARGE_INTEGER distance, PLARGE_INTEGER result, DWORD method),                   \
    (h, distance, result, method), FALSE)                                                                              \
  X(BOOL, GetFileSizeEx, (HANDLE h, PLARGE_INTEGER size), (h, size), FALSE)                                            \
  X(BOOL, SetFileInformationByHandle, (HANDLE h, FILE_INFO_BY_HANDLE_CLASS c, LPVOID info, DWORD size),                \
    (h, c, info, size), FALSE)                                                                                         \
  X(BOOL, FlushFileBuffers, (HANDLE h), (h), FALSE)                                                                    \
  X(BOOL, CloseHandle, (HANDLE h), (h), FALSE)                                                                         \
  X(DWORD, GetFileAttributesW, (LPCWSTR name), (name), INVALID_FILE_ATTRIBUTES)                                        \
  X(BOOL, DeleteFileW, (LPCWSTR name), (name), FALSE)                                                                  \
  X(DWORD, GetFullPathNameW, (LPCWSTR name, DWORD size, LPWSTR buffer, LPWSTR * file_part),                            \
    (name, size, buffer, file_part), 0)                                                                                \
  X(HANDLE, CreateFileMappingW,                                                                                        \
    (HANDLE file, LPSECURITY_ATTRIBUTES sa, DWORD protect, DWORD size_high, DWORD size_low, LPCWSTR name),             \
    (file, sa, protect, size_high, size_low, name), NULL)                                                              \
  X(HANDLE, OpenFileMappingW, (DWORD access, BOOL inherit, LPCWSTR name), (access, inherit, name), NULL)               \
  X(LPVOID, MapViewOfFile, (HANDLE map, DWORD access, DWORD offset_high, DWORD offset_low, SIZE_T size),               \
    (map, access, offset_high, offset_low, size), NULL)                                                                \
  X(BOOL, UnmapViewOfFile, (LPCVOID base), (base), FALSE)                                                              \
  X(SIZE_T, VirtualQuery, (LPCVOID address, PMEMORY_BASIC_INFORMATION info, SIZE_T size), (address, info, size), 0)    \
  X(LPVOID, VirtualAlloc, (LPVOID address, SIZE_T size, DWORD type, DWORD protect), (address, size, type, protect),    \
    NULL)                                                                                                              \
  X(BOOL, FlushViewOfFile, (LPCVOID base, SIZE_T size), (base, size), FALSE)                                           \
  X(HANDLE, CreateEventW, (LPSECURITY_ATTRIBUTES sa, BOOL manual, BOOL initial, LPCWSTR name),                         \
    (sa, manual, initial, name), NULL)                                                                                 \
  SP_WIN32_SYSCALLS_PIPES(X, XIO)                                                                                      \
  SP_WIN32_SYSCALLS_SOCKETS(X, XIO)

#ifdef SHARPIPC_FAULT_INJECTION

#  define SP_SYS_FIELD_(ret, name, params, args, fail) ret(WINAPI *name) params;
typedef struct sp_win32_syscalls {
    SP_WIN32_SYSCALLS(SP_SYS_FIELD_, SP_SYS_FIELD_)
} sp_win32_syscalls;
#  undef SP_SYS_FIELD_

extern const sp_win32_syscalls sp_sys;
#  define SP_SYS(name) (sp_sys.name)

#else

#  define SP_SYS(name) name

#endif

#endif
