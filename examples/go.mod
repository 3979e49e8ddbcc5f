module leakprobe/examples

go 1.19

// Debian's golang-github-gorilla-websocket-dev; no module proxy is ever asked.
require github.com/gorilla/websocket v1.5.0

replace github.com/gorilla/websocket => /usr/share/gocode/src/github.com/gorilla/websocket
