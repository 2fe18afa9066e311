package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"quire/internal/web"
)

// The bookmark listings: /bookmarks, a tag's and a user's, with the filter
// sidebar (the works' tags, the bookmarkers' tags, rec only) and sorts, and
// the counts each reader may see.
func TestBookmarkListings(t *testing.T) {
	r := newRig(t, web.Options{})
	author, bob, carol, guest := r.browser(), r.browser(), r.browser(), r.browser()
	author.signup("author")
	bob.signup("bob")
	carol.signup("carol")
	sad := author.postWork(url.Values{"title": {"Sad Harbor"}, "freeform": {"Angst"}})
	soft := author.postWork(url.Values{"title": {"Soft Harbor"}, "freeform": {"Fluff"}})
	members := author.postWork(url.Values{"title": {"Members Harbor"}, "freeform": {"Fluff"}, "restricted": {"1"}})

	bob.post(sad+"/bookmarks", url.Values{"tags": {"to reread, cozy"}, "rec": {"1"}, "notes": {"Bob on the sad one"}}).status_(t, 200)
	bob.post(soft+"/bookmarks", url.Values{"tags": {"cozy"}, "notes": {"Bob on the soft one"}}).status_(t, 200)
	bob.post(members+"/bookmarks", url.Values{"notes": {"Bob on the members one"}}).status_(t, 200)
	carol.post(soft+"/bookmarks", url.Values{"notes": {"Carol keeps this to herself"}, "private": {"1"}}).status_(t, 200)
	carol.post(sad+"/bookmarks", url.Values{"tags": {"Cozy"}, "notes": {"Carol on the sad one"}}).status_(t, 200)

	// A guest: public bookmarks of works a guest may see, never a private one.
	p := guest.get("/bookmarks").status_(t, 200).has(t, "3 bookmarks", "Bob on the sad one", "Bob on the soft one", "Carol on the sad one").
		lacks(t, "Bob on the members one", "Carol keeps this to herself")
	// The sidebar counts bookmarks per tag of the works and per bookmarker's tag.
	p.has(t, `value="Angst"`, `Angst (2)`, `Fluff (1)`, `cozy (3)`, `to reread (1)`, `<label for="f-rec">`)
	// A logged-in reader sees the restricted work's bookmark.
	carol.get("/bookmarks").has(t, "4 bookmarks", "Bob on the members one").lacks(t, "Carol keeps this to herself")
	// Owners see their private bookmarks on their own page only.
	carol.get("/users/carol/bookmarks").has(t, "2 bookmarks", "Carol keeps this to herself", "Edit bookmark")
	bob.get("/users/carol/bookmarks").has(t, "1 bookmark", "Carol on the sad one").lacks(t, "Carol keeps this to herself", "Edit bookmark")

	// Filters: rec only, a bookmarker's tag (case-insensitive), a work tag, and
	// an exclusion that stays ticked though no facet names it any more.
	guest.get("/bookmarks?rec=true").has(t, "1 bookmark", "Bob on the sad one", `id="f-rec" name="rec" value="true" checked`)
	guest.get("/bookmarks?bookmark_tag=COZY").has(t, "3 bookmarks")
	guest.get("/bookmarks?freeform=Fluff").has(t, "1 bookmark", "Bob on the soft one").lacks(t, "Sad Harbor")
	p = guest.get("/bookmarks?exclude_freeform=Angst&sort=updated").status_(t, 200).has(t, "1 bookmark", `name="exclude_freeform" value="Angst" checked>`)
	p = guest.get("/bookmarks?exclude_bookmark_tag=to+reread").has(t, "2 bookmarks", `name="exclude_bookmark_tag" value="to reread" checked>`)
	guest.get("/users/bob/bookmarks?bookmark_tag=cozy").has(t, "2 bookmarks")

	// The tag's bookmarks follow the filter rule, as its works do.
	guest.get("/tags/Angst/bookmarks").status_(t, 200).has(t, "Bookmarks in Angst", "2 bookmarks")
	guest.get("/tags/No%20Such%20Tag/bookmarks").status_(t, http.StatusUnprocessableEntity).has(t, "No Such Tag")

	// Sorts: date bookmarked (newest first) and the work's date updated.
	p = guest.get("/bookmarks")
	if strings.Index(p.body, "Carol on the sad one") > strings.Index(p.body, "Bob on the sad one") {
		t.Errorf("newest bookmark is not first")
	}
	p = guest.get("/bookmarks?sort=bookmarked&order=asc")
	if strings.Index(p.body, "Bob on the sad one") > strings.Index(p.body, "Carol on the sad one") {
		t.Errorf("oldest first is not oldest first")
	}
	guest.get("/bookmarks?sort=updated").status_(t, 200).has(t, "3 bookmarks")

	// Bad input is a 422 with the reason, the form kept.
	guest.get("/bookmarks?sort=kudos").status_(t, http.StatusUnprocessableEntity).has(t, "not a bookmark sort", "Filter bookmarks")
	guest.get("/bookmarks?rec=maybe").status_(t, http.StatusUnprocessableEntity).has(t, "rec")
	guest.get("/bookmarks?page=0").status_(t, http.StatusUnprocessableEntity)
	guest.get("/bookmarks?per_page=101").status_(t, http.StatusUnprocessableEntity)
	guest.get("/bookmarks?page=99").status_(t, 200).has(t, "past the end")

	// Mutes: a muted bookmarker's bookmarks leave the muter's listings and counts.
	bob.post("/account/mutes", url.Values{"users": {"carol"}}).status_(t, 200)
	bob.get("/bookmarks").has(t, "3 bookmarks").lacks(t, "Carol on the sad one")
	bob.get("/users/carol/bookmarks").has(t, "0 bookmarks")

	// Hidden by a moderator, a work's bookmarks leave every listing.
	r.hide(sad)
	guest.get("/bookmarks").has(t, "1 bookmark").lacks(t, "Bob on the sad one", "Carol on the sad one")
	bob.get("/users/bob/bookmarks").has(t, "Bob on the sad one", "This work has been deleted or is not available")

	// A banned bookmarker's bookmarks count for nobody.
	mod := r.admin("boss")
	mod.post("/admin/users/bob/ban", url.Values{"reason": {"spam"}}).status_(t, 200)
	guest.get("/bookmarks").has(t, "0 bookmarks")
	mod.post("/admin/users/bob/unban", url.Values{"reason": {"appeal"}}).status_(t, 200)
	guest.get("/bookmarks").has(t, "1 bookmark", "Bob on the soft one")

	// A deleted bookmark leaves at once; the index agrees with a fresh build.
	if err := r.site.BuildBookmarkIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
}
