package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"quire/internal/site"
)

// bookmarkList fetches a user's bookmarks as token sees them.
func (e *env) bookmarkList(token, name string) (ids []int, r response) {
	e.t.Helper()
	r = e.want(e.do("GET", "/api/v1/users/"+name+"/bookmarks", token, nil), http.StatusOK)
	for _, b := range r.list("bookmarks") {
		ids = append(ids, int(b.(map[string]any)["id"].(float64)))
	}
	if r.num("total") != len(ids) {
		e.t.Errorf("total %d for %d bookmarks: %s", r.num("total"), len(ids), r.raw)
	}
	return ids, r
}

func (e *env) bookmarkCount(workID int) int {
	e.t.Helper()
	return e.want(e.do("GET", path("/api/v1/works/%d", workID), "", nil), http.StatusOK).num("bookmarks")
}

func TestBookmarks(t *testing.T) {
	e := newEnv(t)
	carol := e.user("carol")
	w1 := e.post(e.alice, work("First Light"))
	w2 := e.post(e.alice, work("Second Wind"))

	// Create, with markdown notes, own tags and the rec flag.
	r := e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{
		"work_id": w1, "notes": "*loved* it <script>x()</script>", "notes_format": "markdown", "tags": []string{"Comfort read", " reread ", "comfort READ"}, "rec": true,
	}), http.StatusCreated)
	b1 := r.num("id")
	if !strings.Contains(r.str("notes"), "<em>loved</em>") || strings.Contains(r.str("notes"), "script") ||
		!slices.Equal(strs(r.obj["tags"]), []string{"Comfort read", "reread"}) || r.obj["rec"] != true || r.obj["private"] != false ||
		r.str("user") != "bob" || r.num("work_id") != w1 || r.obj["available"] != true || r.str("work_title") != "First Light" {
		t.Errorf("created bookmark: %s", r.raw)
	}
	if e.bookmarkCount(w1) != 1 {
		t.Errorf("bookmark count of w1 = %d, want 1", e.bookmarkCount(w1))
	}

	// Refusals.
	r = e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"work_id": w1}), http.StatusConflict)
	if !strings.Contains(r.errMessage(), "already bookmarked") {
		t.Errorf("409 message: %s", r.raw)
	}
	e.want(e.do("POST", "/api/v1/users/bob/bookmarks", "", map[string]any{"work_id": w2}), http.StatusUnauthorized)
	e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.alice, map[string]any{"work_id": w2}), http.StatusForbidden)
	e.want(e.do("POST", "/api/v1/users/nobody/bookmarks", e.alice, map[string]any{"work_id": w2}), http.StatusNotFound)
	e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"work_id": 9999}), http.StatusNotFound)
	e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"notes": "no work"}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"series_id": 9999}), http.StatusNotFound)
	r = e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"series_id": 1, "work_id": w2}), http.StatusUnprocessableEntity)
	if !strings.Contains(r.errMessage(), "not both") {
		t.Errorf("work and series: %s", r.raw)
	}
	e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"work_id": w2, "tags": []string{"a<b"}}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"work_id": w2, "notes": strings.Repeat("word ", 1001)}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"work_id": w2, "notes_format": "rtf", "notes": "x"}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, `{"work_id": "two"}`), http.StatusBadRequest)
	if e.bookmarkCount(w2) != 0 {
		t.Fatalf("a refused bookmark counted")
	}

	// Counts and the bookmarks sort follow at once; private ones don't count.
	e.want(e.do("POST", "/api/v1/users/carol/bookmarks", carol, map[string]any{"work_id": w2}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/users/alice/bookmarks", e.alice, map[string]any{"work_id": w2}), http.StatusCreated)
	r = e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"work_id": w2, "private": true, "notes": "secret"}), http.StatusCreated)
	private := r.num("id")
	if got := e.bookmarkCount(w2); got != 2 {
		t.Errorf("bookmark count of w2 = %d, want 2 (the private one doesn't count)", got)
	}
	if ids, _ := e.listIDs("", "sort=bookmarks"); !slices.Equal(ids, []int{w2, w1}) {
		t.Errorf("sort=bookmarks: %v, want %v", ids, []int{w2, w1})
	}
	if ids, _ := e.listIDs("", "q=bookmarks>1"); !slices.Equal(ids, []int{w2}) {
		t.Errorf("bookmarks>1: %v", ids)
	}

	// Private bookmarks: only their owner sees them.
	if ids, _ := e.bookmarkList(e.bob, "bob"); !slices.Equal(ids, []int{private, b1}) {
		t.Errorf("bob's own list: %v", ids)
	}
	for _, tok := range []string{"", e.alice} {
		if ids, _ := e.bookmarkList(tok, "bob"); !slices.Equal(ids, []int{b1}) {
			t.Errorf("bob's list for others: %v, want only the public one", ids)
		}
	}
	e.want(e.do("GET", path("/api/v1/bookmarks/%d", private), e.alice, nil), http.StatusNotFound)
	e.want(e.do("GET", path("/api/v1/bookmarks/%d", private), e.bob, nil), http.StatusOK)
	e.want(e.do("GET", "/api/v1/users/nobody/bookmarks", "", nil), http.StatusNotFound)

	// Nobody else edits or deletes them.
	e.want(e.do("PATCH", path("/api/v1/bookmarks/%d", private), e.alice, map[string]any{"notes": "mine now"}), http.StatusNotFound)
	e.want(e.do("DELETE", path("/api/v1/bookmarks/%d", private), e.alice, nil), http.StatusNotFound)
	e.want(e.do("PATCH", path("/api/v1/bookmarks/%d", b1), e.alice, map[string]any{"notes": "mine now"}), http.StatusForbidden)
	e.want(e.do("DELETE", path("/api/v1/bookmarks/%d", b1), e.alice, nil), http.StatusForbidden)
	e.want(e.do("DELETE", path("/api/v1/bookmarks/%d", b1), "", nil), http.StatusUnauthorized)
	e.want(e.do("PATCH", path("/api/v1/bookmarks/%d", 9999), e.bob, map[string]any{"rec": false}), http.StatusNotFound)

	// The owner edits: only the fields sent change; private at once uncounts.
	r = e.want(e.do("PATCH", path("/api/v1/bookmarks/%d", b1), e.bob, map[string]any{"private": true}), http.StatusOK)
	if r.obj["private"] != true || r.obj["rec"] != true || !strings.Contains(r.str("notes"), "<em>loved</em>") || len(strs(r.obj["tags"])) != 2 {
		t.Errorf("patched: %s", r.raw)
	}
	if e.bookmarkCount(w1) != 0 {
		t.Errorf("a private bookmark still counts")
	}
	e.want(e.do("PATCH", path("/api/v1/bookmarks/%d", b1), e.bob, map[string]any{"work_id": w2}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", path("/api/v1/bookmarks/%d", b1), e.bob, map[string]any{"private": false, "tags": []string{}}), http.StatusOK)
	if e.bookmarkCount(w1) != 1 {
		t.Errorf("public again: count %d", e.bookmarkCount(w1))
	}

	// A bookmark outlives its work: the owner keeps it, marked gone.
	e.want(e.do("DELETE", path("/api/v1/works/%d", w1), e.alice, nil), http.StatusNoContent)
	_, r = e.bookmarkList(e.bob, "bob")
	var gone map[string]any
	for _, b := range r.list("bookmarks") {
		if m := b.(map[string]any); int(m["id"].(float64)) == b1 {
			gone = m
		}
	}
	if gone == nil || gone["available"] != false || gone["work"] != nil || gone["work_id"] != nil ||
		gone["work_title"] != "First Light" || gone["status"] != site.GoneMessage || !strings.Contains(gone["notes"].(string), "<em>loved</em>") {
		t.Errorf("bookmark of a deleted work: %v", gone)
	}
	if ids, _ := e.bookmarkList(e.alice, "bob"); len(ids) != 0 {
		t.Errorf("others still see a bookmark of a deleted work: %v", ids)
	}
	// A new work can't inherit the old bookmark, even if it reused the id.
	w3 := e.post(e.alice, work("Third Time"))
	if e.bookmarkCount(w3) != 0 {
		t.Errorf("a new work inherited bookmarks")
	}
	e.want(e.do("GET", path("/api/v1/bookmarks/%d", b1), e.bob, nil), http.StatusOK)

	// The owner deletes; the count follows.
	e.want(e.do("DELETE", path("/api/v1/bookmarks/%d", private), e.bob, nil), http.StatusNoContent)
	e.want(e.do("DELETE", path("/api/v1/bookmarks/%d", private), e.bob, nil), http.StatusNotFound)
	if got := e.bookmarkCount(w2); got != 2 {
		t.Errorf("count after deleting a private bookmark: %d", got)
	}

	// Muting bob hides his bookmarks from the muter only.
	carolList := func(tok string) int { _, r := e.bookmarkList(tok, "carol"); return r.num("total") }
	e.want(e.do("PUT", "/api/v1/me/muted_users", e.alice, map[string]any{"names": []string{"carol"}}), http.StatusOK)
	if carolList(e.alice) != 0 || carolList(e.bob) != 1 {
		t.Errorf("muted user's bookmarks: alice sees %d, bob %d", carolList(e.alice), carolList(e.bob))
	}
}

func TestBookmarkPaging(t *testing.T) {
	e := newEnv(t)
	var want []int
	for i := 0; i < 5; i++ {
		w := e.post(e.alice, work(path("Work %d", i)))
		r := e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"work_id": w}), http.StatusCreated)
		want = append([]int{r.num("id")}, want...)
	}
	r := e.want(e.do("GET", "/api/v1/users/bob/bookmarks?per_page=2&page=3", "", nil), http.StatusOK)
	if r.num("total") != 5 || len(r.list("bookmarks")) != 1 || int(r.list("bookmarks")[0].(map[string]any)["id"].(float64)) != want[4] {
		t.Errorf("page 3 of 2: %s", r.raw)
	}
	e.want(e.do("GET", "/api/v1/users/bob/bookmarks?per_page=101", "", nil), http.StatusUnprocessableEntity)
	e.want(e.do("GET", "/api/v1/users/bob/bookmarks?page=0", "", nil), http.StatusUnprocessableEntity)
}
