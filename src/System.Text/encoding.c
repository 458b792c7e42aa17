#include "text.h"

#include <stdio.h>
#if defined(__SSE2__)
#  include <emmintrin.h>
#endif
/* x86-64 with GCC or clang: the AVX2 check of sp_utf8_valid_prefix, used where the CPU has it
 * (the library itself is built for baseline x86-64). ELF only: for PE targets GCC does not align
 * the stack for the 32-byte spills AVX code may make (GCC bug 54412), so mingw-w64 builds keep
 * the SSE2 loops. SHARPIPC_NO_AVX2 turns it off. */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__ELF__) && defined(__SSE2__) && defined(__BYTE_ORDER__) &&    \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && !defined(SHARPIPC_NO_AVX2)
#  define SP_UTF8_AVX2 1
#  include <immintrin.h>
/* -1 until asked; then 1 where the blocks are used. */
static int utf8_avx2 = -1;
/* Once per process: __builtin_cpu_supports reads what libgcc's constructor found (the OS saving
 * the AVX state included). */
static bool sp_utf8_avx2(void)
{
    int h = __atomic_load_n(&utf8_avx2, __ATOMIC_RELAXED);
    if (h < 0) {
        __builtin_cpu_init();
        h = __builtin_cpu_supports("avx2") ? 1 : 0;
        __atomic_store_n(&utf8_avx2, h, __ATOMIC_RELAXED);
    }
    return h;
}
#endif

bool sp_utf8_blocks_enable(bool on)
{
#if defined(SP_UTF8_AVX2)
    __atomic_store_n(&utf8_avx2, -1, __ATOMIC_RELAXED);
    if (on)
        return sp_utf8_avx2();
    __atomic_store_n(&utf8_avx2, 0, __ATOMIC_RELAXED);
#endif
    (void)on;
    return false;
}

const sp_type sp_type_Encoding = {"System.Text.Encoding", &sp_type_Object, NULL, NULL};

#define ENCODING(kind, bom, throws, web, cp)                                                                           \
  {                                                                                                                    \
    {SP_OBJECT_MAGIC, &sp_type_Encoding, 0, false, 0}, kind, bom, throws, web, cp                                      \
  }

static const Encoding utf8_bom = ENCODING(SP_ENC_UTF8, true, false, "utf-8", 65001);
static const Encoding utf8_bom_throw = ENCODING(SP_ENC_UTF8, true, true, "utf-8", 65001);
static const Encoding utf8_plain = ENCODING(SP_ENC_UTF8, false, false, "utf-8", 65001);
static const Encoding utf8_plain_throw = ENCODING(SP_ENC_UTF8, false, true, "utf-8", 65001);
static const Encoding utf16le = ENCODING(SP_ENC_UTF16LE, true, false, "utf-16", 1200);
static const Encoding utf16be = ENCODING(SP_ENC_UTF16BE, true, false, "utf-16BE", 1201);
static const Encoding utf32le = ENCODING(SP_ENC_UTF32LE, true, false, "utf-32", 12000);
static const Encoding utf32be = ENCODING(SP_ENC_UTF32BE, true, false, "utf-32BE", 12001);
static const Encoding ascii = ENCODING(SP_ENC_ASCII, false, false, "us-ascii", 20127);
static const Encoding latin1 = ENCODING(SP_ENC_LATIN1, false, false, "iso-8859-1", 28591);

const Encoding *Encoding_get_UTF8(void) { return &utf8_bom; }
const Encoding *Encoding_get_Unicode(void) { return &utf16le; }
const Encoding *Encoding_get_BigEndianUnicode(void) { return &utf16be; }
const Encoding *Encoding_get_UTF32(void) { return &utf32le; }
/* Not a .NET static property (new UTF32Encoding(true, true) there); StreamReader detects it. */
const Encoding *sp_encoding_utf32be(void) { return &utf32be; }
const Encoding *Encoding_get_ASCII(void) { return &ascii; }
const Encoding *Encoding_get_Latin1(void) { return &latin1; }

const Encoding *UTF8Encoding_new(bool encoderShouldEmitUTF8Identifier, bool throwOnInvalidBytes)
{
    if (encoderShouldEmitUTF8Identifier)
        return throwOnInvalidBytes ? &utf8_bom_throw : &utf8_bom;
    return throwOnInvalidBytes ? &utf8_plain_throw : &utf8_plain;
}

static const Encoding *check_encoding(const Encoding *e)
{
    return (const Encoding *)sp_check_type(e, &sp_type_Encoding, "encoding");
}

const char *Encoding_get_WebName(const Encoding *encoding)
{
    if (!check_encoding(encoding))
        return NULL;
    sp_clear();
    return encoding->web_name;
}

int32_t Encoding_get_CodePage(const Encoding *encoding)
{
    if (!check_encoding(encoding))
        return 0;
    sp_clear();
    return encoding->code_page;
}

int32_t Encoding_GetPreamble(const Encoding *encoding, uint8_t bom[4])
{
    if (!check_encoding(encoding))
        return -1;
    sp_clear();
    if (!encoding->emit_preamble)
        return 0;
    int n = sp_encode_codepoint(encoding, 0xFEFF, (uint8_t[4]){0});
    if (bom)
        sp_encode_codepoint(encoding, 0xFEFF, bom);
    return n;
}

