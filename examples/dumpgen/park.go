package main

import (
	"os"
	"sync"
)

// parker holds what the parked goroutines block on. Nothing ever releases
// them: the program dumps itself and exits (or serves until killed).
type parker struct {
	ready sync.WaitGroup // each goroutine calls Done right before it blocks

	never     chan int       // only ever received from: chan receive
	never2    chan string    // a second receive-only channel, for selects
	sink      chan int       // only ever sent to: chan send
	mu        sync.Mutex     // held by main: Lock blocks
	pending   sync.WaitGroup // Add(1), never Done: Wait blocks
	cond      *sync.Cond     // nobody signals
	pipeMu    sync.Mutex
	pipes     []*os.File // both ends kept alive so reads never see EOF
	fdBudget  int        // pipes we may still open for IO-wait goroutines
	relayNext relayChan  // the newest relay goroutine listens here
}

func newParker(fdBudget int) *parker {
	p := &parker{
		never:    make(chan int),
		never2:   make(chan string),
		sink:     make(chan int),
		cond:     sync.NewCond(&sync.Mutex{}),
		fdBudget: fdBudget,
	}
	p.mu.Lock()
	p.pending.Add(1)
	return p
}
