// Command dumpgen parks goroutines in many states and writes goroutine dumps
// of itself: fixtures and benchmark inputs for leakprobe's dump parser.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof" // for -serve: /debug/pprof/ on the default mux
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"
)

func main() {
	n := flag.Int("n", 0, "extra goroutines to park, spread over the kinds")
	debug2 := flag.String("debug2", "", "write pprof goroutine debug=2 (full stacks) to `FILE`")
	debug1 := flag.String("debug1", "", "write pprof goroutine debug=1 (grouped, with labels) to `FILE`")
	count := flag.String("count", "", "write runtime.NumGoroutine() at the moment of the dump to `FILE`")
	full := flag.Bool("full", false, "debug=2 via runtime.Stack without pprof's 64 MB cap (pprof truncates bigger dumps)")
	serve := flag.String("serve", "", "after writing, serve net/http/pprof on `ADDR` until SIGTERM/SIGINT")
	manifest := flag.String("manifest", "", "write how many goroutines of each kind were parked to `FILE` (\"count<TAB>kind\" lines)")
	manifestJSON := flag.String("manifest-json", "", "write every parked goroutine (id, kind, state, function, labels, created-by, parent, leaked) and main's id to `FILE` as JSON")
	leak2 := flag.String("leak2", "", "write the goroutineleak profile at debug=2 to `FILE`, after the goroutine dumps (Go 1.26+; older runtimes have none and no file is written)")
	leak1 := flag.String("leak1", "", "write the goroutineleak profile at debug=1 (only the leaked goroutines) to `FILE`, as -leak2")
	crash := flag.String("crash", "", "at the end, print every goroutine's stack to stderr and die: `panic` (a panic, GOTRACEBACK=all) or sigquit (dumpgen sends itself SIGQUIT)")
	list := flag.Bool("kinds", false, "list the kinds of parked goroutine, with their weights, and exit")
	flag.Parse()
	if *list {
		for _, k := range kinds {
			fmt.Printf("%3d/%d  %s\n", k.weight, len(schedule()), k.name)
		}
		return
	}
	if *n < 0 || flag.NArg() > 0 || (*crash != "" && *crash != "panic" && *crash != "sigquit") {
		flag.Usage()
		os.Exit(2)
	}

	start := time.Now()
	p := newParker(fdBudget(), *n, *manifestJSON != "")
	spawnAll(p, *n)
	p.ready.Wait()
	parked := time.Since(start)

	d, err := dumpStable(*debug2 != "", *debug1 != "", *full)
	if err != nil {
		fail(err)
	}
	for _, out := range []struct {
		path string
		data []byte
	}{
		{*debug2, d.debug2},
		{*debug1, d.debug1},
		{*count, []byte(fmt.Sprintf("%d\n", d.count))},
	} {
		if out.path != "" {
			if err := os.WriteFile(out.path, out.data, 0o644); err != nil {
				fail(err)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "dumpgen: %d goroutines (n=%d) parked in %v; dump in %v after %d attempt(s); debug2 %d bytes%s, debug1 %d bytes; total %v\n",
		d.count, *n, parked.Round(time.Millisecond), d.took.Round(time.Millisecond), d.attempts,
		len(d.debug2), map[bool]string{true: " (TRUNCATED by pprof's 64 MB cap; use -full)"}[d.truncated],
		len(d.debug1), time.Since(start).Round(time.Millisecond))
	if d.warning != "" {
		fmt.Fprintln(os.Stderr, "dumpgen: warning:", d.warning)
	}
	// The leak profile comes after the goroutine dumps: once the detector has
	// run, later tracebacks also mark the goroutines it proved "(leaked)".
	if err := writeLeakProfiles(*leak2, *leak1); err != nil {
		fail(err)
	}

	if *manifest != "" {
		if err := os.WriteFile(*manifest, manifestText(*n, p), 0o644); err != nil {
			fail(err)
		}
	}

	if *manifestJSON != "" {
		text, err := truthJSON(p, goid())
		if err == nil {
			err = os.WriteFile(*manifestJSON, append(text, '\n'), 0o644)
		}
		if err != nil {
			fail(err)
		}
	}

	switch *crash {
	case "panic":
		debug.SetTraceback("all")
		panic("dumpgen: -crash panic")
	case "sigquit":
		syscall.Kill(os.Getpid(), syscall.SIGQUIT) // the runtime prints every goroutine and exits 2
		time.Sleep(time.Minute)
		fail(fmt.Errorf("SIGQUIT did not end the process"))
	}

	if *serve != "" {
		serveUntilSignal(*serve)
	}
}

// spawnAll starts n goroutines, kind by kind in round-robin over schedule().
func spawnAll(p *parker, n int) {
	sched := schedule()
	for i := 0; i < n; i++ {
		ki := sched[i%len(sched)]
		k := kinds[ki]
		if p.records != nil {
			p.records[i].kind = ki
		}
		p.ready.Add(1)
		if k.start != nil {
			k.start(p, i)
		} else {
			p.born(i, 0)
			go k.run(p, i)
		}
	}
}

// manifestText says how many goroutines of each kind spawnAll parked: the truth a
// parser's per-state counts are checked against. IO-wait goroutines that found no
// descriptor left parked as requests instead, and are counted as such.
func manifestText(n int, p *parker) []byte {
	sched := schedule()
	counts := make([]int, len(kinds))
	for i := 0; i < n; i++ {
		counts[sched[i%len(sched)]]++
	}
	pipes := len(p.pipes) / 2
	var out []byte
	for k, kd := range kinds {
		c := counts[k]
		switch kd.name {
		case "IO wait (pipe read)":
			counts[0] += c - pipes
			c = pipes
		}
		counts[k] = c
	}
	for k, kd := range kinds {
		out = append(out, fmt.Sprintf("%d\t%s\n", counts[k], kd.name)...)
	}
	return out
}

// fdBudget is how many descriptors IO-wait goroutines may use; Go 1.19
// already raised the soft RLIMIT_NOFILE to the hard limit at start-up.
func fdBudget() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0
	}
	return int(rl.Cur) - 256 // room for stdio, the dump files, -serve
}

func serveUntilSignal(addr string) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		fail(err)
	}
	fmt.Fprintf(os.Stderr, "dumpgen serving on %s\n", l.Addr())
	go func() {
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
		<-sigs
		os.Exit(0)
	}()
	fail(http.Serve(l, nil))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "dumpgen:", err)
	os.Exit(1)
}
