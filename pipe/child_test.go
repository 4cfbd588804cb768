package pipe_test

// children are the helper processes of the cross-process tests: the test
// binary re-executes itself with UVPIPE_PIPE_CHILD naming one of them, and
// TestMain runs it instead of the tests (the os/exec tests' pattern). Each
// returns the child's exit code.
var children = map[string]func() int{}
