package api_test

import (
	"net/http"
	"testing"
)

func TestBlockedUsers(t *testing.T) {
	e := newEnv(t)
	id := e.post(e.alice, work("Mine"))
	cs := path("/api/v1/works/%d/chapters/1/comments", id)
	root := e.want(e.do("POST", cs, e.alice, map[string]any{"body": "Welcome"}), http.StatusCreated).num("id")

	e.want(e.do("POST", "/api/v1/me/blocked_users", "", map[string]any{"name": "bob"}), http.StatusUnauthorized)
	e.want(e.do("POST", "/api/v1/me/blocked_users", e.alice, map[string]any{"name": "nobody"}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/me/blocked_users", e.alice, map[string]any{"name": "alice"}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/me/blocked_users", e.alice, map[string]any{"name": "bob"}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/me/blocked_users", e.alice, map[string]any{"name": "bob"}), http.StatusConflict)
	if r := e.want(e.do("GET", "/api/v1/me/blocked_users", e.alice, nil), http.StatusOK); len(r.list("names")) != 1 {
		t.Errorf("blocked %s", r.raw)
	}

	for _, tc := range []struct {
		what string
		path string
		body any
	}{
		{"comment", cs, map[string]any{"body": "hello"}},
		{"reply", cs, map[string]any{"body": "hello", "parent_id": root}},
		{"kudos", path("/api/v1/works/%d/kudos", id), nil},
	} {
		r := e.want(e.do("POST", tc.path, e.bob, tc.body), http.StatusForbidden)
		if r.errCode() != "blocked" {
			t.Errorf("%s: %s", tc.what, r.raw)
		}
	}
	// Others are unaffected; bob may still read.
	e.want(e.do("POST", path("/api/v1/works/%d/kudos", id), e.user("carol"), nil), http.StatusCreated)
	e.want(e.do("GET", cs, e.bob, nil), http.StatusOK)

	e.want(e.do("DELETE", "/api/v1/me/blocked_users/bob", e.alice, nil), http.StatusNoContent)
	e.want(e.do("DELETE", "/api/v1/me/blocked_users/bob", e.alice, nil), http.StatusNotFound)
	e.want(e.do("POST", path("/api/v1/works/%d/kudos", id), e.bob, nil), http.StatusCreated)
	e.want(e.do("POST", cs, e.bob, map[string]any{"body": "hello"}), http.StatusCreated)
}
