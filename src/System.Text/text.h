/*
 * Transcoding between the UTF-8 of C strings and the encodings on the wire. One decoder and one
 * encoder serve BinaryReader/Writer and StreamReader/Writer alike.
 */
#ifndef SHARPIPC_TEXT_H
#define SHARPIPC_TEXT_H

#include "core/internal.h"

#if defined(__SSE2__)
#  include <emmintrin.h>
#endif
/* The inline helpers below are the whole point of their callers' fast paths: inline them always. */
#if defined(__GNUC__)
#  define SP_TEXT_INLINE static inline __attribute__((always_inline))
#else
#  define SP_TEXT_INLINE static inline
#endif

typedef enum sp_encoding_kind {
    SP_ENC_UTF8,
    SP_ENC_UTF16LE,
    SP_ENC_UTF16BE,
    SP_ENC_UTF32LE,
    SP_ENC_UTF32BE,
    SP_ENC_ASCII,
    SP_ENC_LATIN1
} sp_encoding_kind;

struct Encoding {
    Object base;
    sp_encoding_kind kind;
    bool emit_preamble;
    bool throw_on_invalid;
    const char *web_name;
    int32_t code_page;
};

extern const sp_type sp_type_Encoding;

#define SP_REPLACEMENT_CHAR 0xFFFDu
/* The results of sp_utf8_next besides a code point. */
#define SP_UTF8_INVALID (-1)    /* an invalid sequence of *consumed bytes (a maximal subpart) */
#define SP_UTF8_INCOMPLETE (-2) /* a valid start cut off by the end of the input */

/* Decodes one code point of UTF-8 at s[0..length), as .NET's UTF8Encoding does: surrogates,
 * overlong forms and values above U+10FFFF are invalid, one maximal subpart at a time. */
int32_t sp_utf8_next(const uint8_t *s, size_t length, size_t *consumed);
/* Appends cp as UTF-8. */
bool sp_utf8_append(sp_buf *out, uint32_t cp);
/* Encodes one code point in enc into out[0..4); returns the byte count. */
int sp_encode_codepoint(const Encoding *enc, uint32_t cp, uint8_t out[4]);
/* The most bytes one UTF-16 code unit can take in enc (GetMaxByteCount(1) less the fallback slack). */
int sp_encoding_max_bytes_per_char(const Encoding *enc);
/* .NET's Encoding.GetMaxByteCount(charCount) before its int check: (charCount + 1) times the most
 * bytes per char (the +1 is a high surrogate left over from before). */
static inline int64_t sp_encoding_max_byte_count(const Encoding *enc, int64_t char_count)
{
    return (char_count + 1) * sp_encoding_max_bytes_per_char(enc);
}
/* The UTF-16 code units of UTF-8 text: one per sequence, two for a 4-byte one. */
size_t sp_utf8_utf16_length(const uint8_t *s, size_t length);
/* The length of the longest valid UTF-8 prefix of s[0..length) (as sp_utf8_next judges each
 * sequence; it stops before an invalid or cut-off one), adding its UTF-16 units to *units. ASCII
 * goes a word at a time: this is the one validation pass of every encoder and decoder. */
size_t sp_utf8_valid_prefix(const uint8_t *s, size_t length, size_t *units);
/* Tests only: turns the AVX2 blocks of sp_utf8_valid_prefix off (false), so that the SSE2 and
 * word loops are tested on a CPU that has AVX2 too, or back on where the CPU has them; whether
 * they are in use now. Not for use while other threads validate text. */
bool sp_utf8_blocks_enable(bool on);
#if defined(__SSE2__)
/* The 3-byte blocks of the UTF-8 checks (encoding.c), here so that a writer's copy of its text
 * (sp_utf8_copy_valid_prefix) is inline in the writer, without a call.
 *
 * 0xFF in each lane of v that is in place in five 3-byte sequences in lanes 0..14 (lane 15's is
 * 0xFF too, and means nothing): each lead 1110xxxx and its two bytes 10xxxxxx at once, then E0
 * 80..9F and ED A0..BF ruled out as encoding.c's word loop does, the second byte's bit 5 giving 0 or
 * 0xD to compare with the lead's low nibble (0xFF where there is no lead, which neither equals). A
 * vector, so that a caller can AND several blocks and test them once; the constants are one set,
 * kept in registers by a loop (a block that ends at the end of the text is shifted into place,
 * three_byte_last_sse2, rather than tested with patterns of its own). */
