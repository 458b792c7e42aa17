/* The value types: Half (IEEE binary16) and Decimal (96-bit scaled integer), as .NET defines them. */
#include "core/internal.h"

#include <math.h>
#include <stdio.h>

/* ---------------------------------------------------------------- Half */

Half Half_FromBits(uint16_t bits)
{
    Half h = {bits};
    return h;
}

Half Half_FromDouble(double value)
{
    uint64_t x;
    memcpy(&x, &value, 8);
    uint16_t sign = (uint16_t)((x >> 48) & 0x8000);
    int exp = (int)((x >> 52) & 0x7FF);
    uint64_t mant = x & ((1ull << 52) - 1);
    if (exp == 0x7FF) /* .NET keeps the top payload bits of a NaN and makes it quiet */
        return Half_FromBits(mant ? (uint16_t)(sign | 0x7E00 | (mant >> 42)) : (uint16_t)(sign | 0x7C00));
    if (exp == 0 && mant == 0)
        return Half_FromBits(sign);
    uint64_t m = mant | (exp ? 1ull << 52 : 0);
    int e = (exp ? exp : 1) - 1023 + 15; /* the half's biased exponent */
    int shift = 42;
    if (e < 1) {
        shift += 1 - e;
        e = 0;
    }
    if (e >= 31)
        return Half_FromBits(sign | 0x7C00);
    if (shift > 54)
        return Half_FromBits(sign);
    uint64_t hm = m >> shift;
    uint64_t rem = m & ((1ull << shift) - 1), half = 1ull << (shift - 1);
    if (rem > half || (rem == half && (hm & 1)))
        hm++;
    if (e == 0) /* subnormal; a carry into 0x400 is the smallest normal, which the bits say anyway */
        return Half_FromBits((uint16_t)(sign | hm));
    if (hm == 2048) {
        hm = 1024;
        e++;
        if (e >= 31)
            return Half_FromBits(sign | 0x7C00);
    }
    return Half_FromBits((uint16_t)(sign | (e << 10) | (hm - 1024)));
}

/* float -> double is exact, so one rounding serves both. */
Half Half_FromSingle(float value) { return Half_FromDouble((double)value); }

double Half_ToDouble(Half value)
{
    uint16_t h = value.bits;
    int sign = h & 0x8000;
    int exp = (h >> 10) & 0x1F;
    int mant = h & 0x3FF;
    double r;
    if (exp == 0x1F) {
        if (mant) {
            uint64_t bits = ((uint64_t)(sign != 0) << 63) | (0x7FFull << 52) | ((uint64_t)mant << 42);
            memcpy(&r, &bits, 8);
            return r;
        }
        r = INFINITY;
    } else if (exp == 0) {
        r = ldexp((double)mant, -24);
    } else {
        r = ldexp((double)(mant | 0x400), exp - 25);
    }
    return sign ? -r : r;
}

float Half_ToSingle(Half value) { return (float)Half_ToDouble(value); }
bool Half_IsNaN(Half value) { return (value.bits & 0x7C00) == 0x7C00 && (value.bits & 0x3FF) != 0; }

/* ---------------------------------------------------------------- Decimal */

#define DEC_SIGN 0x80000000u
#define DEC_SCALE_MASK 0x00FF0000u
#define DEC_MAX_SCALE 28

typedef struct u96 {
    uint32_t w[3]; /* lo, mid, hi */
} u96;

static bool u96_is_zero(const u96 *v) { return !(v->w[0] | v->w[1] | v->w[2]); }

static uint32_t u96_div10(u96 *v)
{
    uint64_t rem = 0;
    for (int i = 2; i >= 0; i--) {
        uint64_t cur = (rem << 32) | v->w[i];
        v->w[i] = (uint32_t)(cur / 10);
        rem = cur % 10;
    }
    return (uint32_t)rem;
}

/* v = v * 10 + digit; false (v unchanged) on overflow of 96 bits. */
static bool u96_mul10_add(u96 *v, uint32_t digit)
{
    u96 r;
    uint64_t carry = digit;
    for (int i = 0; i < 3; i++) {
        uint64_t cur = (uint64_t)v->w[i] * 10 + carry;
        r.w[i] = (uint32_t)cur;
        carry = cur >> 32;
    }
    if (carry)
        return false;
    *v = r;
    return true;
}

static u96 dec_mantissa(Decimal d) { return (u96){{d.lo, d.mid, d.hi}}; }

