package nodeipc_test

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

func TestMain(m *testing.M) { childtest.Main(m, children) }
