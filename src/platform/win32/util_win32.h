/* UTF-8 <-> UTF-16 for the W-suffixed Win32 calls. Both return malloc'd strings or NULL. */
#ifndef SHARPIPC_UTIL_WIN32_H
#define SHARPIPC_UTIL_WIN32_H

#include <stdbool.h>
#include <wchar.h>

wchar_t *sp_win32_widen(const char *utf8);
char *sp_win32_narrow(const wchar_t *utf16);

struct sp_os_waker;
/* The event HANDLE behind a waker, to wait on beside an I/O. */
void *sp_win32_waker_event(struct sp_os_waker *waker);
/* Whether the waker was signalled (NULL: no), without a system call. */
bool sp_win32_waker_signalled(struct sp_os_waker *waker);
/* An event for overlapped I/O on this thread (made once per thread). */
void *sp_win32_io_event(void);

#endif
