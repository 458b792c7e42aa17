/*
 * The exception types, once: the ExceptionType enum (System.h), the library's type table and the
 * tests are all generated from this list.
 *
 * SHARPIPC_EXCEPTION_TYPES(X) expands X once per type, in enum order:
 *
 *     X(Name, Base, ".NET full name", HResult, DefaultMessage)
 *
 *  - Name: the enumerator is ExceptionType_<Name>; its value is its position in this list (after
 *    ExceptionType_None = 0), so append new types at the end: programs outside sharpipc compile
 *    against the numbers.
 *  - Base: the nearest base type sharpipc names (None for System.Exception), what Exception_Is
 *    walks.
 *  - HResult: .NET's HResult, as an unsigned 32-bit constant.
 *  - DefaultMessage: the .NET resource name (SR.*) of the parameterless constructor's message;
 *    the texts are private to the library (src/core/messages.h).
 *
 * Plain preprocessor text with no declarations: it compiles as C and as C++.
 */
#ifndef SHARPIPC_EXCEPTION_TYPES_H
#define SHARPIPC_EXCEPTION_TYPES_H

/* clang-format off */
#define SHARPIPC_EXCEPTION_TYPES(X) \
    X(Exception,                         None,                      "System.Exception",                                  0x80131500u, Exception_WasThrown) \
    X(SystemException,                   Exception,                 "System.SystemException",                            0x80131501u, Arg_SystemException) \
    X(IOException,                       SystemException,           "System.IO.IOException",                             0x80131620u, Arg_IOException) \
    X(EndOfStreamException,              IOException,               "System.IO.EndOfStreamException",                    0x80070026u, Arg_EndOfStreamException) \
    X(FileNotFoundException,             IOException,               "System.IO.FileNotFoundException",                   0x80070002u, IO_FileNotFound) \
    X(DirectoryNotFoundException,        IOException,               "System.IO.DirectoryNotFoundException",              0x80070003u, Arg_DirectoryNotFoundException) \
    X(PathTooLongException,              IOException,               "System.IO.PathTooLongException",                    0x800700CEu, IO_PathTooLong) \
    X(UnauthorizedAccessException,       SystemException,           "System.UnauthorizedAccessException",                0x80070005u, Arg_UnauthorizedAccessException) \
    X(TimeoutException,                  SystemException,           "System.TimeoutException",                           0x80131505u, Arg_TimeoutException) \
    X(ArgumentException,                 SystemException,           "System.ArgumentException",                          0x80070057u, Arg_ArgumentException) \
    X(ArgumentNullException,             ArgumentException,         "System.ArgumentNullException",                      0x80004003u, ArgumentNull_Generic) \
    X(ArgumentOutOfRangeException,       ArgumentException,         "System.ArgumentOutOfRangeException",                0x80131502u, Arg_ArgumentOutOfRangeException) \
    X(InvalidOperationException,         SystemException,           "System.InvalidOperationException",                  0x80131509u, Arg_InvalidOperationException) \
    X(ObjectDisposedException,           InvalidOperationException, "System.ObjectDisposedException",                    0x80131622u, ObjectDisposed_Generic) \
    X(NotSupportedException,             SystemException,           "System.NotSupportedException",                      0x80131515u, Arg_NotSupportedException) \
    X(PlatformNotSupportedException,     NotSupportedException,     "System.PlatformNotSupportedException",              0x80131539u, Arg_PlatformNotSupported) \
    X(FormatException,                   SystemException,           "System.FormatException",                            0x80131537u, Arg_FormatException) \
    X(OperationCanceledException,        SystemException,           "System.OperationCanceledException",                 0x8013153Bu, OperationCanceled) \
    X(OutOfMemoryException,              SystemException,           "System.OutOfMemoryException",                       0x8007000Eu, Arg_OutOfMemoryException) \
    /* SocketException : Win32Exception : ExternalException : SystemException; HResult E_FAIL. */ \
    X(SocketException,                   SystemException,           "System.Net.Sockets.SocketException",                0x80004005u, Arg_SocketException) \
    X(RemotingException,                 SystemException,           "System.Runtime.Remoting.RemotingException",         0x8013150Bu, Arg_RemotingException) \
    X(AbandonedMutexException,           SystemException,           "System.Threading.AbandonedMutexException",          0x8013152Du, Threading_AbandonedMutexException) \
    /* OverflowException : ArithmeticException : SystemException. */ \
    X(OverflowException,                 SystemException,           "System.OverflowException",                          0x80131516u, Arg_OverflowException) \
    X(ApplicationException,              Exception,                 "System.ApplicationException",                       0x80131600u, Arg_ApplicationException) \
    X(SemaphoreFullException,            SystemException,           "System.Threading.SemaphoreFullException",           0x8013152Bu, Threading_SemaphoreFullException) \
    X(WaitHandleCannotBeOpenedException, ApplicationException,      "System.Threading.WaitHandleCannotBeOpenedException", 0x80131520u, Threading_WaitHandleCannotBeOpenedException) \
    /* ---- RPC (RPC-API.md section 7; hremoting) */ \
    X(InvalidCastException,              SystemException,           "System.InvalidCastException",                       0x80004002u, Arg_InvalidCastException) \
    X(SerializationException,            SystemException,           "System.Runtime.Serialization.SerializationException", 0x8013150Cu, Arg_SerializationException) \
    X(RemoteRpcException,                Exception,                 "StreamJsonRpc.RemoteRpcException",                  0x80131500u, Exception_WasThrown) \
    X(RemoteInvocationException,         RemoteRpcException,        "StreamJsonRpc.RemoteInvocationException",           0x80131500u, Exception_WasThrown) \
    X(RemoteMethodNotFoundException,     RemoteRpcException,        "StreamJsonRpc.RemoteMethodNotFoundException",       0x80131500u, Exception_WasThrown) \
    X(RemoteSerializationException,      RemoteRpcException,        "StreamJsonRpc.RemoteSerializationException",        0x80131500u, Exception_WasThrown) \
    X(ConnectionLostException,           RemoteRpcException,        "StreamJsonRpc.ConnectionLostException",             0x80131500u, ConnectionDropped) \
    X(BadRpcHeaderException,             RemoteRpcException,        "StreamJsonRpc.BadRpcHeaderException",               0x80131500u, Exception_WasThrown) \
    X(LocalRpcException,                 Exception,                 "StreamJsonRpc.LocalRpcException",                   0x80131500u, Exception_WasThrown) \
    /* ---- System.Text: a throwing encoding's fallbacks (both set COR_E_ARGUMENT) */ \
    X(DecoderFallbackException,          ArgumentException,         "System.Text.DecoderFallbackException",              0x80070057u, Arg_ArgumentException) \
    X(EncoderFallbackException,          ArgumentException,         "System.Text.EncoderFallbackException",              0x80070057u, Arg_ArgumentException)
/* clang-format on */

#endif
