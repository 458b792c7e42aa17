// Helpers shared by the manifest writers and readers (format: tests/interop/README.md).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace SharpIpc.Peer;

internal static class Manifest
{
    /// <summary>UTF-8 that throws on lone surrogates, so no manifest silently holds U+FFFD.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Lower-case hex, or "-" for no bytes.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => bytes.Length == 0 ? "-" : Convert.ToHexStringLower(bytes);

    public static byte[] Unhex(string text) => text == "-" ? Array.Empty<byte>() : Convert.FromHexString(text);

    public static string HexUtf8(string s) => Hex(StrictUtf8.GetBytes(s));

    public static string UnhexUtf8(string text) => StrictUtf8.GetString(Unhex(text));

    /// <summary>UTF-16 code units, 4 hex digits each, "-" for none.</summary>
    public static string HexUnits(ReadOnlySpan<char> chars)
    {
        if (chars.Length == 0)
            return "-";
        var sb = new StringBuilder(chars.Length * 4);
        foreach (char c in chars)
            sb.Append(((ushort)c).ToString("x4"));
        return sb.ToString();
    }

    public static char[] UnhexUnits(string text)
    {
        if (text == "-")
            return Array.Empty<char>();
        if (text.Length % 4 != 0)
            throw new FormatException($"UTF-16 hex '{text}' is not a multiple of 4 digits");
        var chars = new char[text.Length / 4];
        for (int i = 0; i < chars.Length; i++)
            chars[i] = (char)Convert.ToUInt16(text.Substring(i * 4, 4), 16);
        return chars;
    }

    /// <summary>The encoding a manifest's "encoding" line names; null for "default" (the class's
    /// own default, i.e. the constructor without an encoding argument).</summary>
    public static Encoding? EncodingFromName(string name) => name switch
    {
        "default" => null,
        "utf-8" => Encoding.UTF8,
        "utf-16" => Encoding.Unicode,
        "utf-16BE" => Encoding.BigEndianUnicode,
        "utf-32" => Encoding.UTF32,
        _ => throw new FormatException($"unknown encoding name '{name}'"),
    };

    /// <summary>Splits "Op value" into its two parts (value "" when there is none).</summary>
    public static (string Op, string Value) SplitOp(string line)
    {
        int space = line.IndexOf(' ');
        return space < 0 ? (line, "") : (line[..space], line[(space + 1)..]);
    }

    /// <summary>Lines joined with "\n", each terminated.</summary>
    public static string Join(IEnumerable<string> lines)
    {
        var sb = new StringBuilder();
        foreach (string l in lines)
            sb.Append(l).Append('\n');
        return sb.ToString();
    }

    public static void WriteText(string path, IEnumerable<string> lines) =>
        File.WriteAllBytes(path, StrictUtf8.GetBytes(Join(lines)));

    public static string[] ReadLines(string path)
    {
        string text = StrictUtf8.GetString(File.ReadAllBytes(path));
        if (text.Length > 0 && text[^1] == '\n')
            text = text[..^1];
        return text.Length == 0 ? Array.Empty<string>() : text.Split('\n');
    }

    /// <summary>Index of the first differing byte, or -1 when equal.</summary>
    public static long FirstDifference(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
            if (a[i] != b[i])
                return i;
        return a.Length == b.Length ? -1 : n;
    }

    public static string DescribeDifference(byte[] expected, byte[] got)
    {
        long at = FirstDifference(expected, got);
        string e = at < expected.Length ? expected[at].ToString("x2") : "EOF";
        string g = at < got.Length ? got[at].ToString("x2") : "EOF";
        return $"bytes differ at offset {at}: expected {e}, got {g} (lengths {expected.Length} vs {got.Length})";
    }

    /// <summary>Splits text into lines the way TextReader.ReadLine documents it (\n, \r, \r\n end a
    /// line; a final unterminated line counts), written independently of StreamReader.</summary>
    public static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        int start = 0, i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\r' || c == '\n')
            {
                lines.Add(text[start..i]);
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                start = i;
            }
            else
            {
                i++;
            }
        }
        if (start < text.Length)
            lines.Add(text[start..]);
        return lines;
    }

    /// <summary>Case names must be usable as file names on every platform and unique.</summary>
    public static void CheckNames(IEnumerable<string> names)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string n in names)
        {
            if (n.Length == 0 || n.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')))
                throw new InvalidOperationException($"bad case name '{n}'");
            if (!seen.Add(n))
                throw new InvalidOperationException($"duplicate case name '{n}'");
        }
    }

    /// <summary>Counts cases; a case with one or more errors prints one line per error and counts
    /// as one failure.</summary>
    public sealed class Tally
    {
        public int Passed { get; private set; }
        public int Failed { get; private set; }

        public void Record(string caseName, IReadOnlyCollection<string> errors)
        {
            if (errors.Count == 0)
            {
                Passed++;
                return;
            }
            Failed++;
            foreach (string e in errors)
                Console.WriteLine($"FAIL {caseName}: {e}");
        }

        public int Finish()
        {
            Console.WriteLine($"{Passed} passed, {Failed} failed");
            return Failed == 0 ? 0 : 1;
        }
    }
}
