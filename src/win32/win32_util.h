/* UTF-8 <-> UTF-16 for the W-suffixed Win32 calls. Both return malloc'd strings or NULL. */
#ifndef SHARPIPC_WIN32_UTIL_H
#define SHARPIPC_WIN32_UTIL_H

#include <wchar.h>

wchar_t *sp_win32_widen(const char *utf8);
char *sp_win32_narrow(const wchar_t *utf16);

#endif
