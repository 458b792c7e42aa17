/*
 * System.IO.MemoryMappedFiles: shared memory between processes, C or .NET.
 *
 * On Windows a named map is a kernel object (Local\ and Global\ honoured), so a .NET process
 * opens what C created and the reverse. On Linux a named map is the POSIX shared-memory object
 * /dev/shm/<name>, which .NET (which has no named maps on Unix) opens with
 * MemoryMappedFile.CreateFromFile("/dev/shm/<name>", FileMode.Open). See docs/interop.md.
 */
#ifndef SHARPIPC_SYSTEM_IO_MEMORYMAPPEDFILES_H
#define SHARPIPC_SYSTEM_IO_MEMORYMAPPEDFILES_H

#include "System.IO.h"
#include "inline.h"

SHARPIPC_BEGIN_DECLS

typedef enum MemoryMappedFileAccess {
    MemoryMappedFileAccess_ReadWrite = 0,
    MemoryMappedFileAccess_Read = 1,
    MemoryMappedFileAccess_Write = 2,
    MemoryMappedFileAccess_CopyOnWrite = 3,
    MemoryMappedFileAccess_ReadExecute = 4,
    MemoryMappedFileAccess_ReadWriteExecute = 5
} MemoryMappedFileAccess;

typedef enum MemoryMappedFileOptions {
    MemoryMappedFileOptions_None = 0,
    MemoryMappedFileOptions_DelayAllocatePages = 0x4000000
} MemoryMappedFileOptions;

typedef enum MemoryMappedFileRights {
    MemoryMappedFileRights_CopyOnWrite = 1,
    MemoryMappedFileRights_Write = 2,
    MemoryMappedFileRights_Read = 4,
    MemoryMappedFileRights_ReadWrite = 6,
    MemoryMappedFileRights_Execute = 8,
    MemoryMappedFileRights_ReadExecute = 12,
    MemoryMappedFileRights_ReadWriteExecute = 14,
    MemoryMappedFileRights_Delete = 0x10000,
    MemoryMappedFileRights_ReadPermissions = 0x20000,
    MemoryMappedFileRights_ChangePermissions = 0x40000,
    MemoryMappedFileRights_TakeOwnership = 0x80000,
    MemoryMappedFileRights_FullControl = 0xF000F,
    MemoryMappedFileRights_AccessSystemSecurity = 0x01000000
} MemoryMappedFileRights;

/* ================================================================ MemoryMappedFile */

/* CreateNew(mapName, capacity, access, options, inheritability). mapName NULL: an anonymous map,
 * shared only with children that inherit it (see MemoryMappedFile_GetHandleAsString).
 * IOException when the name exists. */
SHARPIPC_API MemoryMappedFile *MemoryMappedFile_CreateNew_ex(const char *mapName, int64_t capacity,
                                                             MemoryMappedFileAccess access,
                                                             MemoryMappedFileOptions options,
                                                             HandleInheritability inheritability);
SHARPIPC_API MemoryMappedFile *MemoryMappedFile_CreateNew(const char *mapName, int64_t capacity);
/* CreateOrOpen: opens the named map if it exists, else creates it with this capacity. */
SHARPIPC_API MemoryMappedFile *MemoryMappedFile_CreateOrOpen_ex(const char *mapName, int64_t capacity,
                                                                MemoryMappedFileAccess access,
                                                                MemoryMappedFileOptions options,
                                                                HandleInheritability inheritability);
SHARPIPC_API MemoryMappedFile *MemoryMappedFile_CreateOrOpen(const char *mapName, int64_t capacity);
/* OpenExisting(mapName, desiredAccessRights, inheritability); FileNotFoundException when missing. */
SHARPIPC_API MemoryMappedFile *MemoryMappedFile_OpenExisting_ex(const char *mapName,
                                                                MemoryMappedFileRights desiredAccessRights,
                                                                HandleInheritability inheritability);
