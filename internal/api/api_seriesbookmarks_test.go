package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestSeriesBookmarks(t *testing.T) {
	e := newEnv(t)
	carol := e.user("carol")
	sid := e.want(e.do("POST", "/api/v1/series", e.alice, map[string]any{"title": "Lanterns"}), http.StatusCreated).num("id")
	one := e.post(e.alice, work("First"))
	e.want(e.do("PUT", path("/api/v1/series/%d/works/%d", sid, one), e.alice, nil), http.StatusOK)
	empty := e.want(e.do("POST", "/api/v1/series", e.alice, map[string]any{"title": "Nothing Yet"}), http.StatusCreated).num("id")

	// Create: notes, own tags, rec.
	r := e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{
		"series_id": sid, "notes": "A *fine* run", "notes_format": "markdown", "tags": []string{"Lamps", "lamps", "Night"}, "rec": true,
	}), http.StatusCreated)
	b1 := r.num("id")
	if r.num("series_id") != sid || r.str("series_title") != "Lanterns" || r.obj["available"] != true || r.obj["work_id"] != nil ||
		!strings.Contains(r.str("notes"), "<em>fine</em>") || !slices.Equal(strs(r.obj["tags"]), []string{"Lamps", "Night"}) || r.obj["rec"] != true {
		t.Fatalf("created series bookmark: %s", r.raw)
	}
	s, _ := r.obj["series"].(map[string]any)
	if s == nil || s["title"] != "Lanterns" || s["works"] != float64(1) || !strings.HasSuffix(s["url"].(string), path("/series/%d", sid)) {
		t.Fatalf("series object: %s", r.raw)
	}

	// Refusals: a repeat, a series the caller can't see, both targets.
	r = e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"series_id": sid}), http.StatusConflict)
	if !strings.Contains(r.errMessage(), "already bookmarked this series") {
		t.Errorf("409: %s", r.raw)
	}
	e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"series_id": empty}), http.StatusNotFound)
	e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"series_id": sid, "work_id": one}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", path("/api/v1/bookmarks/%d", b1), e.bob, map[string]any{"series_id": empty}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", path("/api/v1/bookmarks/%d", b1), e.bob, map[string]any{"work_id": one}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", path("/api/v1/bookmarks/%d", b1), e.alice, map[string]any{"notes": "mine now"}), http.StatusForbidden)

	// The series' count: public bookmarks, less those of muted users.
	e.want(e.do("POST", "/api/v1/users/carol/bookmarks", carol, map[string]any{"series_id": sid}), http.StatusCreated)
	priv := e.want(e.do("POST", "/api/v1/users/alice/bookmarks", e.alice, map[string]any{"series_id": sid, "private": true}), http.StatusCreated).num("id")
	if n := e.want(e.do("GET", path("/api/v1/series/%d", sid), "", nil), http.StatusOK).num("bookmarks"); n != 2 {
		t.Errorf("series bookmarks = %d, want 2 (private left out)", n)
	}
	e.want(e.do("PUT", "/api/v1/me/muted_users", e.alice, map[string]any{"names": []string{"carol"}}), http.StatusOK)
	if n := e.want(e.do("GET", path("/api/v1/series/%d", sid), e.alice, nil), http.StatusOK).num("bookmarks"); n != 1 {
		t.Errorf("series bookmarks for carol's muter = %d, want 1", n)
	}

	// Edit; the list; others never see a private one.
	r = e.want(e.do("PATCH", path("/api/v1/bookmarks/%d", b1), e.bob, map[string]any{"notes": "Still fine", "rec": false}), http.StatusOK)
	if r.obj["rec"] != false || !strings.Contains(r.str("notes"), "Still fine") || r.num("series_id") != sid {
		t.Fatalf("edited: %s", r.raw)
	}
	if ids, _ := e.bookmarkList("", "bob"); !slices.Equal(ids, []int{b1}) {
		t.Errorf("bob's list %v", ids)
	}
	e.want(e.do("GET", path("/api/v1/bookmarks/%d", priv), e.bob, nil), http.StatusNotFound)
	if ids, _ := e.bookmarkList(e.alice, "alice"); !slices.Equal(ids, []int{priv}) {
		t.Errorf("alice's own list %v", ids)
	}

	// A renamed series renames its bookmarks; a deleted one leaves them,
	// gone, to their owners only.
	e.want(e.do("PATCH", path("/api/v1/series/%d", sid), e.alice, map[string]any{"title": "Lanterns Lit"}), http.StatusOK)
	e.want(e.do("DELETE", path("/api/v1/series/%d", sid), e.alice, nil), http.StatusNoContent)
	r = e.want(e.do("GET", path("/api/v1/bookmarks/%d", b1), e.bob, nil), http.StatusOK)
	if r.obj["available"] != false || r.obj["series_id"] != nil || r.str("series_title") != "Lanterns Lit" || r.obj["series"] != nil ||
		!strings.Contains(r.str("status"), "series has been deleted") || !strings.Contains(r.str("notes"), "Still fine") {
		t.Fatalf("bookmark of a deleted series: %s", r.raw)
	}
	e.want(e.do("GET", path("/api/v1/bookmarks/%d", b1), e.alice, nil), http.StatusNotFound)
	if ids, _ := e.bookmarkList("", "bob"); len(ids) != 0 {
		t.Errorf("a gone series' bookmark listed for others: %v", ids)
	}
	if ids, _ := e.bookmarkList(e.bob, "bob"); !slices.Equal(ids, []int{b1}) {
		t.Errorf("bob's own list %v", ids)
	}
	e.want(e.do("DELETE", path("/api/v1/bookmarks/%d", b1), e.bob, nil), http.StatusNoContent)
}

