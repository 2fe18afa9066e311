package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Saved searches through the API, in SPEC's shapes: create, list, change,
// a new feed URL, delete; each bad input a 4xx with a message; nobody
// reaches another reader's search.
func TestSavedSearchesAPI(t *testing.T) {
	e := newEnv(t)
	author, reader, other := e.user("author"), e.user("reader"), e.user("other")
	e.post(author, work("First"))

	r := e.want(e.do("POST", "/api/v1/me/searches", reader, map[string]any{"name": "Test fandom, complete",
		"params":  map[string]any{"fandom": []string{"Test Fandom"}, "complete": true, "words_from": 100, "sort": "kudos"},
		"default": true, "digest": "weekly"}), http.StatusCreated)
	id := r.num("id")
	params, _ := r.obj["params"].(map[string]any)
	if r.str("name") != "Test fandom, complete" || r.str("digest") != "weekly" || r.obj["default"] != true ||
		fmt.Sprint(params["fandom"]) != "[Test Fandom]" || params["complete"] != "true" || params["words_from"] != "100" ||
		!strings.Contains(r.str("feed_url"), "/searches/") || !strings.HasSuffix(r.str("feed_url"), "/feed.atom") {
		t.Fatalf("created %s", r.raw)
	}
	feed := r.str("feed_url")
	list := e.want(e.do("GET", "/api/v1/me/searches", reader, nil), http.StatusOK).list("searches")
	if len(list) != 1 {
		t.Fatalf("searches %v", list)
	}
	if l := e.want(e.do("GET", "/api/v1/me/searches", other, nil), http.StatusOK).list("searches"); len(l) != 0 {
		t.Fatalf("another reader sees %v", l)
	}
	// PATCH any subset.
	r = e.want(e.do("PATCH", path("/api/v1/me/searches/%d", id), reader, map[string]any{"name": "Renamed", "digest": "off"}), http.StatusOK)
	if r.str("name") != "Renamed" || r.str("digest") != "off" || r.obj["default"] != true || r.str("feed_url") != feed {
		t.Fatalf("patched %s", r.raw)
	}
	r = e.want(e.do("POST", path("/api/v1/me/searches/%d/feed_token", id), reader, nil), http.StatusOK)
	if r.str("feed_url") == feed {
		t.Fatal("the feed URL did not change")
	}

	for _, c := range []struct {
		method, path string
		token        string
		body         any
		status       int
	}{
		{"POST", "/api/v1/me/searches", "", map[string]any{"name": "x"}, 401},
		{"POST", "/api/v1/me/searches", reader, map[string]any{}, 422},
		{"POST", "/api/v1/me/searches", reader, map[string]any{"name": strings.Repeat("n", 101)}, 422},
		{"POST", "/api/v1/me/searches", reader, map[string]any{"name": "x", "digest": "hourly"}, 422},
		{"POST", "/api/v1/me/searches", reader, map[string]any{"name": "x", "params": map[string]any{"page": 2, "bogus": "1"}}, 422},
		{"POST", "/api/v1/me/searches", reader, map[string]any{"name": "x", "params": map[string]any{"tag": []any{[]any{"nested"}}}}, 422},
		{"POST", "/api/v1/me/searches", reader, map[string]any{"name": "x", "params": map[string]any{"tag": "Nowhere Tag"}}, 422},
		{"POST", "/api/v1/me/searches", reader, map[string]any{"name": "x", "params": map[string]any{"words_from": -3}}, 422},
		{"POST", "/api/v1/me/searches", reader, map[string]any{"name": "RENAMED"}, 409},
		{"POST", "/api/v1/me/searches", reader, `{"name": `, 400},
		{"POST", "/api/v1/me/searches", reader, map[string]any{"name": "x", "params": "tag=a"}, 400},
		{"PATCH", path("/api/v1/me/searches/%d", id), other, map[string]any{"name": "mine"}, 404},
		{"DELETE", path("/api/v1/me/searches/%d", id), other, nil, 404},
		{"PATCH", "/api/v1/me/searches/abc", reader, map[string]any{"name": "y"}, 404},
		{"PATCH", path("/api/v1/me/searches/%d", id), reader, map[string]any{"name": ""}, 422},
	} {
		got := e.do(c.method, c.path, c.token, c.body)
		if got.status != c.status {
			t.Errorf("%s %s %v: %d, want %d: %s", c.method, c.path, c.body, got.status, c.status, got.raw)
		}
	}
	e.want(e.do("DELETE", path("/api/v1/me/searches/%d", id), reader, nil), http.StatusNoContent)
	e.want(e.do("DELETE", path("/api/v1/me/searches/%d", id), reader, nil), http.StatusNotFound)
}