SHARPIPC_API MemoryMappedFile *MemoryMappedFile_OpenExisting(const char *mapName);
/* CreateFromFile(path, mode, mapName, capacity, access): capacity 0 means the file's length; a
 * larger capacity grows the file. */
SHARPIPC_API MemoryMappedFile *MemoryMappedFile_CreateFromFile_ex(const char *path, FileMode mode, const char *mapName,
                                                                  int64_t capacity, MemoryMappedFileAccess access);
SHARPIPC_API MemoryMappedFile *MemoryMappedFile_CreateFromFile(const char *path);
/* CreateFromFile(fileStream, mapName, capacity, access, inheritability, leaveOpen). */
SHARPIPC_API MemoryMappedFile *MemoryMappedFile_CreateFromFileStream(FileStream *fileStream, const char *mapName,
                                                                     int64_t capacity, MemoryMappedFileAccess access,
                                                                     HandleInheritability inheritability,
                                                                     bool leaveOpen);
/* CreateViewStream(offset, size, access); size 0 means to the end of the map. */
SHARPIPC_API MemoryMappedViewStream *MemoryMappedFile_CreateViewStream_ex(MemoryMappedFile *mmf, int64_t offset,
                                                                          int64_t size, MemoryMappedFileAccess access);
SHARPIPC_API MemoryMappedViewStream *MemoryMappedFile_CreateViewStream(MemoryMappedFile *mmf);
SHARPIPC_API MemoryMappedViewAccessor *MemoryMappedFile_CreateViewAccessor_ex(MemoryMappedFile *mmf, int64_t offset,
                                                                              int64_t size,
                                                                              MemoryMappedFileAccess access);
SHARPIPC_API MemoryMappedViewAccessor *MemoryMappedFile_CreateViewAccessor(MemoryMappedFile *mmf);
/* sharpipc: the map's OS handle as text for a child's command line (an inheritable map), and
 * the child's way back to it. A .NET child can wrap the same number in a SafeFileHandle. */
SHARPIPC_API char *MemoryMappedFile_GetHandleAsString(MemoryMappedFile *mmf);
SHARPIPC_API MemoryMappedFile *MemoryMappedFile_OpenFromHandleString(const char *handle, int64_t capacity,
                                                                     MemoryMappedFileAccess access);
SHARPIPC_API bool MemoryMappedFile_Dispose(MemoryMappedFile *mmf);

#ifdef SHARPIPC_HAVE_GENERIC
#  define MemoryMappedFile_CreateNew(...) SP_OVERLOAD(MemoryMappedFile_CreateNew, __VA_ARGS__)
#  define MemoryMappedFile_CreateNew__2(n, c) (MemoryMappedFile_CreateNew)(n, c)
#  define MemoryMappedFile_CreateNew__3(n, c, a)                                                                       \
    MemoryMappedFile_CreateNew_ex(n, c, a, MemoryMappedFileOptions_None, HandleInheritability_None)
#  define MemoryMappedFile_CreateNew__5(n, c, a, o, h) MemoryMappedFile_CreateNew_ex(n, c, a, o, h)
#  define MemoryMappedFile_CreateOrOpen(...) SP_OVERLOAD(MemoryMappedFile_CreateOrOpen, __VA_ARGS__)
#  define MemoryMappedFile_CreateOrOpen__2(n, c) (MemoryMappedFile_CreateOrOpen)(n, c)
#  define MemoryMappedFile_CreateOrOpen__3(n, c, a)                                                                    \
    MemoryMappedFile_CreateOrOpen_ex(n, c, a, MemoryMappedFileOptions_None, HandleInheritability_None)