SP_TEXT_INLINE __m128i sp_utf8_3_ok_sse2_(__m128i v)
{
    const __m128i mask =
        _mm_setr_epi8((char)0xF0, (char)0xC0, (char)0xC0, (char)0xF0, (char)0xC0, (char)0xC0, (char)0xF0, (char)0xC0,
                      (char)0xC0, (char)0xF0, (char)0xC0, (char)0xC0, (char)0xF0, (char)0xC0, (char)0xC0, 0);
    const __m128i bits =
        _mm_setr_epi8((char)0xE0, (char)0x80, (char)0x80, (char)0xE0, (char)0x80, (char)0x80, (char)0xE0, (char)0x80,
                      (char)0x80, (char)0xE0, (char)0x80, (char)0x80, (char)0xE0, (char)0x80, (char)0x80, 0);
    const __m128i nibble = _mm_setr_epi8(0x0F, 0, 0, 0x0F, 0, 0, 0x0F, 0, 0, 0x0F, 0, 0, 0x0F, 0, 0, 0);
    const __m128i no_lead = _mm_setr_epi8(0, (char)0xFF, (char)0xFF, 0, (char)0xFF, (char)0xFF, 0, (char)0xFF,
                                          (char)0xFF, 0, (char)0xFF, (char)0xFF, 0, (char)0xFF, (char)0xFF, (char)0xFF);
    __m128i shape = _mm_cmpeq_epi8(_mm_and_si128(v, mask), bits); /* 0xFF where the bits are right */
    __m128i bit5 = _mm_and_si128(_mm_srli_si128(v, 1), _mm_set1_epi8(0x20));
    __m128i key = _mm_and_si128(_mm_cmpeq_epi8(bit5, _mm_set1_epi8(0x20)), _mm_set1_epi8(0x0D));
    __m128i refused = _mm_cmpeq_epi8(_mm_or_si128(_mm_and_si128(v, nibble), no_lead), key);
    /* both tests in one mask: a byte of the right shape and not a refused lead */
    return _mm_andnot_si128(refused, shape);
}
SP_TEXT_INLINE __m128i sp_utf8_load16_(const uint8_t *p) { return _mm_loadu_si128((const __m128i *)(const void *)p); }
/* Text of whole 3-byte sequences (length >= 18, a multiple of 3), checked and copied a block at a
 * time, each block stored as it was loaded: fifteen sequences a step, tested once, then the rest
 * of up to 45 bytes in up to two blocks and the one that ends at the end, tested once. False, with
 * some of d written, at the first step that fails. */
SP_TEXT_INLINE bool sp_utf8_copy_3_text_(uint8_t *d, const uint8_t *s, size_t length)
{
    size_t i = 0;
    for (; length - i >= 46; i += 45) {
        __m128i a = sp_utf8_load16_(s + i), b = sp_utf8_load16_(s + i + 15), c = sp_utf8_load16_(s + i + 30);
        __m128i g = _mm_and_si128(_mm_and_si128(sp_utf8_3_ok_sse2_(a), sp_utf8_3_ok_sse2_(b)), sp_utf8_3_ok_sse2_(c));
        if (_mm_movemask_epi8(g) != 0xFFFF)
            return false;
        _mm_storeu_si128((__m128i *)(void *)(d + i), a);
        _mm_storeu_si128((__m128i *)(void *)(d + i + 15), b);
        _mm_storeu_si128((__m128i *)(void *)(d + i + 30), c);
    }
    size_t left = length - i;
    if (left == 0)
        return true;
    __m128i e = sp_utf8_load16_(s + length - 16), a = e, b = e;
    __m128i g = sp_utf8_3_ok_sse2_(_mm_srli_si128(e, 1));
    if (left >= 16) {
        a = sp_utf8_load16_(s + i);
        g = _mm_and_si128(g, sp_utf8_3_ok_sse2_(a));
    }
    if (left >= 31) {
        b = sp_utf8_load16_(s + i + 15);
        g = _mm_and_si128(g, sp_utf8_3_ok_sse2_(b));
    }
    if (_mm_movemask_epi8(g) != 0xFFFF)
        return false;
    if (left >= 16)
        _mm_storeu_si128((__m128i *)(void *)(d + i), a);
    if (left >= 31)
        _mm_storeu_si128((__m128i *)(void *)(d + i + 15), b);
    _mm_storeu_si128((__m128i *)(void *)(d + length - 16), e);
    return true;
}
#endif
/* sp_utf8_valid_prefix that also copies the valid prefix to d, which has room for all `length`
 * bytes and may get any of them past the prefix (a writer's own buffer past its text). */
SP_TEXT_INLINE size_t sp_utf8_copy_valid_prefix(uint8_t *d, const uint8_t *s, size_t length, size_t *units)
{
#if defined(__SSE2__)
    /* one pass where a check and a memcpy are two; text that is not all 3-byte sequences (or
     * not valid) is checked again from the start by the general loop */
    if (length >= 18 && (s[0] & 0xF0) == 0xE0 && length % 3 == 0 && sp_utf8_copy_3_text_(d, s, length)) {
        *units += length / 3;
        return length;
    }
#endif
    size_t n = sp_utf8_valid_prefix(s, length, units);
    memcpy(d, s, n);
    return n;
}

/* sp_utf8_valid_prefix with the common case of a call inline: a short ASCII text (a line, a
 * word, a newline) is checked with one or two loads that overlap, no call and no loop. */
SP_TEXT_INLINE size_t sp_utf8_valid_prefix_short(const uint8_t *s, size_t length, size_t *units)
{
    bool ascii;
    if (length >= 8 && length <= 16) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + length - 8, 8);
        ascii = !((a | b) & 0x8080808080808080ull);
    }
