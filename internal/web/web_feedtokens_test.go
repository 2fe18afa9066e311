package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"quire/internal/web"
)

var feedTokenRe = regexp.MustCompile(`id="feed-token-value" readonly value="([^"]+)"`)

// feedToken makes (or replaces) the reader's feed token on the mutes page
// and returns it.
func (b *browser) feedToken() string {
	b.t.Helper()
	p := b.post("/account/feed_token", nil).status_(b.t, 200).has(b.t, "Your private feed token is ready", "Replace my feed token")
	m := feedTokenRe.FindStringSubmatch(p.body)
	if m == nil {
		b.t.Fatalf("no token on %s", p.url)
	}
	return m[1]
}

func TestPrivateFeeds(t *testing.T) {
	r := newRig(t, web.Options{})
	author, pest, reader := r.browser(), r.browser(), r.browser()
	author.signup("keeper")
	pest.signup("pest")
	reader.signup("reader")
	open := author.postWork(url.Values{"title": {"Open Water"}, "freeform": {"Harbor/Lights"}})
	members := author.postWork(url.Values{"title": {"Members Only"}, "freeform": {"Harbor/Lights"}, "restricted": {"1"}})
	draft := author.postWork(url.Values{"title": {"Secret Draft"}, "freeform": {"Harbor/Lights"}, "action": {"draft"}})
	hidden := author.postWork(url.Values{"title": {"Hidden Away"}, "freeform": {"Harbor/Lights"}})
	r.hide(hidden)
	sad := author.postWork(url.Values{"title": {"Sad Shore"}, "freeform": {"Harbor/Lights, Sad Endings"}})
	pest.postWork(url.Values{"title": {"Pest Post"}, "freeform": {"Harbor/Lights"}})

	reader.get("/account/mutes").status_(t, 200).has(t, "Private feed links", "Make my feed token").lacks(t, "feed-token-value")
	token := reader.feedToken()
	reader.get("/account/mutes").status_(t, 200).has(t, token, "/users/reader/feed.atom?token="+token)
	reader.post("/account/mutes", url.Values{"tags": {"Sad Endings"}, "users": {"pest"}}).status_(t, 200)

	// Feed readers have no session: a fresh client with the token reads as
	// the reader; without it, as a guest.
	feedReader := r.browser()
	q := "?token=" + url.QueryEscape(token)
	tag := "/tags/Harbor*s*Lights/feed.atom"
	if got := titles(feedReader.atomFeed(tag)); !sameSet(got, "Open Water", "Sad Shore", "Pest Post") {
		t.Fatalf("anonymous tag feed: %v", got)
	}
	f := feedReader.atomFeed(tag + q)
	if got := titles(f); !sameSet(got, "Open Water", "Members Only") {
		t.Fatalf("private tag feed: %v", got)
	}
	if !strings.HasSuffix(f.FeedLink, q) {
		t.Errorf("private feed's self link %q drops the token", f.FeedLink)
	}
	if cc := feedReader.fetch(tag+q, nil).header.Get("Cache-Control"); !strings.HasPrefix(cc, "private") {
		t.Errorf("private feed Cache-Control %q", cc)
	}
	if got := titles(feedReader.atomFeed("/users/pest/feed.atom" + q)); len(got) != 0 {
		t.Errorf("a muted user's feed lists %v", got)
	}
	if got := titles(feedReader.atomFeed("/users/keeper/feed.atom" + q)); !sameSet(got, "Open Water", "Members Only") {
		t.Errorf("private creator feed: %v", got)
	}
	// Work feeds: restricted only with the token; drafts, hidden and muted
	// works never, not even with their creator's own token.
	feedReader.fetch(members+"/feed.atom", nil).want(t, 404)
	feedReader.atomFeed(members + "/feed.atom" + q)
	feedReader.fetch(sad+"/feed.atom"+q, nil).want(t, 404)
	feedReader.atomFeed(sad + "/feed.atom")
	authorQ := "?token=" + url.QueryEscape(author.feedToken())
	for _, p := range []string{draft, hidden} {
		feedReader.fetch(p+"/feed.atom"+authorQ, nil).want(t, 404)
	}
	if got := titles(feedReader.atomFeed("/users/keeper/feed.atom" + authorQ)); !sameSet(got, "Open Water", "Members Only", "Sad Shore") {
		t.Errorf("the author's private feed of their own works: %v", got)
	}
	feedReader.atomFeed(open + "/feed.atom" + q)

	// A bad token is a 403 that says so, for every feed; a replaced token
	// stops working.
	for _, p := range []string{tag, "/users/keeper/feed.atom", open + "/feed.atom"} {
		for _, bad := range []string{"?token=nope", "?token="} {
			resp := feedReader.fetch(p+bad, nil).want(t, http.StatusForbidden)
			if !strings.Contains(string(resp.body), "token is not valid") {
				t.Errorf("%s%s: %s", p, bad, resp.body)
			}
		}
	}
	newer := reader.feedToken()
	if newer == token {
		t.Fatal("replacing kept the token")
	}
	feedReader.fetch(tag+q, nil).want(t, http.StatusForbidden)
	feedReader.atomFeed(tag + "?token=" + url.QueryEscape(newer))
}

func sameSet(got []string, want ...string) bool {
	g := slices.Clone(got)
	slices.Sort(g)
	w := slices.Clone(want)
	slices.Sort(w)
	return slices.Equal(g, w)
}

