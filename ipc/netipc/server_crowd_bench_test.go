package netipc_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// crowdSize is the crowd of BenchmarkNetIPCCrowd: active clients, requests
// in all, idle connections (UVPIPE_NETIPC_CROWD="clients requests idle"
// overrides it, for a short run).
func crowdSize() (clients, requests, idle int) {
	clients, requests, idle = 1000, 100000, 3000
	if v := os.Getenv("UVPIPE_NETIPC_CROWD"); v != "" {
		fmt.Sscan(v, &clients, &requests, &idle)
	}
	return
}

// procUsage is a process's resident set size (KiB) and open fds.
func procUsage(b *testing.B, pid string) (rssKiB, fds int) {
	status, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			rssKiB, _ = strconv.Atoi(f[1])
		}
	}
	ents, err := os.ReadDir("/proc/" + pid + "/fd")
	if err != nil {
		b.Fatal(err)
	}
	return rssKiB, len(ents)
}

// procCPU is the CPU time a process has used, user and system, from
// /proc/<pid>/stat (in clock ticks of 1/100 s, as Linux reports them to
// user space).
func procCPU(b *testing.B, pid string) time.Duration {
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		b.Fatal(err)
	}
	// The command name, in parentheses, may hold spaces: count from after it.
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		b.Fatalf("/proc/%s/stat: utime %q, stime %q", pid, f[11], f[12])
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// idleCrowd holds n connected, idle Go clients of the server at path in a
// child process (the child "netipc-idle") until stop.
func idleCrowd(b *testing.B, path string, n int) (stop func()) {
	if n == 0 {
		return func() {}
	}
	bin, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=netipc-idle", noRaceExitSleep, "UVPIPE_IDLE="+path+" "+strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "ready\n" {
		b.Fatalf("netipc-idle child said %q, %v", line, err)
	}
	return func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			b.Errorf("netipc-idle child: %v", err)
		}
	}
}

func init() {
	children["netipc-idle"] = func() int {
		var path string
		var n int
		if _, err := fmt.Sscan(os.Getenv("UVPIPE_IDLE"), &path, &n); err != nil {
			fmt.Fprintln(os.Stderr, "netipc-idle: UVPIPE_IDLE:", err)
			return 2
		}
		clients := make([]*netipc.Client, 0, n)
		for range n {
			c, err := netipc.Dial(context.Background(), netipc.ClientOptions{Path: path, NoReconnect: true})
			if err != nil {
				fmt.Fprintln(os.Stderr, "netipc-idle:", err)
				return 1
			}
			clients = append(clients, c)
		}
		fmt.Println("ready")
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n') // until stdin ends
		for _, c := range clients {
			c.Destroy()
		}
		return 0
	}
}

// nodeCrowd runs netipc-peer.js bench-client (net-ipc clients under node)
// against path: conns clients, requests in all.
func nodeCrowd(b *testing.B, path string, conns, requests int) loadResult {
	peer := nodeNetIPC(b, "bench-client", path, strconv.Itoa(conns), strconv.Itoa(requests))
	defer peer.stop()
	var r loadResult
	select {
	case line := <-peer.lines:
		if err := json.Unmarshal([]byte(line), &r); err != nil || r.RPS == 0 {
			b.Fatalf("node bench-client said %q", line)
		}
	case <-time.After(10 * time.Minute):
		b.Fatal("node bench-client said nothing")
	}
	return r
}

