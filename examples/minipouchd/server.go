package main

import (
	"encoding/json"
	"net/http"
	"net/http/pprof"
	"regexp"
	"strings"
)

// Server routes the API. A hand-written router (not ServeMux patterns) keeps
// the handler frames in a dump plain: main.(*Server).logsContainer is called
// directly, with no method-value wrapper in between.
type Server struct {
	store  *Store
	broker *Broker
	leaky  bool
}

func newServer(store *Store, leaky bool) *Server {
	s := &Server{store: store, broker: newBroker(), leaky: leaky}
	store.onEvent = s.broker.publish
	return s
}

const apiVersion = "1.24"

// versionPrefix matches the "/v1.24" in front of any API path.
var versionPrefix = regexp.MustCompile(`^/v[0-9]+(\.[0-9]+)*/`)

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if loc := versionPrefix.FindStringIndex(path); loc != nil {
		path = path[loc[1]-1:]
		// pprof.Index reads r.URL.Path to pick the profile, so rewrite it.
		r.URL.Path = path
	}
	w.Header().Set("Api-Version", apiVersion)
	w.Header().Set("Server", "minipouchd")

	if strings.HasPrefix(path, "/debug/pprof/") {
		s.pprof(w, r, path)
		return
	}
	switch path {
	case "/_ping":
		if method(w, r, "GET", "HEAD") {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write([]byte("OK"))
		}
		return
	case "/version":
		if method(w, r, "GET") {
			s.version(w, r)
		}
		return
	case "/info":
		if method(w, r, "GET") {
			s.info(w, r)
		}
		return
	case "/hang":
		s.hang(w, r)
		return
	case "/exit":
		if method(w, r, "POST") {
			s.exitProcess(w, r)
		}
		return
	case "/panic":
		if method(w, r, "POST") {
			s.crash(w, r)
		}
		return
	case "/containers/create":
		if method(w, r, "POST") {
			s.createContainer(w, r)
		}
		return
	case "/containers/json":
		if method(w, r, "GET") {
			s.listContainers(w, r)
		}
		return
	case "/events":
		if method(w, r, "GET") {
			s.events(w, r)
		}
		return
	}

	// /containers/{id} and /containers/{id}/{action}
	rest := strings.TrimPrefix(path, "/containers/")
	if rest == path || rest == "" {
		writeError(w, http.StatusNotFound, "page not found")
		return
	}
	ref, action, _ := strings.Cut(rest, "/")
	c, err := s.store.get(ref)
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	switch action {
	case "":
		if method(w, r, "DELETE") {
			s.removeContainer(w, r, c)
		}
	case "json":
		if method(w, r, "GET") {
			writeJSON(w, http.StatusOK, inspectView(c))
		}
	case "start":
		if method(w, r, "POST") {
			s.startContainer(w, r, c)
		}
	case "stop":
		if method(w, r, "POST") {
			s.stopContainer(w, r, c)
		}
	case "export":
		if method(w, r, "GET") {
			s.exportContainer(w, r, c)
		}
	case "changes":
		if method(w, r, "GET") {
			s.containerChanges(w)
		}
	case "logs":
		if method(w, r, "GET") {
			s.logsContainer(w, r)
		}
	case "exec":
		if method(w, r, "POST") {
			if r.Header.Get("Upgrade") != "" {
				s.execSession(w, r, c)
			} else {
				s.execContainer(w, r, c)
			}
		}
	case "attach":
		if method(w, r, "POST") {
			s.attachContainer(w, r, c)
		}
	case "attach/ws":
		if method(w, r, "GET") {
			s.attachWebSocket(w, r, c)
		}
	case "stats":
		if method(w, r, "GET") {
			s.statsContainer(w, r, c)
		}
	default:
		writeError(w, http.StatusNotFound, "page not found")
	}
}

func (s *Server) pprof(w http.ResponseWriter, r *http.Request, path string) {
	switch path {
	case "/debug/pprof/cmdline":
		pprof.Cmdline(w, r)
	case "/debug/pprof/profile":
		pprof.Profile(w, r)
	case "/debug/pprof/symbol":
		pprof.Symbol(w, r)
	case "/debug/pprof/trace":
		pprof.Trace(w, r)
	default: // the index and every named profile: goroutine, heap, ...
		pprof.Index(w, r)
	}
}

// method answers 405 unless the request uses one of the allowed methods.
func method(w http.ResponseWriter, r *http.Request, allowed ...string) bool {
	for _, m := range allowed {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed")
	return false
}

func writeJSON(w http.ResponseWriter, code int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// writeError uses Docker's error body shape.
func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"message": msg})
}
