/*
 * Microsoft.Win32.SafeHandles: the handle types of sharpipc's streams and maps. Each is a
 * SafeHandle (System.Runtime.InteropServices.h) and passes where one is expected:
 * SafeHandle_get_IsClosed(FileStream_get_SafeFileHandle(fs)).
 *
 *  - SafePipeHandle: a pipe end (PipeStream_get_SafePipeHandle, AnonymousPipeServerStream_get_ClientSafePipeHandle).
 *  - SafeFileHandle: a FileStream's file (FileStream_get_SafeFileHandle).
 *  - SafeMemoryMappedFileHandle: a map (MemoryMappedFile_get_SafeMemoryMappedFileHandle).
 *  - SafeMemoryMappedViewHandle, a SafeBuffer: a view (MemoryMappedViewAccessor_ and
 *    MemoryMappedViewStream_get_SafeMemoryMappedViewHandle).
 */
#ifndef SHARPIPC_MICROSOFT_WIN32_SAFEHANDLES_H
#define SHARPIPC_MICROSOFT_WIN32_SAFEHANDLES_H

#include "System.Runtime.InteropServices.h"

SHARPIPC_BEGIN_DECLS

/* new SafeFileHandle(IntPtr preexistingHandle, bool ownsHandle): a descriptor (POSIX) or HANDLE
 * (Windows) as a handle object the caller owns (Dispose); with ownsHandle, closing it closes the OS
 * handle. A stream made over it (FileStream_newFromHandle) is closed when it is. */
SHARPIPC_API SafeFileHandle *SafeFileHandle_new(intptr_t preexistingHandle, bool ownsHandle);

/* The IsInvalid overrides, each also reachable as SafeHandle_get_IsInvalid. */
SHARPIPC_API bool SafePipeHandle_get_IsInvalid(SafePipeHandle *handle);
SHARPIPC_API bool SafeFileHandle_get_IsInvalid(SafeFileHandle *handle);

SHARPIPC_END_DECLS

#endif