// A crowd: 1,000 clients each making 100 requests one after the other, all
// at once, from a child process, against the Go server (handlers on the
// loop, Go clients) and, in the same run, net-ipc's server under node
// (net-ipc clients under node): requests per second, median and
// 99th-percentile latency in µs, and the server's resident set (KiB) and
// open fds before the crowd and after it; without idle connections, and
// with 3,000 more connected and idle (held by another child process); and
// the Go server with the same crowd of net-ipc clients (gosrv-nodecli-*),
// which tells the server's share from the clients'; and both servers with
// one crowd of the leanest clients (rawClientLoad: Go's unix socket and the
// wire framing, rawcli-*), the same client for both servers, whose ratio
// x-netipc-rawcli-rps compares the servers rather than their clients, and
// with it each server process's CPU time per request
// (*-server-cpu-µs/req; x-netipc-server-cpu is net-ipc's over the Go
// server's). A
// request not answered fails the benchmark: nothing may be lost. The
// workload is fixed: run it with -benchtime 1x.
func BenchmarkNetIPCCrowd(b *testing.B) {
	clients, requests, idleN := crowdSize()
	for _, idle := range []int{0, idleN} {
		b.Run("idle="+strconv.Itoa(idle), func(b *testing.B) {
			dir := b.TempDir()
			self := strconv.Itoa(os.Getpid())

			s := echoServerWith(b, netipc.ServerOptions{Path: dir + "/go", HandleOnLoop: true})
			stopIdle := idleCrowd(b, dir+"/go", idle)
			rss0, fd0 := procUsage(b, self)
			goR := childLoad(b, dir+"/go", clients, requests)
			rss1, fd1 := procUsage(b, self)
			cpu0 := procCPU(b, self)
			rawR := childRawLoad(b, dir+"/go", clients, requests)
			goCPU := (procCPU(b, self) - cpu0).Seconds() * 1e6 / float64(requests)
			mixR := nodeCrowd(b, dir+"/go", clients, requests)
			stopIdle()
			s.Shutdown(false)

			server := nodeNetIPC(b, "bench-server", dir+"/node")
			select {
			case <-server.lines:
			case <-time.After(time.Minute):
				b.Fatal("node bench-server did not start")
			}
			pid := strconv.Itoa(server.cmd.Process.Pid)
			stopIdle = idleCrowd(b, dir+"/node", idle)
			nrss0, nfd0 := procUsage(b, pid)
			nodeR := nodeCrowd(b, dir+"/node", clients, requests)
			nrss1, nfd1 := procUsage(b, pid)
			ncpu0 := procCPU(b, pid)
			nodeRawR := childRawLoad(b, dir+"/node", clients, requests)
			nodeCPU := (procCPU(b, pid) - ncpu0).Seconds() * 1e6 / float64(requests)
			stopIdle()
			server.stop()

			b.ReportMetric(goR.RPS, "rps")
			b.ReportMetric(goR.P50, "p50-µs")
			b.ReportMetric(goR.P99, "p99-µs")
			b.ReportMetric(float64(rss0), "rss-before-KiB")
			b.ReportMetric(float64(rss1), "rss-after-KiB")
			b.ReportMetric(float64(fd0), "fds-before")
			b.ReportMetric(float64(fd1), "fds-after")
			b.ReportMetric(nodeR.RPS, "netipc-rps")
			b.ReportMetric(nodeR.P50, "netipc-p50-µs")
			b.ReportMetric(nodeR.P99, "netipc-p99-µs")
			b.ReportMetric(float64(nrss0), "netipc-rss-before-KiB")
			b.ReportMetric(float64(nrss1), "netipc-rss-after-KiB")
			b.ReportMetric(float64(nfd0), "netipc-fds-before")
			b.ReportMetric(float64(nfd1), "netipc-fds-after")
			b.ReportMetric(mixR.RPS, "gosrv-nodecli-rps")
			b.ReportMetric(mixR.P50, "gosrv-nodecli-p50-µs")
			b.ReportMetric(mixR.P99, "gosrv-nodecli-p99-µs")
			b.ReportMetric(goR.RPS/nodeR.RPS, "x-netipc-rps")
			b.ReportMetric(nodeR.P99/goR.P99, "x-netipc-p99")
			b.ReportMetric(rawR.RPS, "rawcli-rps")
			b.ReportMetric(rawR.P50, "rawcli-p50-µs")
			b.ReportMetric(rawR.P99, "rawcli-p99-µs")
			b.ReportMetric(nodeRawR.RPS, "netipc-rawcli-rps")
			b.ReportMetric(nodeRawR.P50, "netipc-rawcli-p50-µs")
			b.ReportMetric(nodeRawR.P99, "netipc-rawcli-p99-µs")
			b.ReportMetric(rawR.RPS/nodeRawR.RPS, "x-netipc-rawcli-rps")
			b.ReportMetric(goCPU, "rawcli-server-cpu-µs/req")
			b.ReportMetric(nodeCPU, "netipc-rawcli-server-cpu-µs/req")
			b.ReportMetric(nodeCPU/goCPU, "x-netipc-server-cpu")
			b.ReportMetric(nodeRawR.P99/rawR.P99, "x-netipc-rawcli-p99")
		})
	}
}
