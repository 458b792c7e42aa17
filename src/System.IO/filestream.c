/* FileStream: a buffered stream over an OS file, with .NET's argument rules and Append mode. */
#include "System.IO/filestream.h"
#include "core/ioerror.h"
#include "core/safehandle.h"

#define SP_FILESTREAM_DEFAULT_BUFFER 4096

struct FileStream {
    Stream stream;
    sp_os_file file; /* the value of handle, which keeps it open while a call uses it */
    sp_handle *handle;
    char *path;
    FileAccess access;
    bool can_seek;
    int64_t position;     /* logical position (seekable files) */
    int64_t append_start; /* Append mode: no seeking before this; -1 otherwise */
    uint8_t *buffer;
    int32_t buffer_size;        /* 0: unbuffered */
    int32_t read_pos, read_len; /* buffered read data: buffer[read_pos..read_len) */
    int32_t write_len;          /* buffered write data: buffer[0..write_len) */
    /* The SafeFileHandle over handle, made on first use (FileStream_get_SafeFileHandle), or the one
     * the stream was made over. */
    _Atomic(SafeHandle *) safe_handle;
    /* Dispose ran (not only its handle closed, which leaves the stream closed too): the getter
     * then hands out the closed handle, as .NET's does. */
    atomic_bool disposed;
};

struct SafeFileHandle {
    SafeHandle safe;
    char *path; /* the file's full path (SafeFileHandle.Path), NULL when unknown */
};

static bool flush_write_buffer(FileStream *f)
{
    if (f->write_len == 0)
        return true;
    int32_t n = f->write_len;
    f->write_len = 0;
    int32_t err = sp_os_file_write(f->file, f->buffer, n);
    if (err) {
        sp_throw_io_error(err, f->path);
        return false;
    }
    return true;
}

/* Gives back read-ahead so the OS position matches the logical one again. */
static bool discard_read_buffer(FileStream *f)
{
    int32_t unread = f->read_len - f->read_pos;
    f->read_pos = f->read_len = 0;
    if (unread > 0 && f->can_seek) {
        int32_t err = sp_os_file_seek(f->file, -(int64_t)unread, SeekOrigin_Current, NULL);
        if (err) {
            sp_throw_io_error(err, f->path);
            return false;
        }
    }
    return true;
}

static bool filestream_close(Object *o)
{
    FileStream *f = (FileStream *)o;
    /* Pinned: a SafeHandle_Close on another thread must not close the file under the flush. A
     * handle already closed leaves nothing to write to, and .NET drops the buffer then too. */
    bool ok = true;
    if (f->write_len > 0 && f->handle && sp_handle_add_ref(f->handle)) {
        ok = flush_write_buffer(f);
        sp_handle_release(f->handle);
    }
    atomic_store(&f->disposed, true);
    /* The OS file closes when the last call that pinned it leaves (a read blocked on a FIFO in
     * another thread keeps it, as .NET's SafeFileHandle does), so its number is never reused
     * under a call. Through its SafeFileHandle when there is one: another stream that owns the
     * handle (this one was made over it) is closed with it, as .NET's is. */
    SafeHandle *s = atomic_load(&f->safe_handle);
    if (s)
        sp_safe_handle_close(s);
    else
        sp_handle_close(f->handle);
    return ok;
}

static void filestream_destroy(Object *o)
{
    FileStream *f = (FileStream *)o;
    sp_safe_handle_drop(&f->safe_handle, o);
    if (f->handle)
        sp_handle_unkeep(f->handle); /* the object's pointer */
    free(f->buffer);
    free(f->path);
}

const sp_type sp_type_FileStream = {"System.IO.FileStream", &sp_type_Stream, filestream_close, filestream_destroy};

static int32_t os_read(FileStream *f, uint8_t *buffer, int32_t count)
{
    int32_t done = 0;
    int32_t err = sp_os_file_read(f->file, buffer, count, &done);
    if (err) {
        sp_throw_io_error(err, f->path);
        return -1;
    }
    f->position += done;
    return done;
}

static int32_t fs_read(Stream *s, uint8_t *buffer, int32_t count)
{
    FileStream *f = (FileStream *)s;
    if (count == 0) /* a blocking stream sees empty calls too; they touch nothing */
        return 0;
    if (!flush_write_buffer(f))
        return -1;
    int32_t available = f->read_len - f->read_pos;
    if (available == 0) {
        if (f->buffer_size == 0 || count >= f->buffer_size)
            return os_read(f, buffer, count);
        int32_t done = 0;
        int32_t err = sp_os_file_read(f->file, f->buffer, f->buffer_size, &done);
        if (err) {
            sp_throw_io_error(err, f->path);
            return -1;
        }
        f->read_pos = 0;
        f->read_len = available = done;
        if (done == 0)
            return 0;
    }
    int32_t n = available < count ? available : count;
    memcpy(buffer, f->buffer + f->read_pos, (size_t)n);
    f->read_pos += n;
    f->position += n;
    return n;
}

