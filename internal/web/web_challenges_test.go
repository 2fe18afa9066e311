package web_test

import (
	"net/url"
	"strings"
	"testing"

	"quire/internal/web"
)

// A gift exchange through plain forms: the maintainer sets it up, two
// participants sign up (a tag outside the tag set is refused), the
// maintainer closes sign-ups, matches and sends; a giver reads their
// assignment and posts the gift, which fulfils it.
func TestGiftExchangePages(t *testing.T) {
	r := newRig(t, web.Options{})
	mod := r.browser()
	mod.signup("keeper")
	mod.post("/collections", url.Values{"name": {"Swap"}, "title": {"Winter Swap"}, "open": {"1"}}).status_(t, 200).has(t, "Start a gift exchange")
	mod.get("/collections/Swap/challenge").status_(t, 200).has(t, "Sign-ups close", "Tag set", "every one of the request")
	settings := url.Values{"requests_min": {"1"}, "requests_max": {"2"}, "offers_min": {"1"}, "offers_max": {"2"},
		"fandom_request_min": {"1"}, "fandom_request_max": {"1"}, "fandom_offer_min": {"1"}, "fandom_offer_max": {"1"}, "fandom_match": {"1"},
		"character_request_max": {"2"}, "character_offer_max": {"3"}, "character_any": {"1"}, "character_match": {"all"},
		"tag_set": {"Lantern Tales\nMoss Saga, Keeper Ann"}}
	mod.post("/collections/Swap/challenge", settings).status_(t, 200).has(t, "Sign-up summary", "No sign-ups yet")

	ann, bo := r.browser(), r.browser()
	ann.signup("ann")
	bo.signup("bo")
	ann.get("/collections/Swap").has(t, "Sign up to the gift exchange")
	ann.get("/collections/Swap/signup").status_(t, 200).has(t, "Request 1", "Offer 2", "Moss Saga")
	ann.post("/collections/Swap/signup", url.Values{"request_0_fandom": {"Elsewhere Chronicles"}, "offer_0_fandom": {"Moss Saga"}}).
		status_(t, 422).has(t, "not in this challenge")
	ann.post("/collections/Swap/signup", url.Values{"request_0_fandom": {"Lantern Tales"}, "request_0_details": {"Snow, <b>please</b>"},
		"offer_0_fandom": {"Moss Saga"}, "offer_0_any_character": {"1"}}).status_(t, 200).has(t, "Save my sign-up", "Withdraw")
	bo.post("/collections/Swap/signup", url.Values{"request_0_fandom": {"Moss Saga"}, "request_0_character": {"Keeper Ann"},
		"offer_0_fandom": {"Lantern Tales"}}).status_(t, 200)
	bo.get("/collections/Swap/exchange").status_(t, 403)
	mod.get("/collections/Swap/exchange").status_(t, 200).has(t, "2 sign-ups", "Moss Saga", "Close sign-ups")

	// Close now, match, send.
	settings.Set("close_now", "1")
	mod.post("/collections/Swap/challenge", settings).status_(t, 200).has(t, "Run matching")
	ann.post("/collections/Swap/signup", url.Values{"request_0_fandom": {"Moss Saga"}, "offer_0_fandom": {"Moss Saga"}}).status_(t, 422).has(t, "closed")
	mod.post("/collections/Swap/matching", nil).status_(t, 200).has(t, "Send 2 assignments", "not sent")
	mod.post("/collections/Swap/matching", nil).status_(t, 409).has(t, "ran already")
	ann.get("/assignments").status_(t, 200).has(t, "no assignments")
	mod.post("/collections/Swap/assignments/send", nil).status_(t, 200).has(t, "sent")
	ann.get("/inbox").has(t, "Your assignment for", "Winter Swap")
	ann.get("/assignments").status_(t, 200).has(t, "you write a gift for <strong>bo</strong>", "Moss Saga", "Keeper Ann", "Default")

	ann.postWork(url.Values{"title": {"Moss for Bo"}, "fandom": {"Moss Saga"}, "collections": {"Swap"}, "gifts": {"bo"}})
	page := mod.get("/collections/Swap/exchange").status_(t, 200)
	if !strings.Contains(page.body, "posted") {
		t.Fatalf("the gift did not fulfil the assignment:\n%s", page.body)
	}
	page.has(t, "Not posted yet")
	if n := auditCount(t, r, "challenge_matching"); n != 1 {
		t.Fatalf("audit entries for matching: %d", n)
	}
}
