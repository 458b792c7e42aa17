// The .NET twin of bench/adapter_bench.c. Every row is the same loop as the C row of the same id,
// over the same data, with the objects set up outside the timed part:
//   AdapterBench serve      reads commands on stdin, answers one line each on stdout:
//     hello        -> AdapterBench
//     warm SCALE   -> ok       (every row, many times: tiered compilation promotes what they call)
//     run ID N     -> ns per call of one pass of N calls (or "error ...")
//     quit
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.IO.Pipes;
using System.Text;
using System.Threading;

namespace SharpIpc.AdapterBench;

internal static class Program
{
    private static long _sink;

    private static double Elapsed(long t0, long n) =>
        (Stopwatch.GetTimestamp() - t0) * (1e9 / Stopwatch.Frequency) / n;

    // ------------------------------------------------------------------------------ data
    private const string S21 = "Hello, shared memory!";
    private const string Ko21 = "안녕하세요세상";
    private const string Syll = "가나다라마바사아";
    private static readonly string S1024 = Make(1024, i => (char)('a' + i % 26));
    private static readonly string Ko1024 = Make(341, i => Syll[i % 8]) + "!";
    private const string Line29 = "The quick brown fox jumps ove";
    private static readonly string LineKo29 = Make(29, i => Syll[i % 8]);
    private static readonly byte[] Bytes16 = MakeBytes16();

