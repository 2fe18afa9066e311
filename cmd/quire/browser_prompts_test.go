package main

// A prompt meme in a real browser, on a 390px phone and without relying on
// JavaScript: a participant posts an anonymous prompt through the form the
// maintainer's settings shape; another claims it, follows "Post a work
// filling your claim" to the work form (the claim ticked, the collection
// filled in) and posts; the prompt shows the fill, never the prompter's
// name, and the prompter's inbox tells them.

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestBrowserPromptMemePostClaimFill(t *testing.T) {
	chromium := findChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	data := t.TempDir()
	keeper := addWriterForCLI(t, data, "keeper", "keeper@example.test")
	addWriterForCLI(t, data, "ann", "ann@example.test")
	addWriterForCLI(t, data, "bo", "bo@example.test")
	base := startServerForCLI(t, 30*time.Second, nil, "--data", data, "--login-rate-limit", "0").URL
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	body := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	apiForNodes(t, client, http.MethodPost, base+"/api/v1/collections", keeper, body(map[string]any{"name": "Meme", "title": "Lantern Meme", "open": true}), http.StatusCreated)
	apiForNodes(t, client, http.MethodPut, base+"/api/v1/collections/Meme/challenge", keeper, body(map[string]any{
		"kind": "prompt_meme", "requests": map[string]int{"min": 0, "max": 5},
		"tags": map[string]any{
			"fandom":    map[string]any{"request": map[string]int{"min": 1, "max": 1}},
			"character": map[string]any{"request": map[string]int{"min": 0, "max": 2}},
		}}), http.StatusOK)

	browserCtx, probs := startBrowser(t, chromium, start)
	login := func(b *tab, name string) {
		b.t.Helper()
		b.open("/login")
		b.typeInto("#l-login", name)
		b.typeInto("#l-password", "correct horse battery staple")
		b.follow(`form[action="/login"] button[type=submit]`)
	}
	phone := func(b *tab) {
		b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	}

	a := newTab(t, browserCtx, "prompter-phone", base, probs, true)
	phone(a)
	login(a, "ann")
	a.open("/collections/Meme")
	a.follow(`nav.actions a[href="/collections/Meme/prompts"]`)
	a.follow(`nav.actions a[href="/collections/Meme/prompts/new"]`)
	a.typeInto("#pr-fandom", "Harbour Lights")
	a.typeInto("#pr-character", "Keeper Ann")
	a.typeInto("#pr-title", "Lamplight")
	a.typeInto("#pr-text", "Two keepers share one lamp through a storm.")
	a.do(chromedp.Click(chromedp.CSS("#pr-anon"), chromedp.NodeVisible))
	a.follow(`form.prompt-form button[type=submit]`)
	m := a.wantPath(`/collections/Meme/prompts/(\d+)$`)
	a.wantText("li.prompt", "Two keepers share one lamp")

	b := newTab(t, browserCtx, "writer-phone", base, probs, true)
	phone(b)
	login(b, "bo")
	b.open("/collections/Meme/prompts")
	b.wantText("ol.prompts", "Lamplight")
	b.wantText("ol.prompts", "Anonymous")
	b.follow(`ol.prompts h3 a[href="/collections/Meme/prompts/` + m[1] + `"]`)
	b.follow(`form[action="/collections/Meme/prompts/` + m[1] + `/claim"] button[type=submit]`)
	b.wantText("p.claims", "1 claim")
	b.follow(`li.prompt a[href^="/works/new?claim="]`)
	b.wantPath(`/works/new\?claim=\d+$`)
	if !evalJS[bool](b, `document.querySelector('fieldset.fills-claims input[name=claim]').checked`) {
		b.fatalf("the claim is not ticked on the work form")
	}
	if got := evalJS[string](b, `document.querySelector('#w-collections').value`); got != "Meme" {
		b.fatalf("the collection field holds %q", got)
	}
	b.setValue("#w-rating", "General Audiences")
	b.do(chromedp.Click(chromedp.CSS("#w-warn-0"), chromedp.NodeVisible))
	b.typeInto("#w-fandom", "Harbour Lights")
	b.typeInto("#w-title", "Storm Lamp")
	b.typeInto("#c-body", "The lamp held all night.")
	b.follow(`form.post.work button[name=action][value=post]`)
	b.wantPath(`/works/\d+$`)

	b.open("/collections/Meme/prompts/" + m[1])
	b.wantText("p.fills", "Storm Lamp")
	b.wantText("li.prompt h3", "Anonymous")
	b.wantNone(`main a[href="/users/ann"]`)
	b.open("/collections/Meme/prompts?status=filled")
	b.wantText("p.count", "1 prompt")

	a.open("/inbox")
	a.wantText("ol.inbox", "filled your prompt")
	a.wantText("ol.inbox", "Storm Lamp")
}
