// Command loadgen drives a Go net/rpc server with Go's own net/rpc client and
// reports throughput and latency percentiles. It is the one load generator the
// benchmark uses for every server (Go's and ours), so the numbers compare the
// servers, not the clients.
//
//	loadgen -addr 127.0.0.1:1234 -callers 64 -conns 4 -calls 200000
//
// It calls Arith.Mul with Args{A, B} and checks every reply; a wrong reply or
// an error is fatal. It prints one line: callers conns calls secs calls/s p50 p99;
// with -cpu an eighth field, the CPU time (µs) the process used per call during
// the timed calls (getrusage: all threads, user + system).
package main

import (
	"flag"
	"fmt"
	"log"
	"net/rpc"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type Args struct{ A, B int }

type Reply struct{ C int }

func main() {
	addr := flag.String("addr", "", "server address")
	callers := flag.Int("callers", 1, "concurrent callers")
	conns := flag.Int("conns", 1, "connections shared by the callers")
	calls := flag.Int("calls", 20000, "total calls (split across callers)")
	warmup := flag.Int("warmup", 1000, "untimed calls first")
	cpu := flag.Bool("cpu", false, "append the CPU time per call (µs) to the output line")
	flag.Parse()

	clients := make([]*rpc.Client, *conns)
	for i := range clients {
		c, err := rpc.Dial("tcp", *addr)
		if err != nil {
			log.Fatalf("dial %s: %v", *addr, err)
		}
		defer c.Close()
		clients[i] = c
	}
	call := func(c *rpc.Client, i int) {
		args := Args{i, 3}
		var reply Reply
		if err := c.Call("Arith.Mul", args, &reply); err != nil {
			log.Fatalf("Arith.Mul: %v", err)
		}
		if reply.C != i*3 {
			log.Fatalf("Arith.Mul(%d, 3) = %d", i, reply.C)
		}
	}
	for i := 0; i < *warmup; i++ {
		call(clients[i%len(clients)], i)
	}

	per := *calls / *callers
	lat := make([][]time.Duration, *callers)
	var next int64
	var wg sync.WaitGroup
	cpu0 := cpuTime()
	start := time.Now()
	for g := 0; g < *callers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			c := clients[g%len(clients)]
			l := make([]time.Duration, 0, per)
			for k := 0; k < per; k++ {
				i := int(atomic.AddInt64(&next, 1))
				t := time.Now()
				call(c, i)
				l = append(l, time.Since(t))
			}
			lat[g] = l
		}(g)
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	cpu1 := cpuTime()

	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) float64 {
		return float64(all[int(p*float64(len(all)-1))].Microseconds())
	}
	fmt.Fprintf(os.Stdout, "%d %d %d %.3f %.0f %.0f %.0f",
		*callers, *conns, len(all), secs, float64(len(all))/secs, pct(0.50), pct(0.99))
	if *cpu {
		fmt.Fprintf(os.Stdout, " %.2f", float64((cpu1-cpu0).Nanoseconds())/1e3/float64(len(all)))
	}
	fmt.Fprintln(os.Stdout)
}

// cpuTime is the CPU time (user + system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		log.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
