// BinaryWriter / BinaryReader interop cases (DOTNET_COMPAT.md 5.1, 5.2, 7.4).
//
// binary-write DIR : <case>.bin = what .NET's BinaryWriter wrote, <case>.ops = the manifest, index.txt
// binary-verify DIR: <case>.c.bin (written by C) must equal .NET's bytes and read back through .NET's
//                    BinaryReader to the manifest's values, then one more read must hit end of stream.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace SharpIpc.Peer;

internal static class BinaryCases
{
    /// <summary>One BinaryWriter call. Op is the manifest's name; Value has the .NET type of the
    /// Write overload (bool, byte, ..., string, char[], byte[]; int/long for the 7-bit ops).</summary>
    internal sealed record Op(string Name, object Value);

    internal sealed record Case(string Name, string Encoding, IReadOnlyList<Op> Ops);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // ------------------------------------------------------------------ the cases

    private static Op Bool(bool v) => new("Boolean", v);
    private static Op U8(byte v) => new("Byte", v);
    private static Op I8(sbyte v) => new("SByte", v);
    private static Op I16(short v) => new("Int16", v);
    private static Op U16(ushort v) => new("UInt16", v);
    private static Op I32(int v) => new("Int32", v);
    private static Op U32(uint v) => new("UInt32", v);
    private static Op I64(long v) => new("Int64", v);
    private static Op U64(ulong v) => new("UInt64", v);
    private static Op F32(float v) => new("Single", v);
    private static Op F32Bits(uint bits) => new("Single", BitConverter.UInt32BitsToSingle(bits));
    private static Op F64(double v) => new("Double", v);
    private static Op F64Bits(ulong bits) => new("Double", BitConverter.UInt64BitsToDouble(bits));
    private static Op F16(Half v) => new("Half", v);
    private static Op Dec(decimal v) => new("Decimal", v);
    private static Op Ch(char v) => new("Char", v);
    private static Op Str(string v) => new("String", v);
    private static Op Chars(string v) => new("Chars", v.ToCharArray());
    private static Op Bytes(byte[] v) => new("Bytes", v);
    private static Op Seven(int v) => new("7BitInt", v);
    private static Op Seven64(long v) => new("7BitInt64", v);

