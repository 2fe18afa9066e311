package web_test

import (
	"fmt"
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
		has(t, `name="exclude_tag" value="Angst, Fluff, "`, "Plain One").lacks(t, "Sad One", "Soft One")
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

// The reading page, as a new reader meets it: the work's summary and notes
// on the first chapter only, one comment form at the end of the entire work,
// and a refused comment that keeps its text.
func TestReadingPageFaults(t *testing.T) {
	r := newRig(t, web.Options{})
	a := r.browser()
	a.signup("teller")
	wp := a.postWork(url.Values{"summary": {"A summary worth reading once."}, "notes": {"Notes for the start."}, "comment_permissions": {"everyone"}})
	a.post(wp+"/chapters/new", url.Values{"chapter_title": {"Second"}, "body": {"<p>Second chapter text.</p>"}, "action": {"post"}}).status_(t, 200)
	a.post(wp+"/chapters/new", url.Values{"chapter_title": {"Third"}, "body": {"<p>Third chapter text.</p>"}, "action": {"post"}}).status_(t, 200)
	g := r.browser()
	first := g.get(wp).status_(t, 200).has(t, "A summary worth reading once.", "Notes for the start.")
	next := regexpFind(first.body, `rel="next" href="(/works/\d+/chapters/\d+)"`)
	g.get(next).status_(t, 200).has(t, "Second chapter text.").lacks(t, "A summary worth reading once.", "Notes for the start.")
	full := g.get(wp+"?view_full_work=true").status_(t, 200).has(t, "A summary worth reading once.", "Third chapter text.")
	if n := strings.Count(full.body, `class="comment-form"`); n != 1 {
		t.Fatalf("the entire work shows %d comment forms, want 1", n)
	}
	if strings.Index(full.body, `class="comment-form"`) < strings.Index(full.body, "Third chapter text.") {
		t.Fatal("the entire work's comment form is not at its end")
	}
	// A guest without an e-mail, and a comment over the limit: the text comes back.
	form := regexpFind(first.body, `action="(/works/\d+/chapters/\d+/comments)"`)
	g.post(form, url.Values{"body": {"My careful thoughts & more"}, "name": {"Wanderer"}, "return_to": {wp}}).
		status_(t, 422).has(t, "Your comment was not posted", "My careful thoughts &amp; more</textarea>", `value="Wanderer"`, "email")
	long := strings.Repeat("long words ", 1001)
	g.post(form, url.Values{"body": {long}, "name": {"Wanderer"}, "email": {"w@example.test"}}).
		status_(t, 422).has(t, "the limit is 10000", long[:200], `maxlength="10000"`)
}

func TestSignupShowsEveryError(t *testing.T) {
	r := newRig(t, web.Options{})
	r.browser().signup("taken")
	b := r.browser()
	b.post("/signup", url.Values{"name": {"taken"}, "email": {"not an address"}, "password": {"short"}, "password_confirmation": {"other"}}).
		status_(t, 422).has(t, "already taken", "Email", "Password")
}

// A reader's own filters: a hidden work leaves every listing, count and
// facet for that reader only; exclude_read, exclude_kudosed,
// exclude_bookmarked and marked_for_later narrow the listing exactly.
func TestReaderOwnFilters(t *testing.T) {
	r := newRig(t, web.Options{})
	a := r.browser()
	a.signup("maker")
	one := a.postWork(url.Values{"title": {"Alpha Work"}, "freeform": {"Rare Tag"}})
	two := a.postWork(url.Values{"title": {"Beta Work"}, "freeform": {"Common Tag"}})
	three := a.postWork(url.Values{"title": {"Gamma Work"}, "freeform": {"Common Tag"}})
	reader := r.browser()
	reader.signup("picky")
	l := reader.get("/works").status_(t, 200).has(t, "3 works", `name="work_id" value="`+itoa(mustID(t, one))+`"`, "Leave out works I have read")

	// Hide from the listing: back to it, with the undo; gone from counts and facets.
	p := reader.post("/account/hidden", url.Values{"work_id": {itoa(mustID(t, one))}, "return_to": {"/works?sort=title"}}).status_(t, 200)
	p.has(t, "You hid a work", "2 works", "Beta Work").lacks(t, "Alpha Work", "Rare Tag")
	_ = l
	reader.get("/tags/Rare%20Tag/works").status_(t, 200).has(t, "0 works")
	reader.get("/account/hidden").status_(t, 200).has(t, "Alpha Work", "Show again")
	reader.get(one).status_(t, 200).has(t, "You hid this work", "Show it in my listings again")
	// Others still see it.
	r.browser().get("/works").has(t, "3 works", "Alpha Work", "Rare Tag (1)").lacks(t, "Hide this work", "Leave out works I have read")
	// Undo.
	reader.post("/account/hidden/"+itoa(mustID(t, one))+"/delete", url.Values{"return_to": {"/account/hidden"}}).status_(t, 200).has(t, "You have not hidden any works")
	reader.get("/works").has(t, "3 works", "Alpha Work")

	// Read Beta (Alpha was opened above, while hidden: it counts as read too).
	reader.get(two).status_(t, 200)
	reader.get("/works?exclude_read=true").status_(t, 200).has(t, "1 work", "Gamma Work", `name="exclude_read" value="true" checked`).lacks(t, "Beta Work", "Alpha Work")
	// Kudos on Gamma, bookmark Alpha, mark Gamma for later.
	reader.post(three+"/kudos", nil).status_(t, 200)
	reader.post("/works/"+itoa(mustID(t, three))+"/mark_for_later", url.Values{"on": {"1"}}).status_(t, 200)
	reader.post(one+"/bookmarks", url.Values{"notes": {"keep"}}).status_(t, 200)
	reader.get("/works?exclude_kudosed=true").has(t, "Alpha Work", "Beta Work").lacks(t, "Gamma Work")
	reader.get("/works?exclude_bookmarked=true").has(t, "2 works").lacks(t, "Alpha Work")
	reader.get("/works?marked_for_later=true").has(t, "1 work", "Gamma Work", "Common Tag (1)").lacks(t, "Beta Work")
	reader.get("/works?exclude_read=true&exclude_kudosed=true&exclude_bookmarked=true").has(t, "0 works")
	reader.get("/works?exclude_read=maybe").status_(t, 422).has(t, "exclude_read")
	// A guest's flags change nothing.
	r.browser().get("/works?exclude_read=true").has(t, "3 works")
}

// The fandom directory: a wrangler gives a canonical fandom its medium; the
// media pages list it with the count the reader may see — never counting
// hidden, draft or (for guests) restricted works, and leaving out a fandom
// whose only works are such.
func TestFandomDirectory(t *testing.T) {
	r := newRig(t, web.Options{})
	a := r.browser()
	a.signup("writer")
	a.postWork(url.Values{"title": {"Public One"}, "fandom": {"Harbor Lights"}})
	a.postWork(url.Values{"title": {"Public Two"}, "fandom": {"Harbor Lights"}})
	a.postWork(url.Values{"title": {"Members"}, "fandom": {"Harbor Lights"}, "restricted": {"1"}})
	a.postWork(url.Values{"title": {"Draft"}, "fandom": {"Harbor Lights"}, "action": {"draft"}})
	hidden := a.postWork(url.Values{"title": {"Moderated"}, "fandom": {"Harbor Lights"}})
	r.hide(hidden)
	only := a.postWork(url.Values{"title": {"Lonely"}, "fandom": {"Secret Garden & Co"}})
	a.postWork(url.Values{"title": {"Zebra"}, "fandom": {"zebra crossing"}})
	a.postWork(url.Values{"title": {"Numbers"}, "fandom": {"42 Stories"}})

	w := r.browser()
	w.signup("wendy")
	r.makeWrangler("wendy")
	set := func(fandom, media string) page {
		return w.post("/tags/"+url.PathEscape(fandom)+"/edit?type=fandom", url.Values{"canonical_shown": {"1"}, "canonical": {"1"}, "synonym_of": {""}, "media": {media}})
	}
	set("Harbor Lights", "TV Shows").status_(t, 200)
	set("Secret Garden *a* Co", "TV Shows").status_(t, 200)
	r.hide(only) // its fandom's only work: the fandom leaves the directory
	set("zebra crossing", "TV Shows").status_(t, 200)
	set("42 Stories", "Books & Literature").status_(t, 200)
	set("42 Stories", "Nonsense Media").status_(t, 422).has(t, "not a medium")
	w.post("/tags/Harbor%20Lights/edit?type=fandom", url.Values{"canonical_shown": {"1"}, "synonym_of": {""}, "media": {"Movies"}}).
		status_(t, 422).has(t, "only canonical fandoms have media")
	w.get("/tags/Harbor%20Lights?type=fandom").has(t, "Medium:", "TV Shows")

	guest := r.browser()
	home := guest.get("/").status_(t, 200)
	home.has(t, `href="/media"`, `href="/media/TV%20Shows/fandoms"`, `href="/media/Anime%20%2Aa%2A%20Manga/fandoms"`)
	m := guest.get("/media").status_(t, 200)
	m.has(t, "TV Shows", ">Harbor Lights</a> (2)", "Books &amp; Literature", ">42 Stories</a> (1)").lacks(t, "Secret Garden")
	tv := guest.get("/media/TV%20Shows/fandoms").status_(t, 200)
	tv.has(t, `href="#letter-H"`, `href="#letter-Z"`, ">Harbor Lights</a> (2)", ">zebra crossing</a> (1)", "2 fandoms").lacks(t, "Secret Garden", "Lonely")
	if strings.Index(tv.body, "Harbor Lights") > strings.Index(tv.body, "zebra crossing") {
		t.Error("the medium's fandoms are not A–Z")
	}
	guest.get("/media/Books%20*a*%20Literature/fandoms").status_(t, 200).has(t, `href="#letter-other"`, `<h2 id="letter-other">#</h2>`, "42 Stories")
	guest.get("/media/Nope/fandoms").status_(t, 404)
	// A logged-in reader also counts the restricted work.
	reader := r.browser()
	reader.signup("reader")
	reader.get("/media/TV%20Shows/fandoms").has(t, ">Harbor Lights</a> (3)")
	// Taking the medium away takes the fandom out.
	set("zebra crossing", "").status_(t, 200)
	guest.get("/media/TV%20Shows/fandoms").lacks(t, "zebra crossing")
}

func TestFieldTermsInQ(t *testing.T) {
	r := newRig(t, web.Options{})
	a := r.browser()
	a.signup("lamplighter")
	a.postWork(url.Values{"title": {"Harbor Lights"}, "summary": {"Boats at night."}})
	a.postWork(url.Values{"title": {"Night Market"}, "summary": {"A harbor story."}, "freeform": {"Slow Burn"}})
	g := r.browser()
	g.get("/works?q=harbor").has(t, "2 works")
	g.get("/works?q=title:harbor").has(t, "1 work", "Harbor Lights").lacks(t, "Night Market")
	g.get("/works?q="+url.QueryEscape(`summary:harbor`)).has(t, "1 work", "Night Market")
	g.get("/works?q="+url.QueryEscape(`tag:"slow burn"`)).has(t, "1 work", "Night Market")
	g.get("/works?q="+url.QueryEscape(`-title:harbor`)).has(t, "1 work", "Night Market")
	g.get("/works?q="+url.QueryEscape(`creator:lamplighter title:"harbor lights"`)).has(t, "1 work", "Harbor Lights")
	g.get("/works?q="+url.QueryEscape(`title:`)).status_(t, 422).has(t, "no word to look for")
}

// People and tag searches reveal nothing of hidden, draft or (for guests)
// restricted works: neither a tag only they carry nor their counts.
func TestPeopleAndTagSearch(t *testing.T) {
	r := newRig(t, web.Options{})
	a := r.browser()
	a.signup("searchable")
	a.postWork(url.Values{"title": {"Open"}, "fandom": {"Quiet Seas"}, "freeform": {"Sea Shanty"}, "character": {"Mara"}})
	a.postWork(url.Values{"title": {"Members"}, "fandom": {"Quiet Seas"}, "freeform": {"Sea Secret Members"}, "restricted": {"1"}})
	a.postWork(url.Values{"title": {"Drafted"}, "fandom": {"Quiet Seas"}, "freeform": {"Sea Secret Draft"}, "action": {"draft"}})
	hid := a.postWork(url.Values{"title": {"Moderated"}, "fandom": {"Quiet Seas"}, "freeform": {"Sea Secret Hidden"}})
	r.hide(hid)
	b := r.browser()
	b.signup("someone_else")

	g := r.browser()
	g.get("/people/search?q=search").status_(t, 200).has(t, "1 person", ">searchable</a>", "1 work").lacks(t, "someone_else")
	g.get("/people/search?q=e").has(t, "2 people")
	g.get("/people/search?q="+strings.Repeat("x", 101)).status_(t, 422).has(t, "the limit is 100")
	g.get("/people/search?page=0").status_(t, 422)

	s := g.get("/tags/search?q=sea").status_(t, 200)
	s.has(t, "Sea Shanty", "Quiet Seas").lacks(t, "Sea Secret")
	g.get("/tags/search?q=quiet&type=fandom").has(t, "1 tag", ">1 work</a>")
	g.get("/tags/search?q=sea&type=freeform&canonical=false").has(t, "Sea Shanty").lacks(t, "Quiet Seas")
	g.get("/tags/search?q=sea&canonical=true").has(t, "0 tags")
	g.get("/tags/search?fandom=Quiet+Seas&type=character").has(t, "0 tags") // Mara has no parent fandom yet
	g.get("/tags/search?type=nonsense").status_(t, 422)
	g.get("/tags/search?canonical=maybe").status_(t, 422)
	g.get("/tags/search?fandom=Nowhere").status_(t, 422)
	// A logged-in reader sees the restricted work's tag, and its count.
	b.get("/tags/search?q=sea").has(t, "Sea Secret Members").lacks(t, "Sea Secret Draft", "Sea Secret Hidden")
	b.get("/tags/search?q=quiet&type=fandom").has(t, ">2 works</a>")

	// 52 tags: A–Z whatever their case, 50 a page, the total counts all.
	var tides []string
	for i := 1; i <= 52; i++ {
		name := fmt.Sprintf("Tide %02d", i)
		if i%2 == 0 {
			name = strings.ToLower(name)
		}
		tides = append(tides, name)
	}
	a.postWork(url.Values{"title": {"Tidal"}, "fandom": {"Quiet Seas"}, "freeform": {strings.Join(tides, ", ")}})
	p1 := g.get("/tags/search?q=tide").status_(t, 200).has(t, "52 tags", "Tide 01", "tide 50").lacks(t, "Tide 51", "tide 52")
	if i, j := strings.Index(p1.body, "Tide 09"), strings.Index(p1.body, "tide 10"); i < 0 || j < i {
		t.Errorf("tag search not A–Z across case: Tide 09 at %d, tide 10 at %d", i, j)
	}
	g.get("/tags/search?q=tide&page=2").has(t, "52 tags", "Tide 51", "tide 52", ">1 work</a>").lacks(t, "Tide 01")
}

// A work's "Bookmarks: N" links to its public bookmarks; private ones are
// never listed nor counted for others, and a hidden or draft work has none
// to show.
func TestWorkBookmarksPage(t *testing.T) {
	r := newRig(t, web.Options{})
	a := r.browser()
	a.signup("writer")
	wp := a.postWork(url.Values{"title": {"Well Kept"}})
	one := r.browser()
	one.signup("fan_one")
	one.post(wp+"/bookmarks", url.Values{"notes": {"Lovely & kind"}, "tags": {"comfort read"}, "rec": {"1"}}).status_(t, 200)
	two := r.browser()
	two.signup("fan_two")
	two.post(wp+"/bookmarks", url.Values{"notes": {"my secret note"}, "private": {"1"}}).status_(t, 200)
	g := r.browser()
	g.get(wp).has(t, `<a href="`+wp+`/bookmarks">1</a>`)
	g.get("/works").has(t, `<a href="`+wp+`/bookmarks">1</a>`)
	p := g.get(wp+"/bookmarks").status_(t, 200)
	p.has(t, "1 bookmark", ">fan_one</a>", "Lovely &amp; kind", "comfort read", "★ Rec").lacks(t, "fan_two", "my secret note")
	two.get(wp+"/bookmarks").lacks(t, "my secret note")
	g.get("/users/fan_one").has(t, `href="/users/fan_one/bookmarks"`)
	one.get("/").has(t, `href="/users/fan_one/bookmarks">Bookmarks</a>`)
	g.get("/works/99999/bookmarks").status_(t, 404)
	g.get(wp+"/bookmarks?page=0").status_(t, 422)
	r.hide(wp)
	g.get(wp+"/bookmarks").status_(t, 404)
	draft := a.postWork(url.Values{"title": {"Unposted"}, "action": {"draft"}})
	a.get(draft+"/bookmarks").status_(t, 404)
}

// Languages by name: shown as names, filtered by a select of the languages
// present (or a name or a code), an unknown one said so.
func TestLanguagesByName(t *testing.T) {
	r := newRig(t, web.Options{})
	a := r.browser()
	a.signup("polyglot")
	a.postWork(url.Values{"title": {"In English"}})
	de := a.postWork(url.Values{"title": {"Auf Deutsch"}, "language": {"German"}})
	a.postWork(url.Values{"title": {"Em Português"}, "language": {"pt-BR"}})
	a.post("/works", url.Values{"title": {"Bad"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"F"}, "body": {"x"}, "action": {"post"}, "language": {"Klingonese"}}).status_(t, 422).has(t, "we don&#39;t know the language")
	g := r.browser()
	g.get(de).has(t, `lang="de">Deutsch</dd>`)
	l := g.get("/works").status_(t, 200)
	l.has(t, `<option value="de" lang="de">Deutsch</option>`, `>English</option>`, `lang="de">Deutsch</dd>`).lacks(t, `<dd>de</dd>`)
	g.get("/works?language=de").has(t, "1 work", "Auf Deutsch", `<option value="de" lang="de" selected>`)
	g.get("/works?language=German").has(t, "1 work", "Auf Deutsch")
	g.get("/works?language=deutsch").has(t, "1 work", "Auf Deutsch")
	g.get("/works?language=pt-BR").has(t, "1 work", "Em Português")
	g.get("/works?language=Klingonese").status_(t, 422).has(t, "we don&#39;t know the language")
	g.get("/works?language=fr").status_(t, 200).has(t, "0 works")
}
