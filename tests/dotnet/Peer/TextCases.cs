// StreamWriter / StreamReader interop cases (DOTNET_COMPAT.md 5.3, 5.4).
//
// text-write DIR : writer cases  <case>.txt (what .NET's StreamWriter wrote) + <case>.ops
//                  reader cases  <case>.rd (bytes) + <case>.rdops (what .NET's StreamReader.ReadLine
//                                returned), including "sr-<writer case>" for every writer case's .txt
//                  index.txt     every case name
// text-verify DIR: <case>.c.txt (written by C) must equal .NET's bytes, and .NET's StreamReader must
//                  read the expected lines from it.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace SharpIpc.Peer;

internal static class TextCases
{
    /// <summary>One StreamWriter call. Text for newline/write/writeline; Number for autoflush (0/1),
    /// writechar (the UTF-16 unit), writeint and length.</summary>
    internal sealed record Op(string Name, string? Text = null, long Number = 0);

    internal sealed record WriterCase(string Name, string Encoding, IReadOnlyList<Op> Ops);

    internal sealed record ReaderCase(string Name, string Encoding, bool Detect, byte[] Bytes);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // ------------------------------------------------------------------ writer cases

    private static Op NewLine(string s) => new("newline", s);
    private static Op AutoFlush(bool on) => new("autoflush", null, on ? 1 : 0);
    private static Op Write(string s) => new("write", s);
    private static Op WriteLine(string s) => new("writeline", s);
    private static readonly Op WriteLineEmpty = new("writeline-empty");
    private static readonly Op Flush = new("flush");
    private static Op WriteChar(char c) => new("writechar", null, c);
    private static Op WriteInt(int i) => new("writeint", null, i);

    /// <summary>A string of exactly `length` UTF-16 units: 1023 'a', then an emoji whose surrogate pair
    /// straddles StreamWriter's 1024-char buffer, then Korean, Latin and emoji text.</summary>
    internal static string LongLine(int length)
    {
        var sb = new StringBuilder(new string('a', 1023)).Append("😀");
        string[] pieces = { "한", "국", "어", " ", "é", "🎉", "x", "\u2701", "ß", "😀" };
        for (int k = 0; sb.Length < length; k++)
        {
            string p = pieces[k % pieces.Length];
            sb.Append(sb.Length + p.Length <= length ? p : "z");
        }
        return sb.ToString();
    }

    private static Op[] Basic() => new[]
    {
        NewLine("\n"), Write("Hello"), WriteLine(" world"), WriteInt(42), WriteInt(-7), WriteChar('x'), WriteLineEmpty,
        WriteLine("héllo"), WriteLine("안녕하세요 😀"), Write("tail with no newline"),
    };

    private static Op[] KoreanEmoji() => new[]
    {
        NewLine("\n"), WriteLine("안녕하세요, 세계!"), WriteLine("😀👍🏽 👨‍👩‍👧 \U0001F389"), WriteLine("한국어 and English 混合"),
        Write("끝"), WriteChar('\uD83D'), WriteChar('\uDE00'), WriteLineEmpty,
    };

    private static Op[] LongLineOps() => new[]
    {
        NewLine("\n"), WriteLine(LongLine(10000)), WriteLine("short"), Write(LongLine(3000)),
    };

