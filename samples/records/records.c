/*
 * records: BinaryWriter/BinaryReader and StreamWriter/StreamReader across a C and a .NET process.
 * The C# original is samples/dotnet/Records/Program.cs; each line below is its port.
 *
 *   records write FILE    writes a record file (.NET reads it with `Records read FILE`)
 *   records read FILE     reads a record file written by either side and prints it
 */
#include <sharpipc.h>
#include <stdio.h>
#include <string.h>

static int fail(const char *what)
{
    const Exception *e = Exception_get_Current();
    fprintf(stderr, "records: %s: %s: %s\n", what, Exception_get_TypeName(e), Exception_get_Message(e));
    return 1;
}

static int write_records(const char *path)
{
    /* using var stream = new FileStream(path, FileMode.Create);
     * using var writer = new BinaryWriter(stream); */
    FileStream *stream = FileStream_new(path, FileMode_Create);
    if (!stream)
        return fail("open");
    BinaryWriter *writer = BinaryWriter_new(stream);
    /* writer.Write("Hello from C, 안녕하세요 👋"); */
    BinaryWriter_Write(writer, "Hello from C, 안녕하세요 👋");
    /* writer.Write(42); writer.Write(-1L); writer.Write(Math.PI); writer.Write(1234.5678m); writer.Write(true); */
    BinaryWriter_Write(writer, (int32_t)42);
    BinaryWriter_Write(writer, (int64_t)-1);
    BinaryWriter_Write(writer, 3.14159265358979);
    BinaryWriter_Write(writer, Decimal_Parse("1234.5678"));
    bool yes = true;
    BinaryWriter_Write(writer, yes);
    /* writer.Write7BitEncodedInt(300); */
    BinaryWriter_Write7BitEncodedInt(writer, 300);
    if (Exception_get_Current())
        return fail("write");
    Dispose(writer);
    Dispose(stream);
    printf("C wrote %s\n", path);
    return 0;
}

static int read_records(const char *path)
{
    /* using var reader = new BinaryReader(File.OpenRead(path)); */
    FileStream *stream = FileStream_new(path, FileMode_Open, FileAccess_Read);
    if (!stream)
        return fail("open");
    BinaryReader *reader = BinaryReader_new(stream);
    char *text = BinaryReader_ReadString(reader);
    int32_t i = BinaryReader_ReadInt32(reader);
    int64_t l = BinaryReader_ReadInt64(reader);
    double d = BinaryReader_ReadDouble(reader);
    char *m = Decimal_ToString(BinaryReader_ReadDecimal(reader));
    bool b = BinaryReader_ReadBoolean(reader);
    int32_t v = BinaryReader_Read7BitEncodedInt(reader);
    if (Exception_get_Current())
        return fail("read");
    printf("C read: \"%s\" %d %lld %.14f %s %s %d\n", text, i, (long long)l, d, m, b ? "True" : "False", v);
    /* one more read is past the end: EndOfStreamException, as in .NET */
    BinaryReader_ReadByte(reader);
    printf("C read past the end: %s\n", Exception_get_TypeName(Exception_get_Current()));
    String_Free(text);
    String_Free(m);
    Dispose(reader);
    Dispose(stream);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "write"))
        return write_records(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "read"))
        return read_records(argv[2]);
    fprintf(stderr, "usage: records write|read FILE\n");
    return 2;
}
