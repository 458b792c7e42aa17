/*
 * System.Net.Sockets: Socket and its enums, with .NET's numbers and behaviour on each OS
 * (API.md section 7 fixes the C forms: buffers, ref EndPoint, Select lists).
 *
 * A blocking call (Accept, Connect, Send, Receive, SendTo, ReceiveFrom, Poll, Select) may be ended
 * by disposing the socket on another thread, as in .NET: Accept and a datagram Receive then fail
 * with SocketException Interrupted, a stream Send or Receive with ConnectionAborted (and the peer
 * sees a reset), Connect with ObjectDisposedException; Poll and Select return, the disposed socket
 * reported ready.
 */
#ifndef SHARPIPC_SYSTEM_NET_SOCKETS_H
#define SHARPIPC_SYSTEM_NET_SOCKETS_H

#include "System.IO.h"
#include "System.Net.h"

SHARPIPC_BEGIN_DECLS

/* System.Net.Sockets.SocketError: WinSock's numbers. */
/* clang-format off */
typedef enum SocketError {
    SocketError_Success = 0,
    SocketError_SocketError = -1,
    SocketError_OperationAborted = 995,
    SocketError_IOPending = 997,
    SocketError_Interrupted = 10004,
    SocketError_AccessDenied = 10013,
    SocketError_Fault = 10014,
    SocketError_InvalidArgument = 10022,
    SocketError_TooManyOpenSockets = 10024,
    SocketError_WouldBlock = 10035,
    SocketError_InProgress = 10036,
    SocketError_AlreadyInProgress = 10037,
    SocketError_NotSocket = 10038,
    SocketError_DestinationAddressRequired = 10039,
    SocketError_MessageSize = 10040,
    SocketError_ProtocolType = 10041,
    SocketError_ProtocolOption = 10042,
    SocketError_ProtocolNotSupported = 10043,
    SocketError_SocketNotSupported = 10044,
    SocketError_OperationNotSupported = 10045,
    SocketError_ProtocolFamilyNotSupported = 10046,
    SocketError_AddressFamilyNotSupported = 10047,
    SocketError_AddressAlreadyInUse = 10048,
    SocketError_AddressNotAvailable = 10049,
    SocketError_NetworkDown = 10050,
    SocketError_NetworkUnreachable = 10051,
    SocketError_NetworkReset = 10052,
    SocketError_ConnectionAborted = 10053,
    SocketError_ConnectionReset = 10054,
    SocketError_NoBufferSpaceAvailable = 10055,
    SocketError_IsConnected = 10056,
    SocketError_NotConnected = 10057,
    SocketError_Shutdown = 10058,
    SocketError_TimedOut = 10060,
    SocketError_ConnectionRefused = 10061,
    SocketError_HostDown = 10064,
    SocketError_HostUnreachable = 10065,
    SocketError_ProcessLimit = 10067,
    SocketError_SystemNotReady = 10091,
    SocketError_VersionNotSupported = 10092,
    SocketError_NotInitialized = 10093,
    SocketError_Disconnecting = 10101,
    SocketError_TypeNotFound = 10109,
    SocketError_HostNotFound = 11001,
    SocketError_TryAgain = 11002,
    SocketError_NoRecovery = 11003,
    SocketError_NoData = 11004
} SocketError;

typedef enum SocketType {
    SocketType_Unknown = -1,
    SocketType_Stream = 1,
    SocketType_Dgram = 2,
    SocketType_Raw = 3,
    SocketType_Rdm = 4,
    SocketType_Seqpacket = 5
} SocketType;

typedef enum ProtocolType {
    ProtocolType_Unknown = -1,
    ProtocolType_IP = 0,
    ProtocolType_IPv6HopByHopOptions = 0,
    ProtocolType_Unspecified = 0,
    ProtocolType_Icmp = 1,
    ProtocolType_Igmp = 2,
    ProtocolType_Ggp = 3,
    ProtocolType_IPv4 = 4,
    ProtocolType_Tcp = 6,
    ProtocolType_Pup = 12,
    ProtocolType_Udp = 17,
    ProtocolType_Idp = 22,
    ProtocolType_IPv6 = 41,
    ProtocolType_IPv6RoutingHeader = 43,
    ProtocolType_IPv6FragmentHeader = 44,
    ProtocolType_IPSecEncapsulatingSecurityPayload = 50,
    ProtocolType_IPSecAuthenticationHeader = 51,
    ProtocolType_IcmpV6 = 58,
    ProtocolType_IPv6NoNextHeader = 59,
    ProtocolType_IPv6DestinationOptions = 60,
    ProtocolType_ND = 77,
    ProtocolType_Raw = 255,
    ProtocolType_Ipx = 1000,
    ProtocolType_Spx = 1256,
    ProtocolType_SpxII = 1257
} ProtocolType;

typedef enum SocketFlags {
    SocketFlags_None = 0,
    SocketFlags_OutOfBand = 0x0001,
    SocketFlags_Peek = 0x0002,
    SocketFlags_DontRoute = 0x0004,
    SocketFlags_MaxIOVectorLength = 0x0010,
    SocketFlags_Truncated = 0x0100,
    SocketFlags_ControlDataTruncated = 0x0200,
    SocketFlags_Broadcast = 0x0400,
    SocketFlags_Multicast = 0x0800,
    SocketFlags_Partial = 0x8000
} SocketFlags;

typedef enum SocketShutdown { SocketShutdown_Receive = 0, SocketShutdown_Send = 1, SocketShutdown_Both = 2 } SocketShutdown;
typedef enum SelectMode { SelectMode_SelectRead = 0, SelectMode_SelectWrite = 1, SelectMode_SelectError = 2 } SelectMode;

typedef enum SocketOptionLevel {
    SocketOptionLevel_IP = 0,
    SocketOptionLevel_Tcp = 6,
    SocketOptionLevel_Udp = 17,
    SocketOptionLevel_IPv6 = 41,
    SocketOptionLevel_Socket = 0xffff
} SocketOptionLevel;

