/*
 * The object types of sharpipc, declared once for every namespace header, and the two pieces of
 * preprocessor machinery that let C read like C#:
 *
 *  - upcasts: a derived object passes where its base is expected, with no cast. SP_AS_Stream(x)
 *    accepts a Stream * or any type derived from Stream (and void *, so NULL reaches the
 *    function and becomes an ArgumentNullException) and is a compile error for anything else.
 *    The exported functions check the object's real type again at run time.
 *  - overloads: SP_OVERLOAD(name, args...) calls name__N(args...) where N is the argument count,
 *    so a macro can give omitted arguments .NET's defaults.
 *
 * Both are C-only conveniences; C++ sees the plain exported functions.
 */
#ifndef SHARPIPC_TYPES_H
#define SHARPIPC_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "export.h"
#include "version.h"

/* Every reference type, by namespace. The structs are private to the library. */
/* System */
typedef struct Object Object;
typedef struct Exception Exception;
/* System.IO */
typedef struct Stream Stream;
typedef struct MemoryStream MemoryStream;
typedef struct FileStream FileStream;
typedef struct UnmanagedMemoryStream UnmanagedMemoryStream;
typedef struct BinaryWriter BinaryWriter;
typedef struct BinaryReader BinaryReader;
typedef struct TextWriter TextWriter;
typedef struct TextReader TextReader;
typedef struct StreamWriter StreamWriter;
typedef struct StreamReader StreamReader;
/* System.Text */
typedef struct Encoding Encoding;
/* System.IO.Pipes */
typedef struct PipeStream PipeStream;
typedef struct NamedPipeServerStream NamedPipeServerStream;
typedef struct NamedPipeClientStream NamedPipeClientStream;
typedef struct AnonymousPipeServerStream AnonymousPipeServerStream;
typedef struct AnonymousPipeClientStream AnonymousPipeClientStream;
/* System.Runtime.InteropServices (SafeHandle, SafeBuffer) and Microsoft.Win32.SafeHandles */
typedef struct SafeHandle SafeHandle;
typedef struct SafeBuffer SafeBuffer;
typedef struct SafePipeHandle SafePipeHandle;
typedef struct SafeFileHandle SafeFileHandle;
typedef struct SafeMemoryMappedFileHandle SafeMemoryMappedFileHandle;
typedef struct SafeMemoryMappedViewHandle SafeMemoryMappedViewHandle;
/* System.IO.MemoryMappedFiles */
typedef struct MemoryMappedFile MemoryMappedFile;
typedef struct MemoryMappedViewStream MemoryMappedViewStream;
typedef struct UnmanagedMemoryAccessor UnmanagedMemoryAccessor;
typedef struct MemoryMappedViewAccessor MemoryMappedViewAccessor;
/* System.Net, System.Net.Sockets */
typedef struct IPAddress IPAddress;
typedef struct EndPoint EndPoint;
typedef struct IPEndPoint IPEndPoint;
typedef struct DnsEndPoint DnsEndPoint;
typedef struct UnixDomainSocketEndPoint UnixDomainSocketEndPoint;
typedef struct Socket Socket;
typedef struct NetworkStream NetworkStream;
typedef struct TcpListener TcpListener;
typedef struct TcpClient TcpClient;
typedef struct UdpClient UdpClient;
typedef struct MulticastOption MulticastOption;
typedef struct IPv6MulticastOption IPv6MulticastOption;
/* System.Threading */
typedef struct WaitHandle WaitHandle;
typedef struct Mutex Mutex;
typedef struct Semaphore Semaphore;
typedef struct EventWaitHandle EventWaitHandle;
/* System.Runtime.Remoting */
typedef struct RemoteObject RemoteObject;
/* ---- RPC (RPC-API.md section 7): the objects ---- */
/* StreamJsonRpc */
typedef struct JsonRpc JsonRpc;
typedef struct CommonErrorData CommonErrorData; /* opaque, owned by the pending exception */
/* System.Threading */
typedef struct CancellationTokenSource CancellationTokenSource;
/* ---- RPC: the value types (defined in System.h, System.Threading.h, StreamJsonRpc.h) ---- */
typedef struct TimeSpan TimeSpan;
typedef struct DateTime DateTime;
typedef struct CancellationToken CancellationToken;
typedef struct Variant Variant;
typedef struct SerializableType SerializableType;
typedef struct SerializableField SerializableField;
typedef struct ParameterInfo ParameterInfo;
typedef struct JsonRpcTarget JsonRpcTarget;
/* ---- end RPC ---- */

#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#  define SHARPIPC_HAVE_GENERIC 1
#elif !defined(__cplusplus) && defined(__GNUC__)
/* gcc and clang accept _Generic in C99 mode too. */
#  define SHARPIPC_HAVE_GENERIC 1
#endif

/* ---- the type lists: M(Type) for every type derived from each base (the base itself last) ---- */
#define SP_DERIVED_PipeStream(M)                                                                                       \
  M(NamedPipeServerStream) M(NamedPipeClientStream) M(AnonymousPipeServerStream) M(AnonymousPipeClientStream)
#define SP_DERIVED_UnmanagedMemoryStream(M) M(MemoryMappedViewStream)
#define SP_DERIVED_Stream(M)                                                                                           \
  M(MemoryStream)                                                                                                      \
  M(FileStream)                                                                                                        \
  M(UnmanagedMemoryStream) SP_DERIVED_UnmanagedMemoryStream(M) M(PipeStream) SP_DERIVED_PipeStream(M) M(NetworkStream)