static bool fs_write(Stream *s, const uint8_t *buffer, int32_t count)
{
    FileStream *f = (FileStream *)s;
    if (count == 0)
        return true;
    if (f->read_len > 0 && !discard_read_buffer(f))
        return false;
    if (f->buffer_size > 0 && count < f->buffer_size) {
        if (f->write_len + count > f->buffer_size && !flush_write_buffer(f))
            return false;
        memcpy(f->buffer + f->write_len, buffer, (size_t)count);
        f->write_len += count;
        f->position += count;
        return true;
    }
    if (!flush_write_buffer(f))
        return false;
    int32_t err = sp_os_file_write(f->file, buffer, count);
    if (err) {
        sp_throw_io_error(err, f->path);
        return false;
    }
    f->position += count;
    return true;
}


static bool fs_flush(Stream *s)
{
    FileStream *f = (FileStream *)s;
    if (sp_object_is_closed(&s->base)) {
        sp_throw_sr(ExceptionType_ObjectDisposedException, SR_ObjectDisposed_FileClosed, NULL);
        return false;
    }
    return flush_write_buffer(f) && (f->read_len == 0 || discard_read_buffer(f));
}

static int64_t fs_get_length(Stream *s)
{
    FileStream *f = (FileStream *)s;
    int64_t length;
    int32_t err = sp_os_file_get_length(f->file, &length);
    if (err) {
        sp_throw_io_error(err, f->path);
        return -1;
    }
    /* Bytes still in the write buffer may extend the file. */
    if (f->write_len > 0 && f->position > length)
        length = f->position;
    return length;
}

static int64_t fs_seek(Stream *s, int64_t offset, SeekOrigin origin)
{
    FileStream *f = (FileStream *)s;
    int64_t base = 0;
    if (origin == SeekOrigin_Current)
        base = f->position;
    else if (origin == SeekOrigin_End && (base = fs_get_length(s)) < 0)
        return -1;
    /* .NET adds unchecked (OSFileStreamStrategy.Seek): a sum past long.MaxValue wraps negative
     * and is refused like any negative position. Wrap the same way, without C's signed overflow. */
    int64_t target = (int64_t)((uint64_t)base + (uint64_t)offset);
    if (target < 0) { /* .NET reports the OS's invalid-argument error with the path */
        sp_throw_io_error(sp_os_error_invalid_parameter(), f->path);
        return -1;
    }
    if (f->append_start >= 0 && target < f->append_start) {
        sp_throw_sr(ExceptionType_IOException, SR_IO_SeekAppendOverwrite, NULL);
        return -1;
    }
    if (!flush_write_buffer(f))
        return -1;
    /* A seek inside the read buffer keeps it. */
    int64_t buffer_start = f->position - f->read_pos;
    if (f->read_len > 0 && target >= buffer_start && target <= buffer_start + f->read_len) {
        f->read_pos = (int32_t)(target - buffer_start);
        f->position = target;
        return target;
    }
    f->read_pos = f->read_len = 0;
    int32_t err = sp_os_file_seek(f->file, target, SeekOrigin_Begin, NULL);
    if (err) {
        sp_throw_io_error(err, f->path);
        return -1;
    }
    f->position = target;
    return target;
}

static int64_t fs_get_position(Stream *s) { return ((FileStream *)s)->position; }

static bool fs_set_length(Stream *s, int64_t length)
{
    FileStream *f = (FileStream *)s;
    if (sp_object_is_closed(&s->base)) {
        sp_throw_sr(ExceptionType_ObjectDisposedException, SR_ObjectDisposed_FileClosed, NULL);
        return false;
    }
    if (!f->can_seek) {
        sp_throw_not_seekable();
        return false;
    }
    if (!(f->access & FileAccess_Write)) {
        sp_throw_not_writable();
        return false;
    }
    if (f->append_start >= 0 && length < f->append_start) {
        sp_throw_sr(ExceptionType_IOException, SR_IO_SetLengthAppendTruncate, NULL);
        return false;
    }
    if (!flush_write_buffer(f) || (f->read_len > 0 && !discard_read_buffer(f)))
        return false;
    int32_t err = sp_os_file_set_length(f->file, length);
    if (err) {
        sp_throw_io_error(err, f->path);
        return false;
    }
    if (f->position > length) {
        f->position = length;
        err = sp_os_file_seek(f->file, length, SeekOrigin_Begin, NULL);
        if (err) {
            sp_throw_io_error(err, f->path);
            return false;
        }
    }
    return true;
}

