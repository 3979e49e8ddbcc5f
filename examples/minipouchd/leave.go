package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"time"
)

// Two handlers whose leaks only some ways of leaving reveal, for leakprobe's
// sweep (`leakprobe run --sweep`): a plain lifecycle scenario that never hangs
// up finds them once the sweep cuts the right step the right way.
//
// GET /containers/{id}/export streams an 8 MiB archive of the container, made
// by a producer goroutine and copied to the client with a write deadline (a
// client that stops reading must not hold the handler for ever).
// The bug (--leaky): when a write times out, the handler returns without
// telling the producer, which blocks for ever on its next send. A client that
// closes or resets is handled (the write fails at once, or the request's
// context ends): only a client that stalls, so that a write blocks until its
// deadline, leaks main.(*Server).exportContainer.func1.
//
// POST /containers/{id}/stop?t=N stops the container in a helper goroutine and
// waits out its shutdown (200ms here) before collecting the result and answering 204.
// The bug (--leaky): the helper's channel is unbuffered and the handler stops
// waiting when the client leaves; the helper then blocks for ever on its send.
// Only a client that leaves before the status (while the handler waits) leaks
// main.(*Server).stopContainer.func1; once the 204 is written it is too late.

const (
	exportChunk        = 64 << 10
	exportChunks       = 128 // 8 MiB: more than the socket buffers hold
	exportWriteTimeout = time.Second
	stopShutdownTime   = 200 * time.Millisecond
)

type connKey struct{}

// withConn puts each request's connection in its context (http.Server's
// ConnContext), so a handler can set a write deadline on Go 1.19, which has no
// http.ResponseController.
func withConn(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, c)
}

//go:noinline
func (s *Server) exportContainer(w http.ResponseWriter, r *http.Request, c *Container) {
	chunks := make(chan []byte)
	done := make(chan struct{})
	go func() {
		defer close(chunks)
		chunk := make([]byte, exportChunk)
		for i := 0; i < exportChunks; i++ {
			select {
			case chunks <- chunk:
			case <-done:
				return
			}
		}
	}()
	conn, _ := r.Context().Value(connKey{}).(net.Conn)
	if conn != nil {
		defer conn.SetWriteDeadline(time.Time{})
	}
	w.Header().Set("Content-Type", "application/x-tar")
	for {
		var chunk []byte
		var ok bool
		select {
		case chunk, ok = <-chunks:
		case <-r.Context().Done():
			close(done)
			return
		}
		if !ok {
			close(done)
			return
		}
		if conn != nil {
			conn.SetWriteDeadline(time.Now().Add(exportWriteTimeout))
		}
		if _, err := w.Write(chunk); err != nil {
			if s.leaky && errors.Is(err, os.ErrDeadlineExceeded) {
				return // BUG: the producer is never told, and blocks on its next send
			}
			close(done)
			return
		}
	}
}

//go:noinline
func (s *Server) stopContainer(w http.ResponseWriter, r *http.Request, c *Container) {
	if r.URL.Query().Get("t") == "" {
		s.store.stopContainer(c)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	room := 1
	if s.leaky {
		room = 0 // BUG: nobody receives once the handler has given up
	}
	stopped := make(chan struct{}, room)
	go func() {
		s.store.stopContainer(c)
		stopped <- struct{}{}
	}()
	// The container's own shutdown takes its grace period; then the result is collected.
	select {
	case <-time.After(stopShutdownTime):
		<-stopped
		w.WriteHeader(http.StatusNoContent)
	case <-r.Context().Done():
		// The client left: stop waiting.
	}
}
