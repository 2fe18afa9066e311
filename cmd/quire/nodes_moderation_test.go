package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"quire/internal/store/testdb"
)

// TestTwoNodesModeration runs two real `quire serve` processes on one
// PostgreSQL schema (issue 11): a work hidden on A leaves B's listing
// within a second, and an account suspended or banned on A is refused on B.
func TestTwoNodesModeration(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two real servers; skipped with -short")
	}
	if testdb.PostgresURL() == "" {
		t.Skip("QUIRE_TEST_POSTGRES is not set")
	}
	db := testdb.Schema(t, testdb.PostgresURL())
	writer := addWriterForCLI(t, db, "writer", "writer@example.test")
	reader := addWriterForCLI(t, db, "reader", "reader@example.test")
	mod := addWriterForCLI(t, db, "mod", "mod@example.test")
	if r := runQuireForCLI(t, nil, "user", "role", "mod", "--add", "moderator", "--db", db); r.Code != 0 {
		t.Fatalf("quire user role: %d %s", r.Code, r.Stderr)
	}
	args := []string{"--db", db, "--api-rate-limit", "0", "--login-rate-limit", "0"}
	a := startServerForCLI(t, 60*time.Second, nil, args...)
	b := startServerForCLI(t, 60*time.Second, nil, args...)
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()

	id := postWorkForNodes(t, client, a.URL, writer, "Signal Fires", "Harbour Lights", "Beacons")
	other := postWorkForNodes(t, client, a.URL, writer, "Tide Tables", "Harbour Lights", "Beacons")
	within(t, time.Second, "both works in B's listing", func() bool {
		return listingIDs(t, client, b.URL, "freeform=Beacons&sort=title") == fmt.Sprint([]int64{id, other})
	})

	// Hidden on A: gone from B's listing within a second, and from its
	// work page for readers; its creator still reads it on B.
	start := time.Now()
	apiForNodes(t, client, http.MethodPost, fmt.Sprintf("%s/api/v1/admin/works/%d/hide", a.URL, id), mod, `{"reason": "reported"}`, http.StatusOK)
	within(t, time.Second, "the work hidden on A gone from B's listing", func() bool {
		return listingIDs(t, client, b.URL, "freeform=Beacons&sort=title") == fmt.Sprint([]int64{other})
	})
	t.Logf("hide on A to gone from B's listing: %v", time.Since(start).Round(time.Millisecond))
	apiForNodes(t, client, http.MethodGet, fmt.Sprintf("%s/api/v1/works/%d", b.URL, id), reader, "", http.StatusNotFound)
	var w struct {
		Hidden       bool   `json:"hidden"`
		HiddenReason string `json:"hidden_reason"`
	}
	if err := json.Unmarshal(apiForNodes(t, client, http.MethodGet, fmt.Sprintf("%s/api/v1/works/%d", b.URL, id), writer, "", http.StatusOK), &w); err != nil {
		t.Fatal(err)
	}
	if !w.Hidden || w.HiddenReason != "reported" {
		t.Errorf("the creator's view on B: %+v", w)
	}

	// Suspended on A: refused on B at once, with the end; reads go on.
	until := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	apiForNodes(t, client, http.MethodPost, a.URL+"/api/v1/admin/users/writer/suspend", mod,
		fmt.Sprintf(`{"until": %q, "reason": "cool off"}`, until.Format(time.RFC3339)), http.StatusOK)
	body := apiForNodes(t, client, http.MethodPatch, fmt.Sprintf("%s/api/v1/works/%d", b.URL, other), writer, `{"title": "Renamed"}`, http.StatusForbidden)
	if !strings.Contains(string(body), `"suspended"`) || !strings.Contains(string(body), until.Format("2006-01-02 15:04")) {
		t.Errorf("B's refusal: %s", body)
	}
	apiForNodes(t, client, http.MethodGet, fmt.Sprintf("%s/api/v1/works/%d", b.URL, other), writer, "", http.StatusOK)

	// Banned on A: B no longer takes the account's token.
	apiForNodes(t, client, http.MethodPost, a.URL+"/api/v1/admin/users/reader/ban", mod, `{"reason": "abuse"}`, http.StatusOK)
	apiForNodes(t, client, http.MethodGet, b.URL+"/api/v1/me", reader, "", http.StatusUnauthorized)
}
