package main

// Relays give a dump goroutines created by other goroutines, not by main:
// each relay waits for a request, starts the next relay, then parks. All but
// the first show "created by main.relay" (newer Go adds "in goroutine N").

// relayChan carries the channel the next relay will listen on.
type relayChan chan relayChan

// startRelay runs on main's goroutine and makes exactly one new goroutine.
func startRelay(p *parker, i int) {
	next := make(relayChan)
	if p.relayNext == nil {
		go relay(p, next)
	} else {
		p.relayNext <- next // the newest relay starts relay(p, next)
	}
	p.relayNext = next
}

//go:noinline
func relay(p *parker, requests relayChan) {
	p.ready.Done()
	next := <-requests
	go relay(p, next)
	<-p.never
}