    internal static IReadOnlyList<WriterCase> WriterCases()
    {
        var list = new List<WriterCase>
        {
            new("sw-basic-default", "default", Basic()),
            new("sw-basic-utf8bom", "utf-8", Basic()),
            new("sw-basic-utf16", "utf-16", Basic()),
            new("sw-basic-utf16be", "utf-16BE", Basic()),
            new("sw-basic-utf32", "utf-32", Basic()),

            new("sw-newline-lf", "default", new[] { NewLine("\n"), WriteLine("one"), WriteLine("two"), WriteLineEmpty, WriteLine("three") }),
            new("sw-newline-crlf", "default", new[] { NewLine("\r\n"), WriteLine("one"), WriteLine("two"), WriteLineEmpty, WriteLine("three") }),
            new("sw-newline-custom", "default", new[] { NewLine("¶\r\n"), WriteLine("one"), WriteLineEmpty, WriteLine("three"), Write("x") }),
            new("sw-newline-custom-nobreak", "default", new[] { NewLine("<EOL>"), WriteLine("one"), WriteLine("two"), WriteLineEmpty }),
            new("sw-newline-custom-utf16", "utf-16", new[] { NewLine("\u2028\n"), WriteLine("one"), WriteLineEmpty, WriteLine("한") }),
            new("sw-newline-change", "default", new[] { NewLine("\n"), WriteLine("lf"), NewLine("\r\n"), WriteLine("crlf"), NewLine("\r"), WriteLine("cr") }),

            new("sw-autoflush-default", "default", new[]
            {
                NewLine("\n"), AutoFlush(true), Write("a"), WriteLine("bc"), WriteChar('d'), WriteInt(5), WriteLineEmpty,
                WriteChar('한'), AutoFlush(false), Write("buffered"), Flush, Write("end"),
            }),
            new("sw-autoflush-utf8bom", "utf-8", new[] { NewLine("\r\n"), AutoFlush(true), WriteLine("x"), Write("é") }),
            new("sw-autoflush-utf16", "utf-16", new[] { NewLine("\r\n"), AutoFlush(true), WriteLine("x"), Write("😀") }),
            // AutoFlush flushes the chars but not the encoder: a pair split over two writes still encodes.
            new("sw-autoflush-surrogate-default", "default", new[] { NewLine("\n"), AutoFlush(true), WriteChar('\uD83D'), WriteChar('\uDE00'), WriteLineEmpty }),
            new("sw-autoflush-surrogate-utf16", "utf-16", new[] { NewLine("\n"), AutoFlush(true), WriteChar('\uD83D'), WriteChar('\uDE00'), WriteLineEmpty }),
            // Flush() flushes the encoder too: a pending high surrogate becomes U+FFFD (replacing encodings).
            new("sw-flush-splits-surrogate-utf8bom", "utf-8", new[] { NewLine("\n"), WriteChar('\uD83D'), Flush, WriteChar('\uDE00'), Flush, WriteLine("after") }),
            new("sw-flush-splits-surrogate-utf16", "utf-16", new[] { NewLine("\n"), WriteChar('\uD83D'), Flush, WriteChar('\uDE00'), WriteLine("after") }),
            // Dispose flushes the encoder as well: a high surrogate still pending then is U+FFFD in
            // the writer's encoding.
            new("sw-dispose-pending-surrogate-utf8bom", "utf-8", new[] { NewLine("\n"), Write("a"), WriteChar('\uD83D') }),
            new("sw-dispose-pending-surrogate-utf16", "utf-16", new[] { NewLine("\n"), Write("a"), WriteChar('\uD83D') }),
            new("sw-dispose-pending-surrogate-utf16be", "utf-16BE", new[] { NewLine("\n"), Write("a"), WriteChar('\uD83D') }),
            new("sw-dispose-pending-surrogate-utf32", "utf-32", new[] { NewLine("\n"), Write("a"), WriteChar('\uD83D') }),
            // Lone surrogates written as chars: U+FFFD with the replacing encodings.
            new("sw-lone-surrogates-utf8bom", "utf-8", new[]
            {
                NewLine("\n"), WriteChar('\uDE00'), WriteChar('a'), WriteChar('\uD83D'), WriteChar('b'), WriteChar('\uD83D'),
                WriteChar('\uD83D'), WriteChar('\uDE00'), WriteLineEmpty,
            }),
            new("sw-lone-surrogates-utf16", "utf-16", new[]
            {
                NewLine("\n"), WriteChar('\uDE00'), WriteChar('a'), WriteChar('\uD83D'), WriteChar('b'), WriteLineEmpty,
            }),
            new("sw-flush-default", "default", new[] { NewLine("\n"), Write("a"), Flush, Flush, WriteLine("b"), Flush, WriteLineEmpty, Flush }),

            new("sw-korean-emoji-default", "default", KoreanEmoji()),
            new("sw-korean-emoji-utf8bom", "utf-8", KoreanEmoji()),
            new("sw-korean-emoji-utf16", "utf-16", KoreanEmoji()),
            new("sw-korean-emoji-utf32", "utf-32", KoreanEmoji()),

            new("sw-long-line-default", "default", LongLineOps()),
            new("sw-long-line-utf8bom", "utf-8", LongLineOps()),
            new("sw-long-line-utf16", "utf-16", LongLineOps()),
            new("sw-buffer-boundary-default", "default", new[]
            {
                NewLine("\r\n"), Write(new string('b', 1024)), WriteLine("c"), Write(new string('d', 1021)),
                WriteChar('\uD83D'), WriteChar('\uDE00'), WriteLine("e"), Write(new string('f', 1022)), WriteLineEmpty, Write("g"),
            }),
            new("sw-buffer-boundary-utf16", "utf-16", new[]
            {
                NewLine("\r\n"), Write(new string('d', 1023)), WriteChar('\uD83D'), WriteChar('\uDE00'), WriteLine("e"),
                Write(new string('f', 1022)), WriteLineEmpty,
            }),

            new("sw-empty-writes-default", "default", new[] { NewLine("\n"), Write(""), Write(""), Flush, Write(""), WriteLine(""), Write("") }),
            new("sw-empty-writes-utf8bom", "utf-8", new[] { NewLine("\n"), Write(""), Flush, Write("") }),
            new("sw-empty-default", "default", Array.Empty<Op>()),
            new("sw-empty-utf8bom", "utf-8", Array.Empty<Op>()),
            new("sw-empty-utf16", "utf-16", Array.Empty<Op>()),

            new("sw-ints-default", "default", new[]
            {
                NewLine("\n"), WriteInt(0), WriteChar(' '), WriteInt(-1), WriteChar(' '), WriteInt(int.MinValue), WriteChar(' '),
                WriteInt(int.MaxValue), WriteLineEmpty,
            }),
            new("sw-ints-utf16", "utf-16", new[] { NewLine("\n"), WriteInt(int.MinValue), WriteChar(','), WriteInt(123456789), WriteLineEmpty }),
            new("sw-chars-default", "default", new[]
            {
                NewLine("\n"), WriteChar('A'), WriteChar('é'), WriteChar('한'), WriteChar('\uD83D'), WriteChar('\uDE00'),
                WriteChar('\n'), WriteChar('\u00FF'), WriteChar('\u2701'), WriteChar('\uFFFD'),
            }),
            new("sw-nul-and-controls-default", "default", new[]
            {
                NewLine("\n"), Write("a\0b"), WriteLine("\t\v\f"), Write("x\ry\r\nz\n"), WriteChar('\0'), WriteLineEmpty,
                WriteLine("\0"), Write("\r"),
            }),
        };
        return list;
    }

