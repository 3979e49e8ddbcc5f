package main

import (
	"fmt"
	"net"
	"os"
	"runtime/pprof"
)

// A gops-compatible agent (github.com/google/gops's wire protocol, which cannot be
// fetched here): a client connects, sends one byte naming the request, and reads the
// answer until the agent closes the connection. Only 0x1, the stack dump, is served;
// it is the goroutine profile at debug=2, as the real agent writes it.
const gopsStackTrace = 0x1

func startGopsAgent(addr string) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		fatal(err)
	}
	fmt.Fprintf(os.Stderr, "minipouchd gops agent on %s\n", l.Addr())
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go serveGops(conn)
		}
	}()
}

func serveGops(conn net.Conn) {
	defer conn.Close()
	var sig [1]byte
	if _, err := conn.Read(sig[:]); err != nil {
		return
	}
	if sig[0] == gopsStackTrace {
		pprof.Lookup("goroutine").WriteTo(conn, 2)
	}
}
