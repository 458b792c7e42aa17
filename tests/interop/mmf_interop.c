/*
 * Memory-mapped files between C and a real .NET process (Linux):
 *   mmf_interop DOTNET PEER_DLL
 * runs, with the .NET side in MmfCases.cs:
 *   - a file map .NET writes with BinaryWriter, read by C with BinaryReader over a view stream;
 *   - the reverse, with C holding its map while .NET reads it and answers in it;
 *   - the seed's named map (MemoryMappedFile_CreateNew(name, 10000) + "Hello, shared memory!"),
 *     read by .NET through CreateFromFile("/dev/shm/<name>") while C keeps it alive;
 *   - a /dev/shm file .NET created and holds, opened by C with MemoryMappedFile_OpenExisting;
 *   - view-accessor layouts of every type, written by each side and read by the other, and
 *     byte-compared.
 * Prints "N passed, M failed".
 */
#include <sharpipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "records.h"
#include "sp_process.h"

/* MmfCases.cs's constants */
#define FILE_CAPACITY (1 << 17)
#define RECORDS 1000
#define REPLY_OFFSET 100000
#define SEED_TEXT "Hello, shared memory!"
#define SHM_CAPACITY 10000
#define SHM_REPLY_OFFSET 5000
#define SHM_FLAG_OFFSET 9999
#define DOTNET_REPLY "Hello from .NET! 안녕하세요 👋🌍"
#define C_REPLY "Hello from C! 안녕하세요 👋🌍"
#define LAYOUT_CAPACITY 4096

