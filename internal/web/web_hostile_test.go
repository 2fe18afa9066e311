package web_test

import (
	"net/url"
	"quire/internal/web"
	"testing"
)

// NUL bytes and invalid UTF-8 in what a reader sends answer with a 4xx or
// an empty result, never a 500 — on PostgreSQL too, which refuses both in
// text where SQLite stores them.
func TestNULAndInvalidUTF8InRequests(t *testing.T) {
	r := newRig(t, web.Options{})
	b := r.browser()
	b.signup("harbor_reader")
	for _, path := range []string{
		"/users/a%00b", "/users/%ff%fe", "/users/a%00b/works", "/users/a%00b/bookmarks",
		"/tags/a%00b", "/tags/%ff%fe/works", "/works?freeform=a%00b", "/works?q=a%00b", "/works?q=%ff%fe",
		"/api/v1/works?q=a%00b", "/api/v1/autocomplete/tags?type=freeform&q=a%00b",
	} {
		if p := b.get(path); p.status >= 500 {
			t.Errorf("GET %s: %d", path, p.status)
		}
	}
	guest := r.browser()
	for _, form := range []struct {
		path string
		v    url.Values
	}{
		{"/login", url.Values{"login": {"a\x00b"}, "password": {"x"}}},
		{"/login", url.Values{"login": {"\xff\xfe"}, "password": {"x"}}},
		{"/password_reset", url.Values{"login": {"a\x00b"}}},
		{"/signup", url.Values{"name": {"ab\x00c"}, "email": {"a\x00@example.test"}, "password": {"correct horse"}, "password_confirmation": {"correct horse"}}},
	} {
		if p := guest.post(form.path, form.v); p.status >= 500 {
			t.Errorf("POST %s %q: %d", form.path, form.v, p.status)
		}
	}
}