int32_t Encoding_GetByteCount(const Encoding *encoding, const char *utf8, int32_t length)
{
    if (!check_encoding(encoding))
        return -1;
    if (!utf8) {
        sp_throw_null("chars");
        return -1;
    }
    if (length < 0) {
        sp_throw_need_nonneg("count");
        return -1;
    }
    int64_t n = sp_encoded_length(encoding, utf8, (size_t)length, encoding->throw_on_invalid);
    if (n < 0)
        return -1;
    if (n > INT32_MAX) {
        sp_throw_out_of_range("chars", sp_sr(SR_ArgumentOutOfRange_GetByteCountOverflow));
        return -1;
    }
    sp_clear();
    return (int32_t)n;
}

/* ---------------------------------------------------------------- UTF-8 */

size_t sp_max_string_units = 0x3FFFFFDF;
size_t sp_max_string_bytes = INT32_MAX;

bool sp_string_may_grow(sp_string_meter *m, const uint8_t *before, size_t bytes_before, const uint8_t *text, size_t n,
                        bool int32_length)
{
    size_t total = bytes_before + n;
    if (int32_length && total > sp_max_string_bytes) {
        sp_throw_out_of_memory();
        return false;
    }
    if (total <= sp_max_string_units)
        return true; /* no more units than bytes */
    if (m->counted < bytes_before) {
        m->units += sp_utf8_utf16_length(before + m->counted, bytes_before - m->counted);
        m->counted = bytes_before;
    }
    size_t units = m->units + sp_utf8_utf16_length(text, n);
    if (units > sp_max_string_units) {
        sp_throw_out_of_memory();
        return false;
    }
    m->units = units;
    m->counted = total;
    return true;
}

#define SP_HIGH_BITS 0x8080808080808080ull

static inline uint64_t load_word(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

size_t sp_utf8_utf16_length(const uint8_t *s, size_t length)
{
    size_t units = 0, i = 0;
    /* A word at a time: count the bytes that start a sequence, plus one for each 4-byte lead. */
    for (; i + 8 <= length; i += 8) {
        uint64_t w = load_word(s + i);
        if (!(w & SP_HIGH_BITS)) {
            units += 8;
            continue;
        }
        for (size_t k = 0; k < 8; k++)
            units += ((s[i + k] & 0xC0) != 0x80) + (s[i + k] >= 0xF0);
    }
    for (; i < length; i++)
        units += ((s[i] & 0xC0) != 0x80) + (s[i] >= 0xF0);
    return units;
}

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#  define SP_WORD_CTZ 1 /* the first non-ASCII byte of a word is found by counting zeros */
#endif

/* The end of the ASCII run that starts at s[i]: 16 bytes a step with SSE2 (every x86-64), else a
 * word at a time, and the text's last 16 (8) bytes read as one overlapping load instead of a byte
 * loop; the first byte >= 0x80 is located from the mask. */
static inline size_t ascii_run(const uint8_t *s, size_t i, size_t length)
{
#if defined(__SSE2__) && defined(SP_WORD_CTZ)
    while (length - i >= 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i)));
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
    if (i < length && length >= 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + length - 16)));
        m >>= 16 - (length - i); /* the bytes from s[i] on */
        return m ? i + (size_t)__builtin_ctz(m) : length;
    }
#endif
#if defined(SP_WORD_CTZ)
    while (length - i >= 8) {
        uint64_t w = load_word(s + i) & SP_HIGH_BITS;
        if (w)
            return i + (size_t)__builtin_ctzll(w) / 8;
        i += 8;
    }
    if (i < length && length >= 8) {
        uint64_t w = (load_word(s + length - 8) & SP_HIGH_BITS) >> (8 * (8 - (length - i)));
        return w ? i + (size_t)__builtin_ctzll(w) / 8 : length;
    }
#else
    while (i + 8 <= length && !(load_word(s + i) & SP_HIGH_BITS))
        i += 8;
#endif
    while (i < length && s[i] < 0x80)
        i++;
    return i;
}

/* 1110xxxx 10xxxxxx 10xxxxxx in v's low three bytes (little end first), but not E0 80..9F
 * (overlong) nor ED A0..BF (a surrogate): those show in the lead's low nibble and bit 5 of the
 * second byte. */
#define SP_UTF8_3_MASK 0xC0C0F0u
#define SP_UTF8_3_BITS 0x8080E0u
static inline bool utf8_3_allowed(uint32_t v)
{
    uint32_t t = v & 0x200F;
    return t != 0 && t != 0x200D;
}

#if defined(__SSE2__) && defined(SP_WORD_CTZ)
/* The five sequences p[1..16) (the 16 bytes that end at p + 16), as lanes 0..14. */
static inline __m128i three_byte_last_sse2(const uint8_t *p)
{
    return sp_utf8_3_ok_sse2_(_mm_srli_si128(sp_utf8_load16_(p), 1));
}
/* Whether s[i..length), 16 to 45 bytes of whole 3-byte sequences up to the end, is all valid: the
 * one or two blocks from i and the one that ends at the end, tested once. */
static inline bool three_byte_rest_sse2(const uint8_t *s, size_t i, size_t length)
{
    __m128i g = _mm_and_si128(sp_utf8_3_ok_sse2_(sp_utf8_load16_(s + i)), three_byte_last_sse2(s + length - 16));
    if (length - i > 30)
        g = _mm_and_si128(g, sp_utf8_3_ok_sse2_(sp_utf8_load16_(s + i + 15)));
    return _mm_movemask_epi8(g) == 0xFFFF;
}
/* A bit for each lane of sp_utf8_3_ok_sse2_: the block that starts at p, or (last) ends at p + 16. */
static inline unsigned three_byte_run_sse2(const uint8_t *p, int last)
{
    return (unsigned)_mm_movemask_epi8(last ? three_byte_last_sse2(p) : sp_utf8_3_ok_sse2_(sp_utf8_load16_(p)));
}
#endif

