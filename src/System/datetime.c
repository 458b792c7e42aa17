/* System.DateTime in .NET's own layout (ticks in bits 0-61, Kind in 62-63), and the text forms the
 * RPC layer exchanges: ISO 8601 (Newtonsoft's round-trip form) for DateTime and TimeSpan.ToString's
 * "[-][d.]hh:mm:ss[.fffffff]". */
#include "core/internal.h"

#include <stdio.h>

#define TICKS_PER_SECOND INT64_C(10000000)
#define TICKS_PER_DAY INT64_C(864000000000)
#define KIND_SHIFT 62
#define TICKS_MASK ((UINT64_C(1) << KIND_SHIFT) - 1)

DateTime DateTime_new(int64_t ticks, DateTimeKind kind)
{
    if (ticks < 0 || ticks > DateTime_MaxTicks) {
        sp_throw_sr(ExceptionType_ArgumentOutOfRangeException, SR_ArgumentOutOfRange_DateTimeBadTicks, "ticks");
        return (DateTime){0};
    }
    if ((unsigned)kind > DateTimeKind_Local) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_InvalidDateTimeKind, "kind");
        return (DateTime){0};
    }
    sp_clear();
    return (DateTime){(uint64_t)ticks | ((uint64_t)kind << KIND_SHIFT)};
}

int64_t DateTime_get_Ticks(DateTime value) { return (int64_t)(value.dateData & TICKS_MASK); }

DateTimeKind DateTime_get_Kind(DateTime value)
{
    /* .NET's LocalAmbiguousDst flag (kind bits 3) is still Local */
    unsigned k = (unsigned)(value.dateData >> KIND_SHIFT);
    return k >= 2 ? DateTimeKind_Local : (DateTimeKind)k;
}

/* ---------------------------------------------------------------- civil dates */

/* Days since 0001-01-01 <-> proleptic Gregorian y/m/d (after H. Hinnant's algorithms). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + 719162; /* 1970-based, then 0001-based */
}

static void civil_from_days(int64_t z, int *year, int *month, int *day)
{
    z += 719468 - 719162;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(y + (m <= 2));
    *month = m;
    *day = d;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

int sp_datetime_format_iso(DateTime value, char *out, size_t size, bool trim_fraction)
{
    int64_t ticks = DateTime_get_Ticks(value);
    int y, mo, d;
    civil_from_days(ticks / TICKS_PER_DAY, &y, &mo, &d);
    int64_t rest = ticks % TICKS_PER_DAY;
    int h = (int)(rest / (3600 * TICKS_PER_SECOND));
    int mi = (int)(rest / (60 * TICKS_PER_SECOND) % 60);
    int s = (int)(rest / TICKS_PER_SECOND % 60);
    int64_t frac = rest % TICKS_PER_SECOND;
    char fraction[10] = "";
    if (!trim_fraction || frac) {
        snprintf(fraction, sizeof fraction, ".%07d", (int)frac);
        /* frac is not 0 here, so a digit that is not '0' stops this before the '.'; the n > 1
         * says so to the compiler too. */
        if (trim_fraction)
            for (size_t n = strlen(fraction); n > 1 && fraction[n - 1] == '0'; n--)
                fraction[n - 1] = 0;
    }
    const char *zone = DateTime_get_Kind(value) == DateTimeKind_Utc ? "Z" : "";
    return snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", y, mo, d, h, mi, s, fraction, zone);
}

static bool digits(const char **p, const char *end, int n, int *value)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (*p >= end || **p < '0' || **p > '9')
            return false;
        v = v * 10 + (**p - '0');
    }
    *value = v;
    return true;
}

static bool expect(const char **p, const char *end, char c)
{
    if (*p < end && **p == c) {
        (*p)++;
        return true;
    }
    return false;
}

/* Up to 7 fraction digits as ticks (more are accepted and truncated, as .NET rounds only the 8th). */
static int64_t fraction_ticks(const char **p, const char *end, bool *ok)
{
    int64_t f = 0;
    int n = 0;
    while (*p < end && **p >= '0' && **p <= '9') {
        if (n < 7)
            f = f * 10 + (**p - '0');
        n++;
        (*p)++;
    }
    *ok = n > 0;
    for (; n < 7; n++)
        f *= 10;
    return f;
}

