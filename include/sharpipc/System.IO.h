/*
 * System.IO: Stream and its adapters.
 *
 * Every stream in sharpipc (MemoryStream, FileStream, the pipe streams, NetworkStream,
 * MemoryMappedViewStream) is a Stream, so the Stream_* calls, BinaryReader/Writer and
 * StreamReader/Writer work over all of them. The Stream_* macros accept any derived type.
 */
#ifndef SHARPIPC_SYSTEM_IO_H
#define SHARPIPC_SYSTEM_IO_H

#include "System.h"
#include "System.Text.h"
#include "inline.h"

SHARPIPC_BEGIN_DECLS

typedef enum SeekOrigin { SeekOrigin_Begin = 0, SeekOrigin_Current = 1, SeekOrigin_End = 2 } SeekOrigin;

typedef enum FileMode {
    FileMode_CreateNew = 1,
    FileMode_Create = 2,
    FileMode_Open = 3,
    FileMode_OpenOrCreate = 4,
    FileMode_Truncate = 5,
    FileMode_Append = 6
} FileMode;

typedef enum FileAccess { FileAccess_Read = 1, FileAccess_Write = 2, FileAccess_ReadWrite = 3 } FileAccess;

typedef enum FileShare {
    FileShare_None = 0,
    FileShare_Read = 1,
    FileShare_Write = 2,
    FileShare_ReadWrite = 3,
    FileShare_Delete = 4,
    FileShare_Inheritable = 16
} FileShare;

typedef enum HandleInheritability {
    HandleInheritability_None = 0,
    HandleInheritability_Inheritable = 1
} HandleInheritability;

typedef enum FileOptions {
    FileOptions_None = 0,
    FileOptions_WriteThrough = (int)0x80000000u,
    FileOptions_Asynchronous = 0x40000000,
    FileOptions_RandomAccess = 0x10000000,
    FileOptions_DeleteOnClose = 0x04000000,
    FileOptions_SequentialScan = 0x08000000,
    FileOptions_Encrypted = 0x00004000
} FileOptions;

/* ================================================================ Stream */

/* Reads up to count bytes into buffer + offset; returns how many (0 at end of stream), or -1. */
SHARPIPC_API int32_t Stream_Read(Stream *stream, void *buffer, int32_t offset, int32_t count);
/* Read(Span<byte>): buffer holds count bytes. */
SHARPIPC_API int32_t Stream_ReadSpan(Stream *stream, void *buffer, int32_t count);
/* ReadExactly: all count bytes or an EndOfStreamException. */
SHARPIPC_API bool Stream_ReadExactly(Stream *stream, void *buffer, int32_t offset, int32_t count);
/* Writes all count bytes from buffer + offset. */
SHARPIPC_API bool Stream_Write(Stream *stream, const void *buffer, int32_t offset, int32_t count);
SHARPIPC_API bool Stream_WriteSpan(Stream *stream, const void *buffer, int32_t count);
/* The next byte (0..255), or -1 at end of stream and on failure (the exception tells which). */
SHARPIPC_API int32_t Stream_ReadByte(Stream *stream);
SHARPIPC_API bool Stream_WriteByte(Stream *stream, uint8_t value);
SHARPIPC_API bool Stream_Flush(Stream *stream);
/* The new position, or -1. */
SHARPIPC_API int64_t Stream_Seek(Stream *stream, int64_t offset, SeekOrigin origin);
SHARPIPC_API int64_t Stream_get_Length(Stream *stream);
SHARPIPC_API bool Stream_SetLength(Stream *stream, int64_t value);
SHARPIPC_API int64_t Stream_get_Position(Stream *stream);
SHARPIPC_API bool Stream_set_Position(Stream *stream, int64_t value);
/* False once the stream is closed, as in .NET (no exception). */
SHARPIPC_API bool Stream_get_CanRead(Stream *stream);
SHARPIPC_API bool Stream_get_CanWrite(Stream *stream);
SHARPIPC_API bool Stream_get_CanSeek(Stream *stream);
SHARPIPC_API bool Stream_get_CanTimeout(Stream *stream);
/* Milliseconds, -1 = infinite; InvalidOperationException where CanTimeout is false. */
SHARPIPC_API int32_t Stream_get_ReadTimeout(Stream *stream);
SHARPIPC_API bool Stream_set_ReadTimeout(Stream *stream, int32_t milliseconds);
SHARPIPC_API int32_t Stream_get_WriteTimeout(Stream *stream);
SHARPIPC_API bool Stream_set_WriteTimeout(Stream *stream, int32_t milliseconds);
/* Copies from the current position to the end of stream into destination. */
SHARPIPC_API bool Stream_CopyTo(Stream *stream, Stream *destination);
SHARPIPC_API bool Stream_CopyToWithBufferSize(Stream *stream, Stream *destination, int32_t bufferSize);
/* .NET's Close(): closes and flushes, keeps the caller's reference (Dispose releases it). */
SHARPIPC_API bool Stream_Close(Stream *stream);
SHARPIPC_API bool Stream_Dispose(Stream *stream);

#ifdef SHARPIPC_HAVE_GENERIC
#  define Stream_Read(...) SP_OVERLOAD(Stream_Read, __VA_ARGS__)
#  define Stream_Read__4(s, b, o, c) (Stream_Read)(SP_AS_Stream(s), b, o, c)
#  define Stream_Read__3(s, b, c) Stream_ReadSpan(SP_AS_Stream(s), b, c)
#  define Stream_ReadSpan(s, b, c) (Stream_ReadSpan)(SP_AS_Stream(s), b, c)
#  define Stream_ReadExactly(...) SP_OVERLOAD(Stream_ReadExactly, __VA_ARGS__)
#  define Stream_ReadExactly__4(s, b, o, c) (Stream_ReadExactly)(SP_AS_Stream(s), b, o, c)
#  define Stream_ReadExactly__3(s, b, c) (Stream_ReadExactly)(SP_AS_Stream(s), b, 0, c)
#  define Stream_Write(...) SP_OVERLOAD(Stream_Write, __VA_ARGS__)
#  define Stream_Write__4(s, b, o, c) (Stream_Write)(SP_AS_Stream(s), b, o, c)
#  define Stream_Write__3(s, b, c) Stream_WriteSpan(SP_AS_Stream(s), b, c)
#  define Stream_WriteSpan(s, b, c) (Stream_WriteSpan)(SP_AS_Stream(s), b, c)
#  define Stream_ReadByte(s) (Stream_ReadByte)(SP_AS_Stream(s))
#  define Stream_WriteByte(s, v) (Stream_WriteByte)(SP_AS_Stream(s), v)
#  define Stream_Flush(s) (Stream_Flush)(SP_AS_Stream(s))
#  define Stream_Seek(s, o, r) (Stream_Seek)(SP_AS_Stream(s), o, r)
#  define Stream_get_Length(s) (Stream_get_Length)(SP_AS_Stream(s))
#  define Stream_SetLength(s, v) (Stream_SetLength)(SP_AS_Stream(s), v)
#  define Stream_get_Position(s) (Stream_get_Position)(SP_AS_Stream(s))
#  define Stream_set_Position(s, v) (Stream_set_Position)(SP_AS_Stream(s), v)
#  define Stream_get_CanRead(s) (Stream_get_CanRead)(SP_AS_Stream(s))
#  define Stream_get_CanWrite(s) (Stream_get_CanWrite)(SP_AS_Stream(s))
#  define Stream_get_CanSeek(s) (Stream_get_CanSeek)(SP_AS_Stream(s))
#  define Stream_get_CanTimeout(s) (Stream_get_CanTimeout)(SP_AS_Stream(s))
#  define Stream_get_ReadTimeout(s) (Stream_get_ReadTimeout)(SP_AS_Stream(s))
#  define Stream_set_ReadTimeout(s, v) (Stream_set_ReadTimeout)(SP_AS_Stream(s), v)
#  define Stream_get_WriteTimeout(s) (Stream_get_WriteTimeout)(SP_AS_Stream(s))
#  define Stream_set_WriteTimeout(s, v) (Stream_set_WriteTimeout)(SP_AS_Stream(s), v)
#  define Stream_CopyTo(...) SP_OVERLOAD(Stream_CopyTo, __VA_ARGS__)
#  define Stream_CopyTo__2(s, d) (Stream_CopyTo)(SP_AS_Stream(s), SP_AS_Stream(d))
#  define Stream_CopyTo__3(s, d, n) Stream_CopyToWithBufferSize(SP_AS_Stream(s), SP_AS_Stream(d), n)
#  define Stream_Close(s) (Stream_Close)(SP_AS_Stream(s))
#  define Stream_Dispose(s) (Stream_Dispose)(SP_AS_Stream(s))
#endif

/* ================================================================ MemoryStream */

/* new MemoryStream(): expandable, starts empty. */
SHARPIPC_API MemoryStream *MemoryStream_new(void);
/* new MemoryStream(capacity). */
SHARPIPC_API MemoryStream *MemoryStream_newWithCapacity(int32_t capacity);
/* new MemoryStream(buffer, index, count, writable, publiclyVisible): a fixed-size stream over the
 * caller's memory, which must outlive the stream. */
SHARPIPC_API MemoryStream *MemoryStream_newFromBuffer(void *buffer, int32_t index, int32_t count, bool writable,
                                                      bool publiclyVisible);
/* A copy of the contents (all of them, whatever the Position); free with Array_Free. length may be
 * NULL. An empty stream gives a non-NULL zero-length array. */