    // ------------------------------------------------------------------ reader cases

    private static byte[] Cat(params object[] parts)
    {
        var ms = new MemoryStream();
        foreach (object p in parts)
        {
            switch (p)
            {
                case byte[] b: ms.Write(b); break;
                case string s: ms.Write(Encoding.UTF8.GetBytes(s)); break;
                case int i: ms.WriteByte(checked((byte)i)); break;
                default: throw new ArgumentException(p.GetType().Name);
            }
        }
        return ms.ToArray();
    }

    private static byte[] B(params int[] bytes) => bytes.Select(b => checked((byte)b)).ToArray();
    private static byte[] Utf16LE(string s) => Encoding.Unicode.GetBytes(s);
    private static byte[] Utf16BE(string s) => Encoding.BigEndianUnicode.GetBytes(s);
    private static byte[] Utf32LE(string s) => Encoding.UTF32.GetBytes(s);
    private static byte[] Utf32BE(string s) => new UTF32Encoding(bigEndian: true, byteOrderMark: false).GetBytes(s);
    private static string A(int n) => new('a', n);

    private static readonly byte[] Utf8Bom = B(0xEF, 0xBB, 0xBF);
    private static readonly byte[] Utf16LEBom = B(0xFF, 0xFE);
    private static readonly byte[] Utf16BEBom = B(0xFE, 0xFF);
    private static readonly byte[] Utf32LEBom = B(0xFF, 0xFE, 0x00, 0x00);
    private static readonly byte[] Utf32BEBom = B(0x00, 0x00, 0xFE, 0xFF);