#  define MemoryMappedFile_CreateOrOpen__5(n, c, a, o, h) MemoryMappedFile_CreateOrOpen_ex(n, c, a, o, h)
#  define MemoryMappedFile_OpenExisting(...) SP_OVERLOAD(MemoryMappedFile_OpenExisting, __VA_ARGS__)
#  define MemoryMappedFile_OpenExisting__1(n) (MemoryMappedFile_OpenExisting)(n)
#  define MemoryMappedFile_OpenExisting__2(n, r) MemoryMappedFile_OpenExisting_ex(n, r, HandleInheritability_None)
#  define MemoryMappedFile_OpenExisting__3(n, r, h) MemoryMappedFile_OpenExisting_ex(n, r, h)
#  define MemoryMappedFile_CreateFromFile(...) SP_OVERLOAD(MemoryMappedFile_CreateFromFile, __VA_ARGS__)
#  define MemoryMappedFile_CreateFromFile__1(p) (MemoryMappedFile_CreateFromFile)(p)
#  define MemoryMappedFile_CreateFromFile__2(p, m)                                                                     \
    MemoryMappedFile_CreateFromFile_ex(p, m, NULL, 0, MemoryMappedFileAccess_ReadWrite)
#  define MemoryMappedFile_CreateFromFile__3(p, m, n)                                                                  \
    MemoryMappedFile_CreateFromFile_ex(p, m, n, 0, MemoryMappedFileAccess_ReadWrite)
#  define MemoryMappedFile_CreateFromFile__4(p, m, n, c)                                                               \
    MemoryMappedFile_CreateFromFile_ex(p, m, n, c, MemoryMappedFileAccess_ReadWrite)
#  define MemoryMappedFile_CreateFromFile__5(p, m, n, c, a) MemoryMappedFile_CreateFromFile_ex(p, m, n, c, a)
#  define MemoryMappedFile_CreateFromFile__6(f, n, c, a, h, l) MemoryMappedFile_CreateFromFileStream(f, n, c, a, h, l)
#  define MemoryMappedFile_CreateViewStream(...) SP_OVERLOAD(MemoryMappedFile_CreateViewStream, __VA_ARGS__)
#  define MemoryMappedFile_CreateViewStream__1(m) (MemoryMappedFile_CreateViewStream)(m)
#  define MemoryMappedFile_CreateViewStream__3(m, o, s)                                                                \
    MemoryMappedFile_CreateViewStream_ex(m, o, s, MemoryMappedFileAccess_ReadWrite)
#  define MemoryMappedFile_CreateViewStream__4(m, o, s, a) MemoryMappedFile_CreateViewStream_ex(m, o, s, a)
#  define MemoryMappedFile_CreateViewAccessor(...) SP_OVERLOAD(MemoryMappedFile_CreateViewAccessor, __VA_ARGS__)
#  define MemoryMappedFile_CreateViewAccessor__1(m) (MemoryMappedFile_CreateViewAccessor)(m)
#  define MemoryMappedFile_CreateViewAccessor__3(m, o, s)                                                              \
    MemoryMappedFile_CreateViewAccessor_ex(m, o, s, MemoryMappedFileAccess_ReadWrite)
#  define MemoryMappedFile_CreateViewAccessor__4(m, o, s, a) MemoryMappedFile_CreateViewAccessor_ex(m, o, s, a)
#endif

/* ================================================================ views */

/* The distance from the mapped page to the view's byte 0. */
SHARPIPC_API int64_t MemoryMappedViewStream_get_PointerOffset(MemoryMappedViewStream *stream);
SHARPIPC_API int64_t MemoryMappedViewAccessor_get_PointerOffset(MemoryMappedViewAccessor *accessor);
/* UnmanagedMemoryStream.Capacity and PositionPointer (the address of byte Position). */
SHARPIPC_API int64_t UnmanagedMemoryStream_get_Capacity(UnmanagedMemoryStream *stream);
SHARPIPC_API uint8_t *UnmanagedMemoryStream_get_PositionPointer(UnmanagedMemoryStream *stream);

/* UnmanagedMemoryAccessor: every Read/Write is an unaligned little-endian access at position. */
SHARPIPC_API int64_t UnmanagedMemoryAccessor_get_Capacity(UnmanagedMemoryAccessor *accessor);
SHARPIPC_API bool UnmanagedMemoryAccessor_get_CanRead(UnmanagedMemoryAccessor *accessor);
SHARPIPC_API bool UnmanagedMemoryAccessor_get_CanWrite(UnmanagedMemoryAccessor *accessor);
SHARPIPC_API bool UnmanagedMemoryAccessor_Flush(UnmanagedMemoryAccessor *accessor);
/* sharpipc (SafeBuffer.AcquirePointer): the address of the view's byte 0, valid until disposed. */
SHARPIPC_API uint8_t *UnmanagedMemoryAccessor_AcquirePointer(UnmanagedMemoryAccessor *accessor);

