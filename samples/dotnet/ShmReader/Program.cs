// Reads the seed's named map from .NET. On Windows that is MemoryMappedFile.OpenExisting; .NET on
// Linux has no named maps, so it maps the POSIX shared-memory object's file, /dev/shm/<name>.
using System.IO.MemoryMappedFiles;

string name = args.Length > 0 ? args[0] : "SharedMemory";
MemoryMappedFile? mmf = null;
for (int tries = 0; tries < 500 && mmf is null; tries++)
{
    try
    {
        mmf = OperatingSystem.IsWindows()
            ? MemoryMappedFile.OpenExisting(name)
            : MemoryMappedFile.CreateFromFile($"/dev/shm/{name}", FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
    }
    catch (FileNotFoundException)
    {
        Thread.Sleep(10);
    }
}
if (mmf is null)
{
    Console.Error.WriteLine($".NET reader: no map '{name}'");
    return 1;
}
using (mmf)
{
    using (var stream = mmf.CreateViewStream())
    {
        var reader = new BinaryReader(stream);
        Console.WriteLine($".NET reader: read \"{reader.ReadString()}\" from map '{name}'");
    }
    using var flag = mmf.CreateViewAccessor();
    flag.Write(9999, (byte)1);
}
return 0;
