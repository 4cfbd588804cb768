package nodeipc

import (
	"os"

	"golang.org/x/sys/windows"

	"github.com/uvpipe/uvpipe/uv"
)

// parentRuntime is the runtime a child assumes for the peer of its channel
// fd when Options.Runtime is empty: Bun when the executable of the parent
// process (os.Getppid, which Windows answers from a process snapshot), or
// of the process that made the channel's named pipe (its server end,
// GetNamedPipeServerProcessId: the parent that called uv_spawn, even with a
// process between that passed the channel on), is Bun's; else Node. A
// process created after this one is not taken for either: its pid was
// reused.
func parentRuntime(fd int) Runtime {
	if _, ok := parentBun(fd); ok {
		return Bun
	}
	return Node
}

// parentBun returns the pid of the parent process or of the channel's
// pipe's maker, whichever runs Bun's executable, as parentRuntime looks.
func parentBun(fd int) (int, bool) {
	pids := []int{os.Getppid()}
	if pid, ok := pipeServer(fd); ok && pid != pids[0] {
		pids = append(pids, pid)
	}
	self, ok := processCreated(windows.CurrentProcess())
	if !ok {
		return 0, false
	}
	for _, pid := range pids {
		if exe, ok := processExe(pid, self); ok && isBunProgram(exe) {
			return pid, true
		}
	}
	return 0, false
}

// parentBunPid is the pid of the bun.exe process at the other end of the
// channel fd of a child, for Bun's socket field (bunsocket_windows.go), or
// 0 when the peer is not bun.exe: with rt (Options.Runtime) Node, none;
// with rt empty, the Bun process parentBun finds; with rt Bun, that or
// else the pipe's maker, or else the parent.
func parentBunPid(fd int, rt Runtime) uint32 {
	if rt == Node {
		return 0
	}
	if pid, ok := parentBun(fd); ok {
		return uint32(pid)
	}
	if rt != Bun {
		return 0
	}
	if pid, ok := pipeServer(fd); ok {
		return uint32(pid)
	}
	return uint32(os.Getppid())
}

// pipeServer returns the pid of the process that made the named pipe of C
// runtime fd fd (the pipe's server end).
func pipeServer(fd int) (int, bool) {
	h, err := uv.CRTHandle(fd)
	if err != nil {
		return 0, false
	}
	var pid uint32
	if windows.GetNamedPipeServerProcessId(windows.Handle(h), &pid) != nil || pid == 0 {
		return 0, false
	}
	return int(pid), true
}

// processCreated returns when process h was created.
func processCreated(h windows.Handle) (int64, bool) {
	var created, exited, kernel, user windows.Filetime
	if windows.GetProcessTimes(h, &created, &exited, &kernel, &user) != nil {
		return 0, false
	}
	return created.Nanoseconds(), true
}

// processExe returns the path of the executable of process pid, if that
// process was created no later than notAfter.
func processExe(pid int, notAfter int64) (string, bool) {
	if pid <= 0 {
		return "", false
	}
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return "", false
	}
	defer windows.CloseHandle(h)
	if created, ok := processCreated(h); !ok || created > notAfter {
		return "", false
	}
	buf := make([]uint16, windows.MAX_LONG_PATH)
	n := uint32(len(buf))
	if windows.QueryFullProcessImageName(h, 0, &buf[0], &n) != nil {
		return "", false
	}
	return windows.UTF16ToString(buf[:n]), true
}
