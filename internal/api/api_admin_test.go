package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
)

// moderator makes an account with the moderator role and returns its token.
func (e *env) moderator(name string) string {
	e.t.Helper()
	tok := e.user(name)
	if _, err := e.site.ChangeRole(context.Background(), nil, name, archive.RoleModerator, true, ""); err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func (e *env) auditTotal(mod string) int {
	e.t.Helper()
	return e.want(e.do("GET", "/api/v1/admin/log", mod, nil), 200).num("total")
}

func TestAdminRoutesNeedTheRole(t *testing.T) {
	e := newEnv(t)
	id := e.post(e.alice, work("Target"))
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	// Every /api/v1/admin endpoint, each with a body that would be valid.
	routes := []struct{ method, path string }{
		{"GET", "/api/v1/admin/log"},
		{"DELETE", path("/api/v1/admin/works/%d", id)},
		{"POST", path("/api/v1/admin/works/%d/hide", id)},
		{"POST", path("/api/v1/admin/works/%d/unhide", id)},
		{"DELETE", "/api/v1/admin/comments/1"},
		{"POST", "/api/v1/admin/comments/1/hide"},
		{"POST", "/api/v1/admin/comments/1/unhide"},
		{"GET", "/api/v1/admin/users"},
		{"GET", "/api/v1/admin/users/alice"},
		{"POST", "/api/v1/admin/users/alice/roles"},
		{"POST", "/api/v1/admin/users/alice/suspend"},
		{"POST", "/api/v1/admin/users/alice/unsuspend"},
		{"POST", "/api/v1/admin/users/alice/ban"},
		{"POST", "/api/v1/admin/users/alice/unban"},
		{"POST", "/api/v1/admin/users/alice/spam"},
	}
	for _, rt := range routes {
		var body any
		if rt.method != "GET" {
			body = map[string]any{"reason": "testing the gate", "until": future, "add": "moderator"}
		}
		if r := e.do(rt.method, rt.path, "", body); r.status != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d, want 401", rt.method, rt.path, r.status)
		}
		if r := e.do(rt.method, rt.path, e.bob, body); r.status != http.StatusForbidden {
			t.Errorf("%s %s by a reader: %d, want 403", rt.method, rt.path, r.status)
		}
	}
	// Nothing was done: the work is there and public, the log empty.
	e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), 200)
	admin := e.user("root")
	if _, err := e.site.ChangeRole(context.Background(), nil, "root", archive.RoleAdmin, true, ""); err != nil {
		t.Fatal(err)
	}
	log := e.want(e.do("GET", "/api/v1/admin/log?action=hide_work", admin, nil), 200)
	if log.num("total") != 0 || len(log.list("entries")) != 0 {
		t.Fatalf("gate let something through: %s", log.raw)
	}
}

