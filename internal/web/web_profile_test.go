package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"quire/internal/web"
)

// The profile (issues 13 and 14): a bio, the user page's tabs, following
// and blocking from a user's page, the series tab and a series' Subscribe.
func TestProfilePages(t *testing.T) {
	r := newRig(t, web.Options{})
	alice, bob, guest := r.browser(), r.browser(), r.browser()
	alice.signup("alice")
	bob.signup("bob")
	work := alice.postWork(url.Values{"title": {"Lighthouse Log"}})
	id := strings.TrimPrefix(work, "/works/")

	// A bio: sanitized, shown to everyone on the user page.
	alice.get("/account").has(t, `href="/account/profile"`, `href="/account/blocked"`)
	alice.get("/account/profile").status_(t, 200).has(t, `name="bio"`, `maxlength="2000"`)
	alice.post("/account/profile", url.Values{"bio": {`<p>I write <em>harbour</em> stories.</p><script>alert(1)</script><a href="javascript:alert(2)">x</a>`}}).
		status_(t, 200).has(t, "Your profile has been saved.")
	guest.get("/users/alice").status_(t, 200).
		has(t, "About alice", "<em>harbour</em> stories").lacks(t, "<script", "alert(", "javascript:")
	// Too long: a 422 with the text kept in the form, and nothing saved.
	long := strings.Repeat("word ", 401)
	alice.post("/account/profile", url.Values{"bio": {long}}).status_(t, http.StatusUnprocessableEntity).
		has(t, "the limit is 2,000", "word word word")
	guest.get("/users/alice").has(t, "<em>harbour</em> stories")
	// Emptying it removes it.
	alice.post("/account/profile", url.Values{"bio": {"  "}}).status_(t, 200)
	guest.get("/users/alice").lacks(t, "About alice", "harbour")
	alice.get("/users/alice").has(t, "You have not written a bio yet.")

	// The tabs a reader expects, and the creator's feed.
	guest.get("/users/alice").has(t, `href="/users/alice/works">Works (1)`, `href="/users/alice/series">Series (0)`,
		`href="/users/alice/bookmarks"`, `href="/users/alice/collections"`, `href="/users/alice/gifts"`,
		`href="/users/alice/pseuds">Pseuds (1)`, `href="/users/alice/feed.atom"`).
		lacks(t, `href="/users/alice/drafts"`, "Subscribe", "Block")
	alice.get("/users/alice").has(t, `href="/users/alice/drafts"`, `href="/users/alice/stats"`).lacks(t, ">Subscribe<", ">Block<")
	if p := guest.get("/users/alice/profile"); p.url != "/users/alice" {
		t.Fatalf("AO3's profile URL landed on %s", p.url)
	}

	// Subscribe and unsubscribe from the user page.
	bob.post("/subscriptions", url.Values{"kind": {"user"}, "target": {"alice"}, "return_to": {"/users/alice"}}).
		status_(t, 200).has(t, "Unsubscribe<span")
	bob.get("/inbox").has(t, `/users/alice`)
	bob.post("/subscriptions/delete", url.Values{"kind": {"user"}, "target": {"alice"}, "return_to": {"/users/alice"}}).
		status_(t, 200).has(t, "Subscribe<span").lacks(t, "Unsubscribe<span")

	// Block from the user page, and from /account/blocked.
	p := bob.post("/account/blocked", url.Values{"name": {"alice"}, "return_to": {"/users/alice"}}).status_(t, 200)
	if p.url != "/users/alice" {
		t.Fatalf("blocking from the user page landed on %s", p.url)
	}
	p.has(t, "Unblock<span")
	bob.get("/account/blocked").has(t, `<a href="/users/alice">alice</a>`)
	bob.post("/account/blocked", url.Values{"name": {"alice"}}).status_(t, http.StatusConflict).has(t, "already blocked alice")
	bob.post("/account/blocked", url.Values{"name": {"nobody-here"}}).status_(t, http.StatusUnprocessableEntity).has(t, "no user named", `value="nobody-here"`)
	bob.post("/account/blocked", url.Values{"name": {"bob"}}).status_(t, http.StatusUnprocessableEntity).has(t, "block yourself")
	bob.post("/account/blocked", url.Values{"name": {""}}).status_(t, http.StatusUnprocessableEntity)
	bob.post("/account/blocked/alice/delete", url.Values{}).status_(t, 200).has(t, "You have unblocked alice.", "You have not blocked anyone.")
	bob.post("/account/blocked/nobody-here/delete", url.Values{}).status_(t, http.StatusNotFound)
	if p := guest.get("/account/blocked"); p.url != "/login" {
		t.Fatalf("a guest on /account/blocked landed on %s", p.url)
	}

	// The series tab lists only series with a work the reader may see.
	series := alice.post("/series", url.Values{"title": {"Coastal Cycle"}}).status_(t, 200).url
	alice.post(series+"/works", url.Values{"work_id": {id}}).status_(t, 200)
	alice.post("/series", url.Values{"title": {"Empty Shelf"}}).status_(t, 200)
	guest.get("/users/alice/series").status_(t, 200).has(t, "Series by alice", "Coastal Cycle", `href="/users/alice/series" aria-current="page">Series (1)`).lacks(t, "Empty Shelf")
	alice.get("/users/alice/series").has(t, "Coastal Cycle", "Empty Shelf")
	guest.get("/users/nobody-here/series").status_(t, http.StatusNotFound)

	// Subscribe to a series from its page.
	guest.get(series).lacks(t, "Subscribe")
	alice.get(series).lacks(t, ">Subscribe<")
	bob.get(series).has(t, "Subscribe<span")
	bob.post("/subscriptions", url.Values{"kind": {"series"}, "target": {strings.TrimPrefix(series, "/series/")}, "return_to": {series}}).
		status_(t, 200).has(t, "Unsubscribe<span", "Coastal Cycle")

	// A spam bio: reported (the report keeps it as it was), then the
	// account is banned and the bio leaves the page for everyone but
	// moderators and its owner.
	alice.post("/account/profile", url.Values{"bio": {`<p>Cheap lanterns at <a href="http://shop.example">shop</a>!</p>`}}).status_(t, 200)
	bob.post("/reports", url.Values{"target": {"user:alice"}, "reason": {"spam"}}).status_(t, 200)
	mod := r.admin("warden")
	mod.get("/admin/reports").has(t, "Bio: Cheap lanterns at shop!")
	mod.post("/admin/users/alice/ban", url.Values{"reason": {"spam"}}).status_(t, 200)
	guest.get("/users/alice").lacks(t, "Cheap lanterns", "shop.example")
	bob.get("/users/alice").lacks(t, "Cheap lanterns")
	mod.get("/users/alice").has(t, "Cheap lanterns")
}
