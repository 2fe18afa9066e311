package api_test

import (
	"net/http"
	"testing"
)

// Every endpoint that names something by id refuses another account's
// thing (403 or 404) and leaves it as it was.
func TestOthersThingsOutOfReach(t *testing.T) {
	e := newEnv(t)
	w := work("Alice's Work")
	w["comment_permissions"] = "everyone"
	id := e.post(e.alice, w)
	e.want(e.do("POST", path("/api/v1/works/%d/chapters", id), e.alice, map[string]any{"body": "Second."}), http.StatusCreated)
	c := e.want(e.do("POST", path("/api/v1/works/%d/chapters/1/comments", id), e.alice, map[string]any{"body": "A note from the author."}), http.StatusCreated).num("id")
	bm := e.want(e.do("POST", "/api/v1/users/alice/bookmarks", e.alice, map[string]any{"work_id": id, "notes": "mine"}), http.StatusCreated).num("id")
	sr := e.want(e.do("POST", "/api/v1/series", e.alice, map[string]any{"title": "Alice's Series"}), http.StatusCreated).num("id")
	e.want(e.do("PUT", path("/api/v1/series/%d/works/%d", sr, id), e.alice, map[string]any{}), http.StatusOK)
	e.want(e.do("POST", "/api/v1/me/pseuds", e.alice, map[string]any{"name": "Alice Elsewhere"}), http.StatusCreated)
	bobs := e.post(e.bob, work("Bob's Work"))

	for _, tc := range []struct {
		method, path string
		body         any
	}{
		{"PATCH", path("/api/v1/works/%d", id), map[string]any{"title": "Taken"}},
		{"DELETE", path("/api/v1/works/%d", id), nil},
		{"POST", path("/api/v1/works/%d/chapters", id), map[string]any{"body": "Mine now."}},
		{"PATCH", path("/api/v1/works/%d/chapters/1", id), map[string]any{"body": "Changed."}},
		{"DELETE", path("/api/v1/works/%d/chapters/2", id), nil},
		{"PUT", path("/api/v1/works/%d/chapters/order", id), map[string]any{"order": []int{2, 1}}},
		{"PATCH", path("/api/v1/comments/%d", c), map[string]any{"body": "Changed."}},
		{"PATCH", path("/api/v1/bookmarks/%d", bm), map[string]any{"notes": "changed"}},
		{"DELETE", path("/api/v1/bookmarks/%d", bm), nil},
		{"PATCH", path("/api/v1/series/%d", sr), map[string]any{"title": "Taken"}},
		{"DELETE", path("/api/v1/series/%d", sr), nil},
		{"PUT", path("/api/v1/series/%d/works/%d", sr, bobs), map[string]any{}},
		{"DELETE", path("/api/v1/series/%d/works/%d", sr, id), nil},
		{"PATCH", "/api/v1/me/pseuds/Alice%20Elsewhere", map[string]any{"name": "Bob Elsewhere"}},
		{"DELETE", "/api/v1/me/pseuds/Alice%20Elsewhere", nil},
		{"POST", "/api/v1/users/alice/bookmarks", map[string]any{"work_id": bobs}},
	} {
		r := e.do(tc.method, tc.path, e.bob, tc.body)
		if r.status != http.StatusForbidden && r.status != http.StatusNotFound {
			t.Errorf("bob %s %s: %d %s", tc.method, tc.path, r.status, r.raw)
		}
	}
	// Comment deletion: the work's creator may delete comments on it, so
	// try it the other way round: alice's comment on bob's work.
	e.want(e.do("POST", path("/api/v1/works/%d/chapters/1/comments", bobs), e.alice, map[string]any{"body": "Nice."}), http.StatusCreated)
	carol := e.user("carol")
	if r := e.do("DELETE", path("/api/v1/comments/%d", c), carol, nil); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
		t.Errorf("carol deleted alice's comment: %d", r.status)
	}

	// All as it was.
	r := e.want(e.do("GET", path("/api/v1/works/%d", id), e.alice, nil), http.StatusOK)
	if r.str("title") != "Alice's Work" || r.num("chapters_posted") != 2 {
		t.Errorf("alice's work after bob: %s", r.raw)
	}
	if r := e.want(e.do("GET", path("/api/v1/bookmarks/%d", bm), e.alice, nil), http.StatusOK); r.str("notes") != "<p>mine</p>" {
		t.Errorf("alice's bookmark after bob: %s", r.raw)
	}
	if r := e.want(e.do("GET", path("/api/v1/series/%d", sr), e.alice, nil), http.StatusOK); r.str("title") != "Alice's Series" || len(r.list("works")) != 1 {
		t.Errorf("alice's series after bob: %s", r.raw)
	}
	if r := e.want(e.do("GET", path("/api/v1/comments/%d", c), e.alice, nil), http.StatusOK); r.str("body") != "<p>A note from the author.</p>" {
		t.Errorf("alice's comment after bob: %s", r.raw)
	}
}
