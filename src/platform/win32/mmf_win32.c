/* Memory-mapped files on Windows: .NET's MemoryMappedFile.Windows.cs and MemoryMappedView.Windows.cs.
 * Named maps are kernel objects, so .NET processes share them by name. */
#include "platform/platform.h"

#include <stdio.h>
#include <winsock2.h> /* before windows.h, for sys_win32.h's Winsock rows */
#include <windows.h>

#include "sys_win32.h"
#include "util_win32.h"

static DWORD page_protection(MemoryMappedFileAccess a)
{
    switch (a) {
    case MemoryMappedFileAccess_Read: return PAGE_READONLY;
    case MemoryMappedFileAccess_ReadWrite: return PAGE_READWRITE;
    case MemoryMappedFileAccess_CopyOnWrite: return PAGE_WRITECOPY;
    case MemoryMappedFileAccess_ReadExecute: return PAGE_EXECUTE_READ;
    case MemoryMappedFileAccess_ReadWriteExecute: return PAGE_EXECUTE_READWRITE;
    default: return PAGE_READWRITE;
    }
}

static DWORD view_rights(MemoryMappedFileAccess a)
{
    switch (a) {
    case MemoryMappedFileAccess_Read: return FILE_MAP_READ;
    case MemoryMappedFileAccess_Write: return FILE_MAP_WRITE;
    case MemoryMappedFileAccess_ReadWrite: return FILE_MAP_READ | FILE_MAP_WRITE;
    case MemoryMappedFileAccess_CopyOnWrite: return FILE_MAP_COPY;
    case MemoryMappedFileAccess_ReadExecute: return FILE_MAP_EXECUTE | FILE_MAP_READ;
    default: return FILE_MAP_EXECUTE | FILE_MAP_READ | FILE_MAP_WRITE;
    }
}

static HANDLE create_mapping(HANDLE file, const wchar_t *name, int64_t capacity, MemoryMappedFileAccess access,
                             MemoryMappedFileOptions options, HandleInheritability inheritability, DWORD *err)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, inheritability == HandleInheritability_Inheritable};
    DWORD protect = page_protection(access) | (options & MemoryMappedFileOptions_DelayAllocatePages ? SEC_RESERVE : 0);
    HANDLE h = SP_SYS(CreateFileMappingW)(file, &sa, protect, (DWORD)((uint64_t)capacity >> 32), (DWORD)capacity, name);
    *err = GetLastError();
    return h;
}

static HANDLE open_mapping(const wchar_t *name, MemoryMappedFileRights rights, HandleInheritability inheritability,
                           DWORD *err)
{
    HANDLE h =
        SP_SYS(OpenFileMappingW)((DWORD)rights & 0xF000F, inheritability == HandleInheritability_Inheritable, name);
    *err = GetLastError();
    return h;
}

int32_t sp_os_map_check_name(const char *name)
{
    (void)name; /* the kernel judges names */
    return 0;
}

int32_t sp_os_map_create(const char *name, int64_t *capacity, MemoryMappedFileAccess access,
                         MemoryMappedFileRights rights, MemoryMappedFileOptions options,
                         HandleInheritability inheritability, sp_map_how how, sp_os_map *map)
{
    wchar_t *wname = name ? sp_win32_widen(name) : NULL;
    if (name && !wname)
        return ERROR_NOT_ENOUGH_MEMORY;
    HANDLE h = NULL;
    DWORD err = 0;
    if (how == SP_MAP_OPEN) {
        h = open_mapping(wname, rights, inheritability, &err);
    } else if (how == SP_MAP_CREATE_NEW) {
        h = create_mapping(INVALID_HANDLE_VALUE, wname, *capacity, access, options, inheritability, &err);
        if (h && err == ERROR_ALREADY_EXISTS) {
            SP_SYS(CloseHandle)(h);
            h = NULL;
        }
    } else {
        /* .NET's CreateOrOpen loop: create (which opens an existing one), or open, retrying a
         * mapping that vanished in between. */
        int wait = 10;
        for (int tries = 0; tries < 14 && !h; tries++) {
            h = create_mapping(INVALID_HANDLE_VALUE, wname, *capacity, access, options, inheritability, &err);
            if (h)
                break;
            if (err != ERROR_ACCESS_DENIED)
                break;
            MemoryMappedFileRights r =
                access == MemoryMappedFileAccess_Read ? MemoryMappedFileRights_Read : MemoryMappedFileRights_ReadWrite;
            h = open_mapping(wname, r, inheritability, &err);
            if (h || err != ERROR_FILE_NOT_FOUND)
                break;
            Sleep((DWORD)wait);
            wait *= 2;
        }
    }
    free(wname);
    if (!h)
        return (int32_t)(err ? err : ERROR_ALREADY_EXISTS);
    if (how != SP_MAP_CREATE_NEW) { /* the real size of an opened map: its first view tells */
        void *p = SP_SYS(MapViewOfFile)(h, FILE_MAP_READ, 0, 0, 0);
        if (p) {
            MEMORY_BASIC_INFORMATION info;
            if (SP_SYS(VirtualQuery)(p, &info, sizeof info))
                *capacity = (int64_t)info.RegionSize;
            SP_SYS(UnmapViewOfFile)(p);
        }
    }
    *map = (sp_os_map)h;
    return 0;
}

