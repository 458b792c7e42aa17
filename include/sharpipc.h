/* sharpipc: the .NET IPC classes for C. Include this for everything, or one namespace header. */
#ifndef SHARPIPC_H
#define SHARPIPC_H

#include "sharpipc/System.h"
#include "sharpipc/System.Text.h"
#include "sharpipc/System.IO.h"
#include "sharpipc/System.IO.Pipes.h"
#include "sharpipc/System.IO.MemoryMappedFiles.h"
#include "sharpipc/System.Threading.h"
#include "sharpipc/System.Runtime.InteropServices.h"
#include "sharpipc/Microsoft.Win32.SafeHandles.h"
#include "sharpipc/System.Net.h"
#include "sharpipc/System.Net.Sockets.h"
#include "sharpipc/System.Runtime.Remoting.h"
#include "sharpipc/StreamJsonRpc.h" /* declared always; built with Jansson (SHARPIPC_WITH_JSONRPC) */

#endif
