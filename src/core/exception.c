/* The thread's pending exception: no heap, so a failing allocation can still be reported and a
 * thread that exits leaks nothing. */
#include "core/internal.h"

#include <stdarg.h>
#include <stdio.h>

struct Exception {
    ExceptionType type;
    int32_t hresult;
    int32_t native_code;
    int32_t socket_error;
    int32_t mutex_index;    /* AbandonedMutexException.MutexIndex: -1 unless from WaitAny */
    int32_t fallback_index; /* Decoder/EncoderFallbackException.Index */
    uint16_t char_unknown;  /* EncoderFallbackException.CharUnknown */
    uint8_t bytes_unknown_length;
    uint8_t bytes_unknown[4]; /* DecoderFallbackException.BytesUnknown: one invalid sequence */
    bool has_actual_value;    /* ArgumentOutOfRangeException.ActualValue, in its string form */
    char actual_value[512];
    char message[1024];
    char param[128];
    bool has_param;
    bool has_inner; /* InnerException: the thread's `inner` below (hsock) */
};

static _Thread_local struct Exception current SP_FAST_TLS;
/* An exception that came from a remote peer (Remoting's ExceptionInArray): its own class name and
 * the server's StackTraceString. Kept apart from `current` and in the default TLS model, so the
 * initial-exec block every call touches stays small. (hremoting) */
static _Thread_local struct {
    bool has_type_name, has_stack_trace;
    char type_name[256];
    char stack_trace[4096];
} remote;
/* The pending exception's InnerException (one level: what sharpipc wraps has none of its own). */
static _Thread_local struct Exception inner;
SP_ASM_USED _Thread_local bool sp_exception_pending SP_FAST_TLS;
#define pending sp_exception_pending

typedef struct exception_info {
    const char *name;
    ExceptionType base;
    int32_t hresult;
    const char *default_message;
} exception_info;

