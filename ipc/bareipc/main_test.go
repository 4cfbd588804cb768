package bareipc_test

import (
	"testing"

	"github.com/uvpipe/uvpipe/ipc/internal/childtest"
)

// childEnv names the helper child a re-executed test binary runs;
// noRaceExitSleep spares it the race detector's exit delay.
const (
	childEnv        = childtest.Env
	noRaceExitSleep = childtest.NoRaceExitSleep
)

// children are the helpers a re-executed test binary runs, by the name in
// childEnv.
var children = map[string]func() int{}

func TestMain(m *testing.M) { childtest.Main(m, children) }
