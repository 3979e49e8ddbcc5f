package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A fake container: no process, just a state machine and a log that its Cmd
// writes to. Commands:
//
//	silent          writes nothing, runs until stopped
//	echo WORDS...   writes one line "WORDS..." and then runs silently
//	tick [DUR]      writes "tick N" every DUR (default 1s)
//	sleep DUR       runs for DUR, then exits 0
//	exit [CODE]     exits at once with CODE (default 0)
//	crash           writes a panic line and exits 2
//	anything else   writes "...: command not found" and exits 127
type Container struct {
	ID      string
	Name    string
	Cmd     []string
	Created time.Time

	mu         sync.Mutex
	status     string // created, running, exited
	exitCode   int
	started    time.Time
	finished   time.Time
	lastHealth time.Time
	lines      []string      // log lines still kept
	first      int           // index of lines[0] in the whole log
	changed    chan struct{} // closed and replaced on every new line or state change
	stopTick   chan struct{} // closed to end the tick goroutine
	timer      *time.Timer   // ends a sleep command
}

// keep at most this many log lines per container so a long tick run stays small.
const maxLogLines = 10000

var errNotFound = errors.New("no such container")

func validateCmd(cmd []string) error {
	if len(cmd) == 0 {
		return errors.New("no command specified")
	}
	switch cmd[0] {
	case "tick", "sleep":
		if len(cmd) > 1 {
			if d, err := time.ParseDuration(cmd[1]); err != nil || d <= 0 {
				return fmt.Errorf("%s: invalid duration %q", cmd[0], cmd[1])
			}
		} else if cmd[0] == "sleep" {
			return errors.New("sleep: missing duration")
		}
	case "exit":
		if len(cmd) > 1 {
			if _, err := strconv.Atoi(cmd[1]); err != nil {
				return fmt.Errorf("exit: invalid code %q", cmd[1])
			}
		}
	}
	return nil
}

// start runs the command. Only tick needs a goroutine; silent and echo
// containers cost nothing, so they add no goroutines to a dump.
func (c *Container) start() {
	c.status, c.started, c.exitCode = "running", time.Now(), 0
	c.finished = time.Time{}
	c.notifyLocked()
	switch c.Cmd[0] {
	case "silent":
	case "echo":
		c.appendLocked(strings.Join(c.Cmd[1:], " "))
	case "tick":
		every := time.Second
		if len(c.Cmd) > 1 {
			every, _ = time.ParseDuration(c.Cmd[1])
		}
		c.stopTick = make(chan struct{})
		go c.tick(every, c.stopTick)
	case "sleep":
		d, _ := time.ParseDuration(c.Cmd[1])
		c.timer = time.AfterFunc(d, func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			if c.status == "running" {
				c.exitLocked(0)
			}
		})
	case "exit":
		code := 0
		if len(c.Cmd) > 1 {
			code, _ = strconv.Atoi(c.Cmd[1])
		}
		c.exitLocked(code)
	case "crash":
		c.appendLocked("panic: crash requested")
		c.exitLocked(2)
	default:
		c.appendLocked(c.Cmd[0] + ": command not found")
		c.exitLocked(127)
	}
}

func (c *Container) tick(every time.Duration, stop chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case <-t.C:
			c.mu.Lock()
			c.appendLocked("tick " + strconv.Itoa(n))
			c.mu.Unlock()
		case <-stop:
			return
		}
	}
}

// exitLocked moves a running container to exited and ends whatever its
// command runs; followers see the state change and finish their stream.
func (c *Container) exitLocked(code int) {
	if c.stopTick != nil {
		close(c.stopTick)
		c.stopTick = nil
	}
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	c.status, c.exitCode, c.finished = "exited", code, time.Now()
	c.notifyLocked()
}

