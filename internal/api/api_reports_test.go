package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"quire/internal/api"
	"quire/internal/archive"
	"quire/internal/site"
	"quire/internal/site/sitetest"
)

// reportsEnv is env with a moderator and an admin beside alice and bob.
type reportsEnv struct {
	*env
	mod, admin string
}

func newReportsEnv(t *testing.T, limit int) *reportsEnv {
	t.Helper()
	ctx := context.Background()
	rig := sitetest.Open(t, sitetest.Options{BaseURL: "http://example.test"})
	st, s := rig.Store, rig.Site
	s.ReportRateLimit = limit
	e := &env{t: t, site: s, store: st}
	e.srv = httptest.NewServer(api.New(s, api.Options{}))
	t.Cleanup(e.srv.Close)
	e.alice, e.bob = e.user("alice"), e.user("bob")
	re := &reportsEnv{env: e, mod: e.user("mod")}
	m, err := st.UserByName(ctx, "mod")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetUserRoles(ctx, m.ID, []string{archive.RoleModerator}); err != nil {
		t.Fatal(err)
	}
	a, err := s.Signup(ctx, site.SignupInput{Name: "root", Email: "root@example.test", Password: "correct horse", Confirmation: "correct horse", Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	if re.admin, err = s.CreateToken(ctx, a, "test"); err != nil {
		t.Fatal(err)
	}
	return re
}

// queue is the moderators' queue as the API lists it.
func (e *reportsEnv) queue(token, query string) []map[string]any {
	e.t.Helper()
	r := e.want(e.do("GET", "/api/v1/admin/reports"+query, token, nil), http.StatusOK)
	var out []map[string]any
	for _, x := range r.list("reports") {
		out = append(out, x.(map[string]any))
	}
	return out
}

func TestReportsAPI(t *testing.T) {
	e := newReportsEnv(t, 0)
	w := e.post(e.alice, work("Harbor Lights"))
	target := path("work:%d", w)

	// A guest (with an address for mail) and an account report the work.
	guest := e.want(e.do("POST", "/api/v1/reports", "", map[string]any{"target": target, "reason": "spam", "details": "Links to a shop.", "email": "passer@example.test"}), http.StatusCreated)
	byBob := e.want(e.do("POST", "/api/v1/reports", e.bob, map[string]any{"target": target, "reason": "wrong_rating_or_warnings"}), http.StatusCreated)
	if guest.num("id") == 0 || byBob.num("id") == 0 {
		t.Fatalf("ids: %s %s", guest.raw, byBob.raw)
	}
	// A second open report of the same thing by the same reporter.
	r := e.want(e.do("POST", "/api/v1/reports", e.bob, map[string]any{"target": target, "reason": "spam"}), http.StatusConflict)
	if !strings.Contains(r.errMessage(), "already reported") {
		t.Errorf("repeat: %s", r.raw)
	}
	e.want(e.do("POST", "/api/v1/reports", "", map[string]any{"target": target, "reason": "other"}), http.StatusConflict)
	e.want(e.do("POST", "/api/v1/reports", e.bob, map[string]any{"target": "user:alice", "reason": "harassment", "details": "Rude replies."}), http.StatusCreated)

	// Bad reports: a message, nothing written.
	draft := work("Unfinished")
	draft["draft"] = true
	draftID := e.post(e.alice, draft)
	long := strings.Repeat("a", archive.MaxReportDetails+1)
	for _, c := range []struct {
		name   string
		body   map[string]any
		status int
		msg    string
	}{
		{"no target", map[string]any{"reason": "spam"}, 422, "target"},
		{"malformed target", map[string]any{"target": "work:abc", "reason": "spam"}, 422, "not a work id"},
		{"unknown kind", map[string]any{"target": "novel:1", "reason": "spam"}, 422, "can be reported"},
		{"no such work", map[string]any{"target": "work:99999", "reason": "spam"}, 404, "no work 99999"},
		{"someone's draft", map[string]any{"target": path("work:%d", draftID), "reason": "spam"}, 404, "no work"},
		{"no such user", map[string]any{"target": "user:nobody", "reason": "spam"}, 404, "no user nobody"},
		{"no such comment", map[string]any{"target": "comment:77", "reason": "spam"}, 404, "no comment 77"},
		{"no reason", map[string]any{"target": target}, 422, "reason"},
		{"bad reason", map[string]any{"target": target, "reason": "rude"}, 422, "not a reason"},
		{"details too long", map[string]any{"target": "user:alice", "reason": "spam", "details": long}, 422, "limit is 5,000"},
		{"bad guest address", map[string]any{"target": "user:alice", "reason": "spam", "email": "nope"}, 422, "e-mail"},
	} {
		tok := e.bob
		if c.name == "bad guest address" {
			tok = ""
		}
		r := e.do("POST", "/api/v1/reports", tok, c.body)
		if r.status != c.status || !strings.Contains(r.errMessage(), c.msg) {
			t.Errorf("%s: %d %s, want %d with %q", c.name, r.status, r.raw, c.status, c.msg)
		}
	}
	e.want(e.do("POST", "/api/v1/reports", e.bob, map[string]any{"target": "user:bob", "reason": "spam"}), 422)
	if n := len(e.queue(e.mod, "?state=all")); n != 3 {
		t.Fatalf("%d reports after the refused ones, want 3", n)
	}

	// The queue: the work's two reports each count two.
	q := e.queue(e.mod, "")
	if len(q) != 3 {
		t.Fatalf("open queue: %d", len(q))
	}
	for _, rep := range q {
		want := 2.0
		if rep["target"] == "user:alice" {
			want = 1
		}
		if rep["count"] != want || rep["state"] != "open" {
			t.Errorf("%v: count %v, want %v", rep["target"], rep["count"], want)
		}
		if _, shown := rep["reporter_email"]; shown {
			t.Errorf("a moderator sees the reporter's address: %v", rep)
		}
	}
	last := q[2]
	snap, _ := last["snapshot"].(map[string]any)
	if last["target"] != target || last["reporter"] != nil || last["details"] != "Links to a shop." || snap["title"] != "Harbor Lights" ||
		snap["text"] != "Once upon a time." || snap["by"] != "alice" || snap["rating"] != "General Audiences" {
		t.Errorf("guest's report: %v", last)
	}
	// Admins see the reporter's address: the guest's, or the account's.
	for _, rep := range e.queue(e.admin, "") {
		want := "bob@example.test"
		if rep["reporter"] == nil {
			want = "passer@example.test"
		}
		if rep["reporter_email"] != want {
			t.Errorf("admin sees %v for %v", rep["reporter_email"], rep["reporter"])
		}
	}
	if got := e.queue(e.mod, "?reason=harassment"); len(got) != 1 || got[0]["target"] != "user:alice" || got[0]["reporter"] != "bob" {
		t.Errorf("by reason: %v", got)
	}
	if got := e.queue(e.mod, "?target="+target); len(got) != 2 || got[0]["target"] != target || got[1]["target"] != target {
		t.Errorf("by target: %v", got)
	}
	if got := e.queue(e.mod, "?target=user:alice&reason=spam"); len(got) != 0 {
		t.Errorf("by target and reason: %v", got)
	}
	e.want(e.do("GET", "/api/v1/admin/reports?target=novel:1", e.mod, nil), 422)
	if got := e.queue(e.mod, "?reporter=bob"); len(got) != 2 || got[0]["reporter"] != "bob" || got[1]["reporter"] != "bob" {
		t.Errorf("by reporter: %v", got)
	}
	e.want(e.do("GET", "/api/v1/admin/reports?reporter=nobody", e.mod, nil), 422)
	e.want(e.do("GET", "/api/v1/admin/reports?state=closed", e.mod, nil), 422)
	e.want(e.do("GET", "/api/v1/admin/reports?reason=rude", e.mod, nil), 422)

	// The snapshot stays as it was when the work is edited, then deleted.
	e.want(e.do("PATCH", path("/api/v1/works/%d", w), e.alice, map[string]any{"title": "Renamed"}), http.StatusOK)
	e.want(e.do("DELETE", path("/api/v1/works/%d", w), e.alice, nil), http.StatusNoContent)
	r = e.want(e.do("GET", path("/api/v1/admin/reports/%d", guest.num("id")), e.mod, nil), http.StatusOK)
	if s, _ := r.obj["snapshot"].(map[string]any); s["title"] != "Harbor Lights" || s["text"] != "Once upon a time." {
		t.Errorf("snapshot after edit and delete: %s", r.raw)
	}

	// Handling a report: bad state, an assignee who is no moderator, then
	// resolved with a note and an assignee.
	id := byBob.num("id")
	rp := path("/api/v1/admin/reports/%d", id)
	e.want(e.do("PATCH", rp, e.mod, map[string]any{"state": "closed"}), 422)
	r = e.want(e.do("PATCH", rp, e.mod, map[string]any{"assignee": "bob"}), 422)
	if !strings.Contains(r.errMessage(), "not a moderator") {
		t.Errorf("assignee: %s", r.raw)
	}
	e.want(e.do("PATCH", rp, e.mod, map[string]any{}), 422)
	e.want(e.do("PATCH", path("/api/v1/admin/reports/%d", 9999), e.mod, map[string]any{"state": "resolved"}), 404)
	r = e.want(e.do("PATCH", rp, e.mod, map[string]any{"state": "resolved", "note": "Rating fixed by the creator.", "assignee": "mod"}), http.StatusOK)
	notes := r.list("notes")
	if r.str("state") != "resolved" || r.str("assignee") != "mod" || len(notes) != 1 || notes[0].(map[string]any)["by"] != "mod" {
		t.Errorf("resolved: %s", r.raw)
	}
	r = e.want(e.do("PATCH", rp, e.admin, map[string]any{"assignee": nil}), http.StatusOK)
	if r.obj["assignee"] != nil || r.str("state") != "resolved" {
		t.Errorf("unassigned: %s", r.raw)
	}
	if got := e.queue(e.mod, "?state=resolved"); len(got) != 1 || got[0]["id"] != float64(id) {
		t.Errorf("resolved queue: %v", got)
	}
	if got := e.queue(e.mod, ""); len(got) != 2 {
		t.Errorf("open queue after resolving: %d", len(got))
	}
	// Bob's report of alice is still open.
	e.want(e.do("POST", "/api/v1/reports", e.bob, map[string]any{"target": "user:alice", "reason": "other"}), http.StatusConflict)
}

// Every queue route: 401 without a token, 403 for a reader, answered for
// moderators and admins.
func TestReportsQueueNeedsModerator(t *testing.T) {
	e := newReportsEnv(t, 0)
	id := e.want(e.do("POST", "/api/v1/reports", e.bob, map[string]any{"target": "user:alice", "reason": "spam"}), http.StatusCreated).num("id")
	for _, rt := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/admin/reports", nil},
		{"GET", path("/api/v1/admin/reports/%d", id), nil},
		{"PATCH", path("/api/v1/admin/reports/%d", id), map[string]any{"state": "dismissed"}},
	} {
		if r := e.do(rt.method, rt.path, "", rt.body); r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s %s without a token: %d", rt.method, rt.path, r.status)
		}
		for _, tok := range []string{e.alice, e.bob} {
			if r := e.do(rt.method, rt.path, tok, rt.body); r.status != http.StatusForbidden || !strings.Contains(r.errMessage(), "moderators") {
				t.Errorf("%s %s as a reader: %d %s", rt.method, rt.path, r.status, r.raw)
			}
		}
		for _, tok := range []string{e.mod, e.admin} {
			e.want(e.do(rt.method, rt.path, tok, rt.body), http.StatusOK)
		}
	}
}

func TestReportRateLimit(t *testing.T) {
	e := newReportsEnv(t, 2)
	var works []int
	for _, title := range []string{"One", "Two", "Three"} {
		works = append(works, e.post(e.alice, work(title)))
	}
	for _, tok := range []string{e.bob, ""} {
		for _, w := range works[:2] {
			e.want(e.do("POST", "/api/v1/reports", tok, map[string]any{"target": path("work:%d", w), "reason": "spam"}), http.StatusCreated)
		}
		r := e.want(e.do("POST", "/api/v1/reports", tok, map[string]any{"target": path("work:%d", works[2]), "reason": "spam"}), http.StatusTooManyRequests)
		if r.header.Get("Retry-After") == "" || r.errCode() != "rate_limited" || !strings.Contains(r.errMessage(), "2 reports in the last hour") {
			t.Errorf("over the limit: %v %s", r.header, r.raw)
		}
	}
	// Another account is counted on its own.
	e.want(e.do("POST", "/api/v1/reports", e.mod, map[string]any{"target": path("work:%d", works[2]), "reason": "spam"}), http.StatusCreated)
}
