// The .NET end of the memory-mapped-file interop lane (tests/interop/mmf_interop.c is the C end,
// which starts these subcommands itself). .NET on Linux has no named maps, so it meets sharpipc's
// named maps where they live, /dev/shm/<name>, through CreateFromFile (docs/interop.md).
//
//   mmf-file-write PATH      : a new file map of FileCapacity bytes; RecordCount BinaryWriter records (Records.cs)
//                              through a view stream
//   mmf-file-read PATH       : C holds PATH mapped; read its records, answer at ReplyOffset
//   mmf-shm-read NAME        : C holds the named map NAME (the seed's); read SeedText, answer
//   mmf-shm-create NAME READY: .NET creates /dev/shm/NAME itself, writes SeedText, touches READY,
//                              waits for C's answer, then deletes the file
//   mmf-layout-write DIR     : DIR/layout.ops (the manifest) and DIR/layout.net.bin (an accessor's
//                              writes of every type into a file map)
//   mmf-layout-verify DIR    : DIR/layout.c.bin (C's accessor writes) read back through .NET's
//                              accessor, and byte-compared with layout.net.bin
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace SharpIpc.Peer;

internal static class MmfCases
{
    public const long FileCapacity = 1 << 17;
    public const int RecordCount = 1000;
    public const long ReplyOffset = 100_000;
    public const string SeedText = "Hello, shared memory!";
    public const int ShmCapacity = 10000;
    public const long ShmReplyOffset = 5000;
    public const long ShmFlagOffset = 9999;
    public const string DotnetReply = "Hello from .NET! 안녕하세요 👋🌍";
    public const string CReply = "Hello from C! 안녕하세요 👋🌍";
    public const long LayoutCapacity = 4096;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The struct of the layout cases: 3 bytes of padding after A, 6 after C (24 bytes),
    /// the C struct { uint8_t a; int32_t b; int16_t c; int64_t d; } on every x64 ABI.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Padded
    {
        public byte A;
        public int B;
        public short C;
        public long D;
    }

    // ------------------------------------------------------------------ file maps

    public static int FileWrite(string path)
    {
        using var mmf = MemoryMappedFile.CreateFromFile(path, FileMode.CreateNew, null, FileCapacity);
        using var stream = mmf.CreateViewStream();
        Records.Write(stream, RecordCount);
        Console.WriteLine($".NET: {RecordCount} records into a {FileCapacity}-byte file map");
        return 0;
    }

    public static int FileRead(string path)
    {
        using var mmf = MemoryMappedFile.CreateFromFile(path, FileMode.Open);
        using (var stream = mmf.CreateViewStream())
        {
            Records.Check(stream.Length == FileCapacity, $"view length {stream.Length}");
            Records.Read(stream, RecordCount);
        }
        using (var reply = mmf.CreateViewStream(ReplyOffset, 0))
        using (var w = new BinaryWriter(reply))
        {
            w.Write(DotnetReply);
            w.Write((long)RecordCount);
        }
        Console.WriteLine($".NET: read {RecordCount} records from C's live file map, answered");
        return 0;
    }

    // ------------------------------------------------------------------ sharpipc named maps

    private static string ShmPath(string name) => "/dev/shm/" + name;

