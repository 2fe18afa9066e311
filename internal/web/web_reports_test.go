package web_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/site"
	"quire/internal/store/testdb"
	"quire/internal/web"
)

// plainMail decodes a plain-text message: its subject and text.
func plainMail(t *testing.T, data []byte) (subject, text string) {
	t.Helper()
	m, err := netmail.ReadMessage(bufio.NewReader(bytes.NewReader(data)))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	if subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	var body io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(m.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return subject, string(b)
}

// mailsTo lists the subjects and texts of the messages sent to an address.
func mailsTo(t *testing.T, sink *smtpSink, addr string) (subjects, texts []string) {
	t.Helper()
	for _, m := range sink.messages() {
		if len(m.To) == 1 && m.To[0] == addr {
			s, x := plainMail(t, m.Data)
			subjects, texts = append(subjects, s), append(texts, x)
		}
	}
	return subjects, texts
}

func (r *mailRig) moderator(name string) *archive.User {
	r.t.Helper()
	u := r.user(name, false)
	if err := r.st.SetUserRoles(context.Background(), u.ID, []string{archive.RoleModerator}); err != nil {
		r.t.Fatal(err)
	}
	return u
}

func (b *browser) login(name string) {
	b.t.Helper()
	b.post("/login", url.Values{"login": {name}, "password": {"correct horse"}}).status_(b.t, 200)
}

var reportIDRe = regexp.MustCompile(`id="report-(\d+)"`)

func TestReportsThroughThePages(t *testing.T) {
	sink := newSMTPSink(t)
	r := openMailRig(t, testdb.Location(t), sink)
	ctx := context.Background()
	alice := r.user("alice", false)
	r.user("bob", false)
	r.moderator("mod")
	w := r.work(alice, "Lighthouse Keeper")
	target := fmt.Sprintf("work:%d", w.ID)
	workPath := fmt.Sprintf("/works/%d", w.ID)

	// The work page (and its blurb in the listing) links to the form.
	guest := r.browser()
	link := "/reports/new?target=" + url.QueryEscape(target)
	guest.get(workPath).status_(t, 200).has(t, `href="`+strings.ReplaceAll(link, "&", "&amp;")+`"`, "Report this work")
	guest.get("/works").status_(t, 200).has(t, `href="`+link+`"`)
	guest.get("/users/alice").status_(t, 200).has(t, `href="/reports/new?target=user%3Aalice"`)
	guest.get(link).status_(t, 200).has(t, "Report: Lighthouse Keeper", `name="reason"`, `value="spam"`, `name="details"`,
		`name="email"`, `name="website"`, `class="visually-hidden"`)
	guest.get("/reports/new?target=work:99999").status_(t, 404).has(t, "no work 99999")
	guest.get("/reports/new?target=nonsense").status_(t, 422)

	// A guest's report: acknowledged by mail, after the request.
	guest.post("/reports", url.Values{"target": {target}, "reason": {"spam"}, "details": {"Shop links in every chapter."},
		"email": {"passer@example.test"}, "website": {""}}).status_(t, 200).has(t, "Thank you")
	if len(sink.messages()) != 0 {
		t.Fatal("mail sent inside the request instead of queued")
	}
	r.runJobs()
	subjects, texts := mailsTo(t, sink, "passer@example.test")
	if len(subjects) != 1 || subjects[0] != "[Quire] We received your report" || !strings.Contains(texts[0], "/works/") {
		t.Fatalf("acknowledgement: %q %q", subjects, texts)
	}
	// The same guest again: refused with a message. A filled honeypot
	// looks taken and is not.
	guest.post("/reports", url.Values{"target": {target}, "reason": {"other"}}).status_(t, 409).has(t, "already reported")
	bot := r.browser()
	bot.post("/reports", url.Values{"target": {"user:alice"}, "reason": {"spam"}, "details": {"buy now"}, "website": {"http://spam.example"}}).
		status_(t, 200).has(t, "Thank you")
	if r.site.ReportTraps() != 1 {
		t.Errorf("honeypot count %d", r.site.ReportTraps())
	}

	// Bob reports the work and alice's comment-free profile.
	bob := r.browser()
	bob.login("bob")
	bob.get(link).status_(t, 200).lacks(t, `name="email"`)
	bob.post("/reports", url.Values{"target": {target}, "reason": {"wrong_rating_or_warnings"}, "details": {"Needs a warning."}}).status_(t, 200)
	bob.post("/reports", url.Values{"target": {"user:alice"}, "reason": {"harassment"}}).status_(t, 200)
	bob.post("/reports", url.Values{"target": {target}, "reason": {"bogus"}, "details": {"Kept on the form."}}).status_(t, 422).
		has(t, "not a reason", `name="target" value="`+target+`"`, "Report: Lighthouse Keeper", "Kept on the form.")
	bob.post("/reports", url.Values{"target": {target}, "reason": {"spam"}, "details": {strings.Repeat("x", 5001)}}).status_(t, 422)
	r.runJobs()
	if subjects, _ := mailsTo(t, sink, "bob@example.test"); len(subjects) != 2 {
		t.Errorf("bob got %d acknowledgements", len(subjects))
	}

	// The creator edits the work; the queue still shows it as reported.
	if _, err := r.site.EditWork(ctx, alice, w.ID, archive.WorkInput{Title: "Lighthouse Keeper (revised)", Rating: archive.RatingGeneral,
		Warnings: []string{archive.WarningNone}, Fandoms: []string{"Lantern Tales"}}); err != nil {
		t.Fatal(err)
	}

	// The queue: 401 for a guest, 403 for a reader, never cached.
	for _, c := range []struct {
		b      *browser
		status int
	}{{guest, 401}, {bob, 403}} {
		resp, err := c.b.c.Get(r.srv.URL + "/admin/reports")
		if err != nil {
			t.Fatal(err)
		}
		p := read(t, resp).status_(t, c.status)
		if cc := resp.Header.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("%d page Cache-Control %q", c.status, cc)
		}
		p.lacks(t, "Lighthouse Keeper")
		c.b.post("/admin/reports/1", url.Values{"state": {"dismissed"}}).status_(t, c.status)
	}
	mod := r.browser()
	mod.login("mod")
	resp, err := mod.c.Get(r.srv.URL + "/admin/reports")
	if err != nil {
		t.Fatal(err)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("queue Cache-Control %q", cc)
	}
	q := read(t, resp).status_(t, 200)
	// Two targets: the work with two reports on one line, and alice.
	q.has(t, "3 reports of 2 targets", "Lighthouse Keeper</strong> ("+target+") — <span class=\"report-count\">2 reports</span>",
		"Wrong rating or warnings, Spam", "Shop links in every chapter.", "Needs a warning.", "The first chapter.", `href="`+workPath+`"`,
		"from a guest", `<a href="/users/bob">bob</a>`, `action="/admin/reports/`)
	q.lacks(t, "revised", "passer@example.test", "bob@example.test")
	ids := reportIDRe.FindAllStringSubmatch(q.body, -1)
	if len(ids) != 3 {
		t.Fatalf("%d reports on the page", len(ids))
	}
	mod.get("/admin/reports?reason=harassment").status_(t, 200).has(t, "1 report of 1 target", "(user:alice)").lacks(t, "Lighthouse")
	mod.get("/admin/reports?state=weird").status_(t, 422)

	// The guest's report (the oldest, last on the page): assigned, noted,
	// resolved. The guest hears that it was handled, and nothing more.
	guestReport := ids[2][1]
	mod.post("/admin/reports/"+guestReport, url.Values{"state": {"open"}, "assignee": {"bob"}, "note": {""}}).status_(t, 422).has(t, "not a moderator")
	p := mod.post("/admin/reports/"+guestReport, url.Values{"state": {"resolved"}, "assignee": {""}, "assign": {"me"},
		"note": {"Removed the links with the creator."}, "return_state": {"all"}}).status_(t, 200)
	p.has(t, "assigned to mod", "mod, ", "Removed the links with the creator.", `<option value="resolved" selected>`)
	if !strings.Contains(p.url, "/admin/reports") {
		t.Errorf("landed on %s", p.url)
	}
	mod.get("/admin/reports").status_(t, 200).has(t, "2 reports of 2 targets")
	r.runJobs()
	subjects, texts = mailsTo(t, sink, "passer@example.test")
	if len(subjects) != 2 || subjects[1] != "[Quire] Your report has been handled" || strings.Contains(texts[1], "Removed the links") {
		t.Errorf("resolution mail: %q %q", subjects, texts)
	}
	// A second save of the handled report mails nobody again.
	mod.post("/admin/reports/"+guestReport, url.Values{"state": {"resolved"}, "note": {"Checked again."}}).status_(t, 200)
	r.runJobs()
	if subjects, _ := mailsTo(t, sink, "passer@example.test"); len(subjects) != 2 {
		t.Errorf("%d mails to the guest after a second save", len(subjects))
	}

	// Admins see the reporters' addresses.
	if _, err := r.site.Signup(ctx, site.SignupInput{Name: "root", Email: "root@example.test", Password: "correct horse", Confirmation: "correct horse", Admin: true}); err != nil {
		t.Fatal(err)
	}
	admin := r.browser()
	admin.login("root")
	admin.get("/admin/reports?state=all").status_(t, 200).has(t, "&lt;passer@example.test&gt;", "&lt;bob@example.test&gt;")

	// A cross-site form post is refused.
	req, _ := http.NewRequest("POST", r.srv.URL+"/admin/reports/"+guestReport, strings.NewReader("state=open"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := mod.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d", res.StatusCode)
	}
}

func TestReportLinksEverywhere(t *testing.T) {
	r := newRig(t, web.Options{})
	b := r.browser()
	b.signup("alice")
	wp := b.postWork(nil)
	id := strings.TrimPrefix(wp, "/works/")
	page := b.get(wp).status_(t, 200)
	m := regexp.MustCompile(`/works/` + id + `/chapters/(\d+)`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("no chapter link on the work page")
	}
	reader := r.browser()
	reader.signup("bob")
	reader.post(wp+"/chapters/"+m[1]+"/comments", url.Values{"body": {"A kind word."}}).status_(t, 200)
	reader.post(wp+"/bookmarks", url.Values{"notes": {"Worth it."}}).status_(t, 200)
	reader.get(wp+"/chapters/"+m[1]).status_(t, 200).has(t, "target=chapter%3A"+m[1], "target=comment%3A")
	b.get("/users/bob/bookmarks").status_(t, 200).has(t, "target=bookmark%3A")
	b.post("/series", url.Values{"title": {"Harbour Cycle"}}).status_(t, 200).has(t, "target=series%3A", "Report this series")
	b.get("/users/bob").status_(t, 200).has(t, "target=user%3Abob")
	b.get("/users/alice").status_(t, 200).lacks(t, "target=user%3Aalice")
}

func TestCloseEveryReportOfATarget(t *testing.T) {
	sink := newSMTPSink(t)
	r := openMailRig(t, testdb.Location(t), sink)
	alice := r.user("alice", false)
	r.user("bob", false)
	r.user("carol", false)
	r.moderator("mod")
	w := r.work(alice, "Tidewater")
	other := r.work(alice, "Inland")
	target := fmt.Sprintf("work:%d", w.ID)
	for _, name := range []string{"bob", "carol", ""} {
		b := r.browser()
		if name != "" {
			b.login(name)
		}
		b.post("/reports", url.Values{"target": {target}, "reason": {"spam"}, "email": {"walker@example.test"}}).status_(t, 200)
	}
	bob := r.browser()
	bob.login("bob")
	bob.post("/reports", url.Values{"target": {fmt.Sprintf("work:%d", other.ID)}, "reason": {"spam"}}).status_(t, 200)
	r.runJobs()
	before := len(sink.messages())

	// Only moderators may close them.
	r.browser().post("/admin/reports", url.Values{"target": {target}, "state": {"dismissed"}}).status_(t, 401)
	bob.post("/admin/reports", url.Values{"target": {target}, "state": {"dismissed"}}).status_(t, 403)

	mod := r.browser()
	mod.login("mod")
	mod.get("/admin/reports").status_(t, 200).has(t, "4 reports of 2 targets", "Resolve all 3", "Dismiss all 3")
	mod.post("/admin/reports", url.Values{"target": {target}, "state": {"open"}}).status_(t, 422)
	mod.post("/admin/reports", url.Values{"target": {target}, "state": {"dismissed"}, "note": {"Not spam: a shop the story is set in."}}).
		status_(t, 200).has(t, "1 report of 1 target", "Inland").lacks(t, "Tidewater")
	mod.get("/admin/reports?state=dismissed").status_(t, 200).has(t, "3 reports of 1 target", "Not spam: a shop the story is set in.")
	r.runJobs()
	handled := 0
	for _, m := range sink.messages()[before:] {
		if s, _ := plainMail(t, m.Data); s == "[Quire] Your report has been handled" {
			handled++
		}
	}
	if handled != 3 {
		t.Errorf("%d reporters told their report was handled, want 3", handled)
	}
}
