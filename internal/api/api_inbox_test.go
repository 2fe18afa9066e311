package api_test

import (
	"net/http"
	"testing"
)

func inboxKinds(r response) (kinds []string, ids []int) {
	for _, x := range r.list("entries") {
		m := x.(map[string]any)
		kinds = append(kinds, m["kind"].(string))
		ids = append(ids, int(m["id"].(float64)))
	}
	return kinds, ids
}

func TestInbox(t *testing.T) {
	e := newEnv(t)
	carol := e.user("carol")
	id := e.post(e.alice, work("Talked About"))
	cs := path("/api/v1/works/%d/chapters/1/comments", id)

	e.want(e.do("GET", "/api/v1/me/inbox", "", nil), http.StatusUnauthorized)

	// Bob comments: alice (the creator) hears of it, bob does not.
	c := e.want(e.do("POST", cs, e.bob, map[string]any{"body": "Lovely!"}), http.StatusCreated).num("id")
	r := e.want(e.do("GET", "/api/v1/me/inbox", e.alice, nil), http.StatusOK)
	kinds, _ := inboxKinds(r)
	if len(kinds) != 1 || kinds[0] != "comment" || r.num("unread") != 1 || r.num("total") != 1 {
		t.Fatalf("alice's inbox: %s", r.raw)
	}
	entry := r.list("entries")[0].(map[string]any)
	if entry["actor"] != "bob" || int(entry["comment_id"].(float64)) != c || entry["work_title"] != "Talked About" || entry["read"] != false || entry["url"] == nil {
		t.Errorf("entry: %v", entry)
	}
	if r := e.want(e.do("GET", "/api/v1/me/inbox", e.bob, nil), http.StatusOK); r.num("total") != 0 {
		t.Errorf("bob told of his own comment: %s", r.raw)
	}

	// Alice replies: bob gets a reply; alice is not told of her own.
	e.want(e.do("POST", cs, e.alice, map[string]any{"body": "Thank you", "parent_id": c}), http.StatusCreated)
	r = e.want(e.do("GET", "/api/v1/me/inbox", e.bob, nil), http.StatusOK)
	if kinds, _ := inboxKinds(r); len(kinds) != 1 || kinds[0] != "reply" {
		t.Errorf("bob's inbox: %s", r.raw)
	}
	// Carol replies to bob: bob gets a reply, alice a comment (newest first).
	e.want(e.do("POST", cs, carol, map[string]any{"body": "Agreed", "parent_id": c}), http.StatusCreated)
	r = e.want(e.do("GET", "/api/v1/me/inbox", e.alice, nil), http.StatusOK)
	kinds, ids := inboxKinds(r)
	if len(kinds) != 2 || r.num("unread") != 2 || ids[0] < ids[1] {
		t.Errorf("alice's inbox: %s", r.raw)
	}

	// Paging.
	r = e.want(e.do("GET", "/api/v1/me/inbox?per_page=1&page=2", e.alice, nil), http.StatusOK)
	if _, p2 := inboxKinds(r); len(p2) != 1 || p2[0] != ids[1] || r.num("total") != 2 {
		t.Errorf("page 2: %s", r.raw)
	}
	e.want(e.do("GET", "/api/v1/me/inbox?per_page=0", e.alice, nil), http.StatusUnprocessableEntity)
	e.want(e.do("GET", "/api/v1/me/inbox?per_page=101", e.alice, nil), http.StatusUnprocessableEntity)

	// Read, unread, delete; others' entries are out of reach.
	r = e.want(e.do("PATCH", path("/api/v1/me/inbox/%d", ids[0]), e.alice, map[string]any{"read": true}), http.StatusOK)
	if r.num("unread") != 1 {
		t.Errorf("after read: %s", r.raw)
	}
	if r := e.want(e.do("GET", "/api/v1/me/inbox?unread=true", e.alice, nil), http.StatusOK); r.num("total") != 1 {
		t.Errorf("unread only: %s", r.raw)
	}
	// Another reader's entry is a 404, as for DELETE, and stays as it was.
	e.want(e.do("PATCH", path("/api/v1/me/inbox/%d", ids[0]), e.bob, map[string]any{"read": false}), http.StatusNotFound)
	e.want(e.do("PATCH", "/api/v1/me/inbox", e.bob, map[string]any{"ids": []int{ids[0]}, "read": false}), http.StatusNotFound)
	e.want(e.do("PATCH", path("/api/v1/me/inbox/%d", ids[0]+1000), e.alice, map[string]any{"read": true}), http.StatusNotFound)
	if r := e.want(e.do("GET", "/api/v1/me/inbox?unread=true", e.alice, nil), http.StatusOK); r.num("total") != 1 {
		t.Errorf("bob's PATCH changed alice's entry: %s", r.raw)
	}
	r = e.want(e.do("PATCH", "/api/v1/me/inbox", e.alice, map[string]any{"all": true}), http.StatusOK)
	if r.num("unread") != 0 || r.num("changed") != 1 {
		t.Errorf("mark all: %s", r.raw)
	}
	e.want(e.do("DELETE", path("/api/v1/me/inbox/%d", ids[0]), e.bob, nil), http.StatusNotFound)
	e.want(e.do("DELETE", path("/api/v1/me/inbox/%d", ids[0]), e.alice, nil), http.StatusNoContent)
	e.want(e.do("DELETE", path("/api/v1/me/inbox/%d", ids[0]), e.alice, nil), http.StatusNotFound)
	if r := e.want(e.do("GET", "/api/v1/me/inbox", e.alice, nil), http.StatusOK); r.num("total") != 1 {
		t.Errorf("after delete: %s", r.raw)
	}
}

