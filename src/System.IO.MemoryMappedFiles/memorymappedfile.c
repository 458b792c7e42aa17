/* MemoryMappedFile: .NET's argument rules over the maps of platform.h, and the views it makes
 * (the view classes are in memorymappedviewstream.c and memorymappedviewaccessor.c). */
#include "System.IO.MemoryMappedFiles/memorymappedfiles.h"

#include <stdio.h>

#define MSG_WRITE_ACCESS SP_SR_TEXT(Argument_NewMMFWriteAccessNotAllowed)
#define MSG_EMPTY_NAME SP_SR_TEXT(Argument_MapNameEmptyString)
#define MSG_BAD_NAME SP_SR_TEXT(Argument_MapNameInvalidChars)
#define MSG_MAP_EXISTS SP_SR_TEXT(IO_AlreadyExists_NoName)
#define MSG_MAP_NOT_FOUND SP_SR_TEXT(IO_FileNotFound)
#define MSG_NAMED_FILE_MAP SP_SR_TEXT(PlatformNotSupported_NamedMaps)
#define MSG_TOO_LARGE SP_SR_TEXT(ArgumentOutOfRange_CapacityLargerThanLogicalAddressSpaceNotAllowed)
#define MSG_NOT_ENOUGH_MEMORY SP_SR_TEXT(IO_NotEnoughMemory)
#define MSG_ACCESS_DENIED SP_SR_TEXT(UnauthorizedAccess_IODenied_NoPathName)
#define MSG_INVALID_HANDLE SP_SR_TEXT(Arg_InvalidHandle)
#define MSG_NOT_A_MAP SP_SR_TEXT(IO_NotAMemoryMappedFileHandle)
#define HRESULT_ALREADY_EXISTS ((int32_t)0x800700B7) /* HRESULT_FROM_WIN32(ERROR_ALREADY_EXISTS) */

struct MemoryMappedFile {
    Object base;
    sp_os_map map;
    char *name; /* NULL: anonymous or file-backed without a name */
    int64_t capacity;
    MemoryMappedFileAccess access;
    HandleInheritability inheritability;
    FileStream *file; /* CreateFromFile: the stream, closed with the map unless leaveOpen */
    bool leave_open;
    _Atomic(SafeHandle *) safe_handle; /* its SafeMemoryMappedFileHandle, made on first use */
};

static bool mmf_close(Object *o)
{
    MemoryMappedFile *m = (MemoryMappedFile *)o;
    sp_safe_handle_close_slot(&m->safe_handle);
    sp_os_map_close(m->map, m->name);
    m->map = SP_OS_MAP_NONE;
    bool ok = true;
    if (m->file && !m->leave_open)
        ok = sp_object_close((Object *)m->file);
    return ok;
}

static void mmf_destroy(Object *o)
{
    MemoryMappedFile *m = (MemoryMappedFile *)o;
    sp_safe_handle_drop(&m->safe_handle, o);
    free(m->name);
    if (m->file)
        sp_object_release((Object *)m->file);
}

const sp_type sp_type_MemoryMappedFile = {"System.IO.MemoryMappedFiles.MemoryMappedFile", &sp_type_Object, mmf_close,
                                          mmf_destroy};

/* ================================================================ errors */

/* What a map operation's OS code raises: the texts .NET on Windows gives (Win32Marshal without a
 * path), which the POSIX port gives too, so both ports say the same. */
static void throw_map_error(int32_t code)
{
    switch (sp_os_error_classify(code)) {
    case SP_ERR_ALREADY_EXISTS:
        sp_throw(ExceptionType_IOException, MSG_MAP_EXISTS, NULL);
        sp_exception_set_hresult(HRESULT_ALREADY_EXISTS);
        sp_exception_set_native_code(code);
        return;
    case SP_ERR_NOT_FOUND:
        sp_throw(ExceptionType_FileNotFoundException, MSG_MAP_NOT_FOUND, NULL);
        sp_exception_set_native_code(code);
        return;
    case SP_ERR_NO_MEMORY:
    case SP_ERR_NO_SPACE:
    case SP_ERR_INVALID:
    case SP_ERR_FILE_TOO_LARGE:
        if (sp_os_error_style_get()->map_resource_errors_are_plain_io) {
            char text[256];
            sp_os_error_text(code, text, sizeof text);
            sp_throw(ExceptionType_IOException, text, NULL);
            sp_exception_set_native_code(code);
            return;
        }
        break;
    default: break;
    }
    sp_throw_io_error(code, NULL);
}

