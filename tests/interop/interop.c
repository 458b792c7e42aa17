/*
 * The C side of the .NET interop tests: a generic interpreter of the manifests that the .NET peer
 * (tests/dotnet/Peer) writes. Format: tests/interop/README.md.
 *
 *   sharpipc_interop binary DIR   every case in DIR/index.txt: writes the ops with the C
 *                                 BinaryWriter and compares the bytes with <case>.bin, reads
 *                                 <case>.bin back with the C BinaryReader, checks that one more
 *                                 read is an EndOfStreamException, writes <case>.c.bin.
 *   sharpipc_interop text DIR     writer cases (<case>.ops): the same with StreamWriter, writing
 *                                 <case>.c.txt; reader cases (<case>.rdops): StreamReader.ReadLine
 *                                 over <case>.rd must give the lines .NET gave.
 *
 * Prints "FAIL <case>: ..." lines and a final "N passed, M failed"; exits 1 on any failure.
 * Plain C99 over the public API only; no directory listing, so it runs the same under wine.
 */
#include <sharpipc.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ small utilities */

typedef struct Buf {
    unsigned char *data;
    size_t len;
} Buf;

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(3);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

/* The whole file, NUL-terminated one byte past len; false when it cannot be opened. */
static bool load_file(const char *path, Buf *out)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 65536, len = 0;
    unsigned char *data;
    if (!f)
        return false;
    data = xmalloc(cap + 1);
    for (;;) {
        size_t n = fread(data + len, 1, cap - len, f);
        len += n;
        if (len < cap)
            break;
        cap *= 2;
        data = realloc(data, cap + 1);
        if (!data) {
            fprintf(stderr, "out of memory\n");
            exit(3);
        }
    }
    fclose(f);
    data[len] = 0;
    out->data = data;
    out->len = len;
    return true;
}