typedef enum SocketOptionName {
    /* SocketOptionLevel.Socket */
    SocketOptionName_Debug = 0x0001,
    SocketOptionName_AcceptConnection = 0x0002,
    SocketOptionName_ReuseAddress = 0x0004,
    SocketOptionName_KeepAlive = 0x0008,
    SocketOptionName_DontRoute = 0x0010,
    SocketOptionName_Broadcast = 0x0020,
    SocketOptionName_UseLoopback = 0x0040,
    SocketOptionName_Linger = 0x0080,
    SocketOptionName_OutOfBandInline = 0x0100,
    SocketOptionName_DontLinger = ~0x0080,
    SocketOptionName_ExclusiveAddressUse = ~0x0004,
    SocketOptionName_SendBuffer = 0x1001,
    SocketOptionName_ReceiveBuffer = 0x1002,
    SocketOptionName_SendLowWater = 0x1003,
    SocketOptionName_ReceiveLowWater = 0x1004,
    SocketOptionName_SendTimeout = 0x1005,
    SocketOptionName_ReceiveTimeout = 0x1006,
    SocketOptionName_Error = 0x1007,
    SocketOptionName_Type = 0x1008,
    SocketOptionName_ReuseUnicastPort = 0x3007,
    SocketOptionName_MaxConnections = 0x7fffffff,
    /* SocketOptionLevel.IP (and IPv6 where it says so) */
    SocketOptionName_IPOptions = 1,
    SocketOptionName_HeaderIncluded = 2,
    SocketOptionName_TypeOfService = 3,
    SocketOptionName_IpTimeToLive = 4,
    SocketOptionName_MulticastInterface = 9,
    SocketOptionName_MulticastTimeToLive = 10,
    SocketOptionName_MulticastLoopback = 11,
    SocketOptionName_AddMembership = 12,
    SocketOptionName_DropMembership = 13,
    SocketOptionName_DontFragment = 14,
    SocketOptionName_AddSourceMembership = 15,
    SocketOptionName_DropSourceMembership = 16,
    SocketOptionName_BlockSource = 17,
    SocketOptionName_UnblockSource = 18,
    SocketOptionName_PacketInformation = 19,
    SocketOptionName_HopLimit = 21,
    SocketOptionName_IPProtectionLevel = 23,
    SocketOptionName_IPv6Only = 27,
    /* SocketOptionLevel.Tcp */
    SocketOptionName_NoDelay = 1,
    SocketOptionName_BsdUrgent = 2,
    SocketOptionName_Expedited = 2,
    SocketOptionName_TcpKeepAliveTime = 3,
    SocketOptionName_FastOpen = 15,
    SocketOptionName_TcpKeepAliveRetryCount = 16,
    SocketOptionName_TcpKeepAliveInterval = 17,
    /* SocketOptionLevel.Udp */
    SocketOptionName_NoChecksum = 1,
    SocketOptionName_ChecksumCoverage = 20,
    SocketOptionName_UpdateAcceptContext = 0x700B,
    SocketOptionName_UpdateConnectContext = 0x7010
} SocketOptionName;
/* clang-format on */

/* System.Net.Sockets.LingerOption, a value here: { Enabled, LingerTime (seconds) }. */
typedef struct LingerOption {
    bool Enabled;
    int32_t LingerTime;
} LingerOption;
SHARPIPC_API LingerOption LingerOption_new(bool enable, int32_t seconds);

/* SocketException.ErrorCode: NativeErrorCode (errno on Unix, the WSA code on Windows); 0 for
 * other types. SocketException_get_SocketErrorCode is in System.h. */
SHARPIPC_API int32_t SocketException_get_ErrorCode(const Exception *e);
/* throw new SocketException(errorCode), errorCode a SocketError: the OS's text for it, and
 * NativeErrorCode the OS's code (errno on Unix, the WSA code on Windows), as .NET's constructor
 * sets them. For C code that reports a socket failure it found itself (a non-blocking connect's
 * SocketOptionName_Error). Sets the pending exception; returns false. */
SHARPIPC_API bool SocketException_Throw(int32_t errorCode);

/* ================================================================ Socket */

/* new Socket(addressFamily, socketType, protocolType). */
SHARPIPC_API Socket *Socket_newWithFamily(AddressFamily addressFamily, SocketType socketType,
                                          ProtocolType protocolType);
/* new Socket(socketType, protocolType): IPv6 with DualMode where the OS has IPv6, else IPv4. */
SHARPIPC_API Socket *Socket_newDualMode(SocketType socketType, ProtocolType protocolType);

/* new Socket(new SafeSocketHandle(handle, ownsHandle: true)): a Socket over an OS socket, which it
 * then owns (closes at Dispose); its family, type, protocol, Blocking, bound, connected and
 * listening state are read from the OS. ArgumentException("handle") for -1 or 0; SocketException
 * NotSocket for a handle that is no socket. */
SHARPIPC_API Socket *Socket_newFromHandle(intptr_t handle);

/* Socket.OSSupportsIPv4 / OSSupportsIPv6 / OSSupportsUnixDomainSockets. */
SHARPIPC_API bool Socket_get_OSSupportsIPv4(void);
SHARPIPC_API bool Socket_get_OSSupportsIPv6(void);
SHARPIPC_API bool Socket_get_OSSupportsUnixDomainSockets(void);
#define Socket_OSSupportsIPv4 (Socket_get_OSSupportsIPv4())
#define Socket_OSSupportsIPv6 (Socket_get_OSSupportsIPv6())
#define Socket_OSSupportsUnixDomainSockets (Socket_get_OSSupportsUnixDomainSockets())

SHARPIPC_API bool Socket_Bind(Socket *s, const EndPoint *localEP);
/* Listen(backlog); Listen() is Listen(int.MaxValue). */
SHARPIPC_API bool Socket_Listen(Socket *s, int32_t backlog);
SHARPIPC_API Socket *Socket_Accept(Socket *s);
SHARPIPC_API bool Socket_ConnectEndPoint(Socket *s, const EndPoint *remoteEP);
SHARPIPC_API bool Socket_ConnectAddress(Socket *s, const IPAddress *address, int32_t port);
SHARPIPC_API bool Socket_ConnectHost(Socket *s, const char *host, int32_t port);
/* Connect(IPAddress[] addresses, port): the first that connects; the last failure otherwise. */
SHARPIPC_API bool Socket_ConnectAddresses(Socket *s, IPAddress *const *addresses, int32_t count, int32_t port);
SHARPIPC_API bool Socket_Shutdown(Socket *s, SocketShutdown how);
/* Disconnect(reuseSocket): ends the connection (Linux: connect(AF_UNSPEC), abortive for TCP); a
 * later Connect is InvalidOperationException, as .NET's sync Connect after a Disconnect. */
