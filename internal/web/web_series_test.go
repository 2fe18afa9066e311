package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"quire/internal/web"
)

var seriesPathRe = regexp.MustCompile(`^/series/\d+$`)

func seriesWorkID(p string) string { return strings.TrimPrefix(p, "/works/") }

func TestSeriesPages(t *testing.T) {
	r := newRig(t, web.Options{})
	alice, bob, guest := r.browser(), r.browser(), r.browser()
	alice.signup("alice")
	bob.signup("bob")

	alice.get("/series/new").status_(t, 200).has(t, "New series")
	alice.post("/series", url.Values{"title": {""}}).status_(t, http.StatusUnprocessableEntity)
	p := alice.post("/series", url.Values{"title": {"Lantern Cycle"}, "summary": {"Three tales."}}).status_(t, 200).has(t, "Lantern Cycle", "no works you can see")
	if !seriesPathRe.MatchString(p.url) {
		t.Fatalf("created series landed on %s", p.url)
	}
	series := p.url
	// Empty: visible to its creator only.
	guest.get(series).status_(t, 404)

	one := alice.postWork(url.Values{"title": {"First Lantern"}})
	// The work form offers the series; picking it adds the work at the end.
	alice.get("/works/new").status_(t, 200).has(t, "Add to series", "Lantern Cycle")
	two := alice.postWork(url.Values{"title": {"Second Lantern"}, "series_id": {strings.TrimPrefix(series, "/series/")}})
	three := alice.postWork(url.Values{"title": {"Third Lantern"}})
	draft := alice.post("/works", url.Values{"title": {"Secret Lantern"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"Draft text."}, "action": {"draft"}}).status_(t, 200).url

	// The series page offers alice's other works; add one first, one last.
	alice.get(series).status_(t, 200).has(t, "Add one of your works", "First Lantern", "Secret Lantern")
	alice.post(series+"/works", url.Values{"work_id": {seriesWorkID(one)}, "position": {"1"}}).status_(t, 200)
	alice.post(series+"/works", url.Values{"work_id": {seriesWorkID(draft)}}).status_(t, 200)
	alice.post(series+"/works", url.Values{"work_id": {seriesWorkID(three)}}).status_(t, 200)

	g := guest.get(series).status_(t, 200).has(t, "Lantern Cycle", "Three tales.", "Part 1", "Part 2", "First Lantern", "Second Lantern", "Third Lantern").
		lacks(t, "Secret Lantern", "Add one of your works", "Remove from series")
	if i, j := strings.Index(g.body, "First Lantern"), strings.Index(g.body, "Second Lantern"); i < 0 || j < i {
		t.Fatalf("series order wrong")
	}
	if !strings.Contains(g.body, `id="part-4"`) || strings.Contains(g.body, `id="part-3"`) {
		t.Fatalf("parts keep their positions: %s", excerpt(g.body))
	}
	alice.get(series).status_(t, 200).has(t, "Secret Lantern", "Part 3", "Remove from series")

	// The work page: Part 2 of the series, with the previous and next parts.
	w := guest.get(two).status_(t, 200).has(t, "Part 2 of the", `href="`+series+`">Lantern Cycle</a>`)
	if !strings.Contains(w.body, `rel="prev" class="series-prev" href="`+one+`"`) || !strings.Contains(w.body, `rel="next" class="series-next" href="`+three+`"`) {
		t.Fatalf("prev/next: %s", w.body[strings.Index(w.body, "Part 2 of"):][:400])
	}
	// For a guest the next part after the draft skips it; alice sees the draft.
	guest.get(three).has(t, "Part 4 of the", `href="`+two+`"`).lacks(t, "Secret Lantern", "series-next")
	alice.get(three).has(t, "Part 4 of the", "Previous work: Secret Lantern")

	// Others can't add to alice's series or change it.
	bobWork := bob.postWork(url.Values{"title": {"Bob Lantern"}})
	bob.get(series).status_(t, 200).lacks(t, "Add one of your works", "Edit series")
	bob.post(series+"/works", url.Values{"work_id": {seriesWorkID(bobWork)}}).status_(t, http.StatusForbidden)
	bob.post(series+"/edit", url.Values{"title": {"Mine"}}).status_(t, http.StatusForbidden)
	bob.post(series+"/delete", nil).status_(t, http.StatusForbidden)
	bob.post(series+"/works/"+seriesWorkID(one)+"/delete", nil).status_(t, http.StatusForbidden)
	guest.get(series).has(t, "First Lantern").lacks(t, "Bob Lantern")

	// Edit, remove a part, delete.
	alice.post(series+"/edit", url.Values{"title": {"Lantern Saga"}, "complete": {"1"}}).status_(t, 200).has(t, "Lantern Saga")
	alice.post(series+"/works/"+seriesWorkID(one)+"/delete", nil).status_(t, 200)
	guest.get(two).has(t, "Part 1 of the", "Lantern Saga").lacks(t, "series-prev")
	alice.post(series+"/delete", nil).status_(t, 200)
	guest.get(series).status_(t, 404)
	guest.get(two).status_(t, 200).lacks(t, "Lantern Saga")
}