/* CreateFromFile's errors: growing the file, or mapping it. */
static void throw_file_map_error(int32_t code, const char *name)
{
    switch (sp_os_error_classify(code)) {
    case SP_ERR_NOT_SUPPORTED:
        if (name) {
            sp_throw(ExceptionType_PlatformNotSupportedException, MSG_NAMED_FILE_MAP, NULL);
            return;
        }
        break;
    case SP_ERR_FILE_TOO_LARGE: { /* .NET's ArgumentOutOfRangeException("value"), rethrown as IOException */
        char param[64];
        snprintf(param, sizeof param, sp_sr(SR_Arg_ParamName_Name), "value");
        sp_throwf(ExceptionType_IOException, NULL, "%s %s", sp_sr(SR_ArgumentOutOfRange_FileLengthTooBig), param);
        return;
    }
    default: break;
    }
    throw_map_error(code);
}

/* What the OS found wrong with a view, as this OS's .NET raises it. */
static bool throw_view_verdict(sp_view_verdict verdict, int64_t offset, int64_t capacity)
{
    switch (verdict) {
    case SP_VIEW_OK: return false;
    case SP_VIEW_OFFSET_PAST_END: sp_throw_if_greater_than("offset", offset, capacity); break;
    case SP_VIEW_PAST_ADDRESS_SPACE: sp_throw(ExceptionType_IOException, MSG_TOO_LARGE, NULL); break;
    case SP_VIEW_NOT_ENOUGH_MEMORY: sp_throw(ExceptionType_IOException, MSG_NOT_ENOUGH_MEMORY, NULL); break;
    case SP_VIEW_PAST_MAP_END:
    case SP_VIEW_ACCESS_EXCEEDS_MAP: sp_throw(ExceptionType_UnauthorizedAccessException, NULL, NULL); break;
    case SP_VIEW_ACCESS_DENIED: sp_throw(ExceptionType_UnauthorizedAccessException, MSG_ACCESS_DENIED, NULL); break;
    }
    return true;
}

/* ================================================================ argument checks */

static bool check_access(MemoryMappedFileAccess a)
{
    if (a < MemoryMappedFileAccess_ReadWrite || a > MemoryMappedFileAccess_ReadWriteExecute) {
        sp_throw_out_of_range("access", NULL);
        return false;
    }
    return true;
}

static bool check_inheritability(HandleInheritability h)
{
    if (h < HandleInheritability_None || h > HandleInheritability_Inheritable) {
        sp_throw_out_of_range("inheritability", NULL);
        return false;
    }
    return true;
}

/* Write access is for views only: a new map refuses it. */
static bool refuse_write_access(MemoryMappedFileAccess a)
{
    if (a == MemoryMappedFileAccess_Write) {
        sp_throw(ExceptionType_ArgumentException, MSG_WRITE_ACCESS, "access");
        return false;
    }
    return true;
}

/* The checks both CreateFromFile forms begin with, in .NET's order. */
static bool check_file_map(const char *name, int64_t capacity, MemoryMappedFileAccess access)
{
    if (name && !*name) {
        sp_throw(ExceptionType_ArgumentException, MSG_EMPTY_NAME, NULL);
        return false;
    }
    if (capacity < 0) {
        sp_throw_out_of_range("capacity", SP_SR_TEXT(ArgumentOutOfRange_PositiveOrDefaultCapacityRequired));
        return false;
    }
    return check_access(access);
}

