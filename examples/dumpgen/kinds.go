package main

import (
	"context"
	"os"
	"runtime/pprof"
	"strconv"
	"time"
)

// Each kind is the body of one parked goroutine. It must call p.ready.Done()
// exactly once, right before it blocks. Functions are //go:noinline so every
// frame shows up in a dump as written here.

type kind struct {
	name   string
	weight int // slots in the round-robin table: how common the kind is
	// run is the goroutine's body, started by main.spawnAll; kinds that must
	// create their goroutine themselves set start instead (called on main).
	run   func(p *parker, i int)
	start func(p *parker, i int)
}

// kinds is tuned so a dump looks like a busy server's: mostly shallow
// waits, a share of 4-frame request stacks, rare deep stacks (~365 bytes of
// debug=2 text per goroutine on average, ~36 MB for -n 100000).
var kinds = []kind{
	{name: "request (chan receive, 4 frames)", weight: 20, run: serveRequest},
	{name: "chan send", weight: 8, run: publish},
	{name: "select", weight: 16, run: eventLoop},
	{name: "select (no cases)", weight: 4, run: parkForever},
	{name: "sync.Mutex.Lock", weight: 4, run: refreshCache},
	{name: "sync.WaitGroup.Wait", weight: 4, run: waitAll},
	{name: "sync.Cond.Wait", weight: 4, run: popQueue},
	{name: "sleep", weight: 14, run: backoff},
	{name: "IO wait (pipe read)", weight: 3, run: readPipe},
	{name: "nil chan receive", weight: 6, run: nilRecv},
	{name: "nil chan send", weight: 6, run: nilSend},
	{name: "pprof labels", weight: 4, run: labeled},
	{name: "generic F[...]", weight: 6, run: generic},
	{name: "closure func1 (go func(){...}())", weight: 8, start: spawnClosure},
	{name: "created by another goroutine", weight: 4, start: startRelay},
	{name: "deep recursion (150)", weight: 1, run: deep},
}

// schedule expands the weights: goroutine i runs kinds[schedule[i%len]].
// Rare kinds are spread out instead of bunched together.
func schedule() []int {
	var s []int
	for round := 0; ; round++ {
		added := false
		for k, kd := range kinds {
			if round < kd.weight {
				s = append(s, k)
				added = true
			}
		}
		if !added {
			return s
		}
	}
}

//go:noinline
func serveRequest(p *parker, i int) { (&apiServer{p: p}).handle(i) }

// A request handler three calls deep, like net/http handler -> service ->
// pool, all methods on pointer receivers.
type apiServer struct{ p *parker }
type service struct{ p *parker }
type connPool struct{ p *parker }

//go:noinline
func (s *apiServer) handle(i int) { (&service{p: s.p}).lookup("key-" + strconv.Itoa(i%97)) }

//go:noinline
func (s *service) lookup(key string) { (&connPool{p: s.p}).get(len(key)) }

//go:noinline
func (c *connPool) get(n int) int {
	c.p.ready.Done()
	return <-c.p.never + n
}

type producer struct{ p *parker }

//go:noinline
func publish(p *parker, i int) { (&producer{p: p}).publish(i) }

//go:noinline
func (pr *producer) publish(i int) {
	pr.p.ready.Done()
	pr.p.sink <- i
}

//go:noinline
func eventLoop(p *parker, i int) {
	p.ready.Done()
	select {
	case <-p.never:
	case <-p.never2:
	}
}

//go:noinline
func parkForever(p *parker, i int) {
	p.ready.Done()
	select {}
}

type cache struct{ p *parker }

//go:noinline
func refreshCache(p *parker, i int) { (&cache{p: p}).refresh() }

//go:noinline
func (c *cache) refresh() {
	c.p.ready.Done()
	c.p.mu.Lock()
}

//go:noinline
func waitAll(p *parker, i int) {
	p.ready.Done()
	p.pending.Wait()
}

type queue struct{ p *parker }

//go:noinline
func popQueue(p *parker, i int) { (&queue{p: p}).pop() }

//go:noinline
func (q *queue) pop() {
	q.p.cond.L.Lock()
	q.p.ready.Done()
	q.p.cond.Wait() // unlocks L while waiting, so the next popper gets in
}

//go:noinline
func backoff(p *parker, i int) {
	p.ready.Done()
	time.Sleep(1000 * time.Hour)
}

// readPipe blocks in the netpoller on its own pipe. Each needs two file
// descriptors, so past the budget it falls back to a plain channel wait.
//
//go:noinline
func readPipe(p *parker, i int) {
	r := p.openPipe()
	if r == nil {
		(&connPool{p: p}).get(i)
		return
	}
	var b [1]byte
	p.ready.Done()
	r.Read(b[:])
}

// openPipe returns the read end of a new pipe, or nil past the budget.
func (p *parker) openPipe() *os.File {
	p.pipeMu.Lock()
	defer p.pipeMu.Unlock()
	if p.fdBudget < 2 {
		return nil
	}
	r, w, err := os.Pipe()
	if err != nil {
		p.fdBudget = 0
		return nil
	}
	p.fdBudget -= 2
	p.pipes = append(p.pipes, r, w)
	return r
}

//go:noinline
func nilRecv(p *parker, i int) {
	var c chan int
	p.ready.Done()
	<-c
}

//go:noinline
func nilSend(p *parker, i int) {
	var c chan int
	p.ready.Done()
	c <- i
}

// labeled parks inside pprof.Do, so debug=1 shows a "# labels:" line.
//
//go:noinline
func labeled(p *parker, i int) {
	labels := pprof.Labels("component", "worker", "shard", strconv.Itoa(i%4))
	pprof.Do(context.Background(), labels, func(ctx context.Context) {
		p.ready.Done()
		<-p.never
	})
}

//go:noinline
func generic(p *parker, i int) {
	if i%2 == 0 {
		waitFor[int](p, p.never)
	} else {
		waitFor[string](p, p.never2)
	}
}

// waitFor shows as main.waitFor[...] in a traceback.
//
//go:noinline
func waitFor[T any](p *parker, c <-chan T) T {
	p.ready.Done()
	return <-c
}

// spawnClosure starts the most common goroutine shape, go func() {...}():
// its frame is main.spawnClosure.func1, created by main.spawnClosure.
//
//go:noinline
func spawnClosure(p *parker, i int) {
	go func() {
		p.ready.Done()
		<-p.never
	}()
}

//go:noinline
func deep(p *parker, i int) { recurse(p, 150) }

//go:noinline
func recurse(p *parker, depth int) int {
	if depth == 0 {
		p.ready.Done()
		return <-p.never
	}
	return recurse(p, depth-1) + 1
}
