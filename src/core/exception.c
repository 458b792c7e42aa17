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
    char message[1024];
    char param[128];
    bool has_param;
};

static _Thread_local struct Exception current SP_FAST_TLS;
_Thread_local bool sp_exception_pending SP_FAST_TLS;
#define pending sp_exception_pending

typedef struct exception_info {
    const char *name;
    ExceptionType base;
    int32_t hresult;
    const char *default_message;
} exception_info;

/* .NET's hierarchy, HResults and parameterless-constructor messages. */
static const exception_info infos[ExceptionType_Count_] = {
    [ExceptionType_None] = {"", ExceptionType_None, 0, ""},
    [ExceptionType_Exception] = {"System.Exception", ExceptionType_None, (int32_t)0x80131500,
                                 "Exception of type 'System.Exception' was thrown."},
    [ExceptionType_SystemException] = {"System.SystemException", ExceptionType_Exception, (int32_t)0x80131501,
                                       "System error."},
    [ExceptionType_IOException] = {"System.IO.IOException", ExceptionType_SystemException, (int32_t)0x80131620,
                                   "I/O error occurred."},
    [ExceptionType_EndOfStreamException] = {"System.IO.EndOfStreamException", ExceptionType_IOException,
                                            (int32_t)0x80070026, "Attempted to read past the end of the stream."},
    [ExceptionType_FileNotFoundException] = {"System.IO.FileNotFoundException", ExceptionType_IOException,
                                             (int32_t)0x80070002, "Unable to find the specified file."},
    [ExceptionType_DirectoryNotFoundException] = {"System.IO.DirectoryNotFoundException",
                                                  ExceptionType_IOException, (int32_t)0x80070003,
                                                  "Attempted to access a path that is not on the disk."},
    [ExceptionType_PathTooLongException] = {"System.IO.PathTooLongException", ExceptionType_IOException,
                                            (int32_t)0x800700CE,
                                            "The specified file name or path is too long, or a component of the specified path is too long."},
    [ExceptionType_UnauthorizedAccessException] = {"System.UnauthorizedAccessException",
                                                   ExceptionType_SystemException, (int32_t)0x80070005,
                                                   "Attempted to perform an unauthorized operation."},
    [ExceptionType_TimeoutException] = {"System.TimeoutException", ExceptionType_SystemException,
                                        (int32_t)0x80131505, "The operation has timed out."},
    [ExceptionType_ArgumentException] = {"System.ArgumentException", ExceptionType_SystemException,
                                         (int32_t)0x80070057, "Value does not fall within the expected range."},
    [ExceptionType_ArgumentNullException] = {"System.ArgumentNullException", ExceptionType_ArgumentException,
                                             (int32_t)0x80004003, "Value cannot be null."},
    [ExceptionType_ArgumentOutOfRangeException] = {"System.ArgumentOutOfRangeException",
                                                   ExceptionType_ArgumentException, (int32_t)0x80131502,
                                                   "Specified argument was out of the range of valid values."},
    [ExceptionType_InvalidOperationException] = {"System.InvalidOperationException",
                                                 ExceptionType_SystemException, (int32_t)0x80131509,
                                                 "Operation is not valid due to the current state of the object."},
    [ExceptionType_ObjectDisposedException] = {"System.ObjectDisposedException",
                                               ExceptionType_InvalidOperationException, (int32_t)0x80131622,
                                               "Cannot access a disposed object."},
    [ExceptionType_NotSupportedException] = {"System.NotSupportedException", ExceptionType_SystemException,
                                             (int32_t)0x80131515, "Specified method is not supported."},
    [ExceptionType_PlatformNotSupportedException] = {"System.PlatformNotSupportedException",
                                                     ExceptionType_NotSupportedException, (int32_t)0x80131539,
                                                     "Operation is not supported on this platform."},
    [ExceptionType_FormatException] = {"System.FormatException", ExceptionType_SystemException,
                                       (int32_t)0x80131537, "One of the identified items was in an invalid format."},
    [ExceptionType_OperationCanceledException] = {"System.OperationCanceledException",
                                                  ExceptionType_SystemException, (int32_t)0x8013153B,
                                                  "The operation was canceled."},
    [ExceptionType_OutOfMemoryException] = {"System.OutOfMemoryException", ExceptionType_SystemException,
                                            (int32_t)0x8007000E, "Insufficient memory to continue the execution of the program."},
    /* SocketException derives from Win32Exception and ExternalException, which sharpipc does not name. */
    [ExceptionType_SocketException] = {"System.Net.Sockets.SocketException", ExceptionType_SystemException,
                                       (int32_t)0x80004005, "An unspecified socket error occurred."},
    [ExceptionType_RemotingException] = {"System.Runtime.Remoting.RemotingException",
                                         ExceptionType_SystemException, (int32_t)0x8013150B,
                                         "Remoting error."},
    [ExceptionType_AbandonedMutexException] = {"System.Threading.AbandonedMutexException",
                                               ExceptionType_SystemException, (int32_t)0x8013152D,
                                               "The wait completed due to an abandoned mutex."},
    /* OverflowException derives from ArithmeticException, which sharpipc does not name. */
    [ExceptionType_OverflowException] = {"System.OverflowException", ExceptionType_SystemException,
                                         (int32_t)0x80131516, "Arithmetic operation resulted in an overflow."},
    [ExceptionType_ApplicationException] = {"System.ApplicationException", ExceptionType_Exception, (int32_t)0x80131600,
                                            "Error in the application."},
    [ExceptionType_SemaphoreFullException] = {"System.Threading.SemaphoreFullException", ExceptionType_SystemException,
                                              (int32_t)0x8013152B,
                                              "Adding the specified count to the semaphore would cause it to exceed its maximum count."},
    [ExceptionType_WaitHandleCannotBeOpenedException] = {"System.Threading.WaitHandleCannotBeOpenedException",
                                                         ExceptionType_ApplicationException, (int32_t)0x80131520,
                                                         "No handle of the given name exists."},
};