static bool run_peer(const char *scenario, const char *cmd, const char *a, const char *b)
{
    sp_child *child = interop_start_peer(cmd, a, b);
    if (!child)
        return interop_fail(scenario, "cannot start dotnet");
    int code = sp_child_wait(child, 120000);
    sp_child_free(child);
    if (code != 0) {
        printf("FAIL %s: dotnet %s exited with %d\n", scenario, cmd, code);
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------ records: see records.h */

/* ------------------------------------------------------------------ file maps */

/* .NET creates and writes a file map; C maps the file and reads it with BinaryReader. */
static void file_dotnet_to_c(const char *path)
{
    const char *scenario = ".NET file map (BinaryWriter) -> C (BinaryReader over a view stream)";
    bool ok = run_peer(scenario, "mmf-file-write", path, NULL);
    MemoryMappedFile *mmf = ok ? MemoryMappedFile_CreateFromFile(path) : NULL;
    if (ok && !mmf)
        ok = interop_fail(scenario, "CreateFromFile");
    MemoryMappedViewStream *stream = mmf ? MemoryMappedFile_CreateViewStream(mmf) : NULL;
    if (mmf && !stream)
        ok = interop_fail(scenario, "CreateViewStream");
    if (stream && Stream_get_Length(stream) != FILE_CAPACITY)
        ok = interop_fail(scenario, "the map is not the file's length");
    if (ok && !interop_read_records((Stream *)stream, RECORDS))
        ok = interop_fail(scenario, "records");
    Dispose(stream);
    Dispose(mmf);
    File_Delete(path);
    interop_finish(scenario, NULL, ok);
}

/* C creates and writes a file map and keeps it; .NET maps the file, reads, answers in it. */
static void file_c_to_dotnet(const char *path)
{
    const char *scenario = "C file map (BinaryWriter) -> .NET, live, .NET answers in it";
    MemoryMappedFile *mmf = MemoryMappedFile_CreateFromFile(path, FileMode_CreateNew, NULL, FILE_CAPACITY);
    bool ok = mmf != NULL;
    if (!ok)
        interop_fail(scenario, "CreateFromFile");
    MemoryMappedViewStream *stream = mmf ? MemoryMappedFile_CreateViewStream(mmf) : NULL;
    if (ok && !interop_write_records((Stream *)stream, RECORDS))
        ok = interop_fail(scenario, "writing records");
    if (ok && !Stream_Flush(stream))
        ok = interop_fail(scenario, "Flush");
    ok = ok && run_peer(scenario, "mmf-file-read", path, NULL);
    if (ok) { /* the answer, through this process's own live view */
        Stream_set_Position(stream, REPLY_OFFSET);
        BinaryReader *r = BinaryReader_new(stream, NULL, true);
        char *text = BinaryReader_ReadString(r);
        if (!text || strcmp(text, DOTNET_REPLY) != 0)
            ok = interop_fail(scenario, ".NET's answer text");
        String_Free(text);
        if (ok && BinaryReader_ReadInt64(r) != RECORDS)
            ok = interop_fail(scenario, ".NET's answer count");
        Dispose(r);
    }
    Dispose(stream);
    Dispose(mmf);
    File_Delete(path);
    interop_finish(scenario, NULL, ok);
}

/* ------------------------------------------------------------------ named maps */

static bool shm_exists(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "/dev/shm/%s", name);
    struct stat st;
    return stat(path, &st) == 0;
}

/* The seed: C's named map, read by .NET through /dev/shm/<name> while C holds it. */
static void shm_c_to_dotnet(void)
{
    const char *scenario = "C named map (the seed) -> .NET CreateFromFile(/dev/shm/<name>) while C keeps it";
    const char *name = sp_unique_name("sharpipc_mmf_interop");
    MemoryMappedFile *mmf = MemoryMappedFile_CreateNew(name, SHM_CAPACITY);
    if (!mmf) {
        interop_fail(scenario, "CreateNew");
        interop_finish(scenario, NULL, false);
        return;
    }
    MemoryMappedViewStream *stream = MemoryMappedFile_CreateViewStream(mmf);
    BinaryWriter *writer = BinaryWriter_new(stream);
    bool ok = BinaryWriter_Write(writer, SEED_TEXT);
    Dispose(writer);
    Dispose(stream);
    if (!ok)
        interop_fail(scenario, "writing the seed's string");
    ok = ok && run_peer(scenario, "mmf-shm-read", name, NULL);
    if (ok) {
        MemoryMappedViewAccessor *flag = MemoryMappedFile_CreateViewAccessor(mmf);
        if (MemoryMappedViewAccessor_ReadByte(flag, SHM_FLAG_OFFSET) != 1)
            ok = interop_fail(scenario, ".NET's flag");
        Dispose(flag);
        stream = MemoryMappedFile_CreateViewStream(mmf, SHM_REPLY_OFFSET, 0);
        BinaryReader *r = BinaryReader_new(stream);
        char *text = BinaryReader_ReadString(r);
        if (!text || strcmp(text, DOTNET_REPLY) != 0)
            ok = interop_fail(scenario, ".NET's answer");
        String_Free(text);
        Dispose(r);
        Dispose(stream);
    }
    if (!shm_exists(name))
        ok = interop_fail(scenario, "the name vanished while C held it");
    Dispose(mmf);
    if (shm_exists(name))
        ok = interop_fail(scenario, "/dev/shm/<name> outlived its last holder");
    interop_finish(scenario, NULL, ok);
}

/* .NET creates /dev/shm/<name> as a file map and holds it; C opens it by name and answers. */
static void shm_dotnet_to_c(const char *ready)
{
    const char *scenario = ".NET file map in /dev/shm -> C MemoryMappedFile_OpenExisting(<name>)";
    const char *name = sp_unique_name("sharpipc_mmf_interop");
    File_Delete(ready);
    sp_child *child = interop_start_peer("mmf-shm-create", name, ready);
    bool ok = child != NULL;
    /* Open only once .NET says its map exists and is locked: before that, sharpipc would take the
     * file for one a dead process left behind (nobody holds it) and reclaim it. */
    int waited = 0;
    while (ok && !File_Exists(ready) && waited < 60000) {
        sp_sleep_ms(10);
        waited += 10;
    }
    if (ok && !File_Exists(ready))
        ok = interop_fail(scenario, ".NET never became ready");
    MemoryMappedFile *mmf = ok ? MemoryMappedFile_OpenExisting(name) : NULL;
    if (ok && !mmf)
        ok = interop_fail(scenario, "OpenExisting");
    if (mmf) {
        MemoryMappedViewStream *stream = MemoryMappedFile_CreateViewStream(mmf);
        if (Stream_get_Length(stream) != SHM_CAPACITY)
            ok = interop_fail(scenario, "the opened map's length");
        BinaryReader *r = BinaryReader_new(stream);
        char *text = BinaryReader_ReadString(r);
        if (!text || strcmp(text, SEED_TEXT) != 0)
            ok = interop_fail(scenario, ".NET's string");
        String_Free(text);
        Dispose(r);
        Dispose(stream);
        stream = MemoryMappedFile_CreateViewStream(mmf, SHM_REPLY_OFFSET, 0);
        BinaryWriter *w = BinaryWriter_new(stream);
        BinaryWriter_Write(w, C_REPLY);
        Dispose(w);
        Dispose(stream);
        MemoryMappedViewAccessor *flag = MemoryMappedFile_CreateViewAccessor(mmf);
        MemoryMappedViewAccessor_WriteByte(flag, SHM_FLAG_OFFSET, 1);
        Dispose(flag);
        Dispose(mmf); /* .NET still holds it: the name stays for .NET to delete */
    }
    if (child) {
        int code = sp_child_wait(child, 120000);
        sp_child_free(child);
        child = NULL;
        if (code != 0) {
            printf("FAIL %s: the .NET peer exited with %d\n", scenario, code);
            ok = false;
        }
    }
    if (shm_exists(name))
        ok = interop_fail(scenario, "/dev/shm/<name> is still there after .NET deleted it");
    File_Delete(ready);
    interop_finish(scenario, NULL, ok);
}

/* ------------------------------------------------------------------ accessor layouts */

typedef struct {
    uint8_t a; /* 3 bytes of padding */
    int32_t b;
    int16_t c;
    int64_t d;
} padded; /* MmfCases.Padded */

typedef struct {
    long long offset;
    char op[16];
    char value[128];
} slot;

static int read_layout(const char *path, slot *slots, int max)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int n = 0;
    char line[256];
    while (n < max && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        int used = 0;
        if (sscanf(line, "%lld %15s %n", &slots[n].offset, slots[n].op, &used) < 2)
            continue;
        snprintf(slots[n].value, sizeof slots[n].value, "%s", line + used);
        n++;
    }
    fclose(f);
    return n;
}