static SP_NOINLINE size_t valid_prefix(const uint8_t *s, size_t length, size_t *units)
{
    size_t i = 0, extra = 0; /* bytes that add no UTF-16 unit */
    for (;;) {
        i = ascii_run(s, i, length);
        if (i >= length)
            break;
#if defined(__SSE2__) && defined(SP_WORD_CTZ)
        /* Five 3-byte sequences a block, from one 16-byte load (sp_utf8_3_ok_sse2_). First the
         * common cases at few instructions a byte: fifteen sequences a step (three blocks, tested
         * once; in the step where the run ends, the first block not all good says where), then a
         * rest of 16 to 45 bytes that is all whole sequences up to the end, in two or three blocks
         * tested once, the last one ending at the end (a short Hangul or CJK string is that rest
         * alone). Where that fails, single blocks find the exact end of the run: the step where it
         * ends takes the whole sequences before that, and a run that ends within 16 bytes of the
         * end, on a sequence boundary, is finished by one more load that ends there (its first
         * byte already checked). */
        if (length - i >= 16) {
            size_t start = i;
            bool stopped = false;
            while (length - i >= 46) {
                __m128i a = sp_utf8_3_ok_sse2_(sp_utf8_load16_(s + i)),
                        b = sp_utf8_3_ok_sse2_(sp_utf8_load16_(s + i + 15)),
                        c = sp_utf8_3_ok_sse2_(sp_utf8_load16_(s + i + 30));
                if (_mm_movemask_epi8(_mm_and_si128(_mm_and_si128(a, b), c)) == 0xFFFF) {
                    i += 45;
                    extra += 30;
                    continue;
                }
                /* the run ends in this step: in the first block that is not all good, after its
                 * whole sequences (no block is tested twice: a line of text ends here) */
                unsigned m = (unsigned)_mm_movemask_epi8(a);
                size_t k = 0;
                if (m == 0xFFFF) {
                    m = (unsigned)_mm_movemask_epi8(b);
                    k = 15;
                    if (m == 0xFFFF) {
                        m = (unsigned)_mm_movemask_epi8(c);
                        k = 30;
                    }
                }
                size_t whole = k / 3 + (size_t)__builtin_ctz(~m) / 3;
                i += 3 * whole;
                extra += 2 * whole;
                stopped = true;
                break;
            }
            size_t left = length - i;
            if (!stopped && left >= 16 && left <= 45 && left % 3 == 0 && three_byte_rest_sse2(s, i, length)) {
                extra += left / 3 * 2;
                i = length;
                break;
            }
            while (!stopped && length - i >= 16) {
                unsigned good = three_byte_run_sse2(s + i, 0);
                if (good == 0xFFFF) {
                    i += 15;
                    extra += 10;
                    continue;
                }
                size_t whole = (size_t)__builtin_ctz(~good) / 3;
                i += 3 * whole;
                extra += 2 * whole;
                stopped = true;
            }
            left = length - i;
            if (!stopped && i > start && left > 0 && left < 16 && left % 3 == 0 &&
                three_byte_run_sse2(s + length - 16, 1) == 0xFFFF) {
                extra += left / 3 * 2;
                i = length;
                break;
            }
        }
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* Two 3-byte sequences a step (CJK, Hangul: most text that is not Latin): the bit
         * patterns with one mask, then E0 80..9F and ED A0..BF ruled out for both at once. A
         * lead's low nibble, xor 0xD when bit 5 of its second byte is set, is 0 exactly for
         * those; adding 0xF to each such nibble carries into its bit 4 unless it is 0. */
        while (length - i >= 14) { /* four, from two overlapping words */
            uint64_t w = load_word(s + i), x = load_word(s + i + 6);
            if (((w & 0xC0C0F0C0C0F0ull) ^ 0x8080E08080E0ull) | ((x & 0xC0C0F0C0C0F0ull) ^ 0x8080E08080E0ull))
                break;
            uint64_t kw = (w & 0x0F00000Full) ^ (((w >> 13) & 0x01000001ull) * 0xD);
            uint64_t kx = (x & 0x0F00000Full) ^ (((x >> 13) & 0x01000001ull) * 0xD);
            if (((kw + 0x0F00000Full) & (kx + 0x0F00000Full) & 0x10000010ull) != 0x10000010ull)
                break;
            i += 12;
            extra += 8;
        }
        while (length - i >= 8) {
            uint64_t w = load_word(s + i);
            if ((w & 0xC0C0F0C0C0F0ull) != 0x8080E08080E0ull)
                break;
            uint64_t key = (w & 0x0F00000Full) ^ (((w >> 13) & 0x01000001ull) * 0xD);
            if (((key + 0x0F00000Full) & 0x10000010ull) != 0x10000010ull)
                break;
            i += 6;
            extra += 4;
        }
#endif
        /* A run of 2- and 3-byte sequences, each checked with masks on its bytes at once. v holds
         * s[i..i+3) little end first, whatever the host's order. */
        while (length - i >= 4) {
            uint32_t v = (uint32_t)s[i] | (uint32_t)s[i + 1] << 8 | (uint32_t)s[i + 2] << 16;
            if ((v & SP_UTF8_3_MASK) == SP_UTF8_3_BITS) {
                if (!utf8_3_allowed(v))
                    break;
                i += 3;
                extra += 2;
            } else if ((v & 0xC0E0) == 0x80C0) {
                if (!(v & 0x1E)) /* C0, C1: overlong */
                    break;
                i += 2;
                extra += 1;
            } else {
                break;
            }
        }
        if (i >= length)
            break;
        uint8_t b0 = s[i];
        if (b0 < 0x80)
            continue;
        /* One sequence of any kind, byte by byte: 4-byte ones, the end of the text, and what is
         * invalid (where the prefix ends). */
        size_t left = length - i;
        if (b0 < 0xE0) {
            if (b0 < 0xC2 || left < 2 || (s[i + 1] & 0xC0) != 0x80)
                break;
            i += 2;
            extra += 1;
        } else if (b0 < 0xF0) {
            if (left < 3)
                break;
            uint8_t b1 = s[i + 1];
            if (b0 == 0xE0 ? (b1 < 0xA0 || b1 > 0xBF) : b0 == 0xED ? (b1 < 0x80 || b1 > 0x9F) : (b1 & 0xC0) != 0x80)
                break;
            if ((s[i + 2] & 0xC0) != 0x80)
                break;
            i += 3;
            extra += 2;
        } else {
            if (b0 > 0xF4 || left < 4)
                break;
            uint8_t b1 = s[i + 1];
            if (b0 == 0xF0 ? (b1 < 0x90 || b1 > 0xBF) : b0 == 0xF4 ? (b1 < 0x80 || b1 > 0x8F) : (b1 & 0xC0) != 0x80)
                break;
            if ((s[i + 2] & 0xC0) != 0x80 || (s[i + 3] & 0xC0) != 0x80)
                break;
            i += 4;
            extra += 2;
        }
    }
    *units += i - extra;
    return i;
}

