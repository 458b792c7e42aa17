/* Files on Windows, with .NET's Windows behaviour (FileStream). */
#include "platform/platform.h"

#include <stdio.h>
#include <winsock2.h> /* before windows.h, for sys_win32.h's Winsock rows */
#include <windows.h>

#include "sys_win32.h"
#include "util_win32.h"

int32_t sp_os_file_open(const char *path, FileMode mode, FileAccess access, FileShare share, FileOptions options,
                        sp_os_file *file)
{
    wchar_t *wpath = sp_win32_widen(path);
    if (!wpath)
        return ERROR_NOT_ENOUGH_MEMORY;
    DWORD desired = 0;
    if (access & FileAccess_Read)
        desired |= GENERIC_READ;
    if (access & FileAccess_Write)
        desired |= GENERIC_WRITE;
    DWORD disposition;
    switch (mode) {
    case FileMode_CreateNew: disposition = CREATE_NEW; break;
    case FileMode_Create: disposition = CREATE_ALWAYS; break;
    case FileMode_OpenOrCreate:
    case FileMode_Append: disposition = OPEN_ALWAYS; break;
    case FileMode_Truncate: disposition = TRUNCATE_EXISTING; break;
    default: disposition = OPEN_EXISTING; break;
    }
    DWORD share_mode = (DWORD)share & (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE);
    DWORD flags = FILE_ATTRIBUTE_NORMAL;
    if (options & FileOptions_WriteThrough)
        flags |= FILE_FLAG_WRITE_THROUGH;
    if (options & FileOptions_DeleteOnClose)
        flags |= FILE_FLAG_DELETE_ON_CLOSE;
    if (options & FileOptions_SequentialScan)
        flags |= FILE_FLAG_SEQUENTIAL_SCAN;
    if (options & FileOptions_RandomAccess)
        flags |= FILE_FLAG_RANDOM_ACCESS;
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, (share & FileShare_Inheritable) ? TRUE : FALSE};
    HANDLE h = SP_SYS(CreateFileW)(wpath, desired, share_mode, &sa, disposition, flags, NULL);
    DWORD err = GetLastError();
    free(wpath);
    if (h == INVALID_HANDLE_VALUE)
        return (int32_t)(err ? err : ERROR_GEN_FAILURE);
    if (SP_SYS(GetFileType)(h) == FILE_TYPE_UNKNOWN && GetLastError() != NO_ERROR) {
        SP_SYS(CloseHandle)(h);
        return ERROR_ACCESS_DENIED;
    }
    *file = (sp_os_file)h;
    return 0;
}

int32_t sp_os_file_read(sp_os_file file, void *buffer, int32_t count, int32_t *done)
{
    DWORD n = 0;
    if (!SP_SYS(ReadFile)((HANDLE)file, buffer, (DWORD)count, &n, NULL)) {
        DWORD err = GetLastError();
        if (err == ERROR_BROKEN_PIPE || err == ERROR_HANDLE_EOF) {
            *done = 0;
            return 0;
        }
        return (int32_t)err;
    }
    *done = (int32_t)n;
    return 0;
}

int32_t sp_os_file_write(sp_os_file file, const void *buffer, int32_t count)
{
    const char *p = buffer;
    while (count > 0) {
        DWORD n = 0;
        if (!SP_SYS(WriteFile)((HANDLE)file, p, (DWORD)count, &n, NULL))
            return (int32_t)GetLastError();
        p += n;
        count -= (int32_t)n;
    }
    return 0;
}

int32_t sp_os_file_seek(sp_os_file file, int64_t offset, SeekOrigin origin, int64_t *position)
{
    LARGE_INTEGER distance, result;
    distance.QuadPart = offset;
    DWORD method = origin == SeekOrigin_Begin ? FILE_BEGIN : origin == SeekOrigin_Current ? FILE_CURRENT : FILE_END;
    if (!SP_SYS(SetFilePointerEx)((HANDLE)file, distance, &result, method))
        return (int32_t)GetLastError();
    if (position)
        *position = result.QuadPart;
    return 0;
}

int32_t sp_os_file_get_length(sp_os_file file, int64_t *length)
{
    LARGE_INTEGER size;
    if (!SP_SYS(GetFileSizeEx)((HANDLE)file, &size))
        return (int32_t)GetLastError();
    *length = size.QuadPart;
    return 0;
}

int32_t sp_os_file_set_length(sp_os_file file, int64_t length)
{
    FILE_END_OF_FILE_INFO info;
    info.EndOfFile.QuadPart = length;
    if (!SP_SYS(SetFileInformationByHandle)((HANDLE)file, FileEndOfFileInfo, &info, sizeof info))
        return (int32_t)GetLastError();
    return 0;
}

int32_t sp_os_file_sync(sp_os_file file)
{
    return SP_SYS(FlushFileBuffers)((HANDLE)file) ? 0 : (int32_t)GetLastError();
}

bool sp_os_file_can_seek(sp_os_file file) { return SP_SYS(GetFileType)((HANDLE)file) == FILE_TYPE_DISK; }

bool sp_os_file_is_device(sp_os_file file)
{
    (void)file;
    return false; /* .NET on Windows makes its file-size checks for every file */
}

void sp_os_file_close(sp_os_file file) { SP_SYS(CloseHandle)((HANDLE)file); }

bool sp_os_path_exists_as_file(const char *path)
{
    wchar_t *w = sp_win32_widen(path);
    if (!w)
        return false;
    DWORD attrs = SP_SYS(GetFileAttributesW)(w);
    free(w);
    return attrs != INVALID_FILE_ATTRIBUTES && !(attrs & FILE_ATTRIBUTE_DIRECTORY);
}

int32_t sp_os_path_delete_file(const char *path)
{
    wchar_t *w = sp_win32_widen(path);
    if (!w)
        return ERROR_NOT_ENOUGH_MEMORY;
    BOOL ok = SP_SYS(DeleteFileW)(w);
    DWORD err = GetLastError();
    free(w);
    if (ok || err == ERROR_FILE_NOT_FOUND) /* ERROR_PATH_NOT_FOUND: the directory is missing */
        return 0;
    return (int32_t)err;
}

char *sp_os_path_full(const char *path)
{
    wchar_t *w = sp_win32_widen(path);
    if (!w)
        return NULL;
    wchar_t full[MAX_PATH * 4];
    DWORD n = SP_SYS(GetFullPathNameW)(w, MAX_PATH * 4, full, NULL);
    free(w);
    if (n == 0 || n >= MAX_PATH * 4)
        return _strdup(path);
    return sp_win32_narrow(full);
}

const char *sp_os_newline(void) { return "\r\n"; }
