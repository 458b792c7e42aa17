/*
 * UdpClient, Socket.SendFile and the multicast options, ported from dotnet/runtime's
 * System.Net.Sockets.Tests (DOTNET_COMPAT.md 7.3): UdpClientTest.cs (the sync cases), SendFile.cs
 * (sync), MulticastOptionTest.cs and the multicast cases of SocketOptionNameTest.cs, with
 * ArgumentValidationTests rows for the new members. Each test is named after the .NET file and
 * method it ports. Natively and under wine (which shares the loopback).
 *
 * The multicast loopback test needs the kernel to loop a 239.x datagram back on 127.0.0.1: where
 * it does not (no multicast route, a sandbox), the test says so loudly and fails under CI=true.
 */
#include "sp_test.h"
#include "sp_process.h"
#include "sp_sockets.h"

#include <sharpipc.h>
#include <sharpipc/System.Net.Sockets.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __linux__
#  include <sched.h>
#  include <stdatomic.h>
#  include <sys/syscall.h>
#  include <unistd.h>
#endif

enum { UnusedPort = 8 }; /* UdpClientTest's: unassigned by IANA */


/* ================================================================ UdpClientTest */

static void UdpClientTest_Ctor_ValidAddressFamily_Succeeds(void **state)
{
    (void)state;
    static const AddressFamily families[] = {AddressFamily_InterNetwork, AddressFamily_InterNetworkV6};
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
        if (families[i] == AddressFamily_InterNetworkV6) /* after the IPv4 row */
            SP_REQUIRE(Socket_OSSupportsIPv6, "IPv6");
        UdpClient *c = UdpClient_newWithFamily(families[i]);
        assert_non_null(c);
        EXPECT_NO_EXC();
        assert_int_equal(Socket_get_AddressFamily(UdpClient_get_Client(c)), families[i]);
        Dispose(c);
    }
}

static void UdpClientTest_Ctor_InvalidAddressFamily_Throws(void **state)
{
    (void)state;
    static const AddressFamily families[] = {AddressFamily_DataKit, AddressFamily_Unix, AddressFamily_Unspecified};
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
        assert_null(UdpClient_newWithFamily(families[i]));
        EXPECT_EXC_MSG(ArgumentException,
                       "'UDP' Client can only accept InterNetwork or InterNetworkV6 addresses. (Parameter 'family')");
        EXPECT_PARAM("family");
        assert_null(UdpClient_new(0, families[i]));
        EXPECT_EXC(ArgumentException);
        EXPECT_PARAM("family");
    }
}

static void UdpClientTest_Ctor_InvalidHostName_Throws(void **state)
{
    (void)state;
    assert_null(UdpClient_newWithHost(NULL, 0));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("hostname");
}

static void UdpClientTest_Ctor_InvalidPort_Throws(void **state)
{
    (void)state;
    static const int32_t ports[] = {-1, 66000};
    for (size_t i = 0; i < 2; i++) {
        assert_null(UdpClient_new(ports[i]));
        EXPECT_EXC(ArgumentOutOfRangeException);
        EXPECT_PARAM("port");
        assert_null(UdpClient_new(ports[i], AddressFamily_InterNetwork));
        EXPECT_PARAM("port");
        assert_null(UdpClient_new(ports[i], AddressFamily_InterNetworkV6));
        EXPECT_PARAM("port");
        assert_null(UdpClient_new("localhost", ports[i]));
        EXPECT_EXC(ArgumentOutOfRangeException);
        EXPECT_PARAM("port");
    }
}

