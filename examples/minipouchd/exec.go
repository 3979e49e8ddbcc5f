package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// POST /containers/{id}/exec {"Cmd": ["sleep", "300ms"]}: runs a command in the
// container and answers with its output once it is done (a one-call version of
// Docker's exec create + start). The command runs in a helper goroutine that
// hands its result back on a channel; `sleep DUR` takes that long, anything
// else is echoed.
//
// The bug (--leaky): the result channel is unbuffered. When the client hangs up
// before the command is done, the handler stops waiting and returns, and the
// helper (main.(*Server).execContainer.func1) blocks for ever on its send: no
// one holds the channel any more. The Go runtime's leak detector (the
// goroutineleak profile, Go 1.26+) proves this one without being told where to
// look. The fixed handler gives the channel room for the one result.

type execResult struct {
	ExitCode int
	Output   string
}

//go:noinline
func (s *Server) execContainer(w http.ResponseWriter, r *http.Request, c *Container) {
	var req struct{ Cmd []string }
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Cmd) == 0 {
		writeError(w, http.StatusBadRequest, "want a JSON body like {\"Cmd\": [\"sleep\", \"300ms\"]}")
		return
	}
	if !c.isRunning() {
		writeError(w, http.StatusConflict, "container "+c.ID[:12]+" is not running")
		return
	}
	room := 1
	if s.leaky {
		room = 0 // BUG: nobody receives once the handler has given up
	}
	result := make(chan execResult, room)
	go func() {
		result <- runExec(req.Cmd)
	}()
	select {
	case res := <-result:
		writeJSON(w, http.StatusOK, res)
	case <-r.Context().Done():
		// The client hung up: stop waiting for the result.
	}
}

//go:noinline
func runExec(cmd []string) execResult {
	if cmd[0] == "sleep" && len(cmd) > 1 {
		if d, err := time.ParseDuration(cmd[1]); err == nil {
			time.Sleep(d)
			return execResult{}
		}
		return execResult{ExitCode: 1, Output: "sleep: invalid duration " + cmd[1] + "\n"}
	}
	return execResult{Output: strings.Join(cmd, " ") + "\n"}
}
