package api_test

import (
	"net/http"
	"testing"
)

// The bookmark listings and the people and tag searches through the API.
func TestBookmarkListingsAndSearches(t *testing.T) {
	e := newEnv(t)
	carol := e.user("carol")
	plain := work("Open Door")
	plain["freeforms"] = []string{"Fluff"}
	w1 := e.post(e.alice, plain)
	members := work("Closed Door")
	members["restricted"] = true
	w2 := e.post(e.alice, members)
	e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"work_id": w1, "tags": []string{"cozy"}, "rec": true}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/users/bob/bookmarks", e.bob, map[string]any{"work_id": w2, "tags": []string{"cozy"}}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/users/carol/bookmarks", carol, map[string]any{"work_id": w1, "private": true}), http.StatusCreated)

	r := e.want(e.do("GET", "/api/v1/bookmarks", "", nil), http.StatusOK)
	if r.num("total") != 1 || len(r.list("bookmarks")) != 1 {
		t.Fatalf("guest: %s", r.raw)
	}
	tagsOf := r.list("bookmarker_tags")
	if len(tagsOf) != 1 || tagsOf[0].(map[string]any)["name"] != "cozy" || tagsOf[0].(map[string]any)["count"] != 1.0 {
		t.Errorf("bookmarker tags: %s", r.raw)
	}
	if fs := r.obj["facets"].(map[string]any)["freeform"].([]any); len(fs) != 1 || fs[0].(map[string]any)["name"] != "Fluff" {
		t.Errorf("facets: %s", r.raw)
	}
	if n := e.want(e.do("GET", "/api/v1/bookmarks", carol, nil), http.StatusOK).num("total"); n != 2 {
		t.Errorf("a logged-in reader sees %d bookmarks, want 2 (never carol's private one in the public list)", n)
	}
	if n := e.want(e.do("GET", "/api/v1/users/carol/bookmarks", carol, nil), http.StatusOK).num("total"); n != 1 {
		t.Errorf("carol's own list: %d", n)
	}
	if n := e.want(e.do("GET", "/api/v1/users/carol/bookmarks", e.bob, nil), http.StatusOK).num("total"); n != 0 {
		t.Errorf("carol's list for bob: %d", n)
	}
	if n := e.want(e.do("GET", "/api/v1/bookmarks?rec=true&bookmark_tag=COZY", e.bob, nil), http.StatusOK).num("total"); n != 1 {
		t.Errorf("rec and tag: %d", n)
	}
	if n := e.want(e.do("GET", "/api/v1/tags/Fluff/bookmarks", "", nil), http.StatusOK).num("total"); n != 1 {
		t.Errorf("tag's bookmarks: %d", n)
	}
	for _, bad := range []string{"/api/v1/bookmarks?sort=kudos", "/api/v1/bookmarks?rec=maybe", "/api/v1/bookmarks?page=0",
		"/api/v1/bookmarks?per_page=500", "/api/v1/bookmarks?order=sideways", "/api/v1/tags/No%20Such/bookmarks",
		"/api/v1/users/bob/bookmarks?complete=perhaps"} {
		if r := e.want(e.do("GET", bad, "", nil), http.StatusUnprocessableEntity); r.errMessage() == "" {
			t.Errorf("%s: no message", bad)
		}
	}
	e.want(e.do("GET", "/api/v1/users/nobody/bookmarks", "", nil), http.StatusNotFound)

	// People search: names holding q, with the works the caller may see.
	r = e.want(e.do("GET", "/api/v1/people/search?q=ali", "", nil), http.StatusOK)
	if people := r.list("people"); r.num("total") != 1 || len(people) != 1 || people[0].(map[string]any)["name"] != "alice" || people[0].(map[string]any)["works"] != 1.0 {
		t.Errorf("people search as a guest: %s", r.raw)
	}
	if p := e.want(e.do("GET", "/api/v1/people/search?q=ali", carol, nil), http.StatusOK).list("people"); p[0].(map[string]any)["works"] != 2.0 {
		t.Errorf("people search logged in: %v", p)
	}
	// Tag search: type, canonical, counts as the caller may see.
	r = e.want(e.do("GET", "/api/v1/tags/search?q=flu&type=freeform", "", nil), http.StatusOK)
	if tags := r.list("tags"); len(tags) != 1 || tags[0].(map[string]any)["name"] != "Fluff" || tags[0].(map[string]any)["works"] != 1.0 {
		t.Errorf("tag search: %s", r.raw)
	}
	for _, bad := range []string{"/api/v1/tags/search?type=colour", "/api/v1/tags/search?canonical=perhaps", "/api/v1/tags/search?page=x",
		"/api/v1/people/search?page=-1", "/api/v1/tags/search?fandom=Nowhere"} {
		if r := e.want(e.do("GET", bad, "", nil), http.StatusUnprocessableEntity); r.errMessage() == "" {
			t.Errorf("%s: no message", bad)
		}
	}
	long := make([]byte, 101)
	for i := range long {
		long[i] = 'a'
	}
	e.want(e.do("GET", "/api/v1/people/search?q="+string(long), "", nil), http.StatusUnprocessableEntity)
}
