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
// handler returns, and the shell, seeing its stdin closed, reports its exit
// status on an unbuffered channel nobody reads any more. It stays blocked in
// main.(*Server).execShell, one per session. The fixed shell gives up the send
// once the handler is gone.

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
	status := make(chan string)
	stop := make(chan struct{})
	gone := make(chan struct{})
	defer close(stop)
	go readLines(rw.Reader, lines, stop, gone)
	go s.execShell(lines, gone, output, status, stop)
	for {
		select {
		case out := <-output:
			if _, err := conn.Write([]byte(out)); err != nil {
				return
			}
		case st := <-status:
			conn.Write([]byte(st))
			return
		case <-gone:
			return
		}
	}
}

// execShell runs the session's "shell": each line comes back, "exit" ends it.
// Its sends are written out in its own frame (no helper), so a dump shows it as
// main.(*Server).execShell whether it waits for input or on a send.
//
//go:noinline
func (s *Server) execShell(lines <-chan string, stdinClosed <-chan struct{}, output, status chan<- string, stop <-chan struct{}) {
	handlerGone := stop
	if s.leaky {
		handlerGone = nil // BUG: the status send waits for ever once the handler has returned
	}
	for {
		select {
		case line := <-lines:
			if line == "exit" {
				select {
				case status <- "exit status 0\n":
				case <-handlerGone:
				}
				return
			}
			select {
			case output <- line + "\n":
			case <-handlerGone:
				return
			}
		case <-stdinClosed:
			select {
			case status <- "exit status 0 (stdin closed)\n":
			case <-handlerGone:
			}
			return
		}
	}
}