static unsigned long long hex(const char *s) { return strtoull(s, NULL, 16); }

static Decimal decimal_of(const char *v)
{
    unsigned w[4] = {0};
    sscanf(v, "%x %x %x %x", &w[0], &w[1], &w[2], &w[3]);
    return (Decimal){w[0], w[1], w[2], w[3]};
}

static padded struct_of(const char *v)
{
    padded p;
    memset(&p, 0, sizeof p); /* padding included: both sides write zeros there */
    unsigned a = 0;
    int b = 0, c = 0;
    long long d = 0;
    sscanf(v, "%u %d %d %lld", &a, &b, &c, &d);
    p.a = (uint8_t)a;
    p.b = b;
    p.c = (int16_t)c;
    p.d = d;
    return p;
}

/* Reads the slot through the accessor and compares it bit for bit with the manifest's value. */
static bool check_slot(MemoryMappedViewAccessor *a, const slot *s, char *why, size_t n)
{
    int64_t p = s->offset;
    const char *v = s->value;
    bool ok;
    if (!strcmp(s->op, "Boolean"))
        ok = MemoryMappedViewAccessor_ReadBoolean(a, p) == (atoi(v) != 0);
    else if (!strcmp(s->op, "Byte"))
        ok = MemoryMappedViewAccessor_ReadByte(a, p) == (uint8_t)strtoul(v, NULL, 10);
    else if (!strcmp(s->op, "SByte"))
        ok = MemoryMappedViewAccessor_ReadSByte(a, p) == (int8_t)strtol(v, NULL, 10);
    else if (!strcmp(s->op, "Char"))
        ok = MemoryMappedViewAccessor_ReadChar(a, p) == (uint16_t)hex(v);
    else if (!strcmp(s->op, "Int16"))
        ok = MemoryMappedViewAccessor_ReadInt16(a, p) == (int16_t)strtol(v, NULL, 10);
    else if (!strcmp(s->op, "UInt16"))
        ok = MemoryMappedViewAccessor_ReadUInt16(a, p) == (uint16_t)strtoul(v, NULL, 10);
    else if (!strcmp(s->op, "Int32"))
        ok = MemoryMappedViewAccessor_ReadInt32(a, p) == (int32_t)strtol(v, NULL, 10);
    else if (!strcmp(s->op, "UInt32"))
        ok = MemoryMappedViewAccessor_ReadUInt32(a, p) == (uint32_t)strtoul(v, NULL, 10);
    else if (!strcmp(s->op, "Int64"))
        ok = MemoryMappedViewAccessor_ReadInt64(a, p) == strtoll(v, NULL, 10);
    else if (!strcmp(s->op, "UInt64"))
        ok = MemoryMappedViewAccessor_ReadUInt64(a, p) == strtoull(v, NULL, 10);
    else if (!strcmp(s->op, "Single")) {
        float f = MemoryMappedViewAccessor_ReadSingle(a, p);
        uint32_t bits;
        memcpy(&bits, &f, 4);
        ok = bits == (uint32_t)hex(v);
    } else if (!strcmp(s->op, "Double")) {
        double d = MemoryMappedViewAccessor_ReadDouble(a, p);
        uint64_t bits;
        memcpy(&bits, &d, 8);
        ok = bits == hex(v);
    } else if (!strcmp(s->op, "Half"))
        ok = MemoryMappedViewAccessor_ReadHalf(a, p).bits == (uint16_t)hex(v);
    else if (!strcmp(s->op, "Decimal")) {
        Decimal d = MemoryMappedViewAccessor_ReadDecimal(a, p), want = decimal_of(v);
        ok = memcmp(&d, &want, sizeof d) == 0;
    } else if (!strcmp(s->op, "Struct")) {
        padded got, want = struct_of(v);
        memset(&got, 0, sizeof got);
        ok = MemoryMappedViewAccessor_ReadStruct(a, p, &got, (int32_t)sizeof got) && got.a == want.a &&
             got.b == want.b && got.c == want.c && got.d == want.d;
    } else {
        snprintf(why, n, "unknown op %s", s->op);
        return false;
    }
    if (Exception_get_Current()) {
        snprintf(why, n, "%s: %s", Exception_get_TypeName(Exception_get_Current()),
                 Exception_get_Message(Exception_get_Current()));
        return false;
    }
    if (!ok)
        snprintf(why, n, "read a different value");
    return ok;
}

