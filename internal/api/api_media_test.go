package api_test

import (
	"net/http"
	"testing"
)

// PATCH /api/v1/tags/{name} {"media"}: wranglers give a canonical fandom
// its medium; anything else is refused with a message.
func TestTagMedia(t *testing.T) {
	e := newEnv(t)
	author := e.user("author")
	e.post(author, work("One")) // fandom "Test Fandom"
	wr := e.wrangler("wendy")
	e.want(e.do("PATCH", "/api/v1/tags/Test%20Fandom", author, map[string]any{"media": "TV Shows"}), http.StatusForbidden)
	r := e.want(e.do("PATCH", "/api/v1/tags/Test%20Fandom", wr, map[string]any{"media": "TV Shows"}), http.StatusUnprocessableEntity)
	if r.errMessage() == "" {
		t.Fatal("no message for a medium on a non-canonical fandom")
	}
	r = e.want(e.do("PATCH", "/api/v1/tags/Test%20Fandom", wr, map[string]any{"canonical": true, "media": "tv shows"}), http.StatusOK)
	if r.str("media") != "TV Shows" {
		t.Fatalf("media %q", r.str("media"))
	}
	e.want(e.do("PATCH", "/api/v1/tags/Test%20Fandom", wr, map[string]any{"media": "Radio Plays"}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", "/api/v1/tags/General%20Audiences", wr, map[string]any{"media": "Movies"}), http.StatusUnprocessableEntity)
	if got := e.want(e.do("GET", "/api/v1/tags/Test%20Fandom", "", nil), http.StatusOK).str("media"); got != "TV Shows" {
		t.Fatalf("GET media %q", got)
	}
	r = e.want(e.do("PATCH", "/api/v1/tags/Test%20Fandom", wr, map[string]any{"media": nil}), http.StatusOK)
	if _, ok := r.obj["media"]; !ok || r.obj["media"] != nil {
		t.Fatalf("media after clearing: %v", r.obj["media"])
	}
	// Making the fandom non-canonical takes its medium away.
	e.want(e.do("PATCH", "/api/v1/tags/Test%20Fandom", wr, map[string]any{"media": "Movies"}), http.StatusOK)
	if r := e.want(e.do("PATCH", "/api/v1/tags/Test%20Fandom", wr, map[string]any{"canonical": false}), http.StatusOK); r.obj["media"] != nil {
		t.Fatalf("a non-canonical fandom kept its medium: %v", r.obj["media"])
	}
}
