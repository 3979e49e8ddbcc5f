package main

// Relays give a dump goroutines created by other goroutines, not by main:
// each relay waits for a request, starts the next relay, then parks. All but
// the first show "created by main.relay" (newer Go adds "in goroutine N").

// relayRequest asks the newest relay to start goroutine i, which will listen
// on next.
type relayRequest struct {
	i    int
	next chan relayRequest
}

// startRelay runs on main's goroutine and makes exactly one new goroutine.
func startRelay(p *parker, i int) {
	next := make(chan relayRequest)
	if p.relayNext == nil {
		p.born(i, 0)
		go relay(p, i, next)
	} else {
		p.relayNext <- relayRequest{i: i, next: next} // the newest relay starts relay(p, i, next)
	}
	p.relayNext = next
}

//go:noinline
func relay(p *parker, i int, requests chan relayRequest) {
	p.parked(i, nil)
	req := <-requests
	p.born(req.i, 0)
	go relay(p, req.i, req.next)
	<-p.never
}
