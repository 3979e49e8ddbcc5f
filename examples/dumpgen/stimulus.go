package main

// Endpoints for -serve that give a probe something to judge (bench/probe_cost.sh):
//
//	/spawn?n=K&for=D  starts K goroutines that wait D (default 1s) and end: work in
//	                  flight, which a leak check's settle waits out
//	/leak?n=K         starts K goroutines that wait for good on a channel that stays
//	                  reachable: a leak suspects and growth find (the runtime cannot prove it)

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

var (
	leakMu  sync.Mutex
	leakers []chan struct{} // never closed: what /leak started waits on them for good
)

func init() {
	http.HandleFunc("/spawn", func(w http.ResponseWriter, r *http.Request) {
		n, ok := count(w, r)
		if !ok {
			return
		}
		d, err := time.ParseDuration(r.URL.Query().Get("for"))
		if err != nil {
			d = time.Second
		}
		for i := 0; i < n; i++ {
			go inFlight(d)
		}
		fmt.Fprintf(w, "%d goroutines for %v\n", n, d)
	})
	http.HandleFunc("/leak", func(w http.ResponseWriter, r *http.Request) {
		n, ok := count(w, r)
		if !ok {
			return
		}
		ch := make(chan struct{})
		leakMu.Lock()
		leakers = append(leakers, ch)
		leakMu.Unlock()
		for i := 0; i < n; i++ {
			go leakedWorker(ch)
		}
		fmt.Fprintf(w, "%d goroutines leaked\n", n)
	})
}

// count reads ?n= (1 to 100000); false after answering 400.
func count(w http.ResponseWriter, r *http.Request) (int, bool) {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n < 1 || n > 100000 {
		http.Error(w, "n must be 1 to 100000", http.StatusBadRequest)
		return 0, false
	}
	return n, true
}

func inFlight(d time.Duration) {
	time.Sleep(d)
}

func leakedWorker(ch chan struct{}) {
	<-ch
}
