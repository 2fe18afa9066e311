package web_test

import (
	"net/url"
	"strings"
	"testing"

	"quire/internal/web"
)

// Reading a chapter records it; "Continue reading" opens that chapter; Mark
// for Later lists the work until "Mark as read"; pausing stops recording;
// clearing forgets; and nobody else can see a reader's history.
func TestReadingHistory(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("teller")
	path := author.postWork(url.Values{"title": {"Long Road"}})
	author.post(path+"/chapters/new", url.Values{"chapter_title": {"Two"}, "body": {"Second part."}, "action": {"post"}}).status_(t, 200)
	second := author.get(path).body
	next := strings.Split(strings.Split(second, `<a rel="next" href="`)[1], `"`)[0]

	reader := r.browser()
	reader.signup("walker")
	reader.get(next).status_(t, 200)
	h := reader.get("/users/walker/readings").status_(t, 200)
	h.has(t, "Long Road", "Continue reading", next)
	reader.post(path+"/mark_for_later", url.Values{"on": {"1"}, "return_to": {path}}).status_(t, 200).has(t, "Mark as read")
	reader.get("/users/walker/readings?show=to-read").status_(t, 200).has(t, "Long Road", "Marked for Later")
	// Reading keeps the mark; "Mark as read" clears it.
	reader.get(path).status_(t, 200).has(t, "Mark as read")
	reader.post(path+"/mark_for_later", url.Values{"on": {"0"}, "return_to": {path}}).status_(t, 200).has(t, "Mark for Later")
	reader.get("/users/walker/readings?show=to-read").status_(t, 200).has(t, "0 works")

	// Others never see it.
	author.get("/users/walker/readings").status_(t, 404)
	r.browser().get("/users/walker/readings").has(t, "Log in")

	// Pause: nothing new is recorded; clear: everything goes.
	reader.post("/users/walker/readings", url.Values{"action": {"pause"}}).status_(t, 200).has(t, "history is paused")
	other := author.postWork(url.Values{"title": {"Unrecorded"}})
	reader.get(other).status_(t, 200)
	reader.get("/users/walker/readings").status_(t, 200).lacks(t, "Unrecorded")
	reader.post("/users/walker/readings", url.Values{"action": {"clear"}}).status_(t, 200).has(t, "0 works")
}
