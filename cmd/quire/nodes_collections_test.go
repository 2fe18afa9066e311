package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"quire/internal/store/testdb"
)

// TestTwoNodesCollections runs two real `quire serve` processes on one
// PostgreSQL schema (issue 12): a work added to a collection on A lists in
// B's collection listing within a second, and a reveal on A shows the
// creator on B within a second.
func TestTwoNodesCollections(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two real servers; skipped with -short")
	}
	if testdb.PostgresURL() == "" {
		t.Skip("QUIRE_TEST_POSTGRES is not set")
	}
	db := testdb.Schema(t, testdb.PostgresURL())
	writer := addWriterForCLI(t, db, "writer", "writer@example.test")
	keeper := addWriterForCLI(t, db, "keeper", "keeper@example.test")
	args := []string{"--db", db, "--api-rate-limit", "0", "--login-rate-limit", "0"}
	a := startServerForCLI(t, 60*time.Second, nil, args...)
	b := startServerForCLI(t, 60*time.Second, nil, args...)
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()

	apiForNodes(t, client, http.MethodPost, a.URL+"/api/v1/collections", keeper, `{"name": "Lantern_Fest", "title": "Lantern Fest", "open": true, "anonymous": true}`, http.StatusCreated)
	id := postWorkForNodes(t, client, a.URL, writer, "Paper Lanterns", "Harbour Lights", "Festival")
	collectionIDs := func() string {
		var list struct {
			Works []struct {
				ID       int64    `json:"id"`
				Creators []string `json:"creators"`
			} `json:"works"`
		}
		getJSONForCLI(t, client, b.URL+"/api/v1/collections/Lantern_Fest/works", "", &list)
		out := ""
		for _, w := range list.Works {
			out += fmt.Sprintf("%d:%v ", w.ID, w.Creators)
		}
		return out
	}
	start := time.Now()
	apiForNodes(t, client, http.MethodPost, a.URL+"/api/v1/collections/Lantern_Fest/items", writer, fmt.Sprintf(`{"work_id": %d}`, id), http.StatusCreated)
	within(t, time.Second, "the work added on A in B's collection listing, anonymous", func() bool {
		return collectionIDs() == fmt.Sprintf("%d:[Anonymous] ", id)
	})
	t.Logf("added on A to listed on B: %v", time.Since(start).Round(time.Millisecond))
	// B's other listings hide the creator too: the work's page and search.
	var w struct {
		Creators []string `json:"creators"`
	}
	if err := json.Unmarshal(apiForNodes(t, client, http.MethodGet, fmt.Sprintf("%s/api/v1/works/%d", b.URL, id), keeper, "", http.StatusOK), &w); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(w.Creators) != "[writer]" {
		t.Errorf("the maintainer on B sees %v", w.Creators)
	}
	if got := listingIDs(t, client, b.URL, "q=writer"); got != "[]" {
		t.Errorf("B finds the anonymous work by its creator's name: %s", got)
	}

	// Revealed on A: B names the creator within a second.
	apiForNodes(t, client, http.MethodPost, a.URL+"/api/v1/collections/Lantern_Fest/reveal", keeper, `{"creators": true}`, http.StatusOK)
	within(t, time.Second, "the creator revealed on A named on B", func() bool {
		return collectionIDs() == fmt.Sprintf("%d:[writer] ", id)
	})
	// Removed on A: gone from B's collection listing.
	apiForNodes(t, client, http.MethodDelete, fmt.Sprintf("%s/api/v1/collections/Lantern_Fest/items/%d", a.URL, id), keeper, "", http.StatusNoContent)
	within(t, time.Second, "the work removed on A gone from B's collection", func() bool { return collectionIDs() == "" })
}
