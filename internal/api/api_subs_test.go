package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

func TestSubscriptions(t *testing.T) {
	e := newEnv(t)
	id := e.post(e.alice, work("Followed"))
	sub := map[string]any{"kind": "work", "target": id}

	r := e.want(e.do("POST", "/api/v1/subscriptions", e.bob, sub), http.StatusCreated)
	if r.str("kind") != "work" || r.num("target") != id || r.num("id") == 0 || r.str("created_at") == "" {
		t.Errorf("subscription: %s", r.raw)
	}
	if r := e.want(e.do("POST", "/api/v1/subscriptions", e.bob, sub), http.StatusConflict); r.errCode() != "conflict" {
		t.Errorf("repeat: %s", r.raw)
	}
	e.want(e.do("POST", "/api/v1/subscriptions", "", sub), http.StatusUnauthorized)
	e.want(e.do("DELETE", "/api/v1/subscriptions", "", sub), http.StatusUnauthorized)
	e.want(e.do("GET", "/api/v1/subscriptions", "", nil), http.StatusUnauthorized)

	// Unknown or unseen targets, bad input.
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "work", "target": 999999}), http.StatusNotFound)
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "user", "target": "nobody"}), http.StatusNotFound)
	draft := work("Hidden draft")
	draft["draft"] = true
	did := e.post(e.alice, draft)
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "work", "target": did}), http.StatusNotFound)
	e.want(e.do("POST", "/api/v1/subscriptions", e.alice, sub), http.StatusUnprocessableEntity) // own work
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "user", "target": "bob"}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "tag", "target": 1}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "work", "target": "x"}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "work"}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, `{"kind": "work", "target": }`), http.StatusBadRequest)
	// A series that doesn't exist is 404; one that does (with a visible work) can be followed.
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "series", "target": 999}), http.StatusNotFound)
	ser := e.want(e.do("POST", "/api/v1/series", e.alice, map[string]any{"title": "Harbour Cycle"}), http.StatusCreated)
	sid := ser.num("id")
	e.want(e.do("PUT", fmt.Sprintf("/api/v1/series/%d/works/%d", sid, int64(id)), e.alice, map[string]any{"position": 1}), http.StatusOK)
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "series", "target": sid}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "series", "target": sid}), http.StatusConflict)
	e.want(e.do("DELETE", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "series", "target": sid}), http.StatusNoContent)

	// A creator, by name.
	r = e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "user", "target": "alice"}), http.StatusCreated)
	if r.str("target") != "alice" {
		t.Errorf("user subscription: %s", r.raw)
	}
	if l := e.want(e.do("GET", "/api/v1/subscriptions", e.bob, nil), http.StatusOK).list("subscriptions"); len(l) != 2 {
		t.Errorf("list: %v", l)
	}

	e.want(e.do("DELETE", "/api/v1/subscriptions", e.bob, sub), http.StatusNoContent)
	e.want(e.do("DELETE", "/api/v1/subscriptions", e.bob, sub), http.StatusNotFound)
	e.want(e.do("DELETE", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "user", "target": "alice"}), http.StatusNoContent)
	e.want(e.do("DELETE", "/api/v1/subscriptions", e.alice, map[string]any{"kind": "user", "target": "bob"}), http.StatusNotFound)
}