/* a list, one element type a line */
/* clang-format off */
#define SP_ACCESSOR_TYPES_(X)                                                                                          \
  X(Boolean, bool)                                                                                                     \
  X(Byte, uint8_t)                                                                                                     \
  X(SByte, int8_t)                                                                                                     \
  X(Char, uint16_t)                                                                                                    \
  X(Int16, int16_t)                                                                                                    \
  X(UInt16, uint16_t)                                                                                                  \
  X(Int32, int32_t)                                                                                                    \
  X(UInt32, uint32_t)                                                                                                  \
  X(Int64, int64_t)                                                                                                    \
  X(UInt64, uint64_t)                                                                                                  \
  X(Single, float)                                                                                                     \
  X(Double, double)                                                                                                    \
  X(Decimal, Decimal)                                                                                                  \
  X(Half, Half)
/* clang-format on */
#define SP_ACCESSOR_DECLARE_(Name, T)                                                                                  \
  SHARPIPC_API T UnmanagedMemoryAccessor_Read##Name(UnmanagedMemoryAccessor *accessor, int64_t position);              \
  SHARPIPC_API bool UnmanagedMemoryAccessor_Write##Name(UnmanagedMemoryAccessor *accessor, int64_t position, T value);
SP_ACCESSOR_TYPES_(SP_ACCESSOR_DECLARE_)
/* Read<T>/Write<T>(position, ref structure): size bytes, as they lie in memory. */
SHARPIPC_API bool UnmanagedMemoryAccessor_ReadStruct(UnmanagedMemoryAccessor *accessor, int64_t position,
                                                     void *structure, int32_t size);
SHARPIPC_API bool UnmanagedMemoryAccessor_WriteStruct(UnmanagedMemoryAccessor *accessor, int64_t position,
                                                      const void *structure, int32_t size);
/* ReadArray<T>(position, array, offset, count) with elements of elementSize bytes: how many were
 * read (fewer when the view ends). WriteArray writes all or fails. */
SHARPIPC_API int32_t UnmanagedMemoryAccessor_ReadArray(UnmanagedMemoryAccessor *accessor, int64_t position, void *array,
                                                       int32_t offset, int32_t count, int32_t elementSize);
SHARPIPC_API bool UnmanagedMemoryAccessor_WriteArray(UnmanagedMemoryAccessor *accessor, int64_t position,
                                                     const void *array, int32_t offset, int32_t count,
                                                     int32_t elementSize);

/* MemoryMappedViewAccessor_* name the same calls (its members are declared by UnmanagedMemoryAccessor). */
#ifdef SHARPIPC_HAVE_GENERIC
#  define SP_MMVA_(a) SP_AS_UnmanagedMemoryAccessor(a)
#else
#  define SP_MMVA_(a) ((UnmanagedMemoryAccessor *)(a))
#endif
#define MemoryMappedViewAccessor_get_Capacity(a) UnmanagedMemoryAccessor_get_Capacity(SP_MMVA_(a))
#define MemoryMappedViewAccessor_get_CanRead(a) UnmanagedMemoryAccessor_get_CanRead(SP_MMVA_(a))
#define MemoryMappedViewAccessor_get_CanWrite(a) UnmanagedMemoryAccessor_get_CanWrite(SP_MMVA_(a))
#define MemoryMappedViewAccessor_Flush(a) UnmanagedMemoryAccessor_Flush(SP_MMVA_(a))
#define MemoryMappedViewAccessor_AcquirePointer(a) UnmanagedMemoryAccessor_AcquirePointer(SP_MMVA_(a))
/* The element calls: with GCC or clang on ELF, an inline bounds check and a load or store (the
 * checks of the exported function, in a form the compiler can fold into the caller's loop); any
 * call that would fail, and every other platform, goes to the exported function, which raises
 * .NET's exception. The view stays mapped until the accessor's last reference goes, so an element
 * call racing a Dispose on another thread reads mapped memory, as the exported one does. */
