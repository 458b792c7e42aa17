/*
 * .NET's message texts, once each, keyed by .NET's resource names (SR.* in dotnet/runtime's
 * Strings.resx files: System.Private.CoreLib, System.IO.Pipes, System.IO.MemoryMappedFiles,
 * System.Net.Sockets). Every test compares messages byte for byte: a text here is .NET's text as
 * sharpipc reports it, and changing one changes what callers see.
 *
 * SP_SR_LIST(X) expands X(Name, "text") once per entry. From it come
 *  - enum sp_sr: SR_<Name>, the id of an entry (SR_Count_ entries);
 *  - sp_sr(SR_<Name>): its text (static storage);
 *  - SP_SR_TEXT(Name): the same text as an address constant, for static initializers
 *    (a stream's closed_message, the exception type table);
 *  - sp_throw_sr / sp_throwf_sr (internal.h): raise with an entry's text.
 *
 * Adding an entry: one X(Name, "text") row below, in the group it belongs to. Use .NET's resource
 * name; where .NET has none (sharpipc's own texts, texts .NET takes from the OS, or texts .NET
 * composes inline), invent one in the same style and mark the row "(sharpipc's name)". .NET's
 * {0} placeholders become printf conversions here; pass such entries to sp_throwf_sr.
 */
#ifndef SHARPIPC_CORE_MESSAGES_H
#define SHARPIPC_CORE_MESSAGES_H

