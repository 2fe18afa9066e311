package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"quire/internal/api"
)

// adminOnly are the /api/v1/admin endpoints moderators may not use.
func adminOnly(path string) bool {
	for _, p := range []string{"/api/v1/admin/settings", "/api/v1/admin/invitations", "/api/v1/admin/users/{name}/invitations",
		"/api/v1/admin/users/{name}/roles", "/api/v1/admin/posts", "/api/v1/admin/banner"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// TestEveryAdminEndpointNeedsTheRole takes every /api/v1/admin endpoint —
// found from the API's own table, so a new one is checked without being
// listed here — without a token (401), as a reader (403), as a moderator
// (403 where only admins may) and, for reads, as staff (200); the refused
// requests change nothing.
func TestEveryAdminEndpointNeedsTheRole(t *testing.T) {
	e := newReportsEnv(t, 0)
	id := e.post(e.alice, work("Gatekept"))
	e.want(e.do("POST", "/api/v1/reports", e.bob, map[string]any{"target": path("work:%d", id), "reason": "spam"}), http.StatusCreated)
	before := e.auditTotal(e.mod)
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	body := map[string]any{"reason": "testing the gate", "until": future, "role": "moderator", "add": true, "count": 1, "email": "gate@example.test",
		"title": "Gate spam", "body": "Gate spam", "text": "Gate spam", "signup": "closed", "state": "resolved", "note": "gate"}
	var n int
	for _, ep := range api.Endpoints(e.site) {
		method, p, _ := strings.Cut(ep, " ")
		if !strings.HasPrefix(p, "/api/v1/admin/") && p != "/api/v1/admin" {
			continue
		}
		n++
		p = strings.NewReplacer("{id}", path("%d", id), "{name}", "alice").Replace(p)
		var b any
		if method != "GET" {
			b = body
		}
		if r := e.do(method, p, "", b); r.status != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d, want 401", method, p, r.status)
		}
		if r := e.do(method, p, e.bob, b); r.status != http.StatusForbidden {
			t.Errorf("%s %s as a reader: %d, want 403", method, p, r.status)
		}
		_, raw, _ := strings.Cut(ep, " ")
		if adminOnly(raw) {
			if r := e.do(method, p, e.mod, b); r.status != http.StatusForbidden {
				t.Errorf("%s %s as a moderator: %d, want 403 (admins only)", method, p, r.status)
			}
		}
		if method == "GET" {
			staff := e.mod
			if adminOnly(raw) {
				staff = e.admin
			}
			if r := e.do(method, p, staff, nil); r.status != http.StatusOK {
				t.Errorf("%s %s as staff: %d %s", method, p, r.status, r.raw)
			}
		}
	}
	if n < 25 {
		t.Fatalf("only %d admin endpoints found", n)
	}
	t.Logf("%d admin endpoints checked", n)
	// Nothing was done: the work is public, the report open, the policy
	// and banner as they were, the log as it was.
	e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), http.StatusOK)
	if q := e.queue(e.mod, ""); len(q) != 1 || q[0]["state"] != "open" {
		t.Errorf("the queue after the refused requests: %v", q)
	}
	if r := e.want(e.do("GET", "/api/v1/admin/settings", e.admin, nil), http.StatusOK); r.str("signup") != "open" {
		t.Errorf("settings after the refused requests: %s", r.raw)
	}
	if r := e.want(e.do("GET", "/api/v1/admin/banner", e.admin, nil), http.StatusOK); r.obj["active"] != false {
		t.Errorf("banner after the refused requests: %s", r.raw)
	}
	if got := e.auditTotal(e.mod); got != before {
		t.Errorf("the log grew from %d to %d entries", before, got)
	}
}
