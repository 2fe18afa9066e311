package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"quire/internal/web"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// A scheduled chapter, set through the form in the author's time zone,
// stays out of every page, feed, download, search and sitemap until the
// runner posts it; then subscribers hear of it.
func TestScheduledChapterPages(t *testing.T) {
	r := newRig(t, web.Options{})
	clk := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	r.site.Now, r.site.Jobs.Now = clk.now, clk.now
	alice := r.browser()
	alice.signup("alice")
	reader := r.browser()
	reader.signup("reader")
	path := alice.postWork(url.Values{"title": {"Clockwork"}})
	id := strings.TrimPrefix(path, "/works/")
	reader.post("/subscriptions", url.Values{"kind": {"work"}, "target": {id}}).status_(t, 200)

	alice.post("/account/preferences", url.Values{"time_zone": {"Asia/Tokyo"}}).status_(t, 200)
	alice.post("/account/preferences", url.Values{"time_zone": {"../../etc/passwd"}}).status_(t, http.StatusUnprocessableEntity)
	alice.get(path+"/chapters/new").has(t, "Asia/Tokyo", `type="datetime-local"`)

	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	at := clk.now().Add(90 * time.Minute).Truncate(time.Minute)
	form := url.Values{"chapter_title": {"Midnight"}, "body": {"The quokka waits in the dark."}, "action": {"schedule"}}
	// Past and far-future times are refused, nothing added.
	form.Set("publish_at", clk.now().Add(-time.Hour).In(tokyo).Format("2006-01-02T15:04"))
	alice.post(path+"/chapters/new", form).status_(t, http.StatusUnprocessableEntity).has(t, "must be in the future")
	form.Set("publish_at", clk.now().Add(500*24*time.Hour).In(tokyo).Format("2006-01-02T15:04"))
	alice.post(path+"/chapters/new", form).status_(t, http.StatusUnprocessableEntity).has(t, "at most a year ahead")
	form.Set("publish_at", at.In(tokyo).Format("2006-01-02T15:04"))
	p := alice.post(path+"/chapters/new", form).status_(t, 200)
	// Shown in the reader's zone (her preference), as a <time>.
	p.has(t, "The quokka waits", `scheduled for <time datetime="`+at.In(tokyo).Format(time.RFC3339)+`">`+at.In(tokyo).Format("2 Jan 2006 15:04 MST"))
	chapterURL := p.url
	alice.get(chapterURL+"/edit").has(t, `value="`+at.In(tokyo).Format("2006-01-02T15:04")+`"`, "Asia/Tokyo")

	guest := r.browser()
	hidden := func() {
		t.Helper()
		guest.get(path).lacks(t, "Midnight", "quokka")
		guest.get(path+"?view_full_work=true").lacks(t, "Midnight", "quokka")
		guest.get(chapterURL).status_(t, http.StatusNotFound)
		reader.get(chapterURL).status_(t, http.StatusNotFound)
		guest.get(path+"/feed.atom").lacks(t, "Midnight")
		guest.get("/downloads/"+id+"/clockwork.html").lacks(t, "Midnight", "quokka")
		if epub := guest.fetch("/downloads/"+id+"/clockwork.epub", nil).want(t, 200); strings.Contains(string(epub.body), "Midnight") {
			t.Fatal("the EPUB carries the scheduled chapter's title")
		}
		guest.get("/works?q=quokka").lacks(t, "Clockwork")
		guest.get("/works").has(t, "Clockwork").lacks(t, "2/?")
		_, paths := guest.sitemap(50000)
		if slices.ContainsFunc(paths, func(s string) bool { return strings.Contains(s, strings.TrimPrefix(chapterURL, "")) && s != path }) {
			t.Fatalf("the sitemap lists the scheduled chapter: %v", paths)
		}
	}
	hidden()
	if _, err := r.site.Jobs.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	hidden()
	reader.get("/inbox").lacks(t, "Midnight")

	clk.add(91 * time.Minute)
	if _, err := r.site.Jobs.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	guest.get(chapterURL).status_(t, 200).has(t, "The quokka waits")
	guest.get(path+"/feed.atom").has(t, "Midnight")
	guest.get("/works?q=quokka").has(t, "Clockwork")
	reader.get("/inbox").has(t, "Midnight")
	alice.get(chapterURL+"/edit").lacks(t, "Scheduled:")
	n := len(regexp.MustCompile(`Midnight`).FindAllString(reader.get("/inbox").body, -1))
	if _, err := r.site.Jobs.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m := len(regexp.MustCompile(`Midnight`).FindAllString(reader.get("/inbox").body, -1)); m != n {
		t.Fatalf("told again: %d mentions, then %d", n, m)
	}
}

// A new work scheduled from the form is a draft until its time.
func TestScheduledWorkPages(t *testing.T) {
	r := newRig(t, web.Options{})
	clk := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	r.site.Now, r.site.Jobs.Now = clk.now, clk.now
	alice := r.browser()
	alice.signup("alice")
	at := clk.now().Add(time.Hour).Truncate(time.Minute)
	form := url.Values{"title": {"Opening Night"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"Curtain up."}, "action": {"schedule"}, "publish_at": {at.Format("2006-01-02T15:04")}}
	p := alice.post("/works", form).status_(t, 200).has(t, `scheduled to be posted on <time datetime="`+at.UTC().Format(time.RFC3339)+`">`)
	r.browser().get(p.url).status_(t, http.StatusNotFound)
	r.browser().get("/works").lacks(t, "Opening Night")
	alice.get("/users/alice/drafts").has(t, "Opening Night")
	clk.add(time.Hour + time.Second)
	if _, err := r.site.Jobs.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.browser().get(p.url).status_(t, 200).has(t, "Curtain up.")
	r.browser().get("/works").has(t, "Opening Night")
}
