/* The syscall table of sys_posix.h and its fault-injecting wrappers (SHARPIPC_FAULT_INJECTION). */
#include "platform/platform.h"

#ifdef SHARPIPC_FAULT_INJECTION

#  include <errno.h>

#  include "platform/platform_fault.h"
#  include "sys_posix.h"

/* Fixed-argument forms of the variadic calls, so that they fit a table slot. */
static int sp_posix_open3(const char *path, int flags, mode_t mode) { return open(path, flags, mode); }
static int sp_posix_openat4(int dir, const char *path, int flags, mode_t mode)
{
    return openat(dir, path, flags, mode);
}
static int sp_posix_fcntl3(int fd, int cmd, int arg) { return fcntl(fd, cmd, arg); }
/* The socket calls whose address parameter glibc declares as a transparent union (_GNU_SOURCE). */
static int sp_posix_bind(int fd, const struct sockaddr *addr, socklen_t len) { return bind(fd, addr, len); }
static int sp_posix_connect(int fd, const struct sockaddr *addr, socklen_t len) { return connect(fd, addr, len); }
static ssize_t sp_posix_recvfrom(int fd, void *buf, size_t count, int flags, struct sockaddr *addr, socklen_t *len)
{
    return recvfrom(fd, buf, count, flags, addr, len);
}
static ssize_t sp_posix_sendto(int fd, const void *buf, size_t count, int flags, const struct sockaddr *addr,
                               socklen_t len)
{
    return sendto(fd, buf, count, flags, addr, len);
}
static int sp_posix_getsockname(int fd, struct sockaddr *addr, socklen_t *len) { return getsockname(fd, addr, len); }
static int sp_posix_getpeername(int fd, struct sockaddr *addr, socklen_t *len) { return getpeername(fd, addr, len); }
static int sp_posix_ioctl3(int fd, unsigned long request, void *arg) { return ioctl(fd, request, arg); }
#  ifdef SP_HAVE_ACCEPT4_PIPE2
static int sp_posix_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
    return accept4(fd, addr, len, flags);
}
#  else
static int sp_posix_accept(int fd, struct sockaddr *addr, socklen_t *len) { return accept(fd, addr, len); }
#  endif

enum {
#  define SP_SYS_ID_(ret, name, params, args, fail, orig) SP_SYS_ID_##name,
    SP_POSIX_SYSCALLS(SP_SYS_ID_, SP_SYS_ID_, SP_SYS_ID_)
#  undef SP_SYS_ID_
        SP_SYS_COUNT_
};

/* The slots: the functions the wrappers call. */
static sp_posix_syscalls current = {
#  define SP_SYS_ORIG_(ret, name, params, args, fail, orig) .name = orig,
    SP_POSIX_SYSCALLS(SP_SYS_ORIG_, SP_SYS_ORIG_, SP_SYS_ORIG_)
#  undef SP_SYS_ORIG_
};

#  define SP_SYS_WRAP_(ret, name, params, args, fail, orig)                                                            \
    static ret fault_##name params                                                                                     \
    {                                                                                                                  \
      int32_t e = sp_fault_enter(SP_SYS_ID_##name, NULL);                                                              \
      if (e) {                                                                                                         \
        errno = e;                                                                                                     \
        return fail;                                                                                                   \
      }                                                                                                                \
      return current.name args;                                                                                        \
    }
#  define SP_SYS_WRAP_IO_(ret, name, params, args, fail, orig)                                                         \
    static ret fault_##name params                                                                                     \
    {                                                                                                                  \
      int32_t e = sp_fault_enter(SP_SYS_ID_##name, &count);                                                            \
      if (e) {                                                                                                         \
        errno = e;                                                                                                     \
        return fail;                                                                                                   \
      }                                                                                                                \
      return current.name args;                                                                                        \
    }
#  define SP_SYS_WRAP_E_(ret, name, params, args, fail, orig)                                                          \
    static ret fault_##name params                                                                                     \
    {                                                                                                                  \
      int32_t e = sp_fault_enter(SP_SYS_ID_##name, NULL);                                                              \
      if (e)                                                                                                           \
        return e;                                                                                                      \
      return current.name args;                                                                                        \
    }
SP_POSIX_SYSCALLS(SP_SYS_WRAP_, SP_SYS_WRAP_IO_, SP_SYS_WRAP_E_)
#  undef SP_SYS_WRAP_
#  undef SP_SYS_WRAP_IO_
#  undef SP_SYS_WRAP_E_

const sp_posix_syscalls sp_sys = {
#  define SP_SYS_FAULT_(ret, name, params, args, fail, orig) .name = fault_##name,
    SP_POSIX_SYSCALLS(SP_SYS_FAULT_, SP_SYS_FAULT_, SP_SYS_FAULT_)
#  undef SP_SYS_FAULT_
};

const char *const sp_fault_names[] = {
#  define SP_SYS_NAME_(ret, name, params, args, fail, orig) #  name,
    SP_POSIX_SYSCALLS(SP_SYS_NAME_, SP_SYS_NAME_, SP_SYS_NAME_)
#  undef SP_SYS_NAME_
};
const int sp_fault_count = SP_SYS_COUNT_;
const int32_t sp_fault_eintr = EINTR;

void sp_fault_slot(int id, sp_fault_fn **slot, sp_fault_fn *original);
void sp_fault_slot(int id, sp_fault_fn **slot, sp_fault_fn *original)
{
    switch (id) {
#  define SP_SYS_SLOT_(ret, name, params, args, fail, orig)                                                            \
  case SP_SYS_ID_##name:                                                                                               \
    *slot = (sp_fault_fn *)(void *)&current.name;                                                                      \
    *original = (sp_fault_fn)orig;                                                                                     \
    break;
        SP_POSIX_SYSCALLS(SP_SYS_SLOT_, SP_SYS_SLOT_, SP_SYS_SLOT_)
#  undef SP_SYS_SLOT_
    default:
        *slot = NULL;
        *original = NULL;
        break;
    }
}

#else
typedef int sp_sys_posix_unused; /* ISO C wants a translation unit to declare something */
#endif
