package wait

import "time"

// Poller is, on Windows, only the loop's wait configuration and counts:
// libuv's backend there is an I/O completion port, which has no fd to poll
// and cannot be looked at without taking its completions, so a leader waits
// inside libuv instead (uv_run with UV_RUN_ONCE, in package uv's
// leader_windows.go), and Wait is never called.
type Poller struct {
	cfg    Config
	counts counters
}

// NewPoller makes the configuration holder; backendFD (-1 on Windows) is not
// used.
func NewPoller(backendFD int, c Config) (*Poller, error) {
	_ = backendFD
	return &Poller{cfg: c.resolved()}, nil
}

// Config returns the poller's configuration, with the defaults resolved.
func (p *Poller) Config() Config { return p.cfg }

// Stats returns the counts of the poller's waits so far: on Windows only
// Blocked, the waits a leader made inside libuv.
func (p *Poller) Stats() Stats {
	return Stats{Blocked: p.counts.blocked.Load()}
}

// CountBlocked counts one wait a leader made inside libuv.
func (p *Poller) CountBlocked() { p.counts.blocked.Add(1) }

// Close releases nothing on Windows.
func (p *Poller) Close() error { return nil }

// Wait is never called on Windows (see Poller); it returns at once.
func (p *Poller) Wait(timeoutMs int, until time.Time, ranWork bool) Event {
	return None
}

// peek knows no fd on Windows.
func (p *Poller) peek() (Event, bool) { return None, false }