func TestInboxHeldComments(t *testing.T) {
	e := newEnv(t)
	carol := e.user("carol")
	w := work("Moderated")
	w["moderated_comments"] = true
	id := e.post(e.alice, w)
	cs := path("/api/v1/works/%d/chapters/1/comments", id)
	c := e.want(e.do("POST", cs, e.bob, map[string]any{"body": "Held at first"}), http.StatusCreated).num("id")
	e.want(e.do("POST", path("/api/v1/comments/%d/approve", c), e.alice, nil), http.StatusOK)
	// Carol's reply is held: only the creator hears of it, not bob.
	e.want(e.do("POST", cs, carol, map[string]any{"body": "Me too", "parent_id": c}), http.StatusCreated)
	if r := e.want(e.do("GET", "/api/v1/me/inbox", e.alice, nil), http.StatusOK); r.num("total") != 2 {
		t.Errorf("creator's inbox: %s", r.raw)
	}
	if r := e.want(e.do("GET", "/api/v1/me/inbox", e.bob, nil), http.StatusOK); r.num("total") != 0 {
		t.Errorf("a held reply reached bob: %s", r.raw)
	}
}

func TestNewChapterInbox(t *testing.T) {
	e := newEnv(t)
	id := e.post(e.alice, work("Serial"))
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "work", "target": id}), http.StatusCreated)
	// A draft chapter notifies nobody; posting it does.
	e.want(e.do("POST", path("/api/v1/works/%d/chapters", id), e.alice, map[string]any{"title": "WIP", "body": "soon", "draft": true}), http.StatusCreated)
	if r := e.want(e.do("GET", "/api/v1/me/inbox", e.bob, nil), http.StatusOK); r.num("total") != 0 {
		t.Fatalf("draft chapter notified: %s", r.raw)
	}
	e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/2", id), e.alice, map[string]any{"draft": false}), http.StatusOK)
	r := e.want(e.do("GET", "/api/v1/me/inbox", e.bob, nil), http.StatusOK)
	if kinds, _ := inboxKinds(r); len(kinds) != 1 || kinds[0] != "chapter" {
		t.Fatalf("bob's inbox: %s", r.raw)
	}
	entry := r.list("entries")[0].(map[string]any)
	if entry["chapter_position"] != float64(2) || entry["chapter_title"] != "WIP" || entry["actor"] != "alice" {
		t.Errorf("entry %v", entry)
	}
	// Restricted works notify (subscribers are logged in); hidden and draft
	// works don't: a draft work posted later notifies as a new work.
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "user", "target": "alice"}), http.StatusCreated)
	d := work("Later")
	d["draft"] = true
	did := e.post(e.alice, d)
	if r := e.want(e.do("GET", "/api/v1/me/inbox", e.bob, nil), http.StatusOK); r.num("total") != 1 {
		t.Fatalf("draft work notified: %s", r.raw)
	}
	e.want(e.do("PATCH", path("/api/v1/works/%d", did), e.alice, map[string]any{"draft": false}), http.StatusOK)
	r = e.want(e.do("GET", "/api/v1/me/inbox", e.bob, nil), http.StatusOK)
	if kinds, _ := inboxKinds(r); len(kinds) != 2 || kinds[0] != "work" {
		t.Errorf("after posting the draft: %s", r.raw)
	}
}
