package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"quire/internal/web"
)

var promptPathRe = regexp.MustCompile(`/collections/[A-Za-z0-9_]+/prompts/(\d+)$`)

// A prompt meme through the pages, without JavaScript: the maintainer
// starts it, a participant posts an anonymous prompt (bad input re-shows
// the form and writes nothing), another claims it and posts a work filling
// the claim from the prompt's link; the prompt shows the fill, the
// prompter's inbox tells them, and nobody else sees the prompter's name.
func TestPromptMemePages(t *testing.T) {
	r := newRig(t, web.Options{})
	keeper := r.browser()
	keeper.signup("keeper")
	keeper.post("/collections", url.Values{"name": {"Gentle"}, "title": {"Gentle Meme"}, "open": {"1"}, "anonymous": {"1"}}).status_(t, 200)
	keeper.get("/collections/Gentle").has(t, "Start a prompt meme")
	keeper.get("/collections/Gentle/challenge?kind=prompt_meme").status_(t, 200).has(t, "Prompt meme settings", `name="kind" value="prompt_meme"`)
	keeper.post("/collections/Gentle/challenge", url.Values{"kind": {"prompt_meme"}, "requests_max": {"3"},
		"fandom_request_min": {"1"}, "fandom_request_max": {"1"}, "character_request_max": {"2"}, "tag_set": {"Lantern Tales, Keeper Ann, Keeper Bo"}}).
		status_(t, 200).has(t, "Prompts in", "Prompts are open.")
	// A stranger can't change the settings.
	stranger := r.browser()
	stranger.signup("stranger")
	stranger.post("/collections/Gentle/challenge", url.Values{"kind": {"prompt_meme"}}).status_(t, 403)

	poster := r.browser()
	poster.signup("asker")
	poster.get("/collections/Gentle/prompts/new").status_(t, 200).has(t, `name="fandom"`, `name="character"`, `name="anonymous"`)
	bad := poster.post("/collections/Gentle/prompts", url.Values{"fandom": {"Lantern Tales"}, "text": {"  "}})
	bad.status_(t, 422).has(t, "can&#39;t be blank")
	poster.post("/collections/Gentle/prompts", url.Values{"fandom": {"Elsewhere"}, "text": {"x"}}).status_(t, 422).has(t, "tag set")
	if n := len(mustPrompts(t, r)); n != 0 {
		t.Fatalf("bad prompts wrote %d", n)
	}
	p := poster.post("/collections/Gentle/prompts", url.Values{"fandom": {"Lantern Tales"}, "character": {"Keeper Ann"},
		"title": {"Lamplight"}, "text": {"Two keepers share a lamp in a storm."}, "anonymous": {"1"}}).status_(t, 200)
	m := promptPathRe.FindStringSubmatch(p.url)
	if m == nil {
		t.Fatalf("posting did not land on the prompt: %s", p.url)
	}
	promptPath := p.url
	p.has(t, "Lamplight", "Two keepers share a lamp", "asker", "anonymous to others")

	writer := r.browser()
	writer.signup("penwright")
	// Others see "Anonymous", never the poster.
	writer.get(promptPath).status_(t, 200).has(t, "Lamplight", "Anonymous").lacks(t, "asker")
	r.browser().get("/collections/Gentle/prompts").status_(t, 200).has(t, "Lamplight", "Anonymous").lacks(t, "asker")
	keeper.get(promptPath).has(t, "asker")
	writer.post(promptPath+"/claim", nil).status_(t, 200).has(t, "Drop claim", "Post a work filling your claim")
	writer.post(promptPath+"/claim", nil).status_(t, 409)
	// The claim is anonymous to others in an anonymous collection.
	poster.get(promptPath).has(t, "1 claim").lacks(t, "penwright")
	writer.get("/collections/Gentle/prompts?status=unclaimed").has(t, "0 prompts")
	writer.get("/collections/Gentle/prompts?status=claimed&tag=Keeper+Ann").has(t, "1 prompt", "Lamplight")

	claimLink := regexp.MustCompile(`/works/new\?claim=(\d+)`).FindStringSubmatch(writer.get(promptPath).body)
	if claimLink == nil {
		t.Fatal("no link to fill the claim")
	}
	form := writer.get(claimLink[0]).status_(t, 200)
	form.has(t, `name="claim" value="`+claimLink[1]+`" checked`, `value="Gentle"`)
	// Another's work can't fill it.
	stranger.postWork(url.Values{"title": {"Elsewhere Tale"}})
	stranger.post("/works", url.Values{"title": {"Not Mine"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"x"}, "action": {"post"}, "collections": {"Gentle"}, "claims_shown": {"1"}, "claim": {claimLink[1]}}).
		status_(t, 422).has(t, "not yours")
	work := writer.postWork(url.Values{"title": {"Storm Lamp"}, "collections": {"Gentle"}, "claims_shown": {"1"}, "claim": {claimLink[1]}})
	r.browser().get(promptPath).has(t, "Filled by:", "Storm Lamp", work).lacks(t, "asker", "penwright")
	writer.get("/collections/Gentle/prompts?status=filled").has(t, "1 prompt", "Storm Lamp")
	writer.get("/users/penwright/claims").status_(t, 200).has(t, "Lamplight", "Storm Lamp")
	stranger.get("/users/penwright/claims").status_(t, 403)
	poster.get("/inbox").has(t, "filled your prompt", "Storm Lamp").lacks(t, "penwright")

	// The maintainer deletes the prompt; it is gone.
	stranger.post(promptPath+"/delete", url.Values{}).status_(t, 403)
	keeper.post(promptPath+"/delete", url.Values{}).status_(t, 200)
	r.browser().get(promptPath).status_(t, 404)
	_ = context.Background
	_ = strings.Contains
}

func mustPrompts(t *testing.T, r *rig) []int {
	t.Helper()
	c, err := r.store.CollectionByName(context.Background(), "Gentle")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := r.store.MemePrompts(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := []int{}
	for _, p := range ps {
		out = append(out, int(p.ID))
	}
	return out
}