func TestHideWorkAPI(t *testing.T) {
	e := newEnv(t)
	mod := e.moderator("mia")
	id := e.post(e.alice, work("Hide Me"))
	other := e.post(e.alice, work("Keep Me"))

	r := e.want(e.do("POST", path("/api/v1/admin/works/%d/hide", id), mod, map[string]any{"reason": "reported as copied"}), 200)
	if r.obj["hidden"] != true {
		t.Fatalf("hide answered %s", r.raw)
	}
	// Gone at once for readers: listing, count, work, a guest too.
	ids, list := e.listIDs(e.bob, "")
	if slices.Contains(ids, id) || !slices.Contains(ids, other) || list.num("total") != 1 {
		t.Fatalf("listing after hide = %v (%s)", ids, list.raw)
	}
	e.want(e.do("GET", path("/api/v1/works/%d", id), e.bob, nil), 404)
	e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), 404)
	// Its creator and the moderators still read it, with the reason.
	for _, tok := range []string{e.alice, mod} {
		w := e.want(e.do("GET", path("/api/v1/works/%d", id), tok, nil), 200)
		if w.obj["hidden"] != true || w.str("hidden_reason") != "reported as copied" {
			t.Fatalf("hidden work as its creator/moderator: %s", w.raw)
		}
	}
	// The creator is told in the inbox (and by mail, queued).
	inbox := e.want(e.do("GET", "/api/v1/me/inbox", e.alice, nil), 200)
	if kinds, _ := inboxKinds(inbox); !slices.Contains(kinds, "work_hidden") {
		t.Fatalf("creator's inbox: %s", inbox.raw)
	}
	if n, _ := e.store.PendingJobs(context.Background()); n == 0 {
		t.Fatal("no mail queued for the creator")
	}
	// Hiding twice is refused; unhide brings it back.
	e.want(e.do("POST", path("/api/v1/admin/works/%d/hide", id), mod, map[string]any{"reason": "again"}), 422)
	e.want(e.do("POST", path("/api/v1/admin/works/%d/unhide", id), mod, map[string]any{"reason": "cleared on appeal"}), 200)
	if ids, _ := e.listIDs(e.bob, ""); !slices.Contains(ids, id) {
		t.Fatalf("listing after unhide = %v", ids)
	}
	log := e.want(e.do("GET", path("/api/v1/admin/log?target=work:%d", id), mod, nil), 200)
	es := log.list("entries")
	if len(es) != 2 {
		t.Fatalf("log for the work: %s", log.raw)
	}
	first := es[0].(map[string]any)
	if first["action"] != "unhide_work" || first["actor"] != "mia" || first["reason"] != "cleared on appeal" || first["at"] == nil || first["id"] == nil {
		t.Fatalf("newest log entry: %v", first)
	}
	// Filter by actor and action, and page.
	if r := e.want(e.do("GET", "/api/v1/admin/log?actor=mia&action=hide_work&per_page=1", mod, nil), 200); r.num("total") != 1 || len(r.list("entries")) != 1 {
		t.Fatalf("filtered log: %s", r.raw)
	}
	if r := e.want(e.do("GET", "/api/v1/admin/log?page=2&per_page=1", mod, nil), 200); len(r.list("entries")) != 1 || r.num("page") != 2 {
		t.Fatalf("log page 2: %s", r.raw)
	}

	// A moderator deletes a work, with a reason.
	e.want(e.do("DELETE", path("/api/v1/admin/works/%d", other), mod, nil), 422)
	e.want(e.do("DELETE", path("/api/v1/admin/works/%d", other), mod, map[string]any{"reason": "spam"}), 204)
	e.want(e.do("GET", path("/api/v1/works/%d", other), e.alice, nil), 404)
}

func TestHideCommentAPI(t *testing.T) {
	e := newEnv(t)
	mod := e.moderator("mia")
	id := e.post(e.alice, work("Talked About"))
	c := e.want(e.do("POST", path("/api/v1/works/%d/chapters/1/comments", id), e.bob, map[string]any{"body": "a rude remark"}), 201)
	cid := c.num("id")
	e.want(e.do("POST", path("/api/v1/admin/comments/%d/hide", cid), mod, map[string]any{"reason": "rude"}), 200)
	e.want(e.do("GET", path("/api/v1/comments/%d", cid), e.alice, nil), 404)
	e.want(e.do("GET", path("/api/v1/comments/%d", cid), mod, nil), 200)
	if w := e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), 200); w.num("comments") != 0 {
		t.Fatalf("comment count with the comment hidden: %s", w.raw)
	}
	e.want(e.do("POST", path("/api/v1/admin/comments/%d/unhide", cid), mod, map[string]any{"reason": "fine after all"}), 200)
	e.want(e.do("GET", path("/api/v1/comments/%d", cid), e.alice, nil), 200)
	e.want(e.do("DELETE", path("/api/v1/admin/comments/%d?reason=spam", cid), mod, nil), 204)
	e.want(e.do("GET", path("/api/v1/comments/%d", cid), mod, nil), 404)
}

