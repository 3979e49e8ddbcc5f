package main

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// GET /events: a stream of the daemon's events (container created, started,
// removed), one JSON line each, until the client hangs up. Each subscriber gets
// a pump goroutine (main.(*Broker).pump) that forwards the broker's events to
// its channel.
//
// The bug (--leaky): unsubscribing removes the subscriber from the broker's
// list by the index it had when it subscribed; once an earlier one has left,
// that index points past it, and every second departing subscriber is never
// removed. Its pump goes on forwarding into a channel nobody reads: one
// goroutine left behind every second request.

type Broker struct {
	mu   sync.Mutex
	subs []*subscriber
	seq  int
}

type subscriber struct {
	index int
	in    chan string // from the broker
	out   chan string // to the handler
	stop  chan struct{}
}

func newBroker() *Broker { return &Broker{} }

func (b *Broker) publish(event string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs {
		select {
		case s.in <- event:
		default: // a slow subscriber misses events rather than stall the daemon
		}
	}
}

func (b *Broker) subscribe() *subscriber {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := &subscriber{index: len(b.subs), in: make(chan string, 16), out: make(chan string), stop: make(chan struct{})}
	b.subs = append(b.subs, s)
	go b.pump(s)
	return s
}

func (b *Broker) unsubscribe(s *subscriber, leaky bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if leaky {
		b.seq++
		// BUG: removes by a stale index, and only every second time finds it there.
		if b.seq%2 == 1 && s.index < len(b.subs) && b.subs[s.index] == s {
			b.subs = append(b.subs[:s.index], b.subs[s.index+1:]...)
			close(s.stop)
		}
		return
	}
	for i, x := range b.subs {
		if x == s {
			b.subs = append(b.subs[:i], b.subs[i+1:]...)
			break
		}
	}
	close(s.stop)
}

// pump forwards the broker's events to one subscriber until it unsubscribes.
//
//go:noinline
func (b *Broker) pump(s *subscriber) {
	for {
		select {
		case e := <-s.in:
			select {
			case s.out <- e:
			case <-s.stop:
				return
			}
		case <-s.stop:
			return
		}
	}
}

//go:noinline
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	sub := s.broker.subscribe()
	defer s.broker.unsubscribe(sub, s.leaky)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	if flusher != nil {
		flusher.Flush()
	}
	for {
		select {
		case e := <-sub.out:
			fmt.Fprintf(w, "{\"time\":%d,\"status\":%q}\n", time.Now().Unix(), e)
			if flusher != nil {
				flusher.Flush()
			}
		case <-r.Context().Done():
			return
		}
	}
}