func TestSeriesFeed(t *testing.T) {
	r := newRig(t, web.Options{})
	author, reader := r.browser(), r.browser()
	author.signup("keeper")
	reader.signup("reader")
	series := author.post("/series", url.Values{"title": {"Lantern Cycle"}}).status_(t, 200).url
	one := author.postWork(url.Values{"title": {"First Lantern"}})
	two := author.postWork(url.Values{"title": {"Members Lantern"}, "restricted": {"1"}})
	draft := author.postWork(url.Values{"title": {"Draft Lantern"}, "action": {"draft"}})
	hidden := author.postWork(url.Values{"title": {"Hidden Lantern"}})
	for _, p := range []string{one, two, draft, hidden} {
		author.post(series+"/works", url.Values{"work_id": {workID(p)}}).status_(t, 200)
	}
	r.hide(hidden)

	guest := r.browser()
	author.get(series).status_(t, 200).has(t, `href="`+series+`/feed.atom"`)
	f := guest.atomFeed(series + "/feed.atom")
	if got := titles(f); !slices.Equal(got, []string{"Part 1: First Lantern"}) {
		t.Fatalf("guest series feed: %v", got)
	}
	if !strings.Contains(f.Title, "Lantern Cycle") || f.Link != "http://quire.test"+series || f.Items[0].Link != "http://quire.test"+one ||
		!strings.HasPrefix(f.Items[0].GUID, "urn:uuid:") || len(f.Items[0].Authors) != 1 || f.Items[0].Authors[0].Name != "keeper" {
		t.Fatalf("series feed %q %q, entry %+v", f.Title, f.Link, f.Items[0])
	}
	// Logged-in sessions don't change a feed; the token does.
	if got := titles(author.atomFeed(series + "/feed.atom")); len(got) != 1 {
		t.Fatalf("the author's session changed the feed: %v", got)
	}
	q := "?token=" + url.QueryEscape(reader.feedToken())
	if got := titles(guest.atomFeed(series + "/feed.atom" + q)); !sameSet(got, "Part 1: First Lantern", "Part 2: Members Lantern") {
		t.Fatalf("private series feed: %v", got)
	}
	guest.fetch("/series/999/feed.atom", nil).want(t, 404)
	// A series with nothing a guest may see is not found for guests.
	only := author.post("/series", url.Values{"title": {"Members Cycle"}}).status_(t, 200).url
	author.post(only+"/works", url.Values{"work_id": {workID(two)}}).status_(t, 200)
	guest.fetch(only+"/feed.atom", nil).want(t, 404)
	if got := titles(guest.atomFeed(only + "/feed.atom" + q)); len(got) != 1 {
		t.Fatalf("private feed of a members-only series: %v", got)
	}
}

func TestSeriesBookmarkPages(t *testing.T) {
	r := newRig(t, web.Options{})
	alice, bob, guest := r.browser(), r.browser(), r.browser()
	alice.signup("alice")
	bob.signup("bob")
	series := alice.post("/series", url.Values{"title": {"Lantern Cycle"}, "summary": {"Three tales."}}).status_(t, 200).url
	one := alice.postWork(url.Values{"title": {"First Lantern"}})
	alice.post(series+"/works", url.Values{"work_id": {workID(one)}}).status_(t, 200)

	guest.get(series).status_(t, 200).has(t, `<dd class="bookmarks">0</dd>`).lacks(t, "Bookmark series")
	bob.get(series).status_(t, 200).has(t, `href="`+series+`/bookmarks/new">Bookmark series`)
	bob.get(series+"/bookmarks/new").status_(t, 200).has(t, "Lantern Cycle", "(series)", "recommend this series")
	guest.get(series+"/bookmarks/new").has(t, "Log in")
	p := bob.post(series+"/bookmarks", url.Values{"notes": {"A *fine* run"}, "notes_format": {"markdown"}, "tags": {"Lamps, Night"}, "rec": {"1"}}).
		status_(t, 200).has(t, "Lantern Cycle", "Series · 1 work", "Three tales.", "<em>fine</em>", "Lamps", "★ Rec")
	if p.url != "/users/bob/bookmarks" {
		t.Fatalf("landed on %s", p.url)
	}
	bob.post(series+"/bookmarks", url.Values{"notes": {"again"}}).status_(t, http.StatusConflict).has(t, "already bookmarked this series")
	e := bob.get(series+"/bookmarks/new").status_(t, 200).has(t, "Edit bookmark", "Update bookmark")
	if !strings.Contains(e.url, "/bookmarks/") || !strings.HasSuffix(e.url, "/edit") {
		t.Fatalf("second bookmark form went to %s", e.url)
	}
	bob.post(e.url, url.Values{"notes": {"Still fine"}, "tags": {"Lamps"}}).status_(t, 200).has(t, "Still fine").lacks(t, "★ Rec")
	guest.get(series).status_(t, 200).has(t, `<dd class="bookmarks">1</dd>`)
	bob.get(series).status_(t, 200).has(t, "Edit your bookmark")
	guest.get("/users/bob/bookmarks").status_(t, 200).has(t, "Lantern Cycle", "Still fine")

	// The series goes; the bookmark stays, for its owner, named.
	alice.post(series+"/delete", nil).status_(t, 200)
	bob.get("/users/bob/bookmarks").status_(t, 200).has(t, "Lantern Cycle", "This series has been deleted or is not available", "Still fine")
	guest.get("/users/bob/bookmarks").status_(t, 200).lacks(t, "Lantern Cycle")
	bob.get(e.url).status_(t, 200).has(t, "This series has been deleted or is not available")
}