SHARPIPC_API uint8_t *MemoryStream_ToArray(MemoryStream *stream, int32_t *length);
/* The underlying buffer (borrowed, valid until the stream grows or dies); .NET's
 * UnauthorizedAccessException when the stream was made over a buffer that is not publicly visible. */
SHARPIPC_API uint8_t *MemoryStream_GetBuffer(MemoryStream *stream);
SHARPIPC_API bool MemoryStream_TryGetBuffer(MemoryStream *stream, uint8_t **buffer, int32_t *length);
SHARPIPC_API int32_t MemoryStream_get_Capacity(MemoryStream *stream);
SHARPIPC_API bool MemoryStream_set_Capacity(MemoryStream *stream, int32_t capacity);
SHARPIPC_API bool MemoryStream_WriteTo(MemoryStream *stream, Stream *destination);

#ifdef SHARPIPC_HAVE_GENERIC
#  define MemoryStream_new(...) SP_OVERLOAD(MemoryStream_new, __VA_ARGS__)
#  define MemoryStream_new__0() (MemoryStream_new)()
#  define MemoryStream_new__1(capacity) MemoryStream_newWithCapacity(capacity)
#  define MemoryStream_new__2(b, c) MemoryStream_newFromBuffer(b, 0, c, true, false)
#  define MemoryStream_new__3(b, i, c) MemoryStream_newFromBuffer(b, i, c, true, false)
#  define MemoryStream_new__4(b, i, c, w) MemoryStream_newFromBuffer(b, i, c, w, false)
#  define MemoryStream_new__5(b, i, c, w, v) MemoryStream_newFromBuffer(b, i, c, w, v)
#  define MemoryStream_ToArray(...) SP_OVERLOAD(MemoryStream_ToArray, __VA_ARGS__)
#  define MemoryStream_ToArray__1(s) (MemoryStream_ToArray)(s, NULL)
#  define MemoryStream_ToArray__2(s, n) (MemoryStream_ToArray)(s, n)
#  define MemoryStream_WriteTo(s, d) (MemoryStream_WriteTo)(s, SP_AS_Stream(d))
#endif

/* ================================================================ FileStream */

/* new FileStream(path, mode, access, share, bufferSize, options). bufferSize 0 or 1 disables
 * buffering, -1 means .NET's default 4096. */
SHARPIPC_API FileStream *FileStream_new_ex(const char *path, FileMode mode, FileAccess access, FileShare share,
                                           int32_t bufferSize, FileOptions options);
/* new FileStream(path, mode): ReadWrite (Write for Append), FileShare.Read. */
SHARPIPC_API FileStream *FileStream_new(const char *path, FileMode mode);
/* The full path the stream was opened with. Free with String_Free. */
SHARPIPC_API char *FileStream_get_Name(FileStream *stream);
/* Flush(flushToDisk): with true, also asks the OS to write its caches to the device. */
SHARPIPC_API bool FileStream_Flush(FileStream *stream, bool flushToDisk);
SHARPIPC_API bool FileStream_get_IsAsync(FileStream *stream);

#ifdef SHARPIPC_HAVE_GENERIC
#  define FileStream_new(...) SP_OVERLOAD(FileStream_new, __VA_ARGS__)
#  define FileStream_new__2(p, m) (FileStream_new)(p, m)
#  define FileStream_new__3(p, m, a) FileStream_new_ex(p, m, a, FileShare_Read, -1, FileOptions_None)
#  define FileStream_new__4(p, m, a, s) FileStream_new_ex(p, m, a, s, -1, FileOptions_None)
#  define FileStream_new__5(p, m, a, s, b) FileStream_new_ex(p, m, a, s, b, FileOptions_None)
#  define FileStream_new__6(p, m, a, s, b, o) FileStream_new_ex(p, m, a, s, b, o)
#endif

/* ---------------------------------------------------------------- FileStream.SafeFileHandle */
#include "Microsoft.Win32.SafeHandles.h"
/* FileStream.SafeFileHandle: writes out what the stream buffers first, then returns the file's
 * handle (borrowed: the same object each time, valid while the stream lives). Disposing the
 * stream closes it; closing it (SafeHandle_Close) closes the stream, as .NET's FileStream is closed
 * once its handle is. A buffered stream that is closed: ObjectDisposedException. */
SHARPIPC_API SafeFileHandle *FileStream_get_SafeFileHandle(FileStream *stream);
/* new FileStream(SafeFileHandle handle, FileAccess access, int bufferSize): a stream over the
 * handle, sharing it (its Dispose closes the handle, as .NET's; the handle is retained). bufferSize
 * 0 or 1 disables buffering; .NET's two-argument form is bufferSize 4096. An explicit name only:
 * FileStream_new(path, mode) has the same arity. */
SHARPIPC_API FileStream *FileStream_newFromHandle(SafeFileHandle *handle, FileAccess access, int32_t bufferSize);

/* ================================================================ File (helpers the tests and samples need) */

SHARPIPC_API bool File_Exists(const char *path);
/* Deleting a missing file is not an error, as in .NET. */
SHARPIPC_API bool File_Delete(const char *path);

/* ================================================================ BinaryWriter */

/* new BinaryWriter(output, encoding, leaveOpen); encoding NULL means UTF-8. The writer keeps a
 * reference to output. ArgumentException when output is not writable. */
SHARPIPC_API BinaryWriter *BinaryWriter_new_ex(Stream *output, const Encoding *encoding, bool leaveOpen);
SHARPIPC_API BinaryWriter *BinaryWriter_new(Stream *output);
SHARPIPC_API bool BinaryWriter_WriteBoolean(BinaryWriter *writer, bool value);
SHARPIPC_API bool BinaryWriter_WriteByte(BinaryWriter *writer, uint8_t value);
SHARPIPC_API bool BinaryWriter_WriteSByte(BinaryWriter *writer, int8_t value);
SHARPIPC_API bool BinaryWriter_WriteInt16(BinaryWriter *writer, int16_t value);
SHARPIPC_API bool BinaryWriter_WriteUInt16(BinaryWriter *writer, uint16_t value);
SHARPIPC_API bool BinaryWriter_WriteInt32(BinaryWriter *writer, int32_t value);
SHARPIPC_API bool BinaryWriter_WriteUInt32(BinaryWriter *writer, uint32_t value);
SHARPIPC_API bool BinaryWriter_WriteInt64(BinaryWriter *writer, int64_t value);
SHARPIPC_API bool BinaryWriter_WriteUInt64(BinaryWriter *writer, uint64_t value);
SHARPIPC_API bool BinaryWriter_WriteSingle(BinaryWriter *writer, float value);
SHARPIPC_API bool BinaryWriter_WriteDouble(BinaryWriter *writer, double value);
SHARPIPC_API bool BinaryWriter_WriteDecimal(BinaryWriter *writer, Decimal value);
SHARPIPC_API bool BinaryWriter_WriteHalf(BinaryWriter *writer, Half value);
/* Write(char): one UTF-16 code unit; a lone surrogate is an ArgumentException. */
SHARPIPC_API bool BinaryWriter_WriteChar(BinaryWriter *writer, uint16_t value);
/* Write(string): 7-bit encoded byte count, then the text in the writer's encoding. The UTF-8
 * input is NUL-terminated; invalid UTF-8 becomes U+FFFD as .NET does for lone surrogates. */
SHARPIPC_API bool BinaryWriter_WriteString(BinaryWriter *writer, const char *value);
/* Write(string) for a string that may hold U+0000: byteLength bytes of UTF-8. */
SHARPIPC_API bool BinaryWriter_WriteStringWithLength(BinaryWriter *writer, const char *value, int32_t byteLength);
/* Write(byte[] buffer, int index, int count): raw bytes, no prefix. */
SHARPIPC_API bool BinaryWriter_WriteBytes(BinaryWriter *writer, const void *buffer, int32_t index, int32_t count);
/* Write(char[] chars, int index, int count) with the chars as UTF-16 code units: encoded, no prefix. */
SHARPIPC_API bool BinaryWriter_WriteChars(BinaryWriter *writer, const uint16_t *chars, int32_t index, int32_t count);
/* Write(ReadOnlySpan<char>) given as UTF-8: encoded in the writer's encoding, no prefix. */
SHARPIPC_API bool BinaryWriter_WriteUtf8Chars(BinaryWriter *writer, const char *chars, int32_t index, int32_t count);
SHARPIPC_API bool BinaryWriter_Write7BitEncodedInt(BinaryWriter *writer, int32_t value);
SHARPIPC_API bool BinaryWriter_Write7BitEncodedInt64(BinaryWriter *writer, int64_t value);
SHARPIPC_API bool BinaryWriter_Flush(BinaryWriter *writer);
SHARPIPC_API int64_t BinaryWriter_Seek(BinaryWriter *writer, int32_t offset, SeekOrigin origin);
/* The stream written to (borrowed: the writer holds the reference). Flushes first, as .NET. */
SHARPIPC_API Stream *BinaryWriter_get_BaseStream(BinaryWriter *writer);
SHARPIPC_API bool BinaryWriter_Close(BinaryWriter *writer);
SHARPIPC_API bool BinaryWriter_Dispose(BinaryWriter *writer);