#if defined(SP_UTF8_AVX2)
/* Keiser and Lemire's check ("Validating UTF-8 in less than one instruction per byte", Software:
 * Practice and Experience 51(5), 2021; simdjson's "lookup4"), 32 bytes a step with AVX2, chosen
 * at run time (the library is built for baseline x86-64). Each byte is judged with the one before
 * it by three 16-entry tables (the first byte's high and low nibble, the second's high nibble)
 * whose AND has a bit for each kind of error the pair shows; where a byte must be the third or
 * fourth of a sequence (a 3- or 4-byte lead two or three bytes back) the "two continuations" bit
 * is expected and flipped. Both nibble lookups of a table are one PSHUFB. */
#  define U8_TOO_SHORT (1 << 0)      /* a lead not followed by a continuation */
#  define U8_TOO_LONG (1 << 1)       /* a continuation after ASCII */
#  define U8_OVERLONG_3 (1 << 2)     /* E0 80..9F */
#  define U8_TOO_LARGE (1 << 3)      /* F4 90..BF, F5..FF */
#  define U8_SURROGATE (1 << 4)      /* ED A0..BF */
#  define U8_OVERLONG_2 (1 << 5)     /* C0, C1 */
#  define U8_TOO_LARGE_1000 (1 << 6) /* F5..FF 80..8F */
#  define U8_OVERLONG_4 (1 << 6)     /* F0 80..8F */
#  define U8_TWO_CONTS (1 << 7)      /* a continuation after a continuation */
#  define U8_CARRY (U8_TOO_SHORT | U8_TOO_LONG | U8_TWO_CONTS)
#  define U8_X16(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)                                                       \
    (char)(a), (char)(b), (char)(c), (char)(d), (char)(e), (char)(f), (char)(g), (char)(h), (char)(i), (char)(j),      \
        (char)(k), (char)(l), (char)(m), (char)(n), (char)(o), (char)(p)
#  define U8_TABLE(...) _mm256_setr_epi8(U8_X16(__VA_ARGS__), U8_X16(__VA_ARGS__))
#  define U8_LARGE (U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000)
#  define U8_CONT_1000 (U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE_1000 | U8_OVERLONG_4)
#  define U8_CONT_1001 (U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE)
#  define U8_CONT_101 (U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE)

/* The 32 bytes before each byte of in, n back (1 to 3), the last ones from prev. */
#  define U8_PREV(in, prev, n) _mm256_alignr_epi8(in, _mm256_permute2x128_si256(prev, in, 0x21), 16 - (n))

/* The sum of v's 32 bytes. */
__attribute__((target("avx2"))) static inline uint64_t byte_sum_avx2(__m256i v)
{
    __m256i q = _mm256_sad_epu8(v, _mm256_setzero_si256());
    return (uint64_t)_mm256_extract_epi64(q, 0) + (uint64_t)_mm256_extract_epi64(q, 1) +
           (uint64_t)_mm256_extract_epi64(q, 2) + (uint64_t)_mm256_extract_epi64(q, 3);
}

/* The longest prefix of s[0..length) made of whole valid sequences that this pass can vouch for:
 * every 32-byte block up to the first that shows an error (or to the last whole block), less a
 * sequence cut off at that point; its UTF-16 units are added to *units. The bytes after it are
 * the scalar loop's, which finds the exact end (at most a block and three bytes of it). */