SHARPIPC_API bool Socket_Disconnect(Socket *s, bool reuseSocket);
/* Close(): Dispose with the user's linger; Close(timeout): 0 is an abortive close, n > 0 sends
 * FIN and waits up to n ms for the peer's. The reference stays (Dispose releases it). */
SHARPIPC_API bool Socket_Close(Socket *s);
SHARPIPC_API bool Socket_CloseWithTimeout(Socket *s, int32_t timeout);

/* Send(byte[] buffer, int offset, int size, SocketFlags): the bytes sent, -1 on failure. */
SHARPIPC_API int32_t Socket_Send(Socket *s, const void *buffer, int32_t offset, int32_t size, SocketFlags socketFlags);
/* Send(ReadOnlySpan<byte>, SocketFlags). */
SHARPIPC_API int32_t Socket_SendSpan(Socket *s, const void *buffer, int32_t size, SocketFlags socketFlags);
/* The `out SocketError errorCode` forms: no exception for a socket error (it goes to *errorCode
 * and the result is 0); argument and disposed errors still raise. */
SHARPIPC_API int32_t Socket_SendWithError(Socket *s, const void *buffer, int32_t offset, int32_t size,
                                          SocketFlags socketFlags, SocketError *errorCode);
SHARPIPC_API int32_t Socket_SendSpanWithError(Socket *s, const void *buffer, int32_t size, SocketFlags socketFlags,
                                              SocketError *errorCode);
SHARPIPC_API int32_t Socket_Receive(Socket *s, void *buffer, int32_t offset, int32_t size, SocketFlags socketFlags);
SHARPIPC_API int32_t Socket_ReceiveSpan(Socket *s, void *buffer, int32_t size, SocketFlags socketFlags);
SHARPIPC_API int32_t Socket_ReceiveWithError(Socket *s, void *buffer, int32_t offset, int32_t size,
                                             SocketFlags socketFlags, SocketError *errorCode);
SHARPIPC_API int32_t Socket_ReceiveSpanWithError(Socket *s, void *buffer, int32_t size, SocketFlags socketFlags,
                                                 SocketError *errorCode);
/* SendTo(byte[], int offset, int size, SocketFlags, EndPoint) and the span form. */
SHARPIPC_API int32_t Socket_SendTo(Socket *s, const void *buffer, int32_t offset, int32_t size, SocketFlags socketFlags,
                                   const EndPoint *remoteEP);
SHARPIPC_API int32_t Socket_SendToSpan(Socket *s, const void *buffer, int32_t size, SocketFlags socketFlags,
                                       const EndPoint *remoteEP);
/* ReceiveFrom(..., ref EndPoint remoteEP): *remoteEP (NULL allowed) is released and replaced by
 * the sender's endpoint, which the caller owns. */
SHARPIPC_API int32_t Socket_ReceiveFrom(Socket *s, void *buffer, int32_t offset, int32_t size, SocketFlags socketFlags,
                                        EndPoint **remoteEP);
SHARPIPC_API int32_t Socket_ReceiveFromSpan(Socket *s, void *buffer, int32_t size, SocketFlags socketFlags,
                                            EndPoint **remoteEP);

/* Poll(microSeconds, mode): -1 waits without limit; others are truncated to milliseconds. */
SHARPIPC_API bool Socket_Poll(Socket *s, int32_t microSeconds, SelectMode mode);
/* Select: each list an array with its count (NULL, NULL for none), filtered in place. */
SHARPIPC_API bool Socket_Select(Socket **checkRead, int32_t *readCount, Socket **checkWrite, int32_t *writeCount,
                                Socket **checkError, int32_t *errorCount, int32_t microSeconds);

/* Properties. get_LocalEndPoint / get_RemoteEndPoint: a new object (Dispose it), NULL when there
 * is none (not bound / not connected; no exception). */
SHARPIPC_API EndPoint *Socket_get_LocalEndPoint(Socket *s);
SHARPIPC_API EndPoint *Socket_get_RemoteEndPoint(Socket *s);
SHARPIPC_API intptr_t Socket_get_Handle(Socket *s);
SHARPIPC_API AddressFamily Socket_get_AddressFamily(Socket *s);
SHARPIPC_API SocketType Socket_get_SocketType(Socket *s);
SHARPIPC_API ProtocolType Socket_get_ProtocolType(Socket *s);
SHARPIPC_API bool Socket_get_Connected(Socket *s);
SHARPIPC_API bool Socket_get_IsBound(Socket *s);
SHARPIPC_API int32_t Socket_get_Available(Socket *s);
SHARPIPC_API bool Socket_get_Blocking(Socket *s);
SHARPIPC_API bool Socket_set_Blocking(Socket *s, bool value);
SHARPIPC_API bool Socket_get_NoDelay(Socket *s);
SHARPIPC_API bool Socket_set_NoDelay(Socket *s, bool value);
SHARPIPC_API bool Socket_get_DualMode(Socket *s);
SHARPIPC_API bool Socket_set_DualMode(Socket *s, bool value);
SHARPIPC_API int16_t Socket_get_Ttl(Socket *s);
SHARPIPC_API bool Socket_set_Ttl(Socket *s, int16_t value);
SHARPIPC_API bool Socket_get_DontFragment(Socket *s);
SHARPIPC_API bool Socket_set_DontFragment(Socket *s, bool value);
SHARPIPC_API bool Socket_get_EnableBroadcast(Socket *s);
SHARPIPC_API bool Socket_set_EnableBroadcast(Socket *s, bool value);
SHARPIPC_API bool Socket_get_ExclusiveAddressUse(Socket *s);
SHARPIPC_API bool Socket_set_ExclusiveAddressUse(Socket *s, bool value);
SHARPIPC_API LingerOption Socket_get_LingerState(Socket *s);
SHARPIPC_API bool Socket_set_LingerState(Socket *s, LingerOption value);
SHARPIPC_API int32_t Socket_get_ReceiveBufferSize(Socket *s);
SHARPIPC_API bool Socket_set_ReceiveBufferSize(Socket *s, int32_t value);
SHARPIPC_API int32_t Socket_get_SendBufferSize(Socket *s);
SHARPIPC_API bool Socket_set_SendBufferSize(Socket *s, int32_t value);
/* Milliseconds; 0 (and -1 when set) is infinite. */
SHARPIPC_API int32_t Socket_get_ReceiveTimeout(Socket *s);
SHARPIPC_API bool Socket_set_ReceiveTimeout(Socket *s, int32_t value);
SHARPIPC_API int32_t Socket_get_SendTimeout(Socket *s);
SHARPIPC_API bool Socket_set_SendTimeout(Socket *s, int32_t value);