static bool write_slot(MemoryMappedViewAccessor *a, const slot *s)
{
    int64_t p = s->offset;
    const char *v = s->value;
    if (!strcmp(s->op, "Boolean"))
        return MemoryMappedViewAccessor_WriteBoolean(a, p, atoi(v) != 0);
    if (!strcmp(s->op, "Byte"))
        return MemoryMappedViewAccessor_WriteByte(a, p, (uint8_t)strtoul(v, NULL, 10));
    if (!strcmp(s->op, "SByte"))
        return MemoryMappedViewAccessor_WriteSByte(a, p, (int8_t)strtol(v, NULL, 10));
    if (!strcmp(s->op, "Char"))
        return MemoryMappedViewAccessor_WriteChar(a, p, (uint16_t)hex(v));
    if (!strcmp(s->op, "Int16"))
        return MemoryMappedViewAccessor_WriteInt16(a, p, (int16_t)strtol(v, NULL, 10));
    if (!strcmp(s->op, "UInt16"))
        return MemoryMappedViewAccessor_WriteUInt16(a, p, (uint16_t)strtoul(v, NULL, 10));
    if (!strcmp(s->op, "Int32"))
        return MemoryMappedViewAccessor_WriteInt32(a, p, (int32_t)strtol(v, NULL, 10));
    if (!strcmp(s->op, "UInt32"))
        return MemoryMappedViewAccessor_WriteUInt32(a, p, (uint32_t)strtoul(v, NULL, 10));
    if (!strcmp(s->op, "Int64"))
        return MemoryMappedViewAccessor_WriteInt64(a, p, strtoll(v, NULL, 10));
    if (!strcmp(s->op, "UInt64"))
        return MemoryMappedViewAccessor_WriteUInt64(a, p, strtoull(v, NULL, 10));
    if (!strcmp(s->op, "Single")) {
        uint32_t bits = (uint32_t)hex(v);
        float f;
        memcpy(&f, &bits, 4);
        return MemoryMappedViewAccessor_WriteSingle(a, p, f);
    }
    if (!strcmp(s->op, "Double")) {
        uint64_t bits = hex(v);
        double d;
        memcpy(&d, &bits, 8);
        return MemoryMappedViewAccessor_WriteDouble(a, p, d);
    }
    if (!strcmp(s->op, "Half"))
        return MemoryMappedViewAccessor_WriteHalf(a, p, Half_FromBits((uint16_t)hex(v)));
    if (!strcmp(s->op, "Decimal"))
        return MemoryMappedViewAccessor_WriteDecimal(a, p, decimal_of(v));
    if (!strcmp(s->op, "Struct")) {
        padded st = struct_of(v);
        return MemoryMappedViewAccessor_WriteStruct(a, p, &st, (int32_t)sizeof st);
    }
    return false;
}

