package pipe

// Cred is the identity of the process at the other end of a pipe. On
// Windows a named pipe tells only the process id: UID and GID are -1 there.
type Cred struct {
	PID int
	UID int
	GID int
}
