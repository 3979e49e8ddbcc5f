package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"
)

// Endpoints that misbehave on purpose, for the harness's own failure tests.

// hang accepts a request and never answers. It returns only when the client
// gives up, so a timeout test does not itself leave a goroutine behind.
//
//go:noinline
func (s *Server) hang(w http.ResponseWriter, r *http.Request) {
	<-r.Context().Done()
}

// exitProcess answers, then ends the process with ?code=N (default 1).
func (s *Server) exitProcess(w http.ResponseWriter, r *http.Request) {
	code := 1
	if v := r.URL.Query().Get("code"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 255 {
			writeError(w, http.StatusBadRequest, "code must be 0..255")
			return
		}
		code = n
	}
	w.Header().Set("Connection", "close")
	writeJSON(w, http.StatusOK, map[string]int{"ExitCode": code})
	w.(http.Flusher).Flush()
	fmt.Fprintf(os.Stderr, "minipouchd: exiting with code %d as asked by POST /exit\n", code)
	// Give the kernel a moment to hand the answer to the client first.
	time.AfterFunc(50*time.Millisecond, func() { os.Exit(code) })
}

// crash answers, then panics in a fresh goroutine: the process dies with
// exit code 2 and Go's panic trace on stderr, like a real crash. With
// ?after=DURATION (default 50ms) it dies that long after answering, so a test
// can crash it in the middle of a later step.
func (s *Server) crash(w http.ResponseWriter, r *http.Request) {
	after := 50 * time.Millisecond
	if v := r.URL.Query().Get("after"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			writeError(w, http.StatusBadRequest, "after must be a duration like 1s")
			return
		}
		after = d
	}
	w.Header().Set("Connection", "close")
	writeJSON(w, http.StatusAccepted, map[string]string{"message": "panicking in " + after.String()})
	w.(http.Flusher).Flush()
	go panicSoon(after)
}

//go:noinline
func panicSoon(after time.Duration) {
	time.Sleep(after)
	panic("minipouchd: panic requested by POST /panic")
}
