/* OS error codes as .NET exceptions: the kinds of platform_error.h, with .NET's types and texts. */
#include "core/ioerror.h"

#include "platform/platform.h"

#define MSG_NOT_FOUND SP_SR_TEXT(IO_FileNotFound_FileName)
#define MSG_PATH_NOT_FOUND SP_SR_TEXT(IO_PathNotFound_Path)
#define MSG_ACCESS_DENIED_PATH SP_SR_TEXT(UnauthorizedAccess_IODenied_Path)
#define MSG_ACCESS_DENIED SP_SR_TEXT(UnauthorizedAccess_IODenied_NoPathName)
#define MSG_TOO_LONG SP_SR_TEXT(IO_PathTooLong_Path)
#define MSG_SHARING SP_SR_TEXT(IO_SharingViolation_File)
#define MSG_PIPE_BUSY SP_SR_TEXT(IO_AllPipeInstancesAreBusy)
#define MSG_FILE_TOO_LARGE SP_SR_TEXT(ArgumentOutOfRange_FileLengthTooBig)
#define MSG_EXISTS SP_SR_TEXT(IO_FileExists_Name)

void sp_throw_io_error(int32_t code, const char *path)
{
    const char *p = path ? path : "";
    switch (sp_os_error_classify_path(code, path)) {
    case SP_ERR_NOT_FOUND:
        if (path || sp_os_error_style_get()->not_found_quotes_empty_path)
            sp_throwf(ExceptionType_FileNotFoundException, NULL, MSG_NOT_FOUND, p);
        else
            sp_throw(ExceptionType_FileNotFoundException, NULL, NULL);
        break;
    case SP_ERR_PATH_NOT_FOUND: sp_throwf(ExceptionType_DirectoryNotFoundException, NULL, MSG_PATH_NOT_FOUND, p); break;
    case SP_ERR_ACCESS_DENIED:
        if (path)
            sp_throwf(ExceptionType_UnauthorizedAccessException, NULL, MSG_ACCESS_DENIED_PATH, p);
        else
            sp_throw(ExceptionType_UnauthorizedAccessException, MSG_ACCESS_DENIED, NULL);
        break;
    case SP_ERR_TOO_LONG: sp_throwf(ExceptionType_PathTooLongException, NULL, MSG_TOO_LONG, p); break;
    case SP_ERR_SHARING_VIOLATION:
        sp_throwf(ExceptionType_IOException, NULL, MSG_SHARING, p);
        sp_exception_set_hresult(sp_os_error_hresult(code));
        break;
    case SP_ERR_BUSY: /* .NET's own text, whatever the OS says */
        sp_throw(ExceptionType_IOException, MSG_PIPE_BUSY, NULL);
        sp_exception_set_hresult(sp_os_error_hresult(code));
        break;
    case SP_ERR_CANCELLED: sp_throw(ExceptionType_OperationCanceledException, NULL, NULL); break;
    case SP_ERR_FILE_TOO_LARGE: sp_throw(ExceptionType_ArgumentOutOfRangeException, MSG_FILE_TOO_LARGE, "value"); break;
    case SP_ERR_ALREADY_EXISTS:
        sp_throwf(ExceptionType_IOException, NULL, MSG_EXISTS, p);
        sp_exception_set_hresult(sp_os_error_hresult(code));
        break;
    case SP_ERR_NO_MEMORY: sp_throw_out_of_memory(); break;
    default: {
        char text[256];
        sp_os_error_text(code, text, sizeof text);
        if (path)
            sp_throwf(ExceptionType_IOException, NULL, "%s : '%s'", text, p);
        else
            sp_throw(ExceptionType_IOException, text, NULL);
        sp_exception_set_hresult(sp_os_error_hresult(code));
        break;
    }
    }
    sp_exception_set_native_code(code);
}

void sp_throw_socket_error(int32_t code, const char *endpoint)
{
    char text[256];
    sp_os_error_text(code, text, sizeof text);
    if (endpoint)
        sp_throwf(ExceptionType_SocketException, NULL, "%s %s", text, endpoint);
    else
        sp_throw(ExceptionType_SocketException, text, NULL);
    sp_exception_set_native_code(code);
    sp_exception_set_socket_error(sp_os_error_socket_error(code));
}
