package main

// Reports in a real browser: a guest reports a work from its page, without
// JavaScript doing anything for the form, and an admin finds the report in
// the moderators' queue, opens its line and resolves it with a note. Every
// page passes browser_test.go's checks (labels, no script errors, no
// sideways scrolling on a phone).

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestBrowserReportToQueue(t *testing.T) {
	chromium := findChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	data := t.TempDir()
	token := addWriterForCLI(t, data, "lamplighter", "lamplighter@example.org")
	addWriterForCLI(t, data, "harbourmaster", "harbourmaster@example.org", "--admin")
	base := startServerForCLI(t, 30*time.Second, nil, "--data", data, "--login-rate-limit", "0").URL

	var work struct {
		ID int64 `json:"id"`
	}
	postJSONForCommunity(t, base+"/api/v1/works", token, map[string]any{
		"title": "Lamps Along the Quay", "rating": "General Audiences", "warnings": []string{"No Archive Warnings Apply"},
		"fandoms":  []string{"Original Work"},
		"chapters": []map[string]any{{"body": "<p>Each evening the lamps were lit one by one along the quay.</p>"}},
	}, &work)
	workPath := "/works/" + strconv.FormatInt(work.ID, 10)

	browserCtx, probs := startBrowser(t, chromium, start)

	// A guest reports the work from its page.
	g := newTab(t, browserCtx, "guest", base, probs, true)
	g.open(workPath)
	g.follow(`p.report-link a[href^="/reports/new"]`)
	g.wantPath(`/reports/new\?target=work%3A` + strconv.FormatInt(work.ID, 10))
	g.wantText("h1", "Report: Lamps Along the Quay")
	g.do(chromedp.Click(chromedp.CSS("#report-reason-wrong_rating_or_warnings"), chromedp.NodeVisible))
	g.typeInto("#report-details", "The third chapter needs a warning.")
	g.typeInto("#report-email", "walker@example.org")
	g.follow(`form[action="/reports"] button[type=submit]`)
	g.wantText("main", "Thank you")

	// An admin (who holds every role) finds it in the queue and resolves it.
	a := newTab(t, browserCtx, "admin", base, probs, true)
	a.open("/login")
	a.typeInto("#l-login", "harbourmaster")
	a.typeInto("#l-password", "correct horse battery staple")
	a.follow(`form[action="/login"] button[type=submit]`)
	a.openUserMenu()
	a.follow(`header a[href="/admin/reports"]`)
	a.wantText("li.report-group summary", "Lamps Along the Quay")
	a.wantText("li.report-group summary", "1 report")
	a.do(chromedp.Click(chromedp.CSS("li.report-group > details > summary"), chromedp.NodeVisible))
	a.wantText("li.report", "The third chapter needs a warning.")
	a.wantText("li.report", "walker@example.org") // admins see the reporter's address
	a.setValue("li.report select[name=state]", "resolved")
	a.typeInto("li.report textarea[name=note]", "Asked the creator to add the warning.")
	a.follow(`li.report form button[name=assign]`)
	a.wantText("main", "0 reports of 0 targets")
	a.open("/admin/reports?state=resolved")
	a.do(chromedp.Click(chromedp.CSS("li.report-group > details > summary"), chromedp.NodeVisible))
	a.wantText("li.report", "Asked the creator to add the warning.")
	a.wantText("li.report", "assigned to harbourmaster")
}
