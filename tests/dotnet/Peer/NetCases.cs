// The .NET end of the System.Net interop lane (tests/interop/net_interop.c is the C end; run by
// tests/interop/run_net_interop.cmake):
//
//   net-ipaddress DIR : for every line of DIR/net-inputs.txt (a string, UTF-8, hex-encoded), what
//                       .NET's IPAddress.TryParse and IPEndPoint.TryParse give, into
//                       DIR/net-dotnet.txt, one line each:
//                         <hex input> <address: "-" or family/ToString/scope/bytes> <endpoint: "-" or ToString>
//                         <IPAddress.IsValid: 1 or 0>
//   net-dns DIR       : for each name of DIR/dns-inputs.txt (hex), Dns.GetHostAddresses and
//                       Dns.GetHostEntry, into DIR/dns-dotnet.txt, two lines each:
//                         A <hex name> ok <hex of the addresses' ToString, comma-separated>
//                         A <hex name> err <SocketErrorCode> <NativeErrorCode> <hex Message>
//                         E <hex name> ok <hex HostName> <hex addresses>   (or err as above)
//                       with ToString hex-encoded too (so spaces and '%' survive).
using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SharpIpc.Peer;

internal static class NetCases
{
    private static string Hex(string s) => Convert.ToHexString(Encoding.UTF8.GetBytes(s));

    public static int IPAddressTable(string dir)
    {
        string[] inputs = File.ReadAllLines(Path.Combine(dir, "net-inputs.txt"));
        var output = new StringBuilder();
        foreach (string line in inputs)
        {
            if (line.Length == 0)
                continue;
            string input = Encoding.UTF8.GetString(Convert.FromHexString(line == "-" ? "" : line));
            output.Append(line).Append(' ');
            if (IPAddress.TryParse(input, out IPAddress? address))
            {
                string scope = address.AddressFamily == AddressFamily.InterNetworkV6
                    ? address.ScopeId.ToString(CultureInfo.InvariantCulture) : "0";
                output.Append(((int)address.AddressFamily).ToString(CultureInfo.InvariantCulture)).Append('/')
                      .Append(Hex(address.ToString())).Append('/').Append(scope).Append('/')
                      .Append(Convert.ToHexString(address.GetAddressBytes()));
            }
            else
            {
                output.Append('-');
            }
            output.Append(' ');
            output.Append(IPEndPoint.TryParse(input, out IPEndPoint? endPoint) ? Hex(endPoint.ToString()) : "-");
            output.Append(' ').Append(IPAddress.IsValid(input) ? '1' : '0');
            output.Append('\n');
        }
        File.WriteAllText(Path.Combine(dir, "net-dotnet.txt"), output.ToString());
        Console.WriteLine($"net-ipaddress: {inputs.Length} strings");
        return 0;
    }

    private static string Err(Exception e) => e is SocketException se
        ? $"err {(int)se.SocketErrorCode} {se.NativeErrorCode} {Hex(se.Message)}"
        : $"err {e.GetType().Name} 0 {Hex(e.Message)}";

    private static string List(IPAddress[] list)
    {
        string joined = string.Join(",", Array.ConvertAll(list, a => a.ToString()));
        return joined.Length == 0 ? "-" : Hex(joined);
    }

    public static int Dns(string dir)
    {
        var output = new StringBuilder();
        foreach (string line in File.ReadAllLines(Path.Combine(dir, "dns-inputs.txt")))
        {
            if (line.Length == 0)
                continue;
            string name = Encoding.UTF8.GetString(Convert.FromHexString(line == "-" ? "" : line));
            string a, e;
            try { a = "ok " + List(System.Net.Dns.GetHostAddresses(name)); }
            catch (Exception ex) { a = Err(ex); }
            try
            {
                IPHostEntry entry = System.Net.Dns.GetHostEntry(name);
                e = $"ok {Hex(entry.HostName)} {List(entry.AddressList)}";
            }
            catch (Exception ex) { e = Err(ex); }
            output.Append("A ").Append(line).Append(' ').Append(a).Append('\n');
            output.Append("E ").Append(line).Append(' ').Append(e).Append('\n');
        }
        File.WriteAllText(Path.Combine(dir, "dns-dotnet.txt"), output.ToString());
        return 0;
    }
}
