package api_test

import (
	"net/http"
	"testing"
)

// A reader hides works through the API: they leave that reader's listing,
// total and facets, nobody else's; the reader's own flags narrow exactly;
// a work the moderators hid never shows in the reader's hidden list.
func TestHiddenWorksAndReaderFilters(t *testing.T) {
	e := newEnv(t)
	author, reader, other := e.user("author"), e.user("reader"), e.user("other")
	w1 := e.post(author, work("First"))
	rare := work("Second")
	rare["freeforms"] = []string{"Only Here"}
	w2 := e.post(author, rare)
	w3 := e.post(author, work("Third"))

	e.want(e.do("POST", path("/api/v1/me/hidden_works/%d", w2), reader, nil), http.StatusNoContent)
	e.want(e.do("POST", path("/api/v1/me/hidden_works/%d", w2), reader, nil), http.StatusNoContent) // again: fine
	ids, r := e.listIDs(reader, "")
	if len(ids) != 2 || r.num("total") != 2 {
		t.Fatalf("the reader's listing after hiding: %v (total %d)", ids, r.num("total"))
	}
	for _, f := range r.obj["facets"].(map[string]any)["freeform"].([]any) {
		if f.(map[string]any)["name"] == "Only Here" {
			t.Fatal("a hidden work's tag is still in the reader's facets")
		}
	}
	if ids, r := e.listIDs(other, ""); len(ids) != 3 || r.num("total") != 3 {
		t.Fatalf("another reader's listing changed: %v", ids)
	}
	if ids, _ := e.listIDs("", ""); len(ids) != 3 {
		t.Fatalf("the guest listing changed: %v", ids)
	}
	got := e.want(e.do("GET", "/api/v1/me/hidden_works", reader, nil), http.StatusOK).list("works")
	if len(got) != 1 || int(got[0].(map[string]any)["id"].(float64)) != w2 {
		t.Fatalf("hidden works %v", got)
	}
	// Bad input.
	e.want(e.do("POST", "/api/v1/me/hidden_works/99999", reader, nil), http.StatusNotFound)
	e.want(e.do("POST", "/api/v1/me/hidden_works/abc", reader, nil), http.StatusNotFound)
	e.want(e.do("POST", path("/api/v1/me/hidden_works/%d", w1), author, nil), http.StatusUnprocessableEntity)
	e.want(e.do("POST", path("/api/v1/me/hidden_works/%d", w1), "", nil), http.StatusUnauthorized)
	e.want(e.do("GET", "/api/v1/me/hidden_works", "", nil), http.StatusUnauthorized)
	e.want(e.do("GET", "/api/v1/works?exclude_kudosed=yes", reader, nil), http.StatusUnprocessableEntity)

	// Kudos on First, marked for later: Third.
	e.want(e.do("POST", path("/api/v1/works/%d/kudos", w1), reader, nil), http.StatusCreated)
	if ids, r := e.listIDs(reader, "exclude_kudosed=true"); len(ids) != 1 || ids[0] != w3 || r.num("total") != 1 {
		t.Fatalf("exclude_kudosed: %v", ids)
	}
	if ids, _ := e.listIDs(reader, "exclude_bookmarked=true"); len(ids) != 2 {
		t.Fatalf("exclude_bookmarked with no bookmarks: %v", ids)
	}
	if ids, _ := e.listIDs("", "exclude_kudosed=true"); len(ids) != 3 {
		t.Fatalf("a guest's flag changed the listing: %v", ids)
	}

	// A work the moderators hid leaves the reader's list of hidden works too;
	// a draft can't be hidden (it does not exist for the reader).
	e.want(e.do("POST", path("/api/v1/me/hidden_works/%d", w3), reader, nil), http.StatusNoContent)
	mod := e.moderator("mod")
	e.want(e.do("POST", path("/api/v1/admin/works/%d/hide", w3), mod, map[string]any{"reason": "test"}), http.StatusOK)
	if got := e.want(e.do("GET", "/api/v1/me/hidden_works", reader, nil), http.StatusOK).list("works"); len(got) != 1 {
		t.Fatalf("a moderated work shows in the reader's hidden works: %v", got)
	}
	draft := work("Draft")
	draft["draft"] = true
	d := e.post(author, draft)
	e.want(e.do("POST", path("/api/v1/me/hidden_works/%d", d), reader, nil), http.StatusNotFound)

	// Undo.
	e.want(e.do("DELETE", path("/api/v1/me/hidden_works/%d", w2), reader, nil), http.StatusNoContent)
	if ids, _ := e.listIDs(reader, ""); len(ids) != 2 { // First and Second; Third is hidden by the moderators
		t.Fatalf("after the undo: %v", ids)
	}
}
