package main

import (
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// GET /containers/{id}/attach/ws: a WebSocket attach (Docker has one too),
// with gorilla/websocket. Each message the client sends comes back as JSON
// {"n": N, "echo": "..."}; "bye" makes the server close first (close frame
// 1000). A keepalive goroutine pings every 100ms.
//
// The bug (--leaky): the keepalive reports a failed ping on a channel that
// nobody reads once the handler has returned, so after every client leaves,
// whichever way, it stays blocked in main.(*Server).wsKeepalive. The fixed
// channel has room for that one report.

var upgrader = websocket.Upgrader{
	Subprotocols: []string{"attach.v1"},
	CheckOrigin:  func(*http.Request) bool { return true },
}

//go:noinline
func (s *Server) attachWebSocket(w http.ResponseWriter, r *http.Request, c *Container) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered the refusal
	}
	defer conn.Close()
	room := 1
	if s.leaky {
		room = 0 // BUG: nobody receives the keepalive's error after the handler returns
	}
	failed := make(chan error, room)
	go s.wsKeepalive(conn, failed)
	for n := 1; ; n++ {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if string(msg) == "bye" {
			conn.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), time.Now().Add(time.Second))
			return
		}
		conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if err := conn.WriteJSON(map[string]interface{}{"n": n, "echo": string(msg)}); err != nil {
			return
		}
	}
}

//go:noinline
func (s *Server) wsKeepalive(conn *websocket.Conn, failed chan<- error) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for range t.C {
		if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second)); err != nil {
			failed <- err
			return
		}
	}
}