#ifdef SHARPIPC_HAVE_GENERIC
#  include <limits.h>
#  if LONG_MAX == 0x7fffffffffffffffL
#    define SP_BW_LONG_ BinaryWriter_WriteInt64
#    define SP_BW_ULONG_ BinaryWriter_WriteUInt64
#  else
#    define SP_BW_LONG_ BinaryWriter_WriteInt32
#    define SP_BW_ULONG_ BinaryWriter_WriteUInt32
#  endif
#  define BinaryWriter_new(...) SP_OVERLOAD(BinaryWriter_new, __VA_ARGS__)
#  define BinaryWriter_new__1(s) (BinaryWriter_new)(SP_AS_Stream(s))
#  define BinaryWriter_new__2(s, e) BinaryWriter_new_ex(SP_AS_Stream(s), e, false)
#  define BinaryWriter_new__3(s, e, l) BinaryWriter_new_ex(SP_AS_Stream(s), e, l)
/* Write(value) by the C type of value; plain char is deliberately absent (a byte or a UTF-16
 * unit? say which with WriteByte or WriteChar). */
#  define BinaryWriter_Write(...) SP_OVERLOAD(BinaryWriter_Write, __VA_ARGS__)
#  define BinaryWriter_Write__2(w, v)                                                                                  \
    _Generic((v),                                                                                      \
        bool: BinaryWriter_WriteBoolean, unsigned char: BinaryWriter_WriteByte,                        \
        signed char: BinaryWriter_WriteSByte, short: BinaryWriter_WriteInt16,                          \
        unsigned short: BinaryWriter_WriteUInt16, int: BinaryWriter_WriteInt32,                        \
        unsigned int: BinaryWriter_WriteUInt32, long: SP_BW_LONG_, unsigned long: SP_BW_ULONG_,        \
        long long: BinaryWriter_WriteInt64, unsigned long long: BinaryWriter_WriteUInt64,              \
        float: BinaryWriter_WriteSingle, double: BinaryWriter_WriteDouble,                             \
        Decimal: BinaryWriter_WriteDecimal, Half: BinaryWriter_WriteHalf,                              \
        char *: BinaryWriter_WriteString, const char *: BinaryWriter_WriteString)(w, v)
#  define BinaryWriter_Write__3(w, b, c) BinaryWriter_Write__4(w, b, 0, c)
#  define BinaryWriter_Write__4(w, b, i, c)                                                                            \
    _Generic((b),                                                                               \
        char *: BinaryWriter_WriteUtf8Chars, const char *: BinaryWriter_WriteUtf8Chars,         \
        uint16_t *: BinaryWriter_WriteChars, const uint16_t *: BinaryWriter_WriteChars,         \
        default: BinaryWriter_WriteBytes)(w, b, i, c)
#endif

/* ================================================================ BinaryReader */

/* new BinaryReader(input, encoding, leaveOpen); encoding NULL means UTF-8. ArgumentException when
 * input is not readable. */
SHARPIPC_API BinaryReader *BinaryReader_new_ex(Stream *input, const Encoding *encoding, bool leaveOpen);
SHARPIPC_API BinaryReader *BinaryReader_new(Stream *input);
/* Fixed-size reads: EndOfStreamException when the stream ends first (they return 0 then). */
SHARPIPC_API bool BinaryReader_ReadBoolean(BinaryReader *reader);
SHARPIPC_API uint8_t BinaryReader_ReadByte(BinaryReader *reader);
SHARPIPC_API int8_t BinaryReader_ReadSByte(BinaryReader *reader);
SHARPIPC_API int16_t BinaryReader_ReadInt16(BinaryReader *reader);
SHARPIPC_API uint16_t BinaryReader_ReadUInt16(BinaryReader *reader);
SHARPIPC_API int32_t BinaryReader_ReadInt32(BinaryReader *reader);
SHARPIPC_API uint32_t BinaryReader_ReadUInt32(BinaryReader *reader);
SHARPIPC_API int64_t BinaryReader_ReadInt64(BinaryReader *reader);
SHARPIPC_API uint64_t BinaryReader_ReadUInt64(BinaryReader *reader);
SHARPIPC_API float BinaryReader_ReadSingle(BinaryReader *reader);
SHARPIPC_API double BinaryReader_ReadDouble(BinaryReader *reader);
/* Invalid flags are an IOException, as .NET. */
SHARPIPC_API Decimal BinaryReader_ReadDecimal(BinaryReader *reader);
SHARPIPC_API Half BinaryReader_ReadHalf(BinaryReader *reader);
/* One UTF-16 code unit. A character outside the BMP is an ArgumentException, as in .NET (use
 * ReadChars or ReadString for those). */
SHARPIPC_API uint16_t BinaryReader_ReadChar(BinaryReader *reader);
/* Read(): the next char as int, -1 at end of stream. PeekChar(): the same without consuming it
 * (-1 when the stream cannot seek, as .NET). */
SHARPIPC_API int32_t BinaryReader_Read(BinaryReader *reader);
SHARPIPC_API int32_t BinaryReader_PeekChar(BinaryReader *reader);
/* The string as UTF-8 (NUL-terminated, String_Free); NULL with an exception on failure. */
SHARPIPC_API char *BinaryReader_ReadString(BinaryReader *reader);
/* The same, also giving the UTF-8 byte length for strings that hold U+0000 (byteLength may be NULL). */
SHARPIPC_API char *BinaryReader_ReadStringWithLength(BinaryReader *reader, int32_t *byteLength);
/* ReadBytes(count): up to count bytes, fewer at end of stream; *length says how many. Array_Free. */
SHARPIPC_API uint8_t *BinaryReader_ReadBytes(BinaryReader *reader, int32_t count, int32_t *length);
/* ReadChars(count): up to count UTF-16 code units, fewer at end of stream. Array_Free. */
SHARPIPC_API uint16_t *BinaryReader_ReadChars(BinaryReader *reader, int32_t count, int32_t *length);
/* Read(byte[] buffer, int index, int count): what the stream gives, 0 at end of stream. */
SHARPIPC_API int32_t BinaryReader_ReadIntoBytes(BinaryReader *reader, void *buffer, int32_t index, int32_t count);
/* ReadExactly(Span<byte> buffer) as (buffer, count): count bytes or EndOfStreamException (the
 * stream then stands after what it gave); count 0 completes without waiting for the stream. */
SHARPIPC_API bool BinaryReader_ReadExactly(BinaryReader *reader, void *buffer, int32_t count);
/* Read(char[] buffer, int index, int count) with the chars as UTF-16 code units: up to count of
 * them into buffer + index, reading no byte more than they need; fewer at end of stream (0 there).
 * A character whose two units do not fit what is left is an ArgumentException, as in .NET. */
SHARPIPC_API int32_t BinaryReader_ReadIntoChars(BinaryReader *reader, uint16_t *buffer, int32_t index, int32_t count);
/* FormatException for more than 5 (10) bytes or bits beyond 32 (64). */
SHARPIPC_API int32_t BinaryReader_Read7BitEncodedInt(BinaryReader *reader);
SHARPIPC_API int64_t BinaryReader_Read7BitEncodedInt64(BinaryReader *reader);
SHARPIPC_API Stream *BinaryReader_get_BaseStream(BinaryReader *reader);
SHARPIPC_API bool BinaryReader_Close(BinaryReader *reader);
SHARPIPC_API bool BinaryReader_Dispose(BinaryReader *reader);

#ifdef SHARPIPC_HAVE_GENERIC
#  define BinaryReader_new(...) SP_OVERLOAD(BinaryReader_new, __VA_ARGS__)
#  define BinaryReader_new__1(s) (BinaryReader_new)(SP_AS_Stream(s))
#  define BinaryReader_new__2(s, e) BinaryReader_new_ex(SP_AS_Stream(s), e, false)
#  define BinaryReader_new__3(s, e, l) BinaryReader_new_ex(SP_AS_Stream(s), e, l)
#  define BinaryReader_Read(...) SP_OVERLOAD(BinaryReader_Read, __VA_ARGS__)
#  define BinaryReader_Read__1(r) (BinaryReader_Read)(r)
/* Read(char[], index, count) for a uint16_t buffer, Read(byte[], index, count) for any other. */
#  define BinaryReader_Read__4(r, b, i, c)                                                                             \
    _Generic((b), uint16_t * : BinaryReader_ReadIntoChars, default : BinaryReader_ReadIntoBytes)(r, b, i, c)
#endif

/* ================================================================ StreamWriter (a TextWriter) */

/* new StreamWriter(stream, encoding, bufferSize, leaveOpen). encoding NULL means UTF-8 without a
 * BOM that throws on invalid input; bufferSize -1 means 1024 chars. */
SHARPIPC_API StreamWriter *StreamWriter_new_ex(Stream *stream, const Encoding *encoding, int32_t bufferSize,
                                               bool leaveOpen);
SHARPIPC_API StreamWriter *StreamWriter_new(Stream *stream);
/* new StreamWriter(path, append, encoding, bufferSize). */
SHARPIPC_API StreamWriter *StreamWriter_newFromPath(const char *path, bool append, const Encoding *encoding,
                                                    int32_t bufferSize);
