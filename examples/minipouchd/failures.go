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
// exit code 2 and Go's panic trace on stderr, like a real crash.
func (s *Server) crash(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Connection", "close")
	writeJSON(w, http.StatusAccepted, map[string]string{"message": "panicking"})
	w.(http.Flusher).Flush()
	go panicSoon()
}

//go:noinline
func panicSoon() {
	time.Sleep(50 * time.Millisecond)
	panic("minipouchd: panic requested by POST /panic")
}
