/* The socket test helpers of sp_sockets.h. */
#include "sp_test.h"

#include "sp_sockets.h"

int32_t sp_socket_port(Socket *s)
{
    EndPoint *ep = Socket_get_LocalEndPoint(s);
    assert_non_null(ep);
    int32_t port = IPEndPoint_get_Port((IPEndPoint *)ep);
    Dispose(ep);
    return port;
}

Socket *sp_socket_listener_on(AddressFamily family, IPAddress *address, bool dual, int32_t backlog)
{
    Socket *l = Socket_new(family, SocketType_Stream, ProtocolType_Tcp);
    assert_non_null(l);
    if (dual)
        assert_true(Socket_set_DualMode(l, true));
    IPEndPoint *ep = IPEndPoint_new(address, 0);
    assert_true(Socket_Bind(l, ep));
    Dispose(ep);
    if (backlog < 0)
        assert_true(Socket_Listen(l));
    else
        assert_true(Socket_Listen(l, backlog));
    return l;
}

Socket *sp_socket_listener(int32_t backlog)
{
    return sp_socket_listener_on(AddressFamily_InterNetwork, IPAddress_Loopback, false, backlog);
}

void sp_socket_pair(Socket **client, Socket **server)
{
    Socket *l = sp_socket_listener(-1);
    Socket *c = Socket_new(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    assert_non_null(c);
    assert_true(Socket_Connect(c, IPAddress_Loopback, sp_socket_port(l)));
    Socket *a = Socket_Accept(l);
    assert_non_null(a);
    Dispose(l);
    *client = c;
    *server = a;
}

Socket *sp_socket_udp_bound(AddressFamily family, IPAddress *address)
{
    Socket *s = Socket_new(family, SocketType_Dgram, ProtocolType_Udp);
    assert_non_null(s);
    IPEndPoint *ep = IPEndPoint_new(address, 0);
    assert_true(Socket_Bind(s, ep));
    Dispose(ep);
    return s;
}

void sp_expect_socket_error(SocketError expected, const char *what)
{
    const Exception *e = Exception_get_Current();
    if (!e || Exception_get_Type(e) != ExceptionType_SocketException)
        fail_msg("%s: expected SocketException %d, got %s \"%s\"", what, (int)expected,
                 e ? sp_exc_name(Exception_get_Type(e)) : "no exception", e ? Exception_get_Message(e) : "");
    if (SocketException_get_SocketErrorCode(e) != (int32_t)expected)
        fail_msg("%s: SocketErrorCode %d, expected %d (\"%s\")", what, (int)SocketException_get_SocketErrorCode(e),
                 (int)expected, Exception_get_Message(e));
}
