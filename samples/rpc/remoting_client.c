/*
 * The seed's two .NET Remoting lines, in C:
 *
 *   MyRemoteObject remoteObject = (MyRemoteObject)Activator.GetObject(
 *       typeof(MyRemoteObject), "tcp://localhost:8085/MyRemoteObjectName");
 *   remoteObject.MyMethod();
 *
 * against the Mono server samples/mono/MyRemoteObjectServer.cs (or any .NET Framework server
 * publishing the same type).
 *   remoting_client [port]        8085 by default, as in the seed
 */
#include <sharpipc.h>
#include <sharpipc/System.Runtime.Remoting.h>

#include <stdio.h>

/* The C side of `public class MyRemoteObject : MarshalByRefObject { public void MyMethod(); }`,
 * declared once: it gives MyRemoteObject, MyRemoteObject_TypeName and MyRemoteObject_MyMethod. */
#define MyRemoteObject_MEMBERS(METHOD, ONEWAY) METHOD(Void, MyMethod)
SHARPIPC_REMOTE_TYPE(MyRemoteObject, "MyRemoteObject, MyAssembly", MyRemoteObject_MEMBERS)

static int fail(const char *what)
{
    const Exception *e = Exception_get_Current();
    fprintf(stderr, "C Remoting client: %s: %s: %s\n", what, e ? Exception_get_TypeName(e) : "?",
            e ? Exception_get_Message(e) : "?");
    return 1;
}

int main(int argc, char **argv)
{
    char url[96];
    snprintf(url, sizeof url, "tcp://localhost:%s/MyRemoteObjectName", argc > 1 ? argv[1] : "8085");

    /* typeof(MyRemoteObject) is its assembly-qualified name, MyRemoteObject_TypeName. */
    MyRemoteObject *remoteObject = (MyRemoteObject *)Activator_GetObject(MyRemoteObject_TypeName, url);
    if (!remoteObject)
        return fail("Activator_GetObject");
    if (!MyRemoteObject_MyMethod(remoteObject))
        return fail("MyMethod");

    printf("C Remoting client: MyMethod() on %s returned\n", url);
    Dispose(remoteObject);
    return 0;
}
