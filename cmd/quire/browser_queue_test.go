package main

// The whole flow of a report in a real browser (issue 11): a reader reports
// a work from its page; a moderator opens the queue, and hides the work
// from there, resolving the report in the same step; the reader no longer
// finds the work in the listing and its page is a 404 for them; its
// creator sees the "hidden by the moderators" banner with the reason on
// their work, and the notice in their inbox. Every page passes
// browser_test.go's checks (labels, no script errors, contrast, no
// sideways scrolling), the creator's on a phone.

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestBrowserReportHideFromQueue(t *testing.T) {
	chromium := findChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	data := t.TempDir()
	token := addWriterForCLI(t, data, "tidewriter", "tidewriter@example.org")
	addWriterForCLI(t, data, "reader", "reader@example.org")
	addWriterForCLI(t, data, "warden", "warden@example.org")
	if r := runQuireForCLI(t, nil, "user", "role", "warden", "--add", "moderator", "--data", data); r.Code != 0 {
		t.Fatalf("quire user role: %d %s", r.Code, r.Stderr)
	}
	base := startServerForCLI(t, 30*time.Second, nil, "--data", data, "--login-rate-limit", "0").URL
	var work struct {
		ID int64 `json:"id"`
	}
	postJSONForCommunity(t, base+"/api/v1/works", token, map[string]any{
		"title": "Shop Window Tides", "rating": "General Audiences", "warnings": []string{"No Archive Warnings Apply"},
		"fandoms":  []string{"Original Work"},
		"chapters": []map[string]any{{"body": "<p>Buy now at the shop on the corner, the tide said.</p>"}},
	}, &work)
	id := strconv.FormatInt(work.ID, 10)
	workPath := "/works/" + id

	browserCtx, probs := startBrowser(t, chromium, start)
	login := func(b *tab, name string) {
		b.t.Helper()
		b.open("/login")
		b.typeInto("#l-login", name)
		b.typeInto("#l-password", "correct horse battery staple")
		b.follow(`form[action="/login"] button[type=submit]`)
	}
	mainText := func(b *tab) string { return evalJS[string](b, `document.querySelector("main").innerText`) }

	// A reader finds the work in the listing and reports it from its page.
	// The reader's tab keeps its own list of problems: the one 404 it must
	// meet is checked below, and nothing else may be on it.
	readerProbs := &problems{logf: t.Logf}
	r := newTab(t, browserCtx, "reader", base, readerProbs, true)
	login(r, "reader")
	r.open("/works")
	r.follow(`main a[href="` + workPath + `"]`)
	r.follow(`p.report-link a[href^="/reports/new"]`)
	r.wantText("h1", "Report: Shop Window Tides")
	r.do(chromedp.Click(chromedp.CSS("#report-reason-spam"), chromedp.NodeVisible))
	r.typeInto("#report-details", "Every chapter advertises a shop.")
	r.follow(`form[action="/reports"] button[type=submit]`)
	r.wantText("main", "Thank you")

	// A moderator opens the queue and hides the work from it.
	m := newTab(t, browserCtx, "moderator", base, probs, true)
	login(m, "warden")
	m.openUserMenu()
	m.follow(`header a[href="/admin/reports"]`)
	m.wantText("li.report-group summary", "Shop Window Tides")
	m.wantText("li.report-group summary", "1 report")
	m.do(chromedp.Click(chromedp.CSS("li.report-group > details > summary"), chromedp.NodeVisible))
	m.wantText("li.report", "Every chapter advertises a shop.")
	m.wantText("form.moderate-target", "Also resolve its open report")
	m.typeInto("form.moderate-target textarea[name=reason]", "Advertising, not a story.")
	m.follow(`form.moderate-target button[type=submit]`)
	m.wantPath(`^/admin/reports$`)
	m.wantText("main", "0 reports of 0 targets")
	m.open("/admin/reports?state=resolved")
	m.do(chromedp.Click(chromedp.CSS("li.report-group > details > summary"), chromedp.NodeVisible))
	m.wantText("li.report", "Advertising, not a story.")
	m.wantText("form.moderate-target", "The work is hidden.")

	// The reader no longer finds it, and its page is a 404.
	r.open("/works")
	if txt := mainText(r); strings.Contains(txt, "Shop Window Tides") {
		r.fatalf("the hidden work is still listed: %s", txt)
	}
	ctx, cancel := r.step()
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(base+workPath))
	cancel()
	if err != nil {
		r.fatalf("open %s: %v", workPath, err)
	}
	if resp.Status != http.StatusNotFound {
		r.fatalf("the hidden work's page answers the reader %d, want 404", resp.Status)
	}
	r.wantText("h1", "Not Found")
	got := readerProbs.all()
	if len(got) == 0 {
		t.Errorf("the browser saw no 404 for the hidden work")
	}
	for _, p := range got {
		if !strings.Contains(p, base+workPath) || !strings.Contains(p, "404") {
			t.Errorf("browser reported: %s", p)
		}
	}

	// Its creator, on a phone, sees the banner with the reason.
	c := newTab(t, browserCtx, "creator-phone", base, probs, true)
	c.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	login(c, "tidewriter")
	c.open(workPath)
	c.wantText(".hidden-notice", "hidden by the moderators")
	c.wantText(".hidden-notice", "Advertising, not a story.")
	c.open("/inbox")
	c.wantText("main", "hid your work")
}
