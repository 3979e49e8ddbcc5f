package main

import (
	"bufio"
	"encoding/binary"
	"net"
	"net/http"
	"strings"
)

// POST /containers/{id}/attach?stream=1&stdin=1&stdout=1, upgraded with
// "Connection: Upgrade" and "Upgrade: tcp" as Docker's attach is: the handler
// hijacks the connection and it becomes a raw duplex stream. What the client
// types comes back as the container's output ("you typed: ..."), with the
// container's new log lines, each in Docker's 8-byte stdout frame
// (Content-Type: application/vnd.docker.multiplexed-stream). Without the
// Upgrade header it answers 200 and hijacks anyway, as Docker does.
//
// The bug (--leaky), moby/moby#37182: once the handler has hijacked the
// connection, net/http no longer watches it, so nothing tells the handler its
// client left except its own stdin reader. The leaky handler waits only for
// output: on a silent container none ever comes, so it and its connection's fd
// stay for ever, one per client, blocked in main.(*Server).attachContainer.
// The fixed handler also waits for the stdin reader to see the end.

// hijack takes the connection over and writes the upgrade answer.
func hijack(w http.ResponseWriter, r *http.Request, contentType string) (net.Conn, *bufio.ReadWriter, bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		writeError(w, http.StatusInternalServerError, "cannot hijack")
		return nil, nil, false
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		return nil, nil, false
	}
	head := "HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\n\r\n"
	if strings.EqualFold(r.Header.Get("Upgrade"), "tcp") {
		head = "HTTP/1.1 101 UPGRADED\r\nContent-Type: " + contentType +
			"\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
	}
	if _, err := rw.WriteString(head); err != nil || rw.Flush() != nil {
		conn.Close()
		return nil, nil, false
	}
	return conn, rw, true
}

// stdoutFrame is Docker's multiplexed-stream header for stdout, then the bytes.
func stdoutFrame(text string) []byte {
	frame := make([]byte, 8, 8+len(text))
	frame[0] = 1
	binary.BigEndian.PutUint32(frame[4:], uint32(len(text)))
	return append(frame, text...)
}

// readLines sends each line the client writes on `lines` until the client's
// side ends (EOF, reset) or `stop` is closed, then closes `gone`.
func readLines(rd *bufio.Reader, lines chan<- string, stop <-chan struct{}, gone chan<- struct{}) {
	defer close(gone)
	for {
		line, err := rd.ReadString('\n')
		if line != "" {
			select {
			case lines <- strings.TrimRight(line, "\r\n"):
			case <-stop:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

//go:noinline
func (s *Server) attachContainer(w http.ResponseWriter, r *http.Request, c *Container) {
	conn, rw, ok := hijack(w, r, "application/vnd.docker.multiplexed-stream")
	if !ok {
		return
	}
	lines := make(chan string)
	stop := make(chan struct{})
	gone := make(chan struct{})
	defer close(stop)
	go readLines(rw.Reader, lines, stop, gone)
	stdinEnded := (<-chan struct{})(gone)
	if s.leaky {
		stdinEnded = nil // BUG: a hijacked handler must watch for its client leaving itself
	}
	_, next := c.logLen()
	for {
		logged, after, _, changed := c.logsSince(next)
		next = after
		for _, l := range logged {
			if _, err := conn.Write(stdoutFrame(l + "\n")); err != nil {
				conn.Close()
				return
			}
		}
		select {
		case line := <-lines:
			if _, err := conn.Write(stdoutFrame("you typed: " + line + "\n")); err != nil {
				conn.Close()
				return
			}
		case <-changed:
		case <-stdinEnded:
			conn.Close()
			return
		}
	}
}
