package web_test

import (
	"net/url"
	"strings"
	"testing"

	"quire/internal/web"
)

// An exclusion must survive the next submit: the excluded tag has no works
// in the result, so it is in no facet, yet the form keeps it ticked.
func TestSidebarKeepsEveryActiveFilter(t *testing.T) {
	r := newRig(t, web.Options{})
	a := r.browser()
	a.signup("keeper")
	a.postWork(url.Values{"title": {"Sad One"}, "freeform": {"Angst"}})
	a.postWork(url.Values{"title": {"Soft One"}, "freeform": {"Fluff"}, "character": {"Pim"}})
	a.postWork(url.Values{"title": {"Plain One"}, "freeform": {"Hurt/Comfort"}})
	g := r.browser()
	p := g.get("/works?exclude_freeform=Angst&sort=title").status_(t, 200)
	p.has(t, "Soft One", `name="exclude_freeform" value="Angst" checked>`).lacks(t, "Sad One")
	// The form as a browser would submit it keeps the exclusion.
	p = g.get("/works?exclude_freeform=Angst&sort=words").status_(t, 200)
	p.has(t, `name="exclude_freeform" value="Angst" checked>`).lacks(t, "Sad One")
	// Several excluded tags stay in the text field, all of them.
	g.get("/works?exclude_tag=Angst&exclude_tag=Fluff").status_(t, 200).
		has(t, `name="exclude_tag" value="Angst, Fluff"`, "Plain One").lacks(t, "Sad One", "Soft One")
	// An include the facets would show anyway is not shown twice.
	p = g.get("/works?character=Pim&exclude_freeform=Angst").status_(t, 200)
	if n := strings.Count(p.body, `name="character" value="Pim"`); n != 1 {
		t.Fatalf("Pim's include box shows %d times", n)
	}
	// Ratings, warnings and categories have counts too.
	g.get("/works").has(t, ">General Audiences (3)</label>", ">Explicit (0)</label>")
}

func TestListingErrorsAndPastTheEnd(t *testing.T) {
	r := newRig(t, web.Options{})
	a := r.browser()
	a.signup("pager")
	for _, title := range []string{"One", "Two", "Three"} {
		a.postWork(url.Values{"title": {title}})
	}
	g := r.browser()
	g.get("/works?words_from=lots").status_(t, 422).has(t, "words_from").lacks(t, "0 works", "No works match")
	g.get("/works?per_page=1&page=9999").status_(t, 200).
		has(t, "Page 9,999 is past the end", "3 works", `page=3&amp;per_page=1">Go to the last page (3)`).lacks(t, "No works match")
	// Numbered pages and a jump form that keeps the filters.
	p := g.get("/works?per_page=1&page=2&exclude_rating=Explicit").status_(t, 200)
	p.has(t, `<span aria-current="page">2</span>`, `name="exclude_rating" value="Explicit">`, `id="jump-page" name="page"`)
}
