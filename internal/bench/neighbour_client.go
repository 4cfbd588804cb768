//go:build !windows

package bench

import (
	"fmt"
	"io"
	"net/http"
	"time"
)

// neighbourClient is the client process of a good-neighbour measurement: it
// takes its clientConfig on fd 3, makes the untimed GETs, a mark, the timed
// GETs (until Requests or Cap), another mark, and answers with the latency
// of each timed GET.
func neighbourClient() int {
	c, err := fdConn(peerFD)
	if err != nil {
		return 1
	}
	defer c.Close()
	var cfg clientConfig
	if err := c.dec.Decode(&cfg); err != nil {
		return 1
	}
	lat, err := getLatencies(cfg)
	done := clientDone{Latencies: lat}
	if err != nil {
		done.Err = err.Error()
	}
	if c.enc.Encode(done) != nil || err != nil {
		return 1
	}
	return 0
}

// getLatencies makes cfg's GETs over one kept-alive connection.
func getLatencies(cfg clientConfig) ([]time.Duration, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr, Timeout: time.Minute}
	base := "http://" + cfg.Addr
	get := func(path string) error {
		resp, err := cl.Get(base + path)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s: %s", path, resp.Status)
		}
		return err
	}
	for i := 0; i < cfg.Warm; i++ {
		if err := get("/"); err != nil {
			return nil, err
		}
	}
	if err := get("/mark"); err != nil {
		return nil, err
	}
	lat := make([]time.Duration, 0, cfg.Requests)
	stop := time.Now().Add(cfg.Cap)
	for len(lat) < cfg.Requests && time.Now().Before(stop) {
		t0 := time.Now()
		if err := get("/"); err != nil {
			return lat, err
		}
		lat = append(lat, time.Since(t0))
	}
	return lat, get("/mark")
}