/* Get/SetSocketOption. The integer form serves integer and Boolean options (0 / 1). */
SHARPIPC_API int32_t Socket_GetSocketOption(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName);
/* GetSocketOption(level, name, byte[] optionValue): the length written, -1 on failure. */
SHARPIPC_API int32_t Socket_GetSocketOptionBytes(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName,
                                                 void *optionValue, int32_t length);
/* GetSocketOption(Socket, Linger), .NET's LingerOption object. */
SHARPIPC_API LingerOption Socket_GetSocketOptionLinger(Socket *s, SocketOptionLevel optionLevel,
                                                       SocketOptionName optionName);
SHARPIPC_API bool Socket_SetSocketOptionInt32(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName,
                                              int32_t optionValue);
SHARPIPC_API bool Socket_SetSocketOptionBoolean(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName,
                                                bool optionValue);
SHARPIPC_API bool Socket_SetSocketOptionLinger(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName,
                                               LingerOption optionValue);
SHARPIPC_API bool Socket_SetSocketOptionBytes(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName,
                                              const void *optionValue, int32_t length);

#ifdef SHARPIPC_HAVE_GENERIC
#  define Socket_new(...) SP_OVERLOAD(Socket_new, __VA_ARGS__)
#  define Socket_new__2(t, p) Socket_newDualMode(t, p)
#  define Socket_new__3(f, t, p) Socket_newWithFamily(f, t, p)
#  define Socket_Bind(s, ep) (Socket_Bind)(s, SP_AS_EndPoint(ep))
#  define Socket_Listen(...) SP_OVERLOAD(Socket_Listen, __VA_ARGS__)
#  define Socket_Listen__1(s) (Socket_Listen)(s, 0x7fffffff)
#  define Socket_Listen__2(s, b) (Socket_Listen)(s, b)
#  define Socket_Connect(...) SP_OVERLOAD(Socket_Connect, __VA_ARGS__)
#  define Socket_Connect__2(s, ep) Socket_ConnectEndPoint(s, SP_AS_EndPoint(ep))
#  define Socket_Connect__3(s, a, p)                                                                                   \
    _Generic((a), char * : Socket_ConnectHost, const char * : Socket_ConnectHost, default : Socket_ConnectAddress)(s, a, p)
#  define Socket_Connect__4(s, a, n, p) Socket_ConnectAddresses(s, a, n, p)
#  define Socket_Close(...) SP_OVERLOAD(Socket_Close, __VA_ARGS__)
#  define Socket_Close__1(s) (Socket_Close)(s)
#  define Socket_Close__2(s, t) Socket_CloseWithTimeout(s, t)
/* Send(s, buf, size) and Send(s, buf, size, flags): the span forms; Send(s, buf, offset, size,
 * flags): byte[]; a trailing SocketError * is the out form (5 arguments: span, 6: byte[]). */
#  define Socket_Send(...) SP_OVERLOAD(Socket_Send, __VA_ARGS__)
#  define Socket_Send__3(s, b, n) Socket_SendSpan(s, b, n, SocketFlags_None)
#  define Socket_Send__4(s, b, n, f) Socket_SendSpan(s, b, n, f)
#  define Socket_Send__5(s, b, x, y, z)                                                                                \
    _Generic((z), SocketError * : Socket_SendSpanWithError, default : (Socket_Send))(s, b, x, y, z)
#  define Socket_Send__6(s, b, o, n, f, e) Socket_SendWithError(s, b, o, n, f, e)
#  define Socket_Receive(...) SP_OVERLOAD(Socket_Receive, __VA_ARGS__)
#  define Socket_Receive__3(s, b, n) Socket_ReceiveSpan(s, b, n, SocketFlags_None)
#  define Socket_Receive__4(s, b, n, f) Socket_ReceiveSpan(s, b, n, f)
#  define Socket_Receive__5(s, b, x, y, z)                                                                             \
    _Generic((z), SocketError * : Socket_ReceiveSpanWithError, default : (Socket_Receive))(s, b, x, y, z)
#  define Socket_Receive__6(s, b, o, n, f, e) Socket_ReceiveWithError(s, b, o, n, f, e)
#  define Socket_SendTo(...) SP_OVERLOAD(Socket_SendTo, __VA_ARGS__)
#  define Socket_SendTo__4(s, b, n, ep) Socket_SendToSpan(s, b, n, SocketFlags_None, SP_AS_EndPoint(ep))
#  define Socket_SendTo__5(s, b, n, f, ep) Socket_SendToSpan(s, b, n, f, SP_AS_EndPoint(ep))
#  define Socket_SendTo__6(s, b, o, n, f, ep) (Socket_SendTo)(s, b, o, n, f, SP_AS_EndPoint(ep))
#  define Socket_ReceiveFrom(...) SP_OVERLOAD(Socket_ReceiveFrom, __VA_ARGS__)
#  define Socket_ReceiveFrom__4(s, b, n, ep) Socket_ReceiveFromSpan(s, b, n, SocketFlags_None, ep)
#  define Socket_ReceiveFrom__5(s, b, n, f, ep) Socket_ReceiveFromSpan(s, b, n, f, ep)
#  define Socket_ReceiveFrom__6(s, b, o, n, f, ep) (Socket_ReceiveFrom)(s, b, o, n, f, ep)
#  define Socket_SetSocketOption(...) SP_OVERLOAD(Socket_SetSocketOption, __VA_ARGS__)
#  define Socket_SetSocketOption__4(s, l, n, v)                                                                        \
    _Generic((v), bool                                                                                                 \
             : Socket_SetSocketOptionBoolean, LingerOption                                                             \
             : Socket_SetSocketOptionLinger, MulticastOption *                                                         \
             : Socket_SetSocketOptionMulticast, IPv6MulticastOption *                                                  \
             : Socket_SetSocketOptionIPv6Multicast, default                                                            \
             : Socket_SetSocketOptionInt32)(s, l, n, v)
