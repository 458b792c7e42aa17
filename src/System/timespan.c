/* System.TimeSpan: ticks, as RPC-API.md declares it. */
#include "core/internal.h"

#include <math.h>

TimeSpan TimeSpan_FromTicks(int64_t ticks) { return (TimeSpan){ticks}; }

TimeSpan TimeSpan_FromMilliseconds(double value)
{
    double ticks = value * 10000.0;
    if (isnan(ticks) || ticks >= 9223372036854775807.0 || ticks < -9223372036854775808.0) {
        sp_throw(ExceptionType_OverflowException, SP_SR_TEXT(Overflow_TimeSpanTooLong), NULL);
        return (TimeSpan){0};
    }
    sp_clear();
    return (TimeSpan){(int64_t)ticks};
}

int64_t TimeSpan_get_Ticks(TimeSpan value) { return value.ticks; }
