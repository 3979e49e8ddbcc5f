package main

import (
	"crypto/sha256"
	"io"
	"net/http"
	"os"
	"time"
)

// GET /containers/{id}/changes lists what changed in the container's
// filesystem (nothing, here) and, as a layer store might, hashes the
// container's layer in the background for a cache. The hasher ends a second
// after the answer and never closes the layer file it read, so the fd
// stays open until a GC runs the *os.File's finalizer.
//
// Not a leak: nothing is kept for good. But a growth check sees goroutines and
// fds climb with the calls; the goroutines end by themselves, the fds only at
// the next GC. Run with GOGC=off, that GC comes only when somebody asks for
// one (runtime.GC, or heap?gc=1): leakprobe must, before it calls such fds a
// leak.

const layerHashTime = time.Second

func (s *Server) containerChanges(w http.ResponseWriter) {
	layer, err := os.Open(os.DevNull) // the layer: empty, as every container's is here
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	go hashLayer(layer)
	writeJSON(w, http.StatusOK, []struct{}{})
}

// hashLayer reads the layer, then takes as long as a real layer would.
//
//go:noinline
func hashLayer(layer *os.File) {
	h := sha256.New()
	io.Copy(h, layer)
	time.Sleep(layerHashTime)
	// The missing layer.Close() is the point: see containerChanges.
}
