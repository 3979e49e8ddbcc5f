package main

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// GET /containers/{id}/stats?stream=1: a sample of the container's CPU and
// memory every 100 ms until the client hangs up (stream=0: one sample). Two
// sampler goroutines (main.sampleStats) feed the handler.
//
// The bug (--leaky): the handler waits for the samplers' next value without
// watching r.Context(), and the samplers only stop when the handler tells
// them. A client that hangs up leaves 3 goroutines behind, for good: the
// handler (main.(*Server).statsContainer), waiting on a channel the samplers
// still hold, and the two samplers, whose ticker keeps them alive. None is
// blocked on something unreachable, so the Go runtime cannot prove them
// leaked; they only grow with the requests.

type statSample struct {
	Kind  string
	Value int64
}

//go:noinline
func (s *Server) statsContainer(w http.ResponseWriter, r *http.Request, c *Container) {
	stream := truthy(r.URL.Query().Get("stream"))
	samples := make(chan statSample)
	stop := make(chan struct{})
	var once sync.Once
	done := func() { once.Do(func() { close(stop) }) }
	defer done()
	go sampleStats("cpu", samples, stop)
	go sampleStats("memory", samples, stop)

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	for {
		var sample statSample
		if s.leaky {
			sample = <-samples // BUG: a client that hung up is never noticed
		} else {
			select {
			case sample = <-samples:
			case <-r.Context().Done():
				return
			}
		}
		if _, err := fmt.Fprintf(w, "{\"id\":%q,%q:%d}\n", c.ID, sample.Kind, sample.Value); err != nil && !s.leaky {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
		if !stream {
			return
		}
	}
}

var sampleCounter int64

// sampleStats sends a made-up measure every 100 ms until `stop` closes.
//
//go:noinline
func sampleStats(kind string, out chan<- statSample, stop <-chan struct{}) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			select {
			case out <- statSample{kind, atomic.AddInt64(&sampleCounter, 1)}:
			case <-t.C: // nobody reads: skip this sample
			case <-stop:
				return
			}
		case <-stop:
			return
		}
	}
}
