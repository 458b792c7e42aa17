/*
 * IPAddress and IPEndPoint parsing and formatting, C against a real .NET (run_net_interop.cmake):
 *   net_interop write DIR    the strings: IPAddressParsing.cs's tables, their bracketed / ported /
 *                            cased variants and a deterministic spray of address-like strings,
 *                            into DIR/net-inputs.txt (hex-encoded UTF-8, one a line)
 *   (dotnet Peer net-ipaddress DIR writes .NET's answers into DIR/net-dotnet.txt)
 *   net_interop verify DIR   C's IPAddress_TryParse / ToString / ScopeId / GetAddressBytes,
 *                            IPAddress_IsValid and IPEndPoint_TryParse / ToString for each,
 *                            compared with .NET's
 * and the same for Dns (DIR/dns-inputs.txt, .NET's DIR/dns-dotnet.txt): GetHostAddresses and
 * GetHostEntry of a few names, results or exceptions (type, SocketErrorCode, NativeErrorCode,
 * message) compared; under wine only what does not depend on the resolver (literals, argument
 * errors, the SocketErrorCode of an unknown host), since Windows' resolver answers there.
 * Prints each difference and "N passed, M failed".
 */
#include <sharpipc.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/System.Net/ipaddress_cases.h"

static void write_dns_inputs(const char *dir);
static int verify_dns(const char *dir, int *passed, int *failed);

static void hex(const char *s, size_t n, char *out)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[(unsigned char)s[i] >> 4];
        out[2 * i + 1] = digits[(unsigned char)s[i] & 15];
    }
    out[2 * n] = '\0';
}

static void put(FILE *f, const char *s)
{
    char h[1024];
    size_t n = strlen(s);
    if (n == 0) {
        fputs("-\n", f);
        return;
    }
    if (n > 500)
        return;
    hex(s, n, h);
    fprintf(f, "%s\n", h);
}

static void put_variants(FILE *f, const char *s)
{
    char buf[600];
    put(f, s);
    snprintf(buf, sizeof buf, "[%s]", s);
    put(f, buf);
    snprintf(buf, sizeof buf, "[%s]:80", s);
    put(f, buf);
    snprintf(buf, sizeof buf, "%s:65535", s);
    put(f, buf);
    snprintf(buf, sizeof buf, "%s:65536", s);
    put(f, buf);
    size_t n = strlen(s);
    for (size_t i = 0; i < n && i < sizeof buf - 1; i++)
        buf[i] = (char)toupper((unsigned char)s[i]);
    buf[n < sizeof buf ? n : sizeof buf - 1] = '\0';
    put(f, buf);
}

static int write_inputs(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/net-inputs.txt", dir);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return 1;
    }
    for (size_t i = 0; i < SP_COUNT(sp_valid_ipv4); i++) {
        put_variants(f, sp_valid_ipv4[i].input);
        put(f, sp_valid_ipv4[i].expected);
    }
    for (size_t i = 0; i < SP_COUNT(sp_valid_ipv6); i++) {
        put_variants(f, sp_valid_ipv6[i].input);
        put(f, sp_valid_ipv6[i].expected);
    }
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv4); i++) {
        put_variants(f, sp_invalid_ipv4[i]);
        for (size_t p = 0; p < SP_COUNT(sp_invalid_ipv6_prefixes); p++) {
            char buf[300];
            snprintf(buf, sizeof buf, "%s%s", sp_invalid_ipv6_prefixes[p], sp_invalid_ipv4[i]);
            put(f, buf);
        }
    }
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv4_standalone); i++)
        put_variants(f, sp_invalid_ipv4_standalone[i]);
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv6); i++)
        put_variants(f, sp_invalid_ipv6[i]);
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv6_no_inner); i++)
        put_variants(f, sp_invalid_ipv6_no_inner[i]);
    for (size_t i = 0; i < SP_COUNT(sp_scope_ids); i++)
        put_variants(f, sp_scope_ids[i].input);
    /* a deterministic spray over the characters the parsers look at (no letters that spell an
     * interface name: a scope name resolves per machine) */
    static const char alphabet[] = "0123456789abcdefABCDEFxX.:::[]%/ 0x";
    uint32_t seed = 12345;
    for (int i = 0; i < 3000; i++) {
        char buf[40];
        seed = seed * 1103515245u + 12345u;
        int n = 1 + (int)((seed >> 16) % 24);
        for (int k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            buf[k] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        buf[n] = '\0';
        put(f, buf);
    }
    /* valid addresses built from random numbers: every compression position, embedded IPv4 */
    for (int i = 0; i < 1000; i++) {
        char buf[80];
        uint16_t g[8];
        for (int k = 0; k < 8; k++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = seed >> 16;
            g[k] = (uint16_t)(r % 3 == 0 ? 0 : r % 3 == 1 ? (r & 0xF) : r * 7919u);
        }
        if (i % 5 == 0) {
            g[0] = g[1] = g[2] = g[3] = 0;
            g[4] = i % 2 ? 0 : 0xFFFF;
            g[5] = (uint16_t)(i % 3 == 0 ? 0 : 0xFFFF);
        }
        snprintf(buf, sizeof buf, "%x:%x:%x:%x:%x:%x:%x:%x", g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]);
        if (i % 7 == 0) {
            size_t n = strlen(buf);
            snprintf(buf + n, sizeof buf - n, "%%%u", (unsigned)(seed % 100000));
        }
        put(f, buf);
        seed = seed * 1103515245u + 12345u;
        snprintf(buf, sizeof buf, "%u.%u.%u.%u", seed >> 24, (seed >> 16) & 255, (seed >> 8) & 255, seed & 255);
        put(f, buf);
        snprintf(buf, sizeof buf, "%u", seed);
        put(f, buf);
        snprintf(buf, sizeof buf, "0x%x.%o", seed >> 24, seed & 0xFFFFFF);
        put(f, buf);
    }
    fclose(f);
    write_dns_inputs(dir);
    return 0;
}

