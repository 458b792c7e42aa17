/* MemoryMappedViewAccessor and the UnmanagedMemoryAccessor it is: typed reads and writes at
 * positions of a mapped view, with UnmanagedMemoryAccessor's checks. */
#include "System.IO.MemoryMappedFiles/memorymappedfiles.h"


#undef MemoryMappedFile_CreateViewAccessor

extern const sp_type sp_type_MemoryMappedViewAccessor;

void sp_mmf_view_closed(Object *o)
{
#ifdef SP_UMA_TAG_
    if (o->type == &sp_type_MemoryMappedViewAccessor)
        __atomic_store_n(&((MemoryMappedViewAccessor *)o)->uma.tag, SP_UMA_TAG_, __ATOMIC_RELAXED);
#else
    (void)o;
#endif
}

static bool mmva_close(Object *o)
{
    MemoryMappedViewAccessor *a = (MemoryMappedViewAccessor *)o;
    sp_mmf_view_closed(o);
    bool ok = sp_mmf_view_flush(&a->view);
    sp_safe_handle_close_slot(&a->safe_handle); /* .NET: the view's Dispose disposes its handle */
    return ok;
}

static void mmva_destroy(Object *o)
{
    MemoryMappedViewAccessor *a = (MemoryMappedViewAccessor *)o;
    sp_safe_handle_drop(&a->safe_handle, o);
    sp_os_unmap_view(&a->view);
}

const sp_type sp_type_UnmanagedMemoryAccessor = {"System.IO.UnmanagedMemoryAccessor", &sp_type_Object, NULL, NULL};
const sp_type sp_type_MemoryMappedViewAccessor = {"System.IO.MemoryMappedFiles.MemoryMappedViewAccessor",
                                                  &sp_type_UnmanagedMemoryAccessor, mmva_close, mmva_destroy};

MemoryMappedViewAccessor *MemoryMappedFile_CreateViewAccessor_ex(MemoryMappedFile *mmf, int64_t offset, int64_t size,
                                                                 MemoryMappedFileAccess access)
{
    sp_view *view;
    MemoryMappedViewAccessor *a =
        sp_mmf_new_view_object(mmf, offset, size, access, sizeof *a, &sp_type_MemoryMappedViewAccessor,
                               offsetof(MemoryMappedViewAccessor, view), &view);
    if (!a)
        return NULL;
    a->uma.memory = view->base + view->pointer_offset;
    a->uma.capacity = view->size;
    a->uma.can_read = sp_mmf_access_can_read(access);
    a->uma.can_write = sp_mmf_access_can_write(access);
#ifdef SP_UMA_TAG_
    a->uma.tag = SP_UMA_TAG_ | (a->uma.can_read ? SP_TAG_READ_ : 0) | (a->uma.can_write ? SP_TAG_WRITE_ : 0);
#endif
    return a;
}

MemoryMappedViewAccessor *MemoryMappedFile_CreateViewAccessor(MemoryMappedFile *mmf)
{
    return MemoryMappedFile_CreateViewAccessor_ex(mmf, 0, 0, MemoryMappedFileAccess_ReadWrite);
}

#undef MemoryMappedViewAccessor_get_SafeMemoryMappedViewHandle

/* As .NET, the handle is there after Dispose too (closed). */
SafeMemoryMappedViewHandle *MemoryMappedViewAccessor_get_SafeMemoryMappedViewHandle(MemoryMappedViewAccessor *accessor)
{
    if (!sp_check_type(accessor, &sp_type_MemoryMappedViewAccessor, "accessor"))
        return NULL;
    return sp_mmf_view_safe_handle(&accessor->safe_handle, &accessor->view, &accessor->uma.base);
}

int64_t MemoryMappedViewAccessor_get_PointerOffset(MemoryMappedViewAccessor *accessor)
{
    if (!sp_check_type(accessor, &sp_type_MemoryMappedViewAccessor, "accessor"))
        return -1;
    sp_clear();
    return accessor->view.pointer_offset;
}

/* ================================================================ accessor */

/* An accessor that is open, or NULL with ObjectDisposedException naming the class .NET names. */
static bool check_accessor(UnmanagedMemoryAccessor *a, const char *class_name)
{
    if (!sp_check_type(a, &sp_type_UnmanagedMemoryAccessor, "accessor"))
        return false;
    if (sp_object_is_closed(&a->base)) {
        sp_throw_disposed(SR_ObjectDisposed_ViewAccessorClosed, class_name);
        return false;
    }
    return true;
}

static UnmanagedMemoryAccessor *open_accessor(UnmanagedMemoryAccessor *a)
{
    if (!check_accessor(a, "UnmanagedMemoryAccessor"))
        return NULL;
    sp_clear();
    return a;
}

