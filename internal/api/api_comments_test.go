package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func commentIDs(r response) (ids []int, depths []int) {
	for _, c := range r.list("comments") {
		m := c.(map[string]any)
		ids = append(ids, int(m["id"].(float64)))
		depths = append(depths, int(m["depth"].(float64)))
	}
	return ids, depths
}

func TestComments(t *testing.T) {
	e := newEnv(t)
	id := e.post(e.alice, work("Talked About"))
	cs := path("/api/v1/works/%d/chapters/1/comments", id)

	// Threads: replies nest under their parent, each level in order written.
	a := e.want(e.do("POST", cs, e.bob, map[string]any{"body": "First!"}), http.StatusCreated).num("id")
	b := e.want(e.do("POST", cs, e.alice, map[string]any{"body": "Second *root*", "format": "markdown"}), http.StatusCreated).num("id")
	a1 := e.want(e.do("POST", cs, e.alice, map[string]any{"body": "Thanks!", "parent_id": a}), http.StatusCreated).num("id")
	a1x := e.want(e.do("POST", cs, e.bob, map[string]any{"body": "<p>You're welcome<script>alert(1)</script></p>", "parent_id": a1}), http.StatusCreated)
	if strings.Contains(a1x.str("body"), "script") {
		t.Errorf("unsanitized %q", a1x.str("body"))
	}
	a2 := e.want(e.do("POST", cs, e.bob, map[string]any{"body": "Also", "parent_id": a}), http.StatusCreated).num("id")
	ids, depths := commentIDs(e.want(e.do("GET", cs, "", nil), http.StatusOK))
	want := []int{a, a1, a1x.num("id"), a2, b}
	if len(ids) != len(want) {
		t.Fatalf("thread %v, want %v", ids, want)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("thread %v, want %v", ids, want)
		}
	}
	if depths[0] != 0 || depths[1] != 1 || depths[2] != 2 || depths[3] != 1 || depths[4] != 0 {
		t.Errorf("depths %v", depths)
	}
	if g := e.do("GET", path("/api/v1/works/%d", id), "", nil); g.num("comments") != 5 {
		t.Errorf("comments count %d, want 5", g.num("comments"))
	}
	if ids, _ := e.listIDs("", "sort=comments"); len(ids) == 0 || ids[0] != id {
		t.Errorf("sort=comments %v", ids)
	}

	// Bad input.
	e.want(e.do("POST", cs, e.bob, map[string]any{"body": "  "}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", cs, e.bob, map[string]any{"body": "<p></p>"}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", cs, e.bob, map[string]any{"body": strings.Repeat("x", 10_001)}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", cs, e.bob, map[string]any{"body": "a", "parent_id": 999999}), http.StatusUnprocessableEntity)
	other := e.post(e.alice, work("Elsewhere"))
	oc := e.want(e.do("POST", path("/api/v1/works/%d/chapters/1/comments", other), e.bob, map[string]any{"body": "hi"}), http.StatusCreated).num("id")
	e.want(e.do("POST", cs, e.bob, map[string]any{"body": "a", "parent_id": oc}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", path("/api/v1/works/%d/chapters/9/comments", id), e.bob, map[string]any{"body": "a"}), http.StatusNotFound)

	// Guests: only where the work allows everyone.
	e.want(e.do("POST", cs, "", map[string]any{"body": "guest", "name": "G", "email": "g@example.test"}), http.StatusUnauthorized)
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"comment_permissions": "everyone"}), http.StatusOK)
	e.want(e.do("POST", cs, "", map[string]any{"body": "guest"}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", cs, "", map[string]any{"body": "guest", "name": "G", "email": "nope"}), http.StatusUnprocessableEntity)
	g := e.want(e.do("POST", cs, "", map[string]any{"body": "guest", "name": "Gwen", "email": "g@example.test"}), http.StatusCreated)
	if g.str("name") != "Gwen" || strings.Contains(string(g.raw), "g@example.test") {
		t.Errorf("guest comment %s", g.raw)
	}
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"comment_permissions": "none"}), http.StatusOK)
	if r := e.want(e.do("POST", cs, e.bob, map[string]any{"body": "closed"}), http.StatusForbidden); r.errCode() != "comments_disabled" {
		t.Errorf("none: %s", r.raw)
	}
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"comment_permissions": "registered"}), http.StatusOK)

	// Edit and delete: the writer edits; the writer or the creator deletes.
	carol := e.user("carol")
	e.want(e.do("PATCH", path("/api/v1/comments/%d", a), carol, map[string]any{"body": "hijack"}), http.StatusForbidden)
	if r := e.want(e.do("PATCH", path("/api/v1/comments/%d", a), e.bob, map[string]any{"body": "First, edited"}), http.StatusOK); !strings.Contains(r.str("body"), "edited") || r.str("edited_at") == "" {
		t.Errorf("edit %s", r.raw)
	}
	e.want(e.do("DELETE", path("/api/v1/comments/%d", a), carol, nil), http.StatusForbidden)
	e.want(e.do("DELETE", path("/api/v1/comments/%d", a), "", nil), http.StatusUnauthorized)
	e.want(e.do("DELETE", path("/api/v1/comments/%d", a), e.alice, nil), http.StatusNoContent)
	r := e.want(e.do("GET", cs, "", nil), http.StatusOK)
	first := r.list("comments")[0].(map[string]any)
	if first["deleted"] != true || first["name"] != "(Previous comment deleted.)" || first["body"] != "" {
		t.Errorf("deleted comment with replies: %v", first)
	}
	e.want(e.do("DELETE", path("/api/v1/comments/%d", a2), e.bob, nil), http.StatusNoContent)
	e.want(e.do("GET", path("/api/v1/comments/%d", a2), "", nil), http.StatusNotFound)

	// Freeze: no new replies under a frozen comment (or its replies).
	e.want(e.do("POST", path("/api/v1/comments/%d/freeze", b), e.bob, nil), http.StatusForbidden)
	e.want(e.do("POST", path("/api/v1/comments/%d/freeze", b), e.alice, nil), http.StatusOK)
	if r := e.want(e.do("POST", cs, e.bob, map[string]any{"body": "late", "parent_id": b}), http.StatusForbidden); r.errCode() != "thread_frozen" {
		t.Errorf("frozen: %s", r.raw)
	}
	e.want(e.do("DELETE", path("/api/v1/comments/%d/freeze", b), e.alice, nil), http.StatusOK)
	e.want(e.do("POST", cs, e.bob, map[string]any{"body": "late", "parent_id": b}), http.StatusCreated)
}