#ifdef SHARPIPC_INLINE
#  define SHARPIPC_INLINE_ACCESSOR 1
/* Private: the start of an accessor as the library lays it out (src/System.IO.MemoryMappedFiles/
 * memorymappedfiles.h checks it at compile time). Not an API: its layout may change with the
 * library, and programs compiled against one version's header use that version's library. */
typedef struct sp_uma_fast_ {
    SP_OBJECT_HEAD_;
    uint64_t tag; /* SP_UMA_TAG_ in every UnmanagedMemoryAccessor, with what it can do now */
    uint8_t *memory;
    int64_t capacity;
    bool can_read, can_write;
} __attribute__((may_alias)) sp_uma_fast_;
/* The accessor's tag; its low two bits are SP_TAG_READ_ and SP_TAG_WRITE_ while it is open and
 * can read, write (both clear from Dispose on, and when its view handle is closed), so that one
 * load and one compare say what the object is, that it is open and that it may do this. */
#  define SP_UMA_TAG_ 0x5548414d4d564120ull
#  define SP_UMA_TAG_RW_ (SP_UMA_TAG_ | SP_TAG_READ_ | SP_TAG_WRITE_)

/* The address of size bytes at position in *p; false where the exported call must decide
 * (which includes a pending exception: the exported call clears it). The tag is read once,
 * atomically: a Dispose on another thread clears its bits, and the memory stays mapped until the
 * accessor's last reference goes. */