/* The names of the Dns cases and how much of the answer must match under wine (1: all of it;
 * 2: the exception and SocketErrorCode only; 0: nothing, the resolver's own answer) */
static const struct {
    const char *name;
    int on_windows;
} dns_names[] = {{"localhost", 0}, {"127.0.0.1", 0}, {"::1", 0}, {"010.1", 0},        {"nonexistent.invalid", 2},
                 {"", 0},          {"0.0.0.0", 1},   {"::", 1},  {"a.b.c.invalid", 2}};

static void write_dns_inputs(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/dns-inputs.txt", dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    for (size_t i = 0; i < SP_COUNT(dns_names); i++)
        put(f, dns_names[i].name);
    char longname[300];
    memset(longname, 'a', 256);
    longname[256] = '\0';
    put(f, longname);
    fclose(f);
}

static int unhex(const char *h, char *out, size_t size)
{
    size_t n = strlen(h);
    if (strcmp(h, "-") == 0) {
        out[0] = '\0';
        return 0;
    }
    if (n % 2 || n / 2 >= size)
        return -1;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(h + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (char)v;
    }
    out[n / 2] = '\0';
    return (int)(n / 2);
}

static int verify(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/net-dotnet.txt", dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    char line[4096];
    int passed = 0, failed = 0;
    while (fgets(line, sizeof line, f)) {
        char hin[1100], addr[1200], ep[1100], valid[4];
        if (sscanf(line, "%1099s %1199s %1099s %3s", hin, addr, ep, valid) != 4) {
            printf("FAIL: a line .NET wrote is malformed: %s", line);
            failed++;
            continue;
        }
        char input[600];
        if (unhex(hin, input, sizeof input) < 0) {
            printf("FAIL: an input .NET echoed is no hex: %s\n", hin);
            failed++;
            continue;
        }
        /* C's answer in .NET's form */
        char mine[1200] = "-";
        IPAddress *a = NULL;
        if (IPAddress_TryParse(input, &a)) {
            char *s = IPAddress_ToString(a);
            char hs[200], hb[40];
            hex(s, strlen(s), hs);
            int32_t n = 0;
            uint8_t *b = IPAddress_GetAddressBytes(a, &n);
            hex((const char *)b, (size_t)n, hb);
            long long scope =
                IPAddress_get_AddressFamily(a) == AddressFamily_InterNetworkV6 ? IPAddress_get_ScopeId(a) : 0;
            snprintf(mine, sizeof mine, "%d/%s/%lld/%s", (int)IPAddress_get_AddressFamily(a), hs, scope, hb);
            Array_Free(b);
            String_Free(s);
            Dispose(a);
        }
        char mine_ep[1100] = "-";
        IPEndPoint *e = NULL;
        if (IPEndPoint_TryParse(input, &e)) {
            char *s = IPEndPoint_ToString(e);
            hex(s, strlen(s), mine_ep);
            String_Free(s);
            Dispose(e);
        }
        const char *mine_valid = IPAddress_IsValid(input) ? "1" : "0";
        if (strcmp(mine, addr) != 0 || strcmp(mine_ep, ep) != 0 || strcmp(mine_valid, valid) != 0) {
            printf("FAIL \"%s\": .NET %s %s %s, C %s %s %s\n", input, addr, ep, valid, mine, mine_ep, mine_valid);
            failed++;
        } else
            passed++;
    }
    fclose(f);
    if (verify_dns(dir, &passed, &failed) != 0)
        failed++;
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 1000 ? 0 : 1;
}