#if defined(__SSE2__)
    else if (length > 16 && length <= 32) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)s);
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + length - 16));
        ascii = !_mm_movemask_epi8(_mm_or_si128(a, b));
    }
#endif
    else if (length < 8) {
        uint8_t any = 0;
        for (size_t i = 0; i < length; i++)
            any |= s[i];
        ascii = any < 0x80;
    } else {
        ascii = false;
    }
    if (ascii) {
        *units += length;
        return length;
    }
    return sp_utf8_valid_prefix(s, length, units);
}
/* memcpy for the short copies of one call (a line, a newline): inline, with overlapping moves. */
SP_TEXT_INLINE void sp_copy_short(uint8_t *d, const uint8_t *s, size_t n)
{
    if (n >= 8 && n <= 16) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
        memcpy(d, &a, 8);
        memcpy(d + n - 8, &b, 8);
    } else if (n < 8) {
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
    }
#if defined(__SSE2__)
    else if (n <= 32) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)s);
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16));
        _mm_storeu_si128((__m128i *)(void *)d, a);
        _mm_storeu_si128((__m128i *)(void *)(d + n - 16), b);
    }
#endif
    else {
        memcpy(d, s, n);
    }
}
/* .NET's largest string, string.MaxLength: 0x3FFFFFDF UTF-16 units. A variable so that tests can
 * lower it instead of building a gigabyte of text. */
extern size_t sp_max_string_units;
/* The most bytes a ...WithLength call can report in its int32_t (INT32_MAX; lowered by tests too). */
extern size_t sp_max_string_bytes;
/* The size of a string being built (ReadToEnd, ReadLine, ReadString). Units are counted only once
 * the bytes could exceed .NET's largest string (a UTF-16 unit takes at least one byte), so short
 * strings pay no counting pass; `counted` says how many of the bytes `units` covers. */
typedef struct sp_string_meter {
    size_t units;
    size_t counted;
} sp_string_meter;
/* A string being built gets n more bytes of UTF-8 `text` after the `bytes_before` bytes at
 * `before`. True when it still fits .NET's largest string (and, with int32_length, an int32 byte
 * count); else .NET's OutOfMemoryException, what building a string past its maximum length
 * throws, and false. */
bool sp_string_may_grow(sp_string_meter *m, const uint8_t *before, size_t bytes_before, const uint8_t *text, size_t n,
                        bool int32_length);
/* sp_string_may_grow for a string of n bytes made at once: inline when n is below both limits. */
SP_TEXT_INLINE bool sp_string_may_be(const uint8_t *text, size_t n, bool int32_length)
{
    if (n <= sp_max_string_units && (!int32_length || n <= sp_max_string_bytes))
        return true;
    sp_string_meter meter = {0, 0};
    return sp_string_may_grow(&meter, NULL, 0, text, n, int32_length);
}
/* A string for the caller (String_Free) holding bytes[0..length) and a terminator; "" is one
 * shared, read-only string that String_Free recognises (src/core/object.c). NULL with
 * OutOfMemoryException when there is no memory. */
char *sp_string_new(const void *bytes, size_t length);
extern const char sp_empty_string[1];
/* The bytes of one code unit: 1 (UTF-8, single-byte encodings), 2 (UTF-16) or 4 (UTF-32). */
int sp_encoding_unit_size(const Encoding *enc);
const Encoding *sp_encoding_utf32be(void);
/* True when enc's bytes are UTF-8, so UTF-8 text needs validation only. */
static inline bool sp_encoding_is_utf8(const Encoding *enc) { return enc->kind == SP_ENC_UTF8; }

/* Encodes UTF-8 text into enc, appending to out. Invalid UTF-8 becomes U+FFFD, or with
 * `throw_on_invalid` an ArgumentException (.NET's EncoderFallbackException is one). */
bool sp_encode_text(const Encoding *enc, const char *utf8, size_t length, bool throw_on_invalid, sp_buf *out);
/* Bytes sp_encode_text would produce; -1 with an exception on invalid input when throwing. */
int64_t sp_encoded_length(const Encoding *enc, const char *utf8, size_t length, bool throw_on_invalid);

/* A streaming decoder: bytes in enc -> UTF-8, keeping an incomplete sequence for the next call. */
typedef struct sp_decoder {
    const Encoding *enc;
    uint8_t pending[4];
    int pending_length;
    uint32_t high_surrogate; /* UTF-16: a high surrogate waiting for its low half, else 0 */
} sp_decoder;

void sp_decoder_init(sp_decoder *d, const Encoding *enc);
/* Decodes `length` bytes, appending UTF-8 to out; with flush, an incomplete tail becomes U+FFFD.
 * False with the exception: OutOfMemoryException, or a throwing UTF-8 encoding's
 * DecoderFallbackException, after which out holds a part of the call's text (for the caller to
 * drop) and the decoder keeps what .NET's keeps (decode_utf8). */
bool sp_decoder_decode(sp_decoder *d, const uint8_t *in, size_t length, bool flush, sp_buf *out);

#endif
