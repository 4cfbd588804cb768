package pipe

import "strings"

// PipeName returns the Windows named pipe name that Listen and Dial use for
// path on Windows; elsewhere they use path itself. It is the rule
// @isdk/ipc-server and net-ipc apply to a path on Windows, so that a Go
// program and a Node one given the same path meet on the same pipe:
//
//   - a name that is already a named pipe's, beginning with \\.\pipe\ or
//     \\?\pipe\ ("pipe" in any case), is used as it is;
//   - any other path loses one leading '/', every other '/' becomes '-',
//     and \\.\pipe\ goes in front: "/tmp/app.sock" is
//     \\.\pipe\tmp-app.sock, "myapp" is \\.\pipe\myapp, and a Windows path
//     keeps its backslashes (C:\run\app is \\.\pipe\C:\run\app).
//
// (The two Node packages put \\.\pipe\ in front of a name that already has
// it; PipeName does not, which is the only place it differs from them.)
// Windows compares pipe names without regard to case, and a name longer
// than 256 characters is ENAMETOOLONG. An empty path maps to "": Listen
// takes it as a request for a fresh name, as Linux autobinds.
func PipeName(path string) string {
	if path == "" || IsPipeName(path) {
		return path
	}
	path = strings.TrimPrefix(path, "/")
	return pipePrefix + strings.ReplaceAll(path, "/", "-")
}

// pipePrefix begins the names of local named pipes.
const pipePrefix = `\\.\pipe\`

// IsPipeName reports whether name is a Windows named pipe's name: it begins
// with \\.\pipe\ or \\?\pipe\ ("pipe" in any case) and has something after.
func IsPipeName(name string) bool {
	if len(name) <= len(pipePrefix) {
		return false
	}
	p := name[:len(pipePrefix)]
	return (p[:4] == `\\.\` || p[:4] == `\\?\`) && strings.EqualFold(p[4:], `pipe\`)
}