    /// <summary>A string whose UTF-8 form is exactly byteCount bytes; with multibyte, it cycles through
    /// 1- to 4-byte characters so that ReadString's 128-byte chunks split characters.</summary>
    internal static string Utf8OfLength(int byteCount, bool multibyte)
    {
        string[] pieces = multibyte
            ? new[] { "x", "é", "한", "😀", "0", "ß", "€", "🎉", " ", "Ω", "가", "\u2701" }
            : new[] { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", " " };
        var sb = new StringBuilder();
        int bytes = 0, k = 0;
        while (bytes < byteCount)
        {
            string p = pieces[k++ % pieces.Length];
            int n = Encoding.UTF8.GetByteCount(p);
            if (bytes + n > byteCount)
            {
                p = "a";
                n = 1;
            }
            sb.Append(p);
            bytes += n;
        }
        string s = sb.ToString();
        if (Encoding.UTF8.GetByteCount(s) != byteCount)
            throw new InvalidOperationException("Utf8OfLength");
        return s;
    }

    private static byte[] PseudoRandomBytes(int count, uint seed)
    {
        var b = new byte[count];
        uint x = seed;
        for (int i = 0; i < count; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            b[i] = (byte)x;
        }
        return b;
    }

    private const string ControlString = "\t\t\n\n\n\0\r\r\v\v\t\0\rHello";

    private static IEnumerable<(string Area, Op[] Ops)> Areas()
    {
        yield return ("booleans", new[] { Bool(true), Bool(false), Bool(true), Bool(true), Bool(false), Bool(false), Bool(true) });

        yield return ("bytes-sbytes", new[]
        {
            U8(0), U8(1), U8(0x7F), U8(0x80), U8(0xFE), U8(byte.MaxValue),
            I8(sbyte.MinValue), I8(-127), I8(-1), I8(0), I8(1), I8(sbyte.MaxValue),
        });

        yield return ("int16-uint16", new[]
        {
            I16(short.MinValue), I16(-1), I16(0), I16(1), I16(0x1234), I16(short.MaxValue),
            U16(ushort.MinValue), U16(1), U16(0x7FFF), U16(0x8000), U16(0xABCD), U16(ushort.MaxValue),
        });

        yield return ("int32-uint32", new[]
        {
            I32(int.MinValue), I32(-1), I32(0), I32(1), I32(0x12345678), I32(int.MaxValue), I32(-10000),
            U32(uint.MinValue), U32(1), U32(0x7FFFFFFF), U32(0x80000000), U32(0xDEADBEEF), U32(uint.MaxValue),
        });

        yield return ("int64-uint64", new[]
        {
            I64(long.MinValue), I64(-1), I64(0), I64(1), I64(0x123456789ABCDEF0), I64(long.MaxValue), I64(int.MinValue), I64(int.MaxValue),
            U64(ulong.MinValue), U64(1), U64(0x7FFFFFFFFFFFFFFF), U64(0x8000000000000000), U64(0xFEDCBA9876543210), U64(ulong.MaxValue),
        });

        yield return ("singles", new[]
        {
            F32(float.MinValue), F32(float.MaxValue), F32(float.Epsilon), F32(float.PositiveInfinity),
            F32(float.NegativeInfinity), F32(float.NaN), F32(0f), F32(-0.0f), F32(-1e20f), F32(1f), F32(0.1f),
            F32(3.14159274f), F32Bits(0x007FFFFF) /* largest subnormal */, F32Bits(0x7FC00000) /* +qNaN */,
            F32Bits(0x7FC12345) /* qNaN with payload */, F32Bits(0x7F800001) /* sNaN: no float<->double trip */,
        });

        yield return ("doubles", new[]
        {
            F64(double.MinValue), F64(double.MaxValue), F64(double.Epsilon), F64(double.PositiveInfinity),
            F64(double.NegativeInfinity), F64(double.NaN), F64(0d), F64(-0.0d), F64(-1e20), F64(1d), F64(0.1),
            F64(Math.PI), F64(1e-300), F64Bits(0x000FFFFFFFFFFFFF), F64Bits(0x7FF8000000000000),
            F64Bits(0x7FF0000000000001) /* sNaN */,
        });

        yield return ("halves", new[]
        {
            F16(Half.PositiveInfinity), F16(Half.NegativeInfinity), F16(Half.Epsilon), F16(Half.MinValue),
            F16(Half.MaxValue), F16((Half)0.45f), F16((Half)5.55f), F16(Half.NaN), F16((Half)0f), F16(Half.NegativeZero),
            F16((Half)1f), F16((Half)(-2.5f)), F16(BitConverter.UInt16BitsToHalf(0x03FF)) /* largest subnormal */,
        });

        yield return ("decimals", new[]
        {
            Dec(1m), Dec(0m), Dec(-1m), Dec(decimal.MinValue), Dec(decimal.MaxValue), Dec(-1000.5m), Dec(3.4E-28m),
            Dec(0.0000000000000000000000000000m), Dec(0.00m), Dec(1.000m), Dec(0.1m), Dec(123456789.123456789m),
            Dec(-7.9228162514264337593543950335m), Dec(new decimal(0, 0, 0, true, 0)) /* negative zero */,
            Dec(new decimal(1, 2, 3, false, 28)), Dec(decimal.MinusOne / 3m),
        });

        yield return ("7bit-int32", new[]
        {
            Seven(int.MinValue), Seven(int.MaxValue), Seven(0), Seven(10000), Seven(-10000), Seven(50), Seven(-50),
            Seven(unchecked((int)uint.MaxValue)), Seven(unchecked((int)(uint.MaxValue - 100))), Seven(127), Seven(128),
            Seven(16383), Seven(16384), Seven(300), Seven(2097151), Seven(2097152), Seven(268435455), Seven(268435456),
        });

        yield return ("7bit-int64", new[]
        {
            Seven64(long.MinValue), Seven64(long.MaxValue), Seven64(0), Seven64(10000), Seven64(-10000), Seven64(50),
            Seven64(-50), Seven64(unchecked((long)ulong.MaxValue)), Seven64(unchecked((long)(ulong.MaxValue - 100))),
            Seven64(127), Seven64(128), Seven64(16383), Seven64(16384), Seven64(int.MinValue), Seven64(int.MaxValue),
            Seven64(uint.MaxValue), Seven64(0x00FFFFFFFFFFFFFF), Seven64(0x0100000000000000),
        });

        yield return ("chars", new[]
        {
            Ch('A'), Ch('c'), Ch('\0'), Ch('\u2701'), Ch('$'), Ch('.'), Ch('1'), Ch('l'), Ch('\u00FF'), Ch('\n'),
            Ch('\t'), Ch('\v'), Ch('\u007F'), Ch('\u0080'), Ch('\u07FF'), Ch('\u0800'), Ch('한'), Ch('\uE000'),
            Ch('\uFFFD'), Ch('\uFFFF'),
        });

        yield return ("char-arrays", new[]
        {
            Chars("\uD83D\uDE00"), Chars("a\U0001F600b한"), Chars(""), Chars("héllo"), Chars("ab\U0001F389"),
            Chars("\0\r\n"),
        });

        yield return ("byte-arrays", new[]
        {
            Bytes(Array.Empty<byte>()), Bytes(new byte[] { 0 }), Bytes(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray()),
            Bytes(PseudoRandomBytes(1000, 0x2545F491)), Bytes(new byte[] { 0xFF, 0xFE, 0x00, 0x00 }),
        });

        yield return ("strings", new[]
        {
            Str(""), Str(" "), Str("   "), Str(ControlString), Str("Hello, World"), Str("héllo"),
            Str("안녕하세요, 세계"), Str("😀👍🏽 👨‍👩‍👧 \U0001F389"), Str("a\0b"), Str("\uFFFD\uFEFF"), Str(""),
        });

        yield return ("strings-long", new[]
        {
            Str(Utf8OfLength(127, false)), Str(Utf8OfLength(128, false)), Str(Utf8OfLength(129, false)),
            Str(Utf8OfLength(127, true)), Str(Utf8OfLength(128, true)), Str(Utf8OfLength(300, true)),
            Str(Utf8OfLength(16383, false)), Str(Utf8OfLength(16384, true)),
        });

        yield return ("mixed", new[]
        {
            Bool(true), U8(0xAB), I8(-2), I16(-300), U16(60000), I32(-123456789), U32(4000000000), I64(-1234567890123456789),
            U64(18000000000000000000), F32(1.5f), F64(-2.25), F16((Half)0.5f), Dec(-1000.5m), Ch('é'), Str("héllo"),
            Chars("x😀"), Bytes(new byte[] { 1, 2, 3 }), Seven(-1), Seven64(-1), Str(ControlString), Bool(false),
        });
    }

    internal static IReadOnlyList<Case> All()
    {
        var cases = new List<Case>();
        foreach ((string area, Op[] ops) in Areas())
        {
            cases.Add(new Case($"{area}-utf8", "utf-8", ops));
            cases.Add(new Case($"{area}-utf16", "utf-16", ops));
        }
        Op[] strings = Areas().Where(a => a.Area is "strings" or "strings-long").SelectMany(a => a.Ops).ToArray();
        cases.Add(new Case("strings-utf16be", "utf-16BE", strings));
        cases.Add(new Case("strings-utf32", "utf-32", strings));
        cases.Add(new Case("mixed-default", "default", Areas().Single(a => a.Area == "mixed").Ops));
        cases.Add(new Case("string-1mib-utf8", "utf-8", new[] { Str(Utf8OfLength(1 << 20, true)), I32(0x1D1D1D1D) }));
        cases.Add(new Case("string-1mib-utf16", "utf-16", new[] { Str(Utf8OfLength(1 << 20, false)) }));
        Manifest.CheckNames(cases.Select(c => c.Name));
        return cases;
    }

    // ------------------------------------------------------------------ manifest text

    internal static string Format(Op op) => op.Name switch
    {
        "Boolean" => (bool)op.Value ? "1" : "0",
        "Byte" => ((byte)op.Value).ToString(Inv),
        "SByte" => ((sbyte)op.Value).ToString(Inv),
        "Int16" => ((short)op.Value).ToString(Inv),
        "UInt16" => ((ushort)op.Value).ToString(Inv),
        "Int32" => ((int)op.Value).ToString(Inv),
        "UInt32" => ((uint)op.Value).ToString(Inv),
        "Int64" => ((long)op.Value).ToString(Inv),
        "UInt64" => ((ulong)op.Value).ToString(Inv),
        "Single" => BitConverter.SingleToUInt32Bits((float)op.Value).ToString("x8", Inv),
        "Double" => BitConverter.DoubleToUInt64Bits((double)op.Value).ToString("x16", Inv),
        "Half" => BitConverter.HalfToUInt16Bits((Half)op.Value).ToString("x4", Inv),
        "Decimal" => string.Join(' ', decimal.GetBits((decimal)op.Value).Select(i => unchecked((uint)i).ToString("x8", Inv))),
        "Char" => ((ushort)(char)op.Value).ToString("x4", Inv),
        "String" => Manifest.HexUtf8((string)op.Value),
        "Chars" => Manifest.HexUnits((char[])op.Value),
        "Bytes" => Manifest.Hex((byte[])op.Value),
        "7BitInt" => ((int)op.Value).ToString(Inv),
        "7BitInt64" => ((long)op.Value).ToString(Inv),
        _ => throw new InvalidOperationException($"unknown op {op.Name}"),
    };

    internal static Op Parse(string line)
    {
        (string name, string v) = Manifest.SplitOp(line);
        object value = name switch
        {
            "Boolean" => v switch { "1" => true, "0" => false, _ => throw new FormatException($"Boolean '{v}'") },
            "Byte" => byte.Parse(v, Inv),
            "SByte" => sbyte.Parse(v, Inv),
            "Int16" => short.Parse(v, Inv),
            "UInt16" => ushort.Parse(v, Inv),
            "Int32" => int.Parse(v, Inv),
            "UInt32" => uint.Parse(v, Inv),
            "Int64" => long.Parse(v, Inv),
            "UInt64" => ulong.Parse(v, Inv),
            "Single" => BitConverter.UInt32BitsToSingle(Convert.ToUInt32(Exact(v, 8), 16)),
            "Double" => BitConverter.UInt64BitsToDouble(Convert.ToUInt64(Exact(v, 16), 16)),
            "Half" => BitConverter.UInt16BitsToHalf(Convert.ToUInt16(Exact(v, 4), 16)),
            "Decimal" => new decimal(v.Split(' ').Select(p => unchecked((int)Convert.ToUInt32(Exact(p, 8), 16))).ToArray()),
            "Char" => (char)Convert.ToUInt16(Exact(v, 4), 16),
            "String" => Manifest.UnhexUtf8(v),
            "Chars" => Manifest.UnhexUnits(v),
            "Bytes" => Manifest.Unhex(v),
            "7BitInt" => int.Parse(v, Inv),
            "7BitInt64" => long.Parse(v, Inv),
            _ => throw new FormatException($"unknown op '{name}'"),
        };
        return new Op(name, value);
    }

    private static string Exact(string hex, int digits) =>
        hex.Length == digits ? hex : throw new FormatException($"'{hex}' is not {digits} hex digits");

    internal static List<string> ManifestLines(Case c)
    {
        var lines = new List<string> { $"encoding {c.Encoding}" };
        lines.AddRange(c.Ops.Select(op => $"{op.Name} {Format(op)}"));
        return lines;
    }

    internal static (string Encoding, List<Op> Ops) ParseManifest(IReadOnlyList<string> lines)
    {
        if (lines.Count == 0 || !lines[0].StartsWith("encoding ", StringComparison.Ordinal))
            throw new FormatException("manifest does not start with an encoding line");
        string enc = lines[0]["encoding ".Length..];
        Manifest.EncodingFromName(enc);
        return (enc, lines.Skip(1).Select(Parse).ToList());
    }

    // ------------------------------------------------------------------ running

    private static BinaryWriter NewWriter(Stream s, string encoding) =>
        Manifest.EncodingFromName(encoding) is Encoding e ? new BinaryWriter(s, e, leaveOpen: true) : new BinaryWriter(s);

    private static BinaryReader NewReader(Stream s, string encoding) =>
        Manifest.EncodingFromName(encoding) is Encoding e ? new BinaryReader(s, e, leaveOpen: true) : new BinaryReader(s);

    internal static byte[] Produce(string encoding, IEnumerable<Op> ops)
    {
        var ms = new MemoryStream();
        using (BinaryWriter w = NewWriter(ms, encoding))
        {
            foreach (Op op in ops)
                Write(w, op);
        }
        return ms.ToArray();
    }

    private static void Write(BinaryWriter w, Op op)
    {
        switch (op.Name)
        {
            case "Boolean": w.Write((bool)op.Value); break;
            case "Byte": w.Write((byte)op.Value); break;
            case "SByte": w.Write((sbyte)op.Value); break;
            case "Int16": w.Write((short)op.Value); break;
            case "UInt16": w.Write((ushort)op.Value); break;
            case "Int32": w.Write((int)op.Value); break;
            case "UInt32": w.Write((uint)op.Value); break;
            case "Int64": w.Write((long)op.Value); break;
            case "UInt64": w.Write((ulong)op.Value); break;
            case "Single": w.Write((float)op.Value); break;
            case "Double": w.Write((double)op.Value); break;
            case "Half": w.Write((Half)op.Value); break;
            case "Decimal": w.Write((decimal)op.Value); break;
            case "Char": w.Write((char)op.Value); break;
            case "String": w.Write((string)op.Value); break;
            case "Chars": w.Write((char[])op.Value); break;
            case "Bytes": w.Write((byte[])op.Value); break;
            case "7BitInt": w.Write7BitEncodedInt((int)op.Value); break;
            case "7BitInt64": w.Write7BitEncodedInt64((long)op.Value); break;
            default: throw new InvalidOperationException($"unknown op {op.Name}");
        }
    }

    /// <summary>Reads the value op describes (for Chars/Bytes: as many as it holds).</summary>
    private static object Read(BinaryReader r, Op op) => op.Name switch
    {
        "Boolean" => r.ReadBoolean(),
        "Byte" => r.ReadByte(),
        "SByte" => r.ReadSByte(),
        "Int16" => r.ReadInt16(),
        "UInt16" => r.ReadUInt16(),
        "Int32" => r.ReadInt32(),
        "UInt32" => r.ReadUInt32(),
        "Int64" => r.ReadInt64(),
        "UInt64" => r.ReadUInt64(),
        "Single" => r.ReadSingle(),
        "Double" => r.ReadDouble(),
        "Half" => r.ReadHalf(),
        "Decimal" => r.ReadDecimal(),
        "Char" => r.ReadChar(),
        "String" => r.ReadString(),
        "Chars" => r.ReadChars(((char[])op.Value).Length),
        "Bytes" => r.ReadBytes(((byte[])op.Value).Length),
        "7BitInt" => r.Read7BitEncodedInt(),
        "7BitInt64" => r.Read7BitEncodedInt64(),
        _ => throw new InvalidOperationException($"unknown op {op.Name}"),
    };

    private static string Short(string s) => s.Length <= 80 ? s : $"{s[..80]}...({s.Length} chars)";

    /// <summary>Reads bytes back following ops; the errors found (reading stops at the first).</summary>
    internal static List<string> ReadBack(byte[] bytes, string encoding, IReadOnlyList<Op> ops)
    {
        var errors = new List<string>();
        using var ms = new MemoryStream(bytes, writable: false);
        using BinaryReader r = NewReader(ms, encoding);
        for (int i = 0; i < ops.Count; i++)
        {
            Op op = ops[i];
            long at = ms.Position;
            try
            {
                string expected = Format(op);
                string got = Format(op with { Value = Read(r, op) });
                if (got != expected)
                {
                    errors.Add($"op {i + 1} ({op.Name}) at offset {at}: expected {Short(expected)}, got {Short(got)}");
                    return errors;
                }
            }
            catch (Exception e)
            {
                errors.Add($"op {i + 1} ({op.Name}) at offset {at}: {e.GetType().Name}: {e.Message}");
                return errors;
            }
        }
        // One more read must hit the end: the same read as the last op, or ReadByte after
        // Chars/Bytes (those return short arrays at end of stream instead of throwing).
        Op last = ops[^1];
        Op probe = last.Name is "Chars" or "Bytes" ? U8(0) : last;
        try
        {
            object extra = Read(r, probe);
            errors.Add($"extra Read{probe.Name} after the last op gave {Short(Format(probe with { Value = extra }))}, not EndOfStreamException");
        }
        catch (EndOfStreamException)
        {
        }
        catch (Exception e)
        {
            errors.Add($"extra Read{probe.Name} after the last op threw {e.GetType().Name}, not EndOfStreamException");
        }
        return errors;
    }

    // ------------------------------------------------------------------ subcommands

    public static int WriteAll(string dir)
    {
        Directory.CreateDirectory(dir);
        IReadOnlyList<Case> cases = All();
        foreach (Case c in cases)
        {
            byte[] bytes = Produce(c.Encoding, c.Ops);
            List<string> manifest = ManifestLines(c);
            // Self-check: the manifest parses back to the same values and .NET reads its own bytes.
            (string enc, List<Op> parsed) = ParseManifest(manifest);
            var errors = ReadBack(bytes, enc, parsed);
            if (errors.Count > 0 || !bytes.AsSpan().SequenceEqual(Produce(enc, parsed)))
                throw new InvalidOperationException($"case {c.Name} does not round-trip in .NET: {string.Join("; ", errors)}");
            File.WriteAllBytes(Path.Combine(dir, c.Name + ".bin"), bytes);
            Manifest.WriteText(Path.Combine(dir, c.Name + ".ops"), manifest);
        }
        Manifest.WriteText(Path.Combine(dir, "index.txt"), cases.Select(c => c.Name));
        Console.WriteLine($"binary-write: {cases.Count} cases in {dir}");
        return 0;
    }

    public static int VerifyAll(string dir)
    {
        var tally = new Manifest.Tally();
        foreach (Case c in All())
        {
            var errors = new List<string>();
            try
            {
                VerifyOne(dir, c, errors);
            }
            catch (Exception e)
            {
                errors.Add($"{e.GetType().Name}: {e.Message}");
            }
            tally.Record(c.Name, errors);
        }
        return tally.Finish();
    }

    private static void VerifyOne(string dir, Case c, List<string> errors)
    {
        string opsPath = Path.Combine(dir, c.Name + ".ops");
        if (!File.Exists(opsPath) || !Manifest.ReadLines(opsPath).SequenceEqual(ManifestLines(c)))
            errors.Add($"{opsPath} is missing or stale (run binary-write again)");
        string cPath = Path.Combine(dir, c.Name + ".c.bin");
        if (!File.Exists(cPath))
        {
            errors.Add($"{cPath} is missing");
            return;
        }
        byte[] got = File.ReadAllBytes(cPath);
        byte[] expected = Produce(c.Encoding, c.Ops);
        if (!got.AsSpan().SequenceEqual(expected))
            errors.Add(Manifest.DescribeDifference(expected, got));
        (string enc, List<Op> ops) = ParseManifest(ManifestLines(c));
        errors.AddRange(ReadBack(got, enc, ops));
    }
}