func TestSuspendAndBanAPI(t *testing.T) {
	e := newEnv(t)
	mod := e.moderator("mia")
	id := e.post(e.alice, work("Before"))
	until := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	r := e.want(e.do("POST", "/api/v1/admin/users/alice/suspend", mod, map[string]any{"until": until.Format(time.RFC3339), "reason": "cool off"}), 200)
	if r.str("suspended_until") != until.Format(time.RFC3339) || r.str("email") != "" {
		t.Fatalf("suspend answered %s (a moderator must not see the address)", r.raw)
	}
	// Reads work; every kind of write is 403 with the end.
	e.want(e.do("GET", path("/api/v1/works/%d", id), e.alice, nil), 200)
	for _, w := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/api/v1/works", work("During")},
		{"PATCH", path("/api/v1/works/%d", id), map[string]any{"title": "Renamed"}},
		{"POST", path("/api/v1/works/%d/kudos", id), nil},
		{"POST", "/api/v1/users/alice/bookmarks", map[string]any{"work_id": id}},
		{"POST", "/api/v1/series", map[string]any{"title": "S"}},
		{"POST", "/api/v1/me/pseuds", map[string]any{"name": "other_alice"}},
		{"POST", "/api/v1/subscriptions", map[string]any{"kind": "user", "target": "bob"}},
		{"POST", "/api/v1/me/feed_token", nil},
		{"DELETE", path("/api/v1/works/%d", id), nil},
	} {
		r := e.do(w.method, w.path, e.alice, w.body)
		if r.status != 403 || r.errCode() != "suspended" || !strings.Contains(r.errMessage(), until.Format("2006-01-02 15:04")) {
			t.Errorf("%s %s while suspended: %d %s", w.method, w.path, r.status, r.raw)
		}
	}
	// The suspension lifts itself at its end, on the clock.
	e.site.Now = func() time.Time { return until.Add(time.Second) }
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"title": "After"}), 200)
	e.site.Now = func() time.Time { return time.Now().UTC() }

	// Unsuspend early, then ban.
	e.want(e.do("POST", "/api/v1/admin/users/alice/unsuspend", mod, map[string]any{"reason": "appeal"}), 200)
	e.want(e.do("POST", "/api/v1/works", e.alice, work("Allowed")), 201)
	e.want(e.do("POST", "/api/v1/admin/users/alice/ban", mod, map[string]any{"reason": "repeated abuse"}), 200)
	if r := e.do("GET", "/api/v1/me", e.alice, nil); r.status != 401 {
		t.Fatalf("banned user's token: %d", r.status)
	}
	if ids, _ := e.listIDs(e.bob, ""); len(ids) != 0 {
		t.Fatalf("banned user's works still listed: %v", ids)
	}
	if _, err := e.site.Authenticate(context.Background(), "alice", "correct horse"); err == nil || !strings.Contains(err.Error(), "repeated abuse") {
		t.Fatalf("banned log-in: %v", err)
	}
	e.want(e.do("POST", "/api/v1/admin/users/alice/unban", mod, map[string]any{"reason": "second chance"}), 200)
	if ids, _ := e.listIDs(e.bob, ""); len(ids) != 2 {
		t.Fatalf("works after unban: %v", ids)
	}
	// Spam: banned and everything hidden; an unban shows nothing again.
	e.want(e.do("POST", "/api/v1/admin/users/alice/spam", mod, map[string]any{"reason": "spam account"}), 200)
	e.want(e.do("POST", "/api/v1/admin/users/alice/unban", mod, map[string]any{"reason": "lets them in"}), 200)
	if ids, _ := e.listIDs(e.bob, ""); len(ids) != 0 {
		t.Fatalf("works after spam and unban: %v", ids)
	}
}

