package pipe

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/windows"
)

// SocketPair returns two connected pipes, made as configured (set IPC for
// pipes that carry handles). On Windows they are the server and client ends
// of a duplex, overlapped named pipe under a fresh name
// (\\.\pipe\uvpipe-pair-<pid>-<n>-<random>) that allows one instance and
// refuses remote clients; the name goes away with the ends. An IPC pair
// passes handles within the process (libuv duplicates a socket for the
// process at the other end, this one).
func (c Config) SocketPair() (*Pipe, *Pipe, error) {
	s, cl, err := namedPair(windows.PIPE_ACCESS_DUPLEX, windows.GENERIC_READ|windows.GENERIC_WRITE, true)
	if err != nil {
		return nil, nil, openError(err)
	}
	return c.openPair(s, cl)
}

// OSPipeFDs returns the CRT fds of a new one-way pipe, its read end and its
// write end, as libuv's uv_pipe(fds, 0, 0) makes them on Windows: the server
// end of a named pipe that reads and the client end that writes, neither
// inheritable, both blocking (not overlapped), owned by the caller, to hand
// to a child process or to open later with Open.
func OSPipeFDs() (r, w int, err error) {
	r, w, err = namedPair(windows.PIPE_ACCESS_INBOUND, windows.GENERIC_WRITE|windows.FILE_READ_ATTRIBUTES, false)
	if err != nil {
		return -1, -1, openError(err)
	}
	return r, w, nil
}

// pairSeq numbers the named pipes namedPair makes in this process.
var pairSeq atomic.Uint64

// namedPair makes a connected named pipe: the server end with serverAccess
// (PIPE_ACCESS_*), the client end opened with clientAccess, both overlapped
// or both blocking, and returns them as CRT fds. The name is fresh (process
// id, a counter, random bytes) and the server allows one instance and no
// remote client, so nothing else can take the client's place; a name that
// is taken all the same (ERROR_ACCESS_DENIED from the first instance) is
// replaced by another.
func namedPair(serverAccess, clientAccess uint32, overlapped bool) (server, client int, err error) {
	var flag uint32
	if overlapped {
		flag = windows.FILE_FLAG_OVERLAPPED
	}
	var sh windows.Handle
	var name *uint16
	for try := 0; ; try++ {
		var rnd [8]byte
		rand.Read(rnd[:])
		n := fmt.Sprintf(`\\.\pipe\uvpipe-pair-%d-%d-%s`, os.Getpid(), pairSeq.Add(1), hex.EncodeToString(rnd[:]))
		name, err = windows.UTF16PtrFromString(n)
		if err != nil {
			return -1, -1, err
		}
		sh, err = windows.CreateNamedPipe(name,
			serverAccess|flag|windows.FILE_FLAG_FIRST_PIPE_INSTANCE|windows.WRITE_DAC,
			windows.PIPE_TYPE_BYTE|windows.PIPE_READMODE_BYTE|windows.PIPE_WAIT|pipeRejectRemoteClients,
			1, 65536, 65536, 0, nil)
		if err == nil {
			break
		}
		if !errors.Is(err, windows.ERROR_ACCESS_DENIED) || try == 3 {
			return -1, -1, os.NewSyscallError("CreateNamedPipe", err)
		}
	}
	ch, err := windows.CreateFile(name, clientAccess|windows.WRITE_DAC, 0, nil, windows.OPEN_EXISTING, flag, 0)
	if err != nil {
		windows.CloseHandle(sh)
		return -1, -1, os.NewSyscallError("CreateFile", err)
	}
	// The client is connected already: ConnectNamedPipe says so at once.
	if err := connectPipe(sh); err != nil {
		windows.CloseHandle(sh)
		windows.CloseHandle(ch)
		return -1, -1, err
	}
	server, err = crtOpen(sh)
	if err != nil {
		windows.CloseHandle(sh)
		windows.CloseHandle(ch)
		return -1, -1, err
	}
	client, err = crtOpen(ch)
	if err != nil {
		crtClose(server)
		windows.CloseHandle(ch)
		return -1, -1, err
	}
	return server, client, nil
}

// pipeRejectRemoteClients is PIPE_REJECT_REMOTE_CLIENTS: the named pipe
// takes no client from another machine.
const pipeRejectRemoteClients = 0x8

// connectPipe completes the connection of a server end whose client has
// opened already. On an overlapped handle ConnectNamedPipe takes an
// OVERLAPPED with an event, as Windows requires; it reports the connection
// at once (ERROR_PIPE_CONNECTED) since the client is there.
func connectPipe(h windows.Handle) error {
	ev, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		return os.NewSyscallError("CreateEvent", err)
	}
	defer windows.CloseHandle(ev)
	ov := windows.Overlapped{HEvent: ev}
	err = windows.ConnectNamedPipe(h, &ov)
	switch {
	case err == nil, errors.Is(err, windows.ERROR_PIPE_CONNECTED):
		return nil
	case errors.Is(err, windows.ERROR_IO_PENDING):
		var n uint32
		if err := windows.GetOverlappedResult(h, &ov, &n, true); err != nil {
			return os.NewSyscallError("ConnectNamedPipe", err)
		}
		return nil
	}
	return os.NewSyscallError("ConnectNamedPipe", err)
}

// fileAccessInformation is NtQueryInformationFile's FileAccessInformation
// class: the access mask the handle was opened with.
const fileAccessInformation = 8

// fdAccess reads what CRT fd fd's handle was opened for (its access mask,
// as libuv's uv_pipe_open reads it): a closed fd is EBADF.
func fdAccess(fd int) (access, error) {
	h, err := crtHandle(fd)
	if err != nil {
		return 0, err
	}
	var mask uint32
	var iosb windows.IO_STATUS_BLOCK
	if st := windows.NtQueryInformationFile(h, &iosb, (*byte)(unsafe.Pointer(&mask)), uint32(unsafe.Sizeof(mask)), fileAccessInformation); st != nil {
		return accessReadWrite, nil // not known: libuv decides
	}
	r := mask&windows.FILE_READ_DATA != 0
	w := mask&windows.FILE_WRITE_DATA != 0
	switch {
	case r && !w:
		return accessRead, nil
	case w && !r:
		return accessWrite, nil
	}
	return accessReadWrite, nil
}

// closeFD closes a CRT fd the package made and did not open as a pipe.
func closeFD(fd int) { crtClose(fd) }

// unsupported is the error of a call Windows does not have: it wraps
// errors.ErrUnsupported and names the call.
func unsupported(call string) error {
	return fmt.Errorf("pipe: %s is not supported on Windows: %w", call, errors.ErrUnsupported)
}
