package nodeipc

import (
	"fmt"
	"unicode/utf8"
)

// SendError is the failure of one message after Send or SendHandle
// returned: a handle the peer gave up (Err is ErrHandleNotReceived), a
// queued message whose write failed (Err wraps the write error), or one
// dropped because the channel ended first (ErrChannelClosed). It names the
// message it belongs to. It reaches SendOptions.Wait, SendOptions.Done, or
// else Options.OnSendError; never Recv or a later Send.
type SendError struct {
	Value  any   // the message as given to Send or SendHandle
	Handle any   // the handle given to SendHandle, or nil
	Err    error // why it failed
}

func (e *SendError) Error() string {
	what := "a message"
	if e.Handle != nil {
		what = fmt.Sprintf("a message with a %T", e.Handle)
	}
	return fmt.Sprintf("nodeipc: %s (%s) was not delivered: %v", what, describeValue(e.Value), e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// describeValue is a short rendering of a message for an error string.
func describeValue(v any) string {
	const max = 60
	s := fmt.Sprint(v)
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// outcome is a settled message and how it ended (nil: written, and for a
// handle acknowledged).
type outcome struct {
	o   *outgoing
	err error
}

// settledLocked records o's outcome, reported by reportOutcomes once wmu is
// released. An outcome nobody waits for and that is not a failure is not
// kept. Called with wmu held.
func (c *Channel) settledLocked(o *outgoing, err error) {
	if err == nil && o.done == nil && o.wait == nil {
		return
	}
	c.outcomes = append(c.outcomes, outcome{o, err})
}

// reportOutcomes hands the recorded outcomes to their waiters: Wait's,
// Done, or else OnSendError for a failure. Called without wmu, so that a
// receiver may send.
func (c *Channel) reportOutcomes() {
	c.wmu.Lock()
	out := c.outcomes
	c.outcomes = nil
	c.wmu.Unlock()
	for _, oc := range out {
		var err error
		var se *SendError
		if oc.err != nil {
			se = &SendError{Value: oc.o.value, Handle: oc.o.handle, Err: oc.err}
			err = se
		}
		told := false
		if oc.o.wait != nil {
			oc.o.wait <- err // its own buffer of one: never blocks
			told = true
		}
		if oc.o.done != nil {
			select {
			case oc.o.done <- err:
			default:
			}
			told = true
		}
		if !told && se != nil && c.onSendErr != nil {
			c.onSendErr(se)
		}
	}
}