/* UnmanagedMemoryAccessor's EnsureSafeToRead/Write, in its order. */
static uint8_t *at(UnmanagedMemoryAccessor *a, int64_t position, int64_t size, bool writing)
{
    if (!open_accessor(a))
        return NULL;
    if (writing ? !a->can_write : !a->can_read) {
        sp_throw(ExceptionType_NotSupportedException,
                 writing ? SP_SR_TEXT(NotSupported_Writing) : SP_SR_TEXT(NotSupported_Reading), NULL);
        return NULL;
    }
    if (position < 0) {
        sp_throw_need_nonneg("position");
        return NULL;
    }
    if (position > a->capacity - size) {
        if (position >= a->capacity)
            sp_throw_out_of_range("position", SP_SR_TEXT(ArgumentOutOfRange_PositionLessThanCapacityRequired));
        else
            sp_throw(ExceptionType_ArgumentException,
                     writing ? SP_SR_TEXT(Argument_NotEnoughBytesToWrite) : SP_SR_TEXT(Argument_NotEnoughBytesToRead),
                     "position");
        return NULL;
    }
    return a->memory + position;
}

#define SP_ACCESSOR_DEFINE_(Name, T)                                                                                   \
  T UnmanagedMemoryAccessor_Read##Name(UnmanagedMemoryAccessor *accessor, int64_t position)                            \
  {                                                                                                                    \
    T value;                                                                                                           \
    uint8_t *p = at(accessor, position, (int64_t)sizeof(T), false);                                                    \
    if (!p) {                                                                                                          \
      memset(&value, 0, sizeof value);                                                                                 \
      return value;                                                                                                    \
    }                                                                                                                  \
    memcpy(&value, p, sizeof value);                                                                                   \
    return value;                                                                                                      \
  }                                                                                                                    \
  bool UnmanagedMemoryAccessor_Write##Name(UnmanagedMemoryAccessor *accessor, int64_t position, T value)               \
  {                                                                                                                    \
    uint8_t *p = at(accessor, position, (int64_t)sizeof(T), true);                                                     \
    if (!p)                                                                                                            \
      return false;                                                                                                    \
    memcpy(p, &value, sizeof value);                                                                                   \
    return true;                                                                                                       \
  }
/* bool and Decimal have rules of their own; the rest are plain unaligned native-endian copies
 * (little-endian everywhere .NET runs). */
/* a list, one element type a line */
/* clang-format off */
#define SP_ACCESSOR_PLAIN_(X)                                                                                          \
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
  X(Half, Half)
/* clang-format on */
SP_ACCESSOR_PLAIN_(SP_ACCESSOR_DEFINE_)

bool UnmanagedMemoryAccessor_ReadBoolean(UnmanagedMemoryAccessor *accessor, int64_t position)
{
    uint8_t *p = at(accessor, position, 1, false);
    return p && *p != 0;
}

bool UnmanagedMemoryAccessor_WriteBoolean(UnmanagedMemoryAccessor *accessor, int64_t position, bool value)
{
    uint8_t *p = at(accessor, position, 1, true);
    if (!p)
        return false;
    *p = value ? 1 : 0;
    return true;
}

Decimal UnmanagedMemoryAccessor_ReadDecimal(UnmanagedMemoryAccessor *accessor, int64_t position)
{
    Decimal d = {0, 0, 0, 0};
    uint8_t *p = at(accessor, position, 16, false);
    if (!p)
        return d;
    d.lo = sp_get_u32(p);
    d.mid = sp_get_u32(p + 4);
    d.hi = sp_get_u32(p + 8);
    d.flags = sp_get_u32(p + 12);
    if (!Decimal_IsValid(d)) {
        sp_throw(ExceptionType_ArgumentException, SP_SR_TEXT(Arg_BadDecimal), NULL);
        return (Decimal){0, 0, 0, 0};
    }
    return d;
}

bool UnmanagedMemoryAccessor_WriteDecimal(UnmanagedMemoryAccessor *accessor, int64_t position, Decimal value)
{
    /* In .NET bits that are no decimal fail where they are made, before the call. */
    if (!sp_decimal_check(value))
        return false;
    uint8_t *p = at(accessor, position, 16, true);
    if (!p)
        return false;
    sp_put_u32(p, value.lo);
    sp_put_u32(p + 4, value.mid);
    sp_put_u32(p + 8, value.hi);
    sp_put_u32(p + 12, value.flags);
    return true;
}

/* The bytes of a structure at position, checked as Read<T>/Write<T> check them. */
static uint8_t *struct_at(UnmanagedMemoryAccessor *accessor, int64_t position, const void *structure, int32_t size,
                          bool writing)
{
    if (!structure) {
        sp_throw_null("structure");
        return NULL;
    }
    if (size <= 0) {
        sp_throw_out_of_range("size", SP_SR_TEXT(ArgumentOutOfRange_NeedPosNum));
        return NULL;
    }
    return at(accessor, position, size, writing);
}

bool UnmanagedMemoryAccessor_ReadStruct(UnmanagedMemoryAccessor *accessor, int64_t position, void *structure,
                                        int32_t size)
{
    uint8_t *p = struct_at(accessor, position, structure, size, false);
    if (p)
        memmove(structure, p, (size_t)size); /* the caller's memory may be the view's: Buffer.Memmove */
    return p != NULL;
}

