package main

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserLanguagesPhone: a phone (390 px) switches the archive to
// German, the longest language here, with the footer's plain form, and
// no page it reads scrolls sideways (checkPage); in Arabic the page is
// right to left and the listing's filters sit on the left of the results.
func TestBrowserLanguagesPhone(t *testing.T) {
	chromium := findChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	data := t.TempDir()
	addWriterForCLI(t, data, "schreiberin", "schreiberin@example.test")
	base := startServerForCLI(t, 30*time.Second, nil, "--data", data, "--demo", "--demo-works", "24", "--login-rate-limit", "0").URL
	browserCtx, probs := startBrowser(t, chromium, start)

	p := newTab(t, browserCtx, "phone-de", base, probs, true)
	p.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	p.open("/works")
	p.setValue("#f-locale", "de")
	p.follow(`form.locale-switch button[type=submit]`)
	if lang := evalJS[string](p, `document.documentElement.lang`); lang != "de" {
		p.fatalf("after the switch the page is in %q, want de", lang)
	}
	p.wantText("header", "Werke")
	for _, path := range []string{"/works", "/works/1?view_adult=true", "/works/1?view_full_work=true&view_adult=true", "/login", "/signup", "/works/search", "/"} {
		p.open(path) // checkPage: no sideways scrolling at 390 px
	}
	p.screenshot("phone-works-de.png", false)

	// A signed-in writer on a phone in German: the longest pages of the
	// reader's and creator's side (settings, preferences, inbox, the posting
	// form, bookmarks, collections, statistics) fit 390 px too.
	w := newTab(t, browserCtx, "writer-phone-de", base, probs, true)
	w.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	w.open("/login")
	w.typeInto("#l-login", "schreiberin")
	w.typeInto("#l-password", "correct horse battery staple")
	w.follow(`form[action="/login"] button[type=submit]`)
	w.open("/account/preferences")
	w.setValue("#p-locale", "de")
	w.follow(`form[action="/account/preferences"] button[type=submit]`)
	w.wantText("h1", "Einstellungen")
	for _, path := range []string{"/account", "/account/preferences", "/account/mutes", "/inbox", "/works/new", "/series/new",
		"/users/schreiberin", "/users/schreiberin/bookmarks", "/bookmarks", "/collections", "/users/schreiberin/stats",
		"/users/schreiberin/orphan", "/users/schreiberin/works/edit_multiple", "/users/schreiberin/readings", "/media", "/tags/search?q=a"} {
		w.open(path) // checkPage: no sideways scrolling at 390 px
	}
	w.open("/account")
	w.wantText("h1", "Kontoeinstellungen")
	w.screenshot("phone-account-de.png", true)

	a := newTab(t, browserCtx, "desktop-ar", base, probs, true)
	a.do(chromedp.EmulateViewport(1280, 900))
	a.open("/works")
	a.setValue("#f-locale", "ar")
	a.follow(`form.locale-switch button[type=submit]`)
	if dir := evalJS[string](a, `document.documentElement.dir`); dir != "rtl" {
		a.fatalf("Arabic page dir %q, want rtl", dir)
	}
	if !evalJS[bool](a, `document.querySelector('.filters').getBoundingClientRect().right <= document.querySelector('.results').getBoundingClientRect().left`) {
		a.fatalf("in Arabic the filters are not on the left of the results (the sidebar is not mirrored)")
	}
	a.screenshot("desktop-works-ar.png", false)
}