#  define Socket_SetSocketOption__5(s, l, n, b, len) Socket_SetSocketOptionBytes(s, l, n, b, len)
#endif

/* ================================================================ NetworkStream */

/* new NetworkStream(socket[, access][, ownsSocket]): a Stream over a connected, blocking stream
 * socket, which it retains. IOException "The operation is not allowed on a non-blocking Socket.",
 * "... on non-connected sockets.", "... on non-stream oriented sockets."; ArgumentNullException
 * ("socket"). Read and Write failures are IOException "Unable to read data from the transport
 * connection: <the SocketException's message>." with the SocketException as InnerException. */
SHARPIPC_API NetworkStream *NetworkStream_new(Socket *socket, FileAccess access, bool ownsSocket);
/* new NetworkStream(socket, access): does not own the socket. */
SHARPIPC_API NetworkStream *NetworkStream_newWithAccess(Socket *socket, FileAccess access);
/* The socket, borrowed (valid while the stream lives). */
SHARPIPC_API Socket *NetworkStream_get_Socket(NetworkStream *stream);
SHARPIPC_API bool NetworkStream_get_DataAvailable(NetworkStream *stream);
/* Close(timeout): as Socket.Close(timeout) for a stream that owns its socket. */
SHARPIPC_API bool NetworkStream_CloseWithTimeout(NetworkStream *stream, int32_t timeout);

#ifdef SHARPIPC_HAVE_GENERIC
#  define NetworkStream_new(...) SP_OVERLOAD(NetworkStream_new, __VA_ARGS__)
#  define NetworkStream_new__1(s) (NetworkStream_new)(s, FileAccess_ReadWrite, false)
#  define NetworkStream_new__2(s, owns) (NetworkStream_new)(s, FileAccess_ReadWrite, owns)
#  define NetworkStream_new__3(s, a, owns) (NetworkStream_new)(s, a, owns)
#  define NetworkStream_Close(...) SP_OVERLOAD(NetworkStream_Close, __VA_ARGS__)
#  define NetworkStream_Close__1(s) Stream_Close(s)
#  define NetworkStream_Close__2(s, t) NetworkStream_CloseWithTimeout(s, t)
#endif

/* ================================================================ TcpListener */

/* new TcpListener(localaddr, port) / new TcpListener(localEP) / new TcpListener(port) (IPAddress.Any);
 * TcpListener.Create(port): dual-mode on IPv6Any where the OS has IPv6. */
SHARPIPC_API TcpListener *TcpListener_new(IPAddress *localaddr, int32_t port);
SHARPIPC_API TcpListener *TcpListener_newWithEndPoint(IPEndPoint *localEP);
SHARPIPC_API TcpListener *TcpListener_newWithPort(int32_t port);
SHARPIPC_API TcpListener *TcpListener_Create(int32_t port);
/* Start() listens with int.MaxValue (SocketOptionName.MaxConnections). */
SHARPIPC_API bool TcpListener_Start(TcpListener *listener);
SHARPIPC_API bool TcpListener_StartWithBacklog(TcpListener *listener, int32_t backlog);
/* Closes the socket (an AcceptSocket on another thread ends with SocketException Interrupted).
 * Dispose(listener) is Stop, as in .NET: a listener kept (Object_Retain) after its Dispose is a
 * stopped one, which Start listens with again. */
SHARPIPC_API bool TcpListener_Stop(TcpListener *listener);
SHARPIPC_API Socket *TcpListener_AcceptSocket(TcpListener *listener);
SHARPIPC_API TcpClient *TcpListener_AcceptTcpClient(TcpListener *listener);
SHARPIPC_API bool TcpListener_Pending(TcpListener *listener);
/* Borrowed: the bound endpoint while started, else the one given. */
SHARPIPC_API EndPoint *TcpListener_get_LocalEndpoint(TcpListener *listener);
/* Borrowed. */
SHARPIPC_API Socket *TcpListener_get_Server(TcpListener *listener);
/* .NET's protected Active (get only): true from Start until Stop. Public here, C having no derived
 * class. */
SHARPIPC_API bool TcpListener_get_Active(TcpListener *listener);
SHARPIPC_API bool TcpListener_get_ExclusiveAddressUse(TcpListener *listener);
SHARPIPC_API bool TcpListener_set_ExclusiveAddressUse(TcpListener *listener, bool value);

/* ================================================================ TcpClient */

/* new TcpClient(hostname, port): connects. new TcpClient() (dual-mode), new TcpClient(family),
 * new TcpClient(localEP) (bound). */
SHARPIPC_API TcpClient *TcpClient_new(const char *hostname, int32_t port);
SHARPIPC_API TcpClient *TcpClient_newDefault(void);
SHARPIPC_API TcpClient *TcpClient_newWithFamily(AddressFamily family);
SHARPIPC_API TcpClient *TcpClient_newWithEndPoint(IPEndPoint *localEP);
SHARPIPC_API bool TcpClient_ConnectHost(TcpClient *client, const char *hostname, int32_t port);
SHARPIPC_API bool TcpClient_ConnectAddress(TcpClient *client, IPAddress *address, int32_t port);
SHARPIPC_API bool TcpClient_ConnectEndPoint(TcpClient *client, IPEndPoint *remoteEP);
SHARPIPC_API bool TcpClient_ConnectAddresses(TcpClient *client, IPAddress *const *ipAddresses, int32_t count,
                                             int32_t port);
/* The client's NetworkStream (the same one each time), a reference the caller owns:
 * Dispose(stream) then Dispose(client). InvalidOperationException when not connected. */
SHARPIPC_API NetworkStream *TcpClient_GetStream(TcpClient *client);
SHARPIPC_API bool TcpClient_Close(TcpClient *client);
/* Borrowed. */
/* Borrowed: valid while the client holds it (until the setter replaces it, or the client goes);
 * NULL once the client is closed or after a NULL was set. */
SHARPIPC_API Socket *TcpClient_get_Client(TcpClient *client);
/* Client = value (NULL allowed; another type is ArgumentException "value"): the client retains
 * value (the caller's reference stays the caller's) and lets go of the socket it held, which closes
 * with its last reference (Object_Retain it to keep it; .NET leaves it to the finalizer). The
 * family becomes value's (Unknown for NULL); Active stays; Dispose disposes the socket set last
 * unless GetStream made a stream, which it disposes instead (with the socket the stream was made
 * on), as .NET's. With no socket, Connected is false, Available 0, ExclusiveAddressUse false (its
 * setter does nothing), Connect(hostname, port) makes one per address as .NET's, and the other
 * members are ObjectDisposedException naming Socket (.NET: NullReferenceException). */