    private const string Sample = "line one\r\nhéllo wörld\n한국어 텍스트 😀\rlast";

    internal static IReadOnlyList<ReaderCase> ReaderCasesOwn()
    {
        string line5000 = LongLine(5000);
        return new List<ReaderCase>
        {
            new("sr-utf8-plain", "default", true, Cat("hello\nworld\n")),
            new("sr-utf8-bom-detect", "utf-8", true, Cat(Utf8Bom, Sample)),
            new("sr-utf8-bom-nodetect", "utf-8", false, Cat(Utf8Bom, Sample)),
            new("sr-utf8-bom-default-nodetect", "default", false, Cat(Utf8Bom, Sample)),
            new("sr-utf8-bom-twice", "default", true, Cat(Utf8Bom, Utf8Bom, "x\n")),
            new("sr-utf16le-bom-detect", "utf-8", true, Cat(Utf16LEBom, Utf16LE(Sample))),
            new("sr-utf16be-bom-detect", "utf-8", true, Cat(Utf16BEBom, Utf16BE(Sample))),
            new("sr-utf32le-bom-detect", "utf-8", true, Cat(Utf32LEBom, Utf32LE(Sample))),
            new("sr-utf32be-bom-detect", "default", true, Cat(Utf32BEBom, Utf32BE(Sample))),
            new("sr-utf16le-nobom-given", "utf-16", false, Utf16LE(Sample)),
            new("sr-utf16le-bom-given-nodetect", "utf-16", false, Cat(Utf16LEBom, Utf16LE(Sample))),
            new("sr-utf16le-bom-as-utf8-nodetect", "utf-8", false, Cat(Utf16LEBom, Utf16LE(Sample))),
            new("sr-utf16le-bom-given-utf16be-detect", "utf-16BE", true, Cat(Utf16LEBom, Utf16LE(Sample))),
            new("sr-utf16be-bom-given-nodetect", "utf-16BE", false, Cat(Utf16BEBom, Utf16BE(Sample))),
            new("sr-utf32le-nobom-given", "utf-32", false, Utf32LE(Sample)),
            new("sr-utf8-bom-given-utf16-detect", "utf-16", true, Cat(Utf8Bom, Sample)),
            new("sr-utf32-invalid-scalars", "utf-32", false, Cat(Utf32LE("a"), B(0x00, 0x00, 0x11, 0x00), Utf32LE("b\n"),
                B(0x00, 0xD8, 0x00, 0x00), Utf32LE("c"), B(0x41, 0x00))),
            new("sr-utf16be-odd-trailing-byte", "utf-16BE", false, Cat(Utf16BE("ab\r\nc"), 0x41)),
            new("sr-ff-fe-00", "default", true, B(0xFF, 0xFE, 0x00)),
            new("sr-ff-fe-00-00-only", "default", true, B(0xFF, 0xFE, 0x00, 0x00)),

            new("sr-endings-mixed", "default", true, Cat("a\nb\rc\r\nd\n\ne\r\rf\r\n\r\ng\r")),
            new("sr-cr-at-end", "default", true, Cat("x\r")),
            new("sr-no-final-terminator", "default", true, Cat("line1\nlast line")),
            new("sr-empty-lines", "default", true, Cat("\n\n\r\n\r\r\n")),
            new("sr-empty-file", "default", true, Array.Empty<byte>()),
            new("sr-only-lf", "default", true, Cat("\n")),
            new("sr-only-cr", "default", true, Cat("\r")),
            new("sr-bom-only", "default", true, Utf8Bom),
            new("sr-bom-only-utf16", "utf-8", true, Utf16LEBom),
            new("sr-one-byte", "default", true, Cat("A")),
            new("sr-one-byte-fe", "default", true, B(0xFE)),
            new("sr-nul-in-line", "default", true, Cat("a\0b\nc\0\n\0")),

            new("sr-crlf-split-1024", "default", true, Cat(A(1023), "\r\nnext\n")),
            new("sr-crlf-split-1024-bom", "utf-8", true, Cat(Utf8Bom, A(1020), "\r\nnext")),
            new("sr-cr-split-1024-no-lf", "default", true, Cat(A(1023), "\rb\n")),
            new("sr-cr-at-1023-eof", "default", true, Cat(A(1023), "\r")),
            new("sr-lf-at-1023-eof", "default", true, Cat(A(1023), "\n")),
            new("sr-crlf-at-2047", "default", true, Cat(A(1023), "\n", A(1023), "\r\n", A(10))),
            new("sr-crlf-split-1024-utf16", "utf-16", false, Utf16LE(A(511) + "\r\nz")),
            new("sr-crlf-split-1024-utf16-bom", "utf-8", true, Cat(Utf16LEBom, Utf16LE(A(510) + "\r\nz"))),
            new("sr-utf8-3byte-split-1024", "default", true, Cat(A(1022), "한\nend")),
            new("sr-utf8-4byte-split-1024", "default", true, Cat(A(1021), "😀\r\n", A(1021), "😀")),
            new("sr-utf16-pair-split-1024", "utf-16", false, Utf16LE(A(511) + "😀\n")),
            new("sr-utf16-odd-trailing-byte", "utf-16", false, Cat(Utf16LE("ab\nc"), 0x41)),
            new("sr-utf16-lone-surrogate", "utf-16", false, Cat(Utf16LE("a"), B(0x00, 0xD8), Utf16LE("b\n"), B(0x00, 0xDC), Utf16LE("c"))),

            new("sr-invalid-utf8", "default", true, Cat(
                "a", 0x80, "b\n", B(0xC0, 0x80), "\n", B(0xED, 0xA0, 0x80), "\n", B(0xF4, 0x90, 0x80, 0x80), "\n",
                B(0xE2, 0x82), "\n", "x", B(0xFF, 0xFE), "\n", B(0xE0, 0x80, 0x80), "\n", B(0xF0, 0x80, 0x80, 0x80), "\n",
                B(0xC2), "\n", B(0xF0, 0x9F, 0x98), "\n", B(0xC1, 0xBF, 0xF5, 0xF8, 0x88, 0x80, 0x80, 0x80), "\n",
                B(0xED, 0xBF, 0xBF, 0xEF, 0xBF, 0xBE), "\n", B(0xE2, 0x82))),
            new("sr-invalid-utf8-split-1024", "default", true, Cat(A(1023), B(0xE2, 0x82), "x\n")),
            new("sr-valid-utf8-split-1024", "default", true, Cat(A(1023), B(0xE2, 0x82, 0xAC), "\n")),
            new("sr-invalid-utf8-at-eof-1024", "default", true, Cat(A(1022), B(0xF0, 0x9F))),
            new("sr-invalid-utf8-throwing-ignored", "default", false, Cat("ok\n", B(0xC3), "\n")),

            new("sr-korean-emoji", "default", true, Cat("안녕하세요\n😀👍🏽 👨‍👩‍👧\r\n한국어 텍스트 🎉\r")),
            new("sr-korean-emoji-utf16be", "utf-16BE", false, Utf16BE("안녕하세요\n😀👍🏽 👨‍👩‍👧\r\n한국어 텍스트 🎉\r")),
            new("sr-long-line-5000", "default", true, Cat(line5000, "\nshort\n", line5000)),
            new("sr-long-line-5000-utf16", "utf-8", true, Cat(Utf16LEBom, Utf16LE(line5000 + "\r\nshort\r" + line5000))),
            new("sr-long-line-5000-utf32", "utf-32", false, Utf32LE(line5000 + "\n")),
        };
    }