static void UdpClientTest_Ctor_NullEndpoint_Throws(void **state)
{
    (void)state;
    assert_null(UdpClient_newWithEndPoint(NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("localEP");
}

static void send_one_to_unused_port(UdpClient *c, IPAddress *address)
{
    uint8_t one[1] = {0};
    IPEndPoint *ep = IPEndPoint_new(address, UnusedPort);
    assert_int_equal(UdpClient_Send(c, one, 1, ep), 1);
    EXPECT_NO_EXC();
    Dispose(ep);
}

static void UdpClientTest_Ctor_CanSend(void **state)
{
    (void)state;
    UdpClient *c = UdpClient_new();
    assert_non_null(c);
    send_one_to_unused_port(c, IPAddress_Loopback);
    assert_false(UdpClient_get_Active(c)); /* a SendTo does not connect */
    EXPECT_NO_EXC();
    Dispose(c);
}

/* Ctor_Int_CanSend / Ctor_IntAddressFamily_*_CanSend / Ctor_IPEndPoint_CanSend: binding port 8 may
 * need privileges, which .NET's test accepts as AccessDenied. */
static void UdpClientTest_Ctor_Int_CanSend(void **state)
{
    (void)state;
    for (int v6 = 0; v6 < 3; v6++) {
        if (v6) /* the IPv4 row has run */
            SP_REQUIRE(Socket_OSSupportsIPv6, "IPv6");
        UdpClient *c = v6 == 0   ? UdpClient_new(UnusedPort)
                       : v6 == 1 ? UdpClient_new(UnusedPort, AddressFamily_InterNetworkV6)
                                 : NULL;
        if (v6 == 2) {
            IPEndPoint *local = IPEndPoint_new(IPAddress_IPv6Any, UnusedPort);
            c = UdpClient_new(local);
            Dispose(local);
        }
        if (!c) {
            sp_expect_socket_error(SocketError_AccessDenied, "bind to port 8");
            continue;
        }
        send_one_to_unused_port(c, v6 ? IPAddress_IPv6Loopback : IPAddress_Loopback);
        Dispose(c);
    }
}

static void UdpClientTest_Ctor_StringInt_CanSend(void **state)
{
    (void)state;
    UdpClient *c = UdpClient_new("localhost", UnusedPort);
    assert_non_null(c);
    uint8_t one[1] = {0};
    assert_int_equal(UdpClient_Send(c, one, 1), 1);
    EXPECT_NO_EXC();
    assert_true(UdpClient_get_Active(c));
    assert_true(Socket_get_Connected(UdpClient_get_Client(c)));
    Dispose(c);
}

/* DisposeClose_OperationsThrow(close): twice either way, then every member is ObjectDisposed. */
static void UdpClientTest_DisposeClose_OperationsThrow(void **state)
{
    (void)state;
    for (int close = 0; close < 2; close++) {
        UdpClient *c = UdpClient_new();
        assert_non_null(c);
        if (!close)
            Object_Retain((Object *)c); /* a second reference lets the Dispose variant call on */
        for (int i = 0; i < 2; i++) {
            if (close)
                assert_true(UdpClient_Close(c));
            else if (i == 0)
                assert_true(Dispose(c));
            else
                assert_true(UdpClient_Close(c)); /* a second Dispose of one reference would be a double free */
        }
        IPEndPoint *remote = NULL;
        int32_t length = 7;
        uint8_t one[1] = {0};
        assert_false(UdpClient_JoinMulticastGroup(c, IPAddress_Loopback));
        EXPECT_EXC_MSG(ObjectDisposedException,
                       "Cannot access a disposed object.\nObject name: 'System.Net.Sockets.UdpClient'.");
        assert_false(UdpClient_JoinMulticastGroup(c, IPAddress_Loopback, IPAddress_Loopback));
        EXPECT_EXC(ObjectDisposedException);
        assert_false(UdpClient_JoinMulticastGroup(c, 0, IPAddress_Loopback));
        EXPECT_EXC(ObjectDisposedException);
        assert_false(UdpClient_JoinMulticastGroup(c, IPAddress_Loopback, 0));
        EXPECT_EXC(ObjectDisposedException);
        assert_false(UdpClient_DropMulticastGroup(c, IPAddress_Loopback));
        EXPECT_EXC(ObjectDisposedException);
        assert_false(UdpClient_DropMulticastGroup(c, IPAddress_Loopback, 0));
        EXPECT_EXC(ObjectDisposedException);
        assert_false(UdpClient_Connect(c, (IPEndPoint *)NULL));
        EXPECT_EXC(ObjectDisposedException);
        assert_false(UdpClient_Connect(c, IPAddress_Loopback, 0));
        EXPECT_EXC(ObjectDisposedException);
        assert_false(UdpClient_Connect(c, "localhost", 0));
        EXPECT_EXC(ObjectDisposedException);
        assert_null(UdpClient_Receive(c, &remote, &length));
        EXPECT_EXC(ObjectDisposedException);
        assert_int_equal(length, 0);
        assert_int_equal(UdpClient_Send(c, NULL, 0, remote), -1);
        EXPECT_EXC(ObjectDisposedException);
        assert_int_equal(UdpClient_Send(c, NULL, 0), -1);
        EXPECT_EXC(ObjectDisposedException);
        assert_int_equal(UdpClient_Send(c, one, 0, "localhost", 0), -1);
        EXPECT_EXC(ObjectDisposedException);
        assert_null(UdpClient_get_Client(c)); /* .NET's Dispose drops the socket */
        EXPECT_NO_EXC();
        Dispose(c);
    }
}

static void UdpClientTest_Client_Idempotent(void **state)
{
    (void)state;
    UdpClient *c = UdpClient_new();
    Socket *s = UdpClient_get_Client(c);
    assert_non_null(s);
    assert_ptr_equal(s, UdpClient_get_Client(c));
    assert_int_equal(Socket_get_SocketType(s), SocketType_Dgram);
    assert_int_equal(Socket_get_ProtocolType(s), ProtocolType_Udp);
    Dispose(c);
}

static void UdpClientTest_Active_Roundtrips(void **state)
{
    (void)state;
    UdpClient *c = UdpClient_new();
    assert_false(UdpClient_get_Active(c));
    EXPECT_NO_EXC();
    assert_true(UdpClient_set_Active(c, true));
    assert_true(UdpClient_get_Active(c));
    assert_true(UdpClient_set_Active(c, false));
    assert_false(UdpClient_get_Active(c));
    /* Connect sets it (UdpClient.cs: _active = true after _clientSocket.Connect) */
    assert_true(UdpClient_Connect(c, IPAddress_Loopback, UnusedPort));
    assert_true(UdpClient_get_Active(c));
    assert_false(UdpClient_get_Active(NULL));
    EXPECT_EXC(ArgumentNullException);
    assert_false(UdpClient_set_Active(NULL, true));
    EXPECT_EXC(ArgumentNullException);
    Dispose(c);
}

/* Client_Idemptotent (sic, .NET's second test of the name): the setter stores what it is given,
 * NULL included. The client lets go of the socket it held, so the test keeps its own reference
 * first (the getter's answer is borrowed), and disposes it at the end as .NET's does. */
static void UdpClientTest_Client_Idemptotent(void **state)
{
    (void)state;
    UdpClient *c = UdpClient_new();
    Socket *s = UdpClient_get_Client(c);
    assert_non_null(s);
    assert_ptr_equal(s, UdpClient_get_Client(c));
    Object_Retain((Object *)s);
    assert_true(UdpClient_set_Client(c, NULL));
    EXPECT_NO_EXC();
    assert_null(UdpClient_get_Client(c));
    (void)Socket_get_Available(s); /* still open: the setter leaves it to its holders */
    EXPECT_NO_EXC();
    assert_true(UdpClient_set_Client(c, s));
    assert_ptr_equal(s, UdpClient_get_Client(c));
    assert_true(UdpClient_set_Client(c, NULL));
    Dispose(s);
    Dispose(c);
}

/* What the setter does beyond the store (UdpClient.cs): the old socket is left open, the calls use
 * the new one, Dispose disposes the new one, family and Active stay; with no socket a member that
 * needs one is ObjectDisposedException naming Socket (.NET's NullReferenceException), and
 * Connect(hostname, port) makes one as .NET's does when _clientSocket is null. */
static void UdpClientTest_Client_Set_CallsUseTheNewSocket(void **state)
{
    (void)state;
    IPEndPoint *any = IPEndPoint_new(IPAddress_Loopback, 0);
    UdpClient *receiver = UdpClient_new(any);
    UdpClient *c = UdpClient_new(any);
    assert_non_null(receiver);
    assert_non_null(c);
    Socket *old = UdpClient_get_Client(c);
    Object_Retain((Object *)old);
    Socket *fresh = Socket_new(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
    assert_true(Socket_Bind(fresh, (EndPoint *)any));
    assert_true(UdpClient_set_Client(c, fresh)); /* retained: fresh stays ours to Dispose, after the client */
    assert_false(UdpClient_set_Client(c, (Socket *)any));
    EXPECT_EXC(ArgumentException);
    EXPECT_PARAM("value");
    assert_ptr_equal(UdpClient_get_Client(c), fresh);

    /* a datagram sent through the client comes from the new socket's port */
    IPEndPoint *to = IPEndPoint_new(IPAddress_Loopback, sp_socket_port(UdpClient_get_Client(receiver)));
    uint8_t one[1] = {42};
    assert_int_equal(UdpClient_Send(c, one, 1, to), 1);
    EXPECT_NO_EXC();
    IPEndPoint *from = NULL;
    int32_t length = 0;
    uint8_t *got = UdpClient_Receive(receiver, &from, &length);
    assert_non_null(got);
    assert_int_equal(length, 1);
    assert_int_equal(IPEndPoint_get_Port(from), sp_socket_port(fresh));
    assert_int_not_equal(IPEndPoint_get_Port(from), sp_socket_port(old));
    Array_Free(got);
    assert_false(UdpClient_get_Active(c));

    /* the old socket is still open and usable */
    assert_int_equal((Socket_SendTo)(old, one, 0, 1, SocketFlags_None, (EndPoint *)to), 1);
    EXPECT_NO_EXC();
    got = UdpClient_Receive(receiver, &from, &length);
    assert_non_null(got);
    assert_int_equal(IPEndPoint_get_Port(from), sp_socket_port(old));
    Array_Free(got);

    /* no socket: members that need one say it is gone; Connect(host) makes one, as .NET's */
    assert_true(UdpClient_set_Client(c, NULL));
    assert_int_equal(UdpClient_get_Available(c), 0);
    EXPECT_EXC_MSG(ObjectDisposedException,
                   "Cannot access a disposed object.\nObject name: 'System.Net.Sockets.Socket'.");
    assert_int_equal(UdpClient_Send(c, one, 1, to), -1);
    EXPECT_EXC(ObjectDisposedException);
    assert_null(UdpClient_Receive(c, &from, &length));
    EXPECT_EXC(ObjectDisposedException);
    IPAddress *group = IPAddress_Parse("239.1.2.3");
    assert_false(UdpClient_JoinMulticastGroup(c, group));
    EXPECT_EXC(ObjectDisposedException);
    Dispose(group);
    assert_true(UdpClient_Connect(c, "127.0.0.1", sp_socket_port(UdpClient_get_Client(receiver))));
    EXPECT_NO_EXC();
    assert_non_null(UdpClient_get_Client(c));
    assert_true(UdpClient_get_Active(c));
    assert_int_equal(UdpClient_Send(c, one, 1), 1);

    /* Dispose disposes the socket set last, not the old one */
    Socket *last = UdpClient_get_Client(c);
    Object_Retain((Object *)last);
    Dispose(c);
    assert_int_equal(Socket_get_Available(last), 0);
    EXPECT_EXC(ObjectDisposedException);
    (void)Socket_get_Available(old);
    EXPECT_NO_EXC();
    Dispose(last);
    Dispose(fresh); /* the client let go of its reference at the NULL set: it closes now */
    Dispose(old);
    Dispose(from);
    Dispose(to);
    Dispose(receiver);
    Dispose(any);
}

/* sharpipc's own, against .NET 10: Receive's tempRemoteEP is IPEndPoint.Any for a client whose
 * _family is InterNetwork and IPv6Any otherwise, the client's family, not its socket's: after the
 * Client setter put a socket of the other family there, ReceiveFrom refuses that endpoint
 * (ArgumentException, remoteEP) before it receives, and the datagram stays. A dual-mode IPv6
 * socket under an InterNetwork client takes IPv4's Any and receives. */
static void UdpClient_Receive_AnyOfTheClientsFamily(void **state)
{
    (void)state;
    SP_REQUIRE(Socket_get_OSSupportsIPv6(), "IPv6");
    AddressFamily families[2] = {AddressFamily_InterNetworkV6, AddressFamily_InterNetwork};
    for (int f = 0; f < 2; f++) {
        AddressFamily other = families[1 - f];
        UdpClient *c =
            families[f] == AddressFamily_InterNetwork ? UdpClient_newDefault() : UdpClient_newWithFamily(families[f]);
        assert_non_null(c);
        Socket *s = sp_socket_udp_bound(other, other == AddressFamily_InterNetwork ? IPAddress_Loopback
                                                                                   : IPAddress_IPv6Loopback);
        assert_true(UdpClient_set_Client(c, s));
        Socket *sender = Socket_new(other, SocketType_Dgram, ProtocolType_Udp);
        EndPoint *to = Socket_get_LocalEndPoint(s);
        uint8_t one[1] = {7};
        assert_int_equal(Socket_SendTo(sender, one, 0, 1, SocketFlags_None, to), 1);
        IPEndPoint *from = NULL;
        int32_t length = -1;
        assert_null(UdpClient_Receive(c, &from, &length));
        EXPECT_EXC(ArgumentException);
        EXPECT_PARAM("remoteEP");
        assert_null(from);
        assert_int_equal(length, 0);
        assert_int_equal(Socket_get_Available(s), 1); /* not received */
        Dispose(to);
        Dispose(sender);
        Dispose(c);
        Dispose(s);
    }
    /* an InterNetwork client over a dual-mode IPv6 socket: Any maps, the sender comes back mapped */
    UdpClient *c = UdpClient_new();
    Socket *s = Socket_new(AddressFamily_InterNetworkV6, SocketType_Dgram, ProtocolType_Udp);
    assert_true(Socket_set_DualMode(s, true));
    IPEndPoint *any6 = IPEndPoint_new(IPAddress_IPv6Any, 0);
    assert_true(Socket_Bind(s, (EndPoint *)any6));
    assert_true(UdpClient_set_Client(c, s));
    Socket *sender = Socket_new(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
    IPEndPoint *to = IPEndPoint_new(IPAddress_Loopback, sp_socket_port(s));
    uint8_t one[1] = {7};
    assert_int_equal(Socket_SendTo(sender, one, 0, 1, SocketFlags_None, (EndPoint *)to), 1);
    IPEndPoint *from = NULL;
    int32_t length = 0;
    uint8_t *got = UdpClient_Receive(c, &from, &length);
    assert_non_null(got);
    EXPECT_NO_EXC();
    assert_int_equal(length, 1);
    assert_int_equal(IPEndPoint_get_AddressFamily(from), AddressFamily_InterNetworkV6);
    assert_int_equal(IPEndPoint_get_Port(from), sp_socket_port(sender));
    Array_Free(got);
    Dispose(from);
    Dispose(to);
    Dispose(any6);
    Dispose(sender);
    Dispose(c);
    Dispose(s);
}


static void UdpClientTest_Ttl_Roundtrips(void **state)
{
    (void)state;
    UdpClient *c = UdpClient_new();
    int16_t ttl = UdpClient_get_Ttl(c);
    EXPECT_NO_EXC();
    assert_int_equal(ttl, UdpClient_get_Ttl(c));
    assert_true(UdpClient_set_Ttl(c, 100));
    assert_int_equal(UdpClient_get_Ttl(c), 100);
    Dispose(c);
}

static void UdpClientTest_DontFragment_Roundtrips(void **state)
{
    (void)state;
    UdpClient *c = UdpClient_new();
    assert_false(UdpClient_get_DontFragment(c));
    EXPECT_NO_EXC();
    assert_true(UdpClient_set_DontFragment(c, true));
    assert_true(UdpClient_get_DontFragment(c));
    assert_true(UdpClient_set_DontFragment(c, false));
    assert_false(UdpClient_get_DontFragment(c));
    Dispose(c);
}

/* MulticastLoopback_Roundtrips, and the IPv6 client's option (IPV6_MULTICAST_LOOP). */
static void UdpClientTest_MulticastLoopback_Roundtrips(void **state)
{
    (void)state;
    for (int v6 = 0; v6 < 2; v6++) {
        if (v6) /* the IPv4 row has run */
            SP_REQUIRE(Socket_OSSupportsIPv6, "IPv6");
        UdpClient *c = UdpClient_newWithFamily(v6 ? AddressFamily_InterNetworkV6 : AddressFamily_InterNetwork);
        assert_true(UdpClient_get_MulticastLoopback(c));
        EXPECT_NO_EXC();
        assert_true(UdpClient_set_MulticastLoopback(c, false));
        assert_false(UdpClient_get_MulticastLoopback(c));
        assert_true(UdpClient_set_MulticastLoopback(c, true));
        assert_true(UdpClient_get_MulticastLoopback(c));
        Dispose(c);
    }
}

static void UdpClientTest_EnableBroadcast_Roundtrips(void **state)
{
    (void)state;
    UdpClient *c = UdpClient_new();
    assert_false(UdpClient_get_EnableBroadcast(c));
    EXPECT_NO_EXC();
    assert_true(UdpClient_set_EnableBroadcast(c, true));
    assert_true(UdpClient_get_EnableBroadcast(c));
    assert_true(UdpClient_set_EnableBroadcast(c, false));
    assert_false(UdpClient_get_EnableBroadcast(c));
    Dispose(c);
}

/* [PlatformSpecific(Windows)] in .NET, which starts false there; on Unix the option is SO_REUSEADDR /
 * SO_REUSEPORT inverted, whose default differs, so only the round trip is checked. */
static void UdpClientTest_ExclusiveAddressUse_Roundtrips(void **state)
{
    (void)state;
    UdpClient *c = UdpClient_new();
#ifdef _WIN32
    assert_false(UdpClient_get_ExclusiveAddressUse(c));
#else
    (void)UdpClient_get_ExclusiveAddressUse(c);
#endif
    EXPECT_NO_EXC();
    assert_true(UdpClient_set_ExclusiveAddressUse(c, true));
    assert_true(UdpClient_get_ExclusiveAddressUse(c));
    assert_true(UdpClient_set_ExclusiveAddressUse(c, false));
    assert_false(UdpClient_get_ExclusiveAddressUse(c));
    Dispose(c);
}

static void UdpClientTest_Send_InvalidArguments_Throws(void **state)
{
    (void)state;
    UdpClient *c = UdpClient_new();
    uint8_t one[1] = {0};
    IPEndPoint *ep = IPEndPoint_new(IPAddress_Loopback, 0);
    assert_int_equal(UdpClient_Send(c, NULL, 0), -1);
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("dgram");
    assert_int_equal(UdpClient_Send(c, NULL, 0, "localhost", 0), -1);
    EXPECT_PARAM("dgram");
    assert_int_equal(UdpClient_Send(c, NULL, 0, ep), -1);
    EXPECT_PARAM("dgram");
    assert_int_equal(UdpClient_Send(c, one, 1), -1);
    EXPECT_EXC_MSG(InvalidOperationException, "The operation is not allowed on non-connected sockets.");
    assert_true(UdpClient_set_Active(c, true)); /* udpClient.Active = true, as .NET's DerivedUdpClient */
    assert_int_equal(UdpClient_Send(c, one, 1, ep), -1);
    EXPECT_EXC_MSG(InvalidOperationException, "Cannot send packets to an arbitrary host while connected.");
    assert_int_equal(UdpClient_Send(c, one, 1, "localhost", UnusedPort), -1);
    EXPECT_EXC(InvalidOperationException);
    assert_int_equal(UdpClient_Send(c, one, 1, NULL, UnusedPort), -1); /* Send_InvalidArguments_StringInt_Throws */
    EXPECT_EXC(InvalidOperationException);
    assert_int_equal(UdpClient_Send(c, one, -1), -1);
    EXPECT_EXC(ArgumentOutOfRangeException);
    Dispose(ep);
    Dispose(c);
}

static void UdpClientTest_Connect_InvalidArguments_Throws(void **state)
{
    (void)state;
    UdpClient *c = UdpClient_new();
    assert_false(UdpClient_Connect(c, (const char *)NULL, 0));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("hostname");
    assert_false(UdpClient_Connect(c, "localhost", -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("port");
    assert_false(UdpClient_Connect(c, "localhost", 66000));
    EXPECT_PARAM("port");
    assert_false(UdpClient_Connect(c, (IPAddress *)NULL, 0));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("addr");
    assert_false(UdpClient_Connect(c, IPAddress_Loopback, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("port");
    assert_false(UdpClient_Connect(c, IPAddress_Loopback, 66000));
    EXPECT_PARAM("port");
    assert_false(UdpClient_Connect(c, (IPEndPoint *)NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("endPoint");
    Dispose(c);
}

/* Send_Receive_Success(ipv4), the sender's endpoint checked as well. */
static void UdpClientTest_Send_Receive_Success(void **state)
{
    (void)state;
    for (int v4 = 1; v4 >= 0; v4--) {
        if (!v4) /* the IPv4 row first, so that it has run */
            SP_REQUIRE(Socket_OSSupportsIPv6, "IPv6");
        IPAddress *address = v4 ? IPAddress_Loopback : IPAddress_IPv6Loopback;
        IPEndPoint *local = IPEndPoint_new(address, 0);
        UdpClient *receiver = UdpClient_new(local);
        UdpClient *sender = UdpClient_new(local);
        assert_non_null(receiver);
        assert_non_null(sender);
        IPEndPoint *to = IPEndPoint_new(address, sp_socket_port(UdpClient_get_Client(receiver)));
        const uint8_t payload[] = {1, 2, 3, 250};
        assert_int_equal(UdpClient_Send(sender, payload, (int32_t)sizeof payload, to), (int32_t)sizeof payload);
        IPEndPoint *remote = NULL;
        int32_t length = -1;
        uint8_t *data = UdpClient_Receive(receiver, &remote, &length);
        assert_non_null(data);
        EXPECT_NO_EXC();
        ASSERT_BYTES(data, length, payload, sizeof payload);
        assert_int_equal(Array_get_Length(data), length);
        assert_non_null(remote);
        assert_int_equal(IPEndPoint_get_Port(remote), sp_socket_port(UdpClient_get_Client(sender)));
        assert_true(IPAddress_Equals(IPEndPoint_get_Address(remote), address));
        Array_Free(data);
        /* a zero-byte datagram, and remoteEP replaced (the old one released) */
        assert_int_equal(UdpClient_Send(sender, payload, 0, to), 0);
        data = UdpClient_Receive(receiver, &remote, &length);
        assert_non_null(data);
        assert_int_equal(length, 0);
        Array_Free(data);
        Dispose(remote);
        Dispose(to);
        Dispose(sender);
        Dispose(receiver);
        Dispose(local);
    }
}

/* Two clients bound to loopback ports, and the receiver's endpoint to send to. */
typedef struct udp_pair {
    IPEndPoint *local, *to;
    UdpClient *receiver, *sender;
} udp_pair;

static udp_pair udp_pair_open(void)
{
    udp_pair p;
    p.local = IPEndPoint_new(IPAddress_Loopback, 0);
    p.receiver = UdpClient_new(p.local);
    p.sender = UdpClient_new(p.local);
    assert_non_null(p.receiver);
    assert_non_null(p.sender);
    p.to = IPEndPoint_new(IPAddress_Loopback, sp_socket_port(UdpClient_get_Client(p.receiver)));
    return p;
}

static void udp_pair_close(udp_pair *p)
{
    Dispose(p->to);
    Dispose(p->sender);
    Dispose(p->receiver);
    Dispose(p->local);
}

/* sharpipc's own: Receive copies each datagram out of the client's buffer into an array of its
 * size, whatever the size (a small block or malloc's), with the sender as remoteEP. */
static void UdpClient_Receive_Sizes_CopiedWhole(void **state)
{
    (void)state;
    udp_pair u = udp_pair_open();
    UdpClient *receiver = u.receiver, *sender = u.sender;
    IPEndPoint *to = u.to;
    static uint8_t payload[9000];
    static const int32_t sizes[] = {1, 15, 16, 17, 495, 496, 497, 512, 600, 4096, 9000};
    IPEndPoint *remote = NULL;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (int32_t k = 0; k < sizes[i]; k++)
            payload[k] = (uint8_t)(k * 7 + i);
        assert_int_equal(UdpClient_Send(sender, payload, sizes[i], to), sizes[i]);
        int32_t length = -1;
        uint8_t *data = UdpClient_Receive(receiver, &remote, &length);
        assert_non_null(data);
        EXPECT_NO_EXC();
        ASSERT_BYTES(data, length, payload, (size_t)sizes[i]);
        assert_int_equal(Array_get_Length(data), sizes[i]);
        assert_int_equal(IPEndPoint_get_Port(remote), sp_socket_port(UdpClient_get_Client(sender)));
        Array_Free(data);
    }
    Dispose(remote);
    udp_pair_close(&u);
}

typedef struct {
    UdpClient *client;
    atomic_int *entered;
    uint8_t *data;
    int32_t length;
    IPEndPoint *remote;
} receive_job;

static void receive_one(void *p)
{
    receive_job *j = p;
    atomic_fetch_add(j->entered, 1);
    j->data = UdpClient_Receive(j->client, &j->remote, &j->length);
}

/* sharpipc's own: two Receives at once on one client (one in the client's buffer, the other in
 * one of its own) each get one whole datagram. */
static void UdpClient_Receive_Concurrent_EachGetsADatagram(void **state)
{
    (void)state;
    udp_pair u = udp_pair_open();
    UdpClient *receiver = u.receiver, *sender = u.sender;
    IPEndPoint *to = u.to;
    atomic_int entered = 0;
    receive_job jobs[2] = {{receiver, &entered, NULL, -1, NULL}, {receiver, &entered, NULL, -1, NULL}};
    sp_thread *threads[2] = {sp_thread_start(receive_one, &jobs[0]), sp_thread_start(receive_one, &jobs[1])};
    while (atomic_load(&entered) < 2)
        sp_sleep_ms(1);
    sp_sleep_ms(50); /* both blocked in the receive, most likely */
    static uint8_t a[100], b[3000];
    memset(a, 0xAA, sizeof a);
    memset(b, 0x55, sizeof b);
    assert_int_equal(UdpClient_Send(sender, a, (int32_t)sizeof a, to), (int32_t)sizeof a);
    assert_int_equal(UdpClient_Send(sender, b, (int32_t)sizeof b, to), (int32_t)sizeof b);
    sp_thread_join(threads[0]);
    sp_thread_join(threads[1]);
    assert_non_null(jobs[0].data);
    assert_non_null(jobs[1].data);
    int first_small = jobs[0].length == (int32_t)sizeof a ? 0 : 1;
    ASSERT_BYTES(jobs[first_small].data, jobs[first_small].length, a, sizeof a);
    ASSERT_BYTES(jobs[1 - first_small].data, jobs[1 - first_small].length, b, sizeof b);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(IPEndPoint_get_Port(jobs[i].remote), sp_socket_port(UdpClient_get_Client(sender)));
        Array_Free(jobs[i].data);
        Dispose(jobs[i].remote);
    }
    udp_pair_close(&u);
}

/* Send_Receive_Connected_Success over 127.0.0.1 (Windows-only in .NET because "localhost" may
 * resolve to both families there; an address serves both here). */
static void UdpClientTest_Send_Receive_Connected_Success(void **state)
{
    (void)state;
    IPEndPoint *local = IPEndPoint_new(IPAddress_Loopback, 0);
    UdpClient *receiver = UdpClient_new(local);
    UdpClient *sender = UdpClient_new();
    assert_true(UdpClient_Connect(sender, IPAddress_Loopback, sp_socket_port(UdpClient_get_Client(receiver))));
    uint8_t one[1] = {42};
    assert_int_equal(UdpClient_Send(sender, one, 1), 1);
    assert_int_equal(UdpClient_Send(sender, one, 1, (IPEndPoint *)NULL), 1);
    assert_int_equal(UdpClient_Send(sender, one, 1, NULL, 0), 1);
    for (int i = 0; i < 3; i++) {
        IPEndPoint *remote = NULL;
        int32_t length = 0;
        uint8_t *data = UdpClient_Receive(receiver, &remote, &length);
        assert_non_null(data);
        assert_int_equal(length, 1);
        assert_int_equal(data[0], 42);
        assert_int_equal(IPEndPoint_get_Port(remote), sp_socket_port(UdpClient_get_Client(sender)));
        Array_Free(data);
        Dispose(remote);
    }
    assert_null(UdpClient_Receive(receiver, NULL, NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("remoteEP");
    Dispose(sender);
    Dispose(receiver);
    Dispose(local);
}

/* Send_Receive_With_HostName_Success over IPv4 ("localhost" resolves to 127.0.0.1 here). */
static void UdpClientTest_Send_Receive_With_HostName_Success(void **state)
{
    (void)state;
    IPEndPoint *local = IPEndPoint_new(IPAddress_Loopback, 0);
    UdpClient *receiver = UdpClient_new(local);
    UdpClient *sender = UdpClient_new(local);
    uint8_t one[1] = {7};
    assert_int_equal(UdpClient_Send(sender, one, 1, "127.0.0.1", sp_socket_port(UdpClient_get_Client(receiver))), 1);
    IPEndPoint *remote = NULL;
    int32_t length = 0;
    uint8_t *data = UdpClient_Receive(receiver, &remote, &length);
    assert_non_null(data);
    assert_int_equal(length, 1);
    Array_Free(data);
    Dispose(remote);
    /* an address list with no address of the client's family */
    assert_int_equal(UdpClient_Send(sender, one, 1, "::1", 9), -1);
    EXPECT_EXC_MSG(ArgumentException,
                   "None of the discovered or specified addresses match the socket address family. (Parameter "
                   "'hostname')");
    Dispose(sender);
    Dispose(receiver);
    Dispose(local);
}

static void UdpClientTest_Send_Available_Success(void **state)
{
    (void)state;
    IPEndPoint *local = IPEndPoint_new(IPAddress_Loopback, 0);
    UdpClient *receiver = UdpClient_new(local);
    UdpClient *sender = UdpClient_new(local);
    IPEndPoint *to = IPEndPoint_new(IPAddress_Loopback, sp_socket_port(UdpClient_get_Client(receiver)));
    uint8_t one[1] = {0};
    assert_int_equal(UdpClient_Send(sender, one, 1, to), 1);
    /* SpinUntil(Available > 0): Poll waits for it instead of a clock */
    assert_true(Socket_Poll(UdpClient_get_Client(receiver), -1, SelectMode_SelectRead));
    assert_true(UdpClient_get_Available(receiver) > 0);
    Dispose(to);
    Dispose(sender);
    Dispose(receiver);
    Dispose(local);
}

static void UdpClientTest_JoinDropMulticastGroup_InvalidArguments_Throws(void **state)
{
    (void)state;
    UdpClient *c = UdpClient_newWithFamily(AddressFamily_InterNetwork);
    assert_false(UdpClient_JoinMulticastGroup(c, NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("multicastAddr");
    assert_false(UdpClient_JoinMulticastGroup(c, 0, (IPAddress *)NULL));
    EXPECT_PARAM("multicastAddr");
    assert_false(UdpClient_JoinMulticastGroup(c, (IPAddress *)NULL, 0));
    EXPECT_PARAM("multicastAddr");
    assert_false(UdpClient_JoinMulticastGroup(c, -1, IPAddress_Any));
    EXPECT_EXC_MSG(ArgumentException, "The specified value cannot be negative. (Parameter 'ifindex')");
    assert_false(UdpClient_JoinMulticastGroup(c, IPAddress_Loopback, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("timeToLive");
    assert_false(UdpClient_DropMulticastGroup(c, NULL));
    EXPECT_PARAM("multicastAddr");
    assert_false(UdpClient_DropMulticastGroup(c, NULL, 0));
    EXPECT_PARAM("multicastAddr");
    assert_false(UdpClient_DropMulticastGroup(c, IPAddress_IPv6Loopback));
    EXPECT_EXC_MSG(ArgumentException,
                   "Multicast family is not the same as the family of the 'UDP' Client. (Parameter 'multicastAddr')");
    assert_false(UdpClient_DropMulticastGroup(c, IPAddress_Loopback, -1));
    EXPECT_EXC(ArgumentException);
    EXPECT_PARAM("ifindex");
    /* the IPv6-only forms on an IPv4 client, and the IPv4-only one on an IPv6 client */
    assert_false(UdpClient_JoinMulticastGroup(c, 1, IPAddress_IPv6Loopback));
    sp_expect_socket_error(SocketError_OperationNotSupported, "JoinMulticastGroup(ifindex) on IPv4");
    Dispose(c);
    SP_REQUIRE(Socket_OSSupportsIPv6, "IPv6");
    UdpClient *c6 = UdpClient_newWithFamily(AddressFamily_InterNetworkV6);
    assert_false(UdpClient_JoinMulticastGroup(c6, IPAddress_Loopback, IPAddress_Loopback));
    sp_expect_socket_error(SocketError_OperationNotSupported, "JoinMulticastGroup(local) on IPv6");
    Dispose(c6);
}

/* A blocked Receive's client disposed from another thread: tests/unit/core/test_dispose_while_blocked.c. */

/* ---------------------------------------------------------------- multicast on the loopback */

typedef enum { MC_OK, MC_UNAVAILABLE } mc_result;

static mc_result report_unavailable(const char *what)
{
    const Exception *e = Exception_get_Current();
    print_message("\n*** MULTICAST UNAVAILABLE HERE: %s failed (%s \"%s\"); the multicast loopback test did not "
                  "run%s ***\n\n",
                  what, e ? sp_exc_name(Exception_get_Type(e)) : "no exception", e ? Exception_get_Message(e) : "",
                  sp_on_ci() ? " and CI=true makes that a failure" : "");
    if (sp_on_ci())
        fail_msg("multicast is unavailable under CI=true: %s", what);
    return MC_UNAVAILABLE;
}

/* JoinMulticastGroup on 127.0.0.1, a datagram to 239.255.77.x from a socket whose
 * MulticastInterface is 127.0.0.1, received with the sender's endpoint; then DropMulticastGroup. */
static void UdpClientTest_JoinDropMulticastGroup_Loopback_Succeeds(void **state)
{
    (void)state;
    UdpClient *receiver = UdpClient_new(0);
    assert_non_null(receiver);
    Socket *rs = UdpClient_get_Client(receiver);
    assert_true(Socket_set_ReceiveTimeout(rs, 5000)); /* a kernel that does not loop it back: TimedOut */
    IPAddress *group = IPAddress_Parse("239.255.77.17");
    if (!UdpClient_JoinMulticastGroup(receiver, group, IPAddress_Loopback)) {
        report_unavailable("JoinMulticastGroup(239.255.77.17, 127.0.0.1)");
        Dispose(group);
        Dispose(receiver);
        if (!sp_on_ci())
            skip();
        return;
    }
    UdpClient *sender = UdpClient_new();
    Socket *ss = UdpClient_get_Client(sender);
    /* MulticastInterface takes an IPv4 address in network order, as .NET's int form */
    uint8_t loop[4] = {127, 0, 0, 1};
    int32_t loop_value;
    memcpy(&loop_value, loop, 4);
    assert_true(Socket_SetSocketOption(ss, SocketOptionLevel_IP, SocketOptionName_MulticastInterface, loop_value));
    assert_true(UdpClient_get_MulticastLoopback(sender));
    IPEndPoint *to = IPEndPoint_new(group, sp_socket_port(rs));
    const uint8_t payload[] = "multicast";
    assert_int_equal(UdpClient_Send(sender, payload, (int32_t)sizeof payload, to), (int32_t)sizeof payload);
    IPEndPoint *remote = NULL;
    int32_t length = 0;
    uint8_t *data = UdpClient_Receive(receiver, &remote, &length);
    if (!data) {
        report_unavailable("receiving the looped-back multicast datagram");
    } else {
        ASSERT_BYTES(data, length, payload, sizeof payload);
        assert_int_equal(IPEndPoint_get_Port(remote), sp_socket_port(ss));
        Array_Free(data);
        Dispose(remote);
    }
    /* joined on 127.0.0.1: dropped there (DropMulticastGroup(group) names the default interface,
     * where the kernel finds no such membership: the OS's error, as .NET gets it) */
    assert_false(UdpClient_DropMulticastGroup(receiver, group));
    EXPECT_EXC(SocketException);
    MulticastOption *on_loopback = MulticastOption_new(group, IPAddress_Loopback);
    assert_true(Socket_SetSocketOption(rs, SocketOptionLevel_IP, SocketOptionName_DropMembership, on_loopback));
    assert_false(Socket_SetSocketOption(rs, SocketOptionLevel_IP, SocketOptionName_DropMembership, on_loopback));
    EXPECT_EXC(SocketException); /* dropped twice: EADDRNOTAVAIL / WSAEADDRNOTAVAIL */
    Dispose(on_loopback);
    Dispose(to);
    Dispose(sender);
    Dispose(group);
    Dispose(receiver);
    if (!data && !sp_on_ci())
        skip();
}

/* ================================================================ MulticastOptionTest */

static void MulticastOptionTest_MulticastOption_InvalidArguments_Throws(void **state)
{
    (void)state;
    assert_null(MulticastOption_new(NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("group");
    assert_null(MulticastOption_new(IPAddress_Any, (IPAddress *)NULL));
    EXPECT_PARAM("mcint");
    assert_null(MulticastOption_new(IPAddress_Any, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("interfaceIndex");
    assert_null(MulticastOption_new(IPAddress_Any, 0x7fffffff));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("interfaceIndex");
    MulticastOption *o = MulticastOption_new(IPAddress_Any);
    assert_false(MulticastOption_set_Group(o, NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("value");
    assert_false(MulticastOption_set_InterfaceIndex(o, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("value");
    assert_false(MulticastOption_set_InterfaceIndex(o, 0x7fffffff));
    EXPECT_PARAM("value");
    Dispose(o);
}

/* An IPv6 address in an IPv4 MulticastOption: .NET reads IPAddress.Address for both addresses,
 * which an IPv6 one refuses (SocketException OperationNotSupported) before the OS is asked. */
static void SocketOptionNameTest_MulticastOption_IPv6Address_Throws(void **state)
{
    (void)state;
    Socket *s = Socket_new(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
    IPAddress *v6group = IPAddress_Parse("ff02::1");
    IPAddress *group = IPAddress_Parse("239.1.2.3");
    MulticastOption *o = MulticastOption_new(v6group);
    assert_false(Socket_SetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_AddMembership, o));
    sp_expect_socket_error(SocketError_OperationNotSupported, "IPv6 group");
    Dispose(o);
    o = MulticastOption_new(group, IPAddress_IPv6Loopback);
    assert_false(Socket_SetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_AddMembership, o));
    sp_expect_socket_error(SocketError_OperationNotSupported, "IPv6 local address");
    Dispose(o);
    Dispose(group);
    Dispose(v6group);
    Dispose(s);
}

static void MulticastOptionTest_MulticastOption_Roundtrips(void **state)
{
    (void)state;
    IPAddress *group = IPAddress_Parse("239.1.2.3");
    MulticastOption *o = MulticastOption_new(group);
    assert_ptr_equal(MulticastOption_get_Group(o), group);
    assert_ptr_equal(MulticastOption_get_LocalAddress(o), IPAddress_Any);
    assert_int_equal(MulticastOption_get_InterfaceIndex(o), 0);
    assert_true(MulticastOption_set_Group(o, IPAddress_Loopback));
    assert_ptr_equal(MulticastOption_get_Group(o), IPAddress_Loopback);
    /* InterfaceIndex and LocalAddress clear each other */
    assert_true(MulticastOption_set_InterfaceIndex(o, 0x00FFFFFF));
    assert_int_equal(MulticastOption_get_InterfaceIndex(o), 0x00FFFFFF);
    assert_null(MulticastOption_get_LocalAddress(o));
    assert_true(MulticastOption_set_LocalAddress(o, IPAddress_Loopback));
    assert_ptr_equal(MulticastOption_get_LocalAddress(o), IPAddress_Loopback);
    assert_int_equal(MulticastOption_get_InterfaceIndex(o), 0);
    Dispose(o);
    /* the option retains its addresses */
    o = MulticastOption_new(group, 3);
    Dispose(group);
    assert_int_equal(IPAddress_get_AddressFamily(MulticastOption_get_Group(o)), AddressFamily_InterNetwork);
    assert_int_equal(MulticastOption_get_InterfaceIndex(o), 3);
    Dispose(o);
}

static void MulticastOptionTest_IPv6MulticastOption_InvalidArguments_Throws(void **state)
{
    (void)state;
    assert_null(IPv6MulticastOption_new(NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("group");
    assert_null(IPv6MulticastOption_new(IPAddress_IPv6Any, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("ifindex");
    assert_null(IPv6MulticastOption_new(IPAddress_IPv6Any, 0x100000000ll));
    EXPECT_PARAM("ifindex");
    IPv6MulticastOption *o = IPv6MulticastOption_new(IPAddress_IPv6Any);
    assert_false(IPv6MulticastOption_set_Group(o, NULL));
    EXPECT_PARAM("value");
    assert_false(IPv6MulticastOption_set_InterfaceIndex(o, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("value");
    assert_true(IPv6MulticastOption_set_InterfaceIndex(o, 0xFFFFFFFFll));
    ASSERT_I64(IPv6MulticastOption_get_InterfaceIndex(o), 0xFFFFFFFFll);
    assert_true(IPv6MulticastOption_set_Group(o, IPAddress_IPv6Loopback));
    assert_ptr_equal(IPv6MulticastOption_get_Group(o), IPAddress_IPv6Loopback);
    Dispose(o);
}

/* ================================================================ SocketOptionNameTest (multicast) */

/* MulticastOption_CreateSocketSetGetOption_GroupAndInterfaceIndex_SetSucceeds_GetThrows: the set
 * half (.NET's get of AddMembership is the OS's error); and the object overload's type checks. */
static void SocketOptionNameTest_MulticastOption_SetSocketOption(void **state)
{
    (void)state;
    Socket *s = Socket_new(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
    IPAddress *group = IPAddress_Parse("239.255.77.18");
    MulticastOption *o = MulticastOption_new(group, IPAddress_Loopback);
    bool joined = Socket_SetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_AddMembership, o);
    if (joined) {
        assert_true(Socket_SetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_DropMembership, o));
    } else {
        report_unavailable("SetSocketOption(IP, AddMembership, 239.255.77.18 on 127.0.0.1)");
    }
    assert_false(Socket_SetSocketOptionMulticast(s, SocketOptionLevel_IP, SocketOptionName_AddMembership, NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("optionValue");
    assert_false(Socket_SetSocketOption(s, SocketOptionLevel_IPv6, SocketOptionName_AddMembership, o));
    EXPECT_EXC_MSG(ArgumentException, "The specified value is not a valid 'IPv6MulticastOption'. (Parameter "
                                      "'optionValue')");
    assert_false(Socket_SetSocketOption(s, SocketOptionLevel_Socket, SocketOptionName_Linger, o));
    EXPECT_EXC_MSG(ArgumentException, "The specified value is not a valid 'LingerOption'. (Parameter 'optionValue')");
    assert_false(Socket_SetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_MulticastTimeToLive, o));
    EXPECT_EXC_MSG(ArgumentException, "The specified value is not valid. (Parameter 'optionValue')");
    IPv6MulticastOption *o6 = IPv6MulticastOption_new(IPAddress_IPv6Loopback);
    assert_false(Socket_SetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_AddMembership, o6));
    EXPECT_EXC_MSG(ArgumentException, "The specified value is not a valid 'MulticastOption'. (Parameter "
                                      "'optionValue')");
    Dispose(o6);
    /* an interface index that names no interface */
    MulticastOption *bad = MulticastOption_new(group, 0x00FFFFF0);
    assert_false(Socket_SetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_AddMembership, bad));
    EXPECT_EXC(SocketException);
    Dispose(bad);
    Dispose(o);
    Dispose(group);
    Dispose(s);
    if (!joined && !sp_on_ci())
        skip();
}

/* MulticastOption_CreateSocketSetGetOption_GroupAndInterfaceIndex_SetSucceeds_GetThrows, whole:
 * the get of a membership is .NET's GetMulticastOpt / GetIPv6MulticastOpt, a getsockopt of a
 * write-only option: SocketException ProtocolOption on Linux (ENOPROTOOPT) and Windows
 * (WSAENOPROTOOPT), for both names, both levels, joined or not. As every failed option call in
 * .NET (UpdateStatusAfterSocketError), it leaves a connected socket not Connected. */
static void
SocketOptionNameTest_MulticastOption_CreateSocketSetGetOption_GroupAndInterfaceIndex_SetSucceeds_GetThrows(void **state)
{
    (void)state;
    Socket *s = Socket_new(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
    IPAddress *group = IPAddress_Parse("239.1.2.3");
    MulticastOption *o = MulticastOption_new(group, 0);
    bool joined = Socket_SetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_AddMembership, o);
    if (!joined)
        report_unavailable("SetSocketOption(IP, AddMembership, 239.1.2.3 on interface 0)");
    static const SocketOptionName names[] = {SocketOptionName_AddMembership, SocketOptionName_DropMembership};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(Socket_GetSocketOption(s, SocketOptionLevel_IP, names[i]), 0);
        sp_expect_socket_error(SocketError_ProtocolOption, "GetSocketOption(IP, membership)");
    }
    /* a connected socket: Connected goes false, as .NET's */
    assert_true(Socket_Connect(s, IPAddress_Loopback, UnusedPort));
    assert_true(Socket_get_Connected(s));
    assert_int_equal(Socket_GetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_AddMembership), 0);
    sp_expect_socket_error(SocketError_ProtocolOption, "GetSocketOption(IP, AddMembership), connected");
    assert_false(Socket_get_Connected(s));
    Dispose(o);
    Dispose(group);
    Dispose(s);
    SP_REQUIRE(Socket_OSSupportsIPv6, "IPv6");
    Socket *s6 = Socket_new(AddressFamily_InterNetworkV6, SocketType_Dgram, ProtocolType_Udp);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(Socket_GetSocketOption(s6, SocketOptionLevel_IPv6, names[i]), 0);
        sp_expect_socket_error(SocketError_ProtocolOption, "GetSocketOption(IPv6, membership)");
    }
    Dispose(s6);
    if (!joined && !sp_on_ci())
        skip();
}

/* IPv6: join ff02::1:ff00:77 on interface 0 (the kernel's choice) and drop it. */
static void SocketOptionNameTest_IPv6MulticastOption_SetSocketOption(void **state)
{
    (void)state;
    SP_REQUIRE(Socket_OSSupportsIPv6, "IPv6");
    Socket *s = Socket_new(AddressFamily_InterNetworkV6, SocketType_Dgram, ProtocolType_Udp);
    IPAddress *group = IPAddress_Parse("ff02::1:ff00:77");
    IPv6MulticastOption *o = IPv6MulticastOption_new(group);
    bool joined = Socket_SetSocketOption(s, SocketOptionLevel_IPv6, SocketOptionName_AddMembership, o);
    if (joined)
        assert_true(Socket_SetSocketOption(s, SocketOptionLevel_IPv6, SocketOptionName_DropMembership, o));
    else
        report_unavailable("SetSocketOption(IPv6, AddMembership, ff02::1:ff00:77)");
    assert_false(Socket_SetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_AddMembership, o));
    EXPECT_EXC(ArgumentException);
    Dispose(o);
    Dispose(group);
    Dispose(s);
    if (!joined && !sp_on_ci())
        skip();
}

/* MulticastInterface_Set_AnyInterface_Succeeds (IPv4 and IPv6, the set half) and
 * MulticastInterface_Set_InvalidIndex_Throws: the int form, an address (or 0.0.0.n, an index) in
 * network order. */
static void SocketOptionNameTest_MulticastInterface_Set(void **state)
{
    (void)state;
    Socket *s = Socket_new(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
    assert_true(Socket_SetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_MulticastInterface, 0));
    EXPECT_NO_EXC();
    uint8_t index_31415[4] = {0, 0, 31415 >> 8, 31415 & 0xff}; /* IPAddress.HostToNetworkOrder(31415) */
    int32_t value;
    memcpy(&value, index_31415, 4);
    assert_false(Socket_SetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_MulticastInterface, value));
    EXPECT_EXC(SocketException);
    Dispose(s);
    SP_REQUIRE(Socket_OSSupportsIPv6, "IPv6");
    Socket *s6 = Socket_new(AddressFamily_InterNetworkV6, SocketType_Dgram, ProtocolType_Udp);
    assert_true(Socket_SetSocketOption(s6, SocketOptionLevel_IPv6, SocketOptionName_MulticastInterface, 0));
    EXPECT_NO_EXC();
    assert_false(Socket_SetSocketOption(s6, SocketOptionLevel_IPv6, SocketOptionName_MulticastInterface, 31415));
    EXPECT_EXC(SocketException);
    Dispose(s6);
}

/* ArgumentValidationTests rows for the new members: disposed sockets, other families. */
static void ArgumentValidationTests_MulticastLoopback_And_SendFile(void **state)
{
    (void)state;
    Socket *u = Socket_new(AddressFamily_Unix, SocketType_Stream, ProtocolType_Unspecified);
    if (u) {
        assert_false(Socket_get_MulticastLoopback(u));
        EXPECT_EXC(NotSupportedException);
        assert_false(Socket_set_MulticastLoopback(u, true));
        EXPECT_EXC(NotSupportedException);
        Dispose(u);
    }
    Socket *s = Socket_new(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
    MulticastOption *o = MulticastOption_new(IPAddress_Parse("239.1.1.1"));
    Dispose(MulticastOption_get_Group(o)); /* the option holds its own reference */
    assert_true(Socket_Close(s));
    assert_false(Socket_get_MulticastLoopback(s));
    EXPECT_EXC(ObjectDisposedException);
    assert_false(Socket_SetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_AddMembership, o));
    EXPECT_EXC(ObjectDisposedException);
    assert_false(Socket_SendFile(s, NULL));
    EXPECT_EXC(ObjectDisposedException);
    assert_false(Socket_SendFile(NULL, NULL));
    EXPECT_EXC(ArgumentNullException);
    /* NULL objects and objects of another type are ArgumentNullException / ArgumentException */
    assert_false(Socket_SetSocketOptionMulticast(NULL, SocketOptionLevel_IP, SocketOptionName_AddMembership, o));
    EXPECT_EXC(ArgumentNullException);
    assert_int_equal(UdpClient_Send(NULL, "x", 1), -1);
    EXPECT_EXC(ArgumentNullException);
    assert_null(UdpClient_Receive(NULL, NULL, NULL));
    EXPECT_EXC(ArgumentNullException);
    assert_null(UdpClient_get_Client(NULL));
    EXPECT_EXC(ArgumentNullException);
    assert_false(UdpClient_get_EnableBroadcast(NULL));
    EXPECT_EXC(ArgumentNullException);
    assert_null(MulticastOption_get_Group(NULL));
    EXPECT_EXC(ArgumentNullException);
    assert_null(MulticastOption_new((IPAddress *)(void *)o));
    EXPECT_EXC(ArgumentException);
    EXPECT_PARAM("group");
    assert_false(UdpClient_Close((UdpClient *)(void *)o));
    EXPECT_EXC(ArgumentException);
    Socket *t = Socket_new(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
    assert_false(Socket_SetSocketOptionMulticast(t, SocketOptionLevel_IP, SocketOptionName_AddMembership,
                                                 (MulticastOption *)(void *)t));
    EXPECT_EXC(ArgumentException);
    EXPECT_PARAM("optionValue");
    Dispose(t);
    Dispose(o);
    Dispose(s);
}

/* ================================================================ SendFile */


static void write_file(const char *name, const uint8_t *data, size_t n)
{
    FILE *f = fopen(name, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void SendFile_Disposed_ThrowsException(void **state)
{
    (void)state;
    Socket *c, *a;
    sp_socket_pair(&c, &a);
    Socket_Close(c);
    assert_false(Socket_SendFile(c, NULL));
    EXPECT_EXC(ObjectDisposedException);
    Dispose(c);
    Dispose(a);
}

static void SendFile_NotConnected_ThrowsException(void **state)
{
    (void)state;
    Socket *s = Socket_new(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    assert_false(Socket_SendFile(s, NULL));
    EXPECT_EXC_MSG(NotSupportedException, "The operation is not allowed on non-connected sockets.");
    Dispose(s);
}

/* UdpConnection_ThrowsException: connection-oriented sockets only, a connected UDP one too. */
static void SendFile_UdpConnection_ThrowsException(void **state)
{
    (void)state;
    Socket *s = Socket_new(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
    assert_true(Socket_Connect(s, IPAddress_Loopback, UnusedPort));
    assert_false(Socket_SendFile(s, NULL));
    EXPECT_EXC(NotSupportedException);
    Dispose(s);
}

static void SendFile_FileDoesNotExist_ThrowsException(void **state)
{
    (void)state;
    Socket *c, *a;
    sp_socket_pair(&c, &a);
    char name[128], full[1024];
    sp_temp_name(name, "sendfile_missing");
    assert_false(Socket_SendFile(c, name));
    EXPECT_EXC(FileNotFoundException);
    char expected[1200];
    snprintf(expected, sizeof expected, "Could not find file '%s'.", sp_full_path(full, name));
    assert_string_equal(Exception_get_Message(Exception_get_Current()), expected);
    assert_true(Socket_get_Connected(c)); /* nothing was sent: the connection stands */
    Dispose(c);
    Dispose(a);
}

/* Options other than UseDefaultWorkerThread: PlatformNotSupported on Unix (before the file is
 * looked at), TransmitFile's flags on Windows. */
static void SendFile_TransmitFileOptions(void **state)
{
    (void)state;
    Socket *c, *a;
    sp_socket_pair(&c, &a);
    const uint8_t pre[] = "abc";
#ifdef _WIN32
    assert_true(Socket_SendFile(c, NULL, pre, 3, NULL, 0, TransmitFileOptions_Disconnect));
    assert_false(Socket_get_Connected(c)); /* SetToDisconnected */
    uint8_t got[8];
    int32_t n = Socket_Receive(a, got, (int32_t)sizeof got);
    assert_int_equal(n, 3);
#else
    assert_false(Socket_SendFile(c, "no such file", pre, 3, NULL, 0, TransmitFileOptions_Disconnect));
    EXPECT_EXC_MSG(PlatformNotSupportedException, "This platform does not support TransmitFileOptions other than "
                                                  "TransmitFileOptions.UseDefaultWorkerThread.");
    assert_true(Socket_get_Connected(c));
#endif
    Dispose(c);
    Dispose(a);
}

typedef struct file_sender {
    Socket *s;
    const char *name;
    const uint8_t *pre, *post;
    int32_t pre_n, post_n;
    bool ok;
} file_sender;

static void send_file_then_shutdown(void *p)
{
    file_sender *j = p;
    j->ok = Socket_SendFile(j->s, j->name, j->pre, j->pre_n, j->post, j->post_n,
                            TransmitFileOptions_UseDefaultWorkerThread);
    Socket_Shutdown(j->s, SocketShutdown_Send);
}

/* SendFile_Synchronous(useFile, pre/post buffers, sizes) and SendFile_NoFile_Succeeds: every byte
 * arrives in order (pre, file, post), checked on the receiving side. */
static void SendFile_SendFile_Synchronous(void **state)
{
    (void)state;
    static const struct {
        int32_t file_size, pre, post;
        bool use_file;
    } rows[] = {
        {0, 0, 0, false},
        {0, 100, 0, false},
        {0, 0, 100, false},
        {1024, 0, 0, true},
        {1024, 10, 20, true},
        {0, 0, 0, true},
        {3 << 20, 0, 0, true},
        {(3 << 20) + 17, 4096, 1, true},
        {70000, 65536, 65536, true},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        int32_t total = rows[r].pre + (rows[r].use_file ? rows[r].file_size : 0) + rows[r].post;
        uint8_t *expected = malloc((size_t)total + 1), *got = malloc((size_t)total + 1);
        for (int32_t i = 0; i < total; i++)
            expected[i] = (uint8_t)(i * 31 + (i >> 11) + r);
        char name[128];
        sp_temp_name(name, "sendfile");
        if (rows[r].use_file)
            write_file(name, expected + rows[r].pre, (size_t)rows[r].file_size);
        Socket *c, *a;
        sp_socket_pair(&c, &a);
        file_sender j = {
            c,    rows[r].use_file ? name : NULL, expected, expected + total - rows[r].post, rows[r].pre, rows[r].post,
            false};
        sp_thread *t = sp_thread_start(send_file_then_shutdown, &j);
        int32_t done = 0;
        for (;;) {
            int32_t n = Socket_Receive(a, got, done, total + 1 - done, SocketFlags_None);
            assert_true(n >= 0);
            if (n == 0)
                break;
            done += n;
        }
        sp_thread_join(t);
        if (!j.ok)
            fail_msg("row %d: SendFile failed", (int)r);
        ASSERT_BYTES(got, done, expected, total);
        Dispose(c);
        Dispose(a);
        free(expected);
        free(got);
    }
}

#ifndef _WIN32
/* SocketPal.Unix's SendFile sends the file's length as it is at the start (RandomAccess.GetLength,
 * fstat's size), from offset 0: a file whose size says 0 (a character device as /dev/zero, most of
 * /proc) sends nothing, and one that grows meanwhile no more than that length. Reading to the end
 * instead never ends on /dev/zero (the send timeout bounds it here). */
static void SendFile_SendsTheLengthTheFileHadAtTheStart(void **state)
{
    (void)state;
    if (access("/dev/zero", R_OK) != 0)
        return;
    Socket *c, *a;
    sp_socket_pair(&c, &a);
    assert_true(Socket_set_SendTimeout(c, 1000));
    if (!Socket_SendFile(c, "/dev/zero"))
        fail_msg("SendFile(/dev/zero): %s", Exception_get_Message(Exception_get_Current()));
    assert_true(Socket_Shutdown(c, SocketShutdown_Send));
    uint8_t got[16];
    assert_int_equal(Socket_Receive(a, got, (int32_t)sizeof got), 0); /* nothing came before the FIN */
    Dispose(c);
    Dispose(a);
}
#endif

/* SendFile onto a peer that reset: a SocketException, and never SIGPIPE (the test would die). */
static void SendFile_PeerReset_SocketException(void **state)
{
    (void)state;
    enum { N = 4 << 20 };
    uint8_t *data = calloc(1, N);
    char name[128];
    sp_temp_name(name, "sendfile_reset");
    write_file(name, data, N);
    Socket *c, *a;
    sp_socket_pair(&c, &a);
    assert_true(Socket_Close(a, 0)); /* linger 0: the peer resets */
    bool ok = true;
    for (int i = 0; i < 4 && ok; i++)
        ok = Socket_SendFile(c, name);
    assert_false(ok);
    const Exception *e = Exception_get_Current();
    assert_int_equal(Exception_get_Type(e), ExceptionType_SocketException);
    int32_t code = SocketException_get_SocketErrorCode(e);
    /* Linux: ECONNRESET or EPIPE (Shutdown); Windows: WSAECONNRESET / WSAECONNABORTED; wine's
     * TransmitFile on a socket the peer reset: WSAENOTCONN */
    if (code != SocketError_ConnectionReset && code != SocketError_Shutdown && code != SocketError_ConnectionAborted &&
        code != SocketError_NotConnected)
        fail_msg("SendFile onto a reset peer: SocketErrorCode %d (\"%s\")", (int)code, Exception_get_Message(e));
    Dispose(c);
    Dispose(a);
    free(data);
}

#ifdef __linux__
/* Whether thread `tid` of this process sleeps in recvfrom(2) now (its /proc syscall line). */
static bool sleeps_in_recvfrom(pid_t tid)
{
    char path[64], line[128] = {0};
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    bool in = fgets(line, sizeof line, f) && atol(line) == SYS_recvfrom;
    fclose(f);
    return in;
}

typedef struct byte_feeder {
    Socket *peer;
    pid_t tid;
    atomic_bool done;
} byte_feeder;

/* Sends the peer's byte once the receiving thread sleeps in the kernel for it (or gave up). */
static void feed_byte_when_asleep(void *p)
{
    byte_feeder *b = p;
    while (!atomic_load(&b->done) && !sleeps_in_recvfrom(b->tid))
        sched_yield();
    static const uint8_t one = 0x5a;
    assert_int_equal(Socket_Send(b->peer, &one, 0, 1, SocketFlags_None), 1);
}

/* A blocking Receive another thread starts while a SendFile is under way waits for its data, as it
 * does beside a Send: SendFile keeps the descriptor blocking (a non-blocking one made that
 * Receive's recvfrom fail at once, read as SO_RCVTIMEO expired: SocketException TimedOut). Linux
 * only: elsewhere a blocking call waits in poll, where the descriptor's mode does not matter. */
static void SendFile_ConcurrentReceive_Blocks(void **state)
{
    (void)state;
    enum { N = 32 << 20 }; /* more than both sides' buffers hold: the SendFile waits for the peer */
    uint8_t *data = calloc(1, N);
    char name[128];
    sp_temp_name(name, "sendfile_duplex");
    write_file(name, data, N);
    Socket *c, *a;
    sp_socket_pair(&c, &a);
    file_sender j = {c, name, NULL, NULL, 0, 0, false};
    sp_thread *t = sp_thread_start(send_file_then_shutdown, &j);
    while (Socket_get_Available(a) == 0) /* the SendFile is under way */
        sched_yield();
    byte_feeder b = {a, (pid_t)syscall(SYS_gettid), false};
    sp_thread *feeder = sp_thread_start(feed_byte_when_asleep, &b);
    uint8_t got = 0;
    int32_t n = Socket_Receive(c, &got, 0, 1, SocketFlags_None);
    atomic_store(&b.done, true);
    sp_thread_join(feeder);
    if (n != 1) {
        const Exception *e = Exception_get_Current();
        fail_msg("Receive during SendFile: %d (%s)", (int)n, e ? Exception_get_Message(e) : "no exception");
    }
    assert_int_equal(got, 0x5a);
    /* drain the file so that the SendFile completes */
    static uint8_t sink[1 << 16];
    int64_t total = 0;
    for (;;) {
        int32_t r = Socket_Receive(a, sink, 0, (int32_t)sizeof sink, SocketFlags_None);
        assert_true(r >= 0);
        if (r == 0)
            break;
        total += r;
    }
    sp_thread_join(t);
    assert_true(j.ok);
    assert_int_equal(total, N);
    Dispose(c);
    Dispose(a);
    free(data);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(UdpClientTest_Ctor_ValidAddressFamily_Succeeds),
        cmocka_unit_test(UdpClientTest_Ctor_InvalidAddressFamily_Throws),
        cmocka_unit_test(UdpClientTest_Ctor_InvalidHostName_Throws),
        cmocka_unit_test(UdpClientTest_Ctor_InvalidPort_Throws),
        cmocka_unit_test(UdpClientTest_Ctor_NullEndpoint_Throws),
        cmocka_unit_test(UdpClientTest_Ctor_CanSend),
        cmocka_unit_test(UdpClientTest_Ctor_Int_CanSend),
        cmocka_unit_test(UdpClientTest_Ctor_StringInt_CanSend),
        cmocka_unit_test(UdpClientTest_DisposeClose_OperationsThrow),
        cmocka_unit_test(UdpClientTest_Client_Idempotent),
        cmocka_unit_test(UdpClientTest_Active_Roundtrips),
        cmocka_unit_test(UdpClientTest_Client_Idemptotent),
        cmocka_unit_test(UdpClientTest_Client_Set_CallsUseTheNewSocket),
        cmocka_unit_test(UdpClient_Receive_AnyOfTheClientsFamily),
        cmocka_unit_test(UdpClientTest_Ttl_Roundtrips),
        cmocka_unit_test(UdpClientTest_DontFragment_Roundtrips),
        cmocka_unit_test(UdpClientTest_MulticastLoopback_Roundtrips),
        cmocka_unit_test(UdpClientTest_EnableBroadcast_Roundtrips),
        cmocka_unit_test(UdpClientTest_ExclusiveAddressUse_Roundtrips),
        cmocka_unit_test(UdpClientTest_Send_InvalidArguments_Throws),
        cmocka_unit_test(UdpClientTest_Connect_InvalidArguments_Throws),
        cmocka_unit_test(UdpClientTest_Send_Receive_Success),
        cmocka_unit_test(UdpClient_Receive_Sizes_CopiedWhole),
        cmocka_unit_test(UdpClient_Receive_Concurrent_EachGetsADatagram),
        cmocka_unit_test(UdpClientTest_Send_Receive_Connected_Success),
        cmocka_unit_test(UdpClientTest_Send_Receive_With_HostName_Success),
        cmocka_unit_test(UdpClientTest_Send_Available_Success),
        cmocka_unit_test(UdpClientTest_JoinDropMulticastGroup_InvalidArguments_Throws),
        cmocka_unit_test(UdpClientTest_JoinDropMulticastGroup_Loopback_Succeeds),
        cmocka_unit_test(MulticastOptionTest_MulticastOption_InvalidArguments_Throws),
        cmocka_unit_test(MulticastOptionTest_MulticastOption_Roundtrips),
        cmocka_unit_test(SocketOptionNameTest_MulticastOption_IPv6Address_Throws),
        cmocka_unit_test(MulticastOptionTest_IPv6MulticastOption_InvalidArguments_Throws),
        cmocka_unit_test(SocketOptionNameTest_MulticastOption_SetSocketOption),
        cmocka_unit_test(SocketOptionNameTest_IPv6MulticastOption_SetSocketOption),
        cmocka_unit_test(
            SocketOptionNameTest_MulticastOption_CreateSocketSetGetOption_GroupAndInterfaceIndex_SetSucceeds_GetThrows),
        cmocka_unit_test(SocketOptionNameTest_MulticastInterface_Set),
        cmocka_unit_test(ArgumentValidationTests_MulticastLoopback_And_SendFile),
        cmocka_unit_test(SendFile_Disposed_ThrowsException),
        cmocka_unit_test(SendFile_NotConnected_ThrowsException),
        cmocka_unit_test(SendFile_UdpConnection_ThrowsException),
        cmocka_unit_test(SendFile_FileDoesNotExist_ThrowsException),
        cmocka_unit_test(SendFile_TransmitFileOptions),
        cmocka_unit_test(SendFile_SendFile_Synchronous),
#ifndef _WIN32
        cmocka_unit_test(SendFile_SendsTheLengthTheFileHadAtTheStart),
#endif
        cmocka_unit_test(SendFile_PeerReset_SocketException),
#ifdef __linux__
        cmocka_unit_test(SendFile_ConcurrentReceive_Blocks),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, sp_remove_temp_files);
}
