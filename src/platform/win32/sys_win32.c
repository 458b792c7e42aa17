/* The syscall table of sys_win32.h and its fault-injecting wrappers (SHARPIPC_FAULT_INJECTION). */
#include "platform/platform.h"

#ifdef SHARPIPC_FAULT_INJECTION

#  include "platform/platform_fault.h"
#  include "sys_win32.h"

enum {
#  define SP_SYS_ID_(ret, name, params, args, fail) SP_SYS_ID_##name,
    SP_WIN32_SYSCALLS(SP_SYS_ID_, SP_SYS_ID_)
#  undef SP_SYS_ID_
        SP_SYS_COUNT_
};

/* The OS's functions, through local adapters (a dllimport address is no constant initialiser). */
#  define SP_SYS_ORIG_(ret, name, params, args, fail)                                                                  \
    static ret WINAPI orig_##name params { return name args; }
SP_WIN32_SYSCALLS(SP_SYS_ORIG_, SP_SYS_ORIG_)
#  undef SP_SYS_ORIG_

static sp_win32_syscalls current = {
#  define SP_SYS_CUR_(ret, name, params, args, fail) .name = orig_##name,
    SP_WIN32_SYSCALLS(SP_SYS_CUR_, SP_SYS_CUR_)
#  undef SP_SYS_CUR_
};

#  define SP_SYS_WRAP_(ret, name, params, args, fail)                                                                  \
    static ret WINAPI fault_##name params                                                                              \
    {                                                                                                                  \
      int32_t e = sp_fault_enter(SP_SYS_ID_##name, NULL);                                                              \
      if (e) {                                                                                                         \
        SetLastError((DWORD)e);                                                                                        \
        return fail;                                                                                                   \
      }                                                                                                                \
      return current.name args;                                                                                        \
    }
#  define SP_SYS_WRAP_IO_(ret, name, params, args, fail)                                                               \
    static ret WINAPI fault_##name params                                                                              \
    {                                                                                                                  \
      size_t n = count;                                                                                                \
      int32_t e = sp_fault_enter(SP_SYS_ID_##name, &n);                                                                \
      if (e) {                                                                                                         \
        SetLastError((DWORD)e);                                                                                        \
        return fail;                                                                                                   \
      }                                                                                                                \
      count = (DWORD)n;                                                                                                \
      return current.name args;                                                                                        \
    }
SP_WIN32_SYSCALLS(SP_SYS_WRAP_, SP_SYS_WRAP_IO_)
#  undef SP_SYS_WRAP_
#  undef SP_SYS_WRAP_IO_

const sp_win32_syscalls sp_sys = {
#  define SP_SYS_FAULT_(ret, name, params, args, fail) .name = fault_##name,
    SP_WIN32_SYSCALLS(SP_SYS_FAULT_, SP_SYS_FAULT_)
#  undef SP_SYS_FAULT_
};

const char *const sp_fault_names[] = {
#  define SP_SYS_NAME_(ret, name, params, args, fail) #  name,
    SP_WIN32_SYSCALLS(SP_SYS_NAME_, SP_SYS_NAME_)
#  undef SP_SYS_NAME_
};
const int sp_fault_count = SP_SYS_COUNT_;
const int32_t sp_fault_eintr = 0; /* Windows calls are not interrupted */

void sp_fault_slot(int id, sp_fault_fn **slot, sp_fault_fn *original);
void sp_fault_slot(int id, sp_fault_fn **slot, sp_fault_fn *original)
{
    switch (id) {
#  define SP_SYS_SLOT_(ret, name, params, args, fail)                                                                  \
  case SP_SYS_ID_##name:                                                                                               \
    *slot = (sp_fault_fn *)(void *)&current.name;                                                                      \
    *original = (sp_fault_fn)orig_##name;                                                                              \
    break;
        SP_WIN32_SYSCALLS(SP_SYS_SLOT_, SP_SYS_SLOT_)
#  undef SP_SYS_SLOT_
    default:
        *slot = NULL;
        *original = NULL;
        break;
    }
}

#else
typedef int sp_sys_win32_unused; /* ISO C wants a translation unit to declare something */
#endif
