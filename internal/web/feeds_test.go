package web_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"quire/internal/web"
)

// atomFeed fetches a feed and parses it with a real feed parser.
func (b *browser) atomFeed(path string) *gofeed.Feed {
	b.t.Helper()
	resp := b.fetch(path, nil).want(b.t, 200)
	if ct := resp.header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		b.t.Fatalf("%s: Content-Type %q", path, ct)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(resp.body))
	if err != nil {
		b.t.Fatalf("%s: %v\n%s", path, err, resp.body)
	}
	if f.FeedType != "atom" || f.FeedVersion != "1.0" {
		b.t.Fatalf("%s: feed type %s %s", path, f.FeedType, f.FeedVersion)
	}
	return f
}

func titles(f *gofeed.Feed) []string {
	var out []string
	for _, it := range f.Items {
		out = append(out, it.Title)
	}
	return out
}

func TestFeeds(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("keeper")
	first := author.postWork(url.Values{"title": {"First Light"}, "freeform": {"Harbor/Lights"}, "summary": {"A <em>summary</em>."}})
	second := author.postWork(url.Values{"title": {"Second Tide"}, "freeform": {"Harbor/Lights"}, "relationship": {"Ada/Bea"}})
	author.postWork(url.Values{"title": {"Members Only"}, "freeform": {"Harbor/Lights, Members Tag"}, "restricted": {"1"}})
	author.postWork(url.Values{"title": {"Secret Draft"}, "freeform": {"Harbor/Lights"}, "action": {"draft"}})
	r.hide(author.postWork(url.Values{"title": {"Hidden Away"}, "freeform": {"Harbor/Lights"}}))
	other := r.browser()
	other.signup("other")
	other.postWork(url.Values{"title": {"Elsewhere"}, "fandom": {"Other Fandom"}})

	// The tag feed, fetched by a logged-in reader, is still the anonymous
	// one: public works only, newest first.
	reader := r.browser()
	reader.signup("reader")
	f := reader.atomFeed("/tags/Harbor*s*Lights/feed.atom")
	if got := strings.Join(titles(f), " | "); got != "Second Tide | First Light" {
		t.Fatalf("tag feed entries: %s", got)
	}
	if !strings.Contains(f.Title, "Harbor/Lights") || f.FeedLink != "http://quire.test/tags/Harbor%2As%2ALights/feed.atom" && f.FeedLink != "http://quire.test/tags/Harbor*s*Lights/feed.atom" {
		t.Fatalf("feed title %q, self link %q", f.Title, f.FeedLink)
	}
	it := f.Items[1]
	if it.Link != "http://quire.test"+first || it.GUID == "" || !strings.HasPrefix(it.GUID, "urn:uuid:") {
		t.Fatalf("entry link %q id %q", it.Link, it.GUID)
	}
	if len(it.Authors) != 1 || it.Authors[0].Name != "keeper" {
		t.Fatalf("entry authors %+v", it.Authors)
	}
	if !strings.Contains(it.Description, "<em>summary</em>") || !strings.Contains(it.Description, "Words:") {
		t.Fatalf("entry summary %q", it.Description)
	}
	cats := strings.Join(f.Items[0].Categories, ",")
	for _, want := range []string{"Lantern Tales", "Harbor/Lights", "Ada/Bea", "General Audiences"} {
		if !strings.Contains(cats, want) {
			t.Fatalf("categories %s lack %s", cats, want)
		}
	}
	if f.Items[0].PublishedParsed == nil || f.Items[0].UpdatedParsed == nil {
		t.Fatal("entry dates missing")
	}
	// Ids are stable.
	if again := r.browser().atomFeed("/tags/Harbor*s*Lights/feed.atom"); again.Items[1].GUID != it.GUID || again.FeedLink != f.FeedLink {
		t.Fatal("entry ids change between fetches")
	}

	// Fandom feeds follow the filter rule across creators.
	if got := titles(reader.atomFeed("/tags/Lantern%20Tales/feed.atom")); len(got) != 2 {
		t.Fatalf("fandom feed: %v", got)
	}
	// Unknown tags, and tags only a restricted work carries, are 404.
	reader.fetch("/tags/No%20Such%20Tag/feed.atom", nil).want(t, 404)
	reader.fetch("/tags/Members%20Tag/feed.atom", nil).want(t, 404)

	// A creator's feed.
	if got := strings.Join(titles(r.browser().atomFeed("/users/keeper/feed.atom")), " | "); got != "Second Tide | First Light" {
		t.Fatalf("user feed: %s", got)
	}
	r.browser().fetch("/users/nobody/feed.atom", nil).want(t, 404)

	// A work's feed lists its posted chapters, newest first.
	author.post(second+"/chapters/new", url.Values{"chapter_title": {"Ebb"}, "body": {"<p>More.</p>"}, "chapter_summary": {"The tide goes out."}, "action": {"post"}}).status_(t, 200)
	author.post(second+"/chapters/new", url.Values{"chapter_title": {"Not Yet"}, "body": {"<p>Draft.</p>"}, "action": {"draft"}}).status_(t, 200)
	wf := r.browser().atomFeed(second + "/feed.atom")
	if got := strings.Join(titles(wf), " | "); got != "Second Tide — Chapter 2: Ebb | Second Tide — Chapter 1" {
		t.Fatalf("work feed: %s", got)
	}
	if !strings.Contains(wf.Items[0].Link, second+"/chapters/") || !strings.Contains(wf.Items[0].Description, "The tide goes out.") {
		t.Fatalf("chapter entry %+v", wf.Items[0])
	}
}

func TestFeedsHideRestrictedDraftHidden(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("keeper")
	restricted := author.postWork(url.Values{"title": {"Members Only"}, "restricted": {"1"}})
	draft := author.postWork(url.Values{"title": {"Secret Draft"}, "action": {"draft"}})
	hidden := author.postWork(url.Values{"title": {"Hidden Away"}})
	r.hide(hidden)
	public := author.postWork(url.Values{"title": {"Open Water"}})

	// Even the author's own session gets the anonymous feeds.
	for _, b := range []*browser{r.browser(), author} {
		for _, p := range []string{restricted, draft, hidden} {
			b.fetch(p+"/feed.atom", nil).want(t, 404)
		}
		b.fetch(public+"/feed.atom", nil).want(t, 200)
		for _, feed := range []string{"/tags/Lantern%20Tales/feed.atom", "/users/keeper/feed.atom"} {
			if got := titles(b.atomFeed(feed)); len(got) != 1 || got[0] != "Open Water" {
				t.Fatalf("%s lists %v", feed, got)
			}
		}
	}
}