    private static string Make(int count, Func<int, char> at)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++) sb.Append(at(i));
        return sb.ToString();
    }

    private static byte[] MakeBytes16()
    {
        var b = new byte[16];
        for (int i = 0; i < 16; i++) b[i] = (byte)i;
        return b;
    }

    // ------------------------------------------------------------------------------ BinaryWriter
    private static MemoryStream? _bwMs;
    private static BinaryWriter? _bw;

    private static BinaryWriter BwReset(long bytes)
    {
        if (_bwMs == null) { _bwMs = new MemoryStream(); _bw = new BinaryWriter(_bwMs); }
        if (_bwMs.Capacity < bytes) _bwMs.Capacity = (int)bytes;
        _bwMs.Position = 0;
        return _bw!;
    }

    private static double BwBoolean(long n) { var w = BwReset(n); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write((i & 1) != 0); return Elapsed(t0, n); }
    private static double BwByte(long n) { var w = BwReset(n); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write((byte)i); return Elapsed(t0, n); }
    private static double BwSByte(long n) { var w = BwReset(n); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write((sbyte)i); return Elapsed(t0, n); }
    private static double BwChar(long n) { var w = BwReset(n); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write((char)('A' + (i & 15))); return Elapsed(t0, n); }
    private static double BwInt16(long n) { var w = BwReset(n * 2); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write((short)i); return Elapsed(t0, n); }
    private static double BwUInt16(long n) { var w = BwReset(n * 2); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write((ushort)i); return Elapsed(t0, n); }
    private static double BwInt32(long n) { var w = BwReset(n * 4); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write((int)i); return Elapsed(t0, n); }
    private static double BwUInt32(long n) { var w = BwReset(n * 4); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write((uint)i); return Elapsed(t0, n); }
    private static double BwInt64(long n) { var w = BwReset(n * 8); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write(i); return Elapsed(t0, n); }
    private static double BwUInt64(long n) { var w = BwReset(n * 8); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write((ulong)i); return Elapsed(t0, n); }
    private static double BwSingle(long n) { var w = BwReset(n * 4); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write((float)i); return Elapsed(t0, n); }
    private static double BwDouble(long n) { var w = BwReset(n * 8); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write((double)i); return Elapsed(t0, n); }
    private static double BwDecimal(long n) { var w = BwReset(n * 16); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write(new decimal((int)i, 0, 0, false, 2)); return Elapsed(t0, n); }
    private static double BwHalf(long n) { var w = BwReset(n * 2); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write(BitConverter.UInt16BitsToHalf((ushort)(0x3C00 + (i & 0x3FF)))); return Elapsed(t0, n); }
    private static double Bw7BitInt(long n) { var w = BwReset(n * 5); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write7BitEncodedInt((int)(i & 0xFFFFF)); return Elapsed(t0, n); }
    private static double Bw7BitInt64(long n) { var w = BwReset(n * 10); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write7BitEncodedInt64(i * 977); return Elapsed(t0, n); }
    private static double BwBytes16(long n) { var w = BwReset(n * 16); var b = Bytes16; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write(b, 0, 16); return Elapsed(t0, n); }
    private static double BwString(long n, string s, int max) { var w = BwReset(n * max); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write(s); return Elapsed(t0, n); }

    // ------------------------------------------------------------------------------ BinaryReader
    private sealed class BrData { public long N; public MemoryStream? Ms; public BinaryReader? R; }
    private static readonly Dictionary<string, BrData> BrCache = new();

    private static BinaryReader BrPrepare(string id, long n, Action<BinaryWriter, long> gen)
    {
        if (!BrCache.TryGetValue(id, out var d)) BrCache[id] = d = new BrData();
        if (d.N < n)
        {
            var tmp = new MemoryStream();
            var w = new BinaryWriter(tmp);
            for (long i = 0; i < n; i++) gen(w, i);
            byte[] bytes = tmp.ToArray();
            d.Ms = new MemoryStream(bytes, 0, bytes.Length, false, true);
            d.R = new BinaryReader(d.Ms);
            d.N = n;
        }
        d.Ms!.Position = 0;
        return d.R!;
    }

    private static double BrBoolean(long n) { var r = BrPrepare("Boolean", n, (w, i) => w.Write((i & 1) != 0)); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += r.ReadBoolean() ? 1 : 0; double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrByte(long n) { var r = BrPrepare("Byte", n, (w, i) => w.Write((byte)i)); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += r.ReadByte(); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrSByte(long n) { var r = BrPrepare("SByte", n, (w, i) => w.Write((sbyte)i)); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += r.ReadSByte(); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrChar(long n) { var r = BrPrepare("Char", n, (w, i) => w.Write((char)('A' + (i & 15)))); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += r.ReadChar(); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrInt16(long n) { var r = BrPrepare("Int16", n, (w, i) => w.Write((short)i)); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += r.ReadInt16(); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrUInt16(long n) { var r = BrPrepare("UInt16", n, (w, i) => w.Write((ushort)i)); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += r.ReadUInt16(); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrInt32(long n) { var r = BrPrepare("Int32", n, (w, i) => w.Write((int)i)); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += r.ReadInt32(); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrUInt32(long n) { var r = BrPrepare("UInt32", n, (w, i) => w.Write((uint)i)); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += r.ReadUInt32(); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrInt64(long n) { var r = BrPrepare("Int64", n, (w, i) => w.Write(i)); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += r.ReadInt64(); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrUInt64(long n) { var r = BrPrepare("UInt64", n, (w, i) => w.Write((ulong)i)); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += (long)r.ReadUInt64(); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrSingle(long n) { var r = BrPrepare("Single", n, (w, i) => w.Write((float)i)); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += (long)r.ReadSingle(); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrDouble(long n) { var r = BrPrepare("Double", n, (w, i) => w.Write((double)i)); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += (long)r.ReadDouble(); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrDecimal(long n) { var r = BrPrepare("Decimal", n, (w, i) => w.Write(new decimal((int)i, 0, 0, false, 2))); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += (long)r.ReadDecimal(); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrHalf(long n) { var r = BrPrepare("Half", n, (w, i) => w.Write(BitConverter.UInt16BitsToHalf((ushort)(0x3C00 + (i & 0x3FF))))); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += BitConverter.HalfToUInt16Bits(r.ReadHalf()); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double Br7BitInt(long n) { var r = BrPrepare("7BitInt", n, (w, i) => w.Write7BitEncodedInt((int)(i & 0xFFFFF))); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += r.Read7BitEncodedInt(); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double Br7BitInt64(long n) { var r = BrPrepare("7BitInt64", n, (w, i) => w.Write7BitEncodedInt64(i * 977)); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += r.Read7BitEncodedInt64(); double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrBytes16(long n) { var r = BrPrepare("Bytes16", n, (w, i) => w.Write(Bytes16, 0, 16)); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += r.ReadBytes(16)[3]; double t = Elapsed(t0, n); _sink += a; return t; }
    private static double BrString(long n, string id, string s) { var r = BrPrepare(id, n, (w, i) => w.Write(s)); long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += r.ReadString().Length; double t = Elapsed(t0, n); _sink += a; return t; }

    // ------------------------------------------------------------------------------ StreamWriter
    private static MemoryStream? _swMs;
    private static StreamWriter? _sw;

    private static StreamWriter SwReset(long bytes)
    {
        if (_swMs == null) { _swMs = new MemoryStream(); _sw = new StreamWriter(_swMs); }
        if (_swMs.Capacity < bytes) _swMs.Capacity = (int)bytes;
        _swMs.Position = 0;
        return _sw!;
    }

    private static double SwWriteString(long n, string s, int max) { var w = SwReset(n * max); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write(s); w.Flush(); return Elapsed(t0, n); }
    private static double SwWriteLine(long n, string s, int max) { var w = SwReset(n * max); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.WriteLine(s); w.Flush(); return Elapsed(t0, n); }
    private static double SwWriteChar(long n) { var w = SwReset(n); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.Write((char)('a' + (i & 15))); w.Flush(); return Elapsed(t0, n); }
    private static double SwWriteLineInt32(long n) { var w = SwReset(n * 12); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) w.WriteLine((int)i); w.Flush(); return Elapsed(t0, n); }

    // ------------------------------------------------------------------------------ StreamReader
    private sealed class SrData { public long N = -1; public MemoryStream? Ms; public StreamReader? R; }
    private static readonly Dictionary<string, SrData> SrCache = new();

    private static StreamReader SrPrepare(string id, long lines, string line)
    {
        if (!SrCache.TryGetValue(id, out var d)) SrCache[id] = d = new SrData();
        if (d.N != lines)
        {
            byte[] l = Encoding.UTF8.GetBytes(line + "\n");
            var bytes = new byte[lines * l.Length];
            for (long i = 0; i < lines; i++) Buffer.BlockCopy(l, 0, bytes, (int)(i * l.Length), l.Length);
            d.Ms = new MemoryStream(bytes, 0, bytes.Length, false, true);
            d.R = new StreamReader(d.Ms);
            d.N = lines;
        }
        d.Ms!.Position = 0;
        d.R!.DiscardBufferedData();
        return d.R;
    }

    private static double SrReadLine(long n, string id, string line)
    {
        var r = SrPrepare(id, n, line); long a = 0;
        long t0 = Stopwatch.GetTimestamp();
        for (long i = 0; i < n; i++) a += r.ReadLine()!.Length;
        double t = Elapsed(t0, n); _sink += a; return t;
    }

    private static double SrReadToEnd(long n)
    {
        long a = 0; double total = 0;
        for (long i = 0; i < n; i++)
        {
            var r = SrPrepare("ReadToEnd", 2185, Line29);
            long t0 = Stopwatch.GetTimestamp();
            a += r.ReadToEnd().Length;
            total += Elapsed(t0, 1);
        }
        _sink += a; return total / n;
    }

    private static double SrReadChar(long n)
    {
        var r = SrPrepare("ReadChar", n / 30 + 1, Line29); long a = 0;
        long t0 = Stopwatch.GetTimestamp();
        for (long i = 0; i < n; i++) a += r.Read();
        double t = Elapsed(t0, n); _sink += a; return t;
    }

    // ------------------------------------------------------------------------------ MemoryStream
    private static MemoryStream? _msW, _msR;
    private static long _msRLen;

    private static void MsPrepare(long bytes)
    {
        _msW ??= new MemoryStream();
        if (_msW.Capacity < bytes) _msW.Capacity = (int)bytes;
        _msW.Position = 0;
        if (_msRLen < bytes)
        {
            var b = new byte[bytes];
            for (long i = 0; i < bytes; i++) b[i] = (byte)i;
            _msR = new MemoryStream(b, 0, b.Length, false, true);
            _msRLen = bytes;
        }
        _msR!.Position = 0;
    }

    private static double MsWrite64(long n) { MsPrepare(n * 64); var s = _msW!; var buf = new byte[64]; Array.Fill(buf, (byte)7); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s.Write(buf, 0, 64); return Elapsed(t0, n); }
    private static double MsRead64(long n) { MsPrepare(n * 64); var s = _msR!; var buf = new byte[64]; long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += s.Read(buf, 0, 64); double t = Elapsed(t0, n); _sink += a + buf[5]; return t; }
    private static double MsWriteByte(long n) { MsPrepare(n); var s = _msW!; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s.WriteByte((byte)i); return Elapsed(t0, n); }
    private static double MsReadByte(long n) { MsPrepare(n); var s = _msR!; long a = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a += s.ReadByte(); double t = Elapsed(t0, n); _sink += a; return t; }

    // ------------------------------------------------------------------------------ accessor
    private const int MapBytes = 8 << 20;
    private static MemoryMappedFile? _map, _dmap;
    private static MemoryMappedViewAccessor? _acc, _dacc; // _dmap only ever holds valid decimals

    private static MemoryMappedViewAccessor Acc()
    {
        if (_acc == null)
        {
            _map = MemoryMappedFile.CreateNew(null, MapBytes);
            _dmap = MemoryMappedFile.CreateNew(null, MapBytes);
            _acc = _map.CreateViewAccessor();
            _dacc = _dmap.CreateViewAccessor();
        }
        return _acc;
    }

    private static long P8(long i) => (i & ((MapBytes / 8) - 1)) * 8;
    private static long P16(long i) => (i & ((MapBytes / 16) - 1)) * 16;

    private static double AwBoolean(long n) { var a = Acc(); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a.Write(P8(i), (i & 1) != 0); return Elapsed(t0, n); }
    private static double AwByte(long n) { var a = Acc(); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a.Write(P8(i), (byte)i); return Elapsed(t0, n); }
    private static double AwSByte(long n) { var a = Acc(); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a.Write(P8(i), (sbyte)i); return Elapsed(t0, n); }
    private static double AwChar(long n) { var a = Acc(); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a.Write(P8(i), (char)i); return Elapsed(t0, n); }
    private static double AwInt16(long n) { var a = Acc(); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a.Write(P8(i), (short)i); return Elapsed(t0, n); }
    private static double AwUInt16(long n) { var a = Acc(); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a.Write(P8(i), (ushort)i); return Elapsed(t0, n); }
    private static double AwInt32(long n) { var a = Acc(); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a.Write(P8(i), (int)i); return Elapsed(t0, n); }
    private static double AwUInt32(long n) { var a = Acc(); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a.Write(P8(i), (uint)i); return Elapsed(t0, n); }
    private static double AwInt64(long n) { var a = Acc(); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a.Write(P8(i), i); return Elapsed(t0, n); }
    private static double AwUInt64(long n) { var a = Acc(); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a.Write(P8(i), (ulong)i); return Elapsed(t0, n); }
    private static double AwSingle(long n) { var a = Acc(); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a.Write(P8(i), (float)i); return Elapsed(t0, n); }
    private static double AwDouble(long n) { var a = Acc(); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a.Write(P8(i), (double)i); return Elapsed(t0, n); }
    private static double AwDecimal(long n) { Acc(); var a = _dacc!; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a.Write(P16(i), new decimal((int)i, 0, 0, false, 2)); return Elapsed(t0, n); }
    private static double AwHalf(long n) { var a = Acc(); long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) { Half h = BitConverter.UInt16BitsToHalf((ushort)(0x3C00 + (i & 0x3FF))); a.Write(P8(i), ref h); } return Elapsed(t0, n); }
    private static double ArBoolean(long n) { var a = Acc(); long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s += a.ReadBoolean(P8(i)) ? 1 : 0; double t = Elapsed(t0, n); _sink += s; return t; }
    private static double ArByte(long n) { var a = Acc(); long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s += a.ReadByte(P8(i)); double t = Elapsed(t0, n); _sink += s; return t; }
    private static double ArSByte(long n) { var a = Acc(); long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s += a.ReadSByte(P8(i)); double t = Elapsed(t0, n); _sink += s; return t; }
    private static double ArChar(long n) { var a = Acc(); long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s += a.ReadChar(P8(i)); double t = Elapsed(t0, n); _sink += s; return t; }
    private static double ArInt16(long n) { var a = Acc(); long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s += a.ReadInt16(P8(i)); double t = Elapsed(t0, n); _sink += s; return t; }
    private static double ArUInt16(long n) { var a = Acc(); long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s += a.ReadUInt16(P8(i)); double t = Elapsed(t0, n); _sink += s; return t; }
    private static double ArInt32(long n) { var a = Acc(); long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s += a.ReadInt32(P8(i)); double t = Elapsed(t0, n); _sink += s; return t; }
    private static double ArUInt32(long n) { var a = Acc(); long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s += a.ReadUInt32(P8(i)); double t = Elapsed(t0, n); _sink += s; return t; }
    private static double ArInt64(long n) { var a = Acc(); long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s += a.ReadInt64(P8(i)); double t = Elapsed(t0, n); _sink += s; return t; }
    private static double ArUInt64(long n) { var a = Acc(); long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s += (long)a.ReadUInt64(P8(i)); double t = Elapsed(t0, n); _sink += s; return t; }
    private static double ArSingle(long n) { var a = Acc(); long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s += (long)a.ReadSingle(P8(i)); double t = Elapsed(t0, n); _sink += s; return t; }
    private static double ArDouble(long n) { var a = Acc(); long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s += (long)a.ReadDouble(P8(i)); double t = Elapsed(t0, n); _sink += s; return t; }
    private static double ArDecimal(long n) { Acc(); var a = _dacc!; long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s += (long)a.ReadDecimal(P16(i)); double t = Elapsed(t0, n); _sink += s; return t; }
    private static double ArHalf(long n) { var a = Acc(); long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) { a.Read(P8(i), out Half h); s += BitConverter.HalfToUInt16Bits(h); } double t = Elapsed(t0, n); _sink += s; return t; }

    private static readonly long[] Arr = new long[128];
    private static double AwArray(long n) { var a = Acc(); var arr = Arr; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) a.WriteArray((i & 8191) * 1024, arr, 0, 128); return Elapsed(t0, n); }
    private static double ArArray(long n) { var a = Acc(); var arr = Arr; long s = 0; long t0 = Stopwatch.GetTimestamp(); for (long i = 0; i < n; i++) s += a.ReadArray((i & 8191) * 1024, arr, 0, 128); double t = Elapsed(t0, n); _sink += s; return t; }

    // ------------------------------------------------------------------------------ pipe
    private static int _pipeSeq;

    private static double PipeRecords(long n)
    {
        string name = $"adapterbench.dn.{Environment.ProcessId}.{_pipeSeq++}";
        using var server = new NamedPipeServerStream(name, PipeDirection.InOut);
        bool ok = false;
        var writer = new Thread(() =>
        {
            using var c = new NamedPipeClientStream(".", name, PipeDirection.InOut);
            c.Connect(10000);
            using var w = new BinaryWriter(c);
            for (long i = 0; i < n; i++)
            {
                w.Write((int)i); w.Write(i * 3); w.Write(i * 0.5); w.Write(S21);
            }
            ok = true;
        });
        writer.Start();
        server.WaitForConnection();
        using var r = new BinaryReader(server);
        long a = 0;
        long t0 = Stopwatch.GetTimestamp();
        for (long i = 0; i < n; i++)
        {
            a += r.ReadInt32(); a += r.ReadInt64(); a += (long)r.ReadDouble(); a += r.ReadString().Length;
        }
        double t = Elapsed(t0, n);
        writer.Join();
        if (!ok) throw new IOException("the pipe writer failed");
        _sink += a;
        return t;
    }

    // ------------------------------------------------------------------------------ rows
    // id -> (one pass, calls per pass at scale 1): the ids and counts are adapter_bench.c's.
    private static readonly List<(string Id, Func<long, double> Fn, long N)> Rows = new()
    {
        ("bw.Boolean", BwBoolean, 1000000), ("bw.Byte", BwByte, 1000000), ("bw.SByte", BwSByte, 1000000),
        ("bw.Char", BwChar, 1000000), ("bw.Int16", BwInt16, 1000000), ("bw.UInt16", BwUInt16, 1000000),
        ("bw.Int32", BwInt32, 1000000), ("bw.UInt32", BwUInt32, 1000000), ("bw.Int64", BwInt64, 1000000),
        ("bw.UInt64", BwUInt64, 1000000), ("bw.Single", BwSingle, 1000000), ("bw.Double", BwDouble, 1000000),
        ("bw.Decimal", BwDecimal, 500000), ("bw.Half", BwHalf, 1000000), ("bw.7BitInt", Bw7BitInt, 1000000),
        ("bw.7BitInt64", Bw7BitInt64, 1000000), ("bw.Bytes16", BwBytes16, 500000),
        ("bw.String0", n => BwString(n, "", 1), 1000000), ("bw.String21", n => BwString(n, S21, 22), 400000),
        ("bw.String1024", n => BwString(n, S1024, 1026), 40000), ("bw.StringKo21", n => BwString(n, Ko21, 22), 400000),
        ("bw.StringKo1024", n => BwString(n, Ko1024, 1026), 20000),
        ("br.Boolean", BrBoolean, 1000000), ("br.Byte", BrByte, 1000000), ("br.SByte", BrSByte, 1000000),
        ("br.Char", BrChar, 1000000), ("br.Int16", BrInt16, 1000000), ("br.UInt16", BrUInt16, 1000000),
        ("br.Int32", BrInt32, 1000000), ("br.UInt32", BrUInt32, 1000000), ("br.Int64", BrInt64, 1000000),
        ("br.UInt64", BrUInt64, 1000000), ("br.Single", BrSingle, 1000000), ("br.Double", BrDouble, 1000000),
        ("br.Decimal", BrDecimal, 500000), ("br.Half", BrHalf, 1000000), ("br.7BitInt", Br7BitInt, 1000000),
        ("br.7BitInt64", Br7BitInt64, 1000000), ("br.Bytes16", BrBytes16, 500000),
        ("br.String0", n => BrString(n, "String0", ""), 1000000), ("br.String21", n => BrString(n, "String21", S21), 400000),
        ("br.String1024", n => BrString(n, "String1024", S1024), 40000),
        ("br.StringKo21", n => BrString(n, "StringKo21", Ko21), 400000),
        ("br.StringKo1024", n => BrString(n, "StringKo1024", Ko1024), 20000),
        ("sw.WriteString29", n => SwWriteString(n, Line29, 29), 400000),
        ("sw.WriteLine29", n => SwWriteLine(n, Line29, 30), 400000),
        ("sw.WriteLineKo29", n => SwWriteLine(n, LineKo29, 88), 200000),
        ("sw.WriteChar", SwWriteChar, 1000000), ("sw.WriteLineInt32", SwWriteLineInt32, 400000),
        ("sr.ReadLine29", n => SrReadLine(n, "ReadLine29", Line29), 400000),
        ("sr.ReadLineKo29", n => SrReadLine(n, "ReadLineKo29", LineKo29), 200000),
        ("sr.ReadToEnd64K", SrReadToEnd, 400), ("sr.ReadChar", SrReadChar, 1000000),
        ("ms.Write64", MsWrite64, 400000), ("ms.Read64", MsRead64, 400000),
        ("ms.WriteByte", MsWriteByte, 1000000), ("ms.ReadByte", MsReadByte, 1000000),
        ("acc.WBoolean", AwBoolean, 2000000), ("acc.WByte", AwByte, 2000000), ("acc.WSByte", AwSByte, 2000000),
        ("acc.WChar", AwChar, 2000000), ("acc.WInt16", AwInt16, 2000000), ("acc.WUInt16", AwUInt16, 2000000),
        ("acc.WInt32", AwInt32, 2000000), ("acc.WUInt32", AwUInt32, 2000000), ("acc.WInt64", AwInt64, 2000000),
        ("acc.WUInt64", AwUInt64, 2000000), ("acc.WSingle", AwSingle, 2000000), ("acc.WDouble", AwDouble, 2000000),
        ("acc.WDecimal", AwDecimal, 1000000), ("acc.WHalf", AwHalf, 2000000),
        ("acc.RBoolean", ArBoolean, 2000000), ("acc.RByte", ArByte, 2000000), ("acc.RSByte", ArSByte, 2000000),
        ("acc.RChar", ArChar, 2000000), ("acc.RInt16", ArInt16, 2000000), ("acc.RUInt16", ArUInt16, 2000000),
        ("acc.RInt32", ArInt32, 2000000), ("acc.RUInt32", ArUInt32, 2000000), ("acc.RInt64", ArInt64, 2000000),
        ("acc.RUInt64", ArUInt64, 2000000), ("acc.RSingle", ArSingle, 2000000), ("acc.RDouble", ArDouble, 2000000),
        ("acc.RDecimal", ArDecimal, 1000000), ("acc.RHalf", ArHalf, 2000000),
        ("acc.WArray1K", AwArray, 40000), ("acc.RArray1K", ArArray, 40000),
        ("pipe.Records", PipeRecords, 20000),
    };

    // Every row 40 times at a fiftieth of its size, a pause for the background compiler, and again:
    // past the call counts and the 100 ms delay after which tiered compilation promotes methods.
    private static void Warm(double scale)
    {
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (var (id, fn, n) in Rows)
            {
                long k = Math.Max(16, (long)(n * scale / 50));
                if (id == "pipe.Records") { fn(Math.Max(16, k / 4)); continue; }
                for (int rep = 0; rep < 40; rep++) fn(k);
            }
            Thread.Sleep(300);
        }
    }

    private static int Main(string[] args)
    {
        if (args.Length != 1 || args[0] != "serve")
        {
            Console.Error.WriteLine("usage: AdapterBench serve   (driven by bench/adapter_bench.c)");
            return 2;
        }
        var map = new Dictionary<string, Func<long, double>>();
        foreach (var (id, fn, _) in Rows) map[id] = fn;
        var stdin = Console.In;
        var stdout = Console.Out;
        string? line;
        while ((line = stdin.ReadLine()) != null)
        {
            string[] parts = line.Split(' ');
            string answer;
            try
            {
                switch (parts[0])
                {
                case "hello": answer = "AdapterBench"; break;
                case "warm": Warm(double.Parse(parts[1], CultureInfo.InvariantCulture)); answer = "ok"; break;
                case "run":
                    if (!map.TryGetValue(parts[1], out var fn)) { answer = "error: no row " + parts[1]; break; }
                    answer = fn(long.Parse(parts[2], CultureInfo.InvariantCulture)).ToString("R", CultureInfo.InvariantCulture);
                    break;
                case "quit": return _sink == 42 ? 1 : 0;
                default: answer = "error: unknown command " + parts[0]; break;
                }
            }
            catch (Exception e)
            {
                answer = $"error: {e.GetType().Name}: {e.Message}";
            }
            stdout.WriteLine(answer);
            stdout.Flush();
        }
        return 0;
    }
}