__attribute__((target("avx2"))) static size_t valid_blocks_avx2(const uint8_t *s, size_t length, size_t *units)
{
    const __m256i byte_1_high = U8_TABLE(
        U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
        U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS, U8_TOO_SHORT | U8_OVERLONG_2, U8_TOO_SHORT,
        U8_TOO_SHORT | U8_OVERLONG_3 | U8_SURROGATE, U8_TOO_SHORT | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_OVERLONG_4);
    const __m256i byte_1_low =
        U8_TABLE(U8_CARRY | U8_OVERLONG_3 | U8_OVERLONG_2 | U8_OVERLONG_4, U8_CARRY | U8_OVERLONG_2, U8_CARRY, U8_CARRY,
                 U8_CARRY | U8_TOO_LARGE, U8_LARGE, U8_LARGE, U8_LARGE, U8_LARGE, U8_LARGE, U8_LARGE, U8_LARGE,
                 U8_LARGE, U8_LARGE | U8_SURROGATE, U8_LARGE, U8_LARGE);
    const __m256i byte_2_high = U8_TABLE(
        U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
        U8_CONT_1000, U8_CONT_1001, U8_CONT_101, U8_CONT_101, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT);
    const __m256i nibble = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
    /* a lead in the last three bytes of a block whose sequence goes on past it */
    const __m256i cut_off =
        _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                         -1, -1, -1, -1, -1, (char)0xEF, (char)0xDF, (char)0xBF);
    __m256i prev = zero, open = zero, conts = zero, fours = zero;
    uint64_t cont_total = 0, four_total = 0;
    unsigned counted = 0; /* blocks in conts and fours (byte lanes: at most 255 before a fold) */
    size_t end = 0;
    for (; length - end >= 32; end += 32) {
        __m256i in = _mm256_loadu_si256((const __m256i *)(const void *)(s + end));
        if (!_mm256_movemask_epi8(in)) {
            if (!_mm256_testz_si256(open, open))
                break; /* the sequence the last block began has no continuation */
            prev = in;
            continue;
        }
        __m256i p1 = U8_PREV(in, prev, 1), p2 = U8_PREV(in, prev, 2), p3 = U8_PREV(in, prev, 3);
        __m256i special = _mm256_and_si256(
            _mm256_and_si256(_mm256_shuffle_epi8(byte_1_high, _mm256_and_si256(_mm256_srli_epi16(p1, 4), nibble)),
                             _mm256_shuffle_epi8(byte_1_low, _mm256_and_si256(p1, nibble))),
            _mm256_shuffle_epi8(byte_2_high, _mm256_and_si256(_mm256_srli_epi16(in, 4), nibble)));
        /* 0x80 where a 3-byte lead is two back or a 4-byte lead three back */
        __m256i must_continue =
            _mm256_and_si256(_mm256_or_si256(_mm256_subs_epu8(p2, _mm256_set1_epi8(0xE0 - 0x80)),
                                             _mm256_subs_epu8(p3, _mm256_set1_epi8((char)(0xF0 - 0x80)))),
                             _mm256_set1_epi8((char)0x80));
        __m256i error = _mm256_xor_si256(must_continue, special);
        if (!_mm256_testz_si256(error, error))
            break;
        /* each comparison is -1 in its lane: subtracting it counts */
        conts = _mm256_sub_epi8(conts, _mm256_cmpgt_epi8(_mm256_set1_epi8(-64), in)); /* 80..BF */
        fours = _mm256_sub_epi8(fours, _mm256_cmpeq_epi8(_mm256_max_epu8(in, _mm256_set1_epi8((char)0xF0)), in));
        if (++counted == 255) {
            cont_total += byte_sum_avx2(conts);
            four_total += byte_sum_avx2(fours);
            conts = fours = zero;
            counted = 0;
        }
        open = _mm256_subs_epu8(in, cut_off);
        prev = in;
    }
    cont_total += byte_sum_avx2(conts);
    four_total += byte_sum_avx2(fours);
    /* Every sequence that ends before `end` was judged whole; the one that `end` may cut (a lead
     * in the last three bytes whose sequence goes on past end) is the scalar loop's. */
    size_t keep = end;
    for (size_t k = 1; k <= 3 && k <= end; k++) {
        uint8_t b = s[end - k];
        if (b < 0x80)
            break;
        if (b >= 0xC0) {
            if (k < (size_t)(b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2))
                keep = end - k;
            break;
        }
    }
    for (size_t i = keep; i < end; i++) { /* counted above, not part of the prefix */
        cont_total -= (s[i] & 0xC0) == 0x80;
        four_total -= s[i] >= 0xF0;
    }
    *units += keep - (size_t)cont_total + (size_t)four_total;
    return keep;
}
#endif

/* A short string of whole 3-byte sequences (a Korean or CJK word, a name) first, before the
 * general loop's set-up: 18 to 30 bytes are two blocks, the second ending at the end. From 64
 * bytes, with AVX2, the blocks of valid_blocks_avx2 first and the general loop for the rest. */
size_t sp_utf8_valid_prefix(const uint8_t *s, size_t length, size_t *units)
{
#if defined(__SSE2__) && defined(SP_WORD_CTZ)
    if (length - 18 <= 12 && (s[0] & 0xF0) == 0xE0 && length % 3 == 0 && three_byte_rest_sse2(s, 0, length)) {
        *units += length / 3;
        return length;
    }
#endif
#if defined(SP_UTF8_AVX2)
    if (length >= 64 && sp_utf8_avx2()) {
        size_t done = valid_blocks_avx2(s, length, units);
        return done == length ? done : done + valid_prefix(s + done, length - done, units);
    }
#endif
    return valid_prefix(s, length, units);
}

