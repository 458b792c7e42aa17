/*
 * System.Runtime.InteropServices: SafeHandle, the base of every handle object sharpipc hands out
 * (SafePipeHandle, SafeFileHandle, SafeMemoryMappedFileHandle, and SafeBuffer's
 * SafeMemoryMappedViewHandle; their types are in Microsoft.Win32.SafeHandles.h), and SafeBuffer.
 *
 * A handle object is what .NET's is: an OS value with a reference count and a closed bit. Closing
 * it (SafeHandle_Close, .NET's Close()/Dispose()) marks it closed at once; the OS value goes once
 * the calls using it have left. The properties that return one (FileStream_get_SafeFileHandle,
 * PipeStream_get_SafePipeHandle, MemoryMappedFile_get_SafeMemoryMappedFileHandle, ...) return a
 * borrowed reference, the same object each time, valid while its owner lives (Object_Retain keeps
 * it longer; then Dispose drops that reference). Disposing the owner closes the handle
 * (IsClosed becomes true); closing the handle leaves its owner as .NET leaves it (a FileStream
 * whose SafeFileHandle was closed is a closed stream).
 */
#ifndef SHARPIPC_SYSTEM_RUNTIME_INTEROPSERVICES_H
#define SHARPIPC_SYSTEM_RUNTIME_INTEROPSERVICES_H

#include "System.h"

SHARPIPC_BEGIN_DECLS

/* ================================================================ SafeHandle */

SHARPIPC_API bool SafeHandle_get_IsClosed(SafeHandle *handle);
/* .NET's IsInvalid (abstract in SafeHandle, each derived type's rule). */
SHARPIPC_API bool SafeHandle_get_IsInvalid(SafeHandle *handle);
/* The OS value: a descriptor or HANDLE (pipes, files, maps), the view's address (views). Still
 * answers once closed, as .NET's, but the value is then no longer the handle's. */
SHARPIPC_API intptr_t SafeHandle_DangerousGetHandle(SafeHandle *handle);
/* SafeHandle.Close() (and .NET's SafeHandle.Dispose()): closes the OS handle (once the calls
 * using it have left); keeps the object, so a borrowed handle may be closed. */
SHARPIPC_API bool SafeHandle_Close(SafeHandle *handle);
/* Dispose for a reference the caller owns (one it retained): SafeHandle_Close, then releases it. */
SHARPIPC_API bool SafeHandle_Dispose(SafeHandle *handle);

#ifdef SHARPIPC_HAVE_GENERIC
#  define SafeHandle_get_IsClosed(h) (SafeHandle_get_IsClosed)(SP_AS_SafeHandle(h))
#  define SafeHandle_get_IsInvalid(h) (SafeHandle_get_IsInvalid)(SP_AS_SafeHandle(h))
#  define SafeHandle_DangerousGetHandle(h) (SafeHandle_DangerousGetHandle)(SP_AS_SafeHandle(h))
#  define SafeHandle_Close(h) (SafeHandle_Close)(SP_AS_SafeHandle(h))
#  define SafeHandle_Dispose(h) (SafeHandle_Dispose)(SP_AS_SafeHandle(h))
#endif

/* ================================================================ SafeBuffer */

/* SafeBuffer.ByteLength: the bytes the buffer spans (for a view, its Capacity plus its
 * PointerOffset, the part before the caller's byte 0). Answers once closed, as in .NET. */
SHARPIPC_API uint64_t SafeBuffer_get_ByteLength(SafeBuffer *buffer);

#ifdef SHARPIPC_HAVE_GENERIC
#  define SafeBuffer_get_ByteLength(b) (SafeBuffer_get_ByteLength)(SP_AS_SafeBuffer(b))
#endif

SHARPIPC_END_DECLS

#endif
