package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Related works through the API: a work names another here and one
// elsewhere; the parent's creator approves; bad links are refused with
// nothing written.
func TestRelatedWorksAPI(t *testing.T) {
	e := newEnv(t)
	post := func(token, title string, extra map[string]any) response {
		body := map[string]any{"title": title, "rating": "General Audiences", "warnings": []string{"No Archive Warnings Apply"},
			"fandoms": []string{"Garden Tales"}, "chapters": []map[string]any{{"body": "Words."}}}
		for k, v := range extra {
			body[k] = v
		}
		return e.do("POST", "/api/v1/works", token, body)
	}
	orig := e.want(post(e.alice, "Seed", nil), http.StatusCreated).num("id")
	for _, bad := range []map[string]any{
		{"related": []map[string]any{{"work_id": 999999, "kind": "remix"}}},
		{"related": []map[string]any{{"work_id": orig, "kind": "sequel"}}},
		{"related": []map[string]any{{"url": "ftp://x.example/a", "title": "A"}}},
		{"related": []map[string]any{{"url": "https://x.example/a"}}},
	} {
		if r := post(e.bob, "Refused", bad); r.status != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d %s", bad, r.status, r.raw)
		}
	}
	if r := e.want(e.do("GET", "/api/v1/works?q=Refused", "", nil), http.StatusOK); strings.Contains(string(r.raw), `"Refused"`) {
		t.Fatal("a refused work was written")
	}
	child := e.want(post(e.bob, "Sprout", map[string]any{"related": []map[string]any{
		{"work_id": orig, "kind": "translation"},
		{"url": "https://elsewhere.example/tree", "title": "Tree", "creator": "Someone", "kind": "inspired_by"}}}), http.StatusCreated)
	cid := child.num("id")
	if !strings.Contains(string(child.raw), `"state":"pending"`) || !strings.Contains(string(child.raw), `"title":"Tree"`) {
		t.Fatalf("the child's links for its creator: %s", child.raw)
	}
	if g := e.want(e.do("GET", fmt.Sprintf("/api/v1/works/%d", cid), "", nil), http.StatusOK); strings.Contains(string(g.raw), `"Seed"`) {
		t.Fatalf("a pending link shows to a guest: %s", g.raw)
	}
	mine := e.want(e.do("GET", "/api/v1/me/related_works", e.alice, nil), http.StatusOK)
	if !strings.Contains(string(mine.raw), `"title":"Sprout"`) || !strings.Contains(string(mine.raw), `"state":"pending"`) {
		t.Fatalf("alice's related works %s", mine.raw)
	}
	path := fmt.Sprintf("/api/v1/works/%d/related/%d", orig, cid)
	e.want(e.do("PATCH", path, e.bob, map[string]any{"state": "approved"}), http.StatusForbidden)
	e.want(e.do("PATCH", path, e.alice, map[string]any{"state": "yes"}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", fmt.Sprintf("/api/v1/works/%d/related/%d", cid, orig), e.bob, map[string]any{"state": "approved"}), http.StatusNotFound)
	e.want(e.do("PATCH", path, e.alice, map[string]any{"state": "approved"}), http.StatusOK)
	p := e.want(e.do("GET", fmt.Sprintf("/api/v1/works/%d", orig), "", nil), http.StatusOK)
	if !strings.Contains(string(p.raw), `"inspired_works":[{"work_id":`) || !strings.Contains(string(p.raw), `"title":"Sprout"`) {
		t.Fatalf("the parent's inspired works %s", p.raw)
	}
	c := e.want(e.do("GET", fmt.Sprintf("/api/v1/works/%d", cid), "", nil), http.StatusOK)
	if !strings.Contains(string(c.raw), `"title":"Seed"`) || !strings.Contains(string(c.raw), `"kind":"translation"`) {
		t.Fatalf("the child's links %s", c.raw)
	}
}

// A creator who blocked you gets no link from your work, and no notice:
// the work is refused with a message and nothing is written.
func TestRelatedWorkToABlockerIsRefused(t *testing.T) {
	e := newEnv(t)
	post := func(token, title string, extra map[string]any) response {
		body := map[string]any{"title": title, "rating": "General Audiences", "warnings": []string{"No Archive Warnings Apply"},
			"fandoms": []string{"Garden Tales"}, "chapters": []map[string]any{{"body": "Words."}}}
		for k, v := range extra {
			body[k] = v
		}
		return e.do("POST", "/api/v1/works", token, body)
	}
	orig := e.want(post(e.alice, "Seed", nil), http.StatusCreated).num("id")
	e.want(e.do("POST", "/api/v1/me/blocked_users", e.alice, map[string]any{"name": "bob"}), http.StatusCreated)
	r := post(e.bob, "Unwanted", map[string]any{"related": []map[string]any{{"work_id": orig, "kind": "remix"}}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.raw), "blocked you") {
		t.Fatalf("a link to a blocker's work: %d %s", r.status, r.raw)
	}
	if g := e.want(e.do("GET", "/api/v1/works?q=Unwanted", "", nil), http.StatusOK); strings.Contains(string(g.raw), `"Unwanted"`) {
		t.Fatal("the refused work was written")
	}
	if mine := e.want(e.do("GET", "/api/v1/me/related_works", e.alice, nil), http.StatusOK); strings.Contains(string(mine.raw), "Unwanted") {
		t.Fatalf("the blocker was told: %s", mine.raw)
	}
	// A link elsewhere, or to an unblocked creator's work, still works.
	e.want(post(e.bob, "Fine", map[string]any{"related": []map[string]any{{"url": "https://elsewhere.example/t", "title": "T", "kind": "inspired_by"}}}), http.StatusCreated)
}
