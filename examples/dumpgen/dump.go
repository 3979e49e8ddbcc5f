package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

type dump struct {
	debug2, debug1 []byte
	count          int  // runtime.NumGoroutine() before and after the dump
	truncated      bool // pprof stopped at its 64 MB buffer
	attempts       int
	took           time.Duration // the last attempt
	warning        string
}

// pprofCap is where runtime/pprof gives up growing its debug=2 buffer.
const pprofCap = 64 << 20

// dumpStable dumps until the goroutine count is the same before and after and
// (with a debug=2 dump) no goroutine is still on its way to parking, so the
// count file matches the dump exactly.
func dumpStable(want2, want1, full bool) (dump, error) {
	const maxAttempts = 10
	var d dump
	for d.attempts = 1; ; d.attempts++ {
		settle(d.attempts)
		start := time.Now()
		before := runtime.NumGoroutine()
		d = dump{attempts: d.attempts}
		if want2 {
			d.debug2, d.truncated = stacks(full)
		}
		if want1 {
			var b bytes.Buffer
			if err := pprof.Lookup("goroutine").WriteTo(&b, 1); err != nil {
				return d, err
			}
			d.debug1 = b.Bytes()
		}
		after := runtime.NumGoroutine()
		d.count, d.took = before, time.Since(start)
		problem := ""
		if before != after {
			problem = fmt.Sprintf("goroutine count changed during the dump (%d -> %d)", before, after)
		} else if want2 {
			problem = check(d.debug2, before, d.truncated)
		}
		if problem == "" {
			return d, nil
		}
		if d.attempts == maxAttempts {
			d.warning = problem
			return d, nil
		}
	}
}

// settle gives goroutines between ready.Done() and their blocking call time
// to park; later attempts wait longer.
func settle(attempt int) {
	for i := 0; i < 10; i++ {
		runtime.Gosched()
	}
	time.Sleep(time.Duration(attempt*attempt) * 10 * time.Millisecond)
}

// stacks returns the debug=2 text: pprof's own (capped at 64 MB, as a server
// would serve it) or, with full, runtime.Stack with a buffer that fits.
func stacks(full bool) ([]byte, bool) {
	if !full {
		var b bytes.Buffer
		pprof.Lookup("goroutine").WriteTo(&b, 2)
		return b.Bytes(), b.Len() >= pprofCap
	}
	buf := make([]byte, runtime.NumGoroutine()*1024+1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return buf[:n], false
		}
		buf = make([]byte, 2*len(buf))
	}
}

// check finds goroutines not yet parked and a header count that disagrees.
func check(text []byte, count int, truncated bool) string {
	if bytes.Contains(text, []byte(" [runnable")) {
		return "a goroutine was still runnable"
	}
	if c := bytes.Count(text, []byte(" [running")); c > 1 {
		return fmt.Sprintf("%d goroutines were running", c)
	}
	headers := bytes.Count(text, []byte("\n\ngoroutine "))
	if bytes.HasPrefix(text, []byte("goroutine ")) {
		headers++
	}
	if !truncated && headers != count {
		return fmt.Sprintf("dump has %d goroutines, NumGoroutine says %d", headers, count)
	}
	return ""
}

// writeLeakProfiles writes the goroutineleak profile at debug=2 and debug=1
// to the paths that are set; on a runtime without one it says so and writes
// nothing.
func writeLeakProfiles(path2, path1 string) error {
	if path2 == "" && path1 == "" {
		return nil
	}
	prof := pprof.Lookup("goroutineleak")
	if prof == nil {
		fmt.Fprintf(os.Stderr, "dumpgen: %s has no goroutineleak profile; -leak2/-leak1 not written\n", runtime.Version())
		return nil
	}
	for _, out := range []struct {
		path  string
		debug int
	}{{path2, 2}, {path1, 1}} {
		if out.path == "" {
			continue
		}
		f, err := os.Create(out.path)
		if err != nil {
			return err
		}
		err = prof.WriteTo(f, out.debug)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}
