/*
 * TCP between C and a real .NET process, in both roles, through NetworkStream and the System.IO
 * adapters (run_socket_interop.cmake runs each side beside the other; under wine C talks to .NET
 * on Linux over the shared loopback):
 *   socket_interop server DIR FAMILY   a C TcpListener; its port goes to DIR/cport
 *   socket_interop client DIR FAMILY   connects to the .NET server whose port is in DIR/netport
 *   socket_interop udp DIR FAMILY      datagrams to the .NET peer (DIR/netport) and back, each
 *                                      reply's sender checked against the peer's endpoint
 *   socket_interop udpclient[-echo] DIR FAMILY  a C UdpClient sending to (answering) the .NET
 *                                      peer's UdpClient, every sender checked
 * FAMILY: v4, v6, or dual (a dual-mode listener with an IPv4 client). The protocol is
 * SocketCases.cs's. Exits 0 when the exchange was right.
 */
#include <sharpipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "sp_process.h"

#define RECORDS 5000
#define DOTNET_SERVER_LINE "Hello from the .NET server! 안녕하세요 👋🌍"
#define DOTNET_CLIENT_LINE "Hello from the .NET client! 안녕하세요 👋🌍"
#define C_SERVER_LINE "Hello from the C server! 안녕하세요 👋🌍"
#define C_CLIENT_LINE "Hello from the C client! 안녕하세요 👋🌍"

static int failed(const char *what)
{
    interop_fail("socket interop", what);
    return 1;
}

/* The C side's port in dir/cport; the .NET side's, waited for, in dir/netport. */
static void publish(const char *dir, int32_t port)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/cport", dir);
    sp_port_file_write(path, port);
}

static int32_t wait_for_port(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/netport", dir);
    return sp_port_file_wait(path);
}

/* The exchange on a connected stream, as the server (true) or the client. */
static int exchange(NetworkStream *stream, bool server)
{
    StreamWriter *writer = StreamWriter_new(stream, NULL, -1, true);
    StreamWriter_set_AutoFlush(writer, true);
    int rc = 0;
    if (server) {
        if (!StreamWriter_WriteLine(writer, C_SERVER_LINE))
            rc = failed("the server's line");
        StreamReader *reader = StreamReader_new(stream, NULL, true, -1, true);
        char *line = rc ? NULL : StreamReader_ReadLine(reader);
        if (!rc && (!line || strcmp(line, DOTNET_CLIENT_LINE) != 0))
            rc = failed("the client's line");
        String_Free(line);
        Dispose(reader);
        if (!rc && !interop_write_records((Stream *)stream, RECORDS))
            rc = failed("sending records");
        if (!rc && !interop_read_records((Stream *)stream, RECORDS))
            rc = failed("records back");
        if (!rc && !StreamWriter_WriteLine(writer, "OK"))
            rc = failed("the closing OK");
    } else {
        StreamReader *reader = StreamReader_new(stream, NULL, true, -1, true);
        char *line = StreamReader_ReadLine(reader);
        if (!line || strcmp(line, DOTNET_SERVER_LINE) != 0)
            rc = failed("the server's line");
        String_Free(line);
        Dispose(reader);
        if (!rc && !StreamWriter_WriteLine(writer, C_CLIENT_LINE))
            rc = failed("the client's line");
        if (!rc && !interop_read_records((Stream *)stream, RECORDS))
            rc = failed("records");
        if (!rc && !interop_write_records((Stream *)stream, RECORDS))
            rc = failed("sending records back");
        StreamReader *closing = StreamReader_new(stream, NULL, true, -1, true);
        line = rc ? NULL : StreamReader_ReadLine(closing);
        if (!rc && (!line || strcmp(line, "OK") != 0))
            rc = failed("the closing OK");
        String_Free(line);
        Dispose(closing);
    }
    Dispose(writer);
    return rc;
}

static int c_server(const char *dir, const char *family)
{
    TcpListener *l = !strcmp(family, "dual") ? TcpListener_Create(0)
                     : !strcmp(family, "v6") ? TcpListener_new(IPAddress_IPv6Loopback, 0)
                                             : TcpListener_new(IPAddress_Loopback, 0);
    if (!l || !TcpListener_Start(l))
        return failed("listen");
    publish(dir, IPEndPoint_get_Port((IPEndPoint *)TcpListener_get_LocalEndpoint(l)));
    TcpClient *client = TcpListener_AcceptTcpClient(l);
    if (!client)
        return failed("accept");
    TcpListener_Stop(l);
    int rc = 0;
    if (!strcmp(family, "dual")) {
        EndPoint *remote = Socket_get_RemoteEndPoint(TcpClient_get_Client(client));
        if (!remote || !IPAddress_get_IsIPv4MappedToIPv6(IPEndPoint_get_Address((IPEndPoint *)remote)))
            rc = failed("a dual-mode listener's peer is an IPv4-mapped address");
        Dispose(remote);
    }
    NetworkStream *stream = TcpClient_GetStream(client);
    if (!stream)
        return failed("GetStream");
    if (!rc)
        rc = exchange(stream, true);
    Dispose(stream);
    Dispose(client);
    Dispose(l);
    if (!rc)
        printf("ok   C server (%s), .NET client: line, %d records each way, OK\n", family, RECORDS);
    return rc;
}

