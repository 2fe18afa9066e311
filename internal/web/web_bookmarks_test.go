package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"quire/internal/web"
)

var bookmarkIDRe = regexp.MustCompile(`id="bookmark_(\d+)"`)

func TestBookmarkPages(t *testing.T) {
	r := newRig(t, web.Options{})
	alice, bob, guest := r.browser(), r.browser(), r.browser()
	alice.signup("alice")
	bob.signup("bob")
	work := alice.postWork(url.Values{"title": {"Lantern Light"}})
	other := alice.postWork(url.Values{"title": {"Second Lantern"}})

	bob.get(work).status_(t, 200).has(t, `href="`+work+`/bookmarks/new">Bookmark</a>`, "Bookmarks:")
	guest.get(work).status_(t, 200).lacks(t, `/bookmarks/new`)
	bob.get(work+"/bookmarks/new").status_(t, 200).has(t, `<label for="b-notes">Notes</label>`, `<label for="b-tags">`, `<label for="b-rec">`, `<label for="b-private">`)

	// Create: lands on the bookmarks page with the notes (sanitized), tags and rec.
	p := bob.post(work+"/bookmarks", url.Values{"notes": {"So <em>good</em><script>x()</script>"}, "tags": {"cozy, reread"}, "rec": {"1"}}).
		status_(t, 200).has(t, "Bookmarks by", "Lantern Light", "So <em>good</em>", "<li>cozy</li>", "<li>reread</li>", "Rec", "Edit bookmark").lacks(t, "<script>x()")
	if p.url != "/users/bob/bookmarks" {
		t.Fatalf("after creating: %s", p.url)
	}
	id := bookmarkIDRe.FindStringSubmatch(p.body)[1]
	guest.get(work).has(t, `<dd class="bookmarks"><a href="`+work+`/bookmarks">1</a></dd>`)

	// A second bookmark of the same work is refused; the new form edits the first.
	bob.post(work+"/bookmarks", url.Values{"notes": {"again"}}).status_(t, http.StatusConflict).has(t, "already bookmarked")
	bob.get(work+"/bookmarks/new").status_(t, 200).has(t, "Edit bookmark", "So &lt;em&gt;good&lt;/em&gt;")
	bob.post(other+"/bookmarks", url.Values{"tags": {"bad<tag"}}).status_(t, http.StatusUnprocessableEntity).has(t, "bad&lt;tag")

	// Private: others don't see it, nor may they change it.
	bob.post("/bookmarks/"+id+"/edit", url.Values{"notes": {"So <em>good</em>"}, "tags": {"cozy"}, "private": {"1"}}).status_(t, 200).has(t, "Private")
	guest.get(work).has(t, `<dd class="bookmarks">0</dd>`)
	for _, b := range []*browser{alice, guest} {
		b.get("/users/bob/bookmarks").status_(t, 200).has(t, "0 bookmarks").lacks(t, "Lantern Light", "So <em>good</em>")
	}
	alice.get("/bookmarks/"+id+"/edit").status_(t, http.StatusNotFound)
	alice.post("/bookmarks/"+id+"/delete", nil).status_(t, http.StatusNotFound)
	bob.post("/bookmarks/"+id+"/edit", url.Values{"notes": {"So <em>good</em>"}}).status_(t, 200)
	alice.post("/bookmarks/"+id+"/delete", nil).status_(t, http.StatusForbidden)
	alice.get("/users/bob/bookmarks").status_(t, 200).has(t, "1 bookmark", "So <em>good</em>").lacks(t, "Edit bookmark")

	// The work is deleted: the bookmark stays for bob, marked gone.
	alice.post(work+"/delete", nil).status_(t, 200)
	bob.get("/users/bob/bookmarks").status_(t, 200).has(t, "Lantern Light", "This work has been deleted or is not available", "So <em>good</em>")
	alice.get("/users/bob/bookmarks").status_(t, 200).has(t, "0 bookmarks").lacks(t, "So <em>good</em>")
	bob.get("/bookmarks/"+id+"/edit").status_(t, 200).has(t, "Your notes are kept")

	bob.post("/bookmarks/"+id+"/delete", nil).status_(t, 200).has(t, "0 bookmarks")
	guest.get("/users/nobody/bookmarks").status_(t, http.StatusNotFound)
}