static bool file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* A manifest: its lines, split in place on '\n' (the format's only terminator). */
typedef struct Lines {
    Buf file;
    char **line;
    size_t count;
} Lines;

static bool load_lines(const char *path, Lines *out)
{
    size_t i, n = 0, start = 0;
    memset(out, 0, sizeof *out);
    if (!load_file(path, &out->file))
        return false;
    for (i = 0; i < out->file.len; i++)
        if (out->file.data[i] == '\n')
            n++;
    out->line = xmalloc((n + 1) * sizeof(char *));
    for (i = 0; i < out->file.len; i++) {
        if (out->file.data[i] == '\n') {
            out->file.data[i] = 0;
            out->line[out->count++] = (char *)out->file.data + start;
            start = i + 1;
        }
    }
    if (start < out->file.len) /* an unterminated last line */
        out->line[out->count++] = (char *)out->file.data + start;
    return true;
}

static void free_lines(Lines *l)
{
    free(l->file.data);
    free(l->line);
    memset(l, 0, sizeof *l);
}

static char *path_of(const char *dir, const char *name, const char *ext)
{
    size_t n = strlen(dir) + strlen(name) + strlen(ext) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s%s", dir, name, ext);
    return p;
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "-" is no bytes. The result is NUL-terminated one past len (handy for UTF-8 text). */
static bool parse_hex(const char *s, Buf *out)
{
    size_t n = strlen(s), i;
    out->data = NULL;
    out->len = 0;
    if (strcmp(s, "-") == 0) {
        out->data = xmalloc(1);
        out->data[0] = 0;
        return true;
    }
    if (n == 0 || n % 2)
        return false;
    out->data = xmalloc(n / 2 + 1);
    for (i = 0; i < n / 2; i++) {
        int hi = hex_digit((unsigned char)s[2 * i]), lo = hex_digit((unsigned char)s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(out->data);
            out->data = NULL;
            return false;
        }
        out->data[i] = (unsigned char)(hi << 4 | lo);
    }
    out->data[n / 2] = 0;
    out->len = n / 2;
    return true;
}

/* Exactly `digits` hex digits. */
static bool parse_hex_bits(const char *s, int digits, uint64_t *out)
{
    uint64_t v = 0;
    int i;
    if ((int)strlen(s) != digits)
        return false;
    for (i = 0; i < digits; i++) {
        int d = hex_digit((unsigned char)s[i]);
        if (d < 0)
            return false;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return true;
}

static bool parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    long long v;
    if (!*s)
        return false;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = (int64_t)v;
    return true;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (!*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = (uint64_t)v;
    return true;
}

/* Lower-case hex of bytes, "-" for none. Caller frees. */
static char *to_hex(const void *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *b = data;
    char *s;
    size_t i;
    if (len == 0)
        return xstrdup("-");
    s = xmalloc(2 * len + 1);
    for (i = 0; i < len; i++) {
        s[2 * i] = digits[b[i] >> 4];
        s[2 * i + 1] = digits[b[i] & 15];
    }
    s[2 * len] = 0;
    return s;
}

static char *units_to_hex(const uint16_t *units, size_t n)
{
    char *s;
    size_t i;
    if (n == 0)
        return xstrdup("-");
    s = xmalloc(4 * n + 1);
    for (i = 0; i < n; i++)
        snprintf(s + 4 * i, 5, "%04x", (unsigned)units[i]);
    return s;
}

static int strcasecmp_ascii(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y || !x)
            return x - y;
    }
}

/* At most 72 characters of s, for messages. */
static const char *shorten(const char *s, char buf[96])
{
    size_t n = strlen(s);
    if (n <= 72)
        return s;
    snprintf(buf, 96, "%.64s...(%lu chars)", s, (unsigned long)n);
    return buf;
}

/* "Type: message" of the pending exception, or "no exception". */
static const char *exception_text(void)
{
    static char buf[512];
    const Exception *e = Exception_get_Current();
    if (!e)
        return "no exception";
    snprintf(buf, sizeof buf, "%s: %s", Exception_get_TypeName(e), Exception_get_Message(e));
    return buf;
}

/* ================================================================ per-case bookkeeping */

typedef struct Run {
    const char *dir;
    int passed, failed;
} Run;

typedef struct Case {
    const char *name;
    bool failed;
} Case;

static void fail(Case *c, const char *fmt, ...)
{
    va_list ap;
    printf("FAIL %s: ", c->name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    c->failed = true;
}

static void finish_case(Run *run, Case *c)
{
    if (c->failed)
        run->failed++;
    else
        run->passed++;
}

/* The encoding a manifest names; *is_default for "default" (use the constructor without one). */
static bool encoding_by_name(const char *name, const Encoding **enc, bool *is_default)
{
    *is_default = false;
    *enc = NULL;
    if (strcmp(name, "default") == 0)
        *is_default = true;
    else if (strcmp(name, "utf-8") == 0)
        *enc = Encoding_UTF8;
    else if (strcmp(name, "utf-16") == 0)
        *enc = Encoding_Unicode;
    else if (strcmp(name, "utf-16BE") == 0)
        *enc = Encoding_BigEndianUnicode;
    else if (strcmp(name, "utf-32") == 0)
        *enc = Encoding_UTF32;
    else
        return false;
    return *enc != NULL || *is_default;
}

/* Writes bytes to path with a C FileStream (FileMode.Create). */
static bool write_with_filestream(Case *c, const char *path, const void *data, size_t len)
{
    FileStream *fs = FileStream_new(path, FileMode_Create);
    bool ok;
    if (!fs) {
        fail(c, "FileStream(%s, Create): %s", path, exception_text());
        return false;
    }
    ok = Stream_Write(fs, len ? data : "", 0, (int32_t)len);
    if (!ok)
        fail(c, "FileStream.Write(%s): %s", path, exception_text());
    if (!Dispose(fs)) {
        fail(c, "FileStream.Dispose(%s): %s", path, exception_text());
        ok = false;
    }
    return ok;
}

static FileStream *open_for_reading(Case *c, const char *path)
{
    FileStream *fs = FileStream_new_ex(path, FileMode_Open, FileAccess_Read, FileShare_Read, -1, FileOptions_None);
    if (!fs)
        fail(c, "FileStream(%s, Open, Read): %s", path, exception_text());
    return fs;
}

/* First differing offset of two byte strings, or -1. */
static long first_difference(const Buf *expected, const unsigned char *got, size_t got_len)
{
    size_t n = expected->len < got_len ? expected->len : got_len, i;
    for (i = 0; i < n; i++)
        if (expected->data[i] != got[i])
            return (long)i;
    return expected->len == got_len ? -1 : (long)n;
}

static void describe_byte(char out[8], const unsigned char *data, size_t len, long at)
{
    if ((size_t)at < len)
        snprintf(out, 8, "%02x", data[at]);
    else
        snprintf(out, 8, "EOF");
}

/* ================================================================ binary */

typedef enum BinKind {
    BK_Boolean,
    BK_Byte,
    BK_SByte,
    BK_Int16,
    BK_UInt16,
    BK_Int32,
    BK_UInt32,
    BK_Int64,
    BK_UInt64,
    BK_Single,
    BK_Double,
    BK_Half,
    BK_Decimal,
    BK_Char,
    BK_String,
    BK_Chars,
    BK_Bytes,
    BK_7BitInt,
    BK_7BitInt64,
    BK_Count_
} BinKind;

static const char *const bin_kind_names[BK_Count_] = {
    "Boolean", "Byte", "SByte",   "Int16", "UInt16", "Int32", "UInt32", "Int64",   "UInt64",    "Single",
    "Double",  "Half", "Decimal", "Char",  "String", "Chars", "Bytes",  "7BitInt", "7BitInt64",
};

typedef struct BinOp {
    BinKind kind;
    const char *text; /* the manifest's value text, which is also what a read must format back to */
    int64_t i;        /* signed integers, 7-bit ints, Boolean */
    uint64_t u;       /* unsigned integers and the bits of Single/Double/Half/Char */
    Decimal dec;
    Buf bytes;       /* String (UTF-8), Bytes */
    uint16_t *units; /* Chars */
    size_t nunits;
} BinOp;

static bool parse_bin_op(char *line, BinOp *op)
{
    char *space = strchr(line, ' ');
    const char *v;
    uint64_t bits;
    int k;
    memset(op, 0, sizeof *op);
    if (!space)
        return false;
    *space = 0;
    v = space + 1;
    op->text = v;
    for (k = 0; k < BK_Count_; k++)
        if (strcmp(line, bin_kind_names[k]) == 0)
            break;
    *space = ' ';
    if (k == BK_Count_)
        return false;
    op->kind = (BinKind)k;
    switch (op->kind) {
    case BK_Boolean:
        if (strcmp(v, "0") && strcmp(v, "1"))
            return false;
        op->i = v[0] == '1';
        return true;
    case BK_Byte: return parse_u64(v, UINT8_MAX, &op->u);
    case BK_SByte: return parse_i64(v, INT8_MIN, INT8_MAX, &op->i);
    case BK_Int16: return parse_i64(v, INT16_MIN, INT16_MAX, &op->i);
    case BK_UInt16: return parse_u64(v, UINT16_MAX, &op->u);
    case BK_Int32:
    case BK_7BitInt: return parse_i64(v, INT32_MIN, INT32_MAX, &op->i);
    case BK_UInt32: return parse_u64(v, UINT32_MAX, &op->u);
    case BK_Int64:
    case BK_7BitInt64: return parse_i64(v, INT64_MIN, INT64_MAX, &op->i);
    case BK_UInt64: return parse_u64(v, UINT64_MAX, &op->u);
    case BK_Single: return parse_hex_bits(v, 8, &op->u);
    case BK_Double: return parse_hex_bits(v, 16, &op->u);
    case BK_Half:
    case BK_Char: return parse_hex_bits(v, 4, &op->u);
    case BK_Decimal: {
        char part[9];
        uint32_t f[4];
        int p;
        if (strlen(v) != 35)
            return false;
        for (p = 0; p < 4; p++) {
            if (p < 3 && v[9 * p + 8] != ' ')
                return false;
            memcpy(part, v + 9 * p, 8);
            part[8] = 0;
            if (!parse_hex_bits(part, 8, &bits))
                return false;
            f[p] = (uint32_t)bits;
        }
        op->dec.lo = f[0];
        op->dec.mid = f[1];
        op->dec.hi = f[2];
        op->dec.flags = f[3];
        return true;
    }
    case BK_String:
    case BK_Bytes: return parse_hex(v, &op->bytes);
    case BK_Chars: {
        size_t n = strcmp(v, "-") == 0 ? 0 : strlen(v), i;
        char part[5];
        if (n % 4)
            return false;
        op->nunits = n / 4;
        op->units = xmalloc((op->nunits + 1) * sizeof(uint16_t));
        for (i = 0; i < op->nunits; i++) {
            memcpy(part, v + 4 * i, 4);
            part[4] = 0;
            if (!parse_hex_bits(part, 4, &bits))
                return false;
            op->units[i] = (uint16_t)bits;
        }
        return true;
    }
    default: return false;
    }
}

static void free_bin_op(BinOp *op)
{
    free(op->bytes.data);
    free(op->units);
}

static bool write_bin_op(BinaryWriter *w, const BinOp *op)
{
    static const uint16_t no_units[1] = {0};
    switch (op->kind) {
    case BK_Boolean: return BinaryWriter_WriteBoolean(w, op->i != 0);
    case BK_Byte: return BinaryWriter_WriteByte(w, (uint8_t)op->u);
    case BK_SByte: return BinaryWriter_WriteSByte(w, (int8_t)op->i);
    case BK_Int16: return BinaryWriter_WriteInt16(w, (int16_t)op->i);
    case BK_UInt16: return BinaryWriter_WriteUInt16(w, (uint16_t)op->u);
    case BK_Int32: return BinaryWriter_WriteInt32(w, (int32_t)op->i);
    case BK_UInt32: return BinaryWriter_WriteUInt32(w, (uint32_t)op->u);
    case BK_Int64: return BinaryWriter_WriteInt64(w, op->i);
    case BK_UInt64: return BinaryWriter_WriteUInt64(w, op->u);
    case BK_Single: {
        uint32_t bits = (uint32_t)op->u;
        float f;
        memcpy(&f, &bits, sizeof f);
        return BinaryWriter_WriteSingle(w, f);
    }
    case BK_Double: {
        double d;
        memcpy(&d, &op->u, sizeof d);
        return BinaryWriter_WriteDouble(w, d);
    }
    case BK_Half: return BinaryWriter_WriteHalf(w, Half_FromBits((uint16_t)op->u));
    case BK_Decimal: return BinaryWriter_WriteDecimal(w, op->dec);
    case BK_Char: return BinaryWriter_WriteChar(w, (uint16_t)op->u);
    case BK_String:
        /* Both entry points: the NUL-terminated one where it can carry the string. */
        if (memchr(op->bytes.data, 0, op->bytes.len))
            return BinaryWriter_WriteStringWithLength(w, (const char *)op->bytes.data, (int32_t)op->bytes.len);
        return BinaryWriter_WriteString(w, (const char *)op->bytes.data);
    case BK_Chars: return BinaryWriter_WriteChars(w, op->nunits ? op->units : no_units, 0, (int32_t)op->nunits);
    case BK_Bytes: return BinaryWriter_WriteBytes(w, op->bytes.data, 0, (int32_t)op->bytes.len);
    case BK_7BitInt: return BinaryWriter_Write7BitEncodedInt(w, (int32_t)op->i);
    case BK_7BitInt64: return BinaryWriter_Write7BitEncodedInt64(w, op->i);
    default: return false;
    }
}

/* Reads what op describes and formats it as manifest text (caller frees); NULL when the call
 * failed (the exception is pending). */
static char *read_bin_value(BinaryReader *r, const BinOp *op)
{
    char buf[64];
    switch (op->kind) {
    case BK_Boolean: snprintf(buf, sizeof buf, "%d", BinaryReader_ReadBoolean(r) ? 1 : 0); break;
    case BK_Byte: snprintf(buf, sizeof buf, "%u", (unsigned)BinaryReader_ReadByte(r)); break;
    case BK_SByte: snprintf(buf, sizeof buf, "%d", (int)BinaryReader_ReadSByte(r)); break;
    case BK_Int16: snprintf(buf, sizeof buf, "%d", (int)BinaryReader_ReadInt16(r)); break;
    case BK_UInt16: snprintf(buf, sizeof buf, "%u", (unsigned)BinaryReader_ReadUInt16(r)); break;
    case BK_Int32: snprintf(buf, sizeof buf, "%" PRId32, BinaryReader_ReadInt32(r)); break;
    case BK_UInt32: snprintf(buf, sizeof buf, "%" PRIu32, BinaryReader_ReadUInt32(r)); break;
    case BK_Int64: snprintf(buf, sizeof buf, "%" PRId64, BinaryReader_ReadInt64(r)); break;
    case BK_UInt64: snprintf(buf, sizeof buf, "%" PRIu64, BinaryReader_ReadUInt64(r)); break;
    case BK_Single: {
        float f = BinaryReader_ReadSingle(r);
        uint32_t bits;
        memcpy(&bits, &f, sizeof bits);
        snprintf(buf, sizeof buf, "%08" PRIx32, bits);
        break;
    }
    case BK_Double: {
        double d = BinaryReader_ReadDouble(r);
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        snprintf(buf, sizeof buf, "%016" PRIx64, bits);
        break;
    }
    case BK_Half: snprintf(buf, sizeof buf, "%04x", (unsigned)BinaryReader_ReadHalf(r).bits); break;
    case BK_Decimal: {
        Decimal d = BinaryReader_ReadDecimal(r);
        snprintf(buf, sizeof buf, "%08" PRIx32 " %08" PRIx32 " %08" PRIx32 " %08" PRIx32, d.lo, d.mid, d.hi, d.flags);
        break;
    }
    case BK_Char: snprintf(buf, sizeof buf, "%04x", (unsigned)BinaryReader_ReadChar(r)); break;
    case BK_7BitInt: snprintf(buf, sizeof buf, "%" PRId32, BinaryReader_Read7BitEncodedInt(r)); break;
    case BK_7BitInt64: snprintf(buf, sizeof buf, "%" PRId64, BinaryReader_Read7BitEncodedInt64(r)); break;
    case BK_String: {
        char *s, *hex;
        int32_t n = -1;
        /* Both entry points: ReadString where a NUL-terminated result can hold the value. */
        if (memchr(op->bytes.data, 0, op->bytes.len)) {
            s = BinaryReader_ReadStringWithLength(r, &n);
        } else {
            s = BinaryReader_ReadString(r);
            n = s ? (int32_t)strlen(s) : -1;
        }
        if (!s)
            return NULL;
        if (n < 0) {
            String_Free(s);
            return xstrdup("(negative byteLength)");
        }
        hex = to_hex(s, (size_t)n);
        String_Free(s);
        return hex;
    }
    case BK_Chars: {
        int32_t n = -1;
        uint16_t *u = BinaryReader_ReadChars(r, (int32_t)op->nunits, &n);
        char *hex;
        if (!u)
            return NULL;
        hex = n < 0 ? xstrdup("(negative length)") : units_to_hex(u, (size_t)n);
        Array_Free(u);
        return hex;
    }
    case BK_Bytes: {
        int32_t n = -1;
        uint8_t *b = BinaryReader_ReadBytes(r, (int32_t)op->bytes.len, &n);
        char *hex;
        if (!b)
            return NULL;
        hex = n < 0 ? xstrdup("(negative length)") : to_hex(b, (size_t)n);
        Array_Free(b);
        return hex;
    }
    default: return xstrdup("(unknown op)");
    }
    if (Exception_get_Current())
        return NULL;
    return xstrdup(buf);
}

static BinaryWriter *new_binary_writer(Stream *s, const Encoding *enc, bool is_default)
{
    /* "default" is new BinaryWriter(stream); the others new BinaryWriter(stream, enc, leaveOpen). */
    return is_default ? BinaryWriter_new(s) : BinaryWriter_new_ex(s, enc, true);
}

static BinaryReader *new_binary_reader(Stream *s, const Encoding *enc, bool is_default)
{
    return is_default ? BinaryReader_new(s) : BinaryReader_new_ex(s, enc, false);
}

static void binary_case(Run *run, const char *name)
{
    Case c = {name, false};
    char *ops_path = path_of(run->dir, name, ".ops");
    char *bin_path = path_of(run->dir, name, ".bin");
    char *cbin_path = path_of(run->dir, name, ".c.bin");
    Lines lines;
    Buf expected = {NULL, 0};
    BinOp *ops = NULL;
    int64_t *ends = NULL;
    size_t nops = 0, i;
    const Encoding *enc = NULL;
    bool is_default = false;
    MemoryStream *ms = NULL;
    BinaryWriter *w = NULL;
    uint8_t *got = NULL;
    int32_t got_len = 0;
    char shortbuf[2][96];

    if (!load_lines(ops_path, &lines)) {
        fail(&c, "cannot read %s", ops_path);
        goto done_nolines;
    }
    if (!load_file(bin_path, &expected)) {
        fail(&c, "cannot read %s", bin_path);
        goto done;
    }
    if (lines.count < 2 || strncmp(lines.line[0], "encoding ", 9) != 0 ||
        !encoding_by_name(lines.line[0] + 9, &enc, &is_default)) {
        fail(&c, "bad manifest header '%s'", lines.count ? lines.line[0] : "");
        goto done;
    }
    ops = xmalloc((lines.count - 1) * sizeof *ops);
    ends = xmalloc((lines.count - 1) * sizeof *ends);
    for (i = 1; i < lines.count; i++, nops++) {
        if (!parse_bin_op(lines.line[i], &ops[nops])) {
            free_bin_op(&ops[nops]);
            fail(&c, "bad manifest line %lu '%s'", (unsigned long)i + 1, shorten(lines.line[i], shortbuf[0]));
            goto done;
        }
    }

    /* ---- write with the C BinaryWriter into a MemoryStream, compare with .NET's bytes */
    ms = MemoryStream_new();
    if (!ms) {
        fail(&c, "MemoryStream(): %s", exception_text());
        goto done;
    }
    w = new_binary_writer((Stream *)ms, enc, is_default);
    if (!w) {
        fail(&c, "BinaryWriter(MemoryStream, %s): %s", lines.line[0] + 9, exception_text());
        goto done;
    }
    for (i = 0; i < nops; i++) {
        if (!write_bin_op(w, &ops[i])) {
            fail(&c, "write op %lu (%s %s): %s", (unsigned long)i + 1, bin_kind_names[ops[i].kind],
                 shorten(ops[i].text, shortbuf[0]), exception_text());
            goto done;
        }
        ends[i] = Stream_get_Position(ms);
    }
    if (!BinaryWriter_Flush(w))
        fail(&c, "BinaryWriter.Flush: %s", exception_text());
    got = MemoryStream_ToArray(ms, &got_len);
    if (!got) {
        fail(&c, "MemoryStream.ToArray: %s", exception_text());
        goto done;
    }
    {
        long at = first_difference(&expected, got, (size_t)got_len);
        if (at >= 0) {
            char e[8], g[8];
            size_t k = 0;
            describe_byte(e, expected.data, expected.len, at);
            describe_byte(g, got, (size_t)got_len, at);
            while (k < nops && ends[k] <= at)
                k++;
            if (k < nops)
                fail(&c,
                     "C bytes differ at offset %ld: expected %s, got %s (lengths %lu vs %ld); in op %lu (%s %s), which "
                     "starts at offset %" PRId64,
                     at, e, g, (unsigned long)expected.len, (long)got_len, (unsigned long)k + 1,
                     bin_kind_names[ops[k].kind], shorten(ops[k].text, shortbuf[0]), k ? ends[k - 1] : (int64_t)0);
            else
                fail(&c, "C bytes differ at offset %ld: expected %s, got %s (lengths %lu vs %ld)", at, e, g,
                     (unsigned long)expected.len, (long)got_len);
        }
    }
    write_with_filestream(&c, cbin_path, got, (size_t)got_len);

    /* ---- read .NET's bytes with the C BinaryReader over a FileStream */
    {
        FileStream *fs = open_for_reading(&c, bin_path);
        BinaryReader *r;
        if (!fs)
            goto done;
        r = new_binary_reader((Stream *)fs, enc, is_default);
        if (!r) {
            fail(&c, "BinaryReader(FileStream, %s): %s", lines.line[0] + 9, exception_text());
            Dispose(fs);
            goto done;
        }
        for (i = 0; i < nops; i++) {
            int64_t at = Stream_get_Position(fs);
            char *value = read_bin_value(r, &ops[i]);
            if (!value) {
                fail(&c, "read op %lu (%s %s) at offset %" PRId64 ": %s", (unsigned long)i + 1,
                     bin_kind_names[ops[i].kind], shorten(ops[i].text, shortbuf[0]), at, exception_text());
                break;
            }
            if (strcasecmp_ascii(value, ops[i].text) != 0) {
                fail(&c, "read op %lu (%s) at offset %" PRId64 ": expected %s, got %s", (unsigned long)i + 1,
                     bin_kind_names[ops[i].kind], at, shorten(ops[i].text, shortbuf[0]), shorten(value, shortbuf[1]));
                free(value);
                break;
            }
            free(value);
        }
        if (i == nops) {
            /* One more read: the last op's read, or ReadByte after Chars/Bytes (those give short
             * arrays at end of stream rather than throw). */
            BinOp probe = ops[nops - 1];
            char *value;
            if (probe.kind == BK_Chars || probe.kind == BK_Bytes) {
                memset(&probe, 0, sizeof probe);
                probe.kind = BK_Byte;
            }
            value = read_bin_value(r, &probe);
            if (value) {
                fail(&c, "extra Read%s after the last op returned %s without an exception", bin_kind_names[probe.kind],
                     shorten(value, shortbuf[0]));
                free(value);
            } else if (!Exception_Is(Exception_get_Current(), ExceptionType_EndOfStreamException)) {
                fail(&c, "extra Read%s after the last op: %s, not EndOfStreamException", bin_kind_names[probe.kind],
                     exception_text());
            }
            Exception_Clear();
        }
        if (!Dispose(r))
            fail(&c, "BinaryReader.Dispose: %s", exception_text());
        Dispose(fs);
    }

done:
    if (got)
        Array_Free(got);
    if (w && !Dispose(w))
        fail(&c, "BinaryWriter.Dispose: %s", exception_text());
    if (ms)
        Dispose(ms);
    for (i = 0; i < nops; i++)
        free_bin_op(&ops[i]);
    free(ops);
    free(ends);
    free(expected.data);
    free_lines(&lines);
done_nolines:
    free(ops_path);
    free(bin_path);
    free(cbin_path);
    finish_case(run, &c);
}

/* ================================================================ text: StreamWriter */

static StreamWriter *new_stream_writer(Stream *s, const Encoding *enc, bool is_default)
{
    /* NULL is the default encoding (UTF-8 without a BOM); leaveOpen so that ToArray follows Dispose. */
    return StreamWriter_new_ex(s, is_default ? NULL : enc, -1, true);
}

/* Does one writer op; false when it failed (reported). */
static bool writer_op(Case *c, StreamWriter *w, MemoryStream *ms, size_t index, const char *line, const char *prev)
{
    const char *space = strchr(line, ' ');
    size_t oplen = space ? (size_t)(space - line) : strlen(line);
    const char *v = space ? space + 1 : "";
    char shortbuf[96];
    Buf text = {NULL, 0};
    bool ok = false, known = true;
    int64_t n;
    uint64_t bits;

#define OP_IS(name) (oplen == sizeof(name) - 1 && strncmp(line, name, oplen) == 0)
    if (OP_IS("newline") || OP_IS("write") || OP_IS("writeline")) {
        if (!parse_hex(v, &text)) {
            fail(c, "line %lu: bad hex '%s'", (unsigned long)index + 1, shorten(v, shortbuf));
            return false;
        }
        if (OP_IS("newline")) {
            if (memchr(text.data, 0, text.len)) {
                fail(c, "line %lu: a NewLine holding U+0000 cannot be passed to StreamWriter_set_NewLine",
                     (unsigned long)index + 1);
                free(text.data);
                return false;
            }
            ok = StreamWriter_set_NewLine(w, (const char *)text.data);
        } else if (memchr(text.data, 0, text.len)) {
            /* U+0000 inside: Write(char[], index, count) carries it, then NewLine for writeline. */
            ok = StreamWriter_WriteChars(w, (const char *)text.data, 0, (int32_t)text.len);
            if (ok && OP_IS("writeline"))
                ok = StreamWriter_WriteLine(w);
        } else if (OP_IS("write")) {
            ok = StreamWriter_WriteString(w, (const char *)text.data);
        } else {
            ok = StreamWriter_WriteLineString(w, (const char *)text.data);
        }
        free(text.data);
    } else if (OP_IS("autoflush")) {
        ok = (strcmp(v, "0") == 0 || strcmp(v, "1") == 0) && StreamWriter_set_AutoFlush(w, v[0] == '1');
    } else if (OP_IS("writeline-empty")) {
        ok = StreamWriter_WriteLine(w);
    } else if (OP_IS("flush")) {
        ok = StreamWriter_Flush(w);
    } else if (OP_IS("writechar")) {
        ok = parse_hex_bits(v, 4, &bits) && StreamWriter_WriteChar(w, (uint16_t)bits);
    } else if (OP_IS("writeint")) {
        ok = parse_i64(v, INT32_MIN, INT32_MAX, &n) && StreamWriter_WriteInt32(w, (int32_t)n);
    } else if (OP_IS("length")) {
        int64_t len;
        if (!parse_i64(v, 0, INT64_MAX, &n)) {
            fail(c, "line %lu: bad length '%s'", (unsigned long)index + 1, v);
            return false;
        }
        len = Stream_get_Length(ms);
        /* A mismatch is reported but the ops go on, so that the final bytes are compared too. */
        if (len != n)
            fail(c, "line %lu (%s): the stream holds %" PRId64 " bytes after line %lu (%s), .NET's held %" PRId64,
                 (unsigned long)index + 1, line, len, (unsigned long)index, prev, n);
        return true;
    } else {
        known = false;
    }
#undef OP_IS
    if (!known)
        fail(c, "line %lu: unknown op '%s'", (unsigned long)index + 1, shorten(line, shortbuf));
    else if (!ok)
        fail(c, "line %lu (%s): %s", (unsigned long)index + 1, shorten(line, shortbuf), exception_text());
    return ok;
}

static void writer_case(Run *run, Case *c, const char *ops_path)
{
    char *txt_path = path_of(run->dir, c->name, ".txt");
    char *ctxt_path = path_of(run->dir, c->name, ".c.txt");
    Lines lines;
    Buf expected = {NULL, 0};
    const Encoding *enc = NULL;
    bool is_default = false;
    MemoryStream *ms = NULL;
    StreamWriter *w = NULL;
    uint8_t *got = NULL;
    int32_t got_len = 0;
    size_t i;

    if (!load_lines(ops_path, &lines)) {
        fail(c, "cannot read %s", ops_path);
        goto done_nolines;
    }
    if (!load_file(txt_path, &expected)) {
        fail(c, "cannot read %s", txt_path);
        goto done;
    }
    if (lines.count < 1 || strncmp(lines.line[0], "encoding ", 9) != 0 ||
        !encoding_by_name(lines.line[0] + 9, &enc, &is_default)) {
        fail(c, "bad manifest header '%s'", lines.count ? lines.line[0] : "");
        goto done;
    }
    ms = MemoryStream_new();
    if (!ms) {
        fail(c, "MemoryStream(): %s", exception_text());
        goto done;
    }
    w = new_stream_writer((Stream *)ms, enc, is_default);
    if (!w) {
        fail(c, "StreamWriter(MemoryStream, %s): %s", lines.line[0] + 9, exception_text());
        goto done;
    }
    for (i = 1; i < lines.count; i++)
        if (!writer_op(c, w, ms, i, lines.line[i], lines.line[i - 1]))
            break;
    if (!Dispose(w))
        fail(c, "StreamWriter.Dispose (which flushes): %s", exception_text());
    w = NULL;
    got = MemoryStream_ToArray(ms, &got_len);
    if (!got) {
        fail(c, "MemoryStream.ToArray: %s", exception_text());
        goto done;
    }
    {
        long at = first_difference(&expected, got, (size_t)got_len);
        if (at >= 0) {
            size_t from = at >= 4 ? (size_t)at - 4 : 0;
            size_t elen = expected.len > from ? expected.len - from : 0,
                   glen = (size_t)got_len > from ? (size_t)got_len - from : 0;
            char *ehex = to_hex(expected.data + from, elen < 12 ? elen : 12);
            char *ghex = to_hex(got + from, glen < 12 ? glen : 12);
            char e[8], g[8];
            describe_byte(e, expected.data, expected.len, at);
            describe_byte(g, got, (size_t)got_len, at);
            fail(c,
                 "C bytes differ at offset %ld: expected %s, got %s (lengths %lu vs %ld); from offset %lu expected %s, "
                 "got %s",
                 at, e, g, (unsigned long)expected.len, (long)got_len, (unsigned long)from, ehex, ghex);
            free(ehex);
            free(ghex);
        }
    }
    write_with_filestream(c, ctxt_path, got, (size_t)got_len);

done:
    if (got)
        Array_Free(got);
    if (w)
        Dispose(w);
    if (ms)
        Dispose(ms);
    free(expected.data);
    free_lines(&lines);
done_nolines:
    free(txt_path);
    free(ctxt_path);
}

/* ================================================================ text: StreamReader */

static void reader_case(Run *run, Case *c, const char *rdops_path)
{
    char *rd_path = path_of(run->dir, c->name, ".rd");
    Lines lines;
    const Encoding *enc = NULL;
    bool is_default = false, detect;
    FileStream *fs = NULL;
    StreamReader *r = NULL;
    size_t i, nlines = 0;
    char shortbuf[2][96];

    if (!load_lines(rdops_path, &lines)) {
        fail(c, "cannot read %s", rdops_path);
        goto done_nolines;
    }
    if (lines.count < 3 || strncmp(lines.line[0], "encoding ", 9) != 0 ||
        !encoding_by_name(lines.line[0] + 9, &enc, &is_default) ||
        (strcmp(lines.line[1], "detect 0") != 0 && strcmp(lines.line[1], "detect 1") != 0) ||
        strcmp(lines.line[lines.count - 1], "end") != 0) {
        fail(c, "bad reader manifest %s", rdops_path);
        goto done;
    }
    detect = lines.line[1][7] == '1';
    fs = open_for_reading(c, rd_path);
    if (!fs)
        goto done;
    r = StreamReader_new_ex((Stream *)fs, is_default ? NULL : enc, detect, -1, false);
    if (!r) {
        fail(c, "StreamReader(FileStream, %s, %d): %s", lines.line[0] + 9, (int)detect, exception_text());
        goto done;
    }
    for (i = 2; i + 1 < lines.count; i++) {
        const char *l = lines.line[i];
        if (strncmp(l, "line ", 5) == 0) {
            int32_t n = -1;
            char *s = StreamReader_ReadLineWithLength(r, &n);
            char *hex;
            nlines++;
            if (!s) {
                if (Exception_get_Current())
                    fail(c, "ReadLine %lu: %s", (unsigned long)nlines, exception_text());
                else
                    fail(c, "ReadLine %lu: end of stream, expected %s", (unsigned long)nlines,
                         shorten(l + 5, shortbuf[0]));
                goto done;
            }
            hex = n < 0 ? xstrdup("(negative byteLength)") : to_hex(s, (size_t)n);
            String_Free(s);
            if (strcasecmp_ascii(hex, l + 5) != 0) {
                fail(c, "ReadLine %lu: expected %s, got %s", (unsigned long)nlines, shorten(l + 5, shortbuf[0]),
                     shorten(hex, shortbuf[1]));
                free(hex);
                goto done;
            }
            free(hex);
        } else if (strncmp(l, "current ", 8) == 0) {
            /* First the end of stream, then the encoding (detection has happened by then). */
            int32_t n = -1;
            char *s = StreamReader_ReadLineWithLength(r, &n);
            const Encoding *cur;
            const char *web;
            if (s) {
                char *hex = to_hex(s, n < 0 ? 0 : (size_t)n);
                fail(c, "ReadLine %lu: expected end of stream, got %s", (unsigned long)nlines + 1,
                     shorten(hex, shortbuf[0]));
                free(hex);
                String_Free(s);
                goto done;
            }
            if (Exception_get_Current()) {
                fail(c, "ReadLine %lu (expected end of stream): %s", (unsigned long)nlines + 1, exception_text());
                goto done;
            }
            cur = StreamReader_get_CurrentEncoding(r);
            web = cur ? Encoding_get_WebName(cur) : NULL;
            if (!web || strcmp(web, l + 8) != 0)
                fail(c, "CurrentEncoding.WebName is %s, .NET's is %s", web ? web : "(null)", l + 8);
        } else {
            fail(c, "bad reader manifest line '%s'", shorten(l, shortbuf[0]));
            goto done;
        }
    }

done:
    /* The reader holds its own reference to the stream: release both. */
    if (r && !Dispose(r))
        fail(c, "StreamReader.Dispose: %s", exception_text());
    if (fs)
        Dispose(fs);
    free_lines(&lines);
done_nolines:
    free(rd_path);
}

static void text_case(Run *run, const char *name)
{
    Case c = {name, false};
    char *ops_path = path_of(run->dir, name, ".ops");
    char *rdops_path = path_of(run->dir, name, ".rdops");
    if (file_exists(ops_path))
        writer_case(run, &c, ops_path);
    else if (file_exists(rdops_path))
        reader_case(run, &c, rdops_path);
    else
        fail(&c, "neither %s nor %s exists", ops_path, rdops_path);
    free(ops_path);
    free(rdops_path);
    finish_case(run, &c);
}

/* A fresh StreamWriter's NewLine is Environment.NewLine: "\n" on POSIX, "\r\n" on Windows. The
 * manifests always set NewLine, so the default is checked here. */
static void text_default_newline(Run *run)
{
    Case c = {"(StreamWriter default NewLine)", false};
#ifdef _WIN32
    const char *want = "\r\n";
#else
    const char *want = "\n";
#endif
    MemoryStream *ms = MemoryStream_new();
    StreamWriter *w = ms ? StreamWriter_new((Stream *)ms) : NULL;
    char *nl = w ? StreamWriter_get_NewLine(w) : NULL;
    if (!nl)
        fail(&c, "StreamWriter.NewLine: %s", exception_text());
    else if (strcmp(nl, want) != 0)
        fail(&c, "NewLine is %s, Environment.NewLine here is %s",
             strcmp(nl, "\r\n") == 0 ? "CRLF"
             : strcmp(nl, "\n") == 0 ? "LF"
                                     : nl,
             want[0] == '\r' ? "CRLF" : "LF");
    if (nl)
        String_Free(nl);
    if (w)
        Dispose(w);
    if (ms)
        Dispose(ms);
    finish_case(run, &c);
}

/* ================================================================ main */

int main(int argc, char **argv)
{
    Run run = {NULL, 0, 0};
    Lines index;
    char *index_path;
    bool binary;
    size_t i;

    if (argc != 3 || (strcmp(argv[1], "binary") != 0 && strcmp(argv[1], "text") != 0)) {
        fprintf(stderr,
                "usage: %s binary|text DIR\n"
                "  DIR is what 'dotnet Peer.dll binary-write|text-write DIR' produced\n",
                argc ? argv[0] : "sharpipc_interop");
        return 2;
    }
    binary = strcmp(argv[1], "binary") == 0;
    run.dir = argv[2];
    index_path = path_of(run.dir, "index", ".txt");
    if (!load_lines(index_path, &index)) {
        fprintf(stderr, "cannot read %s (run the .NET peer's %s-write first)\n", index_path, argv[1]);
        free(index_path);
        return 2;
    }
    free(index_path);
    if (!binary)
        text_default_newline(&run);
    for (i = 0; i < index.count; i++) {
        if (!index.line[i][0])
            continue;
        if (binary)
            binary_case(&run, index.line[i]);
        else
            text_case(&run, index.line[i]);
    }
    free_lines(&index);
    printf("%d passed, %d failed\n", run.passed, run.failed);
    return run.failed || run.passed == 0 ? 1 : 0;
}
