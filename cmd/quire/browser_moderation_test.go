package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserModeration drives Chromium through the moderators' pages (issue
// 11) on a desktop and a phone, every page passing the label, script,
// contrast and no-sideways-scrolling checks: a moderator hides a work from
// its page, readers no longer find it, its creator sees the banner with the
// reason.
func TestBrowserModeration(t *testing.T) {
	chromium := findChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	data := t.TempDir()
	writer := addWriterForCLI(t, data, "writer", "writer@example.test")
	addWriterForCLI(t, data, "mod", "mod@example.test")
	if r := runQuireForCLI(t, nil, "user", "role", "mod", "--add", "moderator", "--data", data); r.Code != 0 {
		t.Fatalf("quire user role: %d %s", r.Code, r.Stderr)
	}
	base := startServerForCLI(t, 30*time.Second, nil, "--data", data, "--login-rate-limit", "0").URL
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	id := postWorkForNodes(t, client, base, writer, "Signal Fires", "Harbour Lights", "Beacons")
	work := fmt.Sprintf("/works/%d", id)

	browserCtx, probs := startBrowser(t, chromium, start)
	login := func(b *tab, name string) {
		b.t.Helper()
		b.open("/login")
		b.typeInto("#l-login", name)
		b.typeInto("#l-password", "correct horse battery staple")
		b.follow(`form[action="/login"] button[type=submit]`)
	}
	mainText := func(b *tab) string { return evalJS[string](b, `document.querySelector("main").innerText`) }

	// The moderator's pages, on a desktop and on a phone.
	for _, phone := range []bool{false, true} {
		name := "moderator"
		if phone {
			name = "moderator-phone"
		}
		m := newTab(t, browserCtx, name, base, probs, true)
		if phone {
			m.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
		}
		login(m, "mod")
		m.openUserMenu()
		m.follow(`header a[href="/admin/users"]`)
		m.wantText("h1", "Accounts")
		m.follow(`main a[href="/admin/users/writer"]`)
		m.wantText("main", "Signal Fires")
		m.wantText("main", "In good standing")
		m.open("/admin/log")
		m.wantText("main", "add_role")
		m.open(work)
		m.wantText("details.moderate summary", "Moderate this work")
	}

	// Hide from the work page.
	m := newTab(t, browserCtx, "hider", base, probs, true)
	login(m, "mod")
	m.open(work)
	m.do(chromedp.Click(chromedp.CSS("details.moderate summary"), chromedp.NodeVisible))
	m.typeInto(fmt.Sprintf("#mw-reason-%d", id), "Reported as copied")
	m.follow(fmt.Sprintf(`form[action="%s/hide"] button[type=submit]`, work))
	m.wantText(".hidden-notice", "Reported as copied")

	// A reader no longer finds it; its creator sees the banner.
	r := newTab(t, browserCtx, "reader", base, probs, true)
	r.open("/works")
	if txt := mainText(r); strings.Contains(txt, "Signal Fires") {
		r.fatalf("the hidden work is still listed: %s", txt)
	}
	w := newTab(t, browserCtx, "writer", base, probs, true)
	w.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	login(w, "writer")
	w.open(work)
	w.wantText(".hidden-notice", "Reported as copied")
	w.open("/inbox")
	w.wantText("main", "hid your work")
}