func TestModeratedComments(t *testing.T) {
	e := newEnv(t)
	w := work("Moderated")
	w["moderated_comments"] = true
	id := e.post(e.alice, w)
	cs := path("/api/v1/works/%d/chapters/1/comments", id)
	held := e.want(e.do("POST", cs, e.bob, map[string]any{"body": "please approve"}), http.StatusCreated)
	if held.obj["approved"] != false {
		t.Errorf("held comment %s", held.raw)
	}
	own := e.want(e.do("POST", cs, e.alice, map[string]any{"body": "creator's own"}), http.StatusCreated)
	if own.obj["approved"] != true {
		t.Errorf("creator's comment %s", own.raw)
	}
	count := func(tok string) int { return len(e.want(e.do("GET", cs, tok, nil), http.StatusOK).list("comments")) }
	carol := e.user("carol")
	if count("") != 1 || count(carol) != 1 || count(e.bob) != 2 || count(e.alice) != 2 {
		t.Errorf("visible before approval: guest %d carol %d bob %d alice %d", count(""), count(carol), count(e.bob), count(e.alice))
	}
	if g := e.do("GET", path("/api/v1/works/%d", id), "", nil); g.num("comments") != 1 {
		t.Errorf("count before approval %d", g.num("comments"))
	}
	e.want(e.do("GET", path("/api/v1/comments/%d", held.num("id")), carol, nil), http.StatusNotFound)
	e.want(e.do("POST", path("/api/v1/comments/%d/approve", held.num("id")), e.bob, nil), http.StatusForbidden)
	e.want(e.do("POST", path("/api/v1/comments/%d/approve", held.num("id")), e.alice, nil), http.StatusOK)
	if count(carol) != 2 {
		t.Errorf("after approval carol sees %d", count(carol))
	}
	if g := e.do("GET", path("/api/v1/works/%d", id), "", nil); g.num("comments") != 2 {
		t.Errorf("count after approval %d", g.num("comments"))
	}
}

func TestCommentsOnDrafts(t *testing.T) {
	e := newEnv(t)
	dw := work("Draft Work")
	dw["draft"] = true
	did := e.post(e.alice, dw)
	e.want(e.do("POST", path("/api/v1/works/%d/chapters/1/comments", did), e.bob, map[string]any{"body": "hi"}), http.StatusNotFound)
	e.want(e.do("GET", path("/api/v1/works/%d/chapters/1/comments", did), e.bob, nil), http.StatusNotFound)
	e.want(e.do("POST", path("/api/v1/works/%d/chapters/1/comments", did), e.alice, map[string]any{"body": "hi"}), http.StatusUnprocessableEntity)

	id := e.post(e.alice, work("Posted"))
	e.want(e.do("POST", path("/api/v1/works/%d/chapters", id), e.alice, map[string]any{"body": "draft chapter", "draft": true}), http.StatusCreated)
	e.want(e.do("POST", path("/api/v1/works/%d/chapters/2/comments", id), e.bob, map[string]any{"body": "hi"}), http.StatusNotFound)
}

func TestCommentRateLimit(t *testing.T) {
	e := newEnv(t)
	id := e.post(e.alice, work("Busy"))
	cs := path("/api/v1/works/%d/chapters/1/comments", id)
	for i := 0; i < 10; i++ {
		e.want(e.do("POST", cs, e.bob, map[string]any{"body": "spam"}), http.StatusCreated)
	}
	r := e.want(e.do("POST", cs, e.bob, map[string]any{"body": "spam"}), http.StatusTooManyRequests)
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// The address is limited too: another account from the same address.
	r = e.want(e.do("POST", cs, e.user("carol"), map[string]any{"body": "spam"}), http.StatusTooManyRequests)
	if r.errCode() != "rate_limited" {
		t.Errorf("%s", r.raw)
	}
}
