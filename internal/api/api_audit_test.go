package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"quire/internal/archive"
)

// auditLine is one entry of GET /api/v1/admin/log, without its id and time.
type auditLine struct{ actor, action, target, reason string }

func (l auditLine) String() string {
	return fmt.Sprintf("%s %s %s %q", l.actor, l.action, l.target, l.reason)
}

// auditLog is the whole log through the API, oldest first.
func (e *env) auditLog(token, query string) []auditLine {
	e.t.Helper()
	r := e.want(e.do("GET", "/api/v1/admin/log?per_page=100"+query, token, nil), http.StatusOK)
	var out []auditLine
	for _, x := range r.list("entries") {
		m := x.(map[string]any)
		if m["at"] == nil || m["id"] == nil {
			e.t.Errorf("entry without id or time: %v", m)
		}
		out = append(out, auditLine{m["actor"].(string), m["action"].(string), m["target"].(string), m["reason"].(string)})
	}
	slices.Reverse(out)
	return out
}

// TestEveryAdminActionIsAudited drives each admin and moderator action the
// log had missed — the queue, settings, invitations, the review of first
// works, held comments, news and the banner — through the API, and reads
// the log back: one line each, in order, nothing for refused or empty
// changes.
func TestEveryAdminActionIsAudited(t *testing.T) {
	e := newReportsEnv(t, 0)
	ctx := context.Background()
	carol := e.user("carol")
	var want []auditLine
	expect := func(ls ...auditLine) { want = append(want, ls...) }

	// The queue: assign, note, resolve with a note, reopen, dismiss and
	// unassign at once.
	w := e.post(e.alice, work("Audited Tale"))
	rep := e.want(e.do("POST", "/api/v1/reports", e.bob, map[string]any{"target": path("work:%d", w), "reason": "spam"}), http.StatusCreated).num("id")
	rt := path("report:%d", rep)
	patch := func(body map[string]any) {
		t.Helper()
		e.want(e.do("PATCH", path("/api/v1/admin/reports/%d", rep), e.mod, body), http.StatusOK)
	}
	patch(map[string]any{"assignee": "mod"})
	expect(auditLine{"mod", archive.AuditAssignReport, rt, "assigned to mod"})
	patch(map[string]any{"note": "Looking into it."})
	expect(auditLine{"mod", archive.AuditNoteReport, rt, "Looking into it."})
	patch(map[string]any{"state": "resolved", "note": "The shop links are gone."})
	expect(auditLine{"mod", archive.AuditResolveReport, rt, "The shop links are gone."})
	patch(map[string]any{"state": "open"})
	expect(auditLine{"mod", archive.AuditReopenReport, rt, ""})
	patch(map[string]any{"state": "dismissed", "assignee": ""})
	expect(auditLine{"mod", archive.AuditDismissReport, rt, ""}, auditLine{"mod", archive.AuditAssignReport, rt, "unassigned"})
	patch(map[string]any{"state": "dismissed"}) // no change, no line
	e.want(e.do("PATCH", path("/api/v1/admin/reports/%d", rep), e.mod, map[string]any{"assignee": "bob"}), http.StatusUnprocessableEntity)

	// Settings: the change, named; the same settings again write nothing,
	// nor does a refused change.
	e.want(e.do("PATCH", "/api/v1/admin/settings", e.admin, map[string]any{"review_first_works": 1, "refuse_ratings": []string{"Explicit"}}), http.StatusOK)
	expect(auditLine{"root", archive.AuditChangeSettings, "settings", `refuse_ratings: "" → "Explicit"; review_first_works: "0" → "1"`})
	e.want(e.do("PATCH", "/api/v1/admin/settings", e.admin, map[string]any{"review_first_works": 1}), http.StatusOK)
	e.want(e.do("PATCH", "/api/v1/admin/settings", e.admin, map[string]any{"signup": "maybe"}), http.StatusUnprocessableEntity)

	// The review of first works: the archive holds bob's and carol's first
	// works; a moderator approves one with a note and rejects the other.
	held := e.post(e.bob, work("Held For Review"))
	expect(auditLine{"system", archive.AuditHoldWork, path("work:%d", held), "held for review: work 1 of the first 1 by bob, which a moderator approves before they are public"})
	refused := e.post(carol, work("Not Approved"))
	expect(auditLine{"system", archive.AuditHoldWork, path("work:%d", refused), "held for review: work 1 of the first 1 by carol, which a moderator approves before they are public"})
	e.want(e.do("POST", path("/api/v1/admin/review/%d/approve", held), e.mod, map[string]any{"note": "Fine."}), http.StatusOK)
	expect(auditLine{"mod", archive.AuditApproveWork, path("work:%d", held), "Fine."})
	e.want(e.do("POST", path("/api/v1/admin/review/%d/reject", refused), e.mod, map[string]any{"reason": " "}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", path("/api/v1/admin/review/%d/reject", refused), e.mod, map[string]any{"reason": "Off-topic for this archive."}), http.StatusOK)
	expect(auditLine{"mod", archive.AuditRejectWork, path("work:%d", refused), "Off-topic for this archive."})
	e.want(e.do("POST", path("/api/v1/admin/review/%d/reject", refused), e.mod, map[string]any{"reason": "Again."}), http.StatusNotFound)
	e.want(e.do("POST", path("/api/v1/admin/review/%d/approve", refused), e.mod, nil), http.StatusNotFound)
	// A rejected work is hidden with the reason, which its creator sees.
	e.want(e.do("GET", path("/api/v1/works/%d", refused), "", nil), http.StatusNotFound)
	if r := e.want(e.do("GET", path("/api/v1/works/%d", refused), carol, nil), http.StatusOK); r.obj["hidden"] != true || !strings.Contains(string(r.raw), "Off-topic") {
		t.Errorf("the rejected work as its creator sees it: %s", r.raw)
	}
	if ids, _ := e.listIDs("", ""); slices.Contains(ids, refused) || !slices.Contains(ids, held) {
		t.Errorf("listing after the review: %v", ids)
	}

	// A guest comment with too many links is held, and the log says why.
	e.want(e.do("PATCH", path("/api/v1/works/%d", w), e.alice, map[string]any{"comment_permissions": "everyone"}), http.StatusOK)
	c := e.want(e.do("POST", path("/api/v1/works/%d/chapters/1/comments", w), "", map[string]any{"name": "Spammer", "email": "s@example.test",
		"body": "Buy at https://a.example.test and https://b.example.test and https://c.example.test"}), http.StatusCreated)
	expect(auditLine{"system", archive.AuditHoldComment, path("comment:%d", c.num("id")), "held for the creator's approval: a guest comment with 3 links (more than 2)"})
	e.want(e.do("POST", path("/api/v1/works/%d/chapters/1/comments", w), "", map[string]any{"name": "Reader", "email": "r@example.test",
		"body": "Lovely, see https://a.example.test"}), http.StatusCreated)

	// Invitations: from the queue, to an address, given to hand on. The log
	// never names an address (moderators read it).
	e.want(e.do("PATCH", "/api/v1/admin/settings", e.admin, map[string]any{"signup": "invite"}), http.StatusOK)
	expect(auditLine{"root", archive.AuditChangeSettings, "settings", `signup: "open" → "invite"`})
	for _, addr := range []string{"one@example.test", "two@example.test"} {
		if _, err := e.site.RequestInvitation(ctx, addr); err != nil {
			t.Fatal(err)
		}
	}
	e.want(e.do("POST", "/api/v1/admin/invitations", e.admin, map[string]any{"count": 5}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/admin/invitations", e.admin, map[string]any{"email": "three@example.test"}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/admin/users/alice/invitations", e.admin, map[string]any{"count": 2}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/admin/users/alice/invitations", e.admin, map[string]any{"count": 0}), http.StatusUnprocessableEntity)
	invs, err := e.site.Invitations(ctx, &archive.User{Name: "root", Roles: []string{archive.RoleAdmin}})
	if err != nil || len(invs.Recent) != 5 || invs.QueueLength != 0 {
		t.Fatalf("invitations %+v %v", invs, err)
	}
	sent := invs.Recent[2:] // newest first: alice's two, then three@, two@, one@
	expect(auditLine{"root", archive.AuditInvite, path("invitation:%d", sent[2].ID), "sent from the invitation queue"},
		auditLine{"root", archive.AuditInvite, path("invitation:%d", sent[1].ID), "sent from the invitation queue"},
		auditLine{"root", archive.AuditInvite, path("invitation:%d", sent[0].ID), "sent to an address an admin gave"},
		auditLine{"root", archive.AuditGiveInvitations, "user:alice", "2 invitations to hand on"})

	// News: post, edit, delete, each naming the post.
	n := e.want(e.do("POST", "/api/v1/admin/posts", e.admin, map[string]any{"title": "Archive news", "body": "We grew."}), http.StatusCreated).num("id")
	nt := path("news:%d", n)
	expect(auditLine{"root", archive.AuditPostNews, nt, "Archive news"})
	e.want(e.do("PATCH", path("/api/v1/admin/posts/%d", n), e.admin, map[string]any{"title": "Archive news, corrected"}), http.StatusOK)
	expect(auditLine{"root", archive.AuditEditNews, nt, "Archive news, corrected"})
	e.want(e.do("PATCH", path("/api/v1/admin/posts/%d", n), e.admin, map[string]any{"title": " "}), http.StatusUnprocessableEntity)
	e.want(e.do("DELETE", path("/api/v1/admin/posts/%d", n), e.admin, nil), http.StatusNoContent)
	expect(auditLine{"root", archive.AuditDeleteNews, nt, "Archive news, corrected"})

	// The banner: set (its text, as plain text), then removed.
	e.want(e.do("PUT", "/api/v1/admin/banner", e.admin, map[string]any{"text": "Maintenance <b>tonight</b>"}), http.StatusOK)
	expect(auditLine{"root", archive.AuditSetBanner, "banner", "Maintenance tonight"})
	e.want(e.do("PUT", "/api/v1/admin/banner", e.admin, map[string]any{"text": "<script>x()</script>"}), http.StatusUnprocessableEntity)
	e.want(e.do("PUT", "/api/v1/admin/banner", e.admin, map[string]any{"text": ""}), http.StatusOK)
	expect(auditLine{"root", archive.AuditRemoveBanner, "banner", ""})

	got := e.auditLog(e.mod, "")
	if !slices.Equal(got, want) {
		t.Errorf("audit log:\n%s\nwant:\n%s", lines(got), lines(want))
	}
	for _, l := range got {
		if strings.Contains(l.reason, "@example.test") {
			t.Errorf("the log names an address: %v", l)
		}
	}
	// Filters: by action and by target.
	if got := e.auditLog(e.mod, "&action=invite"); len(got) != 3 {
		t.Errorf("filtered by action: %v", got)
	}
	if got := e.auditLog(e.mod, "&target="+rt); len(got) != 6 {
		t.Errorf("filtered by target: %v", got)
	}
}

func lines(ls []auditLine) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString("  " + l.String() + "\n")
	}
	return b.String()
}

// The invitation a reader hands on is theirs, not a moderator's action:
// it writes no line.
func TestHandingOnAnInvitationIsNotAudited(t *testing.T) {
	e := newReportsEnv(t, 0)
	ctx := context.Background()
	if err := e.site.InitPolicy(ctx, archive.Policy{Signup: archive.SignupInvite}); err != nil {
		t.Fatal(err)
	}
	e.want(e.do("POST", "/api/v1/admin/users/alice/invitations", e.admin, map[string]any{"count": 1}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/me/invitations", e.alice, map[string]any{"email": "friend@example.test"}), http.StatusCreated)
	if got := e.auditLog(e.mod, ""); len(got) != 1 || got[0].action != archive.AuditGiveInvitations {
		t.Errorf("log: %v", got)
	}
}
