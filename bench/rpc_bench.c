/*
 * RPC benchmark: call round trip (median, p99) and calls per second of a small call (Add(2, 3))
 * and a 64 KiB string echo, server and client in separate processes over loopback TCP, for:
 *   JSON-RPC   sharpipc's StreamJsonRpc (JsonRpc over a NetworkStream) and .NET's StreamJsonRpc
 *              2.26.150 (bench/dotnet/RpcBench), as C<->C, C client->.NET server, .NET client->C
 *              server and .NET<->.NET;
 *   Remoting   sharpipc's System.Runtime.Remoting client and Mono's own TcpChannel client, both
 *              against the Mono server (bench/mono/RemotingBench.cs with tests/mono/RemotingPeer.cs's
 *              MyRemoteObject, compiled with mcs).
 *
 *   rpc_bench [--dotnet RpcBench.dll] [--mono RemotingBench.exe] [--rounds N] [--first-warm-ms N]
 *             [--warm-ms N] [--iters ADD,ECHO] [--only jcc,jcdn,jdnc,jdn,rc,rmono] [--verbose]
 * runs everything and prints one table (see bench/README.md). Without --dotnet the .NET variants
 * are skipped, without mono (or the --mono exe) the Remoting ones. Rounds, cells and ratios as in
 * pipe_bench (bench_common.c): each round runs every variant once, fresh processes each.
 * The roles it starts (itself again) are:
 *   rpc_bench --child server json PORTFILE
 *   rpc_bench --child client <json|remoting> PORTFILE OUTFILE FIRST_WARM_MS WARM_MS ADD_ITERS ECHO_ITERS
 * and the twins take the same arguments after `server` / `client` (without the json|remoting).
 * The server listens on 127.0.0.1 port 0 and writes "PORT 0" to PORTFILE; the client connects,
 * calls Add(2, 3) for FIRST_WARM_MS untimed, then ADD_ITERS times timed, then Echo(64 KiB) for
 * WARM_MS untimed and ECHO_ITERS times timed, and writes to OUTFILE:
 *   add 0 ITERS MEDIAN_NS P99_NS MEAN_NS MIN_NS      tput ITERS 0 ELAPSED_NS
 *   echo 65536 ITERS MEDIAN_NS P99_NS MEAN_NS MIN_NS tput ITERS 0 ELAPSED_NS
 * (ELAPSED_NS: the timed calls back to back, one in flight, so calls/s = ITERS / ELAPSED). A JSON-RPC
 * server ends when its connection does; the Mono server when the client has deleted PORTFILE.
 * Echo answers its argument (JSON-RPC) or "echo:" + it (RemotingPeer's MyRemoteObject, for both
 * Remoting clients alike); the client checks the length.
 */
#define _GNU_SOURCE
#include <sharpipc.h>
#include <sharpipc/StreamJsonRpc.h>
#include <sharpipc/System.Runtime.Remoting.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_common.h"

#define ECHO_SIZE 65536

/* ================================================================ server role (JSON-RPC) */

static bool h_add(const Variant *args, int32_t argCount, Variant *result, CancellationToken ct, void *state)
{
    (void)ct, (void)state;
    if (argCount != 2)
        return Exception_Throw(ExceptionType_ArgumentException, "Add takes two arguments");
    *result = Variant_FromInt32(Variant_ToInt32(args[0]) + Variant_ToInt32(args[1]));
    return true;
}

static bool h_echo(const Variant *args, int32_t argCount, Variant *result, CancellationToken ct, void *state)
{
    (void)ct, (void)state;
    if (argCount != 1)
        return Exception_Throw(ExceptionType_ArgumentException, "Echo takes one argument");
    /* the result is sharpipc's to free after sending: a copy, as .NET's handler returns a string */
    *result = Variant_FromString(String_Copy(Variant_GetString(args[0])));
    return true;
}

