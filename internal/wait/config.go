package wait

import (
	"os"
	"time"
)

// DefaultSpin is how long a leader about to block polls first, with more
// than one P, unless the environment variable UVPIPE_SPIN gives another
// duration ("0" turns spinning off).
const DefaultSpin = 50 * time.Microsecond

// DefaultHold is how long a leader with one P waits holding it, unless the
// environment variable UVPIPE_HOLD gives another duration ("0" turns holding
// off). It is longer than a kernel tick at 250 Hz, so the kernel need not
// reprogram its timer for the timeout, and shorter than the time the Go
// scheduler lets a goroutine run before it preempts it.
const DefaultHold = 5 * time.Millisecond

// Config is how a loop's leader waits. The zero value is the default: the
// environment's UVPIPE_SPIN, UVPIPE_HOLD and UVPIPE_NETPOLL, else DefaultSpin,
// DefaultHold and a blocking wait.
type Config struct {
	// Spin is how long a leader about to block polls first, with more than
	// one P. Zero means the default; negative never spins.
	Spin time.Duration
	// Hold is how long a leader with one P waits holding it. Zero means the
	// default; negative never holds.
	Hold time.Duration
	// Breath is, with one P, how long a leader may go without one wait in
	// Go's netpoller, which lets the scheduler poll the network for the
	// other goroutines of the process (see breathEvery). Zero means
	// breathEvery; negative never (for tests of the other waits).
	Breath time.Duration
	// Netpoller makes the leader park as a goroutine in Go's netpoller
	// instead of blocking its thread in the kernel; it then neither spins
	// nor holds. UVPIPE_NETPOLL=1 sets it by default.
	Netpoller bool
}

// Read once: a program's environment does not change under it.
var (
	envSpin    = durationFromEnv("UVPIPE_SPIN", DefaultSpin)
	envHold    = durationFromEnv("UVPIPE_HOLD", DefaultHold)
	envNetpoll = os.Getenv("UVPIPE_NETPOLL") == "1"
)

// resolved fills in the defaults: zero takes the environment's or the
// package's default, and anything not positive means never.
func (c Config) resolved() Config {
	breath := c.Breath
	if breath == 0 {
		breath = breathEvery
	}
	return Config{Spin: budget(c.Spin, envSpin), Hold: budget(c.Hold, envHold), Breath: breath, Netpoller: c.Netpoller || envNetpoll}
}

func budget(configured, def time.Duration) time.Duration {
	if configured == 0 {
		configured = def
	}
	return max(configured, 0)
}

// durationFromEnv is the duration the environment variable name gives, or
// def when it gives none.
func durationFromEnv(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

// breathEvery bounds how long, with one P, a leader goes without giving the
// scheduler a turn at the network. The scheduler polls the network only when
// it has no goroutine to run (or from its monitor, rarely): a leader whose
// loop always has work — a ping-pong inside the process keeps its fd ready —
// would keep the process's other goroutines from their sockets.
const breathEvery = 100 * time.Microsecond
