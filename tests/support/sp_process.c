#ifndef _WIN32
#  define _GNU_SOURCE
#endif
#include "sp_process.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#  include <windows.h>
#  include <process.h>
#else
#  include <pthread.h>
#  include <signal.h>
#  include <spawn.h>
#  include <sys/wait.h>
#  include <time.h>
#  include <unistd.h>
extern char **environ;
#endif

static char self_path[4096];

int sp_child_main(int argc, char **argv, const char *const *role_names, const sp_child_role *roles, int nroles)
{
#ifdef _WIN32
    GetModuleFileNameA(NULL, self_path, sizeof self_path);
#else
    ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
    if (n > 0)
        self_path[n] = 0;
    else
        snprintf(self_path, sizeof self_path, "%s", argv[0]);
#endif
    if (argc < 3 || strcmp(argv[1], "--child") != 0)
        return -1;
    for (int i = 0; i < nroles; i++)
        if (strcmp(argv[2], role_names[i]) == 0)
            return roles[i](argc - 3, argv + 3);
    fprintf(stderr, "unknown child role %s\n", argv[2]);
    return 99;
}

const char *sp_unique_name(const char *prefix)
{
    static char names[16][128];
    static int next;
    char *n = names[next++ % 16];
    static unsigned counter;
#ifdef _WIN32
    snprintf(n, 128, "%s_%lu_%u", prefix, (unsigned long)GetCurrentProcessId(), ++counter);
#else
    snprintf(n, 128, "%s_%ld_%u", prefix, (long)getpid(), ++counter);
#endif
    return n;
}

#ifdef _WIN32
struct sp_child {
    HANDLE process;
};

static void append_quoted(char *cmd, size_t size, const char *arg)
{
    strncat(cmd, "\"", size - strlen(cmd) - 1);
    strncat(cmd, arg, size - strlen(cmd) - 1);
    strncat(cmd, "\" ", size - strlen(cmd) - 1);
}

sp_child *sp_process_start(const char *const *argv)
{
    char cmd[8192] = "";
    for (int i = 0; argv[i]; i++)
        append_quoted(cmd, sizeof cmd, argv[i]);
    STARTUPINFOA si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
        return NULL;
    CloseHandle(pi.hThread);
    sp_child *c = malloc(sizeof *c);
    c->process = pi.hProcess;
    return c;
}

int sp_child_wait(sp_child *c, int timeout_ms)
{
    if (WaitForSingleObject(c->process, timeout_ms < 0 ? INFINITE : (DWORD)timeout_ms) != WAIT_OBJECT_0) {
        sp_child_kill(c);
        return -1000;
    }
    DWORD code = 0;
    GetExitCodeProcess(c->process, &code);
    return (int)code;
}

void sp_child_kill(sp_child *c)
{
    TerminateProcess(c->process, 137);
    WaitForSingleObject(c->process, 10000);
}

void sp_child_free(sp_child *c)
{
    if (!c)
        return;
    CloseHandle(c->process);
    free(c);
}

struct sp_thread {
    HANDLE h;
    void (*fn)(void *);
    void *arg;
};

static unsigned __stdcall thread_main(void *p)
{
    sp_thread *t = p;
    t->fn(t->arg);
    return 0;
}

sp_thread *sp_thread_start(void (*fn)(void *), void *arg)
{
    sp_thread *t = malloc(sizeof *t);
    t->fn = fn;
    t->arg = arg;
    t->h = (HANDLE)_beginthreadex(NULL, 0, thread_main, t, 0, NULL);
    return t;
}

void sp_thread_join(sp_thread *t)
{
    WaitForSingleObject(t->h, INFINITE);
    CloseHandle(t->h);
    free(t);
}

void sp_sleep_ms(int ms) { Sleep((DWORD)ms); }

#else
struct sp_child {
    pid_t pid;
    bool reaped;
    int status;
};

sp_child *sp_process_start(const char *const *argv)
{
    pid_t pid;
    if (posix_spawnp(&pid, argv[0], NULL, NULL, (char *const *)argv, environ) != 0)
        return NULL;
    sp_child *c = calloc(1, sizeof *c);
    c->pid = pid;
    return c;
}

