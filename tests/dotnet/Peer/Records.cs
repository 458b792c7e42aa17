// The BinaryWriter records the pipe and map lanes exchange with C (tests/interop/records.c):
// record i is Int32 i, a string (Korean and emoji on every seventh), Double i/2, Decimal i/100.
using System.IO;
using System.Text;

namespace SharpIpc.Peer;

internal static class Records
{
    private static string Text(int i) => i % 7 == 0 ? $"record {i} 안녕 👋" : $"record {i}";

    public static void Write(Stream s, int count)
    {
        using var w = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);
        for (int i = 0; i < count; i++)
        {
            w.Write(i);
            w.Write(Text(i));
            w.Write(i * 0.5);
            w.Write((decimal)i / 100);
        }
    }

    public static void Read(Stream s, int count)
    {
        using var r = new BinaryReader(s, Encoding.UTF8, leaveOpen: true);
        for (int i = 0; i < count; i++)
        {
            Check(r.ReadInt32() == i, $"record {i}: int");
            Check(r.ReadString() == Text(i), $"record {i}: string");
            Check(r.ReadDouble() == i * 0.5, $"record {i}: double");
            Check(r.ReadDecimal() == (decimal)i / 100, $"record {i}: decimal");
        }
    }

    public static void Check(bool ok, string what)
    {
        if (!ok)
            throw new InvalidDataException($"mismatch: {what}");
    }
}
