// Command minipouchd is a tiny stand-in for a container daemon (Docker /
// PouchContainer API subset). It exists so leakprobe has a real Go server to
// find real goroutine leaks in: with --leaky its logs-follow handler has the
// bug PouchContainer once had (it ignores the client hanging up), and its exec
// handler leaves a helper blocked on a channel nobody reads (exec.go), a leak
// the Go runtime can prove.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

func main() {
	listen := flag.String("listen", "", "TCP address to serve on, e.g. 127.0.0.1:8080")
	unixPath := flag.String("unix", "", "unix socket path to serve on (a stale socket file is removed first)")
	leaky := flag.Bool("leaky", false, "switch on the planted goroutine leaks (logs follow, exec, stats, events, export, stop)")
	monitor := flag.Bool("monitor", true, "run the daemon-wide background worker (*Monitor).loop")
	flag.Parse()
	if flag.NArg() > 0 || (*listen == "" && *unixPath == "") {
		fmt.Fprintln(os.Stderr, "usage: minipouchd [--listen ADDR] [--unix PATH] [--leaky] [--monitor=false]")
		fmt.Fprintln(os.Stderr, "       at least one of --listen and --unix is required")
		os.Exit(2)
	}
	misbehaveAtStart()

	var listeners []net.Listener
	if *listen != "" {
		l, err := net.Listen("tcp", *listen)
		if err != nil {
			fatal(err)
		}
		listeners = append(listeners, l)
	}
	if *unixPath != "" {
		l, err := listenUnix(*unixPath)
		if err != nil {
			fatal(err)
		}
		listeners = append(listeners, l)
	}

	store := newStore()
	var mon *Monitor
	if *monitor {
		mon = startMonitor(store, time.Second)
	}
	srv := &http.Server{Handler: misbehaving(newServer(store, *leaky)), ConnContext: withConn}

	var serving sync.WaitGroup
	for _, l := range listeners {
		// Printed only once the socket is bound, so a harness that waits for this
		// line (or polls /_ping) never races the bind.
		fmt.Fprintf(os.Stderr, "minipouchd listening on %s\n", describe(l))
		serving.Add(1)
		go func(l net.Listener) {
			defer serving.Done()
			if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				fatal(err)
			}
		}(l)
	}

	if *tlsListen != "" {
		// HTTPS for clients that must cope with a self-signed test server.
		l, err := net.Listen("tcp", *tlsListen)
		if err != nil {
			fatal(err)
		}
		fmt.Fprintf(os.Stderr, "minipouchd listening on https://%s\n", l.Addr())
		serving.Add(1)
		go func() {
			defer serving.Done()
			if err := srv.ServeTLS(l, *tlsCert, *tlsKey); err != nil && !errors.Is(err, http.ErrServerClosed) {
				fatal(err)
			}
		}()
	}

	sigs := make(chan os.Signal, 1)
	if *ignoreTerm {
		signal.Notify(sigs, syscall.SIGINT)
	} else {
		signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	}
	<-sigs

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		// Streams still open after the grace period (a follower, /hang): cut them.
		srv.Close()
	}
	serving.Wait()
	if mon != nil {
		mon.Stop()
	}
	os.Exit(0)
}

// listenUnix binds a unix socket, first removing a socket file left behind by
// a previous run that was killed (the bind would fail with EADDRINUSE).
func listenUnix(path string) (net.Listener, error) {
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("%s exists and is not a socket", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, err
		}
	}
	return net.Listen("unix", path)
}

func describe(l net.Listener) string {
	if l.Addr().Network() == "unix" {
		return "unix:" + l.Addr().String()
	}
	return l.Addr().String()
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "minipouchd: %v\n", err)
	os.Exit(1)
}
