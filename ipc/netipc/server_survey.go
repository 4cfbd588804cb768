package netipc

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// PingResult is one connection's answer to Server.Ping.
type PingResult struct {
	Conn *ServerConn
	RTT  time.Duration
	Err  error
}

// Ping pings every connected client at once and returns each result.
func (s *Server) Ping(ctx context.Context) []PingResult {
	return eachConn(s.Connections(), func(c *ServerConn) PingResult {
		rtt, err := c.Ping(ctx)
		return PingResult{Conn: c, RTT: rtt, Err: err}
	})
}

// SurveyResult is one connection's answer to Server.Survey.
type SurveyResult struct {
	Conn *ServerConn
	Data json.RawMessage // the RESPONSE's data (nil when null or absent)
	Err  error           // ErrConnClosed, the context's error, ...
}

// Survey sends a REQUEST to every connected client at once and returns
// each one's answer or error, as net-ipc's survey does (allSettled). Each
// request waits until ctx ends, or DefaultRequestTimeout when ctx has no
// deadline; a client that goes fails only its own entry.
func (s *Server) Survey(ctx context.Context, data any) []SurveyResult {
	raw, err := marshalData(data)
	return eachConn(s.Connections(), func(c *ServerConn) SurveyResult {
		if err != nil {
			return SurveyResult{Conn: c, Err: err}
		}
		d, err := c.Request(ctx, raw)
		return SurveyResult{Conn: c, Data: d, Err: err}
	})
}

// eachConn runs f for every connection at once and collects the results
// in the connections' order.
func eachConn[R any](conns []*ServerConn, f func(*ServerConn) R) []R {
	out := make([]R, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = f(c)
		}()
	}
	wg.Wait()
	return out
}