SHARPIPC_API bool TcpClient_set_Client(TcpClient *client, Socket *value);
/* .NET's protected Active (true once a Connect succeeded; the setter only stores it, as a derived
 * class's would): public here, C having no derived class. Connect(hostname, port) with it set is
 * SocketException IsConnected. */
SHARPIPC_API bool TcpClient_get_Active(TcpClient *client);
SHARPIPC_API bool TcpClient_set_Active(TcpClient *client, bool value);
SHARPIPC_API bool TcpClient_get_Connected(TcpClient *client);
SHARPIPC_API int32_t TcpClient_get_Available(TcpClient *client);
SHARPIPC_API bool TcpClient_get_NoDelay(TcpClient *client);
SHARPIPC_API bool TcpClient_set_NoDelay(TcpClient *client, bool value);
SHARPIPC_API int32_t TcpClient_get_ReceiveBufferSize(TcpClient *client);
SHARPIPC_API bool TcpClient_set_ReceiveBufferSize(TcpClient *client, int32_t value);
SHARPIPC_API int32_t TcpClient_get_SendBufferSize(TcpClient *client);
SHARPIPC_API bool TcpClient_set_SendBufferSize(TcpClient *client, int32_t value);
SHARPIPC_API int32_t TcpClient_get_ReceiveTimeout(TcpClient *client);
SHARPIPC_API bool TcpClient_set_ReceiveTimeout(TcpClient *client, int32_t value);
SHARPIPC_API int32_t TcpClient_get_SendTimeout(TcpClient *client);
SHARPIPC_API bool TcpClient_set_SendTimeout(TcpClient *client, int32_t value);
SHARPIPC_API bool TcpClient_get_ExclusiveAddressUse(TcpClient *client);
SHARPIPC_API bool TcpClient_set_ExclusiveAddressUse(TcpClient *client, bool value);
SHARPIPC_API LingerOption TcpClient_get_LingerState(TcpClient *client);
SHARPIPC_API bool TcpClient_set_LingerState(TcpClient *client, LingerOption value);

#ifdef SHARPIPC_HAVE_GENERIC
#  define TcpListener_new(...) SP_OVERLOAD(TcpListener_new, __VA_ARGS__)
#  define TcpListener_new__1(x) _Generic((x), int : TcpListener_newWithPort, default : TcpListener_newWithEndPoint)(x)
#  define TcpListener_new__2(a, p) (TcpListener_new)(a, p)
#  define TcpListener_Start(...) SP_OVERLOAD(TcpListener_Start, __VA_ARGS__)
#  define TcpListener_Start__1(l) (TcpListener_Start)(l)
#  define TcpListener_Start__2(l, b) TcpListener_StartWithBacklog(l, b)
#  define TcpClient_new(...) SP_OVERLOAD(TcpClient_new, __VA_ARGS__)
#  define TcpClient_new__0() TcpClient_newDefault()
#  define TcpClient_new__1(x)                                                                                          \
    _Generic((x), IPEndPoint * : TcpClient_newWithEndPoint, default : TcpClient_newWithFamily)(x)
#  define TcpClient_new__2(h, p) (TcpClient_new)(h, p)
#  define TcpClient_Connect(...) SP_OVERLOAD(TcpClient_Connect, __VA_ARGS__)
#  define TcpClient_Connect__2(c, ep) TcpClient_ConnectEndPoint(c, ep)
#  define TcpClient_Connect__3(c, a, p)                                                                                \
    _Generic((a), char * : TcpClient_ConnectHost, const char * : TcpClient_ConnectHost,                              \
        default : TcpClient_ConnectAddress)(c, a, p)
#  define TcpClient_Connect__4(c, a, n, p) TcpClient_ConnectAddresses(c, a, n, p)
#endif

/* ================================================================ multicast options, SendFile */

/* System.Net.Sockets.MulticastOption (objects: Dispose). new MulticastOption(group) listens on
 * IPAddress.Any; (group, mcint) on that local address; (group, interfaceIndex) on that interface
 * (0..0x00FFFFFF). The addresses are retained; ArgumentNullException ("group", "mcint"),
 * ArgumentOutOfRangeException ("interfaceIndex", "value") as .NET. */
SHARPIPC_API MulticastOption *MulticastOption_new(IPAddress *group);
SHARPIPC_API MulticastOption *MulticastOption_newWithAddress(IPAddress *group, IPAddress *mcint);
SHARPIPC_API MulticastOption *MulticastOption_newWithIndex(IPAddress *group, int32_t interfaceIndex);
/* Borrowed; LocalAddress is NULL once InterfaceIndex was set (as .NET's null). */
SHARPIPC_API IPAddress *MulticastOption_get_Group(MulticastOption *option);
SHARPIPC_API bool MulticastOption_set_Group(MulticastOption *option, IPAddress *value);
SHARPIPC_API IPAddress *MulticastOption_get_LocalAddress(MulticastOption *option);
/* Setting LocalAddress clears InterfaceIndex and the other way round, as .NET. */
SHARPIPC_API bool MulticastOption_set_LocalAddress(MulticastOption *option, IPAddress *value);
SHARPIPC_API int32_t MulticastOption_get_InterfaceIndex(MulticastOption *option);
SHARPIPC_API bool MulticastOption_set_InterfaceIndex(MulticastOption *option, int32_t value);

/* System.Net.Sockets.IPv6MulticastOption: (group) on interface 0, (group, ifindex) 0..0xFFFFFFFF. */
SHARPIPC_API IPv6MulticastOption *IPv6MulticastOption_new(IPAddress *group);
SHARPIPC_API IPv6MulticastOption *IPv6MulticastOption_newWithIndex(IPAddress *group, int64_t ifindex);
SHARPIPC_API IPAddress *IPv6MulticastOption_get_Group(IPv6MulticastOption *option);
SHARPIPC_API bool IPv6MulticastOption_set_Group(IPv6MulticastOption *option, IPAddress *value);
SHARPIPC_API int64_t IPv6MulticastOption_get_InterfaceIndex(IPv6MulticastOption *option);
SHARPIPC_API bool IPv6MulticastOption_set_InterfaceIndex(IPv6MulticastOption *option, int64_t value);