static int role_server(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[0], "json") != 0) {
        fprintf(stderr, "server: json PORTFILE\n");
        return 2;
    }
    Socket *l = bc_sp_tcp_listener();
    bc_write_port_file(argv[1], bc_sp_port(l), 0);
    Socket *s = Socket_Accept(l);
    if (!s || !Socket_set_NoDelay(s, true))
        bc_die("server: Accept");
    Dispose(l);
    NetworkStream *stream = (NetworkStream_new)(s, FileAccess_ReadWrite, true);
    JsonRpc *rpc = stream ? JsonRpc_new((Stream *)stream) : NULL;
    if (!rpc || !JsonRpc_AddLocalRpcMethod(rpc, "Add", h_add, NULL) ||
        !JsonRpc_AddLocalRpcMethod(rpc, "Echo", h_echo, NULL) || !JsonRpc_StartListening(rpc))
        bc_die("server: JsonRpc");
    /* until the client has gone */
    if (!WaitHandle_WaitOneWithTimeout(JsonRpc_get_Completion(rpc), 600000))
        bc_die("server: Completion");
    Dispose(rpc);
    Dispose(stream);
    Dispose(s);
    return 0;
}

/* ================================================================ client role */

typedef struct client {
    bool remoting;
    Socket *socket;
    NetworkStream *stream;
    JsonRpc *rpc;
    RemoteObject *obj;
} client;

static const ParameterInfo r_int32 = {"return", VariantType_Int32, VariantType_Empty, NULL};
static const ParameterInfo r_string = {"return", VariantType_String, VariantType_Empty, NULL};

/* One call: Add(2, 3) or Echo(text); checks the answer. */
static void call(client *c, bool echo, const Variant *text)
{
    static const Variant add_args[2] = {{.type = VariantType_Int32, .value.asInt32 = 2},
                                        {.type = VariantType_Int32, .value.asInt32 = 3}};
    const Variant *args = echo ? text : add_args;
    int32_t n = echo ? 1 : 2;
    const char *name = echo ? "Echo" : "Add";
    const ParameterInfo *want = echo ? &r_string : &r_int32;
    Variant r = {0};
    bool ok = c->remoting ? RemoteObject_InvokeMethod(c->obj, name, args, n, want, &r)
                          : JsonRpc_InvokeWithCancellation(c->rpc, name, args, n, CancellationToken_None, want, &r);
    if (!ok)
        bc_die(name);
    int32_t expect = echo ? ECHO_SIZE + (c->remoting ? 5 : 0) : 5; /* Mono's Echo answers "echo:" + s */
    if (echo ? (r.type != VariantType_String || r.length != expect) : r.value.asInt32 != expect) {
        errno = EBADMSG;
        bc_die("client: wrong answer");
    }
    Variant_Clear(&r);
}

/* Warms up for warm_ms, then times iters calls: one latency line and one tput line. */
static void measure(client *c, FILE *out, bool echo, const Variant *text, int64_t warm_ms, int64_t iters)
{
    int64_t warm_end = bc_now_ns() + warm_ms * 1000000LL;
    do
        call(c, echo, text);
    while (bc_now_ns() < warm_end);
    int64_t *samples = malloc((size_t)iters * sizeof *samples);
    if (!samples)
        bc_die("malloc");
    int64_t start = bc_now_ns();
    for (int64_t j = 0; j < iters; j++) {
        int64_t t0 = bc_now_ns();
        call(c, echo, text);
        samples[j] = bc_now_ns() - t0;
    }
    int64_t elapsed = bc_now_ns() - start;
    bc_write_lat(out, echo ? "echo" : "add", echo ? ECHO_SIZE : 0, samples, iters);
    fprintf(out, "tput %ld 0 %ld\n", (long)iters, (long)elapsed);
    free(samples);
}