    // ------------------------------------------------------------------ writer manifest and running

    internal static string Format(Op op) => op.Name switch
    {
        "newline" or "write" or "writeline" => $"{op.Name} {Manifest.HexUtf8(op.Text!)}",
        "autoflush" => $"autoflush {op.Number}",
        "writeline-empty" or "flush" => op.Name,
        "writechar" => $"writechar {((ushort)op.Number).ToString("x4", Inv)}",
        "writeint" or "length" => $"{op.Name} {op.Number.ToString(Inv)}",
        _ => throw new InvalidOperationException($"unknown text op {op.Name}"),
    };

    internal static Op Parse(string line)
    {
        (string name, string v) = Manifest.SplitOp(line);
        return name switch
        {
            "newline" or "write" or "writeline" => new Op(name, Manifest.UnhexUtf8(v)),
            "autoflush" => new Op(name, null, v switch { "0" => 0, "1" => 1, _ => throw new FormatException($"autoflush '{v}'") }),
            "writeline-empty" or "flush" when v.Length == 0 => new Op(name),
            "writechar" when v.Length == 4 => new Op(name, null, Convert.ToUInt16(v, 16)),
            "writeint" => new Op(name, null, int.Parse(v, Inv)),
            "length" => new Op(name, null, long.Parse(v, Inv)),
            _ => throw new FormatException($"bad text op line '{line}'"),
        };
    }

