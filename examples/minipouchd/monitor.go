package main

import "time"

// Monitor is a daemon-wide background worker, alive for the life of the
// process. It is deliberately not a leak: scenarios list
// main.(*Monitor).loop in their ignore list to show how ignores work.
type Monitor struct {
	store *Store
	every time.Duration
	stop  chan struct{}
	done  chan struct{}
}

func startMonitor(store *Store, every time.Duration) *Monitor {
	m := &Monitor{store: store, every: every, stop: make(chan struct{}), done: make(chan struct{})}
	go m.loop()
	return m
}

// loop blocks in its own select so that main.(*Monitor).loop is the first
// non-runtime frame of its goroutine in a dump.
//
//go:noinline
func (m *Monitor) loop() {
	defer close(m.done)
	t := time.NewTicker(m.every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			m.store.healthCheck(time.Now())
		case <-m.stop:
			return
		}
	}
}

// Stop ends the loop and waits for it.
func (m *Monitor) Stop() {
	close(m.stop)
	<-m.done
}