/* clang-format off */
#define SP_SR_LIST(X) \
    /* ---- the exception types' parameterless-constructor messages (include/sharpipc/exception_types.h) */ \
    X(Exception_WasThrown, "Exception of type '%s' was thrown.") \
    X(Arg_SystemException, "System error.") \
    X(Arg_IOException, "I/O error occurred.") \
    X(Arg_EndOfStreamException, "Attempted to read past the end of the stream.") \
    X(IO_FileNotFound, "Unable to find the specified file.") \
    X(Arg_DirectoryNotFoundException, "Attempted to access a path that is not on the disk.") \
    X(IO_PathTooLong, "The specified file name or path is too long, or a component of the specified path is too long.") \
    X(Arg_UnauthorizedAccessException, "Attempted to perform an unauthorized operation.") \
    X(Arg_TimeoutException, "The operation has timed out.") \
    X(Arg_ArgumentException, "Value does not fall within the expected range.") \
    X(ArgumentNull_Generic, "Value cannot be null.") \
    X(Arg_ArgumentOutOfRangeException, "Specified argument was out of the range of valid values.") \
    X(Arg_InvalidOperationException, "Operation is not valid due to the current state of the object.") \
    X(ObjectDisposed_Generic, "Cannot access a disposed object.") \
    X(Arg_NotSupportedException, "Specified method is not supported.") \
    X(Arg_PlatformNotSupported, "Operation is not supported on this platform.") \
    X(Arg_FormatException, "One of the identified items was in an invalid format.") \
    X(OperationCanceled, "The operation was canceled.") \
    X(Arg_OutOfMemoryException, "Insufficient memory to continue the execution of the program.") \
    X(Arg_SocketException, "An unspecified socket error occurred.") /* (sharpipc's name) */ \
    X(Arg_RemotingException, "Remoting error.") /* (sharpipc's name) */ \
    X(Threading_AbandonedMutexException, "The wait completed due to an abandoned mutex.") \
    X(Arg_OverflowException, "Arithmetic operation resulted in an overflow.") \
    X(Arg_ApplicationException, "Error in the application.") \
    X(Threading_SemaphoreFullException, "Adding the specified count to the semaphore would cause it to exceed its maximum count.") \
    X(Threading_WaitHandleCannotBeOpenedException, "No handle of the given name exists.") \
    \
    /* ---- pieces .NET's exceptions compose their messages from */ \
    X(Arg_ParamName_Name, "(Parameter '%s')") \
    X(ObjectDisposed_ObjectName_Name, "Object name: '%s'.") \
    X(ArgumentOutOfRange_ActualValue, "Actual value was %lld.") \
    X(ArgumentOutOfRange_Generic_MustBeNonNegative, "%s ('%lld') must be a non-negative value.") \
    X(ArgumentOutOfRange_Generic_MustBeNonNegativeNonZero, "%s ('%lld') must be a non-negative and non-zero value.") \
    X(ArgumentOutOfRange_Generic_MustBeLessOrEqual, "%s ('%lld') must be less than or equal to '%lld'.") \
    X(ArgumentOutOfRange_Generic_MustBeGreaterOrEqual, "%s ('%lld') must be greater than or equal to '%lld'.") \
    \
    /* ---- arguments */ \
    X(ArgumentOutOfRange_NeedNonNegNum, "Non-negative number required.") \
    X(ArgumentOutOfRange_NeedPosNum, "Positive number required.") \
    X(ArgumentOutOfRange_NeedNonNegOrNegative1, "Number must be either non-negative and less than or equal to Int32.MaxValue or -1.") \
    X(ArgumentOutOfRange_Enum, "Enum value was out of legal range.") \
    X(Argument_InvalidOffLen, "Offset and length were out of bounds for the array or count is greater than the number of elements from index to the end of the source collection.") \
    X(Argument_EmptyString, "The value cannot be an empty string.") \
    X(Argument_InvalidFlag, "Value of flags is invalid.") \
    X(Arg_InvalidHandle, "Invalid handle.") \
    X(Arg_BufferTooSmall, "Not enough space available in the buffer.") \
    X(Arg_MustBeOfType, "Object must be of type %s.") /* (sharpipc's name) */ \
    \
    /* ---- System: Decimal */ \
    X(ArgumentOutOfRange_DecimalScale, "Decimal's scale value must be between 0 and 28, inclusive.") \
    X(Arg_DecBitCtor, "Decimal byte array constructor requires an array of length four containing valid decimal bytes.") \
    X(Arg_BadDecimal, "Read an invalid decimal value from the buffer.") \
    X(Format_InvalidStringWithValue, "The input string '%s' was not in a correct format.") \
    X(Overflow_Decimal, "Value was either too large or too small for a Decimal.") \
    X(Overflow_TimeSpanTooLong, "TimeSpan overflowed because the duration is too long.") \
    \
    /* ---- System.Text */ \
    X(ArgumentOutOfRange_GetByteCountOverflow, "Too many characters. The resulting number of bytes is larger than what can be returned as an int.") \
    X(Argument_InvalidCodePageBytesIndex, "Unable to translate bytes %s at index %d from specified code page to Unicode.") \
    /* two backslashes before the u, as .NET's resource has them (and prints them) */ \
    X(Argument_InvalidCodePageConversionIndex, "Unable to translate Unicode character \\\\u%04X at index %d to specified code page.") \
    X(Argument_EncodingConversionOverflowChars, "The output char buffer is too small to contain the decoded characters, encoding codepage '%d' and fallback '%s'.") \
    /* Argument_EncodingConversionOverflowChars without the encoding (sharpipc's name) */ \
    X(Argument_ConversionOverflowChars, "The output char buffer is too small to contain the decoded characters.") \
    X(Arg_SurrogatesNotAllowedAsSingleChar, "Surrogate characters are not allowed as single chars.") \
    \
    /* ---- System.IO: streams */ \
    X(ObjectDisposed_StreamClosed, "Cannot access a closed Stream.") \
    X(IO_EOF_ReadBeyondEOF, "Unable to read beyond the end of the stream.") \
    X(NotSupported_UnreadableStream, "Stream does not support reading.") \
    X(NotSupported_UnwritableStream, "Stream does not support writing.") \
    X(NotSupported_UnseekableStream, "Stream does not support seeking.") \
    X(Argument_StreamNotReadable, "Stream was not readable.") \
    X(Argument_StreamNotWritable, "Stream was not writable.") \
    X(Argument_InvalidSeekOrigin, "Invalid seek origin.") \
    X(ArgumentOutOfRange_StreamLength, "Stream length must be non-negative and less than 2^31 - 1 - origin.") \
    X(InvalidOperation_TimeoutsNotSupported, "Timeouts are not supported on this stream.") \
    X(net_io_timeout_use_gt_zero, "Timeout can be only be set to 'System.Threading.Timeout.Infinite' or a value > 0.") \
    X(IO_StreamTooLong, "Stream was too long.") \
    X(IO_SeekBeforeBegin, "An attempt was made to move the position before the beginning of the stream.") \
    X(IO_FixedCapacity, "Unable to expand length of this stream beyond its capacity.") \
    X(NotSupported_MemStreamNotExpandable, "Memory stream is not expandable.") \
    X(ArgumentOutOfRange_NegativeCapacity, "Capacity must be non-negative.") \
    X(ArgumentOutOfRange_SmallCapacity, "capacity was less than the current size.") \
    X(UnauthorizedAccess_MemStreamBuffer, "MemoryStream's internal buffer cannot be accessed.") \
    X(NotSupported_UmsSafeBuffer, "This operation is not supported for an UnmanagedMemoryStream created from a SafeBuffer.") \
    \
    /* ---- System.IO: readers and writers */ \
    X(ObjectDisposed_ReaderClosed, "Cannot read from a closed TextReader.") \
    X(ObjectDisposed_WriterClosed, "Cannot write to a closed TextWriter.") \
    X(Format_Bad7BitInt, "Too many bytes in what should have been a 7-bit encoded integer.") \
    X(IO_InvalidStringLen_Len, "BinaryReader encountered an invalid string length of %d characters.") \
    X(ArgumentOutOfRange_StringTooLongFor7BitLength, "The string is too long for a 7-bit encoded length.") /* (sharpipc's name) */ \
    X(Argument_BufferTooSmallForChar, "The buffer is too small for the next character; 4 bytes always hold one.") /* (sharpipc's name) */ \
    \
    /* ---- System.IO: files and paths */ \
    X(ObjectDisposed_FileClosed, "Cannot access a closed file.") \
    X(IO_SeekAppendOverwrite, "Unable seek backward to overwrite data that previously existed in a file opened in Append mode.") \
    X(IO_SetLengthAppendTruncate, "Unable to truncate data that previously existed in a file opened in Append mode.") \
    X(Argument_InvalidFileModeAndAccessCombo, "Combining FileMode: %s with FileAccess: %s is invalid.") \
    X(Argument_InvalidAppendMode, "Append access can be requested only in write-only mode.") \
    X(ArgumentOutOfRange_FileLengthTooBig, "Specified file length was too large for the file system.") \
    X(IO_FileNotFound_FileName, "Could not find file '%s'.") \
    X(IO_PathNotFound_Path, "Could not find a part of the path '%s'.") \
    X(IO_PathTooLong_Path, "The path '%s' is too long, or a component of the specified path is too long.") \
    X(IO_FileExists_Name, "The file '%s' already exists.") \
    X(IO_SharingViolation_File, "The process cannot access the file '%s' because it is being used by another process.") \
    X(UnauthorizedAccess_IODenied_Path, "Access to the path '%s' is denied.") \
    X(UnauthorizedAccess_IODenied_NoPathName, "Access to the path is denied.") \
    /* The Windows text of ERROR_ALREADY_EXISTS, which .NET reports for an existing map (sharpipc's name) */ \
    X(IO_AlreadyExists_NoName, "Cannot create a file when that file already exists.") \
    \
    /* ---- System.IO.Pipes */ \
    X(ObjectDisposed_PipeClosed, "Cannot access a closed pipe.") \
    X(InvalidOperation_PipeNotYetConnected, "Pipe hasn't been connected yet.") \
    X(InvalidOperation_PipeDisconnected, "Pipe is in a disconnected state.") \
    X(InvalidOperation_PipeAlreadyConnected, "Already in a connected state.") \
    X(InvalidOperation_PipeAlreadyDisconnected, "Already in a disconnected state.") \
    X(InvalidOperation_PipeHandleNotSet, "Pipe handle has not been set.  Did your PipeStream implementation call InitializeHandle?") \
    X(InvalidOperation_PipeReadModeNotMessage, "ReadMode is not of PipeTransmissionMode.Message.") \
    X(IO_PipeBroken, "Pipe is broken.") \
    X(IO_AllPipeInstancesAreBusy, "All pipe instances are busy.") \
    X(IO_InvalidPipeHandle, "Invalid pipe handle.") \
    X(NotSupported_AnonymousPipeUnidirectional, "Anonymous pipes can only be in one direction.") \
    X(NotSupported_AnonymousPipeMessagesNotSupported, "Anonymous pipes do not support PipeTransmissionMode.Message ReadMode.") \
    X(ArgumentOutOfRange_DirectionModeInOutOrInOut, "For named pipes, the pipe direction can be PipeDirection.In, PipeDirection.Out or PipeDirection.InOut. For anonymous pipes, the pipe direction can be PipeDirection.In or PipeDirection.Out.") \
    X(ArgumentOutOfRange_OptionsInvalid, "options contains an invalid flag.") \
    X(ArgumentOutOfRange_TransmissionModeByteOrMsg, "For named pipes, the transmission mode can be byte or message. For anonymous pipes, the transmission mode can be byte.") \
    X(ArgumentOutOfRange_MaxNumServerInstances, "maxNumberOfServerInstances must either be a value between 1 and 254, or NamedPipeServerStream.MaxAllowedServerInstances (to obtain the maximum number allowed by system resources).") \
    X(ArgumentOutOfRange_ImpersonationInvalid, "TokenImpersonationLevel.None, TokenImpersonationLevel.Anonymous, TokenImpersonationLevel.Identification, TokenImpersonationLevel.Impersonation or TokenImpersonationLevel.Delegation required.") \
    X(ArgumentOutOfRange_HandleInheritabilityNoneOrInheritable, "HandleInheritability.None or HandleInheritability.Inheritable required.") \
    X(ArgumentOutOfRange_InvalidTimeout, "Timeout must be non-negative or equal to -1 (Timeout.Infinite)") \
    X(ArgumentOutOfRange_AnonymousReserved, "The pipeName \"anonymous\" is reserved.") \
    X(Argument_EmptyServerName, "serverName cannot be an empty string.  Use \\\\\".\\\\\" for current machine.") \
    X(PlatformNotSupported_MessageTransmissionMode, "Message transmission mode is not supported on this platform.") \
    X(PlatformNotSupported_RemotePipes, "Access to remote named pipes is not supported on this platform.") \
    X(PlatformNotSupported_InvalidPipeNameChars, "The name of a pipe on this platform must be a valid file name or a valid absolute path to a file name.") \
    X(UnauthorizedAccess_NotOwnedByCurrentUser, "Could not connect to the pipe because it was not owned by the current user.") \
    X(UnauthorizedAccess_ClientIsNotCurrentUser, "Client connection (user id %u) was refused because it was not owned by the current user (id %u).") \
    /* System.Net.Sockets' UnixDomainSocketEndPoint, which .NET's pipes on Unix are built on */ \
    X(ArgumentOutOfRange_PathLengthInvalid, "The path '%s' is of an invalid length for use with domain sockets on this platform.  The length must be between 1 and %d characters, inclusive.") \
    \
    /* ---- System.Net (IPAddress, endpoints, Dns; hnet) */ \
    X(dns_bad_ip_address, "An invalid IP address was specified.") \
    X(bad_endpoint_string, "An invalid IPEndPoint was specified.") \
    X(net_sockets_invalid_optionValue_all, "The specified value is not valid.") \
    X(net_toolong, "The size of %s is too long. It cannot be longer than %d characters.") \
    X(net_invalid_ip_addr, "IPv4 address 0.0.0.0 and IPv6 address ::0 are unspecified addresses that cannot be used as a target address.") \
    X(net_sockets_invalid_dnsendpoint, "The parameter %s must not be of type DnsEndPoint.") \
    X(net_InvalidAddressFamily, "The AddressFamily %s is not valid for the %s end point.") \
    X(net_InvalidEndPointAddressFamily, "The supplied EndPoint of AddressFamily %s is not valid for this Socket, use %s instead.") \
    \
    /* ---- System.IO.MemoryMappedFiles */ \
    X(Argument_MapNameEmptyString, "Map name cannot be an empty string.") \
    X(Argument_EmptyFile, "A positive capacity must be specified for a Memory Mapped File backed by an empty file.") \
    X(Argument_NewMMFWriteAccessNotAllowed, "MemoryMappedFileAccess.Write is not permitted when creating new memory mapped files. Use MemoryMappedFileAccess.ReadWrite instead.") \
    X(Argument_ReadAccessWithLargeCapacity, "When specifying MemoryMappedFileAccess.Read access, the capacity must not be larger than the file size.") \
    X(Argument_NewMMFAppendModeNotAllowed, "FileMode.Append is not permitted when creating new memory mapped files. Instead, use MemoryMappedFileView to ensure write-only access within a specified region.") \
    X(Argument_NewMMFTruncateModeNotAllowed, "FileMode.Truncate is not permitted when creating new memory mapped files.") \
    X(ArgumentOutOfRange_CapacityLargerThanLogicalAddressSpaceNotAllowed, "The capacity cannot be greater than the size of the system's logical address space.") \
    X(ArgumentOutOfRange_PositiveOrDefaultCapacityRequired, "The capacity must be greater than or equal to 0. 0 represents the size of the file being mapped.") \
    X(ArgumentOutOfRange_PositiveOrDefaultSizeRequired, "The size must be greater than or equal to 0. If 0 is specified, the view extends from the specified offset to the end of the file mapping.") \
    X(ArgumentOutOfRange_CapacityGEFileSizeRequired, "The capacity may not be smaller than the file size.") \
    X(ArgumentOutOfRange_PositionLessThanCapacityRequired, "The position may not be greater or equal to the capacity of the accessor.") \
    X(Argument_NotEnoughBytesToRead, "There are not enough bytes remaining in the accessor to read at this position.") \
    X(Argument_NotEnoughBytesToWrite, "There are not enough bytes remaining in the accessor to write at this position.") \
    X(IO_NotEnoughMemory, "Not enough memory to map view.") \
    X(NotSupported_MMViewStreamsFixedLength, "MemoryMappedViewStreams are fixed length.") \
    X(NotSupported_Reading, "Accessor does not support reading.") \
    X(NotSupported_Writing, "Accessor does not support writing.") \
    X(ObjectDisposed_ViewAccessorClosed, "Cannot access a closed accessor.") \
    X(PlatformNotSupported_NamedMaps, "Named maps are not supported.") \
    X(InvalidOperation_ReadOnlyAnonymousMapNotShareable, "A read-only anonymous map has no backing object to share.") /* (sharpipc's name) */ \
    X(Argument_MapNameReservedPrefix, "The map name may not begin with 'sharpipc.sync.': on this platform that prefix names synchronization objects.") /* (sharpipc's name) */ \
    X(Argument_MapNameInvalidChars, "A map name on this platform must be a file name: not empty and without '/'.") /* (sharpipc's name) */ \
    X(ArgumentOutOfRange_CapacityLargerThanMappedObject, "The capacity must not be larger than the memory-mapped object the handle refers to.") /* (sharpipc's name) */ \
    X(IO_NotAMemoryMappedFileHandle, "The handle does not refer to a memory mapped file.") /* (sharpipc's name) */ \
    \
    /* ---- System.Net.Sockets (Socket; hsock) */ \
    X(net_invalidversion, "The attempted operation is not supported for the type of object referenced.") \
    X(net_sockets_mustbind, "You must call the Bind method before performing this operation.") \
    X(net_sockets_mustlisten, "You must call the Listen method before performing this operation.") \
    X(net_sockets_mustnotlisten, "You may not perform this operation after calling the Listen method.") \
    X(net_sockets_mustnotbebound, "The socket must not be bound or connected.") \
    X(net_sockets_invalid_ipaddress_length, "The number of specified IP addresses has to be greater than 0.") \
    X(net_invalidAddressList, "None of the discovered or specified addresses match the socket address family.") \
    X(net_sockets_select, "The operation is not allowed on objects of type %s. Use only objects of type %s.") \
    X(net_sockets_toolarge_select, "The %s list contains too many items; a maximum of %s is allowed.") \
    X(net_sockets_empty_select, "All lists are either null or empty.") \
    X(net_sockets_invalid_optionValue, "The specified value is not a valid '%s'.") \
    /* .NET's text is "Argument '{2}' must be between {0} and {1}."; here the name comes first */ \
    X(ArgumentOutOfRange_Bounds_Lower_Upper_Named, "Argument '%s' must be between %d and %d.") \
    X(net_io_readfailure, "Unable to read data from the transport connection: %s.") \
    X(net_io_writefailure, "Unable to write data to the transport connection: %s.") \
    X(net_sockets_blocking, "The operation is not allowed on a non-blocking Socket.") \
    X(net_notconnected, "The operation is not allowed on non-connected sockets.") \
    X(net_notstream, "The operation is not allowed on non-stream oriented sockets.") \
    X(net_sockets_disconnectedConnect, "Once the socket has been disconnected, you can only reconnect again asynchronously, and only to a different EndPoint.  BeginConnect must be called on a thread that won't exit until the operation has been completed.") \
    X(net_stopped, "Not listening. You must call the Start() method before calling this method.") \
    X(net_tcplistener_mustbestopped, "The TcpListener must not be listening before performing this operation.") \
    X(net_protocol_invalid_family, "'%s' Client can only accept InterNetwork or InterNetworkV6 addresses.") \
    X(net_protocol_invalid_multicast_family, "Multicast family is not the same as the family of the '%s' Client.") \
    X(net_udpconnected, "Cannot send packets to an arbitrary host while connected.") \
    X(net_value_cannot_be_negative, "The specified value cannot be negative.") \
    X(net_sockets_transmitfileoptions_notsupported, "This platform does not support TransmitFileOptions other than TransmitFileOptions.UseDefaultWorkerThread.") \
    \
    /* ---- StreamJsonRpc (hjsonrpc): StreamJsonRpc's Resources.resx names */ \
    X(HeaderContentLengthNotParseable, "Failed parsing Content-Length header into a positive integer.") \
    X(HeaderValueTooLarge, "The size of the message header exceeds the maximum supported size.") \
    X(UnexpectedTokenReadingHeader, "Unexpected token '%s' while parsing header.") \
    X(RpcMethodNameNotFound, "No method by the name '%s' is found.") \
    X(TaskWasCancelled, "The task was cancelled.") \
    X(MustNotBeListening, "This cannot be done after listening has started.") \
    X(InvalidAfterListenHasStarted, "This operation is not allowed after listening for messages has started.") \
    X(MustBeListening, "Listening must be started first.") \
    X(StreamMustBeReadable, "The stream must be readable.") \
    X(StreamMustBeWriteable, "The stream must be writeable.") \
    X(ConflictMethodSignatureAlreadyRegistered, "A method with the same name and equivalent parameters has already been registered.") \
    X(UnrecognizedIncomingJsonRpc, "Incoming JSON-RPC message did not conform to a recognized pattern.") \
    X(JsonRpc_MessageTooLarge, "The message of %d bytes exceeds the maximum supported size of %d bytes.") /* (sharpipc's name) */ \
    X(JsonRpc_UnsupportedCharset, "The message's charset '%.*s' is not supported: only UTF-8 is.") /* (sharpipc's name) */ \
    X(JsonRpc_BadJson, "The message is not valid JSON: %s") /* (sharpipc's name) */ \
    X(JsonRpc_ParamsMismatch, "The arguments do not match the parameters of '%s'.") /* (sharpipc's name) */ \
    \
    /* ---- System.Threading */ \
    X(ObjectDisposed_SafeHandleClosed, "Safe handle has been closed.") \
    X(Arg_SynchronizationLockException, "Object synchronization method was called from an unsynchronized block of code.") \
    X(Threading_WaitHandleCannotBeOpenedException_InvalidHandle, "A WaitHandle with system-wide name '%s' cannot be created. A WaitHandle of a different type might have the same name.") \
    X(Argument_WaitHandleNameTooLong, "The length of the name exceeds the maximum limit.") \
    X(Argument_EmptyWaithandleArray, "Waithandle array may not be empty.") \
    X(NotSupported_MaxWaitHandles, "The number of WaitHandles must be less than or equal to 64.") \
    X(ArgumentNull_ArrayElement, "At least one element in the specified array was null.") \
    X(Arg_DuplicateWaitObjectException, "Duplicate objects in argument.") \
    X(Argument_SemaphoreInitialMaximum, "The initial count for the semaphore must be greater than or equal to zero and less than the maximum count.") \
    X(Argument_NameContainsDirectorySeparator, "The value may not contain directory separator characters.") /* (sharpipc's name) */ \
    X(PlatformNotSupported_WaitAnyWaitAllNeedsFutexWaitv, "WaitHandle.WaitAny and WaitHandle.WaitAll over several handles need the futex_waitv system call (Linux 5.16 or later), which this system does not provide.") /* (sharpipc's name) */ \
    X(PlatformNotSupported_WaitAnyWaitAllMutex, "WaitHandle.WaitAny and WaitHandle.WaitAll over several handles do not support a Mutex among them on this platform.") /* (sharpipc's name) */ \
    \
    /* ---- SafeHandle, SafeFileHandle */ \
    X(IO_UnknownFileName, "[Unknown]") \
    /* ---- RPC value layer (hremoting): exception defaults, Convert, DateTime, Array */ \
    X(Arg_InvalidCastException, "Specified cast is not valid.") \
    X(Arg_SerializationException, "Serialization error.") \
    /* StreamJsonRpc's Resources.ConnectionDropped */ \
    X(ConnectionDropped, "The JSON-RPC connection with the remote party was lost before the request could complete.") \
    X(InvalidCast_FromTo, "Invalid cast from '%s' to '%s'.") \
    X(InvalidCast_Empty, "Object cannot be cast from DBNull to other types.") \
    X(Overflow_Char, "Value was either too large or too small for a character.") \
    X(Overflow_SByte, "Value was either too large or too small for a signed byte.") \
    X(Overflow_Byte, "Value was either too large or too small for an unsigned byte.") \
    X(Overflow_Int16, "Value was either too large or too small for an Int16.") \
    X(Overflow_UInt16, "Value was either too large or too small for a UInt16.") \
    X(Overflow_Int32, "Value was either too large or too small for an Int32.") \
    X(Overflow_UInt32, "Value was either too large or too small for a UInt32.") \
    X(Overflow_Int64, "Value was either too large or too small for an Int64.") \
    X(Overflow_UInt64, "Value was either too large or too small for a UInt64.") \
    X(ArgumentOutOfRange_DateTimeBadTicks, "Ticks must be between DateTime.MinValue.Ticks and DateTime.MaxValue.Ticks.") \
    X(Argument_InvalidDateTimeKind, "Invalid DateTimeKind value.") \
    X(Format_BadDateTime, "String '%s' was not recognized as a valid DateTime.") \
    X(Format_BadTimeSpan, "String '%s' was not recognized as a valid TimeSpan.") \
    X(Arg_MustBeType, "Type must be a type provided by the runtime.") \
    X(Arg_CancellationTokenSourceDisposed, "The CancellationTokenSource has been disposed.") /* (sharpipc's name; .NET: CancellationTokenSource_Disposed) */ \
    \
    /* ---- System.Runtime.Remoting (hremoting): Mono's texts (Mono's TcpChannel has no resource names) */ \
    X(Remoting_UnknownResponse, "Unknown response message from server") /* (sharpipc's name) */ \
    X(Remoting_TcpTransportError, "Tcp transport error.") /* (sharpipc's name) */ \
    X(Remoting_ConnectionRefused, "Connection refused") /* (sharpipc's name) */ \
    X(Remoting_InvalidReturnType, "Return value has an invalid type") /* (sharpipc's name) */ \
    X(Remoting_ChannelSinkNotFound, "Cannot create channel sink to connect to URL '%s'. An appropriate channel has probably not been registered.") /* .NET: Remoting_Channels_CantConnectToUrl... (sharpipc's name) */ \
    X(Remoting_BadUrl, "The URL '%s' is not a valid tcp://host:port/ObjectUri URL.") /* (sharpipc's name) */ \
    X(Remoting_TooManyArguments, "A method call may carry at most 8 arguments in sharpipc's client.") /* (sharpipc's name) */ \
    X(Remoting_UnsupportedArgument, "Argument %d cannot be sent: its type is not one the Remoting client writes.") /* (sharpipc's name) */ \
    /* MS-NRBF reader (System.Formats.Nrbf's names where it has the case) */ \
    X(Serialization_StreamEnd, "End of Stream encountered before parsing was completed.") \
    X(Serialization_InvalidValue, "Invalid value: `%s`.") \
    X(Serialization_DuplicateSerializationRecord, "Duplicate Serialization Record Id: `%d`.") \
    X(Serialization_MissingRecord, "No record with Id `%d` was found.") /* (sharpipc's name) */ \
    X(Serialization_MaxDepth, "The serialized data is nested more than 64 records deep.") /* (sharpipc's name) */ \
    X(Serialization_TooManyRecords, "The serialized data holds more than 100000 records.") /* (sharpipc's name) */ \
    X(Serialization_InvalidUtf8, "A string in the serialized data is not valid UTF-8.") /* (sharpipc's name) */ \
    X(Serialization_TrailingData, "Data follows the MessageEnd record.") /* (sharpipc's name) */
/* clang-format on */

enum sp_sr {
#define SP_SR_ENUM_(name, text) SR_##name,
    SP_SR_LIST(SP_SR_ENUM_)
#undef SP_SR_ENUM_
        SR_Count_
};

/* The texts, one char array per entry: members of a static object, so SP_SR_TEXT is an address
 * constant. */
struct sp_sr_strings {
#define SP_SR_MEMBER_(name, text) char name[sizeof(text)];
    SP_SR_LIST(SP_SR_MEMBER_)
#undef SP_SR_MEMBER_
};
extern const struct sp_sr_strings sp_sr_strings;
extern const char *const sp_sr_text[SR_Count_];

#define SP_SR_TEXT(name) ((const char *)sp_sr_strings.name)

static inline const char *sp_sr(enum sp_sr id) { return sp_sr_text[id]; }

#endif