/* Write(string): UTF-8 text in; NULL writes nothing, as .NET. */
SHARPIPC_API bool StreamWriter_WriteString(StreamWriter *writer, const char *value);
/* Write(char[] buffer, int index, int count) with UTF-8 bytes. */
SHARPIPC_API bool StreamWriter_WriteChars(StreamWriter *writer, const char *buffer, int32_t index, int32_t count);
/* Write(char): one UTF-16 code unit (a surrogate pair may be written in two calls). */
SHARPIPC_API bool StreamWriter_WriteChar(StreamWriter *writer, uint16_t value);
SHARPIPC_API bool StreamWriter_WriteBoolean(StreamWriter *writer, bool value);
SHARPIPC_API bool StreamWriter_WriteInt32(StreamWriter *writer, int32_t value);
SHARPIPC_API bool StreamWriter_WriteUInt32(StreamWriter *writer, uint32_t value);
SHARPIPC_API bool StreamWriter_WriteInt64(StreamWriter *writer, int64_t value);
SHARPIPC_API bool StreamWriter_WriteUInt64(StreamWriter *writer, uint64_t value);
SHARPIPC_API bool StreamWriter_WriteDecimal(StreamWriter *writer, Decimal value);
/* WriteLine(): the NewLine text. WriteLine(x): Write(x) then NewLine. */
SHARPIPC_API bool StreamWriter_WriteLine(StreamWriter *writer);
SHARPIPC_API bool StreamWriter_WriteLineString(StreamWriter *writer, const char *value);
SHARPIPC_API bool StreamWriter_WriteLineBoolean(StreamWriter *writer, bool value);
SHARPIPC_API bool StreamWriter_WriteLineInt32(StreamWriter *writer, int32_t value);
SHARPIPC_API bool StreamWriter_WriteLineUInt32(StreamWriter *writer, uint32_t value);
SHARPIPC_API bool StreamWriter_WriteLineInt64(StreamWriter *writer, int64_t value);
SHARPIPC_API bool StreamWriter_WriteLineUInt64(StreamWriter *writer, uint64_t value);
SHARPIPC_API bool StreamWriter_WriteLineDecimal(StreamWriter *writer, Decimal value);
SHARPIPC_API bool StreamWriter_Flush(StreamWriter *writer);
SHARPIPC_API bool StreamWriter_get_AutoFlush(StreamWriter *writer);
SHARPIPC_API bool StreamWriter_set_AutoFlush(StreamWriter *writer, bool value);
/* "\n" on POSIX, "\r\n" on Windows, until set; set NULL restores that default. Get: String_Free. */
SHARPIPC_API char *StreamWriter_get_NewLine(StreamWriter *writer);
SHARPIPC_API bool StreamWriter_set_NewLine(StreamWriter *writer, const char *value);
SHARPIPC_API const Encoding *StreamWriter_get_Encoding(StreamWriter *writer);
SHARPIPC_API Stream *StreamWriter_get_BaseStream(StreamWriter *writer);
SHARPIPC_API bool StreamWriter_Close(StreamWriter *writer);
SHARPIPC_API bool StreamWriter_Dispose(StreamWriter *writer);
/* Internal (the inline paths'): Write(string), or WriteLine(string) when line, of value whose
 * strlen the caller has measured as length, so that the exported path need not measure it again. */
SHARPIPC_API bool sp_sw_text_len_(StreamWriter *writer, const char *value, size_t length, bool line);

#ifdef SHARPIPC_HAVE_GENERIC
#  if LONG_MAX == 0x7fffffffffffffffL
#    define SP_SW_LONG_ StreamWriter_WriteInt64
#    define SP_SW_ULONG_ StreamWriter_WriteUInt64
#  else
#    define SP_SW_LONG_ StreamWriter_WriteInt32
#    define SP_SW_ULONG_ StreamWriter_WriteUInt32
#  endif
#  define SP_SW_WRITE_(v)                                                                                              \
    _Generic((v),                                                                              \
        char *: StreamWriter_WriteString, const char *: StreamWriter_WriteString,             \
        bool: StreamWriter_WriteBoolean, int: StreamWriter_WriteInt32,                         \
        unsigned int: StreamWriter_WriteUInt32, long: SP_SW_LONG_, unsigned long: SP_SW_ULONG_, \
        long long: StreamWriter_WriteInt64, unsigned long long: StreamWriter_WriteUInt64,      \
        Decimal: StreamWriter_WriteDecimal)
#  define StreamWriter_new(...) SP_OVERLOAD(StreamWriter_new, __VA_ARGS__)
#  define StreamWriter_new__1(s) (StreamWriter_new)(SP_AS_Stream(s))
#  define StreamWriter_new__2(s, e) StreamWriter_new_ex(SP_AS_Stream(s), e, -1, false)
#  define StreamWriter_new__3(s, e, n) StreamWriter_new_ex(SP_AS_Stream(s), e, n, false)
#  define StreamWriter_new__4(s, e, n, l) StreamWriter_new_ex(SP_AS_Stream(s), e, n, l)
#  define StreamWriter_Write(...) SP_OVERLOAD(StreamWriter_Write, __VA_ARGS__)
#  define StreamWriter_Write__2(w, v) SP_SW_WRITE_(v)(w, v)
#  define StreamWriter_Write__4(w, b, i, c) StreamWriter_WriteChars(w, b, i, c)
#  define StreamWriter_WriteLine(...) SP_OVERLOAD(StreamWriter_WriteLine, __VA_ARGS__)
#  define StreamWriter_WriteLine__1(w) (StreamWriter_WriteLine)(w)
#  if LONG_MAX == 0x7fffffffffffffffL
#    define SP_SWL_LONG_ StreamWriter_WriteLineInt64
#    define SP_SWL_ULONG_ StreamWriter_WriteLineUInt64
#  else
#    define SP_SWL_LONG_ StreamWriter_WriteLineInt32
#    define SP_SWL_ULONG_ StreamWriter_WriteLineUInt32
#  endif
#  define StreamWriter_WriteLine__2(w, v)                                                                              \
    _Generic((v),                                                                                     \
        char *: StreamWriter_WriteLineString, const char *: StreamWriter_WriteLineString,            \
        bool: StreamWriter_WriteLineBoolean, int: StreamWriter_WriteLineInt32,                        \
        unsigned int: StreamWriter_WriteLineUInt32, long: SP_SWL_LONG_, unsigned long: SP_SWL_ULONG_, \
        long long: StreamWriter_WriteLineInt64, unsigned long long: StreamWriter_WriteLineUInt64,     \
        Decimal: StreamWriter_WriteLineDecimal)(w, v)
/* TextWriter is StreamWriter's base in .NET; its members answer to either name. */
#  define TextWriter_Write StreamWriter_Write
#  define TextWriter_WriteLine StreamWriter_WriteLine
#  define TextWriter_Flush StreamWriter_Flush
#  define TextWriter_get_NewLine StreamWriter_get_NewLine
#  define TextWriter_set_NewLine StreamWriter_set_NewLine
#endif

/* ================================================================ StreamReader (a TextReader) */

/* new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks, bufferSize, leaveOpen).
 * encoding NULL means UTF-8; bufferSize -1 means 1024 bytes. */
SHARPIPC_API StreamReader *StreamReader_new_ex(Stream *stream, const Encoding *encoding,
                                               bool detectEncodingFromByteOrderMarks, int32_t bufferSize,
                                               bool leaveOpen);
SHARPIPC_API StreamReader *StreamReader_new(Stream *stream);
SHARPIPC_API StreamReader *StreamReader_newFromPath(const char *path, const Encoding *encoding,
                                                    bool detectEncodingFromByteOrderMarks);
/* The next line without its terminator (\n, \r or \r\n), as UTF-8; NULL at end of stream (no
 * exception pending) or on failure. String_Free. A read that fails (the stream's exception, a
 * throwing encoding's DecoderFallbackException) takes the start of the line with it, as .NET's. */
SHARPIPC_API char *StreamReader_ReadLine(StreamReader *reader);
SHARPIPC_API char *StreamReader_ReadLineWithLength(StreamReader *reader, int32_t *byteLength);
/* The rest of the stream as UTF-8 ("" at end of stream). String_Free. */
SHARPIPC_API char *StreamReader_ReadToEnd(StreamReader *reader);
SHARPIPC_API char *StreamReader_ReadToEndWithLength(StreamReader *reader, int32_t *byteLength);
/* Read(): the next UTF-16 code unit, -1 at end of stream. Peek(): the same, not consumed. */
SHARPIPC_API int32_t StreamReader_Read(StreamReader *reader);
SHARPIPC_API int32_t StreamReader_Peek(StreamReader *reader);
/* Read(char[] buffer, int index, int count) with UTF-8 out: up to count bytes of decoded text,
 * whole characters only (count >= 4 always makes progress; a smaller count that cannot hold the
 * next character is an ArgumentException); 0 at end of stream. Not NUL-terminated. */
SHARPIPC_API int32_t StreamReader_ReadChars(StreamReader *reader, char *buffer, int32_t index, int32_t count);
/* ReadBlock(char[] buffer, int index, int count) with UTF-8 out: Read until count bytes or the end
 * of the stream (whole characters only, so up to 3 bytes short of count before a longer one). */
SHARPIPC_API int32_t StreamReader_ReadBlock(StreamReader *reader, char *buffer, int32_t index, int32_t count);
SHARPIPC_API bool StreamReader_get_EndOfStream(StreamReader *reader);
/* The encoding in use: the one given, or the one the byte order mark named. */
SHARPIPC_API const Encoding *StreamReader_get_CurrentEncoding(StreamReader *reader);
SHARPIPC_API Stream *StreamReader_get_BaseStream(StreamReader *reader);
SHARPIPC_API bool StreamReader_DiscardBufferedData(StreamReader *reader);
SHARPIPC_API bool StreamReader_Close(StreamReader *reader);
SHARPIPC_API bool StreamReader_Dispose(StreamReader *reader);