int32_t sp_os_map_from_file(sp_os_file file, const char *name, int64_t capacity, MemoryMappedFileAccess access,
                            HandleInheritability inheritability, sp_os_map *map)
{
    wchar_t *wname = name ? sp_win32_widen(name) : NULL;
    DWORD err;
    HANDLE h =
        create_mapping((HANDLE)file, wname, capacity, access, MemoryMappedFileOptions_None, inheritability, &err);
    free(wname);
    if (h && name && err == ERROR_ALREADY_EXISTS) {
        SP_SYS(CloseHandle)(h);
        h = NULL;
    }
    if (!h)
        return (int32_t)err;
    *map = (sp_os_map)h;
    return 0;
}

void sp_os_map_close(sp_os_map map, const char *name)
{
    (void)name;
    if (map != SP_OS_MAP_NONE)
        SP_SYS(CloseHandle)((HANDLE)map);
}

static int64_t allocation_granularity(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return (int64_t)si.dwAllocationGranularity;
}

sp_view_verdict sp_os_map_view_check(int64_t map_capacity, MemoryMappedFileAccess map_access, int64_t offset,
                                     int64_t *size, MemoryMappedFileAccess view_access)
{
    (void)map_access;
    (void)view_access; /* MapViewOfFile judges the rights */
    int64_t extra = offset % allocation_granularity();
    int64_t native_size = *size == 0 ? 0 : *size + extra;
    MEMORYSTATUSEX memory = {.dwLength = sizeof memory};
    if (*size > INT64_MAX - extra || (GlobalMemoryStatusEx(&memory) && (uint64_t)native_size >= memory.ullTotalVirtual))
        return SP_VIEW_NOT_ENOUGH_MEMORY;
    if (*size != 0 && map_capacity > 0 && *size > map_capacity - offset)
        return SP_VIEW_ACCESS_DENIED;
    return SP_VIEW_OK;
}

int32_t sp_os_map_view(sp_os_map map, MemoryMappedFileAccess map_access, int64_t offset, int64_t size,
                       MemoryMappedFileAccess view_access, HandleInheritability inheritability, sp_view *view)
{
    (void)map_access;
    (void)inheritability;
    int64_t extra = offset % allocation_granularity();
    int64_t native_offset = offset - extra;
    int64_t native_size = size == 0 ? 0 : size + extra;
    void *p = SP_SYS(MapViewOfFile)((HANDLE)map, view_rights(view_access), (DWORD)((uint64_t)native_offset >> 32),
                                    (DWORD)native_offset, (SIZE_T)native_size);
    if (!p)
        return (int32_t)GetLastError();
    MEMORY_BASIC_INFORMATION info;
    if (!SP_SYS(VirtualQuery)(p, &info, sizeof info)) {
        DWORD err = GetLastError();
        SP_SYS(UnmapViewOfFile)(p);
        return (int32_t)err;
    }
    if (info.State == MEM_RESERVE) { /* DelayAllocatePages: commit before use, as .NET does */
        SIZE_T commit = size == 0 ? info.RegionSize : (SIZE_T)native_size;
        SP_SYS(VirtualAlloc)(p, commit, MEM_COMMIT, page_protection(view_access));
    }
    int64_t mapped = size == 0 ? (int64_t)info.RegionSize : native_size;
    /* size 0: the rest of the region, rounded up to whole pages (.NET's RoundedUpCapacity) */
    *view = (sp_view){p, mapped, extra, size == 0 ? (int64_t)info.RegionSize - extra : size};
    return 0;
}

void sp_os_unmap_view(sp_view *view)
{
    if (view->base)
        SP_SYS(UnmapViewOfFile)(view->base);
    view->base = NULL;
}

int32_t sp_os_flush_view(sp_view *view)
{
    if (!view->base)
        return 0;
    /* .NET retries a view that another process has locked for a moment. */
    for (int attempt = 0; attempt < 20; attempt++) {
        if (SP_SYS(FlushViewOfFile)(view->base, (SIZE_T)view->mapped_length))
            return 0;
        DWORD err = GetLastError();
        if (err != ERROR_LOCK_VIOLATION)
            return (int32_t)err;
        Sleep((DWORD)(1 << (attempt < 10 ? attempt : 10)));
    }
    return ERROR_LOCK_VIOLATION;
}

char *sp_os_map_to_string(sp_os_map map)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)map);
    return _strdup(text);
}

int32_t sp_os_map_from_string(const char *text, sp_os_map *map, int64_t *size)
{
    *size = -1; /* a section's size is not asked of Windows: MapViewOfFile refuses a view past it */
    char *stop;
    long long value = _strtoi64(text, &stop, 10);
    if (stop == text || *stop || value <= 0)
        return ERROR_INVALID_PARAMETER;
    *map = (sp_os_map)value;
    return 0;
}