static void exception_text(char *out, size_t size)
{
    const Exception *e = Exception_get_Current();
    const char *msg = Exception_get_Message(e);
    char hm[2100];
    size_t n = strlen(msg);
    hex(msg, n < 1000 ? n : 1000, hm);
    if (Exception_Is(e, ExceptionType_SocketException)) {
        snprintf(out, size, "err %d %d %s", (int)SocketException_get_SocketErrorCode(e),
                 (int)Exception_get_NativeErrorCode(e), hm);
    } else {
        const char *type = Exception_get_TypeName(e);
        const char *dot = strrchr(type, '.');
        snprintf(out, size, "err %s 0 %s", dot ? dot + 1 : type, hm);
    }
}

static void address_list(IPAddress **list, int32_t n, char *out, size_t size)
{
    char joined[2000] = "";
    for (int32_t i = 0; i < n; i++) {
        char *s = IPAddress_ToString(list[i]);
        size_t len = strlen(joined);
        snprintf(joined + len, sizeof joined - len, "%s%s", i ? "," : "", s);
        String_Free(s);
    }
    if (!*joined)
        snprintf(out, size, "-");
    else if (strlen(joined) * 2 < size)
        hex(joined, strlen(joined), out);
}

/* How much must match for this name here: see dns_names. */
static int dns_rule(const char *name)
{
#ifdef _WIN32
    for (size_t i = 0; i < SP_COUNT(dns_names); i++)
        if (strcmp(dns_names[i].name, name) == 0)
            return dns_names[i].on_windows;
    return 1; /* the too-long name */
#else
    (void)name;
    return 1;
#endif
}

static bool same_prefix_words(const char *a, const char *b, int words)
{
    for (; *a && *a == *b; a++, b++)
        if (*a == ' ' && --words == 0)
            return true;
    return *a == *b || (words == 1 && (*a == ' ' || *a == '\0') && (*b == ' ' || *b == '\0'));
}

static int verify_dns(const char *dir, int *passed, int *failed)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/dns-dotnet.txt", dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    char line[8192];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char kind = line[0];
        char hname[700], name[400];
        if (sscanf(line + 2, "%699s", hname) != 1 || unhex(hname, name, sizeof name) < 0) {
            /* a line .NET wrote and C cannot read fails, as the address table's do */
            printf("FAIL: a Dns line .NET wrote is malformed: %s\n", line);
            (*failed)++;
            continue;
        }
        const char *dotnet = line + 2 + strlen(hname) + 1;
        char mine[4200];
        if (kind == 'A') {
            int32_t n = 0;
            IPAddress **list = Dns_GetHostAddresses(name, &n);
            if (list) {
                char l[4000];
                address_list(list, n, l, sizeof l);
                snprintf(mine, sizeof mine, "ok %s", l);
                Dns_FreeAddresses(list, n);
            } else
                exception_text(mine, sizeof mine);
        } else {
            IPHostEntry entry;
            if (Dns_GetHostEntry(name, &entry)) {
                char l[3000], hn[600];
                address_list(entry.AddressList, entry.AddressCount, l, sizeof l);
                hex(entry.HostName, strlen(entry.HostName) < 250 ? strlen(entry.HostName) : 250, hn);
                snprintf(mine, sizeof mine, "ok %s %s", hn, l);
                IPHostEntry_Free(&entry);
            } else
                exception_text(mine, sizeof mine);
        }
        int rule = dns_rule(name);
        bool ok =
            rule == 0 || (rule == 1 && strcmp(mine, dotnet) == 0) || (rule == 2 && same_prefix_words(mine, dotnet, 2));
        if (!ok) {
            printf("FAIL Dns %s \"%s\": .NET %s, C %s\n", kind == 'A' ? "GetHostAddresses" : "GetHostEntry", name,
                   dotnet, mine);
            (*failed)++;
        } else
            (*passed)++;
    }
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: net_interop write|verify DIR\n");
        return 2;
    }
    if (strcmp(argv[1], "write") == 0)
        return write_inputs(argv[2]);
    if (strcmp(argv[1], "verify") == 0)
        return verify(argv[2]);
    return 2;
}