/* SetSocketOption(IP, AddMembership / DropMembership, MulticastOption) and
 * SetSocketOption(IPv6, AddMembership / DropMembership, IPv6MulticastOption): another level or
 * name is ArgumentException ("optionValue"), as .NET's object overload. Linux joins with
 * ip_mreqn (address or index), other Unix with ip_mreq, Windows with ip_mreq whose interface is the
 * address or the index in network order. */
SHARPIPC_API bool Socket_SetSocketOptionMulticast(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName,
                                                  MulticastOption *optionValue);
SHARPIPC_API bool Socket_SetSocketOptionIPv6Multicast(Socket *s, SocketOptionLevel optionLevel,
                                                      SocketOptionName optionName, IPv6MulticastOption *optionValue);

/* Socket.MulticastLoopback: IP or IPv6 MulticastLoopback by the socket's family;
 * NotSupportedException for other families. */
SHARPIPC_API bool Socket_get_MulticastLoopback(Socket *s);
SHARPIPC_API bool Socket_set_MulticastLoopback(Socket *s, bool value);

typedef enum TransmitFileOptions {
    TransmitFileOptions_UseDefaultWorkerThread = 0x00,
    TransmitFileOptions_Disconnect = 0x01,
    TransmitFileOptions_ReuseSocket = 0x02,
    TransmitFileOptions_WriteBehind = 0x04,
    TransmitFileOptions_UseSystemThread = 0x10,
    TransmitFileOptions_UseKernelApc = 0x20
} TransmitFileOptions;

/* SendFile(fileName) and SendFile(fileName, preBuffer, postBuffer, flags) (a buffer NULL or of 0
 * bytes is none; fileName NULL or "" sends no file): connection-oriented and connected sockets
 * only (NotSupportedException otherwise); the file opened first (FileNotFoundException, ...).
 * Linux: sendfile(2) between send(2)s of the buffers; flags other than UseDefaultWorkerThread
 * are PlatformNotSupportedException, as .NET on Unix. Windows: TransmitFile with the buffers and
 * flags; Disconnect / ReuseSocket leave the socket disconnected. */
SHARPIPC_API bool Socket_SendFile(Socket *s, const char *fileName);
SHARPIPC_API bool Socket_SendFileWithBuffers(Socket *s, const char *fileName, const void *preBuffer,
                                             int32_t preBufferLength, const void *postBuffer, int32_t postBufferLength,
                                             TransmitFileOptions flags);

/* ================================================================ UdpClient */

/* new UdpClient() (IPv4), new UdpClient(family), new UdpClient(port) (bound to IPAddress.Any),
 * new UdpClient(port, family), new UdpClient(localEP) (bound), new UdpClient(hostname, port)
 * (connected to the first of the host's addresses that connects). ArgumentException("family")
 * for another family than InterNetwork or InterNetworkV6, ArgumentOutOfRangeException("port"). */
SHARPIPC_API UdpClient *UdpClient_newDefault(void);
SHARPIPC_API UdpClient *UdpClient_newWithFamily(AddressFamily family);
SHARPIPC_API UdpClient *UdpClient_new(int32_t port);
SHARPIPC_API UdpClient *UdpClient_newWithPortAndFamily(int32_t port, AddressFamily family);
SHARPIPC_API UdpClient *UdpClient_newWithEndPoint(IPEndPoint *localEP);
SHARPIPC_API UdpClient *UdpClient_newWithHost(const char *hostname, int32_t port);

/* Send(dgram, bytes): to the connected host (InvalidOperationException when not connected); Send(dgram, bytes, endPoint) (NULL: the connected
 * host); Send(dgram, bytes, hostname, port) (NULL or port 0: the connected host). Sending to an
 * endpoint while connected is InvalidOperationException; IPAddress.Broadcast turns on
 * SocketOptionName.Broadcast first, as .NET. The bytes sent, -1 on failure. */
SHARPIPC_API int32_t UdpClient_Send(UdpClient *client, const void *dgram, int32_t bytes);
SHARPIPC_API int32_t UdpClient_SendToEndPoint(UdpClient *client, const void *dgram, int32_t bytes,
                                              IPEndPoint *endPoint);
SHARPIPC_API int32_t UdpClient_SendToHost(UdpClient *client, const void *dgram, int32_t bytes, const char *hostname,
                                          int32_t port);
/* Receive(ref IPEndPoint remoteEP): a datagram (up to 64 KiB) as a byte array for Array_Free
 * (NULL on failure), its length in *length, the sender in *remoteEP (released and replaced). */
SHARPIPC_API uint8_t *UdpClient_Receive(UdpClient *client, IPEndPoint **remoteEP, int32_t *length);
SHARPIPC_API bool UdpClient_ConnectEndPoint(UdpClient *client, IPEndPoint *endPoint);
SHARPIPC_API bool UdpClient_ConnectAddress(UdpClient *client, IPAddress *addr, int32_t port);
SHARPIPC_API bool UdpClient_ConnectHost(UdpClient *client, const char *hostname, int32_t port);
/* JoinMulticastGroup(multicastAddr), (multicastAddr, timeToLive), (multicastAddr, localAddress)
 * (IPv4 only), (ifindex, multicastAddr) (IPv6 only); DropMulticastGroup(multicastAddr) and
 * (multicastAddr, ifindex) (IPv6 only). */
SHARPIPC_API bool UdpClient_JoinMulticastGroup(UdpClient *client, IPAddress *multicastAddr);
SHARPIPC_API bool UdpClient_JoinMulticastGroupWithTtl(UdpClient *client, IPAddress *multicastAddr, int32_t timeToLive);
SHARPIPC_API bool UdpClient_JoinMulticastGroupWithLocal(UdpClient *client, IPAddress *multicastAddr,
                                                        IPAddress *localAddress);
