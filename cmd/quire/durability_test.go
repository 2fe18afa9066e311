package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestKill9LosesNothingAcknowledged checks SPEC "A crash or kill -9 at any
// moment loses nothing that was acknowledged": writers post works as fast as
// they can, the server is killed with SIGKILL mid-flight, and after a restart
// on the same data directory every work that got a 201 is there. Twice.
func TestKill9LosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real binary and kills it; skipped with -short")
	}
	data := t.TempDir()
	token := addWriterForCLI(t, data, "writer", "w@example.test")

	acked := map[int64]string{} // id → title, every work answered 201
	var seq atomic.Int64        // makes titles unique across rounds
	const rounds = 2
	srv := startServerForCLI(t, 30*time.Second, nil, "--data", data, "--api-rate-limit", "0")
	for round := 1; round <= rounds; round++ {
		got := writeUntilKilled(t, srv, token, round, &seq)
		for id, title := range got {
			if prev, dup := acked[id]; dup {
				t.Errorf("round %d: id %d acknowledged twice (%q, then %q)", round, id, prev, title)
			}
			acked[id] = title
		}
		srv = startServerForCLI(t, 30*time.Second, nil, "--data", data, "--api-rate-limit", "0")
		checkAcknowledged(t, srv, token, acked)
		t.Logf("round %d: %d works acknowledged before SIGKILL; all %d acknowledged so far survived the restart", round, len(got), len(acked))
	}
	srv.Kill()
}

// writeUntilKilled runs concurrent writers against srv, kills srv after
// ~1.5 s or 150 acknowledged works, and returns what was acknowledged.
func writeUntilKilled(t *testing.T, srv *cliServer, token string, round int, seq *atomic.Int64) map[int64]string {
	t.Helper()
	const writers = 8
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: writers}}
	defer client.CloseIdleConnections()

	var (
		mu       sync.Mutex
		acked    = map[int64]string{}
		killed   atomic.Bool
		enough   = make(chan struct{})
		enoughMu sync.Once
		wg       sync.WaitGroup
		errsMu   sync.Mutex
		errs     []string // failures seen before the kill
		inFlight atomic.Int64
	)
	post := func(title string, n int64) (id int64, gone bool, err error) {
		body, _ := json.Marshal(map[string]any{
			"title":    title,
			"rating":   "General Audiences",
			"warnings": []string{"No Archive Warnings Apply"},
			"fandoms":  []string{"Testing"},
			"chapters": []map[string]string{{"body": fmt.Sprintf("Some words for chapter %d.", n)}},
		})
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/works", bytes.NewReader(body))
		if err != nil {
			return 0, false, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return 0, true, err // connection refused/reset: the server is gone
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return 0, true, err // cut off mid-answer: not acknowledged
		}
		if resp.StatusCode != http.StatusCreated {
			return 0, false, fmt.Errorf("POST /api/v1/works: %d %s", resp.StatusCode, bytes.TrimSpace(b))
		}
		var w struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		}
		if err := json.Unmarshal(b, &w); err != nil || w.ID <= 0 {
			return 0, false, fmt.Errorf("201 with body %q: %v", b, err)
		}
		if w.Title != title {
			return 0, false, fmt.Errorf("201 for %q names title %q", title, w.Title)
		}
		return w.ID, false, nil
	}
	for range writers {
		wg.Go(func() {
			for {
				n := seq.Add(1)
				title := fmt.Sprintf("Durable %d", n)
				inFlight.Add(1)
				id, gone, err := post(title, n)
				inFlight.Add(-1)
				if err != nil {
					// Any failure before the kill is a bug; after it, a
					// dropped connection is expected and a writer just stops.
					if !killed.Load() || !gone {
						errsMu.Lock()
						errs = append(errs, err.Error())
						errsMu.Unlock()
					}
					return
				}
				mu.Lock()
				acked[id] = title
				full := len(acked) >= 150
				mu.Unlock()
				if full {
					enoughMu.Do(func() { close(enough) })
				}
			}
		})
	}
	select {
	case <-time.After(1500 * time.Millisecond):
	case <-enough:
	}
	killed.Store(true)
	flying := inFlight.Load()
	srv.Kill()
	wgDone := make(chan struct{})
	go func() { wg.Wait(); close(wgDone) }()
	select {
	case <-wgDone:
	case <-time.After(30 * time.Second):
		t.Fatal("writers did not stop within 30 s of the kill")
	}
	for _, e := range errs {
		t.Errorf("round %d: writer failed before the kill: %s", round, e)
	}
	mu.Lock()
	defer mu.Unlock()
	t.Logf("round %d: SIGKILL sent with %d of %d writers mid-request", round, flying, writers)
	if len(acked) == 0 {
		t.Fatalf("round %d: no work was acknowledged before the kill\nserver stderr: %s", round, srv.stderr)
	}
	return acked
}

// checkAcknowledged asserts every acknowledged work is readable with its
// title and that the listing counts at least as many.
func checkAcknowledged(t *testing.T, srv *cliServer, token string, acked map[int64]string) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	missing := 0
	for id, title := range acked {
		var w struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		}
		status := getJSONForCLI(t, client, srv.URL+"/api/v1/works/"+strconv.FormatInt(id, 10), token, &w)
		switch {
		case status != http.StatusOK:
			missing++
			if missing <= 10 {
				t.Errorf("acknowledged work %d (%q) lost after kill -9: GET answered %d", id, title, status)
			}
		case w.ID != id || w.Title != title:
			t.Errorf("work %d after restart is %d %q, want %q", id, w.ID, w.Title, title)
		}
	}
	if missing > 10 {
		t.Errorf("… %d acknowledged works lost in all", missing)
	}
	var list struct {
		Total int `json:"total"`
	}
	if status := getJSONForCLI(t, client, srv.URL+"/api/v1/works?per_page=100", token, &list); status != http.StatusOK {
		t.Fatalf("GET /api/v1/works: %d", status)
	}
	if list.Total < len(acked) {
		t.Errorf("listing total after restart is %d, but %d works were acknowledged", list.Total, len(acked))
	}
}
