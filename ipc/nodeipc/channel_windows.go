package nodeipc

// checkOpen lets pipe's Open report an fd that is not open: on Windows fd is
// a C runtime fd, which pipe checks through its HANDLE.
func checkOpen(int) error { return nil }
