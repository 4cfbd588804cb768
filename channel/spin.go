package channel

import (
	"time"

	"github.com/uvpipe/uvpipe/internal/wait"
)

// spinBudget is how long a reader that finds its queue empty polls it
// before it parks: a reply between two threads on two CPUs usually comes
// sooner than a parked thread is woken. Past the budget the reader parks,
// so an idle reader costs at most this much CPU per wait.
const spinBudget = 20 * time.Microsecond

// spin polls ready for up to spinBudget (never with one P) and reports
// whether it came true.
func spin(ready func() bool) bool { return wait.Spin(spinBudget, 0, ready) }
