/* What UdpClient and TcpClient share (private to src/System.Net.Sockets): the socket slot that
 * .NET's Client setter may swap from any thread, and the property forwarders to that socket. */
#ifndef SHARPIPC_SYSTEM_NET_SOCKETS_SOCKETSLOT_H
#define SHARPIPC_SYSTEM_NET_SOCKETS_SOCKETSLOT_H

#include "core/internal.h"

#include <sharpipc/System.Net.Sockets.h>

/* The slot's lock is held for a load and a retain, or a swap: a few instructions, so a spin. */
static inline void sp_slot_lock(atomic_flag *f)
{
    while (atomic_flag_test_and_set_explicit(f, memory_order_acquire))
        ;
}
static inline void sp_slot_unlock(atomic_flag *f) { atomic_flag_clear_explicit(f, memory_order_release); }

/* Puts s (retained by the caller for the owner, may be NULL) in the slot; returns the old one with
 * the owner's reference, for the caller to release. */
static inline Socket *sp_slot_exchange(atomic_flag *f, Socket **slot, Socket *s)
{
    sp_slot_lock(f);
    Socket *old = *slot;
    *slot = s;
    sp_slot_unlock(f);
    return old;
}

/* The slot's socket with a reference for the caller (sp_slot_drop lets go), or NULL: the caller
 * decides what no socket means. */
static inline Socket *sp_slot_get(atomic_flag *f, Socket **slot)
{
    sp_slot_lock(f);
    Socket *s = *slot;
    if (s)
        sp_object_retain((Object *)s);
    sp_slot_unlock(f);
    return s;
}

static inline void sp_slot_drop(Socket *s)
{
    if (s)
        sp_object_release((Object *)s);
}

/* The Client setter's store: the owner retains value (may be NULL) and lets go of the socket it
 * held, which closes with its last reference (.NET leaves the old one to its finalizer). */
static inline void sp_slot_set(atomic_flag *f, Socket **slot, Socket *value)
{
    if (value)
        sp_object_retain((Object *)value);
    sp_slot_drop(sp_slot_exchange(f, slot, value));
}

/* The slot's socket as sp_slot_get, or NULL with ObjectDisposedException naming Socket when there
 * is none (after a NULL Client set, or a client's Close): .NET's _clientSocket is null then and
 * its member call a NullReferenceException. */
static inline Socket *sp_slot_take(atomic_flag *f, Socket **slot)
{
    Socket *s = sp_slot_get(f, slot);
    if (!s)
        sp_throw_disposed(SR_ObjectDisposed_Generic, "System.Net.Sockets.Socket");
    return s;
}

/* Owner_get_Name / Owner_set_Name forwarding to Socket_get_Name / Socket_set_Name on the owner's
 * current socket. The including file defines `static Socket *socket_take(Owner *)` (a reference,
 * or NULL with the exception) and the type sp_type_<Owner>. */
#define SP_SLOT_FORWARD_GET(Owner, T, Name, zero)                                                                      \
  T Owner##_get_##Name(Owner *client)                                                                                  \
  {                                                                                                                    \
    if (!sp_check_type(client, &sp_type_##Owner, "client"))                                                            \
      return zero;                                                                                                     \
    Socket *s = socket_take(client);                                                                                   \
    T v = s ? Socket_get_##Name(s) : zero;                                                                             \
    sp_slot_drop(s);                                                                                                   \
    return v;                                                                                                          \
  }
#define SP_SLOT_FORWARD_SET(Owner, T, Name)                                                                            \
  bool Owner##_set_##Name(Owner *client, T value)                                                                      \
  {                                                                                                                    \
    if (!sp_check_type(client, &sp_type_##Owner, "client"))                                                            \
      return false;                                                                                                    \
    Socket *s = socket_take(client);                                                                                   \
    bool ok = s && Socket_set_##Name(s, value);                                                                        \
    sp_slot_drop(s);                                                                                                   \
    return ok;                                                                                                         \
  }

/* Owner_get_Active / Owner_set_Active: .NET's protected Active, a plain store (a derived class's
 * setter does nothing else), over the owner's `atomic_bool active`. */
#define SP_SLOT_ACTIVE(Owner)                                                                                          \
  bool Owner##_get_Active(Owner *client)                                                                               \
  {                                                                                                                    \
    if (!sp_check_type(client, &sp_type_##Owner, "client"))                                                            \
      return false;                                                                                                    \
    sp_clear();                                                                                                        \
    return atomic_load(&client->active);                                                                               \
  }                                                                                                                    \
  bool Owner##_set_Active(Owner *client, bool value)                                                                   \
  {                                                                                                                    \
    if (!sp_check_type(client, &sp_type_##Owner, "client"))                                                            \
      return false;                                                                                                    \
    atomic_store(&client->active, value);                                                                              \
    sp_clear();                                                                                                        \
    return true;                                                                                                       \
  }

#endif