static uint8_t *slurp(const char *path, long *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)*n + 1);
    if (b && fread(b, 1, (size_t)*n, f) != (size_t)*n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

static void layouts(const char *dir)
{
    char ops[512], net[512], cbin[512];
    snprintf(ops, sizeof ops, "%s/layout.ops", dir);
    snprintf(net, sizeof net, "%s/layout.net.bin", dir);
    snprintf(cbin, sizeof cbin, "%s/layout.c.bin", dir);

    /* .NET -> C */
    const char *scenario = "accessor layouts of every type: .NET writes, C reads";
    slot slots[128];
    int n = -1;
    bool ok = run_peer(scenario, "mmf-layout-write", dir, NULL);
    if (ok && (n = read_layout(ops, slots, 128)) < 30)
        ok = interop_fail(scenario, "the manifest");
    MemoryMappedFile *mmf =
        ok ? MemoryMappedFile_CreateFromFile(net, FileMode_Open, NULL, 0, MemoryMappedFileAccess_Read) : NULL;
    if (ok && !mmf)
        ok = interop_fail(scenario, "CreateFromFile");
    MemoryMappedViewAccessor *a =
        mmf ? MemoryMappedFile_CreateViewAccessor(mmf, 0, 0, MemoryMappedFileAccess_Read) : NULL;
    for (int i = 0; a && i < n; i++) {
        char why[256];
        if (!check_slot(a, &slots[i], why, sizeof why)) {
            printf("FAIL %s: %lld %s %s: %s\n", scenario, slots[i].offset, slots[i].op, slots[i].value, why);
            ok = false;
        }
    }
    Dispose(a);
    Dispose(mmf);
    interop_finish(scenario, NULL, ok);

    /* C -> .NET: C writes the same values into its own file map */
    scenario = "accessor layouts of every type: C writes, .NET reads; the files are identical";
    ok = n > 0;
    File_Delete(cbin);
    mmf = ok ? MemoryMappedFile_CreateFromFile(cbin, FileMode_CreateNew, NULL, LAYOUT_CAPACITY) : NULL;
    a = mmf ? MemoryMappedFile_CreateViewAccessor(mmf) : NULL;
    if (ok && !a)
        ok = interop_fail(scenario, "map");
    for (int i = 0; a && i < n; i++)
        if (!write_slot(a, &slots[i])) {
            printf("FAIL %s: writing %lld %s %s\n", scenario, slots[i].offset, slots[i].op, slots[i].value);
            ok = false;
        }
    if (a && !MemoryMappedViewAccessor_Flush(a))
        ok = interop_fail(scenario, "Flush");
    Dispose(a);
    Dispose(mmf);
    long nn = 0, nc = 0;
    uint8_t *bn = slurp(net, &nn), *bc = slurp(cbin, &nc);
    if (!bn || !bc || nn != nc || memcmp(bn, bc, (size_t)nn) != 0) {
        long at = 0;
        while (bn && bc && at < nn && at < nc && bn[at] == bc[at])
            at++;
        printf("FAIL %s: layout.c.bin differs from layout.net.bin at %ld (lengths %ld, %ld)\n", scenario, at, nn, nc);
        ok = false;
    }
    free(bn);
    free(bc);
    ok = run_peer(scenario, "mmf-layout-verify", dir, NULL) && ok;
    interop_finish(scenario, NULL, ok);
    remove(ops);
    remove(net);
    remove(cbin);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    if (sp_child_main(argc, argv, NULL, NULL, 0) >= 0)
        return 99;
    if (argc != 3) {
        fprintf(stderr, "usage: mmf_interop DOTNET PEER_DLL\n");
        return 2;
    }
    interop_dotnet = argv[1];
    interop_peer = argv[2];
    char path[128], ready[128], dir[128];
    snprintf(path, sizeof path, "%s.map", sp_unique_name("sharpipc_mmf_interop"));
    file_dotnet_to_c(path);
    snprintf(path, sizeof path, "%s.map", sp_unique_name("sharpipc_mmf_interop"));
    file_c_to_dotnet(path);
    shm_c_to_dotnet();
    snprintf(ready, sizeof ready, "%s.ready", sp_unique_name("sharpipc_mmf_interop"));
    shm_dotnet_to_c(ready);
    snprintf(dir, sizeof dir, "%s.layout", sp_unique_name("sharpipc_mmf_interop"));
    layouts(dir);
    printf("%d passed, %d failed\n", interop_passed, interop_failed);
    return interop_failed ? 1 : 0;
}
