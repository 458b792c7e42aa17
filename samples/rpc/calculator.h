/*
 * The interface the JSON-RPC samples share, the C side of samples/dotnet/JsonRpcServer's
 * Calculator class (`public int Add(int a, int b)`, `public string Greet(string name)`): one list
 * gives the typed proxy (jsonrpc_client.c) and the typed target (jsonrpc_server.c).
 */
#ifndef SHARPIPC_SAMPLES_CALCULATOR_H
#define SHARPIPC_SAMPLES_CALCULATOR_H

#include <sharpipc.h>
#include <sharpipc/StreamJsonRpc.h>

#define ICalculator_MEMBERS(METHOD, ONEWAY)                                                                            \
  METHOD(Int32, Add, (Int32, a), (Int32, b))                                                                           \
  METHOD(String, Greet, (String, name))

#endif