/* The checks CreateNew and CreateOrOpen share, in .NET's order. */
static bool check_new_map(const char *name, bool name_required, int64_t capacity, MemoryMappedFileAccess access,
                          MemoryMappedFileOptions options, HandleInheritability inheritability, bool write_allowed)
{
    if (name_required && !name) {
        sp_throw_null("mapName");
        return false;
    }
    if (name && !*name) { /* CreateOrOpen's ThrowIfNullOrEmpty; CreateNew's own text */
        if (name_required)
            sp_throw(ExceptionType_ArgumentException, SP_SR_TEXT(Argument_EmptyString), "mapName");
        else
            sp_throw(ExceptionType_ArgumentException, MSG_EMPTY_NAME, NULL);
        return false;
    }
    if (capacity <= 0) {
        sp_throw_if_negative_or_zero("capacity", capacity);
        return false;
    }
    if (!check_access(access) || (!write_allowed && !refuse_write_access(access)))
        return false;
    if ((unsigned)options & ~(unsigned)MemoryMappedFileOptions_DelayAllocatePages) {
        sp_throw_out_of_range("options", NULL);
        return false;
    }
    return check_inheritability(inheritability);
}

static MemoryMappedFile *mmf_alloc(const char *name, int64_t capacity, MemoryMappedFileAccess access,
                                   HandleInheritability inheritability)
{
    MemoryMappedFile *m = sp_object_new(sizeof *m, &sp_type_MemoryMappedFile);
    if (!m)
        return NULL;
    m->map = SP_OS_MAP_NONE;
    m->capacity = capacity;
    m->access = access;
    m->inheritability = inheritability;
    if (name && !(m->name = sp_strdup(name))) {
        free(m);
        return NULL;
    }
    return m;
}

static MemoryMappedFile *mmf_create(const char *name, int64_t capacity, MemoryMappedFileAccess access,
                                    MemoryMappedFileRights rights, MemoryMappedFileOptions options,
                                    HandleInheritability inheritability, sp_map_how how)
{
    MemoryMappedFile *m = mmf_alloc(name, capacity, access, inheritability);
    if (!m)
        return NULL;
    int32_t err = name ? sp_os_map_check_name(name) : 0;
    if (err) {
        sp_throw(ExceptionType_ArgumentException,
                 sp_os_error_classify(err) == SP_ERR_ACCESS_DENIED ? SP_SR_TEXT(Argument_MapNameReservedPrefix)
                                                                   : MSG_BAD_NAME,
                 "mapName");
    } else if ((err = sp_os_map_create(name, &m->capacity, access, rights, options, inheritability, how, &m->map))) {
        throw_map_error(err);
    }
    if (err) {
        free(m->name);
        free(m);
        return NULL;
    }
    sp_clear();
    return m;
}

/* ================================================================ factories */

#undef MemoryMappedFile_CreateNew
#undef MemoryMappedFile_CreateOrOpen
#undef MemoryMappedFile_OpenExisting
#undef MemoryMappedFile_CreateFromFile

MemoryMappedFile *MemoryMappedFile_CreateNew_ex(const char *mapName, int64_t capacity, MemoryMappedFileAccess access,
                                                MemoryMappedFileOptions options, HandleInheritability inheritability)
{
    if (!check_new_map(mapName, false, capacity, access, options, inheritability, false))
        return NULL;
    return mmf_create(mapName, capacity, access, 0, options, inheritability, SP_MAP_CREATE_NEW);
}

MemoryMappedFile *MemoryMappedFile_CreateNew(const char *mapName, int64_t capacity)
{
    return MemoryMappedFile_CreateNew_ex(mapName, capacity, MemoryMappedFileAccess_ReadWrite,
                                         MemoryMappedFileOptions_None, HandleInheritability_None);
}

MemoryMappedFile *MemoryMappedFile_CreateOrOpen_ex(const char *mapName, int64_t capacity, MemoryMappedFileAccess access,
                                                   MemoryMappedFileOptions options, HandleInheritability inheritability)
{
    if (!check_new_map(mapName, true, capacity, access, options, inheritability, true))
        return NULL;
    if (access == MemoryMappedFileAccess_Write) { /* .NET only opens for Write */
        MemoryMappedFile *m =
            mmf_create(mapName, capacity, access, MemoryMappedFileRights_Write, options, inheritability, SP_MAP_OPEN);
        if (!m && Exception_Is(Exception_get_Current(), ExceptionType_FileNotFoundException))
            sp_throw(ExceptionType_ArgumentException, MSG_WRITE_ACCESS, "access");
        return m;
    }
    return mmf_create(mapName, capacity, access, 0, options, inheritability, SP_MAP_CREATE_OR_OPEN);
}