int32_t sp_utf8_next(const uint8_t *s, size_t length, size_t *consumed)
{
    uint8_t b0 = s[0];
    if (b0 < 0x80) {
        *consumed = 1;
        return b0;
    }
    int need;
    uint8_t lower = 0x80, upper = 0xBF;
    uint32_t cp;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
        cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        cp = b0 & 0x0F;
        if (b0 == 0xE0)
            lower = 0xA0;
        else if (b0 == 0xED)
            upper = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        cp = b0 & 0x07;
        if (b0 == 0xF0)
            lower = 0x90;
        else if (b0 == 0xF4)
            upper = 0x8F;
    } else {
        *consumed = 1;
        return SP_UTF8_INVALID;
    }
    size_t i = 1;
    for (; i <= (size_t)need; i++) {
        if (i >= length) {
            *consumed = i;
            return SP_UTF8_INCOMPLETE;
        }
        uint8_t b = s[i];
        if (b < lower || b > upper) {
            *consumed = i;
            return SP_UTF8_INVALID;
        }
        lower = 0x80;
        upper = 0xBF;
        cp = (cp << 6) | (b & 0x3F);
    }
    *consumed = i;
    return (int32_t)cp;
}

bool sp_utf8_append(sp_buf *out, uint32_t cp)
{
    uint8_t tmp[4];
    int n = sp_encode_codepoint(&utf8_plain, cp, tmp);
    return sp_buf_append(out, tmp, (size_t)n);
}

int sp_encode_codepoint(const Encoding *enc, uint32_t cp, uint8_t out[4])
{
    switch (enc->kind) {
    case SP_ENC_UTF8:
        if (cp < 0x80) {
            out[0] = (uint8_t)cp;
            return 1;
        }
        if (cp < 0x800) {
            out[0] = (uint8_t)(0xC0 | (cp >> 6));
            out[1] = (uint8_t)(0x80 | (cp & 0x3F));
            return 2;
        }
        if (cp < 0x10000) {
            out[0] = (uint8_t)(0xE0 | (cp >> 12));
            out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
            out[2] = (uint8_t)(0x80 | (cp & 0x3F));
            return 3;
        }
        out[0] = (uint8_t)(0xF0 | (cp >> 18));
        out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (uint8_t)(0x80 | (cp & 0x3F));
        return 4;
    case SP_ENC_UTF16LE:
    case SP_ENC_UTF16BE: {
        uint16_t units[2];
        int n = 1;
        if (cp >= 0x10000) {
            units[0] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
            units[1] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
            n = 2;
        } else {
            units[0] = (uint16_t)cp;
        }
        for (int i = 0; i < n; i++) {
            if (enc->kind == SP_ENC_UTF16LE) {
                out[2 * i] = (uint8_t)units[i];
                out[2 * i + 1] = (uint8_t)(units[i] >> 8);
            } else {
                out[2 * i] = (uint8_t)(units[i] >> 8);
                out[2 * i + 1] = (uint8_t)units[i];
            }
        }
        return 2 * n;
    }
    case SP_ENC_UTF32LE: sp_put_u32(out, cp); return 4;
    case SP_ENC_UTF32BE:
        out[0] = (uint8_t)(cp >> 24);
        out[1] = (uint8_t)(cp >> 16);
        out[2] = (uint8_t)(cp >> 8);
        out[3] = (uint8_t)cp;
        return 4;
    case SP_ENC_ASCII: out[0] = cp < 0x80 ? (uint8_t)cp : (uint8_t)'?'; return 1;
    case SP_ENC_LATIN1: out[0] = cp < 0x100 ? (uint8_t)cp : (uint8_t)'?'; return 1;
    }
    return 0;
}

int sp_encoding_unit_size(const Encoding *enc)
{
    switch (enc->kind) {
    case SP_ENC_UTF16LE:
    case SP_ENC_UTF16BE: return 2;
    case SP_ENC_UTF32LE:
    case SP_ENC_UTF32BE: return 4;
    default: return 1;
    }
}

int sp_encoding_max_bytes_per_char(const Encoding *enc)
{
    switch (enc->kind) {
    case SP_ENC_UTF8: return 3;
    case SP_ENC_UTF16LE:
    case SP_ENC_UTF16BE: return 2;
    case SP_ENC_UTF32LE:
    case SP_ENC_UTF32BE: return 4;
    default: return 1;
    }
}

/* DecoderExceptionFallbackBuffer.Throw's text: "Unable to translate bytes [E2][82] at index -2
 * ...", each byte as [XX] (one invalid sequence is at most 4 of them here), at the index where
 * they start in the input of the call that met them. */
static void throw_bytes_unknown(ExceptionType type, const uint8_t *bytes, size_t n, int32_t index)
{
    char hex[4 * 4 + 1] = {0};
    if (n > 4)
        n = 4;
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 4 * i, sizeof hex - 4 * i, "[%02X]", bytes[i]);
    sp_throwf_sr(type, NULL, SR_Argument_InvalidCodePageBytesIndex, hex, (int)index);
    sp_exception_set_fallback(bytes, n, 0, index);
}

/* Invalid UTF-8 handed to a throwing encoder: C text that no .NET string can be (a lone
 * surrogate is .NET's nearest case), said with the decoder's text, as an ArgumentException. */
static void throw_invalid_utf8(const uint8_t *s, size_t consumed, size_t index)
{
    throw_bytes_unknown(ExceptionType_ArgumentException, s, consumed, (int32_t)index);
}

