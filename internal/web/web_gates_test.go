package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/web"
)

// staffPattern reports whether a route is for staff only: every page and
// form under /admin/, the moderation forms on works and comments, and the
// admins' news forms (news itself, its feed and readers' comments are
// public).
func staffPattern(pattern string) bool {
	method, path, _ := strings.Cut(pattern, " ")
	switch {
	case strings.HasPrefix(path, "/admin/"):
		return true
	case strings.HasSuffix(path, "/hide"), strings.HasSuffix(path, "/unhide"), strings.HasSuffix(path, "/moderator_delete"):
		return true
	case strings.HasPrefix(path, "/admin_posts"):
		switch method + " " + path {
		case "GET /admin_posts", "GET /admin_posts/feed.atom", "GET /admin_posts/{id}", "POST /admin_posts/{id}/comments":
			return false
		}
		return true
	}
	return false
}

// TestEveryStaffRouteNeedsTheRole takes every staff route the pages
// register — found from the routes themselves, so a new one is checked
// without being listed here — as a guest (401, the log-in form), a reader
// (403) and the right staff account; none is kept by a shared cache, and
// the refused requests change nothing.
func TestEveryStaffRouteNeedsTheRole(t *testing.T) {
	r := newRig(t, web.Options{})
	boss := r.admin("boss")
	author := r.browser()
	author.signup("author")
	work := author.postWork(url.Values{"title": {"Gatekept Tale"}})
	workID := strings.TrimPrefix(work, "/works/")
	post := boss.postNews("Gate news", "Nothing to see.", "html")
	postID := strings.TrimPrefix(post, "/admin_posts/")
	reader := r.browser()
	reader.signup("reader")
	mod := r.browser()
	mod.signup("keeper")
	r.grant("keeper", archive.RoleModerator)
	guest := r.browser()
	form := url.Values{"reason": {"testing the gate"}, "until": {"2099-01-01T00:00"}, "role": {"moderator"}, "state": {"resolved"},
		"target": {"work:" + workID}, "note": {"gate"}, "email": {"gate@example.test"}, "count": {"1"}, "user": {"reader"},
		"title": {"Gate spam"}, "body": {"Gate spam"}, "text": {"Gate spam"}, "signup": {"closed"}}

	var staff []string
	for _, p := range web.Patterns(r.site) {
		if staffPattern(p) {
			staff = append(staff, p)
		}
	}
	t.Logf("%d staff routes: %v", len(staff), staff)
	if len(staff) < 30 {
		t.Fatalf("only %d staff routes found: %v", len(staff), staff)
	}
	for _, p := range staff {
		method, path, _ := strings.Cut(p, " ")
		switch {
		case strings.HasPrefix(path, "/works/{id}"), strings.HasPrefix(path, "/admin/review/{id}"):
			path = strings.Replace(path, "{id}", workID, 1)
		case strings.HasPrefix(path, "/admin_posts/{id}"):
			path = strings.Replace(path, "{id}", postID, 1)
		}
		path = strings.NewReplacer("{id}", "1", "{name}", "author").Replace(path)
		var body url.Values
		if method == http.MethodPost {
			body = form
		}
		g := guest.send(method, path, body)
		if g.status != http.StatusUnauthorized || g.header.Get("Cache-Control") != "private, no-store" || !strings.Contains(string(g.body), `name="return_to"`) {
			t.Errorf("%s %s as a guest: %d, Cache-Control %q; want 401 with the log-in form, private, no-store", method, path, g.status, g.header.Get("Cache-Control"))
		}
		rd := reader.send(method, path, body)
		if rd.status != http.StatusForbidden || rd.header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("%s %s as a reader: %d, Cache-Control %q; want 403, private, no-store", method, path, rd.status, rd.header.Get("Cache-Control"))
		}
		if method == http.MethodGet {
			staffer := mod
			if strings.HasPrefix(path, "/admin/settings") || strings.HasPrefix(path, "/admin/invitations") || strings.HasPrefix(path, "/admin/banner") ||
				strings.HasPrefix(path, "/admin_posts") {
				staffer = boss
				if m := mod.send(method, path, nil); m.status != http.StatusForbidden {
					t.Errorf("%s %s as a moderator: %d, want 403 (admins only)", method, path, m.status)
				}
			}
			if s := staffer.send(method, path, nil); s.status != http.StatusOK || s.header.Get("Cache-Control") != "private, no-store" {
				t.Errorf("%s %s as staff: %d, Cache-Control %q", method, path, s.status, s.header.Get("Cache-Control"))
			}
		}
	}
	// Nothing the refused requests asked for happened.
	reader.get(work).status_(t, 200).lacks(t, "hidden by the moderators")
	reader.get(post).status_(t, 200).has(t, "Gate news")
	reader.get("/admin_posts").status_(t, 200).lacks(t, "Gate spam")
	reader.get("/").status_(t, 200).lacks(t, "Gate spam")
	reader.get("/signup").status_(t, 200).lacks(t, "closed")
	if got := auditEntries(t, mod, ""); len(got) != 2 { // the role grant and the news post
		t.Errorf("the log after the refused requests: %v", got)
	}
}
