/* The seam for System.Threading: see platform.h for the conventions. (To be written.) */
#ifndef SHARPIPC_PLATFORM_SYNC_H
#define SHARPIPC_PLATFORM_SYNC_H

#endif
