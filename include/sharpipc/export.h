/* Symbol visibility. Everything marked SHARPIPC_API is public; the rest of the library is hidden. */
#ifndef SHARPIPC_EXPORT_H
#define SHARPIPC_EXPORT_H

#if defined(_WIN32) && !defined(SHARPIPC_STATIC)
#  ifdef SHARPIPC_BUILDING
#    define SHARPIPC_API __declspec(dllexport)
#  else
#    define SHARPIPC_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__)
#  define SHARPIPC_API __attribute__((visibility("default")))
#else
#  define SHARPIPC_API
#endif

#ifdef __cplusplus
#  define SHARPIPC_BEGIN_DECLS extern "C" {
#  define SHARPIPC_END_DECLS }
#else
#  define SHARPIPC_BEGIN_DECLS
#  define SHARPIPC_END_DECLS
#endif

#endif
