package api_test

import (
	"net/http"
	"slices"
	"testing"
)

func pseudNames(r response) []string {
	var out []string
	for _, p := range r.list("pseuds") {
		out = append(out, p.(map[string]any)["name"].(string))
	}
	return out
}

func creators(r response) []string {
	var out []string
	for _, c := range r.list("creators") {
		out = append(out, c.(string))
	}
	return out
}

func TestPseuds(t *testing.T) {
	e := newEnv(t)
	r := e.want(e.do("POST", "/api/v1/me/pseuds", e.alice, map[string]any{"name": "Night  Owl"}), http.StatusCreated)
	if r.str("name") != "Night Owl" || r.obj["default"] != false {
		t.Fatalf("created: %s", r.raw)
	}
	// Taken names: another account's pseud, an account name, case-insensitively.
	e.want(e.do("POST", "/api/v1/me/pseuds", e.bob, map[string]any{"name": "night owl"}), http.StatusConflict)
	e.want(e.do("POST", "/api/v1/me/pseuds", e.bob, map[string]any{"name": "Alice"}), http.StatusConflict)
	for _, bad := range []string{"", "   ", "no/slash", "_leading", "x2345678901234567890123456789012345678901"} {
		e.want(e.do("POST", "/api/v1/me/pseuds", e.bob, map[string]any{"name": bad}), http.StatusUnprocessableEntity)
	}
	e.want(e.do("POST", "/api/v1/me/pseuds", "", map[string]any{"name": "Guest"}), http.StatusUnauthorized)

	r = e.want(e.do("GET", "/api/v1/users/alice/pseuds", "", nil), http.StatusOK)
	if got := pseudNames(r); !slices.Equal(got, []string{"alice", "Night Owl"}) {
		t.Fatalf("pseuds %v", got)
	}

	// Post as the pseud: the byline shows it.
	body := work("Owl Work")
	body["creators"] = []string{"night owl"}
	r = e.want(e.do("POST", "/api/v1/works", e.alice, body), http.StatusCreated)
	id := r.num("id")
	if got := creators(r); !slices.Equal(got, []string{"Night Owl"}) {
		t.Fatalf("byline %v", got)
	}
	// Not one of yours: the byline is your default pseud, and the other
	// account's pseud is invited as a co-creator (issue 14).
	body["creators"] = []string{"Night Owl"}
	bobs := e.want(e.do("POST", "/api/v1/works", e.bob, body), http.StatusCreated)
	if got := creators(bobs); !slices.Equal(got, []string{"bob"}) {
		t.Fatalf("byline naming another's pseud %v", got)
	}
	if l := e.want(e.do("GET", "/api/v1/me/creator_invitations", e.alice, nil), http.StatusOK).list("invitations"); len(l) != 1 {
		t.Fatalf("alice's invitations %v", l)
	}
	e.want(e.do("DELETE", path("/api/v1/works/%d", bobs.num("id")), e.bob, nil), http.StatusNoContent)

	// PATCH moves the byline; listings see it at once.
	r = e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"creators": []string{"alice"}}), http.StatusOK)
	if got := creators(r); !slices.Equal(got, []string{"alice"}) {
		t.Fatalf("byline after patch %v", got)
	}
	_, l := e.listIDs("", "")
	var listed map[string]any
	for _, x := range l.list("works") {
		if int(x.(map[string]any)["id"].(float64)) == id {
			listed = x.(map[string]any)
		}
	}
	if got := listed["creators"].([]any); len(got) != 1 || got[0] != "alice" {
		t.Fatalf("listing byline %v", got)
	}
	// Bob can't rebyline alice's work.
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.bob, map[string]any{"creators": []string{"bob"}}), http.StatusForbidden)
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"creators": []string{"Night Owl"}}), http.StatusOK)

	// Rename: the byline follows; the default pseud can't be renamed or deleted.
	r = e.want(e.do("PATCH", "/api/v1/me/pseuds/Night%20Owl", e.alice, map[string]any{"name": "Day Owl"}), http.StatusOK)
	if r.str("name") != "Day Owl" {
		t.Fatalf("rename: %s", r.raw)
	}
	r = e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), http.StatusOK)
	if got := creators(r); !slices.Equal(got, []string{"Day Owl"}) {
		t.Fatalf("byline after rename %v", got)
	}
	e.want(e.do("PATCH", "/api/v1/me/pseuds/alice", e.alice, map[string]any{"name": "Other"}), http.StatusUnprocessableEntity)
	e.want(e.do("DELETE", "/api/v1/me/pseuds/alice", e.alice, nil), http.StatusUnprocessableEntity)
	e.want(e.do("DELETE", "/api/v1/me/pseuds/Day%20Owl", e.bob, nil), http.StatusNotFound)
	e.want(e.do("PATCH", "/api/v1/me/pseuds/Day%20Owl", e.alice, map[string]any{"name": "bob"}), http.StatusConflict)

	// Delete: the work moves to the default pseud; the name is free again.
	e.want(e.do("DELETE", "/api/v1/me/pseuds/Day%20Owl", e.alice, nil), http.StatusNoContent)
	r = e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), http.StatusOK)
	if got := creators(r); !slices.Equal(got, []string{"alice"}) {
		t.Fatalf("byline after delete %v", got)
	}
	_, l = e.listIDs("", "")
	if got := l.list("works")[0].(map[string]any)["creators"].([]any); len(got) != 1 || got[0] != "alice" {
		t.Fatalf("listing byline after delete %v", got)
	}
	r = e.want(e.do("GET", "/api/v1/users/alice/pseuds", "", nil), http.StatusOK)
	if got := pseudNames(r); !slices.Equal(got, []string{"alice"}) {
		t.Fatalf("pseuds after delete %v", got)
	}
	e.want(e.do("POST", "/api/v1/me/pseuds", e.bob, map[string]any{"name": "Day Owl"}), http.StatusCreated)
	e.want(e.do("GET", "/api/v1/users/nobody/pseuds", "", nil), http.StatusNotFound)
}