static bool fs_can_read(Stream *s) { return (((FileStream *)s)->access & FileAccess_Read) != 0; }
static bool fs_can_write(Stream *s) { return (((FileStream *)s)->access & FileAccess_Write) != 0; }
static bool fs_can_seek(Stream *s) { return ((FileStream *)s)->can_seek; }

static const sp_stream_ops filestream_ops = {
    .read = fs_read,
    .write = fs_write,
    .flush = fs_flush,
    .seek = fs_seek,
    .get_length = fs_get_length,
    .set_length = fs_set_length,
    .get_position = fs_get_position,
    .can_read = fs_can_read,
    .can_write = fs_can_write,
    .can_seek = fs_can_seek,
    .blocking = true, /* a FIFO or a character device blocks */
    .closed_message = SP_SR_TEXT(ObjectDisposed_FileClosed),
    .origin_param = "origin",
};

static void release_file(intptr_t value, void *context) { sp_os_file_close((sp_os_file)value); }

static const char *mode_name(FileMode m)
{
    static const char *names[] = {"", "CreateNew", "Create", "Open", "OpenOrCreate", "Truncate", "Append"};
    return names[m];
}

static const char *access_name(FileAccess a)
{
    static const char *names[] = {"", "Read", "Write", "ReadWrite"};
    return names[a];
}

#undef FileStream_new

FileStream *FileStream_new_ex(const char *path, FileMode mode, FileAccess access, FileShare share, int32_t bufferSize,
                              FileOptions options)
{
    if (!path) {
        sp_throw_null("path");
        return NULL;
    }
    if (!*path) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_EmptyString, "path");
        return NULL;
    }
    if (mode < FileMode_CreateNew || mode > FileMode_Append) {
        sp_throw_out_of_range("mode", sp_sr(SR_ArgumentOutOfRange_Enum));
        return NULL;
    }
    if (access < FileAccess_Read || access > FileAccess_ReadWrite) {
        sp_throw_out_of_range("access", sp_sr(SR_ArgumentOutOfRange_Enum));
        return NULL;
    }
    int tempshare = share & ~FileShare_Inheritable;
    if (tempshare < 0 || tempshare > (FileShare_ReadWrite | FileShare_Delete)) {
        sp_throw_out_of_range("share", sp_sr(SR_ArgumentOutOfRange_Enum));
        return NULL;
    }
    if (bufferSize < -1) {
        sp_throw_out_of_range("bufferSize", sp_sr(SR_ArgumentOutOfRange_NeedPosNum));
        return NULL;
    }
    if (!(access & FileAccess_Write) && (mode == FileMode_Truncate || mode == FileMode_CreateNew ||
                                         mode == FileMode_Create || mode == FileMode_Append)) {
        sp_throwf_sr(ExceptionType_ArgumentException, "access", SR_Argument_InvalidFileModeAndAccessCombo,
                     mode_name(mode), access_name(access));
        return NULL;
    }
    if ((access & FileAccess_Read) && mode == FileMode_Append) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_InvalidAppendMode, "access");
        return NULL;
    }
    char *full = sp_os_path_full(path);
    if (!full) {
        sp_throw_out_of_memory();
        return NULL;
    }
    FileStream *f = sp_object_new(sizeof *f, &sp_type_FileStream);
    if (!f) {
        free(full);
        return NULL;
    }
    sp_stream_init(&f->stream, &filestream_ops);
    f->path = full;
    f->access = access;
    f->append_start = -1;
    f->file = SP_OS_FILE_INVALID;
    f->buffer_size = bufferSize == -1 ? SP_FILESTREAM_DEFAULT_BUFFER : bufferSize > 1 ? bufferSize : 0;
    if (f->buffer_size > 0 && !(f->buffer = sp_malloc((size_t)f->buffer_size)))
        goto fail;
    int32_t err = sp_os_file_open(full, mode, access, share, options, &f->file);
    if (err) {
        sp_throw_io_error(err, full);
        goto fail;
    }
    if (!(f->handle = sp_handle_new((intptr_t)f->file, release_file, NULL)))
        goto fail;
    sp_handle_keep(f->handle); /* the object points at it until its destroy */
    f->stream.os_handle = f->handle;
    f->can_seek = sp_os_file_can_seek(f->file);
    if (mode == FileMode_Append && f->can_seek) {
        err = sp_os_file_seek(f->file, 0, SeekOrigin_End, &f->append_start);
        if (err) {
            sp_throw_io_error(err, full);
            goto fail;
        }
        f->position = f->append_start;
    }
    sp_clear();
    return f;
