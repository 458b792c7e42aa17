/* MemoryMappedViewStream and the UnmanagedMemoryStream it is: a Stream over a mapped view. */
#include "System.IO.MemoryMappedFiles/memorymappedfiles.h"

#undef MemoryMappedFile_CreateViewStream

static bool mmvs_close(Object *o)
{
    MemoryMappedViewStream *v = (MemoryMappedViewStream *)o;
    bool ok = sp_mmf_view_flush(&v->view);
    sp_safe_handle_close_slot(&v->safe_handle); /* .NET: the view's Dispose disposes its handle */
    return ok;
}

static void mmvs_destroy(Object *o)
{
    MemoryMappedViewStream *v = (MemoryMappedViewStream *)o;
    sp_safe_handle_drop(&v->safe_handle, o);
    sp_os_unmap_view(&v->view);
}

const sp_type sp_type_UnmanagedMemoryStream = {"System.IO.UnmanagedMemoryStream", &sp_type_Stream, NULL, NULL};
const sp_type sp_type_MemoryMappedViewStream = {"System.IO.MemoryMappedFiles.MemoryMappedViewStream",
                                                &sp_type_UnmanagedMemoryStream, mmvs_close, mmvs_destroy};

static int32_t ums_read(Stream *s, uint8_t *buffer, int32_t count)
{
    UnmanagedMemoryStream *u = (UnmanagedMemoryStream *)s;
    int64_t n = u->length - u->position;
    if (n > count)
        n = count;
    if (n <= 0)
        return 0;
    memmove(buffer, u->memory + u->position, (size_t)n); /* buffer may lie in the view itself */
    u->position += n;
    return (int32_t)n;
}

static bool ums_write(Stream *s, const uint8_t *buffer, int32_t count)
{
    UnmanagedMemoryStream *u = (UnmanagedMemoryStream *)s;
    if (count > INT64_MAX - u->position) {
        sp_throw(ExceptionType_IOException, SP_SR_TEXT(IO_StreamTooLong), NULL);
        return false;
    }
    int64_t end = u->position + count;
    if (end > u->capacity) {
        sp_throw(ExceptionType_NotSupportedException, SP_SR_TEXT(IO_FixedCapacity), NULL);
        return false;
    }
    if (u->position > u->length)
        memset(u->memory + u->length, 0, (size_t)(u->position - u->length));
    if (count > 0) /* (a write of none past the length still moves it, as .NET's) */
        memmove(u->memory + u->position, buffer, (size_t)count);
    u->position = end;
    if (end > u->length)
        u->length = end;
    return true;
}

static int64_t ums_seek(Stream *s, int64_t offset, SeekOrigin origin)
{
    UnmanagedMemoryStream *u = (UnmanagedMemoryStream *)s;
    int64_t base = origin == SeekOrigin_Begin ? 0 : origin == SeekOrigin_Current ? u->position : u->length;
    /* .NET adds unchecked: a sum past long.MaxValue wraps negative and is "before the beginning".
     * Wrap the same way, without C's signed overflow. */
    int64_t target = (int64_t)((uint64_t)base + (uint64_t)offset);
    if (target < 0) {
        sp_throw(ExceptionType_IOException, SP_SR_TEXT(IO_SeekBeforeBegin), NULL);
        return -1;
    }
    u->position = target;
    return u->position;
}

static int64_t ums_get_length(Stream *s) { return ((UnmanagedMemoryStream *)s)->length; }
static int64_t ums_get_position(Stream *s) { return ((UnmanagedMemoryStream *)s)->position; }
static bool ums_can_read(Stream *s) { return sp_mmf_access_can_read(((UnmanagedMemoryStream *)s)->access); }
static bool ums_can_write(Stream *s) { return sp_mmf_access_can_write(((UnmanagedMemoryStream *)s)->access); }

static bool mmvs_set_length(Stream *s, int64_t value)
{
    (void)s;
    (void)value;
    sp_throw(ExceptionType_NotSupportedException, SP_SR_TEXT(NotSupported_MMViewStreamsFixedLength), NULL);
    return false;
}

static bool mmvs_flush(Stream *s)
{
    if (sp_object_is_closed(&s->base)) {
        sp_throw_stream_closed();
        return false;
    }
    int32_t err = sp_os_flush_view(&((MemoryMappedViewStream *)s)->view);
    if (err) {
        sp_throw_io_error(err, NULL);
        return false;
    }
    return true;
}

static const sp_stream_ops view_stream_ops = {
    .read = ums_read,
    .write = ums_write,
    .flush = mmvs_flush,
    .seek = ums_seek,
    .get_length = ums_get_length,
    .set_length = mmvs_set_length,
    .get_position = ums_get_position,
    .can_read = ums_can_read,
    .can_write = ums_can_write,
};

MemoryMappedViewStream *MemoryMappedFile_CreateViewStream_ex(MemoryMappedFile *mmf, int64_t offset, int64_t size,
                                                             MemoryMappedFileAccess access)
{
    sp_view *view;
    MemoryMappedViewStream *v =
        sp_mmf_new_view_object(mmf, offset, size, access, sizeof *v, &sp_type_MemoryMappedViewStream,
                               offsetof(MemoryMappedViewStream, view), &view);
    if (!v)
        return NULL;
    sp_stream_init(&v->ums.stream, &view_stream_ops);
    v->ums.memory = view->base + view->pointer_offset;
    v->ums.length = v->ums.capacity = view->size;
    v->ums.access = access;
    return v;
}

MemoryMappedViewStream *MemoryMappedFile_CreateViewStream(MemoryMappedFile *mmf)
{
    return MemoryMappedFile_CreateViewStream_ex(mmf, 0, 0, MemoryMappedFileAccess_ReadWrite);
}

#undef MemoryMappedViewStream_get_PointerOffset
#undef UnmanagedMemoryStream_get_Capacity
#undef UnmanagedMemoryStream_get_PositionPointer

#undef MemoryMappedViewStream_get_SafeMemoryMappedViewHandle

/* As .NET, the handle is there after Dispose too (closed). */
SafeMemoryMappedViewHandle *MemoryMappedViewStream_get_SafeMemoryMappedViewHandle(MemoryMappedViewStream *stream)
{
    if (!sp_check_type(stream, &sp_type_MemoryMappedViewStream, "stream"))
        return NULL;
    return sp_mmf_view_safe_handle(&stream->safe_handle, &stream->view, &stream->ums.stream.base);
}

/* As .NET, PointerOffset answers even after Dispose. */
int64_t MemoryMappedViewStream_get_PointerOffset(MemoryMappedViewStream *stream)
{
    if (!sp_check_type(stream, &sp_type_MemoryMappedViewStream, "stream"))
        return -1;
    sp_clear();
    return stream->view.pointer_offset;
}

int64_t UnmanagedMemoryStream_get_Capacity(UnmanagedMemoryStream *stream)
{
    if (!sp_check_open(stream, &sp_type_UnmanagedMemoryStream, "stream", SP_SR_TEXT(ObjectDisposed_StreamClosed)))
        return -1;
    return stream->capacity;
}

uint8_t *UnmanagedMemoryStream_get_PositionPointer(UnmanagedMemoryStream *stream)
{
    if (!sp_check_open(stream, &sp_type_UnmanagedMemoryStream, "stream", SP_SR_TEXT(ObjectDisposed_StreamClosed)))
        return NULL;
    /* Every sharpipc UnmanagedMemoryStream is a view over a SafeBuffer, where .NET refuses. */
    sp_throw(ExceptionType_NotSupportedException, SP_SR_TEXT(NotSupported_UmsSafeBuffer), NULL);
    return NULL;
}
