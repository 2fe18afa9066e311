package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// testAuditedChanges: the changes that take audit entries write them in the
// same transaction — a refused change writes neither — and an entry
// without a target is given the row the change made.
func testAuditedChanges(t *testing.T, st store.Store) {
	ctx := context.Background()
	at := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	ann := newUser(t, st, "ann")
	mod := newUser(t, st, "mod")
	var want []string
	expect := func(e *archive.AuditEntry) {
		t.Helper()
		if e.ID == 0 {
			t.Fatalf("entry %+v has no id", e)
		}
		want = append(want, fmt.Sprintf("%s %s %s %s", e.Actor, e.Action, e.Target, e.Reason))
	}
	refused := func(what string, err error, want error) {
		t.Helper()
		if !errors.Is(err, want) {
			t.Fatalf("%s: %v, want %v", what, err, want)
		}
	}

	// A report's change.
	w := postWork(t, st, ann, "Reported", basicTags("F"), "text")
	r := &archive.Report{Target: archive.ReportTarget{Kind: archive.ReportWork, ID: w.ID}, Reason: "spam", State: archive.ReportOpen,
		ReporterID: mod.ID, CreatedAt: at}
	must(t, st.CreateReport(ctx, r))
	e := audit("mod", archive.AuditResolveReport, "", "done")
	must(t, st.UpdateReport(ctx, r.ID, archive.ReportResolved, mod.ID, nil, at, e, audit("mod", archive.AuditAssignReport, "", "assigned to mod")))
	if e.Target != fmt.Sprintf("report:%d", r.ID) {
		t.Fatalf("report entry target %q", e.Target)
	}
	want = append(want, "mod resolve_report "+e.Target+" done", "mod assign_report "+e.Target+" assigned to mod")
	refused("update an unknown report", st.UpdateReport(ctx, 9999, archive.ReportResolved, 0, nil, at, audit("mod", archive.AuditResolveReport, "", "x")), archive.ErrNotFound)

	// Settings.
	e = audit("boss", archive.AuditChangeSettings, "", `signup: "open" → "closed"`)
	must(t, st.SetSettings(ctx, map[string]string{"signup": "closed"}, e))
	expect(e)

	// Invitations: the address leaves the queue with the same write.
	_, err := st.QueueInviteRequest(ctx, "queued@example.test", at)
	must(t, err)
	inv := &archive.Invitation{Email: "Queued@example.test", SentAt: at}
	e = audit("boss", archive.AuditInvite, "", "sent from the invitation queue")
	must(t, st.CreateInvitation(ctx, inv, "hash-a", e))
	if e.Target != fmt.Sprintf("invitation:%d", inv.ID) {
		t.Fatalf("invitation entry target %q", e.Target)
	}
	expect(e)
	if _, err := st.InviteRequestPlace(ctx, "queued@example.test"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("the invited address is still queued: %v", err)
	}
	e = audit("boss", archive.AuditGiveInvitations, "user:ann", "2 invitations to hand on")
	must(t, st.GiveInvitations(ctx, ann.ID, 2, at, e))
	expect(e)
	refused("give to an unknown user", st.GiveInvitations(ctx, 99999, 1, at, audit("boss", archive.AuditGiveInvitations, "user:x", "1")), archive.ErrNotFound)

	// The review: a work held (its entry written with it), approved;
	// another held and rejected, which hides it with the reason.
	held := func(title string) *archive.Work {
		t.Helper()
		hw := &archive.Work{Title: title, Tags: basicTags("F"), Language: "en", CommentPermission: archive.CommentsRegistered, PostedAt: at, AwaitingReview: true}
		e := audit("system", archive.AuditHoldWork, "", "held")
		must(t, st.CreateWorks(ctx, []store.NewWork{{Work: hw, Chapters: []*archive.Chapter{{Body: archive.Rich{Source: "x", Format: archive.FormatHTML, HTML: "<p>x</p>"}, Words: 1}},
			PseudIDs: []int64{defaultPseud(t, st, ann)}, Audit: e}}))
		if e.Target != fmt.Sprintf("work:%d", hw.ID) {
			t.Fatalf("held work entry target %q", e.Target)
		}
		expect(e)
		return hw
	}
	ok, no := held("Approved"), held("Rejected")
	e = audit("mod", archive.AuditApproveWork, "", "fine")
	must(t, st.ApproveWork(ctx, ok.ID, e))
	expect(e)
	refused("approve twice", st.ApproveWork(ctx, ok.ID, audit("mod", archive.AuditApproveWork, "", "again")), archive.ErrNotFound)
	refused("reject an approved work", st.RejectWork(ctx, ok.ID, "no", audit("mod", archive.AuditRejectWork, "", "no")), archive.ErrNotFound)
	e = audit("mod", archive.AuditRejectWork, "", "off-topic")
	must(t, st.RejectWork(ctx, no.ID, "off-topic", e))
	expect(e)
	got, err := st.Work(ctx, no.ID)
	must(t, err)
	if !got.Hidden || got.HiddenReason != "off-topic" || got.AwaitingReview || got.HiddenByBan {
		t.Fatalf("rejected work: hidden %v reason %q awaiting %v byBan %v", got.Hidden, got.HiddenReason, got.AwaitingReview, got.HiddenByBan)
	}
	if ids, err := st.WorksAwaitingReview(ctx); err != nil || len(ids) != 0 {
		t.Fatalf("review queue after the review: %v %v", ids, err)
	}
	if row, err := st.IndexRow(ctx, no.ID); err != nil || !row.Hidden {
		t.Fatalf("index row of the rejected work: %+v %v", row, err)
	}

	// A held comment.
	cs, err := st.Chapters(ctx, w.ID, false)
	must(t, err)
	c := &archive.Comment{WorkID: w.ID, ChapterID: cs[0].ID, GuestName: "G", GuestEmail: "g@example.test", CreatedAt: at,
		Body: archive.Rich{Source: "links", Format: archive.FormatHTML, HTML: "<p>links</p>"}}
	e = audit("system", archive.AuditHoldComment, "", "three links")
	must(t, st.CreateComment(ctx, c, e))
	if e.Target != fmt.Sprintf("comment:%d", c.ID) {
		t.Fatalf("comment entry target %q", e.Target)
	}
	expect(e)

	// News and the banner.
	p := &archive.NewsPost{Title: "News", Body: archive.Rich{Source: "b", Format: archive.FormatHTML, HTML: "<p>b</p>"}, AuthorID: mod.ID, CreatedAt: at, UpdatedAt: at}
	e = audit("boss", archive.AuditPostNews, "", "News")
	must(t, st.CreateNewsPost(ctx, p, e))
	if e.Target != fmt.Sprintf("news:%d", p.ID) {
		t.Fatalf("news entry target %q", e.Target)
	}
	expect(e)
	e = audit("boss", archive.AuditEditNews, "", "News")
	must(t, st.UpdateNewsPost(ctx, p, e))
	expect(e)
	nc := &archive.NewsComment{PostID: p.ID, UserID: ann.ID, Body: archive.Rich{Source: "c", Format: archive.FormatHTML, HTML: "<p>c</p>"}, CreatedAt: at}
	must(t, st.CreateNewsComment(ctx, nc))
	e = audit("boss", archive.AuditDeleteNewsComment, "", "a comment by ann")
	must(t, st.DeleteNewsComment(ctx, nc.ID, e))
	expect(e)
	refused("delete a comment twice", st.DeleteNewsComment(ctx, nc.ID, audit("boss", archive.AuditDeleteNewsComment, "", "x")), archive.ErrNotFound)
	e = audit("boss", archive.AuditDeleteNews, "", "News")
	must(t, st.DeleteNewsPost(ctx, p.ID, e))
	expect(e)
	refused("edit a deleted post", st.UpdateNewsPost(ctx, p, audit("boss", archive.AuditEditNews, "", "x")), archive.ErrNotFound)
	refused("delete a post twice", st.DeleteNewsPost(ctx, p.ID, audit("boss", archive.AuditDeleteNews, "", "x")), archive.ErrNotFound)
	e = audit("boss", archive.AuditSetBanner, "", "Hello")
	_, err = st.SetBanner(ctx, archive.Rich{Source: "Hello", Format: archive.FormatHTML, HTML: "<p>Hello</p>"}, at, e)
	must(t, err)
	if e.Target != "banner" {
		t.Fatalf("banner entry target %q", e.Target)
	}
	expect(e)

	// The log holds exactly these, in order: none for the refused changes.
	es, total, err := st.AuditLog(ctx, store.AuditFilter{Limit: 100})
	must(t, err)
	var lines []string
	for i := len(es) - 1; i >= 0; i-- {
		lines = append(lines, fmt.Sprintf("%s %s %s %s", es[i].Actor, es[i].Action, es[i].Target, es[i].Reason))
	}
	if total != len(want) || fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Fatalf("audit log (%d):\n%v\nwant:\n%v", total, lines, want)
	}
}