    private static StreamWriter NewWriter(Stream s, string encoding) =>
        new(s, Manifest.EncodingFromName(encoding), -1, leaveOpen: true);

    /// <summary>Runs the ops through .NET's StreamWriter into a MemoryStream. With manifest given, also
    /// writes the manifest, adding a "length" check after each point where .NET's contract fixes the
    /// stream's length: after flush, and after every write while AutoFlush is on. Length ops in ops
    /// are checked against .NET itself.</summary>
    internal static byte[] Produce(string encoding, IEnumerable<Op> ops, List<string>? manifest)
    {
        manifest?.Add($"encoding {encoding}");
        var ms = new MemoryStream();
        using (StreamWriter w = NewWriter(ms, encoding))
        {
            foreach (Op op in ops)
            {
                switch (op.Name)
                {
                    case "newline": w.NewLine = op.Text; break;
                    case "autoflush": w.AutoFlush = op.Number != 0; break;
                    case "write": w.Write(op.Text); break;
                    case "writeline": w.WriteLine(op.Text); break;
                    case "writeline-empty": w.WriteLine(); break;
                    case "flush": w.Flush(); break;
                    case "writechar": w.Write((char)op.Number); break;
                    case "writeint": w.Write(checked((int)op.Number)); break;
                    case "length":
                        if (ms.Length != op.Number)
                            throw new InvalidOperationException($"length check: {ms.Length}, manifest says {op.Number}");
                        break;
                    default: throw new InvalidOperationException($"unknown text op {op.Name}");
                }
                if (op.Name == "length")
                    continue;
                manifest?.Add(Format(op));
                bool fixedLength = op.Name == "flush" || (w.AutoFlush && op.Name != "newline" && op.Name != "autoflush")
                                   || (op.Name == "autoflush" && op.Number != 0);
                if (fixedLength)
                    manifest?.Add(Format(new Op("length", null, ms.Length)));
            }
        }
        return ms.ToArray();
    }

    // ------------------------------------------------------------------ reading

    private static StreamReader NewReader(Stream s, string encoding, bool detect) =>
        Manifest.EncodingFromName(encoding) is Encoding e ? new StreamReader(s, e, detect) : new StreamReader(s, detect);

    internal static (List<string> Lines, string CurrentEncoding) ReadAllLines(byte[] bytes, string encoding, bool detect)
    {
        using var reader = NewReader(new MemoryStream(bytes, writable: false), encoding, detect);
        var lines = new List<string>();
        for (string? line; (line = reader.ReadLine()) != null;)
            lines.Add(line);
        return (lines, reader.CurrentEncoding.WebName);
    }

    internal static List<string> ReaderManifest(ReaderCase c)
    {
        (List<string> lines, string current) = ReadAllLines(c.Bytes, c.Encoding, c.Detect);
        var m = new List<string> { $"encoding {c.Encoding}", $"detect {(c.Detect ? 1 : 0)}" };
        m.AddRange(lines.Select(l => $"line {Manifest.HexUtf8(l)}"));
        m.Add($"current {current}");
        m.Add("end");
        return m;
    }

    /// <summary>The reader case that reads a writer case's .NET output back.</summary>
    private static ReaderCase ReadBackCase(WriterCase w, byte[] bytes) => new("sr-" + w.Name, w.Encoding, true, bytes);