bool sp_encode_text(const Encoding *enc, const char *utf8, size_t length, bool throw_on_invalid, sp_buf *out)
{
    const uint8_t *s = (const uint8_t *)utf8;
    size_t i = 0;
    if (enc->kind == SP_ENC_UTF8) {
        /* Copy valid runs whole; only invalid bytes need work. */
        if (!sp_buf_reserve(out, length))
            return false;
        while (i < length) {
            size_t units = 0;
            size_t run = sp_utf8_valid_prefix(s + i, length - i, &units);
            if (!sp_buf_append(out, s + i, run))
                return false;
            i += run;
            if (i < length) {
                size_t consumed;
                sp_utf8_next(s + i, length - i, &consumed);
                if (throw_on_invalid) {
                    throw_invalid_utf8(s + i, consumed, i);
                    return false;
                }
                if (!sp_utf8_append(out, SP_REPLACEMENT_CHAR))
                    return false;
                i += consumed;
            }
        }
        return true;
    }
    uint8_t tmp[4];
    size_t unit = (size_t)sp_encoding_unit_size(enc);
    while (i < length) {
        /* An ASCII run into a single-byte or UTF-16 encoding: no code point work. */
        if (s[i] < 0x80 && unit <= 2) {
            size_t end = i + 1;
            while (end < length && s[end] < 0x80)
                end++;
            size_t n = end - i;
            if (!sp_buf_reserve(out, n * unit))
                return false;
            uint8_t *d = out->data + out->length;
            if (unit == 1)
                memcpy(d, s + i, n);
            else if (enc->kind == SP_ENC_UTF16LE)
                for (size_t k = 0; k < n; k++, d += 2)
                    d[0] = s[i + k], d[1] = 0;
            else
                for (size_t k = 0; k < n; k++, d += 2)
                    d[0] = 0, d[1] = s[i + k];
            out->length += n * unit;
            i = end;
            continue;
        }
        size_t consumed;
        int32_t cp = sp_utf8_next(s + i, length - i, &consumed);
        if (cp < 0) {
            if (throw_on_invalid) {
                throw_invalid_utf8(s + i, consumed, i);
                return false;
            }
            cp = SP_REPLACEMENT_CHAR;
        }
        i += consumed;
        int n = sp_encode_codepoint(enc, (uint32_t)cp, tmp);
        if (!sp_buf_append(out, tmp, (size_t)n))
            return false;
    }
    return true;
}

int64_t sp_encoded_length(const Encoding *enc, const char *utf8, size_t length, bool throw_on_invalid)
{
    const uint8_t *s = (const uint8_t *)utf8;
    int64_t total = 0;
    size_t i = 0;
    uint8_t tmp[4];
    while (i < length) {
        if (enc->kind == SP_ENC_UTF8) {
            size_t units = 0;
            size_t run = sp_utf8_valid_prefix(s + i, length - i, &units);
            total += (int64_t)run;
            i += run;
            if (i == length)
                break;
        } else if (s[i] < 0x80) {
            total += sp_encoding_unit_size(enc);
            i++;
            continue;
        }
        size_t consumed;
        int32_t cp = sp_utf8_next(s + i, length - i, &consumed);
        if (cp < 0) {
            if (throw_on_invalid) {
                throw_invalid_utf8(s + i, consumed, i);
                return -1;
            }
            cp = SP_REPLACEMENT_CHAR;
        }
        i += consumed;
        total += sp_encode_codepoint(enc, (uint32_t)cp, tmp);
    }
    return total;
}

/* ---------------------------------------------------------------- decoding */

void sp_decoder_init(sp_decoder *d, const Encoding *enc)
{
    d->enc = enc;
    d->pending_length = 0;
    d->high_surrogate = 0;
}

static bool put_utf16_unit(sp_decoder *d, uint16_t unit, sp_buf *out)
{
    if (unit >= 0xD800 && unit <= 0xDBFF) {
        bool ok = true;
        if (d->high_surrogate)
            ok = sp_utf8_append(out, SP_REPLACEMENT_CHAR);
        d->high_surrogate = unit;
        return ok;
    }
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
        if (d->high_surrogate) {
            uint32_t cp = 0x10000 + ((d->high_surrogate - 0xD800) << 10) + (unit - 0xDC00);
            d->high_surrogate = 0;
            return sp_utf8_append(out, cp);
        }
        return sp_utf8_append(out, SP_REPLACEMENT_CHAR);
    }
    if (d->high_surrogate) {
        d->high_surrogate = 0;
        if (!sp_utf8_append(out, SP_REPLACEMENT_CHAR))
            return false;
    }
    return sp_utf8_append(out, unit);
}

/* UTF-8 to UTF-8, each invalid sequence (its maximal subpart, as .NET's decoder takes it) as
 * U+FFFD, or for a throwing encoding (UTF8Encoding(_, true)) DecoderFallbackException, as .NET's
 * DecoderNLS does: the index is where the sequence starts in `in`, negative when it began in the
 * bytes an earlier call left; those bytes stay in the decoder then (DecoderNLS clears its leftover
 * only once it has drained it), so the next call meets them again. What the call had decoded
 * before the throw is in `out`, for the caller to drop. */