#ifdef SHARPIPC_HAVE_GENERIC
#  define StreamReader_new(...) SP_OVERLOAD(StreamReader_new, __VA_ARGS__)
#  define StreamReader_new__1(s) (StreamReader_new)(SP_AS_Stream(s))
/* (stream, encoding) or (stream, detectEncodingFromByteOrderMarks); `true` is an int in C. */
#  define StreamReader_new__2(s, x)                                                                                    \
    StreamReader_new_ex(SP_AS_Stream(s),                                                                               \
                        _Generic((x), bool                                                                             \
                                 : (const Encoding *)0, int                                                            \
                                 : (const Encoding *)0, default                                                        \
                                 : (x)),                                                                               \
                        _Generic((x), bool                                                                             \
                                 : (x), int                                                                            \
                                 : (x), default                                                                        \
                                 : true),                                                                              \
                        -1, false)
#  define StreamReader_new__3(s, e, d) StreamReader_new_ex(SP_AS_Stream(s), e, d, -1, false)
#  define StreamReader_new__4(s, e, d, n) StreamReader_new_ex(SP_AS_Stream(s), e, d, n, false)
#  define StreamReader_new__5(s, e, d, n, l) StreamReader_new_ex(SP_AS_Stream(s), e, d, n, l)
#  define StreamReader_Read(...) SP_OVERLOAD(StreamReader_Read, __VA_ARGS__)
#  define StreamReader_Read__1(r) (StreamReader_Read)(r)
#  define StreamReader_Read__4(r, b, i, c) StreamReader_ReadChars(r, b, i, c)
#  define TextReader_ReadBlock StreamReader_ReadBlock
#  define TextReader_ReadLine StreamReader_ReadLine
#  define TextReader_ReadToEnd StreamReader_ReadToEnd
#  define TextReader_Read StreamReader_Read
#  define TextReader_Peek StreamReader_Peek
#endif

/* ================================================================ inline fast paths */

/* With GCC or clang on ELF (sharpipc/inline.h): Stream byte and block calls over a MemoryStream,
 * and BinaryReader/BinaryWriter primitives over a MemoryStream, read and write the stream's
 * buffer in the caller's code, as .NET's BinaryReader does with a MemoryStream; any call that
 * cannot simply succeed (another stream, closed, at the end, growth, a bad argument) is the
 * exported function, which does what .NET does. Each exported function stays, under the same
 * name: (BinaryReader_ReadInt32)(r) or a function pointer reaches it. */
#if defined(SHARPIPC_INLINE) && !defined(SHARPIPC_BUILDING)
static inline int32_t sp_inline_Stream_ReadByte_(Stream *s)
{
    int32_t v = sp_fast_ms_read_byte_(s);
    return v >= 0 ? v : (Stream_ReadByte)(s);
}
static inline bool sp_inline_Stream_WriteByte_(Stream *s, uint8_t value)
{
    return sp_fast_ms_write_byte_(s, value) || (Stream_WriteByte)(s, value);
}
/* MemoryStream.Read into dst when all count bytes are there: count; -1 where the exported call
 * must decide, which includes a short read and the end (once per stream in a read loop). Copying
 * exactly count bytes lets a constant count become a few vector moves: copying "up to count"
 * made GCC expand the copy into a loop of 8-byte moves bounded by count (twice as slow for 64 B,
 * bench/README.md). The position is read before the copy and stored after it, as in
 * sp_fast_take_. */
static inline int32_t sp_inline_ms_read_(Stream *s, uint8_t *dst, int32_t count)
{
    sp_memwin_ *w = sp_fast_ms_(s); /* open, so readable */
    if (!(w && dst && count > 0 && !sp_exception_pending))
        return -1;
    int32_t at = w->position;
    if (w->length - at < count)
        return -1;
    sp_fast_copy_(dst, w->buffer + (uint32_t)at, (size_t)count); /* dst may be the stream's own */
    w->position = at + count;
    return count;
}
/* MemoryStream.Write of count bytes that fit, with no growth and no gap to zero: true; false where
 * the exported call must decide. The tag alone (SP_MS_TAG_RW_) says open and writable, and the
 * window is the one in the object, so nothing is loaded through the window pointer or from
 * can_write (sp_fast_put_'s way for the adapters, two loads more in a write loop). */
static inline bool sp_inline_ms_write_(Stream *s, const uint8_t *src, int32_t count)
{
    sp_fast_ms_obj_ *f = (sp_fast_ms_obj_ *)(uintptr_t)s;
    sp_room_ r;
    if (!(f && src && count >= 0 && f->head.tag == SP_MS_TAG_RW_ && sp_fast_room_in_(&f->win, count, &r)))
        return false;
    if (count > 0) /* an empty stream may have no buffer at all; src may be its own bytes (GetBuffer) */
        sp_fast_copy_(r.p, src, (size_t)count);
    sp_fast_commit_(&r);
    return true;
}
static inline int32_t sp_inline_Stream_Read_(Stream *s, void *buffer, int32_t offset, int32_t count)
{
    int32_t n = buffer && offset >= 0 ? sp_inline_ms_read_(s, (uint8_t *)buffer + offset, count) : -1;
    return n >= 0 ? n : (Stream_Read)(s, buffer, offset, count);
}
static inline int32_t sp_inline_Stream_ReadSpan_(Stream *s, void *buffer, int32_t count)
{
    int32_t n = sp_inline_ms_read_(s, (uint8_t *)buffer, count);
    return n >= 0 ? n : (Stream_ReadSpan)(s, buffer, count);
}
static inline bool sp_inline_Stream_Write_(Stream *s, const void *buffer, int32_t offset, int32_t count)
{
    return (buffer && offset >= 0 && sp_inline_ms_write_(s, (const uint8_t *)buffer + offset, count)) ||
           (Stream_Write)(s, buffer, offset, count);
}
static inline bool sp_inline_Stream_WriteSpan_(Stream *s, const void *buffer, int32_t count)
{
    return sp_inline_ms_write_(s, (const uint8_t *)buffer, count) || (Stream_WriteSpan)(s, buffer, count);
}

