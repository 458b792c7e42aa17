/*
 * Test support: real child processes and threads on both platforms, so a test can put a server
 * and a client in different processes. A test executable re-runs itself as the child: main()
 * calls sp_child_main() first, which runs a registered role when argv says so.
 */
#ifndef SP_TEST_PROCESS_H
#define SP_TEST_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct sp_child sp_child;

/* Starts this test executable again with argv[1] = "--child", argv[2] = role, then args. */
sp_child *sp_child_start(const char *role, const char *const *args, int nargs);
/* Starts any program (argv[0] is the program; searched in PATH). */
sp_child *sp_process_start(const char *const *argv);
/* Waits up to timeout_ms for the child; its exit code, or -1000 on timeout (the child is killed).
 * After sp_child_kill: 137 (SIGKILL's 128 + 9; TerminateProcess's code on Win32). */
int sp_child_wait(sp_child *child, int timeout_ms);
/* Kills the child at once (SIGKILL / TerminateProcess) and reaps it. */
void sp_child_kill(sp_child *child);
void sp_child_free(sp_child *child);

/* A role runs in the child: args are what sp_child_start passed. Returns the exit code. */
typedef int (*sp_child_role)(int argc, char **argv);
/* Call at the top of main: returns -1 in the parent, or the role's exit code in a child. */
int sp_child_main(int argc, char **argv, const char *const *role_names, const sp_child_role *roles, int nroles);

/* Threads. */
typedef struct sp_thread sp_thread;
sp_thread *sp_thread_start(void (*fn)(void *), void *arg);
void sp_thread_join(sp_thread *t);

void sp_sleep_ms(int ms);
/* Port files, as the interop tests and the .NET peers hand ports to each other: the decimal port,
 * written aside and renamed into place so that a reader never sees half of it.
 * sp_port_file_wait: the port in path, waiting up to 60 s for the file; -1 if none came. */
void sp_port_file_write(const char *path, int32_t port);
int32_t sp_port_file_wait(const char *path);
/* A name no other test run uses at the same time (for pipes, maps and files). */
const char *sp_unique_name(const char *prefix);

/* The "memory stays bounded": caps the address space at what the process maps now plus
 * headroom_mb (RLIMIT_AS), so that allocating a size a hostile peer declared (2 GiB and up) fails
 * the test with OutOfMemoryException instead of succeeding lazily. True when the cap is on: only
 * in plain POSIX builds (not under ASan, whose shadow needs terabytes, nor valgrind, nor Windows).
 * sp_unlimit_memory restores the previous limit. */
bool sp_limit_memory(int headroom_mb);
void sp_unlimit_memory(void);

#endif
