// The .NET end of the System.Net interop lane (tests/interop/net_interop.c is the C end; run by
// tests/interop/run_net_interop.cmake):
//
//   net-ipaddress DIR : for every line of DIR/net-inputs.txt (a string, UTF-8, hex-encoded), what
//                       .NET's IPAddress.TryParse and IPEndPoint.TryParse give, into
//                       DIR/net-dotnet.txt, one line each:
//                         <hex input> <address: "-" or family/ToString/scope/bytes> <endpoint: "-" or ToString>
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
            output.Append('\n');
        }
        File.WriteAllText(Path.Combine(dir, "net-dotnet.txt"), output.ToString());
        Console.WriteLine($"net-ipaddress: {inputs.Length} strings");
        return 0;
    }
}