/* clang-format off */
#  define SP_BR_INLINE_(Name, T, N)                                                                \
    static inline T sp_inline_BinaryReader_Read##Name##_(BinaryReader *r)                          \
    {                                                                                              \
        T v;                                                                                       \
        if (!sp_fast_take_(r, SP_BR_TAG_, N, &v))                                                  \
            return (BinaryReader_Read##Name)(r);                                                   \
        return v;                                                                                  \
    }
#  define SP_BW_INLINE_(Name, T, N)                                                                \
    static inline bool sp_inline_BinaryWriter_Write##Name##_(BinaryWriter *w, T value)             \
    {                                                                                              \
        if (!sp_fast_put_(w, SP_BW_TAG_, N, &value))                                               \
            return (BinaryWriter_Write##Name)(w, value);                                           \
        return true;                                                                               \
    }
#  define SP_ADAPTER_PRIMITIVES_(M)                                                                \
    M(Byte, uint8_t, 1) M(SByte, int8_t, 1) M(Int16, int16_t, 2) M(UInt16, uint16_t, 2)            \
    M(Int32, int32_t, 4) M(UInt32, uint32_t, 4) M(Int64, int64_t, 8) M(UInt64, uint64_t, 8)        \
    M(Single, float, 4) M(Double, double, 8) M(Half, Half, 2)
/* clang-format on */
SP_ADAPTER_PRIMITIVES_(SP_BR_INLINE_)
SP_ADAPTER_PRIMITIVES_(SP_BW_INLINE_)
#  undef SP_BR_INLINE_
#  undef SP_BW_INLINE_
#  undef SP_ADAPTER_PRIMITIVES_
/* A Boolean is any non-zero byte when read, 1 or 0 when written. */
static inline bool sp_inline_BinaryReader_ReadBoolean_(BinaryReader *r)
{
    uint8_t b;
    return sp_fast_take_(r, SP_BR_TAG_, 1, &b) ? b != 0 : (BinaryReader_ReadBoolean)(r);
}
static inline bool sp_inline_BinaryWriter_WriteBoolean_(BinaryWriter *w, bool value)
{
    uint8_t b = value ? 1 : 0;
    return sp_fast_put_(w, SP_BW_TAG_, 1, &b) || (BinaryWriter_WriteBoolean)(w, value);
}

/* Decimal: valid bits only (the sign and a scale of at most 28); the exported call raises .NET's
 * ArgumentException for others. The struct is the wire order, lo, mid, hi, flags. */
static inline bool sp_inline_BinaryWriter_WriteDecimal_(BinaryWriter *w, Decimal value)
{
    if (!((value.flags & 0x7F00FFFFu) == 0 && ((value.flags >> 16) & 0xFF) <= 28 &&
          sp_fast_put_(w, SP_BW_TAG_, 16, &value)))
        return (BinaryWriter_WriteDecimal)(w, value);
    return true;
}
/* Write(Char) of an ASCII char with a UTF-8 writer: its one byte; the exported call decides the
 * rest (a surrogate's ArgumentException, other chars and encodings). */
static inline bool sp_inline_BinaryWriter_WriteChar_(BinaryWriter *w, uint16_t value)
{
    const sp_fast_bw_ *f = (const sp_fast_bw_ *)w;
    uint8_t b = (uint8_t)value;
    return (value < 0x80 && f && sp_fast_is_(&f->head, SP_BW_TAG_) && f->utf8 && sp_fast_put_(w, SP_BW_TAG_, 1, &b)) ||
           (BinaryWriter_WriteChar)(w, value);
}
/* ReadDecimal of 16 bytes that are there and make a valid Decimal; the exported call reads
 * anything else from the same position (and raises .NET's IOException for bad bits). */
static inline Decimal sp_inline_BinaryReader_ReadDecimal_(BinaryReader *r)
{
    sp_memwin_ *w = sp_fast_window_(r, SP_BR_TAG_);
    Decimal d;
    if (w && w->can_read && w->length - w->position >= 16) {
        __builtin_memcpy(&d, w->buffer + w->position, 16);
        if ((d.flags & 0x7F00FFFFu) == 0 && ((d.flags >> 16) & 0xFF) <= 28) {
            w->position += 16;
            return d;
        }
    }
    return (BinaryReader_ReadDecimal)(r);
}
/* Write(byte[], index, count): the bytes as they are. */
static inline bool sp_inline_BinaryWriter_WriteBytes_(BinaryWriter *w, const void *buffer, int32_t index, int32_t count)
{
    if (!(buffer && index >= 0 && count >= 0 && sp_fast_put_(w, SP_BW_TAG_, count, (const uint8_t *)buffer + index)))
        return (BinaryWriter_WriteBytes)(w, buffer, index, count);
    return true;
}
/* Write(string) of up to 32 ASCII bytes with a UTF-8 writer: its length byte and the bytes, as the
 * exported call writes them. Checked before anything is written (a non-ASCII string goes to the
 * exported call with nothing written), from words held in registers (sp_words_): through a local
 * byte copy, the copy's wide loads of narrower overlapping stores missed store-to-load forwarding,
 * which cost Write(21 B ASCII) about half its time. */
static inline bool sp_inline_BinaryWriter_WriteString_(BinaryWriter *w, const char *value)
{
    const sp_fast_bw_ *f = (const sp_fast_bw_ *)w;
    sp_room_ room;
    if (__builtin_expect(f && sp_fast_is_(&f->head, SP_BW_TAG_) && f->utf8 && value, 1)) {
        size_t n = __builtin_strlen(value);
        if (n >= 8 && n <= 32) {
            sp_words_ q;
            if (__builtin_expect(
                    sp_fast_words_load_(&q, value, n) && sp_fast_room_(w, SP_BW_TAG_, (int32_t)n + 1, &room), 1)) {
                room.p[0] = (uint8_t)n;
                sp_fast_words_store_(room.p + 1, n, &q);
                sp_fast_commit_(&room);
                return true;
            }
        } else if (n < 8) {
            unsigned any = 0;
            for (size_t i = 0; i < n; i++)
                any |= (uint8_t)value[i];
            if (__builtin_expect(any < 0x80 && sp_fast_room_(w, SP_BW_TAG_, (int32_t)n + 1, &room), 1)) {
                room.p[0] = (uint8_t)n;
                for (size_t i = 0; i < n; i++)
                    room.p[1 + i] = (uint8_t)value[i];
                sp_fast_commit_(&room);
                return true;
            }
        }
        if (n <= 0x7FFFFFFF) /* the length is known: the exported call need not measure it again */
            return (BinaryWriter_WriteStringWithLength)(w, value, (int32_t)n);
    }
    return (BinaryWriter_WriteString)(w, value);
}
/* 7-bit encoded integers: seven bits a byte, low first, the high bit saying more follow. Written
 * straight into room for the longest encoding (5 or 10 bytes; the exported call writes near the
 * end of the capacity), then the position moves past the bytes written: no copy of a variable
 * length through a local. */
#  define SP_BW_7BIT_INLINE_(Name, T, U, MAX)                                                                          \
    static inline bool sp_inline_BinaryWriter_Write##Name##_(BinaryWriter *w, T value)                                 \
    {                                                                                                                  \
      sp_room_ room;                                                                                                   \
      if (!sp_fast_room_(w, SP_BW_TAG_, MAX, &room))                                                                   \
        return (BinaryWriter_Write##Name)(w, value);                                                                   \
      U v = (U)value;                                                                                                  \
      uint8_t *p = room.p;                                                                                             \
      while (v >= 0x80) {                                                                                              \
        *p++ = (uint8_t)(v | 0x80);                                                                                    \
        v >>= 7;                                                                                                       \
      }                                                                                                                \
      *p++ = (uint8_t)v;                                                                                               \
      room.end -= MAX - (int32_t)(p - room.p);                                                                         \
      sp_fast_commit_(&room);                                                                                          \
      return true;                                                                                                     \
    }
SP_BW_7BIT_INLINE_(7BitEncodedInt64, int64_t, uint64_t, 10)
SP_BW_7BIT_INLINE_(7BitEncodedInt, int32_t, uint32_t, 5)
#  undef SP_BW_7BIT_INLINE_
/* Read7BitEncodedInt(64): decoded in place when the whole encoding is in the buffer and is one
 * .NET accepts (at most 5 or 10 bytes, no bits past 32 or 64); the exported call decides the rest
 * (the end of the stream, FormatException), from the same position. */
static inline int64_t sp_inline_read_7bit_(BinaryReader *r, int32_t max_bytes, uint8_t last_limit, bool *ok)
{
    sp_memwin_ *w = sp_fast_window_(r, SP_BR_TAG_);
    *ok = false;
    if (!w || !w->can_read)
        return 0;
    const uint8_t *p = w->buffer + (uint32_t)w->position;
    int32_t avail = w->length - w->position;
    uint64_t v = 0;
    for (int32_t i = 0; i < max_bytes && i < avail; i++) {
        uint8_t b = p[i];
        if (i == max_bytes - 1 && b > last_limit)
            return 0;
        v |= (uint64_t)(b & 0x7F) << (7 * i);
        if (b < 0x80) {
            w->position += i + 1;
            *ok = true;
            return (int64_t)v;
        }
    }
    return 0;
}
static inline int32_t sp_inline_BinaryReader_Read7BitEncodedInt_(BinaryReader *r)
{
    bool ok;
    int64_t v = sp_inline_read_7bit_(r, 5, 0x0F, &ok);
    return ok ? (int32_t)(uint32_t)v : (BinaryReader_Read7BitEncodedInt)(r);
}
static inline int64_t sp_inline_BinaryReader_Read7BitEncodedInt64_(BinaryReader *r)
{
    bool ok;
    int64_t v = sp_inline_read_7bit_(r, 10, 0x01, &ok);
    return ok ? v : (BinaryReader_Read7BitEncodedInt64)(r);
}

/* String_Free of "" (what ReadString, ReadLine and ReadToEnd return for an empty string without
 * allocating it) is nothing to do: no call. A string in a small block (an odd address: the block's
 * class in the byte before the text, src/core/object.c) goes onto the calling thread's list for its
 * class, as the exported call puts it; any other string, a full list, or a thread that keeps
 * nothing inline (ASan, memcheck) is the exported call's. */
static inline void sp_inline_String_Free_(char *s)
{
    if (s == sp_empty_string)
        return;
    if ((uintptr_t)s & 1) {
        uint8_t *block = (uint8_t *)s - 1;
        unsigned cls = block[0];
        if (__builtin_expect(cls < SP_SMALL_CLASSES_ && sp_fast_small_give_(block, cls), 1))
            return;
    }
    (String_Free)(s);
}

/* ReadBytes(count) of up to 48 bytes that are all there, into a block the calling thread's cache
 * holds (sp_small_cache_): the array the exported call would make from the same block, without the
 * call. Anything else is the exported call's (which also takes an empty cache to malloc, and
 * raises what .NET raises), from the same position: the position moves once the array exists. */
static inline uint8_t *sp_inline_BinaryReader_ReadBytes_(BinaryReader *r, int32_t count, int32_t *length)
{
    sp_memwin_ *w = sp_fast_window_(r, SP_BR_TAG_);
    if (__builtin_expect(w && w->can_read && (uint32_t)count <= 48u, 1)) {
        int32_t at = w->position;
        const uint8_t *src = w->buffer + (uint32_t)at;
        unsigned cls = count > 16; /* the 16-byte header and the bytes: 32 or 64 */
        void *b;
        if (__builtin_expect(w->length - at >= count && (b = sp_fast_small_take_(cls)) != (void *)0, 1)) {
            sp_array_head_ *h = (sp_array_head_ *)b;
            h->magic = SP_ARRAY_MAGIC_; /* field by field: C++ has no compound literals */
            h->element_type = VariantType_Byte;
            h->length = count;
            h->element_size = 1;
            h->block = (uint16_t)cls;
            __builtin_memcpy(h + 1, src, (size_t)count);
            w->position = at + count;
            if (length)
                *length = count;
            return (uint8_t *)(h + 1);
        }
    }
    return (BinaryReader_ReadBytes)(r, count, length);
}
/* Array_Free of a byte array in a small block (ReadBytes', ToArray's of a short stream): onto the
 * calling thread's list for its class, as the exported call puts it (its link overwrites the
 * magic); any other array, a full list, or a thread that keeps nothing inline is the exported
 * call's. The magic and the element type are one 64-bit compare. */
static inline void sp_inline_Array_Free_(void *array)
{
    if (array) {
        sp_array_head_ *h = (sp_array_head_ *)array - 1;
        uint64_t key;
        __builtin_memcpy(&key, h, 8);
        unsigned cls = h->block;
        if (__builtin_expect(key == (SP_ARRAY_MAGIC_ | (uint64_t)VariantType_Byte << 32) && cls < SP_SMALL_CLASSES_ &&
                                 sp_fast_small_give_(h, cls),
                             1))
            return;
    }
    (Array_Free)(array);
}

/* ReadChar of an ASCII byte where the reader says that byte is the char (sp_fast_br_: an
 * ASCII-compatible encoding with nothing pending in its decoder); the exported call decides every
 * other byte, encoding and state, from the same position. */
static inline uint16_t sp_inline_BinaryReader_ReadChar_(BinaryReader *r)
{
    const sp_fast_br_ *f = (const sp_fast_br_ *)r;
    if (__builtin_expect(f && sp_fast_is_(&f->head, SP_BR_TAG_) && f->ascii_char, 1)) {
        sp_memwin_ *w = __atomic_load_n(&f->head.win, __ATOMIC_RELAXED);
        int32_t at = w->position;
        if (__builtin_expect(w->can_read && at < w->length && !sp_fast_pending_(), 1)) {
            uint8_t c = w->buffer[(uint32_t)at];
            if (__builtin_expect(c < 0x80, 1)) {
                w->position = at + 1;
                return c;
            }
        }
    }
    return (BinaryReader_ReadChar)(r);
}

/* BinaryReader.ReadString of "" (a length byte of 0): .NET's string.Empty, nothing allocated; any
 * other string is the exported call's, which reads a short one in place too. */
static inline char *sp_inline_BinaryReader_ReadString_(BinaryReader *r)
{
    sp_memwin_ *w = sp_fast_window_(r, SP_BR_TAG_);
    if (w && w->can_read && w->position < w->length && w->buffer[w->position] == 0) {
        w->position++;
        return (char *)sp_empty_string;
    }
    return (BinaryReader_ReadString)(r);
}

/* StreamWriter.Write(char) of an ASCII char, StreamReader.Read() of one: a byte into or out of the
 * text the adapter holds, where the exported call would do just that. The writer's char_fast is
 * false while a half pair waits, so that one byte says it may. */
static inline bool sp_inline_StreamWriter_WriteChar_(StreamWriter *w, uint16_t value)
{
    sp_fast_textout_ *f = (sp_fast_textout_ *)w;
    if (__builtin_expect(f && f->tag == SP_SW_TAG_ && value < 0x80 && f->out.char_fast &&
                             f->out.length + 1 < f->out.flush_at && f->out.length < f->out.capacity &&
                             !sp_exception_pending,
                         1)) {
        f->out.data[f->out.length++] = (uint8_t)value;
        return true;
    }
    return (StreamWriter_WriteChar)(w, value);
}
/* StreamWriter.Write(string) / WriteLine(string) of up to 32 ASCII bytes into an open UTF-8 writer
 * (its stream open or not, as .NET's char buffer), short of the flush point: a copy into the text the writer holds, as the
 * exported call makes it (a success clears the pending exception, as the exported call does).
 * WriteLine reads char_fast (false while a half pair waits) and newline_ascii with one load. */
static inline bool sp_inline_sw_text_(StreamWriter *w, const char *s, bool line)
{
    sp_fast_textout_ *f = (sp_fast_textout_ *)w;
    uint16_t flags;
    if (__builtin_expect(f && f->tag == SP_SW_TAG_ && s, 1)) {
        __builtin_memcpy(&flags, &f->out.char_fast, 2);
        if (__builtin_expect(line ? flags == 0x101u : f->out.char_fast, 1)) {
            size_t n = __builtin_strlen(s), nl = line ? f->out.newline_length : 0, at = f->out.length;
            /* n <= 32 first: at + n + nl cannot wrap then (nl is a string's length) */
            /* the buffer and the newline read before the text's stores, which may alias them */
            uint8_t *d = f->out.data + at;
            const char *newline = f->out.newline;
            if (__builtin_expect(n <= 32 && at + n + nl < f->out.flush_at && at + n + nl <= f->out.capacity &&
                                     sp_fast_text_copy_(d, s, n),
                                 1)) {
                if (nl == 1) /* "\n", "\r\n": the newlines there are */
                    d[n] = (uint8_t)newline[0];
                else
                    for (size_t i = 0; i < nl; i++)
                        d[n + i] = (uint8_t)newline[i];
                f->out.length = at + n + nl;
                sp_exception_pending = 0;
                return true;
            }
            /* measured once: the exported path takes the length (non-ASCII text, a longer line) */
            return sp_sw_text_len_(w, s, n, line);
        }
    }
    return line ? (StreamWriter_WriteLineString)(w, s) : (StreamWriter_WriteString)(w, s);
}
static inline bool sp_inline_StreamWriter_WriteString_(StreamWriter *w, const char *value)
{
    return sp_inline_sw_text_(w, value, false);
}
static inline bool sp_inline_StreamWriter_WriteLineString_(StreamWriter *w, const char *value)
{
    return sp_inline_sw_text_(w, value, true);
}
/* StreamReader's pending_low 0, open true (and zero_, 0): one load, one compare with no mask. */
static inline bool sp_fast_sr_ready_(const sp_textin_ *in)
{
    uint32_t x;
    __builtin_memcpy(&x, &in->pending_low, 4);
    return x == 0x10000u;
}
static inline int32_t sp_inline_StreamReader_Read_(StreamReader *r)
{
    sp_fast_textin_ *f = (sp_fast_textin_ *)r;
    if (__builtin_expect(f && f->tag == SP_SR_TAG_ && sp_fast_sr_ready_(&f->in), 1)) {
        size_t at = f->in.pos;
        /* A pending exception goes to the exported call, which clears it: a test where clearing
         * it would be a second store per call, which measured slower (bench/README.md). */
        if (__builtin_expect(at < f->in.length && !sp_exception_pending, 1)) {
            uint8_t c = f->in.data[at];
            if (__builtin_expect(c < 0x80, 1)) {
                f->in.pos = at + 1;
                return c;
            }
        }
    }
    return (StreamReader_Read)(r);
}

#  if defined(__SSE2__)
typedef char sp_sr_v16_ __attribute__((vector_size(16)));
/* Which of the 16 bytes at p are \n or \r, one bit each. */
static inline uint32_t sp_fast_line_mask_(const uint8_t *p)
{
    sp_sr_v16_ v, lf, cr;
    __builtin_memcpy(&v, p, 16);
    __builtin_memset(&lf, '\n', 16);
    __builtin_memset(&cr, '\r', 16);
    return (uint32_t)__builtin_ia32_pmovmskb128((sp_sr_v16_)((v == lf) | (v == cr)));
}
/* StreamReader.ReadLine of a line of up to 510 bytes that ends in the decoded text (in \n, or in
 * \r with the byte after it there too), with 16 bytes of text or more, from an open reader with no
 * exception pending (its stream open or not: .NET serves its buffer either way): the string the
 * exported call makes, "" or a block of the calling thread's cache (sp_small_cache_) in the form
 * of a small string (src/core/object.c: the block's class in its first byte, the text from the
 * second, which String_Free gives back), with no call. The line's end is sought in the first 511
 * bytes, 32 a step (a line of up to 31 bytes is one), the last step overlapping the one before
 * it; the line is copied likewise. Anything else is the exported call's, from the same place: the
 * reader moves only once the string is made. (510 bytes are always below .NET's largest string.) */
static inline char *sp_inline_sr_line_(StreamReader *r, int32_t *byteLength)
{
    sp_fast_textin_ *f = (sp_fast_textin_ *)r;
    /* 16 bytes of text first: a fresh reader's text has no buffer yet, and NULL + 0 is undefined
     * (clang's -fsanitize=pointer-overflow, in the fuzz lane, says so). */
    if (__builtin_expect(f && f->tag == SP_SR_TAG_ && sp_fast_sr_ready_(&f->in) && f->in.length - f->in.pos >= 16 &&
                             !sp_fast_pending_(),
                         1)) {
        size_t at = f->in.pos, n = f->in.length - at, i = 0;
        size_t e = n < 511 ? n : 511; /* the bytes to look at */
        const uint8_t *p = f->in.data + at;
        uint32_t m = 0;
        if (__builtin_expect(e >= 32, 1)) {
            for (; i + 32 <= e; i += 32)
                if ((m = sp_fast_line_mask_(p + i) | sp_fast_line_mask_(p + i + 16) << 16) != 0)
                    break;
            if (!m && i < e) /* the last bytes, from the 32 that end them */
                m = (sp_fast_line_mask_(p + e - 32) | sp_fast_line_mask_(p + e - 16) << 16) >> (i + 32 - e);
        } else if (e >= 16) {
            m = sp_fast_line_mask_(p) | sp_fast_line_mask_(p + e - 16) << (e - 16);
        }
        if (__builtin_expect(m != 0, 1)) {
            i += (unsigned)__builtin_ctz(m);
            size_t next = i + 1;
            if (p[i] == '\r') {
                if (next == n)
                    goto exported; /* whether a \n follows is for the next read to say */
                next += p[next] == '\n';
            }
            char *s = (char *)(uintptr_t)sp_empty_string;
            if (i > 0) {
                unsigned cls = 59u - (unsigned)__builtin_clzll((unsigned long long)(i + 1) | 31u);
                uint8_t *b = (uint8_t *)sp_fast_small_take_(cls);
                if (!b)
                    goto exported;
                b[0] = (uint8_t)cls;
                /* n >= 16: a line of up to 16 bytes copies 16, into a block of 32 at least; one of up
                 * to 32 bytes two 16s that overlap; a longer one 32 a step, the last 32 ending where it ends */
                if (i <= 32) {
                    __builtin_memcpy(b + 1, p, 16);
                    if (i > 16)
                        __builtin_memcpy(b + 1 + i - 16, p + i - 16, 16);
                } else {
                    for (size_t k = 0; k + 32 < i; k += 32) {
                        __builtin_memcpy(b + 1 + k, p + k, 16);
                        __builtin_memcpy(b + 17 + k, p + k + 16, 16);
                    }
                    __builtin_memcpy(b + 1 + i - 32, p + i - 32, 16);
                    __builtin_memcpy(b + 1 + i - 16, p + i - 16, 16);
                }
                b[1 + i] = 0;
                s = (char *)b + 1;
            }
            f->in.pos = at + next;
            if (byteLength)
                *byteLength = (int32_t)i;
            return s;
        }
    }
exported:
    return byteLength ? (StreamReader_ReadLineWithLength)(r, byteLength) : (StreamReader_ReadLine)(r);
}
static inline char *sp_inline_StreamReader_ReadLine_(StreamReader *r) { return sp_inline_sr_line_(r, (int32_t *)0); }
static inline char *sp_inline_StreamReader_ReadLineWithLength_(StreamReader *r, int32_t *byteLength)
{
    return sp_inline_sr_line_(r, byteLength);
}
#    define StreamReader_ReadLine(r) sp_inline_StreamReader_ReadLine_(r)
#    define StreamReader_ReadLineWithLength(r, n) sp_inline_StreamReader_ReadLineWithLength_(r, n)
#  endif

#  define StreamWriter_WriteChar(w, v) sp_inline_StreamWriter_WriteChar_(w, v)
#  define StreamWriter_WriteString(w, v) sp_inline_StreamWriter_WriteString_(w, v)
#  define StreamWriter_WriteLineString(w, v) sp_inline_StreamWriter_WriteLineString_(w, v)
#  define BinaryReader_ReadString(r) sp_inline_BinaryReader_ReadString_(r)
#  define BinaryReader_ReadChar(r) sp_inline_BinaryReader_ReadChar_(r)
#  define String_Free(s) sp_inline_String_Free_(s)
#  define Array_Free(a) sp_inline_Array_Free_(a)
#  define BinaryReader_ReadBytes(r, c, n) sp_inline_BinaryReader_ReadBytes_(r, c, n)
#  define BinaryReader_Read7BitEncodedInt(r) sp_inline_BinaryReader_Read7BitEncodedInt_(r)
#  define BinaryReader_Read7BitEncodedInt64(r) sp_inline_BinaryReader_Read7BitEncodedInt64_(r)
#  define BinaryWriter_Write7BitEncodedInt(w, v) sp_inline_BinaryWriter_Write7BitEncodedInt_(w, v)
#  define BinaryWriter_Write7BitEncodedInt64(w, v) sp_inline_BinaryWriter_Write7BitEncodedInt64_(w, v)
#  define BinaryWriter_WriteDecimal(w, v) sp_inline_BinaryWriter_WriteDecimal_(w, v)
#  define BinaryWriter_WriteChar(w, v) sp_inline_BinaryWriter_WriteChar_(w, v)
#  define BinaryReader_ReadDecimal(r) sp_inline_BinaryReader_ReadDecimal_(r)
#  define BinaryWriter_WriteBytes(w, b, i, c) sp_inline_BinaryWriter_WriteBytes_(w, b, i, c)
#  define BinaryWriter_WriteString(w, v) sp_inline_BinaryWriter_WriteString_(w, v)
#  define BinaryReader_ReadBoolean(r) sp_inline_BinaryReader_ReadBoolean_(r)
#  define BinaryReader_ReadByte(r) sp_inline_BinaryReader_ReadByte_(r)
#  define BinaryReader_ReadSByte(r) sp_inline_BinaryReader_ReadSByte_(r)
#  define BinaryReader_ReadInt16(r) sp_inline_BinaryReader_ReadInt16_(r)
#  define BinaryReader_ReadUInt16(r) sp_inline_BinaryReader_ReadUInt16_(r)
#  define BinaryReader_ReadInt32(r) sp_inline_BinaryReader_ReadInt32_(r)
#  define BinaryReader_ReadUInt32(r) sp_inline_BinaryReader_ReadUInt32_(r)
#  define BinaryReader_ReadInt64(r) sp_inline_BinaryReader_ReadInt64_(r)
#  define BinaryReader_ReadUInt64(r) sp_inline_BinaryReader_ReadUInt64_(r)
#  define BinaryReader_ReadSingle(r) sp_inline_BinaryReader_ReadSingle_(r)
#  define BinaryReader_ReadDouble(r) sp_inline_BinaryReader_ReadDouble_(r)
#  define BinaryReader_ReadHalf(r) sp_inline_BinaryReader_ReadHalf_(r)
#  define BinaryWriter_WriteBoolean(w, v) sp_inline_BinaryWriter_WriteBoolean_(w, v)
#  define BinaryWriter_WriteByte(w, v) sp_inline_BinaryWriter_WriteByte_(w, v)
#  define BinaryWriter_WriteSByte(w, v) sp_inline_BinaryWriter_WriteSByte_(w, v)
#  define BinaryWriter_WriteInt16(w, v) sp_inline_BinaryWriter_WriteInt16_(w, v)
#  define BinaryWriter_WriteUInt16(w, v) sp_inline_BinaryWriter_WriteUInt16_(w, v)
#  define BinaryWriter_WriteInt32(w, v) sp_inline_BinaryWriter_WriteInt32_(w, v)
#  define BinaryWriter_WriteUInt32(w, v) sp_inline_BinaryWriter_WriteUInt32_(w, v)
#  define BinaryWriter_WriteInt64(w, v) sp_inline_BinaryWriter_WriteInt64_(w, v)
#  define BinaryWriter_WriteUInt64(w, v) sp_inline_BinaryWriter_WriteUInt64_(w, v)
#  define BinaryWriter_WriteSingle(w, v) sp_inline_BinaryWriter_WriteSingle_(w, v)
#  define BinaryWriter_WriteDouble(w, v) sp_inline_BinaryWriter_WriteDouble_(w, v)
#  define BinaryWriter_WriteHalf(w, v) sp_inline_BinaryWriter_WriteHalf_(w, v)
#  ifdef SHARPIPC_HAVE_GENERIC
/* BinaryWriter_Write(w, v) picks the inline forms (a function designator is not a macro call). */
#    undef SP_BW_LONG_
#    undef SP_BW_ULONG_
#    if LONG_MAX == 0x7fffffffffffffffL
#      define SP_BW_LONG_ sp_inline_BinaryWriter_WriteInt64_
#      define SP_BW_ULONG_ sp_inline_BinaryWriter_WriteUInt64_
#    else
#      define SP_BW_LONG_ sp_inline_BinaryWriter_WriteInt32_
#      define SP_BW_ULONG_ sp_inline_BinaryWriter_WriteUInt32_
#    endif
#    undef BinaryWriter_Write__2
#    define BinaryWriter_Write__2(w, v)                                                                                \
      _Generic((v),                                                                                                    \
          bool: sp_inline_BinaryWriter_WriteBoolean_, unsigned char: sp_inline_BinaryWriter_WriteByte_,                \
          signed char: sp_inline_BinaryWriter_WriteSByte_, short: sp_inline_BinaryWriter_WriteInt16_,                  \
          unsigned short: sp_inline_BinaryWriter_WriteUInt16_, int: sp_inline_BinaryWriter_WriteInt32_,                \
          unsigned int: sp_inline_BinaryWriter_WriteUInt32_, long: SP_BW_LONG_, unsigned long: SP_BW_ULONG_,           \
          long long: sp_inline_BinaryWriter_WriteInt64_, unsigned long long: sp_inline_BinaryWriter_WriteUInt64_,      \
          float: sp_inline_BinaryWriter_WriteSingle_, double: sp_inline_BinaryWriter_WriteDouble_,                     \
          Decimal: sp_inline_BinaryWriter_WriteDecimal_, Half: sp_inline_BinaryWriter_WriteHalf_,                                 \
          char *: sp_inline_BinaryWriter_WriteString_, const char *: sp_inline_BinaryWriter_WriteString_)(w, v)
#    undef BinaryWriter_Write__4
#    define BinaryWriter_Write__4(w, b, i, c)                                                                          \
      _Generic((b),                                                                                                    \
          char *: BinaryWriter_WriteUtf8Chars, const char *: BinaryWriter_WriteUtf8Chars,                              \
          uint16_t *: BinaryWriter_WriteChars, const uint16_t *: BinaryWriter_WriteChars,                              \
          default: sp_inline_BinaryWriter_WriteBytes_)(w, b, i, c)
#    undef StreamReader_Read__1
#    define StreamReader_Read__1(r) sp_inline_StreamReader_Read_(r)
#    undef Stream_ReadByte
#    undef Stream_WriteByte
#    undef Stream_Read__4
#    undef Stream_ReadSpan
#    undef Stream_Write__4
#    undef Stream_WriteSpan
#    define Stream_ReadByte(s) sp_inline_Stream_ReadByte_(SP_AS_Stream(s))
#    define Stream_WriteByte(s, v) sp_inline_Stream_WriteByte_(SP_AS_Stream(s), v)
#    define Stream_Read__4(s, b, o, c) sp_inline_Stream_Read_(SP_AS_Stream(s), b, o, c)
#    define Stream_ReadSpan(s, b, c) sp_inline_Stream_ReadSpan_(SP_AS_Stream(s), b, c)
#    define Stream_Write__4(s, b, o, c) sp_inline_Stream_Write_(SP_AS_Stream(s), b, o, c)
#    define Stream_WriteSpan(s, b, c) sp_inline_Stream_WriteSpan_(SP_AS_Stream(s), b, c)
#  endif
#endif

SHARPIPC_END_DECLS

#endif