static bool decode_utf8(sp_decoder *d, const uint8_t *in, size_t length, bool flush, sp_buf *out)
{
    const bool throws = d->enc->throw_on_invalid;
    size_t i = 0;
    /* Finish a sequence that the previous call cut off. */
    const int left = d->pending_length;
    while (d->pending_length > 0 && i < length) {
        d->pending[d->pending_length++] = in[i++];
        size_t consumed;
        int32_t cp = sp_utf8_next(d->pending, (size_t)d->pending_length, &consumed);
        if (cp == SP_UTF8_INCOMPLETE)
            continue;
        if (cp < 0 && throws) {
            d->pending_length = left;
            throw_bytes_unknown(ExceptionType_DecoderFallbackException, d->pending, consumed, -left);
            return false;
        }
        if (!sp_utf8_append(out, cp < 0 ? SP_REPLACEMENT_CHAR : (uint32_t)cp))
            return false;
        /* Bytes after the invalid subpart go back to the input. */
        size_t rest = (size_t)d->pending_length - consumed;
        d->pending_length = 0;
        i -= rest;
    }
    if (!sp_buf_reserve(out, length - i))
        return false;
    while (i < length) {
        /* The longest run of valid text goes out in one copy: ASCII, and whole valid sequences. */
        size_t units = 0;
        size_t run = sp_utf8_valid_prefix(in + i, length - i, &units);
        if (run) {
            if (!sp_buf_reserve(out, run))
                return false;
            memcpy(out->data + out->length, in + i, run);
            out->length += run;
            i += run;
        }
        if (i == length)
            break;
        size_t consumed;
        int32_t cp = sp_utf8_next(in + i, length - i, &consumed);
        if (cp == SP_UTF8_INCOMPLETE && !(flush && throws)) {
            memcpy(d->pending, in + i, length - i);
            d->pending_length = (int)(length - i);
            break;
        }
        if (cp < 0) {
            if (throws) {
                throw_bytes_unknown(ExceptionType_DecoderFallbackException, in + i,
                                    cp == SP_UTF8_INCOMPLETE ? length - i : consumed, (int32_t)i);
                return false;
            }
            if (!sp_utf8_append(out, SP_REPLACEMENT_CHAR))
                return false;
        } else if (!sp_buf_append(out, in + i, consumed)) {
            return false;
        }
        i += consumed;
    }
    if (flush && d->pending_length > 0) {
        if (throws) { /* what is pending here began before this call (the loop above throws otherwise) */
            size_t n = (size_t)d->pending_length;
            d->pending_length = left;
            throw_bytes_unknown(ExceptionType_DecoderFallbackException, d->pending, n, -left);
            return false;
        }
        d->pending_length = 0;
        return sp_utf8_append(out, SP_REPLACEMENT_CHAR);
    }
    return true;
}

bool sp_decoder_decode(sp_decoder *d, const uint8_t *in, size_t length, bool flush, sp_buf *out)
{
    const Encoding *enc = d->enc;
    if (enc->kind == SP_ENC_UTF8)
        return decode_utf8(d, in, length, flush, out);
    int unit = sp_encoding_unit_size(enc);
    size_t i = 0;
    while (i < length) {
        /* A run of ASCII (in UTF-16, of units below 0x80) is its own UTF-8: copied without
         * going through code points. */
        if (unit <= 2 && d->pending_length == 0 && !d->high_surrogate) {
            size_t end = i;
            if (unit == 1) {
                while (end < length && in[end] < 0x80)
                    end++;
            } else {
                size_t lo = enc->kind == SP_ENC_UTF16LE ? 0 : 1;
                while (end + 1 < length && in[end + lo] < 0x80 && in[end + (1 - lo)] == 0)
                    end += 2;
            }
            if (end > i) {
                size_t n = (end - i) / (size_t)unit;
                if (!sp_buf_reserve(out, n))
                    return false;
                uint8_t *o = out->data + out->length;
                if (unit == 1)
                    memcpy(o, in + i, n);
                else
                    for (size_t k = 0, lo = enc->kind == SP_ENC_UTF16LE ? 0 : 1; k < n; k++)
                        o[k] = in[i + 2 * k + lo];
                out->length += n;
                i = end;
                if (i == length)
                    break;
            }
        }
        if (unit > 1) {
            if (d->pending_length > 0 || length - i < (size_t)unit) {
                while (d->pending_length < unit && i < length)
                    d->pending[d->pending_length++] = in[i++];
                if (d->pending_length < unit)
                    break;
            }
            const uint8_t *p = d->pending_length == unit ? d->pending : in + i;
            if (d->pending_length == unit)
                d->pending_length = 0;
            else
                i += (size_t)unit;
            bool ok;
            if (enc->kind == SP_ENC_UTF16LE)
                ok = put_utf16_unit(d, sp_get_u16(p), out);
            else if (enc->kind == SP_ENC_UTF16BE)
                ok = put_utf16_unit(d, (uint16_t)((p[0] << 8) | p[1]), out);
            else {
                uint32_t cp = enc->kind == SP_ENC_UTF32LE
                                  ? sp_get_u32(p)
                                  : ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
                if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                    cp = SP_REPLACEMENT_CHAR;
                ok = sp_utf8_append(out, cp);
            }
            if (!ok)
                return false;
        } else {
            uint8_t b = in[i++];
            uint32_t cp = enc->kind == SP_ENC_LATIN1 ? b : b < 0x80 ? b : (uint32_t)'?';
            if (!sp_utf8_append(out, cp))
                return false;
        }
    }
    if (flush) {
        /* A high surrogate with no low half and the bytes of a cut-off unit are a U+FFFD each, as
         * .NET's flush gives them (UTF-16 00 D8 00: two). */
        if (d->high_surrogate && !sp_utf8_append(out, SP_REPLACEMENT_CHAR))
            return false;
        d->high_surrogate = 0;
        if (d->pending_length > 0 && !sp_utf8_append(out, SP_REPLACEMENT_CHAR))
            return false;
        d->pending_length = 0;
    }
    return true;
}
