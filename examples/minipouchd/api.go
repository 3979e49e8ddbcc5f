package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"time"
)

func (s *Server) version(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]interface{}{
		"Version":    "0.1.0",
		"ApiVersion": apiVersion,
		"GoVersion":  runtime.Version(),
		"Os":         runtime.GOOS,
		"Arch":       runtime.GOARCH,
		"Leaky":      s.leaky, // not a Docker field: lets a scenario assert the mode
	})
}

func (s *Server) info(w http.ResponseWriter, r *http.Request) {
	all := s.store.list(true)
	running := 0
	for _, c := range all {
		if c.isRunning() {
			running++
		}
	}
	writeJSON(w, http.StatusOK, map[string]interface{}{
		"Containers":        len(all),
		"ContainersRunning": running,
		"NGoroutines":       runtime.NumGoroutine(),
	})
}

// createRequest accepts Cmd as a list or, like Docker, a single string.
type createRequest struct {
	Cmd   json.RawMessage
	Image string
}

func (s *Server) createContainer(w http.ResponseWriter, r *http.Request) {
	var req createRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return
	}
	var cmd []string
	if len(req.Cmd) > 0 && string(req.Cmd) != "null" {
		if err := json.Unmarshal(req.Cmd, &cmd); err != nil {
			var one string
			if json.Unmarshal(req.Cmd, &one) != nil {
				writeError(w, http.StatusBadRequest, "Cmd must be a list of strings or a string")
				return
			}
			cmd = strings.Fields(one)
		}
	}
	c, err := s.store.create(r.URL.Query().Get("name"), cmd)
	switch {
	case errors.Is(err, errConflict):
		writeError(w, http.StatusConflict, err.Error())
		return
	case err != nil:
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, map[string]interface{}{"Id": c.ID, "Warnings": []string{}})
}

func (s *Server) startContainer(w http.ResponseWriter, r *http.Request, c *Container) {
	if !s.store.startContainer(c) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) removeContainer(w http.ResponseWriter, r *http.Request, c *Container) {
	if err := s.store.remove(c, truthy(r.URL.Query().Get("force"))); err != nil {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) listContainers(w http.ResponseWriter, r *http.Request) {
	out := []map[string]interface{}{}
	for _, c := range s.store.list(truthy(r.URL.Query().Get("all"))) {
		v := inspectView(c)
		out = append(out, map[string]interface{}{
			"Id":      c.ID,
			"Names":   []string{"/" + c.Name},
			"Command": strings.Join(c.Cmd, " "),
			"Created": c.Created.Unix(),
			"State":   v.State.Status,
		})
	}
	writeJSON(w, http.StatusOK, out)
}

type stateView struct {
	Status          string
	Running         bool
	ExitCode        int
	StartedAt       string
	FinishedAt      string
	LastHealthCheck string `json:",omitempty"`
}

type containerView struct {
	Id      string
	Name    string
	Created string
	Path    string
	Args    []string
	State   stateView
	Config  struct{ Cmd []string }
}

func inspectView(c *Container) containerView {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := containerView{
		Id: c.ID, Name: "/" + c.Name, Created: stamp(c.Created),
		Path: c.Cmd[0], Args: c.Cmd[1:],
		State: stateView{
			Status: c.status, Running: c.status == "running", ExitCode: c.exitCode,
			StartedAt: stamp(c.started), FinishedAt: stamp(c.finished),
		},
	}
	if !c.lastHealth.IsZero() {
		v.State.LastHealthCheck = stamp(c.lastHealth)
	}
	v.Config.Cmd = c.Cmd
	return v
}

// stamp formats like Docker, which shows the zero time for "never".
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func truthy(v string) bool { return v == "1" || v == "true" || v == "True" || v == "yes" }
