package main

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"sync"
)

// parker holds what the parked goroutines block on. Nothing ever releases
// them: the program dumps itself and exits (or serves until killed).
type parker struct {
	ready sync.WaitGroup // each goroutine calls parked right before it blocks

	never     chan int       // only ever received from: chan receive
	never2    chan string    // a second receive-only channel, for selects
	sink      chan int       // only ever sent to: chan send
	mu        sync.Mutex     // held by main: Lock blocks
	pending   sync.WaitGroup // Add(1), never Done: Wait blocks
	cond      *sync.Cond     // nobody signals
	pipeMu    sync.Mutex
	pipes     []*os.File        // both ends kept alive so reads never see EOF
	fdBudget  int               // pipes we may still open for IO-wait goroutines
	relayNext chan relayRequest // the newest relay goroutine listens here

	// records[i] describes goroutine i when the run writes -manifest-json;
	// nil otherwise (a 500,000-goroutine benchmark dump pays nothing).
	records []record
}

// alive keeps the parker reachable from a global, so Go 1.26+'s leak
// detector never proves a goroutine that waits on one of its channels or
// locks leaked: only the kinds marked leaked (blocked on nothing, or on a
// channel no one else holds) are.
var alive *parker

func newParker(fdBudget int, n int, withRecords bool) *parker {
	p := &parker{
		never:    make(chan int),
		never2:   make(chan string),
		sink:     make(chan int),
		cond:     sync.NewCond(&sync.Mutex{}),
		fdBudget: fdBudget,
	}
	if withRecords {
		p.records = make([]record, n)
	}
	p.mu.Lock()
	p.pending.Add(1)
	alive = p
	return p
}

// record is what goroutine i says about itself, and what its creator said
// about its birth: the truth a parsed dump is checked against.
type record struct {
	id        int64
	kind      int         // index into kinds
	fn        string      // the function it blocks in, as the runtime names it
	labels    [][2]string // its pprof labels, sorted by key
	createdBy string      // the function that ran the go statement
	parent    int64       // the goroutine that ran it
}

// born is called by a creator right before its go statement for goroutine
// i: the creator's function (skip frames up) and goroutine id.
func (p *parker) born(i int, skip int) {
	if p.records == nil {
		return
	}
	p.records[i].createdBy = funcName(skip + 1)
	p.records[i].parent = goid()
}

// parked is called by goroutine i right before it blocks (ctx: the one its
// pprof labels came with, or nil). It marks it ready for the dump.
func (p *parker) parked(i int, ctx context.Context) {
	if p.records != nil {
		r := &p.records[i]
		r.id = goid()
		r.fn = funcName(1)
		if ctx != nil {
			pprof.ForLabels(ctx, func(k, v string) bool {
				r.labels = append(r.labels, [2]string{k, v})
				return true
			})
			sort.Slice(r.labels, func(a, b int) bool { return r.labels[a][0] < r.labels[b][0] })
		}
	}
	p.ready.Done()
}

// goid is the calling goroutine's id, from the first line of its own stack:
// "goroutine 18 [running]:".
func goid() int64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	const prefix = "goroutine "
	if len(b) < len(prefix) {
		return -1
	}
	b = b[len(prefix):]
	end := 0
	for end < len(b) && b[end] >= '0' && b[end] <= '9' {
		end++
	}
	id, err := strconv.ParseInt(string(b[:end]), 10, 64)
	if err != nil {
		return -1
	}
	return id
}

// funcName is the name of the function skip frames above funcName's caller
// ("main.(*connPool).get", "main.waitFor[...]", "main.spawnClosure.func1").
func funcName(skip int) string {
	pc, _, _, ok := runtime.Caller(skip + 1)
	if !ok {
		return ""
	}
	f := runtime.FuncForPC(pc)
	if f == nil {
		return ""
	}
	return f.Name()
}
