package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/site"
	"quire/internal/store/testdb"
)

// TestQueueHidesAndPages: the queue pages by target (50 a page), and each
// reported work or comment has its hide button there, which can resolve
// the target's open reports in the same step and comes back to the page.
func TestQueueHidesAndPages(t *testing.T) {
	sink := newSMTPSink(t)
	r := openMailRig(t, testdb.Location(t), sink)
	ctx := context.Background()
	alice := r.user("alice", false)
	bob := r.user("bob", false)
	carol := r.user("carol", false)
	r.moderator("mod")
	report := func(by *archive.User, target string) {
		t.Helper()
		if _, err := r.site.FileReport(ctx, site.Visitor{User: by}, site.ReportInput{Target: target, Reason: "spam"}); err != nil {
			t.Fatal(err)
		}
	}
	// 55 works reported once each (the first also by carol), then a comment.
	var works []*archive.Work
	for i := range 55 {
		w := r.work(alice, fmt.Sprintf("Numbered Tale %02d", i))
		works = append(works, w)
		report(bob, fmt.Sprintf("work:%d", w.ID))
		if i == 0 {
			report(carol, fmt.Sprintf("work:%d", w.ID))
		}
	}
	first := works[0]
	chs, err := r.site.Chapters(ctx, alice, first, false)
	if err != nil {
		t.Fatal(err)
	}
	cm, err := r.site.PostComment(ctx, site.Visitor{User: carol}, first, chs[0], archive.CommentInput{Body: "A rude remark."})
	if err != nil {
		t.Fatal(err)
	}
	report(bob, fmt.Sprintf("comment:%d", cm.ID))

	mod := r.browser()
	mod.login("mod")
	// Page 1: the 50 targets reported last, newest first; page 2 the rest.
	p1 := mod.get("/admin/reports").status_(t, 200).has(t, "Page 1 of 2: 50 of 56 targets, with 50 reports.",
		`rel="next" href="/admin/reports?page=2"`, "Numbered Tale 54", fmt.Sprintf(`action="/comments/%d/hide"`, cm.ID)).
		lacks(t, "Numbered Tale 05<", `rel="prev"`)
	if n := strings.Count(p1.body, `class="report-group"`); n != 50 {
		t.Fatalf("page 1 shows %d targets", n)
	}
	p2 := mod.get("/admin/reports?page=2").status_(t, 200).has(t, "Page 2 of 2: 6 of 56 targets, with 7 reports.",
		`rel="prev" href="/admin/reports"`, "Numbered Tale 00", "Numbered Tale 05", "2 reports",
		fmt.Sprintf(`action="/works/%d/hide"`, first.ID), `name="return_to" value="/admin/reports?page=2"`,
		fmt.Sprintf(`name="resolve_target" value="work:%d"`, first.ID), "Also resolve its 2 open reports").
		lacks(t, "Numbered Tale 06")
	if n := strings.Count(p2.body, `class="report-group"`); n != 6 {
		t.Fatalf("page 2 shows %d targets", n)
	}
	mod.get("/admin/reports?page=9").status_(t, 200).has(t, "No reports here.")
	mod.get("/admin/reports?page=x").status_(t, 422).has(t, "Page must be a whole number")

	// Hiding without a reason: 422, nothing hidden, nothing resolved.
	hide := fmt.Sprintf("/works/%d/hide", first.ID)
	form := url.Values{"return_to": {"/admin/reports?page=2"}, "resolve_target": {fmt.Sprintf("work:%d", first.ID)}, "resolve": {"1"}}
	mod.post(hide, form).status_(t, 422)
	r.browser().get(fmt.Sprintf("/works/%d", first.ID)).status_(t, 200)

	// With one: the work is hidden, its two reports resolved with the
	// reason as their note, and the moderator is back on page 2.
	form.Set("reason", "Spam: shop links in every chapter.")
	back := mod.post(hide, form).status_(t, 200)
	if back.url != "/admin/reports" || !strings.Contains(back.body, "Page 2 of 2: 5 of 55 targets") {
		t.Fatalf("after hiding: %s %s", back.url, excerpt(back.body))
	}
	back.lacks(t, "Numbered Tale 00")
	r.browser().get(fmt.Sprintf("/works/%d", first.ID)).status_(t, 404)
	r.browser().get("/works").status_(t, 200).lacks(t, "Numbered Tale 00")
	mod.get("/admin/reports?state=resolved").status_(t, 200).has(t, "2 reports of 1 target", "Numbered Tale 00",
		"Spam: shop links in every chapter.", fmt.Sprintf(`action="/works/%d/unhide"`, first.ID), "The work is hidden.").
		lacks(t, "Also resolve")
	log := mod.get(fmt.Sprintf("/admin/log?target=work:%d", first.ID)).status_(t, 200).body
	if !strings.Contains(log, "hide_work") {
		t.Errorf("the hide is not in the log")
	}
	if n := len(regexp.MustCompile(`resolve_report`).FindAllString(mod.get("/admin/log?action=resolve_report").body, -1)); n < 2 {
		t.Errorf("%d resolve_report lines, want 2", n)
	}

	// The comment: hidden from the queue without resolving its report.
	mod.post(fmt.Sprintf("/comments/%d/hide", cm.ID), url.Values{"reason": {"Rude."}, "return_to": {"/admin/reports"}}).
		status_(t, 200).has(t, fmt.Sprintf(`action="/comments/%d/unhide"`, cm.ID), "The comment is hidden.")
	r.browser().get(fmt.Sprintf("/works/%d/chapters/%d", first.ID, chs[0].ID)).lacks(t, "A rude remark.")

	// The account page's links narrow the queue to one target or one
	// reporter, and the forms come back to the narrowed queue.
	mod.get(fmt.Sprintf("/admin/reports?state=all&target=comment:%d", cm.ID)).status_(t, 200).
		has(t, "1 report of 1 target", "Comment on Numbered Tale 00", fmt.Sprintf(`name="return_to" value="/admin/reports?state=all&amp;target=comment%%3A%d"`, cm.ID)).
		lacks(t, "Numbered Tale 54")
	mod.get("/admin/reports?state=all&reporter=carol").status_(t, 200).has(t, "1 report of 1 target", "Numbered Tale 00").lacks(t, "Numbered Tale 54")
	narrowed := fmt.Sprintf("/admin/reports?target=comment%%3A%d", cm.ID)
	m := reportIDRe.FindStringSubmatch(mod.get(narrowed).body)
	if m == nil {
		t.Fatal("the comment's open report is not listed")
	}
	back = mod.post("/admin/reports/"+m[1], url.Values{"state": {"dismissed"}, "note": {"Not rude enough."}, "return_to": {narrowed}}).status_(t, 200)
	back.has(t, "0 reports of 0 targets")

	// Only moderators: the queue's forms are the staff's.
	reader := r.browser()
	reader.login("bob")
	reader.get("/admin/reports").status_(t, 403)
	r.browser().get("/admin/reports?page=2").status_(t, 401).has(t, `name="return_to" value="/admin/reports?page=2"`)
}
