package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

// Reading a chapter through the API lands in GET /api/v1/me/history with a
// link back to it; Mark for Later and clearing work; guests get 401.
func TestHistoryAPI(t *testing.T) {
	e := newEnv(t)
	id := e.post(e.alice, work("Read Me"))
	e.want(e.do("GET", "/api/v1/me/history", "", nil), http.StatusUnauthorized)
	e.want(e.do("GET", fmt.Sprintf("/api/v1/works/%d/chapters/1", id), e.bob, nil), http.StatusOK)
	h := e.want(e.do("GET", "/api/v1/me/history", e.bob, nil), http.StatusOK)
	if h.num("total") != 1 {
		t.Fatalf("history: %s", h.raw)
	}
	e.want(e.do("POST", fmt.Sprintf("/api/v1/works/%d/mark_for_later", id), e.bob, nil), http.StatusNoContent)
	if l := e.want(e.do("GET", "/api/v1/me/history?later=true", e.bob, nil), http.StatusOK); l.num("total") != 1 {
		t.Fatalf("marked for later: %s", l.raw)
	}
	e.want(e.do("POST", "/api/v1/works/999999/mark_for_later", e.bob, nil), http.StatusNotFound)
	e.want(e.do("DELETE", "/api/v1/me/history", e.bob, nil), http.StatusNoContent)
	if h := e.want(e.do("GET", "/api/v1/me/history", e.bob, nil), http.StatusOK); h.num("total") != 0 {
		t.Fatalf("after clearing: %s", h.raw)
	}
	// The creator's own reading is not recorded.
	e.want(e.do("GET", fmt.Sprintf("/api/v1/works/%d/chapters/1", id), e.alice, nil), http.StatusOK)
	if h := e.want(e.do("GET", "/api/v1/me/history", e.alice, nil), http.StatusOK); h.num("total") != 0 {
		t.Fatalf("creator's history: %s", h.raw)
	}
}