int sp_child_wait(sp_child *c, int timeout_ms)
{
    if (c->reaped) /* killed (or waited for) already: the code it ended with */
        return c->status;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int status;
        pid_t r = waitpid(c->pid, &status, WNOHANG);
        if (r == c->pid) {
            c->reaped = true;
            c->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            return c->status;
        }
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (timeout_ms >= 0 && elapsed > timeout_ms) {
            sp_child_kill(c);
            return -1000;
        }
        usleep(2000);
    }
}

void sp_child_kill(sp_child *c)
{
    if (c->reaped)
        return;
    kill(c->pid, SIGKILL);
    int status = 0;
    waitpid(c->pid, &status, 0);
    c->reaped = true;
    c->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void sp_child_free(sp_child *c)
{
    if (!c)
        return;
    if (!c->reaped)
        sp_child_kill(c);
    free(c);
}

struct sp_thread {
    pthread_t t;
    void (*fn)(void *);
    void *arg;
};

static void *thread_main(void *p)
{
    sp_thread *t = p;
    t->fn(t->arg);
    return NULL;
}

sp_thread *sp_thread_start(void (*fn)(void *), void *arg)
{
    sp_thread *t = malloc(sizeof *t);
    t->fn = fn;
    t->arg = arg;
    pthread_create(&t->t, NULL, thread_main, t);
    return t;
}

void sp_thread_join(sp_thread *t)
{
    pthread_join(t->t, NULL);
    free(t);
}

void sp_sleep_ms(int ms) { usleep((useconds_t)ms * 1000); }
#endif

void sp_port_file_write(const char *path, int32_t port)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return;
    fprintf(f, "%d", (int)port);
    fclose(f);
    remove(path);
    rename(tmp, path);
}

int32_t sp_port_file_wait(const char *path)
{
    for (int i = 0; i < 1200; i++) {
        FILE *f = fopen(path, "rb");
        if (f) {
            int port = -1;
            int n = fscanf(f, "%d", &port);
            fclose(f);
            if (n == 1 && port > 0)
                return port;
        }
        sp_sleep_ms(50);
    }
    return -1;
}

sp_child *sp_child_start(const char *role, const char *const *args, int nargs)
{
    const char *argv[32];
    int n = 0;
    argv[n++] = self_path;
    argv[n++] = "--child";
    argv[n++] = role;
    for (int i = 0; i < nargs && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return sp_process_start(argv);
}

/* ---- an address-space ceiling for the hostile-input tests (RLIMIT_AS, plain POSIX builds) */

#if defined(__SANITIZE_ADDRESS__)
#  define SP_NO_MEMORY_LIMIT 1 /* ASan reserves terabytes of shadow */
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#    define SP_NO_MEMORY_LIMIT 1
#  endif
#endif

#if !defined(_WIN32) && !defined(SP_NO_MEMORY_LIMIT)
#  include <sys/resource.h>
static struct rlimit saved_limit;
static bool limited;
#endif

bool sp_limit_memory(int headroom_mb)
{
#if !defined(_WIN32) && !defined(SP_NO_MEMORY_LIMIT)
    /* valgrind runs the program inside its own process: a ceiling there would be valgrind's */
    const char *preload = getenv("LD_PRELOAD");
    if (limited || (preload && strstr(preload, "vgpreload")))
        return false;
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (!f)
        return false;
    int n = fscanf(f, "%lu", &pages);
    fclose(f);
    if (n != 1 || getrlimit(RLIMIT_AS, &saved_limit) != 0)
        return false;
    struct rlimit l = saved_limit;
    l.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (rlim_t)headroom_mb * 1024 * 1024;
    if (saved_limit.rlim_cur != RLIM_INFINITY && l.rlim_cur > saved_limit.rlim_cur)
        return false;
    limited = setrlimit(RLIMIT_AS, &l) == 0;
    return limited;
#else
    (void)headroom_mb;
    return false;
#endif
}

void sp_unlimit_memory(void)
{
#if !defined(_WIN32) && !defined(SP_NO_MEMORY_LIMIT)
    if (limited)
        setrlimit(RLIMIT_AS, &saved_limit);
    limited = false;
#endif
}
