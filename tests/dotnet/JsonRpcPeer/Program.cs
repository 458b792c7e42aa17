using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipes;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace SharpIpc.JsonRpcPeer;

/// <summary>
/// sharpipc's StreamJsonRpc peer, started by tests/interop/jsonrpc_interop.c:
///   server pipe NAME          serve Service on the named pipe NAME (any number of connections)
///   server tcp PORTFILE       serve Service on 127.0.0.1, an ephemeral port written to PORTFILE
///   server tcp-once PORTFILE  the same for one connection: exits 0 when it ends
///   client pipe NAME          run the client checks against a server on the named pipe NAME
///   client tcp PORT           the same over TCP to 127.0.0.1:PORT
///   client tcp @PORTFILE      the same, the port read from PORTFILE once it appears (60 s at most)
/// A server lives until it is killed, or 300 s at most; a client exits 0 when every check passed.
/// The -once and @ forms are for a C side started beside the peer rather than by it (the mingw
/// build under wine, tests/interop/run_jsonrpc_interop.cmake).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 3)
        {
            Console.Error.WriteLine("usage: JsonRpcPeer server|client pipe|tcp NAME|PORTFILE|PORT");
            return 2;
        }

        try
        {
            return (args[0], args[1]) switch
            {
                ("server", "pipe") => await ServePipeAsync(args[2]).ConfigureAwait(false),
                ("server", "tcp") => await ServeTcpAsync(args[2], once: false).ConfigureAwait(false),
                ("server", "tcp-once") => await ServeTcpAsync(args[2], once: true).ConfigureAwait(false),
                ("client", "pipe") => await ClientPipeAsync(args[2]).ConfigureAwait(false),
                ("client", "tcp") => await ClientTcpAsync(await PortAsync(args[2]).ConfigureAwait(false)).ConfigureAwait(false),
                _ => 2,
            };
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"peer: {e}");
            return 3;
        }
    }

    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(300);

    private static Task Serve(Stream stream)
    {
        var service = new Service();
        var rpc = new JsonRpc(stream);
        service.Rpc = rpc;
        rpc.AddLocalRpcTarget(service);
        rpc.StartListening();
        return rpc.Completion.ContinueWith(_ => stream.Dispose(), TaskScheduler.Default);
    }

    /// <summary>A port, or @FILE: the port a C server writes to FILE (whole, by a rename).</summary>
    private static async Task<int> PortAsync(string arg)
    {
        if (!arg.StartsWith('@'))
        {
            return int.Parse(arg, System.Globalization.CultureInfo.InvariantCulture);
        }

        string path = arg.Substring(1);
        for (int i = 0; i < 1200; i++)
        {
            if (File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), System.Globalization.NumberStyles.Integer,
                    System.Globalization.CultureInfo.InvariantCulture, out int port))
            {
                return port;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new TimeoutException($"no port in {path}");
    }

    private static async Task<int> ServePipeAsync(string name)
    {
        using var lifetime = new CancellationTokenSource(Lifetime);
        while (!lifetime.IsCancellationRequested)
        {
            var server = new NamedPipeServerStream(name, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances,
                PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
            try
            {
                await server.WaitForConnectionAsync(lifetime.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                server.Dispose();
                break;
            }

            _ = Serve(server);
        }

        return 0;
    }

    private static async Task<int> ServeTcpAsync(string portFile, bool once)
    {
        // -once waits 60 s for its one client (a C side that died before connecting ends it soon)
        using var lifetime = new CancellationTokenSource(once ? TimeSpan.FromSeconds(60) : Lifetime);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        File.WriteAllText(portFile + ".tmp", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Move(portFile + ".tmp", portFile, true);
        while (!lifetime.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(lifetime.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (once)
                {
                    Console.Error.WriteLine("peer: no client came within 60 s");
                    return 4;
                }

                break;
            }

            client.NoDelay = true;
            Task completion = Serve(client.GetStream());
            if (once)
            {
                listener.Stop();
                lifetime.CancelAfter(Lifetime);
                await completion.WaitAsync(lifetime.Token).ConfigureAwait(false);
                return 0;
            }
        }

        listener.Stop();
        return 0;
    }

    private static async Task<int> ClientPipeAsync(string name)
    {
        using var pipe = new NamedPipeClientStream(".", name, PipeDirection.InOut, PipeOptions.Asynchronous);
        await pipe.ConnectAsync(20000).ConfigureAwait(false);
        return await ClientChecksAsync(pipe).ConfigureAwait(false);
    }

    private static async Task<int> ClientTcpAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
        client.NoDelay = true;
        return await ClientChecksAsync(client.GetStream()).ConfigureAwait(false);
    }

    /// <summary>The checks a .NET StreamJsonRpc client makes of a server serving Service.</summary>
    private static async Task<int> ClientChecksAsync(Stream stream)
    {
        var notified = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var rpc = new JsonRpc(stream);
        rpc.AddLocalRpcMethod("ClientAdd", new Func<int, int, int>((a, b) => a + b));
        rpc.AddLocalRpcMethod("Notified", new Action<int>(x => notified.TrySetResult(x)));
        rpc.StartListening();
        var failures = new List<string>();

        async Task Check(string name, Func<Task> body)
        {
            try
            {
                await body().ConfigureAwait(false);
                Console.WriteLine($"peer: ok {name}");
            }
            catch (Exception e)
            {
                failures.Add(name);
                Console.WriteLine($"peer: FAIL {name}: {e.GetType().FullName}: {e.Message}");
            }
        }

        void Expect<T>(T expected, T actual, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
            {
                throw new InvalidDataException($"{what}: expected {expected}, got {actual}");
            }
        }

        await Check("Add", async () => Expect(5, await rpc.InvokeAsync<int>("Add", 2, 3), "Add(2, 3)"));
        await Check("AddNamed", async () =>
            Expect(7, await rpc.InvokeWithParameterObjectAsync<int>("Add", new { a = 3, b = 4 }), "Add{a=3,b=4}"));
        await Check("Echo", async () => Expect("h\u00e9llo \U0001F600", await rpc.InvokeAsync<string>("Echo", "h\u00e9llo \U0001F600"), "Echo"));
        await Check("EchoNull", async () => Expect<string?>(null, await rpc.InvokeAsync<string?>("Echo", new object?[] { null }), "Echo(null)"));
        await Check("Big", async () => Expect(long.MaxValue, await rpc.InvokeAsync<long>("Big", long.MaxValue), "Big"));
        await Check("BigMin", async () => Expect(long.MinValue, await rpc.InvokeAsync<long>("Big", long.MinValue), "Big(min)"));
        await Check("Scale", async () => Expect(-6.375, await rpc.InvokeAsync<double>("Scale", 2.55, -2.5), "Scale"));
        await Check("Not", async () => Expect(false, await rpc.InvokeAsync<bool>("Not", true), "Not"));
        await Check("Fail", async () =>
        {
            try
            {
                await rpc.InvokeAsync("Fail").ConfigureAwait(false);
            }
            catch (RemoteInvocationException e)
            {
                Expect((int)JsonRpcErrorCode.InvocationError, e.ErrorCode, "ErrorCode");
                Expect("boom", e.Message, "Message");
                var data = e.DeserializedErrorData as CommonErrorData;
                Expect<string?>("System.InvalidOperationException", data?.TypeName, "CommonErrorData.TypeName");
                Expect<string?>("boom", data?.Message, "CommonErrorData.Message");
                return;
            }

            throw new InvalidDataException("Fail did not throw");
        });
        await Check("NoSuchMethod", async () =>
        {
            try
            {
                await rpc.InvokeAsync<int>("NoSuchMethod", 1).ConfigureAwait(false);
            }
            catch (RemoteMethodNotFoundException e)
            {
                Expect((int)JsonRpcErrorCode.MethodNotFound, (int)e.ErrorCode, "ErrorCode");
                return;
            }

            throw new InvalidDataException("NoSuchMethod did not throw RemoteMethodNotFoundException");
        });
        await Check("SlowCancelled", async () =>
        {
            using var cts = new CancellationTokenSource(200);
            var started = DateTime.UtcNow;
            try
            {
                await rpc.InvokeWithCancellationAsync<int>("Slow", new object[] { 20000 }, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (DateTime.UtcNow - started > TimeSpan.FromSeconds(10))
                {
                    throw new InvalidDataException("the cancellation took too long");
                }

                return;
            }

            throw new InvalidDataException("Slow was not cancelled");
        });
        await Check("SlowFinishes", async () =>
            Expect(50, await rpc.InvokeWithCancellationAsync<int>("Slow", new object[] { 50 }, CancellationToken.None), "Slow(50)"));
        await Check("CallBack", async () => Expect(42, await rpc.InvokeAsync<int>("CallBack", 40, 2), "CallBack(40, 2)"));
        await Check("Fire", async () =>
        {
            await rpc.NotifyAsync("Fire", 1234).ConfigureAwait(false);
            // Requests and notifications are dispatched in order: the notification came first.
            Expect(1234, await rpc.InvokeAsync<int>("LastFired"), "LastFired");
        });
        await Check("NotifyMe", async () =>
        {
            Expect(9, await rpc.InvokeAsync<int>("NotifyMe", 9), "NotifyMe");
            var got = await notified.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            Expect(9, got, "Notified");
        });
        await Check("Nothing", async () => Expect<string?>(null, await rpc.InvokeAsync<string?>("Nothing"), "Nothing"));

        rpc.Dispose();
        Console.WriteLine(failures.Count == 0 ? "peer: all checks ok" : $"peer: {failures.Count} check(s) FAILED");
        return failures.Count == 0 ? 0 : 1;
    }
}