MemoryMappedFile *MemoryMappedFile_CreateOrOpen(const char *mapName, int64_t capacity)
{
    return MemoryMappedFile_CreateOrOpen_ex(mapName, capacity, MemoryMappedFileAccess_ReadWrite,
                                            MemoryMappedFileOptions_None, HandleInheritability_None);
}

/* The access a map opened with these rights has (its views' default must fit it). */
static MemoryMappedFileAccess access_from_rights(MemoryMappedFileRights rights)
{
    bool write = rights & MemoryMappedFileRights_Write, exec = rights & MemoryMappedFileRights_Execute;
    if (write)
        return exec ? MemoryMappedFileAccess_ReadWriteExecute : MemoryMappedFileAccess_ReadWrite;
    if (rights & MemoryMappedFileRights_CopyOnWrite)
        return MemoryMappedFileAccess_CopyOnWrite;
    return exec ? MemoryMappedFileAccess_ReadExecute : MemoryMappedFileAccess_Read;
}

MemoryMappedFile *MemoryMappedFile_OpenExisting_ex(const char *mapName, MemoryMappedFileRights desiredAccessRights,
                                                   HandleInheritability inheritability)
{
    if (!mapName) {
        sp_throw_null("mapName");
        return NULL;
    }
    if (!*mapName) {
        sp_throw(ExceptionType_ArgumentException, SP_SR_TEXT(Argument_EmptyString), "mapName");
        return NULL;
    }
    if (!check_inheritability(inheritability))
        return NULL;
    if ((unsigned)desiredAccessRights &
        ~(unsigned)(MemoryMappedFileRights_FullControl | MemoryMappedFileRights_AccessSystemSecurity)) {
        sp_throw_out_of_range("desiredAccessRights", NULL);
        return NULL;
    }
    return mmf_create(mapName, 0, access_from_rights(desiredAccessRights), desiredAccessRights,
                      MemoryMappedFileOptions_None, inheritability, SP_MAP_OPEN);
}

MemoryMappedFile *MemoryMappedFile_OpenExisting(const char *mapName)
{
    return MemoryMappedFile_OpenExisting_ex(mapName, MemoryMappedFileRights_ReadWrite, HandleInheritability_None);
}

/* .NET's VerifyMemoryMappedFileAccess. */
static bool verify_file_capacity(MemoryMappedFileAccess access, int64_t capacity, int64_t file_size)
{
    if (access == MemoryMappedFileAccess_Read && capacity > file_size) {
        sp_throw(ExceptionType_ArgumentException, SP_SR_TEXT(Argument_ReadAccessWithLargeCapacity), NULL);
        return false;
    }
    if (file_size > capacity) {
        sp_throw_out_of_range("capacity", SP_SR_TEXT(ArgumentOutOfRange_CapacityGEFileSizeRequired));
        return false;
    }
    return true;
}

/* Maps an open FileStream (shared by both CreateFromFile forms). The stream is retained. */
static MemoryMappedFile *map_file(FileStream *fs, const char *mapName, int64_t capacity, MemoryMappedFileAccess access,
                                  HandleInheritability inheritability, bool leave_open)
{
    /* The length as the OS has it, after the stream's buffer is written out: a device (/dev/zero)
     * has length 0 and maps anyway, where the stream's own Length would refuse it as unseekable. */
    sp_os_file file;
    if (!sp_filestream_flush_to_os(fs, &file))
        return NULL;
    int64_t length = 0;
    int32_t err = sp_os_file_get_length(file, &length);
    if (err) {
        sp_throw_io_error(err, NULL);
        return NULL;
    }
    if (capacity == 0 && length == 0) {
        sp_throw(ExceptionType_ArgumentException, SP_SR_TEXT(Argument_EmptyFile), NULL);
        return NULL;
    }
    if (capacity == 0)
        capacity = length;
    /* .NET on Unix skips its size checks for devices (VerifyMemoryMappedFileAccess) */
    if (!sp_os_file_is_device(file) && !verify_file_capacity(access, capacity, length))
        return NULL;
    /* A capacity past the end grows the file: sp_os_map_from_file does it as this OS's .NET does. */
    MemoryMappedFile *m = mmf_alloc(mapName, capacity, access, inheritability);
    if (!m)
        return NULL;
    err = sp_os_map_from_file(file, mapName, capacity, access, inheritability, &m->map);
    if (err) {
        throw_file_map_error(err, mapName);
        free(m->name);
        free(m);
        return NULL;
    }
    free(m->name); /* file-backed maps are not closed by name */
    m->name = NULL;
    sp_object_retain((Object *)fs);
    m->file = fs;
    m->leave_open = leave_open;
    sp_clear();
    return m;
}

