package testmain

// openFDs lists nothing on Windows, which has HANDLEs rather than fds and no
// list of them to compare before and after (under Wine, /proc/self/fd would
// be Wine's own unix fds, which it opens and caches as it likes): the fd
// check is a unix check, and the other checks run as everywhere.
func openFDs() map[string]string { return map[string]string{} }