func TestFeedTokenAPI(t *testing.T) {
	e := newEnv(t)
	r := e.want(e.do("GET", "/api/v1/me/feed_token", e.bob, nil), http.StatusOK)
	if r.obj["token"] != nil {
		t.Fatalf("token before any: %s", r.raw)
	}
	first := e.want(e.do("POST", "/api/v1/me/feed_token", e.bob, nil), http.StatusCreated).str("token")
	r = e.want(e.do("GET", "/api/v1/me/feed_token", e.bob, nil), http.StatusOK)
	if first == "" || r.str("token") != first || !strings.Contains(r.str("user_feed"), "/users/bob/feed.atom?token="+first) {
		t.Fatalf("token %q: %s", first, r.raw)
	}
	second := e.want(e.do("POST", "/api/v1/me/feed_token", e.bob, nil), http.StatusCreated).str("token")
	if second == first || e.want(e.do("GET", "/api/v1/me/feed_token", e.bob, nil), http.StatusOK).str("token") != second {
		t.Fatal("regenerating kept the old token")
	}
	if other := e.want(e.do("POST", "/api/v1/me/feed_token", e.alice, nil), http.StatusCreated).str("token"); other == second {
		t.Fatal("two readers share a token")
	}
	e.want(e.do("GET", "/api/v1/me/feed_token", "", nil), http.StatusUnauthorized)
}

// A reader who muted a user counts none of that user's comments, nor the
// replies under them; everyone else counts them all.
func TestCommentCountsLeaveOutMutedUsers(t *testing.T) {
	e := newEnv(t)
	carol := e.user("carol")
	id := e.post(e.alice, work("Talked About"))
	cs := path("/api/v1/works/%d/chapters/1/comments", id)
	c := e.want(e.do("POST", cs, carol, map[string]any{"body": "Carol here"}), http.StatusCreated).num("id")
	e.want(e.do("POST", cs, e.alice, map[string]any{"body": "Reply to Carol", "parent_id": c}), http.StatusCreated)
	e.want(e.do("POST", cs, e.bob, map[string]any{"body": "Bob here"}), http.StatusCreated)
	e.want(e.do("POST", cs, carol, map[string]any{"body": "Carol again"}), http.StatusCreated)

	count := func(token string) (one, listed int) {
		one = e.want(e.do("GET", path("/api/v1/works/%d", id), token, nil), http.StatusOK).num("comments")
		_, r := e.listIDs(token, "")
		for _, w := range r.list("works") {
			if m := w.(map[string]any); int(m["id"].(float64)) == id {
				listed = int(m["comments"].(float64))
			}
		}
		return one, listed
	}
	if one, listed := count(e.bob); one != 4 || listed != 4 {
		t.Fatalf("before muting: %d on the work, %d in the listing; want 4", one, listed)
	}
	e.want(e.do("PUT", "/api/v1/me/muted_users", e.bob, map[string]any{"names": []string{"carol"}}), http.StatusOK)
	if one, listed := count(e.bob); one != 1 || listed != 1 {
		t.Errorf("carol's muter sees %d on the work, %d in the listing; want 1", one, listed)
	}
	thread := e.want(e.do("GET", cs, e.bob, nil), http.StatusOK).list("comments")
	if len(thread) != 1 {
		t.Errorf("the thread shows %d comments to carol's muter, the count says 1", len(thread))
	}
	for _, tok := range []string{"", e.alice, carol} {
		if one, listed := count(tok); one != 4 || listed != 4 {
			t.Errorf("others see %d / %d, want 4", one, listed)
		}
	}
}
