package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"quire/internal/web"
)

func TestPseudPages(t *testing.T) {
	r := newRig(t, web.Options{})
	alice, bob := r.browser(), r.browser()
	alice.signup("alice")
	bob.signup("bob")

	alice.post("/users/alice/pseuds", url.Values{"name": {"Night Owl"}}).status_(t, 200).has(t, "Night Owl", "Rename")
	bob.post("/users/bob/pseuds", url.Values{"name": {"night owl"}}).status_(t, http.StatusConflict).has(t, "already taken")
	bob.post("/users/bob/pseuds", url.Values{"name": {"no/slash"}}).status_(t, http.StatusUnprocessableEntity)
	bob.post("/users/alice/pseuds", url.Values{"name": {"Sneaky"}}).status_(t, http.StatusForbidden)

	// The work form offers the pseuds; posting as one puts it on the byline.
	alice.get("/works/new").status_(t, 200).has(t, "Creator/Pseud", "<option>Night Owl</option>")
	bob.get("/works/new").status_(t, 200).lacks(t, "Creator/Pseud")
	owlWork := alice.postWork(url.Values{"title": {"Owl Light"}, "pseud": {"Night Owl"}})
	alice.postWork(url.Values{"title": {"Plain Alice"}})
	draft := alice.post("/works", url.Values{"title": {"Owl Draft"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"Draft text."}, "action": {"draft"}, "pseud": {"Night Owl"}}).status_(t, 200)
	restricted := alice.postWork(url.Values{"title": {"Owl Locked"}, "pseud": {"Night Owl"}, "restricted": {"1"}})
	_ = restricted

	guest := r.browser()
	guest.get(owlWork).status_(t, 200).has(t, `href="/users/alice/pseuds/Night%20Owl">Night Owl</a>`)
	// The pseud page lists the pseud's works the viewer may see.
	guest.get("/users/alice/pseuds/Night%20Owl").status_(t, 200).has(t, "Works by Night Owl", "Owl Light").lacks(t, "Plain Alice", "Owl Draft", "Owl Locked")
	bob.get("/users/alice/pseuds/night%20owl").status_(t, 200).has(t, "Owl Light", "Owl Locked").lacks(t, "Plain Alice", "Owl Draft")
	alice.get("/users/alice/pseuds/alice").status_(t, 200).has(t, "Plain Alice").lacks(t, "Owl Light")
	guest.get("/users/bob/pseuds/Night%20Owl").status_(t, 404)
	guest.get("/users/alice").status_(t, 200).has(t, `href="/users/alice/pseuds/Night%20Owl"`)
	guest.get("/users/alice/pseuds").status_(t, 200).has(t, "Night Owl").lacks(t, "Rename")

	// Editing the work moves its byline, and the listings follow.
	alice.post(owlWork+"/edit", url.Values{"title": {"Owl Light"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "pseud": {"alice"}}).status_(t, 200)
	guest.get("/users/alice/pseuds/Night%20Owl").has(t, "0 works").lacks(t, "Owl Light")
	guest.get("/users/alice/pseuds/alice").has(t, "Owl Light")
	alice.post(owlWork+"/edit", url.Values{"title": {"Owl Light"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "pseud": {"Night Owl"}}).status_(t, 200)

	// Deleting the pseud moves its works (draft too) to the default pseud.
	alice.post("/users/alice/pseuds/alice/delete", nil).status_(t, http.StatusUnprocessableEntity)
	alice.post("/users/alice/pseuds/Night%20Owl/delete", nil).status_(t, 200).lacks(t, "Night Owl")
	guest.get(owlWork).status_(t, 200).has(t, `>alice</a>`).lacks(t, "Night Owl")
	guest.get("/users/alice/pseuds/alice").has(t, "Owl Light", "Plain Alice")
	guest.get("/users/alice/pseuds/Night%20Owl").status_(t, 404)
	alice.get(draft.url).status_(t, 200).has(t, ">alice</a>")
	guest.get("/works?q=Owl").has(t, ">alice</a>").lacks(t, "Night Owl")
}