fail:
    if (f->handle)
        sp_handle_close(f->handle);
    else if (f->file != SP_OS_FILE_INVALID)
        sp_os_file_close(f->file);
    atomic_store(&f->stream.base.closed, true);
    sp_object_release(&f->stream.base);
    return NULL;
}

FileStream *FileStream_new(const char *path, FileMode mode)
{
    return FileStream_new_ex(path, mode, mode == FileMode_Append ? FileAccess_Write : FileAccess_ReadWrite,
                             FileShare_Read, -1, FileOptions_None);
}

bool sp_filestream_flush_to_os(FileStream *stream, sp_os_file *file)
{
    if (!fs_flush(&stream->stream))
        return false;
    *file = stream->file;
    return true;
}

static FileStream *check_fs(FileStream *f) { return (FileStream *)sp_check_type(f, &sp_type_FileStream, "stream"); }

char *FileStream_get_Name(FileStream *stream)
{
    if (!check_fs(stream))
        return NULL;
    sp_clear();
    /* a stream made over a handle whose path nobody knows: .NET's IO_UnknownFileName */
    return sp_strdup(stream->path ? stream->path : sp_sr(SR_IO_UnknownFileName));
}

bool FileStream_Flush(FileStream *stream, bool flushToDisk)
{
    if (!check_fs(stream) || !sp_stream_check_open(&stream->stream, "stream"))
        return false;
    sp_clear();
    if (!fs_flush(&stream->stream))
        return false;
    if (flushToDisk && (stream->access & FileAccess_Write)) {
        int32_t err = sp_os_file_sync(stream->file);
        if (err) {
            sp_throw_io_error(err, stream->path);
            return false;
        }
    }
    return true;
}

bool FileStream_get_IsAsync(FileStream *stream)
{
    if (!check_fs(stream))
        return false;
    sp_clear();
    return false;
}

bool File_Exists(const char *path)
{
    sp_clear();
    return path && *path && sp_os_path_exists_as_file(path);
}

bool File_Delete(const char *path)
{
    if (!path) {
        sp_throw_null("path");
        return false;
    }
    if (!*path) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_EmptyString, "path");
        return false;
    }
    char *full = sp_os_path_full(path);
    if (!full) {
        sp_throw_out_of_memory();
        return false;
    }
    int32_t err = sp_os_path_delete_file(full);
    if (err)
        sp_throw_io_error(err, full);
    else
        sp_clear();
    free(full);
    return !err;
}

/* ================================================================ SafeFileHandle */

#undef FileStream_get_SafeFileHandle

static void safe_file_handle_destroy(Object *o)
{
    SafeFileHandle *s = (SafeFileHandle *)o;
    free(s->path);
    sp_handle_unkeep(s->safe.handle);
}

const sp_type sp_type_SafeFileHandle = {"Microsoft.Win32.SafeHandles.SafeFileHandle", &sp_type_SafeHandle, NULL,
                                        safe_file_handle_destroy};

static bool file_is_invalid(intptr_t value) { return (sp_os_file)value == SP_OS_FILE_INVALID; }

/* Closing the handle leaves its FileStream closed (the default owner_closed): .NET's FileStream
 * is closed once its handle is (FileStream.IsClosed is the handle's), and its later Dispose
 * writes nothing. */
static const sp_safe_handle_ops file_ops = {NULL, file_is_invalid, NULL};

/* .NET's FileStream.SafeFileHandle: the buffered strategy flushes first (so whoever uses the
 * handle sees what was written), which with its handle closed is ObjectDisposedException; the
 * unbuffered one, and any stream after its Dispose, returns the handle, closed or not (what .NET
 * 10 does). */
