package ipc

import (
	"context"
	"errors"
	"time"
)

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
		if _, err := s.call(ctx, PacketRequest, map[string]any{"sub": topics}); err != nil {
			s.destroy()
			<-s.done
			return nil, err
		}
	}
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		s.destroy()
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
		s = c.reconnect()
	}
	c.mu.Lock()
	c.finished = true
	idle := c.status == ClientIdle
	c.mu.Unlock()
	if !idle {
		c.setStatus(ClientIdle)
	}
	close(c.done)
}

// reconnect makes up to Retries attempts, each after min(RetryIncrement ×
// attempt, MaxRetryDelay), and returns the new connection or nil. As
// net-ipc's client does, it waits out one more back-off before it gives up.
func (c *Client) reconnect() *clientSession {
	for attempt := 1; ; attempt++ {
		c.setStatus(ClientReconnecting)
		t := time.NewTimer(min(c.opts.RetryIncrement*time.Duration(attempt), c.opts.MaxRetryDelay))
		select {
		case <-t.C:
		case <-c.stop:
			t.Stop()
			return nil
		}
		c.setStatus(ClientIdle)
		if attempt > c.opts.Retries {
			return nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), DefaultConnectionTimeout)
		s, err := c.open(ctx)
		cancel()
		if err == nil {
			return s
		}
		c.setStatus(ClientDisconnected)
		var end *EndError
		if errors.As(err, &end) && !end.AllowReconnect || c.isClosing() {
			return nil
		}
	}
}

func (c *Client) isClosing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closing
}