func TestModerationBadInput(t *testing.T) {
	e := newEnv(t)
	mod := e.moderator("mia")
	id := e.post(e.alice, work("Fine"))
	own := e.post(mod, work("Mine"))
	before := e.auditTotal(mod)
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	for _, c := range []struct {
		method, path string
		body         any
		status       int
		says         string
	}{
		{"POST", path("/api/v1/admin/works/%d/hide", id), map[string]any{"reason": "  "}, 422, "reason"},
		{"POST", path("/api/v1/admin/works/%d/hide", id), map[string]any{}, 422, "reason"},
		{"POST", "/api/v1/admin/works/99999/hide", map[string]any{"reason": "x"}, 404, ""},
		{"POST", "/api/v1/admin/works/abc/hide", map[string]any{"reason": "x"}, 404, ""},
		{"POST", path("/api/v1/admin/works/%d/unhide", id), map[string]any{"reason": "x"}, 422, "not hidden"},
		{"POST", "/api/v1/admin/comments/99999/hide", map[string]any{"reason": "x"}, 404, ""},
		{"DELETE", "/api/v1/admin/comments/99999", map[string]any{"reason": "x"}, 404, ""},
		{"POST", "/api/v1/admin/users/nobody/ban", map[string]any{"reason": "x"}, 404, ""},
		{"POST", "/api/v1/admin/users/alice/suspend", map[string]any{"until": past, "reason": "x"}, 422, "past"},
		{"POST", "/api/v1/admin/users/alice/suspend", map[string]any{"until": "tomorrow", "reason": "x"}, 422, "until"},
		{"POST", "/api/v1/admin/users/alice/suspend", map[string]any{"reason": "x"}, 422, "until"},
		{"POST", "/api/v1/admin/users/alice/suspend", map[string]any{"until": future}, 422, "reason"},
		{"POST", "/api/v1/admin/users/mia/suspend", map[string]any{"until": future, "reason": "x"}, 422, "your own"},
		{"POST", "/api/v1/admin/users/mia/ban", map[string]any{"reason": "x"}, 422, "your own"},
		{"POST", "/api/v1/admin/users/alice/unban", map[string]any{"reason": "x"}, 422, "not banned"},
		{"POST", "/api/v1/admin/users/alice/ban", "{", 400, ""},
		{"POST", path("/api/v1/admin/works/%d/hide", own), map[string]any{"reason": "x"}, 422, "yours"},
		{"DELETE", path("/api/v1/admin/works/%d", own), map[string]any{"reason": "x"}, 422, "yours"},
	} {
		r := e.do(c.method, c.path, mod, c.body)
		if r.status != c.status || !strings.Contains(r.errMessage(), c.says) {
			t.Errorf("%s %s %v: %d %s, want %d saying %q", c.method, c.path, c.body, r.status, r.raw, c.status, c.says)
		}
	}
	if n := e.auditTotal(mod) - before; n != 0 {
		t.Fatalf("bad input wrote %d audit entries", n)
	}
	if ids, _ := e.listIDs(e.bob, ""); len(ids) != 2 {
		t.Fatal("bad input changed the listing")
	}
	// A moderator may not act on an admin, nor change roles.
	if _, err := e.site.ChangeRole(context.Background(), nil, "bob", archive.RoleAdmin, true, ""); err != nil {
		t.Fatal(err)
	}
	e.want(e.do("POST", "/api/v1/admin/users/bob/ban", mod, map[string]any{"reason": "x"}), 403)
	// The last admin keeps the role.
	if _, err := e.site.ChangeRole(context.Background(), nil, "bob", archive.RoleAdmin, false, ""); err == nil || !strings.Contains(err.Error(), "last admin") {
		t.Fatalf("demoting the last admin: %v", err)
	}
}