/* .NET's hierarchy, HResults and parameterless-constructor messages: include/sharpipc/exception_types.h. */
#define SP_EXCEPTION_INFO_(type, base_type, dotnet_name, hresult_value, message)                                       \
  [ExceptionType_##type] = {dotnet_name, ExceptionType_##base_type, (int32_t)(hresult_value), SP_SR_TEXT(message)},
static const exception_info infos[ExceptionType_Count_] = {[ExceptionType_None] = {"", ExceptionType_None, 0, ""},
                                                           SHARPIPC_EXCEPTION_TYPES(SP_EXCEPTION_INFO_)};
#undef SP_EXCEPTION_INFO_

/* The numbers are public (programs outside sharpipc compile against them): new types go last. */
_Static_assert(ExceptionType_Exception == 1 && ExceptionType_AbandonedMutexException == 22 &&
                   ExceptionType_WaitHandleCannotBeOpenedException == 26,
               "exception_types.h: append new types, never insert or reorder");

static bool is_argument_type(ExceptionType t)
{
    return t == ExceptionType_ArgumentException || t == ExceptionType_ArgumentNullException ||
           t == ExceptionType_ArgumentOutOfRangeException || t == ExceptionType_DecoderFallbackException ||
           t == ExceptionType_EncoderFallbackException;
}

static void record(ExceptionType type, const char *message, const char *param, int32_t native_code)
{
    if (type <= ExceptionType_None || type >= ExceptionType_Count_)
        type = ExceptionType_Exception;
    current.type = type;
    current.hresult = infos[type].hresult;
    current.native_code = native_code;
    current.socket_error = 0;
    current.mutex_index = -1;
    current.fallback_index = 0;
    current.char_unknown = 0;
    current.bytes_unknown_length = 0;
    current.has_actual_value = false;
    current.has_inner = false;
    remote.has_type_name = remote.has_stack_trace = false;
    current.has_param = param != NULL;
    snprintf(current.param, sizeof current.param, "%s", param ? param : "");
    if (!message && infos[type].default_message == SP_SR_TEXT(Exception_WasThrown)) /* "... type '{0}' ..." */
        snprintf(current.message, sizeof current.message, infos[type].default_message, infos[type].name);
    else
        snprintf(current.message, sizeof current.message, "%s", message ? message : infos[type].default_message);
    sp_utf8_trim_cut(current.message); /* (a text cut to the buffer, here or before it came) */
    /* .NET appends the parameter to an ArgumentException's Message. */
    if (param && is_argument_type(type)) {
        size_t n = strlen(current.message);
        if (n + 1 < sizeof current.message) {
            current.message[n++] = ' ';
            current.message[n] = '\0';
            snprintf(current.message + n, sizeof current.message - n, sp_sr(SR_Arg_ParamName_Name), param);
            sp_utf8_trim_cut(current.message);
        }
    }
    pending = true;
}

void sp_throw(ExceptionType type, const char *message, const char *param) { record(type, message, param, 0); }

void sp_throwf(ExceptionType type, const char *param, const char *format, ...)
{
    char text[768];
    va_list ap;
    va_start(ap, format);
    vsnprintf(text, sizeof text, format, ap);
    va_end(ap);
    record(type, text, param, 0);
}

void sp_throw_sr(ExceptionType type, enum sp_sr message, const char *param) { record(type, sp_sr(message), param, 0); }

void sp_throwf_sr(ExceptionType type, const char *param, enum sp_sr format, ...)
{
    char text[768];
    va_list ap;
    va_start(ap, format);
    vsnprintf(text, sizeof text, sp_sr(format), ap);
    va_end(ap);
    record(type, text, param, 0);
}

void sp_throw_disposed(enum sp_sr message, const char *object_name)
{
    char text[768];
    int n = snprintf(text, sizeof text, "%s\n", sp_sr(message));
    if (n > 0 && (size_t)n < sizeof text)
        snprintf(text + n, sizeof text - (size_t)n, sp_sr(SR_ObjectDisposed_ObjectName_Name), object_name);
    record(ExceptionType_ObjectDisposedException, text, NULL, 0);
}

void sp_throw_native(ExceptionType type, const char *message, int32_t native_code)
{
    record(type, message, NULL, native_code);
}

void sp_exception_set_hresult(int32_t hresult)
{
    if (pending)
        current.hresult = hresult;
}

void sp_exception_set_native_code(int32_t native_code)
{
    if (pending)
        current.native_code = native_code;
}

void sp_exception_set_socket_error(int32_t socket_error)
{
    if (pending)
        current.socket_error = socket_error;
}

void sp_exception_set_mutex_index(int32_t index)
{
    if (pending)
        current.mutex_index = index;
}

void sp_exception_set_fallback(const uint8_t *bytes, size_t length, uint16_t char_unknown, int32_t index)
{
    if (!pending)
        return;
    if (length > sizeof current.bytes_unknown)
        length = sizeof current.bytes_unknown;
    if (length)
        memcpy(current.bytes_unknown, bytes, length);
    current.bytes_unknown_length = (uint8_t)length;
    current.char_unknown = char_unknown;
    current.fallback_index = index;
}


/* .NET 8+'s ArgumentOutOfRangeException.ThrowIf* texts, which end in the actual value. */
void sp_exception_set_actual_value(const char *value)
{
    if (!pending)
        return;
    current.has_actual_value = value != NULL;
    snprintf(current.actual_value, sizeof current.actual_value, "%s", value ? value : "");
}

static void throw_out_of_range_actual(const char *param, int64_t value, const char *text)
{
    record(ExceptionType_ArgumentOutOfRangeException, text, param, 0);
    current.has_actual_value = true;
    snprintf(current.actual_value, sizeof current.actual_value, "%lld", (long long)value);
    size_t n = strlen(current.message);
    if (n + 1 < sizeof current.message) {
        current.message[n++] = '\n';
        current.message[n] = '\0';
        snprintf(current.message + n, sizeof current.message - n, sp_sr(SR_ArgumentOutOfRange_ActualValue),
                 (long long)value);
    }
}

void sp_throw_if_negative(const char *param, int64_t value)
{
    char text[256];
    snprintf(text, sizeof text, sp_sr(SR_ArgumentOutOfRange_Generic_MustBeNonNegative), param, (long long)value);
    throw_out_of_range_actual(param, value, text);
}

void sp_throw_if_negative_or_zero(const char *param, int64_t value)
{
    char text[256];
    snprintf(text, sizeof text, sp_sr(SR_ArgumentOutOfRange_Generic_MustBeNonNegativeNonZero), param, (long long)value);
    throw_out_of_range_actual(param, value, text);
}

void sp_throw_if_greater_than(const char *param, int64_t value, int64_t limit)
{
    char text[256];
    snprintf(text, sizeof text, sp_sr(SR_ArgumentOutOfRange_Generic_MustBeLessOrEqual), param, (long long)value,
             (long long)limit);
    throw_out_of_range_actual(param, value, text);
}

void sp_throw_null(const char *param) { sp_throw(ExceptionType_ArgumentNullException, NULL, param); }
void sp_throw_out_of_range(const char *param, const char *message)
{
    sp_throw(ExceptionType_ArgumentOutOfRangeException, message, param);
}
void sp_throw_need_nonneg(const char *param)
{
    sp_throw_sr(ExceptionType_ArgumentOutOfRangeException, SR_ArgumentOutOfRange_NeedNonNegNum, param);
}
void sp_throw_invalid_off_len(void) { sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_InvalidOffLen, NULL); }
void sp_throw_stream_closed(void)
{
    sp_throw_sr(ExceptionType_ObjectDisposedException, SR_ObjectDisposed_StreamClosed, NULL);
}
void sp_throw_out_of_memory(void) { sp_throw(ExceptionType_OutOfMemoryException, NULL, NULL); }
void sp_throw_end_of_stream(void) { sp_throw_sr(ExceptionType_EndOfStreamException, SR_IO_EOF_ReadBeyondEOF, NULL); }
void sp_throw_not_readable(void)
{
    sp_throw_sr(ExceptionType_NotSupportedException, SR_NotSupported_UnreadableStream, NULL);
}
void sp_throw_not_writable(void)
{
    sp_throw_sr(ExceptionType_NotSupportedException, SR_NotSupported_UnwritableStream, NULL);
}
void sp_throw_not_seekable(void)
{
    sp_throw_sr(ExceptionType_NotSupportedException, SR_NotSupported_UnseekableStream, NULL);
}

