package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
)

// Misbehaviours a harness must survive, each switched on by a flag, so its tests
// provoke the real thing in a real Go server: a target that ignores SIGTERM,
// leaves a grandchild behind, floods its stdout, never becomes ready, hangs
// every request, or exits before the first step.
var (
	ignoreTerm  = flag.Bool("ignore-sigterm", false, "ignore SIGTERM (the harness must SIGKILL the group)")
	grandchild  = flag.Bool("grandchild", false, "start a grandchild shell that ignores SIGTERM and sleeps")
	floodStdout = flag.Int64("flood-stdout", 0, "write this many bytes to stdout at start")
	neverReady  = flag.Bool("never-ready", false, "/_ping accepts and never answers")
	hangAll     = flag.Bool("hang-all", false, "every request accepts and never answers")
	exitAtStart = flag.Int("exit-at-start", -1, "print a line to stderr and exit with this status at once")
	gopsAddr    = flag.String("gops", "", "serve a gops-compatible agent (stack dumps) on `ADDR`")
	tlsListen   = flag.String("tls-listen", "", "also serve the API over HTTPS on `ADDR` (needs --tls-cert, --tls-key)")
	tlsCert     = flag.String("tls-cert", "", "PEM certificate for --tls-listen")
	tlsKey      = flag.String("tls-key", "", "PEM private key for --tls-listen")
)

// misbehaveAtStart runs the start-up misbehaviours; called right after flags.
func misbehaveAtStart() {
	if *exitAtStart >= 0 {
		fmt.Fprintf(os.Stderr, "minipouchd: exiting at start with status %d as asked\n", *exitAtStart)
		os.Exit(*exitAtStart)
	}
	if *ignoreTerm {
		signal.Ignore(syscall.SIGTERM)
	}
	if *grandchild {
		// Same process group as minipouchd: a group kill reaches it, a kill of
		// minipouchd alone does not.
		cmd := exec.Command("/bin/sh", "-c", `trap "" TERM; while :; do sleep 1; done`)
		if err := cmd.Start(); err != nil {
			fatal(err)
		}
		fmt.Fprintf(os.Stderr, "minipouchd: grandchild pid %d\n", cmd.Process.Pid)
	}
	if *floodStdout > 0 {
		go flood(*floodStdout)
	}
	if *gopsAddr != "" {
		startGopsAgent(*gopsAddr)
	}
}

//go:noinline
func flood(n int64) {
	line := []byte(strings.Repeat("x", 1023) + "\n")
	for n > 0 {
		chunk := line
		if int64(len(chunk)) > n {
			chunk = chunk[:n]
		}
		if _, err := os.Stdout.Write(chunk); err != nil {
			return
		}
		n -= int64(len(chunk))
	}
	fmt.Fprintln(os.Stderr, "minipouchd: flood done")
}

// misbehaving wraps the API: with --hang-all every request, with --never-ready
// /_ping, waits until the client hangs up.
func misbehaving(h http.Handler) http.Handler {
	if !*hangAll && !*neverReady {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if *hangAll || strings.HasSuffix(r.URL.Path, "/_ping") {
			<-r.Context().Done()
			return
		}
		h.ServeHTTP(w, r)
	})
}