static int c_client(const char *dir, const char *family)
{
    int32_t port = wait_for_port(dir);
    if (port < 0)
        return failed("the .NET server's port");
    bool v6 = !strcmp(family, "v6");
    Socket *s =
        Socket_new(v6 ? AddressFamily_InterNetworkV6 : AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    if (!s || !Socket_Connect(s, v6 ? IPAddress_IPv6Loopback : IPAddress_Loopback, port))
        return failed("connect");
    NetworkStream *stream = NetworkStream_new(s, true);
    if (!stream)
        return failed("NetworkStream");
    int rc = exchange(stream, false);
    Dispose(stream);
    Dispose(s);
    if (!rc)
        printf("ok   .NET server (%s), C client: line, %d records each way, OK\n", family, RECORDS);
    return rc;
}

#define DATAGRAMS 200

static int c_udp(const char *dir, const char *family)
{
    bool v6 = !strcmp(family, "v6");
    IPAddress *loopback = v6 ? IPAddress_IPv6Loopback : IPAddress_Loopback;
    Socket *s =
        Socket_new(v6 ? AddressFamily_InterNetworkV6 : AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
    IPEndPoint *local = IPEndPoint_new(loopback, 0);
    if (!s || !Socket_Bind(s, local))
        return failed("bind");
    Dispose(local);
    EndPoint *bound = Socket_get_LocalEndPoint(s);
    publish(dir, IPEndPoint_get_Port((IPEndPoint *)bound));
    Dispose(bound);
    int32_t port = wait_for_port(dir);
    if (port < 0)
        return failed("the .NET peer's port");
    IPEndPoint *peer = IPEndPoint_new(loopback, port);
    Socket_set_ReceiveTimeout(s, 10000);
    uint8_t out[1000], in[2048];
    EndPoint *from = NULL;
    int rc = 0;
    for (int i = 0; i < DATAGRAMS && !rc; i++) {
        int32_t n = 1 + i * 7 % 1000;
        for (int32_t k = 0; k < n; k++)
            out[k] = (uint8_t)(k == 0 ? i : k * 13 + i);
        if (Socket_SendTo(s, out, n, peer) != n)
            rc = failed("SendTo");
        else if (Socket_ReceiveFrom(s, in, sizeof in, &from) != n)
            rc = failed("ReceiveFrom");
        else if (!IPEndPoint_Equals((IPEndPoint *)from, peer))
            rc = failed("the reply's sender is the .NET socket");
        for (int32_t k = 0; !rc && k < n; k++)
            if (in[k] != out[n - 1 - k])
                rc = failed("the reply's bytes");
    }
    Dispose(from);
    Dispose(peer);
    Dispose(s);
    if (!rc)
        printf("ok   C and .NET over UDP (%s): %d datagrams each way, senders checked\n", family, DATAGRAMS);
    return rc;
}

/* UdpClient against the .NET peer's UdpClient (UdpClientCases.cs), both ways:
 *   udpclient       C sends each datagram and checks the reversed answer and its sender
 *   udpclient-echo  C answers the .NET client's datagrams reversed, each sender checked */
static int c_udpclient(const char *dir, const char *family, bool echo)
{
    IPAddress *loopback = !strcmp(family, "v6") ? IPAddress_IPv6Loopback : IPAddress_Loopback;
    IPEndPoint *local = IPEndPoint_new(loopback, 0);
    UdpClient *c = UdpClient_new(local);
    Dispose(local);
    if (!c)
        return failed("new UdpClient(localEP)");
    EndPoint *bound = Socket_get_LocalEndPoint(UdpClient_get_Client(c));
    publish(dir, IPEndPoint_get_Port((IPEndPoint *)bound));
    Dispose(bound);
    int32_t port = wait_for_port(dir);
    if (port < 0)
        return failed("the .NET UdpClient's port");
    IPEndPoint *peer = IPEndPoint_new(loopback, port);
    Socket_set_ReceiveTimeout(UdpClient_get_Client(c), 10000);
    uint8_t out[1000];
    IPEndPoint *from = NULL;
    int rc = 0;
    for (int i = 0; i < DATAGRAMS && !rc; i++) {
        int32_t n = 1 + i * 7 % 1000, length = 0;
        for (int32_t k = 0; k < n; k++)
            out[k] = (uint8_t)(k == 0 ? i : k * 13 + i);
        if (!echo && UdpClient_Send(c, out, n, peer) != n) {
            rc = failed("UdpClient.Send(dgram, bytes, endPoint)");
            break;
        }
        uint8_t *in = UdpClient_Receive(c, &from, &length);
        if (!in)
            rc = failed("UdpClient.Receive");
        else if (!IPEndPoint_Equals(from, peer))
            rc = failed("the datagram's sender is the .NET UdpClient");
        else if (length != n)
            rc = failed("the datagram's length");
        for (int32_t k = 0; !rc && k < n; k++)
            if (in[k] != (echo ? out[k] : out[n - 1 - k]))
                rc = failed("the datagram's bytes");
        if (!rc && echo) {
            for (int32_t k = 0; k < n; k++)
                out[k] = in[n - 1 - k];
            if (UdpClient_Send(c, out, n, from) != n)
                rc = failed("UdpClient.Send back");
        }
        Array_Free(in);
    }
    Dispose(from);
    Dispose(peer);
    Dispose(c);
    if (!rc)
        printf("ok   C UdpClient %s .NET UdpClient (%s): %d datagrams each way, senders checked\n",
               echo ? "answering" : "sending to", family, DATAGRAMS);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: socket_interop server|client|udp|udpclient|udpclient-echo DIR v4|v6|dual\n");
        return 2;
    }
    int rc = !strcmp(argv[1], "server")          ? c_server(argv[2], argv[3])
             : !strcmp(argv[1], "udp")           ? c_udp(argv[2], argv[3])
             : !strncmp(argv[1], "udpclient", 9) ? c_udpclient(argv[2], argv[3], !strcmp(argv[1], "udpclient-echo"))
                                                 : c_client(argv[2], argv[3]);
    fflush(stdout);
    return rc;
}