    /// <summary>The lines the text should hold, worked out without StreamReader: strip the preamble,
    /// decode, split on \n, \r, \r\n.</summary>
    internal static List<string> ExpectedLines(byte[] bytes, string encoding)
    {
        Encoding e = Manifest.EncodingFromName(encoding) ?? Encoding.UTF8;
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith(e.Preamble))
            span = span[e.Preamble.Length..];
        return Manifest.SplitLines(e.GetString(span));
    }

    // ------------------------------------------------------------------ subcommands

    public static int WriteAll(string dir)
    {
        Directory.CreateDirectory(dir);
        IReadOnlyList<WriterCase> writers = WriterCases();
        var readers = new List<ReaderCase>(ReaderCasesOwn());
        foreach (WriterCase c in writers)
        {
            var manifest = new List<string>();
            byte[] bytes = Produce(c.Encoding, c.Ops, manifest);
            // Self-check: the manifest (with its length checks) replays to the same bytes in .NET,
            // and StreamReader agrees with the independent line splitter.
            string enc = manifest[0]["encoding ".Length..];
            byte[] replay = Produce(enc, manifest.Skip(1).Select(Parse), null);
            if (!replay.AsSpan().SequenceEqual(bytes))
                throw new InvalidOperationException($"case {c.Name}: manifest does not replay");
            if (!ReadAllLines(bytes, c.Encoding, true).Lines.SequenceEqual(ExpectedLines(bytes, c.Encoding)))
                throw new InvalidOperationException($"case {c.Name}: StreamReader disagrees with SplitLines");
            File.WriteAllBytes(Path.Combine(dir, c.Name + ".txt"), bytes);
            Manifest.WriteText(Path.Combine(dir, c.Name + ".ops"), manifest);
            readers.Add(ReadBackCase(c, bytes));
        }
        foreach (ReaderCase r in readers)
        {
            File.WriteAllBytes(Path.Combine(dir, r.Name + ".rd"), r.Bytes);
            Manifest.WriteText(Path.Combine(dir, r.Name + ".rdops"), ReaderManifest(r));
        }
        var names = writers.Select(w => w.Name).Concat(readers.Select(r => r.Name)).ToList();
        Manifest.CheckNames(names);
        Manifest.WriteText(Path.Combine(dir, "index.txt"), names);
        Console.WriteLine($"text-write: {writers.Count} writer cases, {readers.Count} reader cases in {dir}");
        return 0;
    }

    public static int VerifyAll(string dir)
    {
        var tally = new Manifest.Tally();
        foreach (WriterCase c in WriterCases())
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

    private static void VerifyOne(string dir, WriterCase c, List<string> errors)
    {
        var manifest = new List<string>();
        byte[] expected = Produce(c.Encoding, c.Ops, manifest);
        string opsPath = Path.Combine(dir, c.Name + ".ops");
        if (!File.Exists(opsPath) || !Manifest.ReadLines(opsPath).SequenceEqual(manifest))
            errors.Add($"{opsPath} is missing or stale (run text-write again)");
        string cPath = Path.Combine(dir, c.Name + ".c.txt");
        if (!File.Exists(cPath))
        {
            errors.Add($"{cPath} is missing");
            return;
        }
        byte[] got = File.ReadAllBytes(cPath);
        if (!got.AsSpan().SequenceEqual(expected))
            errors.Add(Manifest.DescribeDifference(expected, got));
        List<string> want = ExpectedLines(expected, c.Encoding);
        List<string> read = ReadAllLines(got, c.Encoding, true).Lines;
        for (int i = 0; i < Math.Max(want.Count, read.Count); i++)
        {
            string? a = i < want.Count ? want[i] : null, b = i < read.Count ? read[i] : null;
            if (a != b)
            {
                errors.Add($"StreamReader line {i + 1}: expected {Show(a)}, got {Show(b)}");
                break;
            }
        }
    }

    private static string Show(string? s) =>
        s is null ? "end of stream" : "\"" + (s.Length > 60 ? s[..60] + "..." : s).Replace("\0", "\\0").Replace("\r", "\\r") + $"\" ({s.Length} chars)";
}