SafeFileHandle *FileStream_get_SafeFileHandle(FileStream *stream)
{
    if (!check_fs(stream))
        return NULL;
    if (stream->buffer_size > 0 && !atomic_load(&stream->disposed)) {
        if (!sp_call_enter(&stream->stream.base, stream->handle, SP_SR_TEXT(ObjectDisposed_FileClosed))) {
            if (atomic_load(&stream->disposed)) /* Dispose came between: as after it */
                return FileStream_get_SafeFileHandle(stream);
            return NULL;
        }
        bool flushed = flush_write_buffer(stream) && (stream->read_len == 0 || discard_read_buffer(stream));
        sp_call_leave(&stream->stream.base, stream->handle);
        if (!flushed)
            return NULL;
    }
    SafeHandle *s = atomic_load(&stream->safe_handle);
    if (!s) {
        sp_handle_keep(stream->handle); /* the SafeFileHandle's pointer */
        s = sp_safe_handle_new(sizeof(SafeFileHandle), &sp_type_SafeFileHandle, &file_ops, stream->handle, false,
                               &stream->stream.base);
        if (!s)
            return NULL;
        if (stream->path && !(((SafeFileHandle *)s)->path = sp_strdup(stream->path))) {
            s->owner = NULL;
            s->owns = false;
            sp_object_release(&s->base);
            return NULL;
        }
        s = sp_safe_handle_publish(&stream->safe_handle, s, false);
    }
    sp_clear();
    return (SafeFileHandle *)s;
}

bool SafeFileHandle_get_IsInvalid(SafeFileHandle *handle)
{
    if (!sp_check_type(handle, &sp_type_SafeFileHandle, "handle"))
        return false;
    sp_clear();
    return file_is_invalid(sp_handle_value(handle->safe.handle));
}

SafeFileHandle *SafeFileHandle_new(intptr_t preexistingHandle, bool ownsHandle)
{
    sp_handle *h =
        sp_handle_new(preexistingHandle, ownsHandle && !file_is_invalid(preexistingHandle) ? release_file : NULL, NULL);
    if (!h)
        return NULL;
    sp_handle_keep(h); /* the object's pointer */
    SafeHandle *s = sp_safe_handle_new(sizeof(SafeFileHandle), &sp_type_SafeFileHandle, &file_ops, h, true, NULL);
    if (!s)
        return NULL;
    sp_clear();
    return (SafeFileHandle *)s;
}

/* new FileStream(SafeFileHandle handle, FileAccess access, int bufferSize): .NET's ValidateHandle
 * checks in its order; the stream shares the handle (its Dispose closes it, as .NET's), and its
 * SafeFileHandle getter returns that same object. */
FileStream *FileStream_newFromHandle(SafeFileHandle *handle, FileAccess access, int32_t bufferSize)
{
    if (!handle) {
        sp_throw_null("handle");
        return NULL;
    }
    if (!sp_check_type(handle, &sp_type_SafeFileHandle, "handle"))
        return NULL;
    sp_handle *h = handle->safe.handle;
    if (file_is_invalid(sp_handle_value(h))) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_Arg_InvalidHandle, "handle");
        return NULL;
    }
    if (access < FileAccess_Read || access > FileAccess_ReadWrite) {
        sp_throw_out_of_range("access", sp_sr(SR_ArgumentOutOfRange_Enum));
        return NULL;
    }
    if (bufferSize < 0) {
        sp_throw_out_of_range("bufferSize", sp_sr(SR_ArgumentOutOfRange_NeedNonNegNum));
        return NULL;
    }
    /* pinned while the stream is set up, so the file cannot close under it */
    if (!sp_handle_add_ref(h)) {
        sp_throw_sr(ExceptionType_ObjectDisposedException, SR_ObjectDisposed_FileClosed, NULL);
        return NULL;
    }
    FileStream *f = sp_object_new(sizeof *f, &sp_type_FileStream);
    if (!f)
        goto fail;
    sp_stream_init(&f->stream, &filestream_ops);
    f->access = access;
    f->append_start = -1;
    f->file = (sp_os_file)sp_handle_value(h);
    f->buffer_size = bufferSize > 1 ? bufferSize : 0;
    if ((handle->path && !(f->path = sp_strdup(handle->path))) ||
        (f->buffer_size > 0 && !(f->buffer = sp_malloc((size_t)f->buffer_size)))) {
        atomic_store(&f->stream.base.closed, true); /* nothing to close: the handle is the caller's */
        sp_object_release(&f->stream.base);
        f = NULL;
        goto fail;
    }
    sp_handle_keep(h); /* the stream points at it until its destroy */
    f->handle = h;
    f->stream.os_handle = h;
    f->can_seek = sp_os_file_can_seek(f->file);
    /* .NET starts at the handle's current position (OSFileStreamStrategy) */
    if (f->can_seek && sp_os_file_seek(f->file, 0, SeekOrigin_Current, &f->position) != 0)
        f->position = 0;
    sp_safe_handle_adopt(&f->safe_handle, &handle->safe, &f->stream.base);
fail:
    sp_handle_release(h);
    if (f)
        sp_clear();
    return f;
}
