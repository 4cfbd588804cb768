package pipe

import (
	"os"

	"golang.org/x/sys/windows"
)

// File returns a duplicate of the pipe's HANDLE as an *os.File (not
// inheritable); closing one does not close the other.
func (p *Pipe) File() (*os.File, error) {
	var f *os.File
	err := p.p.Control(func(fd int) error {
		self := windows.CurrentProcess()
		var h windows.Handle
		if err := windows.DuplicateHandle(self, windows.Handle(fd), self, &h, 0, false, windows.DUPLICATE_SAME_ACCESS); err != nil {
			return os.NewSyscallError("DuplicateHandle", err)
		}
		f = os.NewFile(uintptr(h), "pipe")
		return nil
	})
	if err != nil {
		return nil, p.opError("file", err)
	}
	return f, nil
}
