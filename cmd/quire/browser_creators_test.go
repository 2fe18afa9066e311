package main

// Co-creators in a real browser, on a desktop and on a phone: a creator
// invites another account's pseud from the edit form, the invitee finds
// the invitation in the inbox, accepts it, and both edit the work; then a
// third account is invited to one chapter only, accepts, shows on that
// chapter and the work, and edits the chapter.

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestBrowserCoCreatorsInviteAcceptBothEdit(t *testing.T) {
	chromium := findChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	data := t.TempDir()
	token := addWriterForCLI(t, data, "quillwright", "quillwright@example.test")
	addWriterForCLI(t, data, "inkmate", "inkmate@example.test")
	addWriterForCLI(t, data, "pagehand", "pagehand@example.test")
	base := startServerForCLI(t, 30*time.Second, nil, "--data", data, "--login-rate-limit", "0").URL
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	id := postWorkForNodes(t, client, base, token, "Two Lanterns", "Harbour Lights", "Collaboration")
	work := fmt.Sprintf("/works/%d", id)

	browserCtx, probs := startBrowser(t, chromium, start)
	login := func(b *tab, name string) {
		b.t.Helper()
		b.open("/login")
		b.typeInto("#l-login", name)
		b.typeInto("#l-password", "correct horse battery staple")
		b.follow(`form[action="/login"] button[type=submit]`)
	}

	a := newTab(t, browserCtx, "creator", base, probs, true)
	login(a, "quillwright")
	a.open(work + "/edit")
	a.typeInto("#w-cocreators", "inkmate")
	a.follow(`form.work button[name=action][value=save]`)
	a.wantPath(work)
	a.wantText("p.byline", "quillwright")
	if a.exists(`p.byline a[href*="inkmate"]`) {
		a.fatalf("the byline names the invitee before they accept")
	}
	a.open(work + "/edit")
	a.wantText("p.invited", "inkmate")

	// The invitee, on a phone: inbox → invitations → accept.
	b := newTab(t, browserCtx, "invitee-phone", base, probs, true)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	login(b, "inkmate")
	b.open("/inbox")
	b.wantText("ol.inbox", "invited you to be a co-creator of “Two Lanterns”")
	b.follow(`ol.inbox a[href="/account/creator_invitations"]`)
	b.wantText("ul.creator-invitations", "Two Lanterns")
	b.follow(`ul.creator-invitations form[action$="/accept"] button[type=submit]`)
	b.wantPath(work)
	b.wantText("p.byline", "quillwright, inkmate")

	// Both edit.
	b.follow(`nav.work-actions a[href="` + work + `/edit"]`)
	b.setValue("#w-summary", "Written by two hands.")
	b.follow(`form.work button[name=action][value=save]`)
	b.wantText("section.summary", "Written by two hands.")
	a.open(work + "/edit")
	a.setValue("#w-title", "Two Lanterns, Lit")
	a.follow(`form.work button[name=action][value=save]`)
	a.wantText("h1.title", "Two Lanterns, Lit")
	b.open(work)
	b.wantText("h1.title", "Two Lanterns, Lit")
	b.wantText("section.summary", "Written by two hands.")

	// A chapter co-creator: invited to chapter 2 only.
	a.open(work + "/chapters/new")
	a.setValue("#c-body", "The third lantern is lit by another hand.")
	a.typeInto("#c-creators", "quillwright, pagehand")
	a.follow(`form.chapter button[name=action][value=post]`)
	ch2 := a.wantPath(work + `/chapters/(\d+)`)[0]
	// (Chapter 2 credits quillwright alone until then, which is not the
	// work's pair, so it says so.)
	a.wantText("p.chapter-byline", "quillwright")
	if a.exists(`p.chapter-byline a[href*="pagehand"]`) || a.exists(`p.byline a[href*="pagehand"]`) {
		a.fatalf("the chapter names the invitee before they accept")
	}
	a.open(ch2 + "/edit")
	a.wantText("p.notice", "pagehand")

	c := newTab(t, browserCtx, "chapter-invitee", base, probs, true)
	login(c, "pagehand")
	c.open("/inbox")
	c.wantText("ol.inbox", "chapter 2 of")
	c.follow(`ol.inbox a[href="/account/creator_invitations"]`)
	c.wantText("ul.creator-invitations", "chapter 2 of")
	c.follow(`ul.creator-invitations form[action$="/accept"] button[type=submit]`)
	c.wantPath(work)
	c.wantText("p.byline", "pagehand")
	// Chapter 1 keeps its two creators and now says so; chapter 2 names
	// the two it was written by.
	c.open(work + "?view_full_work=true")
	c.wantText("#chapter-1 p.chapter-byline", "quillwright, inkmate")
	c.wantText("#chapter-2 p.chapter-byline", "quillwright, pagehand")
	// The chapter co-creator edits the chapter, crediting it to themself.
	c.open(ch2 + "/edit")
	c.setValue("#c-creators", "pagehand")
	c.follow(`form.chapter button[name=action][value=post]`)
	c.wantText("p.chapter-byline", "pagehand")
}