bool sp_check_range_args(const void *buffer, const char *buffer_param, int32_t offset, const char *offset_param,
                         int32_t count)
{
    if (!buffer) {
        sp_throw_null(buffer_param);
        return false;
    }
    if (offset < 0) {
        sp_throw_need_nonneg(offset_param);
        return false;
    }
    if (count < 0) {
        sp_throw_need_nonneg("count");
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- public API */

const Exception *Exception_get_Current(void) { return pending ? &current : NULL; }
void Exception_Clear(void) { pending = false; }

bool Exception_Is(const Exception *e, ExceptionType type)
{
    if (!e)
        return false;
    for (ExceptionType t = e->type; t != ExceptionType_None; t = infos[t].base)
        if (t == type)
            return true;
    return false;
}

ExceptionType Exception_get_Type(const Exception *e) { return e ? e->type : ExceptionType_None; }
const char *Exception_get_TypeName(const Exception *e)
{
    if (e == &current && remote.has_type_name)
        return remote.type_name;
    return e ? infos[e->type].name : "";
}
const char *Exception_get_Message(const Exception *e) { return e ? e->message : ""; }
const char *Exception_get_ParamName(const Exception *e) { return e && e->has_param ? e->param : NULL; }
int32_t Exception_get_HResult(const Exception *e) { return e ? e->hresult : 0; }
int32_t Exception_get_NativeErrorCode(const Exception *e) { return e ? e->native_code : 0; }
int32_t SocketException_get_SocketErrorCode(const Exception *e)
{
    return e && e->type == ExceptionType_SocketException ? e->socket_error : 0;
}
const char *ArgumentOutOfRangeException_get_ActualValue(const Exception *e)
{
    return e && e->type == ExceptionType_ArgumentOutOfRangeException && e->has_actual_value ? e->actual_value : NULL;
}

int32_t AbandonedMutexException_get_MutexIndex(const Exception *e)
{
    return e && e->type == ExceptionType_AbandonedMutexException ? e->mutex_index : -1;
}

const uint8_t *DecoderFallbackException_get_BytesUnknown(const Exception *e, int32_t *length)
{
    bool is = e && e->type == ExceptionType_DecoderFallbackException;
    if (length)
        *length = is ? e->bytes_unknown_length : 0;
    return is ? e->bytes_unknown : NULL;
}

int32_t DecoderFallbackException_get_Index(const Exception *e)
{
    return e && e->type == ExceptionType_DecoderFallbackException ? e->fallback_index : 0;
}

uint16_t EncoderFallbackException_get_CharUnknown(const Exception *e)
{
    return e && e->type == ExceptionType_EncoderFallbackException ? e->char_unknown : 0;
}

int32_t EncoderFallbackException_get_Index(const Exception *e)
{
    return e && e->type == ExceptionType_EncoderFallbackException ? e->fallback_index : 0;
}

char *Exception_ToString(const Exception *e)
{
    if (!e)
        return NULL;
    const char *name = Exception_get_TypeName(e);
    size_t n = strlen(name) + 2 + strlen(e->message) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s: %s", name, e->message);
    return s;
}

/* ---------------------------------------------------------------- System.Net's raisers (hnet) */

/* ArgumentOutOfRangeException(param, actualValue, message) with a string actual value: the text, the
 * parameter, a new line and "Actual value was <value>.", as .NET's Message reads. */
void sp_throw_out_of_range_actual_text(const char *param, const char *message, const char *actual)
{
    record(ExceptionType_ArgumentOutOfRangeException, message, param, 0);
    current.has_actual_value = true;
    snprintf(current.actual_value, sizeof current.actual_value, "%s", actual ? actual : "");
    size_t n = strlen(current.message);
    if (n + 1 < sizeof current.message)
        snprintf(current.message + n, sizeof current.message - n, "\nActual value was %s.", actual ? actual : "");
}

/* ThrowIfGreaterThan over (ulong)value, as .NET's IPAddress checks a long: -1 reads 18446744073709551615. */
void sp_throw_if_greater_than_unsigned(const char *param, uint64_t value, uint64_t limit)
{
    char text[256], actual[32];
    snprintf(actual, sizeof actual, "%llu", (unsigned long long)value);
    snprintf(text, sizeof text, "%s ('%s') must be less than or equal to '%llu'.", param, actual,
             (unsigned long long)limit);
    sp_throw_out_of_range_actual_text(param, text, actual);
}

void sp_throw_if_less_than(const char *param, int64_t value, int64_t limit)
{
    char text[256];
    snprintf(text, sizeof text, sp_sr(SR_ArgumentOutOfRange_Generic_MustBeGreaterOrEqual), param, (long long)value,
             (long long)limit);
    throw_out_of_range_actual(param, value, text);
}

/* ---------------------------------------------------------------- inner exceptions (hsock) */

/* new T(SR.Format(format, pending.Message), pending): the pending exception becomes the
 * InnerException of a new one of `type` whose message is `format` around the inner's message. */
void sp_exception_wrap(ExceptionType type, enum sp_sr format)
{
    if (!pending)
        return;
    inner = current;
    inner.has_inner = false;
    char text[1024];
    snprintf(text, sizeof text, sp_sr(format), inner.message);
    record(type, text, NULL, 0);
    current.has_inner = true;
}

const Exception *Exception_get_InnerException(const Exception *e)
{
    return e == &current && current.has_inner ? &inner : NULL;
}

/* ---------------------------------------------------------------- remote exceptions (hremoting) */

void sp_exception_set_remote(const char *type_name, const char *stack_trace)
{
    if (!pending)
        return;
    if (type_name) {
        snprintf(remote.type_name, sizeof remote.type_name, "%s", type_name);
        sp_utf8_trim_cut(remote.type_name);
        remote.has_type_name = true;
    }
    if (stack_trace) {
        snprintf(remote.stack_trace, sizeof remote.stack_trace, "%s", stack_trace);
        sp_utf8_trim_cut(remote.stack_trace);
        remote.has_stack_trace = true;
    }
}

const char *Exception_get_StackTrace(const Exception *e)
{
    return e == &current && remote.has_stack_trace ? remote.stack_trace : NULL;
}

ExceptionType sp_exception_type_from_name(const char *dotnet_name)
{
    for (int t = ExceptionType_None + 1; t < ExceptionType_Count_; t++)
        if (strcmp(infos[t].name, dotnet_name) == 0)
            return (ExceptionType)t;
    return ExceptionType_None;
}