static FileAccess file_access_for(MemoryMappedFileAccess a)
{
    return a == MemoryMappedFileAccess_Read || a == MemoryMappedFileAccess_ReadExecute ? FileAccess_Read
                                                                                       : FileAccess_ReadWrite;
}

MemoryMappedFile *MemoryMappedFile_CreateFromFile_ex(const char *path, FileMode mode, const char *mapName,
                                                     int64_t capacity, MemoryMappedFileAccess access)
{
    if (!path) {
        sp_throw_null("path");
        return NULL;
    }
    if (!check_file_map(mapName, capacity, access))
        return NULL;
    if (mode == FileMode_Append) {
        sp_throw(ExceptionType_ArgumentException, SP_SR_TEXT(Argument_NewMMFAppendModeNotAllowed), "mode");
        return NULL;
    }
    if (mode == FileMode_Truncate) {
        sp_throw(ExceptionType_ArgumentException, SP_SR_TEXT(Argument_NewMMFTruncateModeNotAllowed), "mode");
        return NULL;
    }
    if (!refuse_write_access(access))
        return NULL;
    bool existed = File_Exists(path);
    FileStream *fs = FileStream_new_ex(path, mode, file_access_for(access), FileShare_Read, 4096, FileOptions_None);
    if (!fs)
        return NULL;
    MemoryMappedFile *m = map_file(fs, mapName, capacity, access, HandleInheritability_None, false);
    sp_object_release((Object *)fs); /* the map holds it, or nobody does */
    if (!m && !existed) {
        /* .NET's CleanupFile: a file this call created does not outlive its failure */
        bool had = sp_failed();
        ExceptionType t = Exception_get_Type(Exception_get_Current());
        char message[512];
        snprintf(message, sizeof message, "%s", Exception_get_Message(Exception_get_Current()));
        File_Delete(path);
        if (had)
            sp_throw(t, message, NULL);
    }
    return m;
}

MemoryMappedFile *MemoryMappedFile_CreateFromFile(const char *path)
{
    return MemoryMappedFile_CreateFromFile_ex(path, FileMode_Open, NULL, 0, MemoryMappedFileAccess_ReadWrite);
}

MemoryMappedFile *MemoryMappedFile_CreateFromFileStream(FileStream *fileStream, const char *mapName, int64_t capacity,
                                                        MemoryMappedFileAccess access,
                                                        HandleInheritability inheritability, bool leaveOpen)
{
    if (!fileStream) {
        sp_throw_null("fileStream");
        return NULL;
    }
    if (!sp_check_type(fileStream, &sp_type_FileStream, "fileStream"))
        return NULL;
    if (!check_file_map(mapName, capacity, access) || !check_inheritability(inheritability) ||
        !refuse_write_access(access))
        return NULL;
    if (!sp_stream_check_open((Stream *)fileStream, "fileStream"))
        return NULL;
    return map_file(fileStream, mapName, capacity, access, inheritability, leaveOpen);
}

char *MemoryMappedFile_GetHandleAsString(MemoryMappedFile *mmf)
{
    if (!sp_check_open(mmf, &sp_type_MemoryMappedFile, "mmf", NULL))
        return NULL;
    if (mmf->map == SP_OS_MAP_NONE) {
        sp_throw(ExceptionType_InvalidOperationException, SP_SR_TEXT(InvalidOperation_ReadOnlyAnonymousMapNotShareable),
                 NULL);
        return NULL;
    }
    sp_clear();
    char *s = sp_os_map_to_string(mmf->map);
    if (!s)
        sp_throw_out_of_memory();
    return s;
}

