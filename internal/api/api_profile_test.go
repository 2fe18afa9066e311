package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// PATCH /api/v1/me {"bio"}: sanitized rich text, limited to 2,000
// characters; GET /api/v1/users/{name} shows it to anyone.
func TestProfileBio(t *testing.T) {
	e := newEnv(t)
	r := e.want(e.do("PATCH", "/api/v1/me", e.alice, map[string]any{"bio": `I write *tides*.<script>alert(1)</script>`, "bio_format": "markdown"}), http.StatusOK)
	if !strings.Contains(r.str("bio"), "<em>tides</em>") || strings.Contains(r.str("bio"), "script") || r.str("bio_format") != "markdown" {
		t.Fatalf("bio after PATCH: %s", r.raw)
	}
	g := e.want(e.do("GET", "/api/v1/users/alice", "", nil), http.StatusOK)
	if !strings.Contains(g.str("bio"), "<em>tides</em>") || len(g.list("pseuds")) != 1 {
		t.Fatalf("public profile: %s", g.raw)
	}
	// Refused: too long, an unknown format; a refused bio with a rename
	// renames nothing.
	bad := e.want(e.do("PATCH", "/api/v1/me", e.alice, map[string]any{"bio": strings.Repeat("x", 2001)}), http.StatusUnprocessableEntity)
	if !strings.Contains(bad.errMessage(), "limit is 2,000") {
		t.Errorf("too long: %s", bad.raw)
	}
	e.want(e.do("PATCH", "/api/v1/me", e.alice, map[string]any{"bio": "x", "bio_format": "rtf"}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", "/api/v1/me", e.alice, map[string]any{"bio": strings.Repeat("x", 2001), "name": "alicia"}), http.StatusUnprocessableEntity)
	if r := e.want(e.do("GET", "/api/v1/me", e.alice, nil), http.StatusOK); r.str("name") != "alice" || !strings.Contains(r.str("bio"), "tides") {
		t.Fatalf("after refused PATCHes: %s", r.raw)
	}
	e.want(e.do("PATCH", "/api/v1/me", "", map[string]any{"bio": "x"}), http.StatusUnauthorized)
	e.want(e.do("GET", "/api/v1/users/nobody-here", "", nil), http.StatusNotFound)
	// An empty bio removes it.
	e.want(e.do("PATCH", "/api/v1/me", e.alice, map[string]any{"bio": ""}), http.StatusOK)
	if g := e.want(e.do("GET", "/api/v1/users/alice", "", nil), http.StatusOK); g.str("bio") != "" {
		t.Fatalf("emptied bio: %s", g.raw)
	}
}