// TestSuspensionEndsByJob: the job the suspension scheduled lifts it once
// due, and writes the audit line; a suspension extended meanwhile stays.
func TestSuspensionEndsByJob(t *testing.T) {
	e := newEnv(t)
	mod := e.moderator("mia")
	ctx := context.Background()
	first := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	later := first.Add(24 * time.Hour)
	e.want(e.do("POST", "/api/v1/admin/users/alice/suspend", mod, map[string]any{"until": first.Format(time.RFC3339), "reason": "one hour"}), 200)
	e.want(e.do("POST", "/api/v1/admin/users/bob/suspend", mod, map[string]any{"until": first.Format(time.RFC3339), "reason": "one hour"}), 200)
	e.want(e.do("POST", "/api/v1/admin/users/bob/unsuspend", mod, map[string]any{"reason": "early"}), 200)
	e.want(e.do("POST", "/api/v1/admin/users/bob/suspend", mod, map[string]any{"until": later.Format(time.RFC3339), "reason": "a day"}), 200)

	// Not due yet: nothing runs.
	if n, err := e.site.Jobs.RunDue(ctx); err != nil || n != 0 {
		t.Fatalf("jobs run before the end: %d, %v", n, err)
	}
	after := func() time.Time { return first.Add(time.Second) }
	e.site.Jobs.Now, e.site.Now = after, after
	if _, err := e.site.Jobs.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	if u, _ := e.store.UserByName(ctx, "alice"); !u.SuspendedUntil.IsZero() {
		t.Fatalf("alice still suspended until %v", u.SuspendedUntil)
	}
	if u, _ := e.store.UserByName(ctx, "bob"); !u.SuspendedUntil.Equal(later) {
		t.Fatalf("bob's longer suspension was lifted: %v", u.SuspendedUntil)
	}
	log := e.want(e.do("GET", "/api/v1/admin/log?actor=system", mod, nil), 200)
	if log.num("total") != 1 || log.list("entries")[0].(map[string]any)["target"] != "user:alice" {
		t.Fatalf("system's log: %s", log.raw)
	}
}

func TestAdminUsersAPI(t *testing.T) {
	e := newEnv(t)
	mod := e.moderator("mia")
	root := e.user("root")
	if _, err := e.site.ChangeRole(context.Background(), nil, "root", archive.RoleAdmin, true, ""); err != nil {
		t.Fatal(err)
	}
	id := e.post(e.alice, work("Listed"))
	// Moderators find accounts by name, never see or search addresses.
	r := e.want(e.do("GET", "/api/v1/admin/users?q=ali", mod, nil), 200)
	if r.num("total") != 1 || strings.Contains(string(r.raw), "@") {
		t.Fatalf("moderator's search: %s", r.raw)
	}
	if r := e.want(e.do("GET", "/api/v1/admin/users?q=example.test", mod, nil), 200); r.num("total") != 0 {
		t.Fatalf("moderator searched addresses: %s", r.raw)
	}
	if r := e.want(e.do("GET", "/api/v1/admin/users?q=alice@", root, nil), 200); r.num("total") != 1 || !strings.Contains(string(r.raw), "alice@example.test") {
		t.Fatalf("admin's search: %s", r.raw)
	}
	// One account: works and history.
	e.want(e.do("POST", path("/api/v1/admin/works/%d/hide", id), mod, map[string]any{"reason": "checking"}), 200)
	e.want(e.do("POST", "/api/v1/admin/users/alice/ban", mod, map[string]any{"reason": "abuse"}), 200)
	acct := e.want(e.do("GET", "/api/v1/admin/users/alice", mod, nil), 200)
	if !strings.Contains(string(acct.raw), `"banned":true`) || !strings.Contains(string(acct.raw), `"hidden_reason":"checking"`) ||
		!strings.Contains(string(acct.raw), `"action":"ban"`) {
		t.Fatalf("account: %s", acct.raw)
	}
	e.want(e.do("GET", "/api/v1/admin/users/nobody", mod, nil), 404)
	// Roles: admins only; bad input refused.
	e.want(e.do("POST", "/api/v1/admin/users/bob/roles", mod, map[string]any{"add": "wrangler", "reason": "x"}), 403)
	e.want(e.do("POST", "/api/v1/admin/users/bob/roles", root, map[string]any{"add": "wrangler"}), 422)
	e.want(e.do("POST", "/api/v1/admin/users/bob/roles", root, map[string]any{"add": "king", "reason": "x"}), 422)
	e.want(e.do("POST", "/api/v1/admin/users/bob/roles", root, map[string]any{"add": "wrangler", "remove": "admin", "reason": "x"}), 422)
	e.want(e.do("POST", "/api/v1/admin/users/root/roles", root, map[string]any{"remove": "admin", "reason": "x"}), 422)
	r = e.want(e.do("POST", "/api/v1/admin/users/bob/roles", root, map[string]any{"add": "wrangler", "reason": "tags"}), 200)
	if roles := r.list("roles"); len(roles) != 1 || roles[0] != "wrangler" {
		t.Fatalf("roles: %s", r.raw)
	}
}