MemoryMappedFile *MemoryMappedFile_OpenFromHandleString(const char *handle, int64_t capacity,
                                                        MemoryMappedFileAccess access)
{
    if (!handle) {
        sp_throw_null("handle");
        return NULL;
    }
    if (capacity <= 0) {
        sp_throw_out_of_range("capacity", SP_SR_TEXT(ArgumentOutOfRange_NeedPosNum));
        return NULL;
    }
    if (!check_access(access))
        return NULL;
    sp_os_map map;
    int64_t size = -1;
    int32_t err = sp_os_map_from_string(handle, &map, &size);
    if (err) {
        if (sp_os_error_classify(err) == SP_ERR_INVALID)
            sp_throw(ExceptionType_ArgumentException, MSG_INVALID_HANDLE, "handle");
        else
            sp_throw(ExceptionType_IOException, MSG_NOT_A_MAP, NULL);
        return NULL;
    }
    /* The capacity is the caller's word, the object's size the OS's: a view past the object's
     * end would fault on access (SIGBUS), so a capacity the object does not have is refused, as
     * .NET refuses a read-only file map larger than its file. */
    if (size >= 0 && capacity > size) {
        sp_throw_out_of_range("capacity", SP_SR_TEXT(ArgumentOutOfRange_CapacityLargerThanMappedObject));
        return NULL;
    }
    MemoryMappedFile *m = mmf_alloc(NULL, capacity, access, HandleInheritability_None);
    if (!m)
        return NULL;
    m->map = map;
    sp_clear();
    return m;
}

bool MemoryMappedFile_Dispose(MemoryMappedFile *mmf)
{
    if (!sp_check_type(mmf, &sp_type_MemoryMappedFile, "mmf"))
        return false;
    return Dispose((Object *)mmf);
}

/* ================================================================ views */

bool sp_mmf_view_flush(sp_view *view)
{
    int32_t err = sp_os_flush_view(view);
    if (err) {
        sp_throw_io_error(err, NULL);
        return false;
    }
    return true;
}

/* CreateViewStream / CreateViewAccessor's shared checks, then the OS view. */
static bool make_view(MemoryMappedFile *mmf, int64_t offset, int64_t size, MemoryMappedFileAccess access, sp_view *view)
{
    if (!sp_check_type(mmf, &sp_type_MemoryMappedFile, "mmf"))
        return false;
    if (offset < 0) {
        sp_throw_if_negative("offset", offset);
        return false;
    }
    if (size < 0) {
        sp_throw_out_of_range("size", SP_SR_TEXT(ArgumentOutOfRange_PositiveOrDefaultSizeRequired));
        return false;
    }
    if (!check_access(access))
        return false;
    if (sp_object_is_closed(&mmf->base)) {
        sp_throw_disposed(SR_ObjectDisposed_Generic, "Microsoft.Win32.SafeHandles.SafeMemoryMappedFileHandle");
        return false;
    }
    if (throw_view_verdict(sp_os_map_view_check(mmf->capacity, mmf->access, offset, &size, access), offset,
                           mmf->capacity))
        return false;
    int32_t err = sp_os_map_view(mmf->map, mmf->access, offset, size, access, mmf->inheritability, view);
    if (err) {
        if (sp_os_error_classify(err) == SP_ERR_ACCESS_DENIED)
            sp_throw(ExceptionType_UnauthorizedAccessException, MSG_ACCESS_DENIED, NULL);
        else
            throw_map_error(err);
        return false;
    }
    return true;
}

/* Maps a view and makes the object that owns it (its sp_view lies at view_offset). */
void *sp_mmf_new_view_object(MemoryMappedFile *mmf, int64_t offset, int64_t size, MemoryMappedFileAccess access,
                             size_t object_size, const sp_type *type, size_t view_offset, sp_view **view)
{
    sp_view mapped;
    if (!make_view(mmf, offset, size, access, &mapped))
        return NULL;
    uint8_t *object = sp_object_new(object_size, type);
    if (!object) {
        sp_os_unmap_view(&mapped);
        return NULL;
    }
    *view = (sp_view *)(object + view_offset);
    **view = mapped;
    sp_clear();
    return object;
}