static int role_client(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "client: <json|remoting> PORTFILE OUTFILE FIRST_WARM_MS WARM_MS ADD_ITERS ECHO_ITERS\n");
        return 2;
    }
    client c = {.remoting = strcmp(argv[0], "remoting") == 0};
    int port, unused;
    bc_read_port_file(argv[1], &port, &unused);
    if (c.remoting) {
        char url[128];
        snprintf(url, sizeof url, "tcp://127.0.0.1:%d/MyRemoteObjectName", port);
        c.obj = Activator_GetObject("MyRemoteObject, MyAssembly", url);
        if (!c.obj)
            bc_die("client: Activator_GetObject");
    } else {
        c.socket = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
        if (!c.socket || !Socket_ConnectAddress(c.socket, IPAddress_Loopback, port) ||
            !Socket_set_NoDelay(c.socket, true))
            bc_die("client: Connect");
        c.stream = (NetworkStream_new)(c.socket, FileAccess_ReadWrite, true);
        c.rpc = c.stream ? JsonRpc_Attach((Stream *)c.stream) : NULL;
        if (!c.rpc)
            bc_die("client: JsonRpc_Attach");
    }
    FILE *out = fopen(argv[2], "w");
    if (!out)
        bc_die("client: open OUTFILE");
    char *text = malloc(ECHO_SIZE + 1);
    if (!text)
        bc_die("malloc");
    for (int i = 0; i < ECHO_SIZE; i++)
        text[i] = (char)('a' + i % 26);
    text[ECHO_SIZE] = 0;
    Variant arg = Variant_FromStringWithLength(text, ECHO_SIZE);
    measure(&c, out, false, NULL, atoll(argv[3]), atoll(argv[5]));
    measure(&c, out, true, &arg, atoll(argv[4]), atoll(argv[6]));
    if (fclose(out) != 0)
        bc_die("client: write OUTFILE");
    free(text);
    Dispose(c.rpc);
    Dispose(c.stream);
    Dispose(c.socket);
    Dispose(c.obj);
    unlink(argv[1]); /* tells the Mono server to end */
    return 0;
}

/* ================================================================ driver */

static const bc_row rows[] = {
    {"add", 0, "Add(2,3)"},
    {"echo", ECHO_SIZE, "Echo 64K"},
    {"tput", 0, "Add/s"},
    {"tput", 0, "Echo/s"},
};

enum { V_JCC, V_JCDN, V_JDNC, V_JDN, V_RC, V_RMONO, NVARIANTS };
static const char *const variant_keys[NVARIANTS] = {"jcc", "jcdn", "jdnc", "jdn", "rc", "rmono"};
static const char *const variant_titles[NVARIANTS] = {"JSON C<->C",       "JSON C->.NET",     "JSON .NET->C",
                                                      "JSON .NET<->.NET", "Remoting C->Mono", "Remoting Mono"};
static const bool variant_needs_dotnet[NVARIANTS] = {false, true, true, true, false, false};
static const bool variant_needs_mono[NVARIANTS] = {false, false, false, false, true, true};

/* The goals of the issue, and one more comparison: .NET's client against a C server and its own. */
static const bc_ratio_col ratio_cols[] = {
    {V_JCC, V_JDN, "CC/.NET", 0.25},
    {V_JCDN, V_JDN, "Ccli/.NETcli", 1.0},
    {V_JDNC, V_JDN, "Csrv/.NETsrv", 1.0},
    {V_RC, V_RMONO, "Rem C/Mono", 1.0},
};

static bc_bench bench;
static const char *mono_argv[3] = {"mono", NULL, NULL};

static double calls_per_s(int row, int64_t ns) { return ns > 0 ? (double)bench.iters[row] * 1e9 / (double)ns : 0; }

static const bc_end c_json = {false, "json", NULL}, c_remoting = {false, "remoting", NULL}, dn = {true, NULL, NULL},
                    mono = {false, NULL, mono_argv};
static const bc_end *const ends[NVARIANTS][2] = {
    {&c_json, &c_json}, {&dn, &c_json}, {&c_json, &dn}, {&dn, &dn}, {&mono, &c_remoting}, {&mono, &mono},
};

static bool run_variant(int v, bc_result *r)
{
    char bufs[4][32], *sched[4];
    snprintf(bufs[0], 32, "%d", bench.first_warm_ms);
    snprintf(bufs[1], 32, "%d", bench.warm_ms);
    snprintf(bufs[2], 32, "%ld", (long)bench.iters[0]);
    snprintf(bufs[3], 32, "%ld", (long)bench.iters[1]);
    for (int i = 0; i < 4; i++)
        sched[i] = bufs[i];
    return bc_run(v, ends[v][0], ends[v][1], "sprpcbench", true, sched, 4, 300000, r);
}