    public static int ShmRead(string name)
    {
        using var mmf = MemoryMappedFile.CreateFromFile(ShmPath(name), FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        using (var stream = mmf.CreateViewStream())
        {
            Records.Check(stream.Length == ShmCapacity, $"length {stream.Length}");
            using var reader = new BinaryReader(stream);
            string text = reader.ReadString();
            Records.Check(text == SeedText, $"seed text '{text}'");
        }
        using (var reply = mmf.CreateViewStream(ShmReplyOffset, 0))
        using (var w = new BinaryWriter(reply))
            w.Write(DotnetReply);
        using (var flag = mmf.CreateViewAccessor())
        {
            flag.Write(ShmFlagOffset, (byte)1);
            flag.Flush();
        }
        Console.WriteLine($".NET: read the seed's map {ShmPath(name)} while C holds it, answered");
        return 0;
    }

    public static int ShmCreate(string name, string readyPath)
    {
        string path = ShmPath(name);
        try
        {
            using var mmf = MemoryMappedFile.CreateFromFile(path, FileMode.CreateNew, null, ShmCapacity);
            using (var stream = mmf.CreateViewStream())
            using (var w = new BinaryWriter(stream))
                w.Write(SeedText);
            using var flag = mmf.CreateViewAccessor();
            File.WriteAllText(readyPath, "ready\n"); // only now: the file is mapped and flock'ed
            var clock = Stopwatch.StartNew();
            while (flag.ReadByte(ShmFlagOffset) == 0)
            {
                if (clock.ElapsedMilliseconds > 30000)
                    throw new TimeoutException("C never answered");
                Thread.Sleep(5);
            }
            using var reply = mmf.CreateViewStream(ShmReplyOffset, 0);
            using var reader = new BinaryReader(reply);
            string text = reader.ReadString();
            Records.Check(text == CReply, $"C's answer '{text}'");
            Console.WriteLine($".NET: created {path}, C opened it by name and answered");
            return 0;
        }
        finally
        {
            File.Delete(path);
        }
    }

    // ------------------------------------------------------------------ accessor layouts

    /// <summary>One accessor write: a BinaryCases op (its value text is the binary lane's), or Struct.</summary>
    internal sealed record Slot(long Offset, BinaryCases.Op Op);

    private static BinaryCases.Op Op(string name, object value) => new(name, value);

    private static readonly Padded TheStruct = new() { A = 0xAB, B = -123456789, C = -2, D = long.MaxValue - 1 };

    /// <summary>Every type back to back from offset 1, so most values are unaligned.</summary>
    internal static List<Slot> Layout()
    {
        var ops = new List<BinaryCases.Op>
        {
            Op("Boolean", true), Op("Boolean", false),
            Op("Byte", (byte)0xFE), Op("SByte", sbyte.MinValue), Op("SByte", sbyte.MaxValue),
            Op("Char", 'A'), Op("Char", '\uD83D'), Op("Char", '\uFFFF'),
            Op("Int16", short.MinValue), Op("Int16", (short)12345), Op("UInt16", ushort.MaxValue),
            Op("Int32", int.MinValue), Op("Int32", -2), Op("UInt32", 0xDEADBEEFu),
            Op("Int64", long.MinValue), Op("Int64", 0x0123456789ABCDEFL), Op("UInt64", ulong.MaxValue),
            Op("Single", 3.14159f), Op("Single", BitConverter.UInt32BitsToSingle(0x7FC00001)),
            Op("Single", -0.0f), Op("Single", float.PositiveInfinity), Op("Single", float.Epsilon),
            Op("Double", Math.E), Op("Double", BitConverter.UInt64BitsToDouble(0x7FF8DEADBEEF0001)),
            Op("Double", -0.0), Op("Double", double.NegativeInfinity), Op("Double", double.NaN),
            Op("Decimal", decimal.MaxValue), Op("Decimal", decimal.MinValue), Op("Decimal", 1.00m),
            Op("Decimal", -0.0001m), Op("Decimal", new decimal(1, 0, 0, false, 28)),
            Op("Decimal", new decimal(-1, -1, -1, true, 28)), Op("Decimal", 0m),
            Op("Half", (Half)1.5), Op("Half", Half.NaN), Op("Half", Half.NegativeZero),
            Op("Half", Half.MaxValue), Op("Half", Half.Epsilon),
        };
        var slots = new List<Slot>();
        long at = 1;
        foreach (BinaryCases.Op op in ops)
        {
            slots.Add(new Slot(at, op));
            at += Size(op.Name);
        }
        slots.Add(new Slot(at, Op("Struct", TheStruct)));
        return slots;
    }

    private static int Size(string name) => name switch
    {
        "Boolean" or "Byte" or "SByte" => 1,
        "Char" or "Int16" or "UInt16" or "Half" => 2,
        "Int32" or "UInt32" or "Single" => 4,
        "Int64" or "UInt64" or "Double" => 8,
        "Decimal" => 16,
        "Struct" => Marshal.SizeOf<Padded>(),
        _ => throw new InvalidOperationException(name),
    };

    private static string Format(Slot s) => s.Op.Name == "Struct"
        ? $"{s.Offset} Struct {((Padded)s.Op.Value).A} {((Padded)s.Op.Value).B} {((Padded)s.Op.Value).C} {((Padded)s.Op.Value).D}"
        : $"{s.Offset} {s.Op.Name} {BinaryCases.Format(s.Op)}";

    private static void Write(MemoryMappedViewAccessor a, Slot s)
    {
        long p = s.Offset;
        switch (s.Op.Name)
        {
            case "Boolean": a.Write(p, (bool)s.Op.Value); break;
            case "Byte": a.Write(p, (byte)s.Op.Value); break;
            case "SByte": a.Write(p, (sbyte)s.Op.Value); break;
            case "Char": a.Write(p, (char)s.Op.Value); break;
            case "Int16": a.Write(p, (short)s.Op.Value); break;
            case "UInt16": a.Write(p, (ushort)s.Op.Value); break;
            case "Int32": a.Write(p, (int)s.Op.Value); break;
            case "UInt32": a.Write(p, (uint)s.Op.Value); break;
            case "Int64": a.Write(p, (long)s.Op.Value); break;
            case "UInt64": a.Write(p, (ulong)s.Op.Value); break;
            case "Single": a.Write(p, (float)s.Op.Value); break;
            case "Double": a.Write(p, (double)s.Op.Value); break;
            case "Decimal": a.Write(p, (decimal)s.Op.Value); break;
            case "Half": // UnmanagedMemoryAccessor has no Write(Half): Write<T> is what .NET offers
                Half h = (Half)s.Op.Value;
                a.Write(p, ref h);
                break;
            case "Struct":
                Padded v = (Padded)s.Op.Value;
                a.Write(p, ref v);
                break;
            default: throw new InvalidOperationException(s.Op.Name);
        }
    }

    /// <summary>What the accessor reads at the slot, in the manifest's text form (bits for floats,
    /// GetBits words for decimals), so NaN payloads, -0.0 and decimal scales all count.</summary>
    private static string ReadText(MemoryMappedViewAccessor a, Slot s)
    {
        long p = s.Offset;
        if (s.Op.Name == "Struct")
        {
            a.Read(p, out Padded v);
            return Format(s with { Op = Op("Struct", v) });
        }
        object value = s.Op.Name switch
        {
            "Boolean" => a.ReadBoolean(p),
            "Byte" => a.ReadByte(p),
            "SByte" => a.ReadSByte(p),
            "Char" => a.ReadChar(p),
            "Int16" => a.ReadInt16(p),
            "UInt16" => a.ReadUInt16(p),
            "Int32" => a.ReadInt32(p),
            "UInt32" => a.ReadUInt32(p),
            "Int64" => a.ReadInt64(p),
            "UInt64" => a.ReadUInt64(p),
            "Single" => a.ReadSingle(p),
            "Double" => a.ReadDouble(p),
            "Decimal" => a.ReadDecimal(p),
            "Half" => ReadHalf(a, p),
            _ => throw new InvalidOperationException(s.Op.Name),
        };
        return Format(s with { Op = Op(s.Op.Name, value) });
    }

    private static Half ReadHalf(MemoryMappedViewAccessor a, long p)
    {
        a.Read(p, out Half h); // UnmanagedMemoryAccessor has no ReadHalf; Read<T> is what .NET offers
        return h;
    }

    public static int LayoutWrite(string dir)
    {
        Directory.CreateDirectory(dir);
        List<Slot> slots = Layout();
        string bin = Path.Combine(dir, "layout.net.bin");
        File.Delete(bin);
        using (var mmf = MemoryMappedFile.CreateFromFile(bin, FileMode.CreateNew, null, LayoutCapacity))
        using (var a = mmf.CreateViewAccessor())
        {
            foreach (Slot s in slots)
                Write(a, s);
            // .NET reads its own writes back to the manifest's text
            foreach (Slot s in slots)
                Records.Check(ReadText(a, s) == Format(s), $"self-check {Format(s)}");
            a.Flush();
        }
        Manifest.WriteText(Path.Combine(dir, "layout.ops"), slots.Select(Format));
        Console.WriteLine($".NET: {slots.Count} accessor values written to {bin}");
        return 0;
    }

    public static int LayoutVerify(string dir)
    {
        var tally = new Manifest.Tally();
        List<Slot> slots = Layout();
        string cbin = Path.Combine(dir, "layout.c.bin");
        using (var mmf = MemoryMappedFile.CreateFromFile(cbin, FileMode.Open, null, 0, MemoryMappedFileAccess.Read))
        using (var a = mmf.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read))
        {
            foreach (Slot s in slots)
            {
                var errors = new List<string>();
                string got;
                try
                {
                    got = ReadText(a, s);
                }
                catch (Exception e)
                {
                    got = $"{e.GetType().Name}: {e.Message}";
                }
                if (got != Format(s))
                    errors.Add($"read {got}");
                tally.Record($"layout-read {Format(s)}", errors);
            }
        }
        byte[] net = File.ReadAllBytes(Path.Combine(dir, "layout.net.bin"));
        byte[] c = File.ReadAllBytes(cbin);
        tally.Record("layout-bytes", net.AsSpan().SequenceEqual(c) ? Array.Empty<string>() : new[] { Manifest.DescribeDifference(net, c) });
        return tally.Finish();
    }
}