/* ================================================================ SafeMemoryMappedFileHandle, SafeMemoryMappedViewHandle */

struct SafeMemoryMappedFileHandle {
    SafeHandle safe;
};

struct SafeMemoryMappedViewHandle {
    SafeBuffer buffer;
};

const sp_type sp_type_SafeMemoryMappedFileHandle = {"Microsoft.Win32.SafeHandles.SafeMemoryMappedFileHandle",
                                                    &sp_type_SafeHandle, NULL, NULL};
const sp_type sp_type_SafeMemoryMappedViewHandle = {"Microsoft.Win32.SafeHandles.SafeMemoryMappedViewHandle",
                                                    &sp_type_SafeBuffer, NULL, NULL};

/* .NET on Unix: disposing the handle disposes the FileStream the map owns (the map itself has
 * nothing more to close); so closing it here closes the map object, which also ends its OS map. */
static void map_owner_closed(Object *owner) { sp_object_close(owner); }

/* A live map's handle is never invalid (.NET on Unix makes up a positive number for every map; on
 * Windows it is the mapping's HANDLE). */
static const sp_safe_handle_ops map_ops = {NULL, NULL, map_owner_closed};

/* A view's handle is the address of the mapping (SafeBuffer: zero or -1 is invalid). */
static bool view_is_invalid(intptr_t value) { return value == 0 || value == -1; }
/* The view object is closed with its handle (its IsClosed is the handle's), without a flush. */
static void view_owner_closed(Object *owner)
{
    atomic_store(&owner->closed, true);
    sp_mmf_view_closed(owner);
}
static const sp_safe_handle_ops view_ops = {NULL, view_is_invalid, view_owner_closed};

/* A handle object over a value of its own (nothing to release: the owner closes the OS object),
 * or NULL with OutOfMemoryException. */
static SafeHandle *private_safe_handle(size_t size, const sp_type *type, const sp_safe_handle_ops *ops, intptr_t value,
                                       Object *owner)
{
    sp_handle *h = sp_handle_new(value, NULL, NULL);
    if (!h)
        return NULL;
    sp_handle_keep(h); /* the object's pointer */
    return sp_safe_handle_new(size, type, ops, h, true, owner);
}

#undef MemoryMappedFile_get_SafeMemoryMappedFileHandle

SafeMemoryMappedFileHandle *MemoryMappedFile_get_SafeMemoryMappedFileHandle(MemoryMappedFile *mmf)
{
    if (!sp_check_type(mmf, &sp_type_MemoryMappedFile, "mmf"))
        return NULL;
    SafeHandle *s = atomic_load(&mmf->safe_handle);
    if (!s) {
        s = private_safe_handle(sizeof(SafeMemoryMappedFileHandle), &sp_type_SafeMemoryMappedFileHandle, &map_ops,
                                (intptr_t)mmf->map, &mmf->base);
        if (!s)
            return NULL;
        s = sp_safe_handle_publish(&mmf->safe_handle, s, true);
    }
    sp_clear();
    return (SafeMemoryMappedFileHandle *)s;
}

SafeMemoryMappedViewHandle *sp_mmf_view_safe_handle(_Atomic(SafeHandle *) *slot, const sp_view *view, Object *owner)
{
    SafeHandle *s = atomic_load(slot);
    if (!s) {
        s = private_safe_handle(sizeof(SafeMemoryMappedViewHandle), &sp_type_SafeMemoryMappedViewHandle, &view_ops,
                                (intptr_t)view->base, owner);
        if (!s)
            return NULL;
        /* .NET: Initialize(the mapped bytes from the page start to the view's end) */
        ((SafeBuffer *)s)->byte_length = (uint64_t)(view->pointer_offset + view->size);
        s = sp_safe_handle_publish(slot, s, true);
    }
    sp_clear();
    return (SafeMemoryMappedViewHandle *)s;
}
