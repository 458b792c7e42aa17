// The C# original of samples/records/records.c: the same records, the same bytes.
using System.Globalization;

if (args.Length == 2 && args[0] == "write")
{
    using var stream = new FileStream(args[1], FileMode.Create);
    using var writer = new BinaryWriter(stream);
    writer.Write("Hello from .NET, 안녕하세요 👋");
    writer.Write(42);
    writer.Write(-1L);
    writer.Write(3.14159265358979);
    writer.Write(1234.5678m);
    writer.Write(true);
    writer.Write7BitEncodedInt(300);
    Console.WriteLine($".NET wrote {args[1]}");
    return 0;
}
if (args.Length == 2 && args[0] == "read")
{
    using var reader = new BinaryReader(File.OpenRead(args[1]));
    var text = reader.ReadString();
    var i = reader.ReadInt32();
    var l = reader.ReadInt64();
    var d = reader.ReadDouble();
    var m = reader.ReadDecimal();
    var b = reader.ReadBoolean();
    var v = reader.Read7BitEncodedInt();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $".NET read: \"{text}\" {i} {l} {d:F14} {m} {b} {v}"));
    try { reader.ReadByte(); }
    catch (EndOfStreamException e) { Console.WriteLine($".NET read past the end: {e.GetType().FullName}"); }
    return 0;
}
Console.Error.WriteLine("usage: Records write|read FILE");
return 2;
