#include "platform/platform.h"

#include <windows.h>

#include "util_win32.h"

wchar_t *sp_win32_widen(const char *utf8)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
    if (n <= 0)
        return NULL;
    wchar_t *w = malloc((size_t)n * sizeof *w);
    if (w)
        MultiByteToWideChar(CP_UTF8, 0, utf8, -1, w, n);
    return w;
}

char *sp_win32_narrow(const wchar_t *utf16)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, utf16, -1, NULL, 0, NULL, NULL);
    if (n <= 0)
        return NULL;
    char *s = malloc((size_t)n);
    if (s)
        WideCharToMultiByte(CP_UTF8, 0, utf16, -1, s, n, NULL, NULL);
    return s;
}
