package main

// A profile in a real browser, on a desktop and on a phone: a creator
// writes a bio; a reader on a phone finds it on the user page, follows the
// creator and one of their series from those pages, blocks and unblocks
// them from the user page and from /account/blocked.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestBrowserProfileSubscribeBlock(t *testing.T) {
	chromium := findChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	data := t.TempDir()
	token := addWriterForCLI(t, data, "harbourmaster", "harbourmaster@example.test")
	addWriterForCLI(t, data, "tidewatcher", "tidewatcher@example.test")
	base := startServerForCLI(t, 30*time.Second, nil, "--data", data, "--login-rate-limit", "0").URL
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	id := postWorkForNodes(t, client, base, token, "Beacon Hours", "Harbour Lights", "Profiles")
	var series struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(apiForNodes(t, client, http.MethodPost, base+"/api/v1/series", token, `{"title":"Night Watches"}`, http.StatusCreated), &series); err != nil {
		t.Fatal(err)
	}
	seriesPath := fmt.Sprintf("/series/%d", series.ID)
	apiForNodes(t, client, http.MethodPut, fmt.Sprintf("%s/api/v1/series/%d/works/%d", base, series.ID, id), token, `{}`, http.StatusOK)

	browserCtx, probs := startBrowser(t, chromium, start)
	login := func(b *tab, name string) {
		b.t.Helper()
		b.open("/login")
		b.typeInto("#l-login", name)
		b.typeInto("#l-password", "correct horse battery staple")
		b.follow(`form[action="/login"] button[type=submit]`)
	}

	// The creator writes a bio on a desktop.
	a := newTab(t, browserCtx, "creator", base, probs, true)
	login(a, "harbourmaster")
	a.open("/users/harbourmaster")
	a.follow(`div.profile-actions a[href="/account/profile"]`)
	a.setValue("#p-bio", "<p>I keep the <em>harbour</em> lights.</p>")
	a.follow(`form[action="/account/profile"] button[type=submit]`)
	a.wantText("p.notice", "Your profile has been saved.")
	a.open("/users/harbourmaster")
	a.wantText("section.bio", "I keep the harbour lights.")
	a.wantNone(`form[action="/subscriptions"]`)

	// A reader on a phone.
	b := newTab(t, browserCtx, "reader-phone", base, probs, true)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	login(b, "tidewatcher")
	b.open("/users/harbourmaster")
	b.wantText("section.bio", "I keep the harbour lights.")
	b.wantText("nav.profile-tabs", "Series (1)")
	b.follow(`div.profile-actions form[action="/subscriptions"] button[type=submit]`)
	b.wantPath("/users/harbourmaster")
	b.wantText("div.profile-actions", "Unsubscribe")
	b.open("/inbox")
	b.wantText("body", "harbourmaster")

	b.open("/users/harbourmaster")
	b.follow(`div.profile-actions form[action="/account/blocked"] button[type=submit]`)
	b.wantPath(`/users/harbourmaster\?blocked=harbourmaster`)
	b.wantText("div.profile-actions", "Unblock")
	b.open("/account/blocked")
	b.wantText("ul.blocked-users", "harbourmaster")
	b.follow(`ul.blocked-users form button[type=submit]`)
	b.wantText("p.notice", "You have unblocked harbourmaster.")
	b.wantText("main", "You have not blocked anyone.")

	// The series tab and a series' Subscribe.
	b.open("/users/harbourmaster")
	b.follow(`nav.profile-tabs a[href="/users/harbourmaster/series"]`)
	b.wantText("ul.series", "Night Watches")
	b.follow(`ul.series a[href="` + seriesPath + `"]`)
	b.follow(`form.subscribe-action button[type=submit]`)
	b.wantPath(seriesPath)
	b.wantText("form.subscribe-action", "Unsubscribe")
}
