package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/web"
)

// auditEntries reads the log page: one "actor action target reason" line
// per entry, newest first.
func auditEntries(t *testing.T, b *browser, query string) []string {
	t.Helper()
	p := b.get("/admin/log"+query).status_(t, 200)
	re := regexp.MustCompile(`(?s)<li id="audit-\d+">.*?<strong>(.*?)</strong> <span class="audit-action">(.*?)</span> <a [^>]*>(.*?)</a>\s*<div class="audit-reason">(.*?)</div>`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(p.body, -1) {
		out = append(out, html.UnescapeString(strings.Join(m[1:], " ")))
	}
	return out
}

// TestAdminActionsFromThePagesAreAudited takes each action the log had
// missed through its form, and finds its line at /admin/log.
func TestAdminActionsFromThePagesAreAudited(t *testing.T) {
	r := newRig(t, web.Options{})
	boss := r.admin("boss")
	author := r.browser()
	author.signup("author")
	work := author.postWork(url.Values{"title": {"Reported Tale"}})
	reader := r.browser()
	reader.signup("reader")
	newbie := r.browser()
	newbie.signup("newbie")
	mod := r.browser()
	mod.signup("keeper")
	r.grant("keeper", archive.RoleModerator)

	// The queue: a report resolved and assigned in one save.
	reader.post("/reports", url.Values{"target": {"work:" + strings.TrimPrefix(work, "/works/")}, "reason": {"spam"}}).status_(t, 200)
	m := reportIDRe.FindStringSubmatch(mod.get("/admin/reports").status_(t, 200).body)
	if m == nil {
		t.Fatal("no report in the queue")
	}
	rep := m[1]
	mod.post("/admin/reports/"+rep, url.Values{"state": {"resolved"}, "assignee": {"keeper"}, "note": {"Checked the links."}}).status_(t, 200)

	// Settings, then the review of a first work: rejected with a reason.
	boss.post("/admin/settings", settingsForm("open", url.Values{"review_first_works": {"1"}})).status_(t, 200)
	held := newbie.postWork(url.Values{"title": {"First Try"}})
	heldID := strings.TrimPrefix(held, "/works/")
	mod.get("/admin/review").status_(t, 200).has(t, "First Try", `action="/admin/review/`+heldID+`/reject"`, `name="reason"`)
	mod.post("/admin/review/"+heldID+"/reject", url.Values{"reason": {" "}}).status_(t, 422).has(t, "Reason can&#39;t be blank")
	mod.post("/admin/review/"+heldID+"/reject", url.Values{"reason": {"Please add a summary."}}).status_(t, 200).has(t, "rejected")
	newbie.get(held).status_(t, 200).has(t, "Please add a summary.")
	reader.get(held).status_(t, 404)

	// Invitations, to an address and given to hand on.
	boss.post("/admin/invitations", url.Values{"email": {"friend@example.test"}}).status_(t, 200)
	boss.post("/admin/invitations/give", url.Values{"user": {"reader"}, "count": {"3"}}).status_(t, 200)

	// News: posted, a reader's comment deleted by an admin, edited, deleted.
	post := boss.postNews("Welcome", "Hello, readers.", "html")
	reader.post(post+"/comments", url.Values{"body": {"Hi!"}}).status_(t, 200)
	cm := regexp.MustCompile(`id="comment-(\d+)"`).FindStringSubmatch(reader.get(post).body)
	if cm == nil {
		t.Fatal("no comment on the news post")
	}
	boss.post("/admin_post_comments/"+cm[1]+"/delete", nil).status_(t, 200)
	boss.post(post+"/edit", url.Values{"title": {"Welcome, all"}, "body": {"Hello, readers."}}).status_(t, 200)
	boss.post(post+"/delete", nil).status_(t, 200)

	// The banner.
	boss.post("/admin/banner", url.Values{"text": {"Maintenance <em>tonight</em>"}}).status_(t, 200)

	newsID := strings.TrimPrefix(post, "/admin_posts/")
	want := []string{
		"boss set_banner banner Maintenance tonight",
		"boss delete_news news:" + newsID + " Welcome, all",
		"boss edit_news news:" + newsID + " Welcome, all",
		"boss delete_news_comment news_comment:" + cm[1] + " a comment by reader on news post " + newsID,
		"boss post_news news:" + newsID + " Welcome",
		"boss give_invitations user:reader 3 invitations to hand on",
		"boss invite invitation:1 sent to an address an admin gave",
		"keeper reject_work work:" + heldID + " Please add a summary.",
		"system hold_work work:" + heldID + " held for review: work 1 of the first 1 by newbie, which a moderator approves before they are public",
		`boss change_settings settings new_account_hours: "0" → "24"; new_account_works: "0" → "3"; review_first_works: "0" → "1"`,
		"keeper assign_report report:" + rep + " assigned to keeper",
		"keeper resolve_report report:" + rep + " Checked the links.",
		"console add_role user:keeper moderator: set at the command line",
	}
	got := auditEntries(t, mod, "")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the log shows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Every action is offered in the filter, and the filter works.
	p := mod.get("/admin/log").status_(t, 200)
	for _, a := range archive.AuditActions {
		p.has(t, `<option value="`+a+`"`)
	}
	if got := auditEntries(t, mod, "?action=reject_work"); len(got) != 1 {
		t.Errorf("filtered by action: %v", got)
	}
	if got := auditEntries(t, mod, "?target=report:"+rep); len(got) != 2 {
		t.Errorf("filtered by target: %v", got)
	}
}