bool sp_datetime_parse_iso(const char *text, size_t length, DateTime *result)
{
    const char *p = text, *end = text + length;
    int y, mo, d, h, mi, s = 0;
    if (!digits(&p, end, 4, &y) || !expect(&p, end, '-') || !digits(&p, end, 2, &mo) || !expect(&p, end, '-') ||
        !digits(&p, end, 2, &d))
        return false;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return false;
    int64_t ticks = days_from_civil(y, mo, d) * TICKS_PER_DAY;
    DateTimeKind kind = DateTimeKind_Unspecified;
    if (p < end) {
        if (!expect(&p, end, 'T') || !digits(&p, end, 2, &h) || !expect(&p, end, ':') || !digits(&p, end, 2, &mi))
            return false;
        if (expect(&p, end, ':') && !digits(&p, end, 2, &s))
            return false;
        if (h > 23 || mi > 59 || s > 59)
            return false;
        ticks += ((int64_t)h * 3600 + mi * 60 + s) * TICKS_PER_SECOND;
        if (expect(&p, end, '.')) {
            bool ok;
            ticks += fraction_ticks(&p, end, &ok);
            if (!ok)
                return false;
        }
        if (expect(&p, end, 'Z')) {
            kind = DateTimeKind_Utc;
        } else if (p < end && (*p == '+' || *p == '-')) {
            int sign = *p++ == '-' ? -1 : 1, oh, om;
            if (!digits(&p, end, 2, &oh) || !expect(&p, end, ':') || !digits(&p, end, 2, &om) || oh > 14 || om > 59)
                return false;
            /* the instant in UTC (docs/deviations.md: .NET would give local time, Kind Local) */
            ticks -= sign * ((int64_t)oh * 3600 + om * 60) * TICKS_PER_SECOND;
            kind = DateTimeKind_Utc;
        }
    }
    if (p != end || ticks < 0 || ticks > DateTime_MaxTicks)
        return false;
    result->dateData = (uint64_t)ticks | ((uint64_t)kind << KIND_SHIFT);
    return true;
}

/* ---------------------------------------------------------------- TimeSpan text */

int sp_timespan_format(TimeSpan value, char *out, size_t size)
{
    uint64_t t = value.ticks < 0 ? (uint64_t)0 - (uint64_t)value.ticks : (uint64_t)value.ticks;
    uint64_t days = t / (uint64_t)TICKS_PER_DAY;
    uint64_t rest = t % (uint64_t)TICKS_PER_DAY;
    unsigned h = (unsigned)(rest / (3600 * (uint64_t)TICKS_PER_SECOND));
    unsigned mi = (unsigned)(rest / (60 * (uint64_t)TICKS_PER_SECOND) % 60);
    unsigned s = (unsigned)(rest / (uint64_t)TICKS_PER_SECOND % 60);
    unsigned frac = (unsigned)(rest % (uint64_t)TICKS_PER_SECOND);
    char day_part[32] = "", frac_part[16] = "";
    if (days)
        snprintf(day_part, sizeof day_part, "%llu.", (unsigned long long)days);
    if (frac)
        snprintf(frac_part, sizeof frac_part, ".%07u", frac);
    return snprintf(out, size, "%s%s%02u:%02u:%02u%s", value.ticks < 0 ? "-" : "", day_part, h, mi, s, frac_part);
}

bool sp_timespan_parse(const char *text, size_t length, TimeSpan *result)
{
    const char *p = text, *end = text + length;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    bool negative = expect(&p, end, '-');
    /* the first number: days (when a '.' or nothing follows) or hours (when ':' follows) */
    uint64_t first = 0;
    int n = 0;
    while (p < end && *p >= '0' && *p <= '9' && n < 9) {
        first = first * 10 + (uint64_t)(*p++ - '0');
        n++;
    }
    if (n == 0 || (p < end && *p >= '0' && *p <= '9'))
        return false;
    uint64_t days = 0, hours;
    if (p == end) { /* "5": five days */
        days = first;
        hours = 0;
        if (days > 10675199)
            return false;
        int64_t t = (int64_t)days * TICKS_PER_DAY;
        result->ticks = negative ? -t : t;
        return true;
    }
    if (expect(&p, end, '.')) {
        days = first;
        int hh;
        n = 0;
        if (p + 1 < end && p[1] == ':') {
            if (!digits(&p, end, 1, &hh))
                return false;
        } else if (!digits(&p, end, 2, &hh)) {
            return false;
        }
        hours = (uint64_t)hh;
    } else {
        hours = first;
    }
    int mi, s = 0;
    if (!expect(&p, end, ':') || !digits(&p, end, 2, &mi))
        return false;
    int64_t frac = 0;
    if (expect(&p, end, ':')) {
        if (!digits(&p, end, 2, &s))
            return false;
        if (expect(&p, end, '.')) {
            bool ok;
            frac = fraction_ticks(&p, end, &ok);
            if (!ok)
                return false;
        }
    }
    if (p != end || hours > 23 || mi > 59 || s > 59 || days > 10675199)
        return false;
    int64_t t = (int64_t)days * TICKS_PER_DAY + ((int64_t)hours * 3600 + mi * 60 + s) * TICKS_PER_SECOND + frac;
    result->ticks = negative ? -t : t;
    return true;
}
