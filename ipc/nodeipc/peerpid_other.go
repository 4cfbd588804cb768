//go:build !linux && !windows

package nodeipc

// socketCreator: only Linux tells (SO_PEERCRED); elsewhere the parent
// process is asked.
func socketCreator(int) (int, bool) { return 0, false }