func (c *Container) appendLocked(line string) {
	c.lines = append(c.lines, line)
	if len(c.lines) > maxLogLines {
		drop := len(c.lines) - maxLogLines
		c.lines = append([]string(nil), c.lines[drop:]...)
		c.first += drop
	}
	c.notifyLocked()
}

func (c *Container) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// logsSince returns the log lines from index next on, the index after them,
// whether more may come, and a channel closed when something changes.
func (c *Container) logsSince(next int) (lines []string, after int, running bool, changed <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if next < c.first {
		next = c.first
	}
	lines = append(lines, c.lines[next-c.first:]...)
	return lines, c.first + len(c.lines), c.status == "running", c.changed
}

// logLen is the index one past the last line logged so far.
func (c *Container) logLen() (first, end int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.first, c.first + len(c.lines)
}

// Store holds every container of the daemon.
type Store struct {
	mu         sync.Mutex
	containers map[string]*Container
	onEvent    func(string) // what happened to a container, for GET /events; may be nil
}

func (s *Store) event(what string, c *Container) {
	if s.onEvent != nil {
		s.onEvent(what + " " + c.ID[:12])
	}
}

func newStore() *Store { return &Store{containers: map[string]*Container{}} }

func (s *Store) create(name string, cmd []string) (*Container, error) {
	if err := validateCmd(cmd); err != nil {
		return nil, err
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	id := hex.EncodeToString(b[:])
	if name == "" {
		name = "c" + id[:12]
	}
	c := &Container{ID: id, Name: name, Cmd: cmd, Created: time.Now(), status: "created", changed: make(chan struct{})}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.containers {
		if o.Name == name {
			return nil, fmt.Errorf("%w: name %q is already in use", errConflict, name)
		}
	}
	s.containers[id] = c
	s.event("create", c) // the broker never calls back into the store, so s.mu may be held
	return c, nil
}

var errConflict = errors.New("conflict")

// get finds a container by full id, unique id prefix or name, as Docker does.
func (s *Store) get(ref string) (*Container, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.containers[ref]; ok {
		return c, nil
	}
	var found *Container
	for id, c := range s.containers {
		if c.Name == ref || (ref != "" && strings.HasPrefix(id, ref)) {
			if found != nil {
				return nil, fmt.Errorf("%w: %q matches more than one container", errNotFound, ref)
			}
			found = c
		}
	}
	if found == nil {
		return nil, fmt.Errorf("%w: %s", errNotFound, ref)
	}
	return found, nil
}

// startContainer reports false if the container was already running.
func (s *Store) startContainer(c *Container) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.status == "running" {
		return false
	}
	c.start()
	s.event("start", c)
	return true
}

func (s *Store) stopContainer(c *Container) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.status == "running" {
		c.exitLocked(143) // 128+SIGTERM, what a stopped process reports
	}
}

// remove deletes a container; a running one only when force is set.
func (s *Store) remove(c *Container, force bool) error {
	c.mu.Lock()
	if c.status == "running" {
		if !force {
			c.mu.Unlock()
			return fmt.Errorf("%w: container %s is running: stop it first or use force", errConflict, c.ID[:12])
		}
		c.exitLocked(137) // 128+SIGKILL
	}
	c.mu.Unlock()
	s.mu.Lock()
	delete(s.containers, c.ID)
	s.mu.Unlock()
	s.event("destroy", c)
	return nil
}

func (s *Store) list(all bool) []*Container {
	s.mu.Lock()
	out := make([]*Container, 0, len(s.containers))
	for _, c := range s.containers {
		out = append(out, c)
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	if all {
		return out
	}
	running := out[:0]
	for _, c := range out {
		if c.isRunning() {
			running = append(running, c)
		}
	}
	return running
}

func (c *Container) isRunning() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status == "running"
}

// healthCheck stamps every running container; it gives the monitor real work.
func (s *Store) healthCheck(now time.Time) {
	for _, c := range s.list(false) {
		c.mu.Lock()
		c.lastHealth = now
		c.mu.Unlock()
	}
}