bool UnmanagedMemoryAccessor_WriteStruct(UnmanagedMemoryAccessor *accessor, int64_t position, const void *structure,
                                         int32_t size)
{
    uint8_t *p = struct_at(accessor, position, structure, size, true);
    if (p)
        memmove(p, structure, (size_t)size);
    return p != NULL;
}

static bool check_array(const void *array, int32_t offset, int32_t count, int32_t element_size)
{
    if (!array) {
        sp_throw_null("array");
        return false;
    }
    if (offset < 0 || count < 0) {
        sp_throw_if_negative(offset < 0 ? "offset" : "count", offset < 0 ? offset : count);
        return false;
    }
    if (element_size <= 0) {
        sp_throw_out_of_range("elementSize", SP_SR_TEXT(ArgumentOutOfRange_NeedPosNum));
        return false;
    }
    return true;
}

/* ReadArray and WriteArray's checks after the arguments': open, capable, position inside. */
static bool array_position_ok(UnmanagedMemoryAccessor *accessor, int64_t position, bool writing)
{
    if (!open_accessor(accessor))
        return false;
    if (writing ? !accessor->can_write : !accessor->can_read) {
        sp_throw(ExceptionType_NotSupportedException,
                 writing ? SP_SR_TEXT(NotSupported_Writing) : SP_SR_TEXT(NotSupported_Reading), NULL);
        return false;
    }
    if (position < 0) {
        sp_throw_need_nonneg("position");
        return false;
    }
    if (position >= accessor->capacity) {
        sp_throw_out_of_range("position", SP_SR_TEXT(ArgumentOutOfRange_PositionLessThanCapacityRequired));
        return false;
    }
    return true;
}

int32_t UnmanagedMemoryAccessor_ReadArray(UnmanagedMemoryAccessor *accessor, int64_t position, void *array,
                                          int32_t offset, int32_t count, int32_t elementSize)
{
    if (!check_array(array, offset, count, elementSize) || !array_position_ok(accessor, position, false))
        return -1;
    int64_t fits = (accessor->capacity - position) / elementSize; /* ReadArray clamps, as .NET */
    int32_t n = count < fits ? count : (int32_t)fits;
    memmove((uint8_t *)array + (int64_t)offset * elementSize, accessor->memory + position,
            (size_t)n * (size_t)elementSize);
    return n;
}

bool UnmanagedMemoryAccessor_WriteArray(UnmanagedMemoryAccessor *accessor, int64_t position, const void *array,
                                        int32_t offset, int32_t count, int32_t elementSize)
{
    if (!check_array(array, offset, count, elementSize) || !array_position_ok(accessor, position, true))
        return false;
    if (position + (int64_t)count * elementSize > accessor->capacity) {
        sp_throw(ExceptionType_ArgumentException, SP_SR_TEXT(Arg_BufferTooSmall), NULL);
        return false;
    }
    memmove(accessor->memory + position, (const uint8_t *)array + (int64_t)offset * elementSize,
            (size_t)count * (size_t)elementSize);
    return true;
}

int64_t UnmanagedMemoryAccessor_get_Capacity(UnmanagedMemoryAccessor *accessor)
{
    if (!sp_check_type(accessor, &sp_type_UnmanagedMemoryAccessor, "accessor"))
        return -1;
    sp_clear();
    return accessor->capacity;
}

bool UnmanagedMemoryAccessor_get_CanRead(UnmanagedMemoryAccessor *accessor)
{
    if (!sp_check_type(accessor, &sp_type_UnmanagedMemoryAccessor, "accessor"))
        return false;
    sp_clear();
    return !sp_object_is_closed(&accessor->base) && accessor->can_read;
}

bool UnmanagedMemoryAccessor_get_CanWrite(UnmanagedMemoryAccessor *accessor)
{
    if (!sp_check_type(accessor, &sp_type_UnmanagedMemoryAccessor, "accessor"))
        return false;
    sp_clear();
    return !sp_object_is_closed(&accessor->base) && accessor->can_write;
}

bool UnmanagedMemoryAccessor_Flush(UnmanagedMemoryAccessor *accessor)
{
    if (!check_accessor(accessor, "MemoryMappedViewAccessor"))
        return false;
    sp_clear();
    if (!sp_type_is(accessor->base.type, &sp_type_MemoryMappedViewAccessor))
        return true;
    int32_t err = sp_os_flush_view(&((MemoryMappedViewAccessor *)accessor)->view);
    if (err) {
        sp_throw_io_error(err, NULL);
        return false;
    }
    return true;
}

uint8_t *UnmanagedMemoryAccessor_AcquirePointer(UnmanagedMemoryAccessor *accessor)
{
    if (!open_accessor(accessor))
        return NULL;
    return accessor->memory;
}
