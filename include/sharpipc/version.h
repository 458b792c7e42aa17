/* sharpipc version. Kept in step with project(VERSION) in CMakeLists.txt, which checks it. */
#ifndef SHARPIPC_VERSION_H
#define SHARPIPC_VERSION_H

#define SHARPIPC_VERSION_MAJOR 0
#define SHARPIPC_VERSION_MINOR 1
#define SHARPIPC_VERSION_PATCH 0
#define SHARPIPC_VERSION_STRING "0.1.0"
/* One comparable number: 0x00MMmmpp. */
#define SHARPIPC_VERSION_HEX ((SHARPIPC_VERSION_MAJOR << 16) | (SHARPIPC_VERSION_MINOR << 8) | SHARPIPC_VERSION_PATCH)

#endif
