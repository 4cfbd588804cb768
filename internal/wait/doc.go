// Package wait is how a uvpipe loop's leader waits: the policy, in pure Go,
// behind a narrow interface to the cgo side. Package uv gives it libuv's
// backend fd (an epoll fd on Linux) and asks it, between passes of the
// loop, to wait until that fd is readable or a timeout passes; it answers
// with what it saw ready. It also holds the background leader's take-over
// timer, and the bounded spin that package channel shares.
//
// # Invariants
//
// These hold for every loop, whatever the configuration:
//
//   - At most one goroutine leads a loop (calls Poller.Wait); the others that
//     need progress follow, asleep, and are woken only when something they
//     wait for may have changed, or when the loop needs a new leader.
//   - A loop always has a leader or an armed Background: a goroutine that
//     stops leading hands the loop to a follower, or, when none waits,
//     resumes the Background, which takes over within two grace periods.
//   - A wait ends when the backend fd is readable, when libuv's timeout
//     passes, at the caller's deadline, or when the fd is closed. A wake-up
//     (uv_async_send) makes the fd readable, so a waiting leader never
//     misses one.
//   - A leader spins only while work is in flight: the spin runs only after
//     a pass, for at most Config.Spin, only with more than one P, and only
//     when libuv's timeout is not sooner.
//   - A leader holds its P (waits without telling the scheduler) only with
//     one P, only while no other goroutine waits for the P or is in a system
//     call or cgo call, for at most Config.Hold, and ever more rarely after
//     holds that ran out.
//   - Before it blocks, a leader yields when the pass it just ran may have
//     made another goroutine runnable, or with one P when the scheduler
//     counts a goroutine waiting for it, so that goroutine is not left to the
//     scheduler's monitor.
//   - A leader that waits outside Go's netpoller never keeps the process's
//     other sockets waiting on it: with one P it breathes (parks once in the
//     netpoller, so the scheduler polls the network) at least every
//     Config.Breath, and its spin, its hold and, with one P, its blocking
//     wait also watch the runtime's netpoll fd and breathe as soon as that
//     has events to collect (netwatch_linux.go).
//
// Each of these mechanisms is named in docs/performance.md with the
// benchmark that shows what it buys; one that no benchmark justifies is
// removed.
package wait
