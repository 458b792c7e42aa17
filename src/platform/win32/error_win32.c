/* What a Win32 error code means (platform_error.h) and the OS's text for it. */
#include "platform/platform.h"

#include <stdio.h>
#include <windows.h>

#include "util_win32.h"

sp_os_error_kind sp_os_error_classify(int32_t code)
{
    switch ((DWORD)code) {
    case ERROR_SUCCESS: return SP_ERR_NONE;
    case ERROR_FILE_NOT_FOUND: return SP_ERR_NOT_FOUND;
    case ERROR_PATH_NOT_FOUND: return SP_ERR_PATH_NOT_FOUND;
    case ERROR_ALREADY_EXISTS:
    case ERROR_FILE_EXISTS: return SP_ERR_ALREADY_EXISTS;
    case ERROR_SHARING_VIOLATION: return SP_ERR_SHARING_VIOLATION;
    case ERROR_PIPE_BUSY: return SP_ERR_BUSY;
    case ERROR_BROKEN_PIPE:
    case ERROR_NO_DATA: return SP_ERR_BROKEN;
    case ERROR_ACCESS_DENIED: return SP_ERR_ACCESS_DENIED;
    case ERROR_FILENAME_EXCED_RANGE: return SP_ERR_TOO_LONG;
    case ERROR_OPERATION_ABORTED: return SP_ERR_CANCELLED;
    case ERROR_NOT_SUPPORTED: return SP_ERR_NOT_SUPPORTED;
    case ERROR_INVALID_PARAMETER: return SP_ERR_INVALID;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL: return SP_ERR_NO_SPACE;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY: return SP_ERR_NO_MEMORY;
    case ERROR_TOO_MANY_OPEN_FILES: return SP_ERR_TOO_MANY_FILES;
    default: return SP_ERR_OTHER;
    }
}

/* Windows tells a missing directory from a missing file by the code itself. */
sp_os_error_kind sp_os_error_classify_path(int32_t code, const char *path)
{
    (void)path;
    return sp_os_error_classify(code);
}

void sp_os_error_text(int32_t code, char *buf, size_t size)
{
    wchar_t wide[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)code,
                             MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), wide, 512, NULL);
    while (n > 0 && (wide[n - 1] == L'\r' || wide[n - 1] == L'\n' || wide[n - 1] == L' '))
        wide[--n] = 0;
    if (n == 0 || WideCharToMultiByte(CP_UTF8, 0, wide, -1, buf, (int)size, NULL, NULL) == 0)
        snprintf(buf, size, "Unknown error (0x%x)", (unsigned)code);
}

int32_t sp_os_error_hresult(int32_t code) { return (int32_t)HRESULT_FROM_WIN32((DWORD)code); }

int32_t sp_os_error_socket_error(int32_t code) { return code; } /* a WSA code is a SocketError */

int32_t sp_os_error_invalid_parameter(void) { return ERROR_INVALID_PARAMETER; }

static const sp_os_error_style win32_style = {
    .not_found_quotes_empty_path = true,
    .map_resource_errors_are_plain_io = false,
};

const sp_os_error_style *sp_os_error_style_get(void) { return &win32_style; }
