/*
 * The seed's shared-memory example (API.md section 4), line for line, kept alive until a reader
 * (samples/shm/shm_reader.c or the .NET ShmReader) has read it: a named map lives only while some
 * process has it open, on Windows and, with sharpipc, on Linux too.
 *   shm_writer [MapName]
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L /* nanosleep */
#endif
#include <sharpipc.h>
#include <stdio.h>
#ifdef _WIN32
#  include <windows.h>
#  define sleep_ms(ms) Sleep(ms)
#else
#  include <time.h>
static void sleep_ms(int ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}
#endif

#define READ_FLAG_OFFSET 9999 /* the reader sets this byte once it has read */

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "SharedMemory";

    /* using (var mmf = MemoryMappedFile.CreateNew("SharedMemory", 10000)) */
    MemoryMappedFile *mmf = MemoryMappedFile_CreateNew(name, 10000);
    if (!mmf) {
        fprintf(stderr, "writer: %s\n", Exception_get_Message(Exception_get_Current()));
        return 1;
    }
    /* using (var stream = mmf.CreateViewStream()) */
    MemoryMappedViewStream *stream = MemoryMappedFile_CreateViewStream(mmf);
    /* var writer = new BinaryWriter(stream); writer.Write("Hello, shared memory!"); */
    BinaryWriter *writer = BinaryWriter_new(stream);
    BinaryWriter_Write(writer, "Hello, shared memory!");
    printf("C writer: wrote \"Hello, shared memory!\" to map '%s'\n", name);
    fflush(stdout);

    /* Not in the seed: wait for the reader before the map goes away. */
    MemoryMappedViewAccessor *flag = MemoryMappedFile_CreateViewAccessor(mmf);
    for (int waited = 0; waited < 20000 && !MemoryMappedViewAccessor_ReadByte(flag, READ_FLAG_OFFSET); waited += 10)
        sleep_ms(10);
    printf("C writer: the reader has read it\n");

    Dispose(flag);
    Dispose(writer);
    Dispose(stream);
    Dispose(mmf);
    return 0;
}