static int usage(void)
{
    fprintf(stderr, "usage: rpc_bench [--dotnet RpcBench.dll] [--mono RemotingBench.exe] [--rounds N]\n"
                    "                 [--first-warm-ms N] [--warm-ms N] [--iters ADD,ECHO]\n"
                    "                 [--only jcc,jcdn,jdnc,jdn,rc,rmono] [--verbose]\n");
    return 2;
}

int main(int argc, char **argv)
{
    static const char *const role_names[] = {"server", "client"};
    static const sp_child_role roles[] = {role_server, role_client};
    bc_init(&bench, "rpc_bench", NVARIANTS, variant_keys, variant_titles, variant_needs_dotnet, rows, 4, ratio_cols,
            BC_COUNT(ratio_cols), run_variant);
    bench.rate = calls_per_s;
    bench.first_width = 9;
    bench.rounds = 11;
    bench.first_warm_ms = 1000; /* StreamJsonRpc's first calls JIT a great deal, Mono's too */
    bench.warm_ms = 300;
    bench.iters[0] = 2000;
    bench.iters[1] = 300;
    bench.niters = 2;
    int rc = sp_child_main(argc, argv, role_names, roles, 2);
    if (rc != -1)
        return rc;

#ifdef RPC_BENCH_MONO_EXE
    mono_argv[1] = RPC_BENCH_MONO_EXE;
#endif
    for (int i = 1; i < argc; i++) {
        int parsed = bc_parse_option(argc, argv, &i);
        if (parsed < 0)
            return usage();
        if (parsed)
            continue;
        if (strcmp(argv[i], "--mono") == 0 && i + 1 < argc)
            mono_argv[1] = *argv[++i] ? argv[i] : NULL;
        else
            return usage();
    }
    signal(SIGPIPE, SIG_IGN);
    bool mono_skipped = false;
    if (!mono_argv[1] || access(mono_argv[1], R_OK) != 0)
        for (int v = 0; v < NVARIANTS; v++)
            if (variant_needs_mono[v] && bench.enabled[v]) {
                bench.enabled[v] = false;
                mono_skipped = true;
            }

    bc_run_rounds();

    printf("RPC over loopback TCP, one server and one client process: call round trip in us (median, p99)\n"
           "and calls per second (one call in flight, back to back) for Add(2, 3) and a 64 KiB string echo.\n"
           "%d round%s; per round %ld Add and %ld Echo timed calls after a warm-up (%d ms, %d ms); each cell is\n"
           "the median over the rounds. Ratios are the first variant's time over the second's, the median of\n"
           "the per-round ratios (calls/s: the second's rate over the first's): below 1 the first is faster.\n"
           "JSON-RPC: sharpipc's StreamJsonRpc against StreamJsonRpc 2.26.150 on .NET; Remoting: sharpipc's\n"
           "client against Mono's own, both calling the Mono TcpChannel server.\n\n",
           bench.rounds, bench.rounds == 1 ? "" : "s", (long)bench.iters[0], (long)bench.iters[1], bench.first_warm_ms,
           bench.warm_ms);
    bc_print_table("(the .NET variants were skipped: no .NET SDK (dotnet) or no RpcBench.dll (--dotnet).)");
    if (mono_skipped)
        printf("(the Remoting variants were skipped: no mono or no RemotingBench.exe (--mono).)\n");

    printf("\nRatio columns: CC/.NET = JSON C<->C over .NET<->.NET (goal: at most 0.25); Ccli/.NETcli = the C\n"
           "client over the .NET client, both against the .NET server (goal: below 1); Csrv/.NETsrv = the C\n"
           "server over the .NET server, both with the .NET client; Rem C/Mono = the C Remoting client over\n"
           "Mono's client, both against the Mono server (goal: below 1).\n"
           "Spread of the per-round ratios (10th-90th percentile over rounds). A goal is met when the 90th\n"
           "percentile meets it, missed when the 10th does not, and not resolved (noise) in between:\n");
    bc_print_spread(12);
    return bc_finish();
}