static inline bool sp_uma_at_(const void *accessor, int64_t position, int64_t size, bool writing, uint8_t **p)
{
    const sp_uma_fast_ *f = (const sp_uma_fast_ *)accessor;
    if (__builtin_expect(f &&
                             (__atomic_load_n(&f->tag, __ATOMIC_RELAXED) | (writing ? SP_TAG_READ_ : SP_TAG_WRITE_)) ==
                                 SP_UMA_TAG_RW_ &&
                             position >= 0 && position <= f->capacity - size && !sp_exception_pending,
                         1)) {
        *p = f->memory + position;
        return true;
    }
    return false;
}
#  define SP_UMA_INLINE_(Name, T)                                                                                      \
    static inline T sp_uma_read_##Name##_(UnmanagedMemoryAccessor *a, int64_t position)                                \
    {                                                                                                                  \
      uint8_t *p;                                                                                                      \
      T v;                                                                                                             \
      if (!sp_uma_at_(a, position, (int64_t)sizeof(T), false, &p))                                                     \
        return (UnmanagedMemoryAccessor_Read##Name)(a, position);                                                      \
      __builtin_memcpy(&v, p, sizeof v);                                                                               \
      return v;                                                                                                        \
    }                                                                                                                  \
    static inline bool sp_uma_write_##Name##_(UnmanagedMemoryAccessor *a, int64_t position, T value)                   \
    {                                                                                                                  \
      uint8_t *p;                                                                                                      \
      if (!sp_uma_at_(a, position, (int64_t)sizeof(T), true, &p))                                                      \
        return (UnmanagedMemoryAccessor_Write##Name)(a, position, value);                                              \
      __builtin_memcpy(p, &value, sizeof value);                                                                       \
      return true;                                                                                                     \
    }
SP_UMA_INLINE_(Byte, uint8_t)
SP_UMA_INLINE_(SByte, int8_t)
SP_UMA_INLINE_(Char, uint16_t)
SP_UMA_INLINE_(Int16, int16_t)
SP_UMA_INLINE_(UInt16, uint16_t)
SP_UMA_INLINE_(Int32, int32_t)
SP_UMA_INLINE_(UInt32, uint32_t)
SP_UMA_INLINE_(Int64, int64_t)
SP_UMA_INLINE_(UInt64, uint64_t)
SP_UMA_INLINE_(Single, float)
SP_UMA_INLINE_(Double, double)
SP_UMA_INLINE_(Half, Half)
static inline bool sp_uma_read_Boolean_(UnmanagedMemoryAccessor *a, int64_t position)
{
    uint8_t *p;
    return sp_uma_at_(a, position, 1, false, &p) ? *p != 0 : (UnmanagedMemoryAccessor_ReadBoolean)(a, position);
}
static inline bool sp_uma_write_Boolean_(UnmanagedMemoryAccessor *a, int64_t position, bool value)
{
    uint8_t *p;
    if (!sp_uma_at_(a, position, 1, true, &p))
        return (UnmanagedMemoryAccessor_WriteBoolean)(a, position, value);
    *p = value ? 1 : 0;
    return true;
}
/* Decimal: the flags must be valid (only the sign and a scale of at most 28), read or written, or
 * the exported call raises .NET's ArgumentException. */
/* Valid flags are the sign and a scale of at most 28 in bits 16-23: without the sign and turned
 * by 16 bits, the scale is the low byte and any other bit is above it, so one compare checks both. */
static inline bool sp_decimal_flags_ok_(uint32_t flags)
{
    uint32_t x = flags & 0x7FFFFFFFu;
    return ((x >> 16) | (x << 16)) <= 28;
}
static inline Decimal sp_uma_read_Decimal_(UnmanagedMemoryAccessor *a, int64_t position)
{
    uint8_t *p;
    Decimal d;
    if (sp_uma_at_(a, position, 16, false, &p)) {
        __builtin_memcpy(&d, p, 16);
        if (__builtin_expect(sp_decimal_flags_ok_(d.flags), 1))
            return d;
    }
    return (UnmanagedMemoryAccessor_ReadDecimal)(a, position);
}
static inline bool sp_uma_write_Decimal_(UnmanagedMemoryAccessor *a, int64_t position, Decimal value)
{
    uint8_t *p;
    if (!(sp_decimal_flags_ok_(value.flags) && sp_uma_at_(a, position, 16, true, &p)))
        return (UnmanagedMemoryAccessor_WriteDecimal)(a, position, value);
    __builtin_memcpy(p, &value, 16);
    return true;
}
#  undef SP_UMA_INLINE_
#  define SP_UMA_CALL_(Dir, Name) sp_uma_##Dir##_##Name##_
#else
#  define SP_UMA_CALL_(Dir, Name) SP_UMA_CALL_##Dir##_(Name)
#  define SP_UMA_CALL_read_(Name) UnmanagedMemoryAccessor_Read##Name
#  define SP_UMA_CALL_write_(Name) UnmanagedMemoryAccessor_Write##Name
#endif
#define MemoryMappedViewAccessor_ReadBoolean(a, p) SP_UMA_CALL_(read, Boolean)(SP_MMVA_(a), p)
#define MemoryMappedViewAccessor_ReadByte(a, p) SP_UMA_CALL_(read, Byte)(SP_MMVA_(a), p)
#define MemoryMappedViewAccessor_ReadSByte(a, p) SP_UMA_CALL_(read, SByte)(SP_MMVA_(a), p)
#define MemoryMappedViewAccessor_ReadChar(a, p) SP_UMA_CALL_(read, Char)(SP_MMVA_(a), p)
#define MemoryMappedViewAccessor_ReadInt16(a, p) SP_UMA_CALL_(read, Int16)(SP_MMVA_(a), p)
#define MemoryMappedViewAccessor_ReadUInt16(a, p) SP_UMA_CALL_(read, UInt16)(SP_MMVA_(a), p)
#define MemoryMappedViewAccessor_ReadInt32(a, p) SP_UMA_CALL_(read, Int32)(SP_MMVA_(a), p)
#define MemoryMappedViewAccessor_ReadUInt32(a, p) SP_UMA_CALL_(read, UInt32)(SP_MMVA_(a), p)
#define MemoryMappedViewAccessor_ReadInt64(a, p) SP_UMA_CALL_(read, Int64)(SP_MMVA_(a), p)
#define MemoryMappedViewAccessor_ReadUInt64(a, p) SP_UMA_CALL_(read, UInt64)(SP_MMVA_(a), p)
#define MemoryMappedViewAccessor_ReadSingle(a, p) SP_UMA_CALL_(read, Single)(SP_MMVA_(a), p)
#define MemoryMappedViewAccessor_ReadDouble(a, p) SP_UMA_CALL_(read, Double)(SP_MMVA_(a), p)
#define MemoryMappedViewAccessor_ReadDecimal(a, p) SP_UMA_CALL_(read, Decimal)(SP_MMVA_(a), p)
#define MemoryMappedViewAccessor_ReadHalf(a, p) SP_UMA_CALL_(read, Half)(SP_MMVA_(a), p)
#define MemoryMappedViewAccessor_WriteBoolean(a, p, v) SP_UMA_CALL_(write, Boolean)(SP_MMVA_(a), p, v)
#define MemoryMappedViewAccessor_WriteByte(a, p, v) SP_UMA_CALL_(write, Byte)(SP_MMVA_(a), p, v)
#define MemoryMappedViewAccessor_WriteSByte(a, p, v) SP_UMA_CALL_(write, SByte)(SP_MMVA_(a), p, v)
#define MemoryMappedViewAccessor_WriteChar(a, p, v) SP_UMA_CALL_(write, Char)(SP_MMVA_(a), p, v)
#define MemoryMappedViewAccessor_WriteInt16(a, p, v) SP_UMA_CALL_(write, Int16)(SP_MMVA_(a), p, v)
#define MemoryMappedViewAccessor_WriteUInt16(a, p, v) SP_UMA_CALL_(write, UInt16)(SP_MMVA_(a), p, v)
#define MemoryMappedViewAccessor_WriteInt32(a, p, v) SP_UMA_CALL_(write, Int32)(SP_MMVA_(a), p, v)
#define MemoryMappedViewAccessor_WriteUInt32(a, p, v) SP_UMA_CALL_(write, UInt32)(SP_MMVA_(a), p, v)
#define MemoryMappedViewAccessor_WriteInt64(a, p, v) SP_UMA_CALL_(write, Int64)(SP_MMVA_(a), p, v)
#define MemoryMappedViewAccessor_WriteUInt64(a, p, v) SP_UMA_CALL_(write, UInt64)(SP_MMVA_(a), p, v)
#define MemoryMappedViewAccessor_WriteSingle(a, p, v) SP_UMA_CALL_(write, Single)(SP_MMVA_(a), p, v)
#define MemoryMappedViewAccessor_WriteDouble(a, p, v) SP_UMA_CALL_(write, Double)(SP_MMVA_(a), p, v)
#define MemoryMappedViewAccessor_WriteDecimal(a, p, v) SP_UMA_CALL_(write, Decimal)(SP_MMVA_(a), p, v)
#define MemoryMappedViewAccessor_WriteHalf(a, p, v) SP_UMA_CALL_(write, Half)(SP_MMVA_(a), p, v)
#define MemoryMappedViewAccessor_ReadStruct(a, p, s, n) UnmanagedMemoryAccessor_ReadStruct(SP_MMVA_(a), p, s, n)
#define MemoryMappedViewAccessor_WriteStruct(a, p, s, n) UnmanagedMemoryAccessor_WriteStruct(SP_MMVA_(a), p, s, n)
/* ReadArray / WriteArray stay the exported calls: inline, GCC expands a copy of a constant 1 KiB
 * into `rep movsq`, which measured slower than the call and libc's memcpy (bench/README.md). */
#define MemoryMappedViewAccessor_ReadArray(a, p, arr, o, c, e)                                                         \
  UnmanagedMemoryAccessor_ReadArray(SP_MMVA_(a), p, arr, o, c, e)
#define MemoryMappedViewAccessor_WriteArray(a, p, arr, o, c, e)                                                        \
  UnmanagedMemoryAccessor_WriteArray(SP_MMVA_(a), p, arr, o, c, e)

#ifdef SHARPIPC_HAVE_GENERIC
#  include <limits.h>
#  if LONG_MAX == 0x7fffffffffffffffL
#    define SP_UMA_LONG_ UnmanagedMemoryAccessor_WriteInt64
#    define SP_UMA_ULONG_ UnmanagedMemoryAccessor_WriteUInt64
#  else
#    define SP_UMA_LONG_ UnmanagedMemoryAccessor_WriteInt32
#    define SP_UMA_ULONG_ UnmanagedMemoryAccessor_WriteUInt32
#  endif
/* Write(position, value) by the C type of value, as BinaryWriter_Write. */
#  define UnmanagedMemoryAccessor_Write(a, p, v)                                                                       \
    _Generic((v), bool                                                                                                 \
             : SP_UMA_CALL_(write, Boolean), unsigned char                                                             \
             : SP_UMA_CALL_(write, Byte), signed char                                                                  \
             : SP_UMA_CALL_(write, SByte), short                                                                       \
             : SP_UMA_CALL_(write, Int16), unsigned short                                                              \
             : SP_UMA_CALL_(write, UInt16), int                                                                        \
             : SP_UMA_CALL_(write, Int32), unsigned int                                                                \
             : SP_UMA_CALL_(write, UInt32), long                                                                       \
             : SP_UMA_LONG_, unsigned long                                                                             \
             : SP_UMA_ULONG_, long long                                                                                \
             : SP_UMA_CALL_(write, Int64), unsigned long long                                                          \
             : SP_UMA_CALL_(write, UInt64), float                                                                      \
             : SP_UMA_CALL_(write, Single), double                                                                     \
             : SP_UMA_CALL_(write, Double), Decimal                                                                    \
             : SP_UMA_CALL_(write, Decimal), Half                                                                      \
             : SP_UMA_CALL_(write, Half))(SP_MMVA_(a), p, v)
#  define MemoryMappedViewAccessor_Write(a, p, v) UnmanagedMemoryAccessor_Write(a, p, v)
#  define MemoryMappedViewStream_get_PointerOffset(s) (MemoryMappedViewStream_get_PointerOffset)(s)
#  define UnmanagedMemoryStream_get_Capacity(s) (UnmanagedMemoryStream_get_Capacity)(SP_AS_UnmanagedMemoryStream(s))
#  define UnmanagedMemoryStream_get_PositionPointer(s)                                                                 \
    (UnmanagedMemoryStream_get_PositionPointer)(SP_AS_UnmanagedMemoryStream(s))
#endif

/* ================================================================ SafeMemoryMappedFileHandle, SafeMemoryMappedViewHandle */

/* MemoryMappedFile.SafeMemoryMappedFileHandle: the map's handle (borrowed: the same object each
 * time, valid while the map lives). Disposing the map closes it; closing it (SafeHandle_Close)
 * closes the map and the file it owns, as .NET on Unix does, so a later view is
 * ObjectDisposedException; views made before stay usable. */
SHARPIPC_API SafeMemoryMappedFileHandle *MemoryMappedFile_get_SafeMemoryMappedFileHandle(MemoryMappedFile *mmf);
/* The view's SafeMemoryMappedViewHandle, a SafeBuffer (SafeBuffer_get_ByteLength), borrowed as
 * above. Disposing the view closes it; closing it closes the view (ObjectDisposedException
 * after), though the memory stays mapped until the view object's last reference goes. */
SHARPIPC_API SafeMemoryMappedViewHandle *
MemoryMappedViewAccessor_get_SafeMemoryMappedViewHandle(MemoryMappedViewAccessor *accessor);
SHARPIPC_API SafeMemoryMappedViewHandle *
MemoryMappedViewStream_get_SafeMemoryMappedViewHandle(MemoryMappedViewStream *stream);

SHARPIPC_END_DECLS

#endif
