package main

import (
	"context"
	"os"
	"runtime/pprof"
	"strconv"
	"time"
)

// Each kind is the body of one parked goroutine i. It must call p.parked(i, ...)
// exactly once, right before it blocks. Functions are //go:noinline so every
// frame shows up in a dump as written here.

type kind struct {
	name   string
	weight int // slots in the round-robin table: how common the kind is
	// state is what a traceback shows it waiting in (as Go 1.24+ names it; see
	// stateOn for older ones); leaked says Go 1.26+'s leak detector proves
	// it can never wake: it waits on nothing, or on a channel only it holds.
	state  string
	leaked bool
	// run is the goroutine's body, started by main.spawnAll; kinds that must
	// create their goroutine themselves set start instead (called on main).
	run   func(p *parker, i int)
	start func(p *parker, i int)
}

// kinds is tuned so a dump looks like a busy server's: mostly shallow
// waits, a share of 4-frame request stacks, rare deep stacks (~365 bytes of
// debug=2 text per goroutine on average, ~36 MB for -n 100000). Every kind
// appears once in the first len(kinds) goroutines (see schedule).
var kinds = []kind{
	{name: "request (chan receive, 4 frames)", weight: 20, run: serveRequest, state: "chan receive"},
	{name: "chan send", weight: 8, run: publish, state: "chan send"},
	{name: "select", weight: 16, run: eventLoop, state: "select"},
	{name: "select (no cases)", weight: 4, run: parkForever, state: "select (no cases)", leaked: true},
	{name: "sync.Mutex.Lock", weight: 4, run: refreshCache, state: "sync.Mutex.Lock"},
	{name: "sync.WaitGroup.Wait", weight: 4, run: waitAll, state: "sync.WaitGroup.Wait"},
	{name: "sync.Cond.Wait", weight: 4, run: popQueue, state: "sync.Cond.Wait"},
	{name: "sleep", weight: 14, run: backoff, state: "sleep"},
	{name: "IO wait (pipe read)", weight: 3, run: readPipe, state: "IO wait"},
	{name: "nil chan receive", weight: 6, run: nilRecv, state: "chan receive (nil chan)", leaked: true},
	{name: "nil chan send", weight: 6, run: nilSend, state: "chan send (nil chan)", leaked: true},
	{name: "pprof labels", weight: 4, run: labeled, state: "chan receive"},
	{name: "generic F[...]", weight: 6, run: generic, state: "chan receive"},
	{name: "closure func1 (go func(){...}())", weight: 8, start: spawnClosure, state: "chan receive"},
	{name: "created by another goroutine", weight: 4, start: startRelay, state: "chan receive"},
	{name: "deep recursion (150)", weight: 1, run: deep, state: "chan receive"},
	{name: "chan send (orphan channel, leaked)", weight: 2, run: orphanSend, state: "chan send", leaked: true},
	{name: "pprof labels (quoted values), leaked", weight: 2, run: tenantOrphan, state: "chan send", leaked: true},
	{name: "pprof labels inherited from the creator", weight: 2, start: startInherited, state: "chan receive"},
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
func serveRequest(p *parker, i int) { (&apiServer{p: p, i: i}).handle() }

// A request handler three calls deep, like net/http handler -> service ->
// pool, all methods on pointer receivers.
type apiServer struct {
	p *parker
	i int
}
type service struct {
	p *parker
	i int
}
type connPool struct {
	p *parker
	i int
}

//go:noinline
func (s *apiServer) handle() { (&service{p: s.p, i: s.i}).lookup("key-" + strconv.Itoa(s.i%97)) }

//go:noinline
func (s *service) lookup(key string) { (&connPool{p: s.p, i: s.i}).get(len(key)) }

//go:noinline
func (c *connPool) get(n int) int {
	c.p.parked(c.i, nil)
	return <-c.p.never + n
}

type producer struct{ p *parker }

//go:noinline
func publish(p *parker, i int) { (&producer{p: p}).publish(i) }

//go:noinline
func (pr *producer) publish(i int) {
	pr.p.parked(i, nil)
	pr.p.sink <- i
}

//go:noinline
func eventLoop(p *parker, i int) {
	p.parked(i, nil)
	select {
	case <-p.never:
	case <-p.never2:
	}
}

//go:noinline
func parkForever(p *parker, i int) {
	p.parked(i, nil)
	select {}
}

type cache struct{ p *parker }

//go:noinline
func refreshCache(p *parker, i int) { (&cache{p: p}).refresh(i) }

//go:noinline
func (c *cache) refresh(i int) {
	c.p.parked(i, nil)
	c.p.mu.Lock()
}

//go:noinline
func waitAll(p *parker, i int) {
	p.parked(i, nil)
	p.pending.Wait()
}

type queue struct{ p *parker }

//go:noinline
func popQueue(p *parker, i int) { (&queue{p: p}).pop(i) }

//go:noinline
func (q *queue) pop(i int) {
	q.p.cond.L.Lock()
	q.p.parked(i, nil)
	q.p.cond.Wait() // unlocks L while waiting, so the next popper gets in
}

//go:noinline
func backoff(p *parker, i int) {
	p.parked(i, nil)
	time.Sleep(1000 * time.Hour)
}

// readPipe blocks in the netpoller on its own pipe. Each needs two file
// descriptors, so past the budget it falls back to a plain channel wait
// (and its record says it is a request).
//
//go:noinline
func readPipe(p *parker, i int) {
	r := p.openPipe()
	if r == nil {
		if p.records != nil {
			p.records[i].kind = 0
		}
		(&connPool{p: p, i: i}).get(i)
		return
	}
	var b [1]byte
	p.parked(i, nil)
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
	p.parked(i, nil)
	<-c
}

//go:noinline
func nilSend(p *parker, i int) {
	var c chan int
	p.parked(i, nil)
	c <- i
}

// labeled parks inside pprof.Do, so debug=1 shows a "# labels:" line (and
// Go 1.27, for a module that says go 1.27, the traceback header).
//
//go:noinline
func labeled(p *parker, i int) {
	labels := pprof.Labels("component", "worker", "shard", strconv.Itoa(i%4))
	pprof.Do(context.Background(), labels, func(ctx context.Context) {
		p.parked(i, ctx)
		<-p.never
	})
}

//go:noinline
func generic(p *parker, i int) {
	if i%2 == 0 {
		waitFor[int](p, i, p.never)
	} else {
		waitFor[string](p, i, p.never2)
	}
}

// waitFor shows as main.waitFor[...] in a traceback.
//
//go:noinline
func waitFor[T any](p *parker, i int, c <-chan T) T {
	p.parked(i, nil)
	return <-c
}

// spawnClosure starts the most common goroutine shape, go func() {...}():
// its frame is main.spawnClosure.func1, created by main.spawnClosure.
//
//go:noinline
func spawnClosure(p *parker, i int) {
	p.born(i, 0)
	go func() {
		p.parked(i, nil)
		<-p.never
	}()
}

//go:noinline
func deep(p *parker, i int) { recurse(p, i, 150) }

//go:noinline
func recurse(p *parker, i int, depth int) int {
	if depth == 0 {
		p.parked(i, nil)
		return <-p.never
	}
	return recurse(p, i, depth-1) + 1
}

// orphanSend sends on a channel that only its own stack refers to: nothing
// can ever receive, and Go 1.26+'s leak detector proves it.
//
//go:noinline
func orphanSend(p *parker, i int) {
	c := make(chan int)
	p.parked(i, nil)
	c <- i
}

// tenantLabels are pprof labels whose values need Go's quoting wherever they
// are printed: spaces, quotes, a comma, a colon, braces and a non-ASCII rune
// (and one value Go 1.27 prints bare).
func tenantLabels(i int) pprof.LabelSet {
	return pprof.Labels(
		"tenant", `acme "east", inc: {eu}`,
		"region", "zürich",
		"job", "ingest/v2.1_"+strconv.Itoa(i%3))
}

// tenantOrphan is a labelled goroutine that is provably leaked: what a
// suspect pattern or a label pattern must find in the leak profile.
//
//go:noinline
func tenantOrphan(p *parker, i int) {
	pprof.Do(context.Background(), tenantLabels(i), func(ctx context.Context) {
		c := make(chan string)
		p.parked(i, ctx)
		c <- "never received"
	})
}

// startInherited runs on main inside pprof.Do: the goroutine it starts
// (created by main.startInherited.func1) inherits main's labels of the
// moment, though its own code never sets any.
//
//go:noinline
func startInherited(p *parker, i int) {
	labels := pprof.Labels("component", "inherited", "request", "r "+strconv.Itoa(i))
	pprof.Do(context.Background(), labels, func(ctx context.Context) {
		p.born(i, 0)
		go inheritor(p, i, ctx)
	})
}

// inheritor's ctx is only how it learns which labels it inherited; the
// runtime copied them from its creator at the go statement.
//
//go:noinline
func inheritor(p *parker, i int, ctx context.Context) {
	p.parked(i, ctx)
	<-p.never
}
