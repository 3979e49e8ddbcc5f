package main

import (
	"encoding/json"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
)

// The -manifest-json file: every goroutine dumpgen parked, as the program
// itself knows it (its id from runtime.Stack's first line, its labels from
// pprof.ForLabels, its creator from runtime.Caller in the function that ran
// the go statement), for a test to check a parsed dump against exactly.
type truthFile struct {
	GoVersion string `json:"go_version"` // runtime.Version()
	// LeakProfile: the runtime has the goroutineleak profile (Go 1.26+).
	LeakProfile bool         `json:"leak_profile"`
	Main        truthMain    `json:"main"`
	Goroutines  []truthEntry `json:"goroutines"` // in the order they were started
}

type truthMain struct {
	ID   int64  `json:"id"`
	Func string `json:"func"`
}

type truthEntry struct {
	ID    int64  `json:"id"`
	Kind  string `json:"kind"`
	State string `json:"state"` // as this runtime prints it: "chan receive"
	Func  string `json:"func"`  // the function it blocks in
	// Labels: [key, value] pairs sorted by key; empty for none.
	Labels    [][2]string `json:"labels"`
	CreatedBy string      `json:"created_by"`
	Parent    int64       `json:"parent"` // the goroutine that ran the go statement
	// Leaked: the runtime's leak detector must prove it leaked, where the
	// runtime has one (leak_profile).
	Leaked bool `json:"leaked"`
}

func truthJSON(p *parker, mainID int64) ([]byte, error) {
	t := truthFile{
		GoVersion:   runtime.Version(),
		LeakProfile: pprof.Lookup("goroutineleak") != nil,
		Main:        truthMain{ID: mainID, Func: "main.main"},
		Goroutines:  []truthEntry{},
	}
	for _, r := range p.records {
		k := kinds[r.kind]
		labels := r.labels
		if labels == nil {
			labels = [][2]string{}
		}
		t.Goroutines = append(t.Goroutines, truthEntry{
			ID: r.id, Kind: k.name, State: stateOn(k.state), Func: r.fn, Labels: labels,
			CreatedBy: r.createdBy, Parent: r.parent, Leaked: k.leaked,
		})
	}
	return json.MarshalIndent(t, "", "  ")
}

// stateOn is how this runtime names a wait: the sync waits were all
// "semacquire" until Go 1.20 named Mutex.Lock and Go 1.24 WaitGroup.Wait.
func stateOn(state string) string {
	switch {
	case state == "sync.Mutex.Lock" && goMinor() < 20,
		state == "sync.WaitGroup.Wait" && goMinor() < 24:
		return "semacquire"
	}
	return state
}

// goMinor is 19 for "go1.19.8"; a large number for a development build.
func goMinor() int {
	v := runtime.Version()
	if !strings.HasPrefix(v, "go1.") {
		return 1 << 30
	}
	v = v[len("go1."):]
	if dot := strings.IndexAny(v, ".rcbeta"); dot >= 0 {
		v = v[:dot]
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 1 << 30
	}
	return n
}
