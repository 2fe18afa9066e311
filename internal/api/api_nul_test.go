package api_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"quire/internal/dump"
)

// NUL characters in what a client writes are removed, on every write and
// identically on both engines (PostgreSQL refuses NUL in text, so before
// they were removed a NUL there was a 500; SQLite stored it). What remains
// is validated as usual: a name that is nothing but NULs is blank.
func TestNULStrippedOnEveryWrite(t *testing.T) {
	e := newEnv(t)
	const z = "\x00"
	check := func(r response, status int) response {
		t.Helper()
		if r.status != status {
			t.Errorf("status %d, want %d: %s", r.status, status, r.raw)
		}
		return r
	}
	w := work("Night" + z + "fall")
	w["summary"] = "A sum" + z + "mary"
	w["notes"] = "No" + z + "tes"
	w["end_notes"] = "End" + z + " notes"
	w["fandoms"] = []string{"Lan" + z + "terns"}
	w["characters"] = []string{"Keep" + z + "er"}
	w["relationships"] = []string{"Keeper" + z + "/Gull"}
	w["freeforms"] = []string{"Fog" + z + "horns"}
	w["language"] = "e" + z + "n"
	w["chapters"] = []map[string]any{{"title": "One" + z, "body": "Once upon" + z + " a time.", "summary": "s" + z, "notes": "n" + z}}
	w["comment_permissions"] = "everyone"
	id := e.post(e.alice, w)
	r := check(e.do("GET", path("/api/v1/works/%d", id), e.alice, nil), http.StatusOK)
	if r.str("title") != "Nightfall" || !strings.Contains(string(r.raw), `"Lanterns"`) || !strings.Contains(string(r.raw), `"Foghorns"`) {
		t.Errorf("the work as stored: %s", r.raw)
	}
	check(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"title": "Day" + z + "break", "freeforms": []string{"Gull" + z + "s"}}), http.StatusOK)
	check(e.do("POST", path("/api/v1/works/%d/chapters", id), e.alice, map[string]any{"title": "Two" + z, "body": "And" + z + " then."}), http.StatusCreated)
	check(e.do("PATCH", path("/api/v1/works/%d/chapters/2", id), e.alice, map[string]any{"title": "Tw" + z + "o", "body": "And" + z + " so."}), http.StatusOK)

	cs := path("/api/v1/works/%d/chapters/1/comments", id)
	c := check(e.do("POST", cs, e.bob, map[string]any{"body": "Lovely" + z + "!"}), http.StatusCreated).num("id")
	check(e.do("PATCH", path("/api/v1/comments/%d", c), e.bob, map[string]any{"body": "Lovely" + z + " indeed"}), http.StatusOK)
	check(e.do("POST", cs, "", map[string]any{"body": "Guest" + z + " here", "name": "Wan" + z + "derer", "email": "w@example.test"}), http.StatusCreated)

	check(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"work_id": id, "notes": "Keep" + z, "tags": []string{"to" + z + "read"}}), http.StatusCreated)
	sr := check(e.do("POST", "/api/v1/series", e.alice, map[string]any{"title": "Se" + z + "ries", "summary": "S" + z, "notes": "N" + z}), http.StatusCreated).num("id")
	check(e.do("PATCH", path("/api/v1/series/%d", sr), e.alice, map[string]any{"title": "Se" + z + "ries Two"}), http.StatusOK)
	check(e.do("POST", "/api/v1/me/pseuds", e.alice, map[string]any{"name": "Night" + z + "Owl"}), http.StatusCreated)
	check(e.do("PATCH", "/api/v1/me/pseuds/NightOwl", e.alice, map[string]any{"name": "Day" + z + "Owl"}), http.StatusOK)
	check(e.do("POST", "/api/v1/me/pseuds", e.alice, map[string]any{"name": z + z}), http.StatusUnprocessableEntity)
	check(e.do("PUT", "/api/v1/me/muted_tags", e.bob, map[string]any{"tags": []string{"Lan" + z + "terns"}}), http.StatusOK)
	check(e.do("POST", "/api/v1/me/blocked_users", e.alice, map[string]any{"name": "bo" + z + "b"}), http.StatusCreated)

	// Reads that carry a NUL are answered too, not a 500.
	check(e.do("GET", "/api/v1/works?q=night"+"%00"+"fall", "", nil), http.StatusOK)
	e.do("GET", "/api/v1/tags/Fog%00horns", "", nil)
	e.do("GET", "/api/v1/works?freeform=Fog%00horns", "", nil)

	// Nothing stored holds a NUL: the whole archive, as exported.
	var out bytes.Buffer
	if _, err := dump.Export(context.Background(), e.store, &out, dump.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), `\u0000`) || strings.Contains(out.String(), z) {
		i := strings.Index(out.String(), `\u0000`)
		t.Errorf("a NUL was stored: …%s…", out.String()[max(0, i-200):min(out.Len(), i+50)])
	}
	for _, want := range []string{"Daybreak", "Lanterns", "Gulls", "DayOwl", "Series Two", "Wanderer", "toread"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the export lacks %q", want)
		}
	}
}
