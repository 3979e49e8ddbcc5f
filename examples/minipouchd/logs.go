package main

import (
	"io"
	"net/http"
	"strconv"
	"sync"
)

// GET /containers/{id}/logs, modelled on PouchContainer's handler: a helper
// goroutine (readLogMessages) reads the log and sends lines on a watcher's
// channel; the handler copies them to the client.
//
// The bug (--leaky): the handler waits on the channel without watching
// r.Context(). When a client follows a silent container and hangs up, nothing
// ever arrives on the channel, so the handler goroutine
// (main.(*Server).logsContainer) and its reader (main.readLogMessages) stay
// blocked until the container stops. The fixed handler also selects on
// r.Context().Done() and closes the watcher, which ends the reader.

// logWatcher connects one reader goroutine to one handler.
type logWatcher struct {
	Msgs   chan string   // lines for the client; closed by the reader when it ends
	closed chan struct{} // closed by the handler: stop reading
	once   sync.Once
}

func newLogWatcher() *logWatcher {
	return &logWatcher{Msgs: make(chan string), closed: make(chan struct{})}
}

// Close tells the reader the consumer is gone (unsubscribes).
func (lw *logWatcher) Close() { lw.once.Do(func() { close(lw.closed) }) }

//go:noinline
func (s *Server) logsContainer(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.get(containerRef(r.URL.Path))
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	q := r.URL.Query()
	follow := truthy(q.Get("follow"))
	first, end := c.logLen()
	from := first
	if n, err := strconv.Atoi(q.Get("tail")); err == nil && n >= 0 && end-n > first {
		from = end - n
	}

	watcher := newLogWatcher()
	defer watcher.Close()
	go readLogMessages(c, from, follow, watcher)

	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	if flusher != nil {
		flusher.Flush() // the client sees the headers before the first line
	}

	for {
		var msg string
		var ok bool
		if s.leaky {
			// BUG: blocks until a line arrives or the container stops; a client
			// that hung up is never noticed while the container stays silent.
			msg, ok = <-watcher.Msgs
		} else {
			select {
			case msg, ok = <-watcher.Msgs:
			case <-r.Context().Done():
				return // deferred Close ends readLogMessages
			}
		}
		if !ok {
			return
		}
		if _, err := io.WriteString(w, msg+"\n"); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
	}
}

// readLogMessages sends c's log lines from index from on, then (if follow)
// every new line until the container stops or the watcher is closed. It is a
// package-level function so its frame reads main.readLogMessages.
//
//go:noinline
func readLogMessages(c *Container, from int, follow bool, watcher *logWatcher) {
	defer close(watcher.Msgs)
	next := from
	for {
		lines, after, running, changed := c.logsSince(next)
		for _, line := range lines {
			select {
			case watcher.Msgs <- line:
			case <-watcher.closed:
				return
			}
		}
		next = after
		if !follow || !running {
			return
		}
		select {
		case <-changed:
		case <-watcher.closed:
			return
		}
	}
}

// containerRef extracts {id} from /containers/{id}/logs.
func containerRef(path string) string {
	const prefix = "/containers/"
	rest := path[len(prefix):]
	for i := 0; i < len(rest); i++ {
		if rest[i] == '/' {
			return rest[:i]
		}
	}
	return rest
}