#define SP_DERIVED_TextWriter(M) M(StreamWriter)
#define SP_DERIVED_TextReader(M) M(StreamReader)
#define SP_DERIVED_UnmanagedMemoryAccessor(M) M(MemoryMappedViewAccessor)
#define SP_DERIVED_EndPoint(M) M(IPEndPoint) M(DnsEndPoint) M(UnixDomainSocketEndPoint)
#define SP_DERIVED_WaitHandle(M) M(Mutex) M(Semaphore) M(EventWaitHandle)
#define SP_DERIVED_SafeBuffer(M) M(SafeMemoryMappedViewHandle)
#define SP_DERIVED_SafeHandle(M)                                                                                       \
  M(SafePipeHandle) M(SafeFileHandle) M(SafeMemoryMappedFileHandle) M(SafeBuffer) SP_DERIVED_SafeBuffer(M)
#define SP_DERIVED_Object(M)                                                                                           \
  M(Stream)                                                                                                            \
  SP_DERIVED_Stream(M) M(BinaryWriter) M(BinaryReader) M(TextWriter) SP_DERIVED_TextWriter(M) M(TextReader)            \
      SP_DERIVED_TextReader(M) M(Encoding) M(MemoryMappedFile) M(UnmanagedMemoryAccessor)                              \
          SP_DERIVED_UnmanagedMemoryAccessor(M) M(IPAddress) M(EndPoint) SP_DERIVED_EndPoint(M) M(Socket)              \
              M(TcpListener) M(TcpClient) M(UdpClient) M(MulticastOption) M(IPv6MulticastOption) M(WaitHandle)         \
                  SP_DERIVED_WaitHandle(M) M(RemoteObject) M(SafeHandle) SP_DERIVED_SafeHandle(M) M(JsonRpc)           \
                      M(CancellationTokenSource)

#ifdef SHARPIPC_HAVE_GENERIC
#  define SP_UPCAST_CASE_(T) T * : 0, const T * : 0,
/* The selected value is unused: _Generic only checks that x is one of the listed types. */
#  define SP_UPCAST(Base, x)                                                                                           \
    ((void)_Generic((x), SP_DERIVED_##Base(SP_UPCAST_CASE_) void * : 0, const Base * : 0, Base * : 0), (Base *)(x))
#else
#  define SP_UPCAST(Base, x) ((Base *)(x))
#endif
#define SP_AS_Object(x) SP_UPCAST(Object, x)
#define SP_AS_Stream(x) SP_UPCAST(Stream, x)
#define SP_AS_PipeStream(x) SP_UPCAST(PipeStream, x)
#define SP_AS_UnmanagedMemoryStream(x) SP_UPCAST(UnmanagedMemoryStream, x)
#define SP_AS_TextWriter(x) SP_UPCAST(TextWriter, x)
#define SP_AS_TextReader(x) SP_UPCAST(TextReader, x)
#define SP_AS_UnmanagedMemoryAccessor(x) SP_UPCAST(UnmanagedMemoryAccessor, x)
#define SP_AS_EndPoint(x) SP_UPCAST(EndPoint, x)
#define SP_AS_WaitHandle(x) SP_UPCAST(WaitHandle, x)
#define SP_AS_SafeHandle(x) SP_UPCAST(SafeHandle, x)
#define SP_AS_SafeBuffer(x) SP_UPCAST(SafeBuffer, x)

/* ---- arity dispatch ---- */
#define SP_CAT_(a, b) a##b
#define SP_CAT(a, b) SP_CAT_(a, b)
#define SP_ARG10_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, N, ...) N
#define SP_NARGS(...) SP_ARG10_(__VA_ARGS__, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
/* Emptiness test (after Jens Gustedt), so that F() counts as zero arguments in plain C99. */
#define SP_HAS_COMMA_(...) SP_ARG10_(__VA_ARGS__, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0)
#define SP_COMMA_IF_CALLED_(...) ,
#define SP_PASTE5_(a, b, c, d, e) a##b##c##d##e
#define SP_EMPTY_CASE_0001 ,
#define SP_ISEMPTY_(a, b, c, d) SP_HAS_COMMA_(SP_PASTE5_(SP_EMPTY_CASE_, a, b, c, d))
#define SP_ISEMPTY(...)                                                                                                \
  SP_ISEMPTY_(SP_HAS_COMMA_(__VA_ARGS__), SP_HAS_COMMA_(SP_COMMA_IF_CALLED_ __VA_ARGS__),                              \
              SP_HAS_COMMA_(__VA_ARGS__()), SP_HAS_COMMA_(SP_COMMA_IF_CALLED_ __VA_ARGS__()))
#define SP_NARGS0_1(...) 0
#define SP_NARGS0_0(...) SP_NARGS(__VA_ARGS__)
#define SP_NARGS0(...) SP_CAT(SP_NARGS0_, SP_ISEMPTY(__VA_ARGS__))(__VA_ARGS__)
/* name(a, b) -> name__2(a, b); name() -> name__0() */
#define SP_OVERLOAD(name, ...) SP_CAT(name##__, SP_NARGS0(__VA_ARGS__))(__VA_ARGS__)

#endif