static bool is_argument_type(ExceptionType t)
{
    return t == ExceptionType_ArgumentException || t == ExceptionType_ArgumentNullException ||
           t == ExceptionType_ArgumentOutOfRangeException;
}

static void record(ExceptionType type, const char *message, const char *param, int32_t native_code)
{
    if (type <= ExceptionType_None || type >= ExceptionType_Count_)
        type = ExceptionType_Exception;
    current.type = type;
    current.hresult = infos[type].hresult;
    current.native_code = native_code;
    current.socket_error = 0;
    current.has_param = param != NULL;
    snprintf(current.param, sizeof current.param, "%s", param ? param : "");
    if (!message)
        message = infos[type].default_message;
    /* .NET appends the parameter to an ArgumentException's Message. */
    if (param && is_argument_type(type))
        snprintf(current.message, sizeof current.message, "%s (Parameter '%s')", message, param);
    else
        snprintf(current.message, sizeof current.message, "%s", message);
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



/* .NET 8+'s ArgumentOutOfRangeException.ThrowIf* texts, which end in the actual value. */
static void throw_out_of_range_actual(const char *param, int64_t value, const char *condition)
{
    char text[256];
    snprintf(text, sizeof text, "%s ('%lld') %s", param, (long long)value, condition);
    record(ExceptionType_ArgumentOutOfRangeException, text, param, 0);
    size_t n = strlen(current.message);
    snprintf(current.message + n, sizeof current.message - n, "\nActual value was %lld.", (long long)value);
}

void sp_throw_if_negative(const char *param, int64_t value)
{
    throw_out_of_range_actual(param, value, "must be a non-negative value.");
}

void sp_throw_if_negative_or_zero(const char *param, int64_t value)
{
    throw_out_of_range_actual(param, value, "must be a non-negative and non-zero value.");
}

void sp_throw_if_greater_than(const char *param, int64_t value, int64_t limit)
{
    char condition[96];
    snprintf(condition, sizeof condition, "must be less than or equal to '%lld'.", (long long)limit);
    throw_out_of_range_actual(param, value, condition);
}

void sp_throw_null(const char *param) { sp_throw(ExceptionType_ArgumentNullException, NULL, param); }
void sp_throw_out_of_range(const char *param, const char *message)
{
    sp_throw(ExceptionType_ArgumentOutOfRangeException, message, param);
}
void sp_throw_need_nonneg(const char *param)
{
    sp_throw(ExceptionType_ArgumentOutOfRangeException, "Non-negative number required.", param);
}
void sp_throw_invalid_off_len(void)
{
    sp_throw(ExceptionType_ArgumentException,
             "Offset and length were out of bounds for the array or count is greater than the number of "
             "elements from index to the end of the source collection.",
             NULL);
}
void sp_throw_stream_closed(void) { sp_throw(ExceptionType_ObjectDisposedException, "Cannot access a closed Stream.", NULL); }
void sp_throw_out_of_memory(void) { sp_throw(ExceptionType_OutOfMemoryException, NULL, NULL); }
void sp_throw_end_of_stream(void)
{
    sp_throw(ExceptionType_EndOfStreamException, "Unable to read beyond the end of the stream.", NULL);
}
void sp_throw_not_readable(void) { sp_throw(ExceptionType_NotSupportedException, "Stream does not support reading.", NULL); }
void sp_throw_not_writable(void) { sp_throw(ExceptionType_NotSupportedException, "Stream does not support writing.", NULL); }
void sp_throw_not_seekable(void) { sp_throw(ExceptionType_NotSupportedException, "Stream does not support seeking.", NULL); }

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
const char *Exception_get_TypeName(const Exception *e) { return e ? infos[e->type].name : ""; }
const char *Exception_get_Message(const Exception *e) { return e ? e->message : ""; }
const char *Exception_get_ParamName(const Exception *e) { return e && e->has_param ? e->param : NULL; }
int32_t Exception_get_HResult(const Exception *e) { return e ? e->hresult : 0; }
int32_t Exception_get_NativeErrorCode(const Exception *e) { return e ? e->native_code : 0; }
int32_t SocketException_get_SocketErrorCode(const Exception *e)
{
    return e && e->type == ExceptionType_SocketException ? e->socket_error : 0;
}

char *Exception_ToString(const Exception *e)
{
    if (!e)
        return NULL;
    size_t n = strlen(infos[e->type].name) + 2 + strlen(e->message) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s: %s", infos[e->type].name, e->message);
    return s;
}