static Decimal dec_make(u96 m, bool negative, int scale)
{
    Decimal d = {m.w[0], m.w[1], m.w[2], ((uint32_t)scale << 16) | (negative ? DEC_SIGN : 0)};
    return d;
}

Decimal Decimal_new(int32_t lo, int32_t mid, int32_t hi, bool isNegative, uint8_t scale)
{
    if (scale > DEC_MAX_SCALE) {
        sp_throw_out_of_range("scale", sp_sr(SR_ArgumentOutOfRange_DecimalScale));
        return (Decimal){0, 0, 0, 0};
    }
    sp_clear();
    return dec_make((u96){{(uint32_t)lo, (uint32_t)mid, (uint32_t)hi}}, isNegative, scale);
}

Decimal Decimal_FromUInt64(uint64_t value)
{
    sp_clear();
    return dec_make((u96){{(uint32_t)value, (uint32_t)(value >> 32), 0}}, false, 0);
}

Decimal Decimal_FromInt64(int64_t value)
{
    uint64_t magnitude = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
    Decimal d = Decimal_FromUInt64(magnitude);
    if (value < 0)
        d.flags |= DEC_SIGN;
    return d;
}

bool Decimal_IsNegative(Decimal value) { return (value.flags & DEC_SIGN) != 0; }
uint8_t Decimal_get_Scale(Decimal value) { return (uint8_t)((value.flags >> 16) & 0xFF); }

bool Decimal_IsValid(Decimal value)
{
    return (value.flags & ~(DEC_SIGN | DEC_SCALE_MASK)) == 0 && Decimal_get_Scale(value) <= DEC_MAX_SCALE;
}

bool sp_decimal_check(Decimal value)
{
    if (Decimal_IsValid(value))
        return true;
    sp_throw_sr(ExceptionType_ArgumentException, SR_Arg_DecBitCtor, NULL);
    return false;
}

double Decimal_ToDouble(Decimal value)
{
    if (!sp_decimal_check(value))
        return 0;
    double m = (double)value.hi * 18446744073709551616.0 + (double)(((uint64_t)value.mid << 32) | value.lo);
    double r = m / pow(10.0, Decimal_get_Scale(value));
    return Decimal_IsNegative(value) ? -r : r;
}

/* Strips trailing zeros so that equal values have equal fields. */
static void dec_normalize(u96 *m, int *scale)
{
    while (*scale > 0) {
        u96 t = *m;
        if (u96_div10(&t) != 0)
            break;
        *m = t;
        (*scale)--;
    }
}

bool Decimal_Equals(Decimal a, Decimal b)
{
    if (!sp_decimal_check(a) || !sp_decimal_check(b))
        return false;
    u96 ma = dec_mantissa(a), mb = dec_mantissa(b);
    if (u96_is_zero(&ma) && u96_is_zero(&mb))
        return true;
    if (Decimal_IsNegative(a) != Decimal_IsNegative(b))
        return false;
    int sa = Decimal_get_Scale(a), sb = Decimal_get_Scale(b);
    dec_normalize(&ma, &sa);
    dec_normalize(&mb, &sb);
    return sa == sb && !memcmp(&ma, &mb, sizeof ma);
}

