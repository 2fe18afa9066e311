package api_test

import (
	"net/http"
	"testing"
	"time"
)

func TestRename(t *testing.T) {
	e := newEnv(t)
	clk := e.clock(time.Now().UTC().Truncate(time.Second))
	id := e.post(e.alice, work("By Any Name"))
	for _, bad := range []string{"bob", "BOB", "", "has space", "orphan_account"} {
		r := e.want(e.do("PATCH", "/api/v1/me", e.alice, map[string]any{"name": bad}), http.StatusUnprocessableEntity)
		if r.errMessage() == "" {
			t.Errorf("%q: no message", bad)
		}
	}
	e.want(e.do("PATCH", "/api/v1/me", "", map[string]any{"name": "nobody"}), http.StatusUnauthorized)
	r := e.want(e.do("PATCH", "/api/v1/me", e.alice, map[string]any{"name": "alicia"}), http.StatusOK)
	if r.str("name") != "alicia" {
		t.Fatalf("renamed %s", r.raw)
	}
	if got := creatorsOf(e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), http.StatusOK)); got != "[alicia]" {
		t.Errorf("byline after rename %s", got)
	}
	// Old API URLs redirect (the client follows).
	if r := e.want(e.do("GET", "/api/v1/users/alice/pseuds", "", nil), http.StatusOK); len(r.list("pseuds")) != 1 {
		t.Errorf("pseuds through the old name %s", r.raw)
	}
	// Once a week.
	e.want(e.do("PATCH", "/api/v1/me", e.alice, map[string]any{"name": "alice2"}), http.StatusUnprocessableEntity)
	// The old name is held: nobody else may take it for a while.
	carol := e.user("carol")
	e.want(e.do("PATCH", "/api/v1/me", carol, map[string]any{"name": "alice"}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/me/pseuds", carol, map[string]any{"name": "alice"}), http.StatusUnprocessableEntity)
	clk.add(31 * 24 * time.Hour)
	e.want(e.do("PATCH", "/api/v1/me", carol, map[string]any{"name": "alice"}), http.StatusOK)
	// A week on, alicia may rename again.
	e.want(e.do("PATCH", "/api/v1/me", e.alice, map[string]any{"name": "alice3"}), http.StatusOK)
}
