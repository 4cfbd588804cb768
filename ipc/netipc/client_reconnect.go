package netipc

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// ErrRetriesSpent is returned, wrapped with the last attempt's error, by
// Dial when the first connection failed and so did every retry (net-ipc's
// connect() then rejects with the last socket error).
var ErrRetriesSpent = errors.New("netipc: client spent its retries")

// open makes a connection ready: dial and CONNECTION (asking for the
// client's id), reading, re-subscription of the client's topics, then
// status Ready. ctx bounds the dial and the handshake; Close and Destroy
// cut it short.
func (c *Client) open(ctx context.Context) (*clientSession, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-c.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	s, pr, id, err := c.dialSession(ctx, c.ID())
	if err != nil {
		return nil, err
	}
	go s.readLoop(pr)
	if topics := c.Subscriptions(); len(topics) > 0 {
		if _, err := s.call(ctx, wire.PacketRequest, map[string]any{"sub": topics}); err != nil {
			s.destroy(nil)
			<-s.done
			return nil, err
		}
	}
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		s.destroy(nil)
		<-s.done
		return nil, ErrConnClosed
	}
	c.sess, c.id = s, id
	c.mu.Unlock()
	c.setStatus(ClientReady)
	return s, nil
}

// supervise waits for each connection to go and reconnects as the
// options and the way it went allow, until the client ends for good.
func (c *Client) supervise(s *clientSession) {
	for s != nil {
		<-s.done
		c.mu.Lock()
		c.sess = nil
		c.mu.Unlock()
		c.setStatus(ClientDisconnected)
		if c.opts.NoReconnect || !s.mayReconnect() {
			break
		}
		s, _ = c.retry(context.Background(), DefaultConnectionTimeout, nil)
	}
	c.mu.Lock()
	c.finished = true
	c.mu.Unlock()
	c.settleIdle()
	close(c.done)
}

// settleIdle sets status Idle unless the client is there already.
func (c *Client) settleIdle() {
	c.mu.Lock()
	idle := c.status == ClientIdle
	c.mu.Unlock()
	if !idle {
		c.setStatus(ClientIdle)
	}
}

// retry is net-ipc's client after a connection failed or dropped (status
// Disconnected, last the failed attempt's error or nil): up to Retries
// attempts, each after min(RetryIncrement * attempt, MaxRetryDelay) spent
// Reconnecting, then Idle, then the attempt (Connecting...), Disconnected
// again when it fails. Once the retries are spent it waits out one more
// back-off, as net-ipc does, and gives up (Idle, ErrRetriesSpent). It stops
// at once on a refusal without allowReconnect, on Close or Destroy, and when
// ctx ends; perAttempt, when not 0, bounds each attempt.
func (c *Client) retry(ctx context.Context, perAttempt time.Duration, last error) (*clientSession, error) {
	ended := func(attempts int) error {
		return fmt.Errorf("netipc: connect %s: %w (after %d attempts; last: %v)", c.opts.Path, ctx.Err(), attempts, last)
	}
	for attempt := 1; ; attempt++ {
		if ctx.Err() != nil {
			return nil, ended(attempt)
		}
		c.setStatus(ClientReconnecting)
		t := time.NewTimer(min(c.opts.RetryIncrement*time.Duration(attempt), c.opts.MaxRetryDelay))
		select {
		case <-t.C:
		case <-c.stop:
			t.Stop()
			return nil, ErrConnClosed
		case <-ctx.Done():
			t.Stop()
			return nil, ended(attempt)
		}
		c.setStatus(ClientIdle)
		if attempt > c.opts.Retries {
			return nil, fmt.Errorf("%w (%d attempts to connect to %s): %w", ErrRetriesSpent, attempt, c.opts.Path, last)
		}
		actx, cancel := ctx, context.CancelFunc(func() {})
		if perAttempt > 0 {
			actx, cancel = context.WithTimeout(ctx, perAttempt)
		}
		s, err := c.open(actx)
		cancel()
		if err == nil {
			return s, nil
		}
		last = err
		c.setStatus(ClientDisconnected)
		if refusedForGood(err) || c.isClosing() {
			return nil, err
		}
	}
}

// refusedForGood tells an attempt the server refused with END without
// allowReconnect, which net-ipc's client never retries.
func refusedForGood(err error) bool {
	var end *EndError
	return errors.As(err, &end) && !end.AllowReconnect
}

func (c *Client) isClosing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closing
}
