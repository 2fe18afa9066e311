package main

// A gift exchange in a real browser: a participant signs up on a phone
// through the form the maintainer's settings shape; the maintainer, on a
// desktop, closes sign-ups, runs matching and sends the assignments; the
// participant finds theirs in the inbox.

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestBrowserGiftExchangeSignupMatchSend(t *testing.T) {
	chromium := findChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	data := t.TempDir()
	keeper := addWriterForCLI(t, data, "keeper", "keeper@example.test")
	addWriterForCLI(t, data, "ann", "ann@example.test")
	bo := addWriterForCLI(t, data, "bo", "bo@example.test")
	base := startServerForCLI(t, 30*time.Second, nil, "--data", data, "--login-rate-limit", "0").URL
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	body := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	apiForNodes(t, client, http.MethodPost, base+"/api/v1/collections", keeper, body(map[string]any{"name": "Swap", "title": "Lantern Swap", "open": true}), http.StatusCreated)
	apiForNodes(t, client, http.MethodPut, base+"/api/v1/collections/Swap/challenge", keeper, body(map[string]any{
		"kind": "gift_exchange", "requests": map[string]int{"min": 1, "max": 1}, "offers": map[string]int{"min": 1, "max": 1},
		"tags": map[string]any{
			"fandom":    map[string]any{"request": map[string]int{"min": 1, "max": 1}, "offer": map[string]int{"min": 1, "max": 1}, "match": 1},
			"character": map[string]any{"request": map[string]int{"min": 0, "max": 2}, "offer": map[string]int{"min": 0, "max": 3}, "any": true, "match": "all"},
		}}), http.StatusOK)
	apiForNodes(t, client, http.MethodPost, base+"/api/v1/collections/Swap/challenge/signups", bo, body(map[string]any{
		"requests": []any{map[string]any{"fandoms": []string{"Harbour Lights"}}},
		"offers":   []any{map[string]any{"fandoms": []string{"Moss Saga"}, "any": []string{"character"}}}}), http.StatusCreated)

	browserCtx, probs := startBrowser(t, chromium, start)
	login := func(b *tab, name string) {
		b.t.Helper()
		b.open("/login")
		b.typeInto("#l-login", name)
		b.typeInto("#l-password", "correct horse battery staple")
		b.follow(`form[action="/login"] button[type=submit]`)
	}

	p := newTab(t, browserCtx, "participant-phone", base, probs, true)
	p.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	login(p, "ann")
	p.open("/collections/Swap")
	p.follow(`nav.actions a[href="/collections/Swap/signup"]`)
	p.typeInto("#request-0-fandom", "Moss Saga")
	p.typeInto("#request-0-character", "Moss Knight")
	p.typeInto("#request-0-details", "Something with rain.")
	p.typeInto("#offer-0-fandom", "Harbour Lights")
	p.follow(`form.signup-form button[type=submit]`)
	p.wantPath(`/collections/Swap/signup$`)
	p.wantText("form.signup-form button[type=submit]", "Save my sign-up")

	m := newTab(t, browserCtx, "maintainer", base, probs, true)
	login(m, "keeper")
	m.open("/collections/Swap")
	m.follow(`nav.actions a[href="/collections/Swap/exchange"]`)
	m.wantText("#summary", "Moss Saga")
	m.open("/collections/Swap/challenge")
	m.do(chromedp.Click(chromedp.CSS("#c-close-now"), chromedp.NodeVisible))
	m.follow(`form.challenge-settings button[type=submit]`)
	m.wantPath(`/collections/Swap/exchange$`)
	m.follow(`form[action="/collections/Swap/matching"] button[type=submit]`)
	m.wantText("table.assignments", "not sent")
	m.follow(`form[action="/collections/Swap/assignments/send"] button[type=submit]`)
	m.wantText("table.assignments", "sent")
	m.wantNone(`form[action="/collections/Swap/assignments/send"]`)

	p.open("/inbox")
	p.wantText("ol.inbox", "Your assignment for Lantern Swap")
	p.follow(`ol.inbox a[href="/assignments"]`)
	p.wantText("ul.my-assignments", "you write a gift for bo")
	p.wantText("ul.my-assignments", "Harbour Lights")
}
