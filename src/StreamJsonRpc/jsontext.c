/*
 * JSON text in and out of the wire (json.h): the writer that puts a message straight into its
 * frame, and the reader's pre-scan that hands Jansson the message with its long plain strings
 * lifted out.
 *
 * Why: Jansson's lexer takes a 64 KiB string a byte at a time through its stream layer (about
 * 140 instructions a byte) and json_dumps walks it code point by code point (about 75). Here a
 * plain run (no '"', '\\' or control character) is found 16 bytes a step and copied in one go.
 * Jansson still parses every message: only the bytes of string literals that need no decoding are
 * kept out of its way, and put back once it has accepted the text.
 */
#include "StreamJsonRpc/json.h"

#include "System.Text/text.h"

#include <stdio.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#  include <emmintrin.h>
#  define SP_JSON_SSE2 1
#endif

/* The end of the run from s[i] that a JSON string carries as it is: the first '"', '\\' or byte
 * below 0x20 at or after i, or n. Bytes >= 0x80 belong to the run (the UTF-8 is checked apart). */
static size_t plain_run(const uint8_t *s, size_t i, size_t n)
{
#if defined(SP_JSON_SSE2)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1F);
    while (n - i >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        /* max(x, 0x1F) == 0x1F exactly for x <= 0x1F, unsigned */
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                                   _mm_cmpeq_epi8(_mm_max_epu8(x, control), control));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#else
    /* A word at a time: the classic "has a zero byte" test, exact about whether one is there. */
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    while (n - i >= 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
        uint64_t hit = ((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w);
        if (hit & highs)
            break;
        i += 8;
    }
#endif
    while (i < n && s[i] != '"' && s[i] != '\\' && s[i] >= 0x20)
        i++;
    return i;
}

/* ---------------------------------------------------------------- writing */

bool sp_jrpc_utf8_valid(const char *s, size_t n)
{
    size_t units = 0;
    return sp_utf8_valid_prefix((const uint8_t *)s, n, &units) == n;
}

bool sp_jrpc_out_begin(sp_buf *o)
{
    o->length = 0;
    if (!sp_buf_reserve(o, SP_JRPC_HEADER_RESERVE))
        return false;
    o->length = SP_JRPC_HEADER_RESERVE;
    return true;
}

/* s[0..n) (valid UTF-8) quoted and escaped as Jansson's dump_string does without JSON_ENSURE_ASCII
 * or JSON_ESCAPE_SLASH: the seven short escapes, \u00XX (upper-case hex) for the other controls,
 * everything else as it is. */
bool sp_jrpc_out_string(sp_buf *o, const char *s, size_t n)
{
    const uint8_t *u = (const uint8_t *)s;
    if (!sp_buf_reserve(o, n + 2))
        return false;
    o->data[o->length++] = '"';
    size_t i = 0;
    while (i < n) {
        size_t end = plain_run(u, i, n);
        if (!sp_buf_reserve(o, end - i + 7))
            return false;
        memcpy(o->data + o->length, s + i, end - i);
        o->length += end - i;
        if (end == n)
            break;
        uint8_t c = u[end];
        char *d = (char *)o->data + o->length;
        const char *esc = c == '"'    ? "\\\""
                          : c == '\\' ? "\\\\"
                          : c == '\b' ? "\\b"
                          : c == '\f' ? "\\f"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                          : c == '\t' ? "\\t"
                                      : NULL;
        if (esc) {
            d[0] = esc[0];
            d[1] = esc[1];
            o->length += 2;
        } else {
            static const char hex[] = "0123456789ABCDEF";
            memcpy(d, "\\u00", 4);
            d[4] = hex[c >> 4];
            d[5] = hex[c & 15];
            o->length += 6;
        }
        i = end + 1;
    }
    if (!sp_buf_reserve(o, 1))
        return false;
    o->data[o->length++] = '"';
    return true;
}

/* A real as Jansson's jsonp_dtostr writes it with the default precision (17 significant digits,
 * round-trip): "%.17g", the decimal point '.', ".0" appended when the text has neither '.' nor
 * 'e', and the exponent without '+' or leading zeros. */
static bool put_real(sp_buf *o, double value)
{
    char b[40];
    int r = snprintf(b, sizeof b, "%.17g", value);
    if (r <= 0 || (size_t)r >= sizeof b - 3)
        return false;
    size_t n = (size_t)r;
    bool dot = false, exp = false;
    for (size_t i = 0; i < n; i++) {
        if (b[i] == ',') /* a locale's decimal separator */
            b[i] = '.';
        dot |= b[i] == '.';
        exp |= b[i] == 'e';
    }
    if (!dot && !exp) {
        b[n++] = '.';
        b[n++] = '0';
    }
    char *e = memchr(b, 'e', n);
    if (e) {
        char *start = e + 1, *end = e + 2;
        if (*start == '-')
            start++;
        while (end < b + n && *end == '0')
            end++;
        if (end != start) {
            memmove(start, end, (size_t)(b + n - end));
            n -= (size_t)(end - start);
        }
    }
    return sp_buf_append(o, b, n);
}

bool sp_jrpc_out_json(sp_buf *o, const json_t *j)
{
    char b[32];
    switch (json_typeof(j)) {
    case JSON_NULL: return sp_buf_append(o, "null", 4);
    case JSON_TRUE: return sp_buf_append(o, "true", 4);
    case JSON_FALSE: return sp_buf_append(o, "false", 5);
    case JSON_INTEGER: { /* the digits, as "%lld" writes them (Jansson's own format is "I64d" on Windows) */
        int64_t v = (int64_t)json_integer_value(j);
        uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        char *p = b + sizeof b;
        do
            *--p = (char)('0' + u % 10);
        while (u /= 10);
        if (v < 0)
            *--p = '-';
        return sp_buf_append(o, p, (size_t)(b + sizeof b - p));
    }
    case JSON_REAL: return put_real(o, json_real_value(j));
    case JSON_STRING: return sp_jrpc_out_string(o, json_string_value(j), json_string_length(j));
    case JSON_ARRAY: {
        if (!sp_buf_append(o, "[", 1))
            return false;
        size_t n = json_array_size(j);
        for (size_t i = 0; i < n; i++)
            if ((i && !sp_buf_append(o, ",", 1)) || !sp_jrpc_out_json(o, json_array_get(j, i)))
                return false;
        return sp_buf_append(o, "]", 1);
    }
    case JSON_OBJECT: {
        /* Jansson 2.14 keeps insertion order, which is what JSON_PRESERVE_ORDER wrote. */
        if (!sp_buf_append(o, "{", 1))
            return false;
        bool first = true;
        for (void *it = json_object_iter((json_t *)j); it; it = json_object_iter_next((json_t *)j, it)) {
            if ((!first && !sp_buf_append(o, ",", 1)) ||
                !sp_jrpc_out_string(o, json_object_iter_key(it), json_object_iter_key_len(it)) ||
                !sp_buf_append(o, ":", 1) || !sp_jrpc_out_json(o, json_object_iter_value(it)))
                return false;
            first = false;
        }
        return sp_buf_append(o, "}", 1);
    }
    default: return false;
    }
}

/* ---------------------------------------------------------------- reading */

typedef struct lifted {
    size_t offset, length; /* the literal's bytes in the original text, without its quotes */
} lifted;

typedef struct lift_state {
    const char *text;
    lifted *items;
    size_t count, cap;
    sp_buf out;    /* the text Jansson sees */
    size_t copied; /* text[0..copied) is in out */
} lift_state;

static bool lift(lift_state *st, size_t offset, size_t length)
{
    if (st->count == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 8;
        lifted *grown = sp_realloc(st->items, cap * sizeof *grown);
        if (!grown)
            return false;
        st->items = grown;
        st->cap = cap;
    }
    /* "\u0000" and the index: a string no other literal can decode to, as a message with a
     * \u0000 of its own is parsed as it came. */
    char mark[32];
    int m = snprintf(mark, sizeof mark, "\\u0000%llu", (unsigned long long)st->count);
    if (!sp_buf_append(&st->out, st->text + st->copied, offset - st->copied) ||
        !sp_buf_append(&st->out, mark, (size_t)m))
        return false;
    st->copied = offset + length;
    st->items[st->count++] = (lifted){offset, length};
    return true;
}

/* Puts each lifted literal back where its placeholder landed in Jansson's tree (values only: keys
 * are never lifted). The tree is as deep as the scan allowed. */
static bool restore(json_t *j, const lift_state *st)
{
    if (json_is_string(j)) {
        const char *v = json_string_value(j);
        size_t n = json_string_length(j);
        if (n < 2 || v[0] != 0)
            return true;
        size_t index = 0;
        for (size_t i = 1; i < n; i++)
            index = index * 10 + (size_t)(v[i] - '0');
        if (index >= st->count)
            return true; /* cannot happen: placeholders are the only strings that start with NUL */
        const lifted *l = &st->items[index];
        return json_string_setn_nocheck(j, st->text + l->offset, l->length) == 0;
    }
    if (json_is_array(j)) {
        size_t n = json_array_size(j);
        for (size_t i = 0; i < n; i++)
            if (!restore(json_array_get(j, i), st))
                return false;
    } else if (json_is_object(j)) {
        for (void *it = json_object_iter(j); it; it = json_object_iter_next(j, it))
            if (!restore(json_object_iter_value(it), st))
                return false;
    }
    return true;
}

static bool is_ws(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* The scan: nesting depth (strings skipped), and, when lifting, the literals to lift. Stops
 * once the depth passes limit. *nul_escape: some literal holds \u0000.
 *
 * Only values are lifted, never keys: Jansson refuses a NUL in a key (a placeholder there would
 * change its error). Jansson reads a key exactly where the token before is '{', or ',' inside an
 * object; up to the first error, the brackets seen so far are Jansson's nesting, and from that
 * error on the text no longer matters. */
static int scan(const char *text, size_t length, int limit, lift_state *st, size_t min_lift, bool *nul_escape,
                bool *failed)
{
    const uint8_t *s = (const uint8_t *)text;
    int depth = 0, deepest = 0;
    uint64_t objects = 0; /* bit d-1: the container at depth d is an object */
    uint8_t prev = 0;     /* the last byte outside strings that is not white space */
    for (size_t i = 0; i < length; i++) {
        uint8_t c = s[i];
        if (c == '"') {
            size_t start = i + 1, j = start;
            bool plain = true;
            for (;;) {
                if (j >= length) /* unterminated (perhaps by an escape at the very end): Jansson says so */
                    return deepest;
                j = plain_run(s, j, length);
                if (j == length)
                    return deepest;
                if (s[j] == '"')
                    break;
                plain = false;
                if (s[j] == '\\') {
                    if (length - j > 5 && memcmp(s + j + 1, "u0000", 5) == 0)
                        *nul_escape = true;
                    j += 2;
                } else {
                    j++;
                }
            }
            bool key = prev == '{' || (prev == ',' && depth > 0 && depth <= 64 && (objects >> (depth - 1) & 1));
            if (st && plain && !key && !*nul_escape && j - start >= min_lift &&
                sp_jrpc_utf8_valid(text + start, j - start) && !lift(st, start, j - start)) {
                *failed = true;
                return deepest;
            }
            i = j; /* the closing quote */
            prev = '"';
            continue;
        }
        if (is_ws(c))
            continue;
        prev = c;
        if (c == '[' || c == '{') {
            if (++depth > deepest) {
                deepest = depth;
                if (deepest > limit)
                    return deepest;
            }
            if (depth <= 64) {
                uint64_t bit = (uint64_t)1 << (depth - 1);
                objects = c == '{' ? objects | bit : objects & ~bit;
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return deepest;
}

int sp_jrpc_json_depth(const char *text, size_t length, int limit)
{
    bool nul = false, failed = false;
    return scan(text, length, limit, NULL, 0, &nul, &failed);
}

json_t *sp_jrpc_json_load_ex(const char *text, size_t length, size_t flags, size_t min_lift, bool *too_deep,
                             json_error_t *error)
{
    *too_deep = false;
    lift_state st = {text, NULL, 0, 0, {NULL, 0, 0}, 0};
    bool nul = false, failed = false;
    /* The placeholders are "\u0000" escapes, which Jansson takes only with JSON_ALLOW_NUL. */
    bool lifting = (flags & JSON_ALLOW_NUL) && min_lift > 0;
    if (scan(text, length, SP_JRPC_MAX_DEPTH, lifting ? &st : NULL, min_lift, &nul, &failed) > SP_JRPC_MAX_DEPTH) {
        *too_deep = true;
        free(st.items);
        sp_buf_free(&st.out);
        return NULL;
    }
    json_t *j;
    if (failed || nul || st.count == 0) {
        /* nothing lifted (or no memory to lift with): the text as it came */
        if (failed)
            sp_clear();
        failed = false;
        j = json_loadb(text, length, flags, error);
    } else if (!sp_buf_append(&st.out, text + st.copied, length - st.copied)) {
        failed = true;
        j = NULL;
    } else {
        j = json_loadb((const char *)st.out.data, st.out.length, flags, error);
        if (j && !restore(j, &st)) {
            json_decref(j);
            j = NULL;
            failed = true;
        }
    }
    if (failed && !j) {
        /* out of memory: the message is lost as one Jansson could not allocate would be */
        snprintf(error->text, sizeof error->text, "out of memory");
        error->text[sizeof error->text - 1] = (char)json_error_out_of_memory;
    }
    free(st.items);
    sp_buf_free(&st.out);
    return j;
}

json_t *sp_jrpc_json_load(const char *text, size_t length, size_t flags, bool *too_deep, json_error_t *error)
{
    return sp_jrpc_json_load_ex(text, length, flags, SP_JRPC_MIN_LIFT, too_deep, error);
}