char *Decimal_ToString(Decimal value)
{
    /* A scale over 28 (or other flag bits) is no decimal: .NET's new decimal(int[]) refuses it,
     * and the digits below have room for 29 digits and a scale of at most 28. */
    if (!sp_decimal_check(value))
        return NULL;
    char digits[40];
    int n = 0;
    u96 m = dec_mantissa(value);
    do
        digits[n++] = (char)('0' + u96_div10(&m));
    while (!u96_is_zero(&m));
    int scale = Decimal_get_Scale(value);
    while (n <= scale) /* at least one digit before the point */
        digits[n++] = '0';
    char *s = sp_malloc((size_t)n + 3);
    if (!s)
        return NULL;
    char *p = s;
    bool zero = u96_is_zero(&(u96){{value.lo, value.mid, value.hi}});
    if (Decimal_IsNegative(value) && !zero)
        *p++ = '-';
    for (int i = n - 1; i >= 0; i--) {
        *p++ = digits[i];
        if (i == scale && scale > 0)
            *p++ = '.';
    }
    *p = 0;
    sp_clear();
    return s;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

/* Parses [ws][+-]digits[.digits][ws]. Returns 0 ok, 1 format error, 2 overflow. */
static int dec_parse(const char *text, Decimal *result)
{
    const char *p = text;
    while (is_space(*p))
        p++;
    bool negative = false;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';
    u96 m = {{0, 0, 0}};
    int scale = 0, digits = 0;
    bool in_fraction = false, truncated = false;
    int round_digit = -1;
    for (;; p++) {
        if (*p == '.' && !in_fraction) {
            in_fraction = true;
            continue;
        }
        if (*p < '0' || *p > '9')
            break;
        digits++;
        if (truncated) {
            if (!in_fraction)
                return 2;
            continue;
        }
        if (in_fraction && scale == DEC_MAX_SCALE) {
            truncated = true;
            round_digit = *p - '0';
            continue;
        }
        u96 before = m;
        if (!u96_mul10_add(&m, (uint32_t)(*p - '0'))) {
            if (!in_fraction)
                return 2;
            m = before;
            truncated = true;
            round_digit = *p - '0';
            continue;
        }
        if (in_fraction)
            scale++;
    }
    while (is_space(*p))
        p++;
    if (!digits || *p)
        return 1;
    if (round_digit >= 5) {
        u96 up = m;
        uint64_t carry = 1;
        for (int i = 0; i < 3 && carry; i++) {
            uint64_t cur = (uint64_t)up.w[i] + carry;
            up.w[i] = (uint32_t)cur;
            carry = cur >> 32;
        }
        if (!carry)
            m = up;
    }
    *result = dec_make(m, negative, scale);
    return 0;
}

bool Decimal_TryParse(const char *text, Decimal *result)
{
    Decimal d = {0, 0, 0, 0};
    bool ok = text && dec_parse(text, &d) == 0;
    if (result)
        *result = ok ? d : (Decimal){0, 0, 0, 0};
    sp_clear();
    return ok;
}

Decimal Decimal_Parse(const char *text)
{
    Decimal d = {0, 0, 0, 0};
    if (!text) {
        sp_throw_null("s");
        return d;
    }
    int r = dec_parse(text, &d);
    if (r == 1) {
        sp_throwf_sr(ExceptionType_FormatException, NULL, SR_Format_InvalidStringWithValue, text);
        return (Decimal){0, 0, 0, 0};
    }
    if (r == 2) {
        sp_throw_sr(ExceptionType_OverflowException, SR_Overflow_Decimal, NULL);
        return (Decimal){0, 0, 0, 0};
    }
    sp_clear();
    return d;
}

Decimal Decimal_FromDouble(double value)
{
    if (isnan(value) || isinf(value) || fabs(value) >= 7.9228162514264338e28) {
        sp_throw_sr(ExceptionType_OverflowException, SR_Overflow_Decimal, NULL);
        return (Decimal){0, 0, 0, 0};
    }
    if (value == 0) {
        sp_clear();
        return (Decimal){0, 0, 0, 0};
    }
    /* .NET keeps 15 significant digits. */
    char text[40];
    snprintf(text, sizeof text, "%.14e", fabs(value));
    char mant[20];
    int nd = 0;
    const char *p = text;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            mant[nd++] = *p;
    int exp10 = atoi(p + 1);
    while (nd > 1 && mant[nd - 1] == '0')
        nd--;
    /* value = 0.mant * 10^(exp10 + 1): the digits form an integer scaled by (nd - 1 - exp10). */
    int scale = nd - 1 - exp10;
    u96 m = {{0, 0, 0}};
    int used = nd;
    if (scale > DEC_MAX_SCALE) {
        used = nd - (scale - DEC_MAX_SCALE);
        scale = DEC_MAX_SCALE;
    }
    for (int i = 0; i < used && i < nd; i++)
        u96_mul10_add(&m, (uint32_t)(mant[i] - '0'));
    if (used >= 0 && used < nd && mant[used] >= '5') {
        uint64_t carry = 1;
        for (int i = 0; i < 3 && carry; i++) {
            uint64_t cur = (uint64_t)m.w[i] + carry;
            m.w[i] = (uint32_t)cur;
            carry = cur >> 32;
        }
    }
    for (; scale < 0; scale++)
        u96_mul10_add(&m, 0);
    sp_clear();
    if (u96_is_zero(&m)) /* too small for 28 places: plain zero, as .NET */
        return (Decimal){0, 0, 0, 0};
    return dec_make(m, value < 0, scale);
}