SHARPIPC_API bool UdpClient_JoinMulticastGroupWithIndex(UdpClient *client, int32_t ifindex, IPAddress *multicastAddr);
SHARPIPC_API bool UdpClient_DropMulticastGroup(UdpClient *client, IPAddress *multicastAddr);
SHARPIPC_API bool UdpClient_DropMulticastGroupWithIndex(UdpClient *client, IPAddress *multicastAddr, int32_t ifindex);
/* Close(): Dispose without releasing the reference; a later member is ObjectDisposedException. */
SHARPIPC_API bool UdpClient_Close(UdpClient *client);
/* Borrowed: valid while the client holds it (until Dispose, or the setter replaces it); NULL once
 * the client is closed or after a NULL was set. */
SHARPIPC_API Socket *UdpClient_get_Client(UdpClient *client);
/* Client = value (NULL allowed; another type is ArgumentException "value"): the client retains
 * value (the caller's reference stays the caller's, to Dispose after the client, as with
 * NetworkStream_new) and lets go of the socket it held: that one closes with its last reference,
 * so a caller who keeps using it takes one first (Object_Retain; .NET leaves it to the
 * finalizer). Family and Active stay; the client's Dispose disposes the socket set last.
 * Members that need a socket when there is none are ObjectDisposedException naming Socket
 * (.NET: NullReferenceException). */
SHARPIPC_API bool UdpClient_set_Client(UdpClient *client, Socket *value);
/* .NET's protected Active (true once Connect succeeded; the setter only stores it, as a derived
 * class's would): public here, C having no derived class. Send without an endpoint needs it,
 * Send to an endpoint is InvalidOperationException with it. */
SHARPIPC_API bool UdpClient_get_Active(UdpClient *client);
SHARPIPC_API bool UdpClient_set_Active(UdpClient *client, bool value);
SHARPIPC_API int32_t UdpClient_get_Available(UdpClient *client);
SHARPIPC_API int16_t UdpClient_get_Ttl(UdpClient *client);
SHARPIPC_API bool UdpClient_set_Ttl(UdpClient *client, int16_t value);
SHARPIPC_API bool UdpClient_get_DontFragment(UdpClient *client);
SHARPIPC_API bool UdpClient_set_DontFragment(UdpClient *client, bool value);
SHARPIPC_API bool UdpClient_get_MulticastLoopback(UdpClient *client);
SHARPIPC_API bool UdpClient_set_MulticastLoopback(UdpClient *client, bool value);
SHARPIPC_API bool UdpClient_get_EnableBroadcast(UdpClient *client);
SHARPIPC_API bool UdpClient_set_EnableBroadcast(UdpClient *client, bool value);
SHARPIPC_API bool UdpClient_get_ExclusiveAddressUse(UdpClient *client);
SHARPIPC_API bool UdpClient_set_ExclusiveAddressUse(UdpClient *client, bool value);

#ifdef SHARPIPC_HAVE_GENERIC
#  define MulticastOption_new(...) SP_OVERLOAD(MulticastOption_new, __VA_ARGS__)
#  define MulticastOption_new__1(g) (MulticastOption_new)(g)
#  define MulticastOption_new__2(g, x)                                                                                 \
    _Generic((x), IPAddress * : MulticastOption_newWithAddress, default : MulticastOption_newWithIndex)(g, x)
#  define IPv6MulticastOption_new(...) SP_OVERLOAD(IPv6MulticastOption_new, __VA_ARGS__)
#  define IPv6MulticastOption_new__1(g) (IPv6MulticastOption_new)(g)
#  define IPv6MulticastOption_new__2(g, i) IPv6MulticastOption_newWithIndex(g, i)
#  define Socket_SendFile(...) SP_OVERLOAD(Socket_SendFile, __VA_ARGS__)
#  define Socket_SendFile__2(s, f) (Socket_SendFile)(s, f)
#  define Socket_SendFile__7(s, f, pre, npre, post, npost, fl)                                                         \
    Socket_SendFileWithBuffers(s, f, pre, npre, post, npost, fl)
#  define UdpClient_new(...) SP_OVERLOAD(UdpClient_new, __VA_ARGS__)
#  define UdpClient_new__0() UdpClient_newDefault()
#  define UdpClient_new__1(x) _Generic((x), IPEndPoint * : UdpClient_newWithEndPoint, default : (UdpClient_new))(x)
#  define UdpClient_new__2(h, p)                                                                                       \
    _Generic((h), char * : UdpClient_newWithHost, const char * : UdpClient_newWithHost,                             \
        default : UdpClient_newWithPortAndFamily)(h, p)
#  define UdpClient_Send(...) SP_OVERLOAD(UdpClient_Send, __VA_ARGS__)
#  define UdpClient_Send__3(c, d, n) (UdpClient_Send)(c, d, n)
#  define UdpClient_Send__4(c, d, n, ep) UdpClient_SendToEndPoint(c, d, n, ep)
#  define UdpClient_Send__5(c, d, n, h, p) UdpClient_SendToHost(c, d, n, h, p)
#  define UdpClient_Connect(...) SP_OVERLOAD(UdpClient_Connect, __VA_ARGS__)
#  define UdpClient_Connect__2(c, ep) UdpClient_ConnectEndPoint(c, ep)
#  define UdpClient_Connect__3(c, a, p)                                                                                \
    _Generic((a), char * : UdpClient_ConnectHost, const char * : UdpClient_ConnectHost,                              \
        default : UdpClient_ConnectAddress)(c, a, p)
#  define UdpClient_JoinMulticastGroup(...) SP_OVERLOAD(UdpClient_JoinMulticastGroup, __VA_ARGS__)
#  define UdpClient_JoinMulticastGroup__2(c, a) (UdpClient_JoinMulticastGroup)(c, a)
#  define UdpClient_JoinMulticastGroup__3(c, a, b)                                                                     \
    _Generic((a), IPAddress *                                                                                          \
             : _Generic((b), IPAddress *                                                                               \
                        : UdpClient_JoinMulticastGroupWithLocal, default                                               \
                        : UdpClient_JoinMulticastGroupWithTtl),                                                        \
               default                                                                                                 \
             : UdpClient_JoinMulticastGroupWithIndex)(c, a, b)
#  define UdpClient_DropMulticastGroup(...) SP_OVERLOAD(UdpClient_DropMulticastGroup, __VA_ARGS__)
#  define UdpClient_DropMulticastGroup__2(c, a) (UdpClient_DropMulticastGroup)(c, a)
#  define UdpClient_DropMulticastGroup__3(c, a, i) UdpClient_DropMulticastGroupWithIndex(c, a, i)
#endif

SHARPIPC_END_DECLS

#endif
