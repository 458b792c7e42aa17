/* What other parts of the library need from a FileStream. */
#ifndef SHARPIPC_FILESTREAM_H
#define SHARPIPC_FILESTREAM_H

#include "System.IO/stream.h"
#include "platform/platform.h"

extern const sp_type sp_type_FileStream;

/* The OS file under the stream, after writing out what the stream buffers. */
bool sp_filestream_flush_to_os(FileStream *stream, sp_os_file *file);

#endif
