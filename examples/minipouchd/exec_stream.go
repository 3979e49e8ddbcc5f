package main

import (
	"encoding/json"
	"net/http"
)

// POST /containers/{id}/exec with "Upgrade: tcp": an interactive exec session
// on a hijacked connection (Docker's exec start without Detach). Its "shell"
// echoes each line; "exit" ends the session with "exit status 0". Output is raw
// (Content-Type: application/vnd.docker.raw-stream, as with a tty).
//
// The bug (--leaky), like micro/micro#1750: when the client leaves, the
// handler returns at once, and the shell, seeing its stdin closed, reports its
// exit status on an unbuffered channel nobody reads any more. It stays blocked
// in main.(*Server).execShell, one per session. The fixed handler collects the
// status (and any output still on its way) before it returns.

//go:noinline
func (s *Server) execSession(w http.ResponseWriter, r *http.Request, c *Container) {
	var req struct{ Cmd []string }
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Cmd) == 0 {
		writeError(w, http.StatusBadRequest, "want a JSON body like {\"Cmd\": [\"sh\"]}")
		return
	}
	conn, rw, ok := hijack(w, r, "application/vnd.docker.raw-stream")
	if !ok {
		return
	}
	defer conn.Close()
	lines := make(chan string)
	output := make(chan string)
	status := make(chan int)
	stop := make(chan struct{})
	gone := make(chan struct{})
	defer close(stop)
	go readLines(rw.Reader, lines, stop, gone)
	go s.execShell(lines, gone, output, status)
	for {
		select {
		case out, ok := <-output:
			if !ok { // the shell ran "exit"
				return
			}
			if _, err := conn.Write([]byte(out)); err != nil {
				return
			}
		case <-gone:
			if s.leaky {
				return // BUG: the shell's status is never collected
			}
			for {
				select {
				case <-output:
				case <-status:
					return
				}
			}
		}
	}
}

// execShell runs the session's "shell": each line comes back, "exit" ends it;
// when its stdin closes it reports its exit status.
//
//go:noinline
func (s *Server) execShell(lines <-chan string, stdinClosed <-chan struct{}, output chan<- string, status chan<- int) {
	for {
		select {
		case line := <-lines:
			if line == "exit" {
				output <- "exit status 0\n"
				close(output)
				return
			}
			output <- line + "\n"
		case <-stdinClosed:
			status <- 0
			return
		}
	}
}
