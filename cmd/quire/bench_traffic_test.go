package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchTraffic runs `quire bench traffic` on a small generated archive:
// every kind of request in the mix is answered without an error, readers'
// writes are acknowledged, and every acknowledged write is in the archive
// after the node is stopped.
func TestBenchTraffic(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "bench")
	r := runQuireForCLI(t, nil, "bench", "traffic", "--works", "120", "--body-words", "40", "--data", data,
		"--duration", "4s", "--warmup", "0", "--visitors", "40", "--concurrency", "4", "--chapter-every", "300ms", "--json")
	if r.Code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.Code, r.Stdout, r.Stderr)
	}
	var rep struct {
		Works          int `json:"works"`
		WritesAcked    int `json:"writes_acked"`
		HistoryWrites  int `json:"history_writes"`
		ChaptersPosted int `json:"chapters_posted"`
		Total          struct {
			Requests, Errors int
		} `json:"total"`
		Classes []struct {
			Class    string `json:"class"`
			Requests int    `json:"requests"`
			Errors   int    `json:"errors"`
			Repeats  int    `json:"repeats"`
		} `json:"classes"`
		Server *struct {
			CPUSeconds float64 `json:"cpu_seconds"`
			RSSMB      float64 `json:"rss_mb"`
		} `json:"server"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &rep); err != nil || strings.Count(strings.TrimSpace(r.Stdout), "\n") != 0 {
		t.Fatalf("--json printed %q (%v), want one line of JSON", r.Stdout, err)
	}
	if rep.Works != 120 || rep.Total.Requests == 0 || rep.Total.Errors != 0 {
		t.Errorf("works %d, %d requests, %d errors; want 120 works, some requests, no error\nstderr: %s", rep.Works, rep.Total.Requests, rep.Total.Errors, r.Stderr)
	}
	if rep.WritesAcked == 0 || rep.HistoryWrites == 0 || rep.ChaptersPosted == 0 {
		t.Errorf("writes acknowledged %d, history %d, chapters %d: want each above 0", rep.WritesAcked, rep.HistoryWrites, rep.ChaptersPosted)
	}
	if rep.Server == nil || rep.Server.CPUSeconds <= 0 || rep.Server.RSSMB <= 0 {
		t.Errorf("server usage %+v, want the node's CPU and memory", rep.Server)
	}
	acked := map[string]int{}
	for _, c := range rep.Classes {
		if c.Errors != 0 {
			t.Errorf("%s: %d errors", c.Class, c.Errors)
		}
		acked[c.Class] = c.Requests - c.Repeats
	}
	for _, class := range []string{"chapter", "entire", "listing"} {
		if acked[class] == 0 {
			t.Errorf("no %s request in %+v", class, rep.Classes)
		}
	}
	// The node was stopped with SIGTERM; what it acknowledged is stored. A
	// write in flight when the measurement ended may be stored unacknowledged.
	for class, query := range map[string]string{
		"kudos":    `SELECT COUNT(*) FROM kudos k JOIN users u ON u.id = k.user_id WHERE u.name LIKE 'bench_reader_%'`,
		"comment":  `SELECT COUNT(*) FROM comments c JOIN users u ON u.id = c.user_id WHERE u.name LIKE 'bench_reader_%'`,
		"bookmark": `SELECT COUNT(*) FROM bookmarks b JOIN users u ON u.id = b.user_id WHERE u.name LIKE 'bench_reader_%'`,
	} {
		if got := cliCount(t, data, query); got < acked[class] || got > acked[class]+4 {
			t.Errorf("%s: %d stored, %d acknowledged", class, got, acked[class])
		}
	}

	// The wrk script replays only reads.
	script := filepath.Join(t.TempDir(), "mix.lua")
	if r := runQuireForCLI(t, nil, "bench", "traffic", "--works", "120", "--body-words", "40", "--data", data, "--wrk-script", script, "--wrk-requests", "500"); r.Code != 0 {
		t.Fatalf("--wrk-script: exit %d\nstderr: %s", r.Code, r.Stderr)
	}
	b, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	lua := string(b)
	if n := strings.Count(lua, "\n  \"/"); n != 500 || strings.Contains(lua, "/kudos\"") || !strings.Contains(lua, "request = function()") {
		t.Errorf("wrk script has %d paths (want 500, reads only):\n%.600s", n, lua)
	}
}
