package netipc

import (
	"os"
)

// DefaultServerPath is the socket path a net-ipc or @isdk client uses with
// no options: the temporary directory chosen as Node's os.tmpdir() chooses
// it (TMPDIR, then TMP, then TEMP, then /tmp, without a trailing slash)
// followed by "/isdk-ipc".
func DefaultServerPath() string {
	dir := "/tmp"
	for _, k := range []string{"TMPDIR", "TMP", "TEMP"} {
		if v := os.Getenv(k); v != "" {
			dir = v
			break
		}
	}
	if len(dir) > 1 && dir[len(dir)-1] == '/' {
		dir = dir[:len(dir)-1]
	}
	return dir + "/isdk-ipc"
}
