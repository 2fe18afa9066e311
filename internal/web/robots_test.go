package web_test

import (
	"encoding/xml"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"quire/internal/web"
)

func TestRobots(t *testing.T) {
	r := newRig(t, web.Options{})
	resp := r.browser().fetch("/robots.txt", nil).want(t, 200)
	if ct := resp.header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	body := string(resp.body)
	for _, want := range []string{"User-agent: *\n", "Disallow: /admin/\n", "Disallow: /account\n", "Disallow: /downloads/\n",
		"Disallow: /works/search\n", "Disallow: /works?\n", "Disallow: /api/\n", "Disallow: /login\n", "Disallow: /admin_posts/new\n",
		"\nSitemap: http://quire.test/sitemap.xml\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("robots.txt lacks %q:\n%s", want, body)
		}
	}
	// Reading pages stay open to crawlers.
	for _, line := range strings.Split(body, "\n") {
		switch strings.TrimSpace(strings.TrimPrefix(line, "Disallow:")) {
		case "/", "/works", "/works/", "/tags/", "/users/", "/series/", "/admin_posts":
			if strings.HasPrefix(line, "Disallow:") {
				t.Errorf("robots.txt shuts out reading pages: %q", line)
			}
		}
	}
}

type sitemapIndexDoc struct {
	XMLName  xml.Name
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

type urlsetDoc struct {
	XMLName xml.Name
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// sitemap reads /sitemap.xml and every file it names, checking their
// shape, and returns the files' paths and every URL path listed.
func (b *browser) sitemap(perFile int) (files, paths []string) {
	b.t.Helper()
	resp := b.fetch("/sitemap.xml", nil).want(b.t, 200)
	if ct := resp.header.Get("Content-Type"); ct != "application/xml; charset=utf-8" {
		b.t.Fatalf("sitemap Content-Type %q", ct)
	}
	var idx sitemapIndexDoc
	if err := xml.Unmarshal(resp.body, &idx); err != nil {
		b.t.Fatalf("sitemap index: %v\n%s", err, resp.body)
	}
	if idx.XMLName.Space != sitemapNS || idx.XMLName.Local != "sitemapindex" {
		b.t.Fatalf("sitemap index root %+v", idx.XMLName)
	}
	for _, s := range idx.Sitemaps {
		u, err := url.Parse(s.Loc)
		if err != nil || u.Scheme != "http" || u.Host != "quire.test" {
			b.t.Fatalf("sitemap loc %q is not absolute", s.Loc)
		}
		files = append(files, u.Path)
		resp := b.fetch(u.Path, nil).want(b.t, 200)
		var set urlsetDoc
		if err := xml.Unmarshal(resp.body, &set); err != nil {
			b.t.Fatalf("%s: %v\n%s", u.Path, err, resp.body)
		}
		if set.XMLName.Space != sitemapNS || set.XMLName.Local != "urlset" {
			b.t.Fatalf("%s: root %+v", u.Path, set.XMLName)
		}
		if len(set.URLs) == 0 || len(set.URLs) > perFile {
			b.t.Fatalf("%s holds %d URLs; a file holds 1 to %d", u.Path, len(set.URLs), perFile)
		}
		for _, x := range set.URLs {
			lu, err := url.Parse(x.Loc)
			if err != nil || lu.Host != "quire.test" {
				b.t.Fatalf("%s: loc %q", u.Path, x.Loc)
			}
			if _, err := time.Parse(time.RFC3339, x.LastMod); err != nil {
				b.t.Fatalf("%s: lastmod %q: %v", u.Path, x.LastMod, err)
			}
			paths = append(paths, lu.Path)
		}
	}
	return files, paths
}

var chapterPathRe = regexp.MustCompile(`/works/\d+/chapters/\d+`)

func TestSitemapListsPublicWorksAndChaptersOnly(t *testing.T) {
	r := newRig(t, web.Options{SitemapPerFile: 2})
	author := r.browser()
	author.signup("keeper")
	long := author.postWork(url.Values{"title": {"Long Road"}})
	author.post(long+"/chapters/new", url.Values{"chapter_title": {"Two"}, "body": {"<p>More.</p>"}, "action": {"post"}}).status_(t, 200)
	author.post(long+"/chapters/new", url.Values{"chapter_title": {"Not Yet"}, "body": {"<p>Draft.</p>"}, "action": {"draft"}}).status_(t, 200)
	short := author.postWork(url.Values{"title": {"Short Walk"}})
	restricted := author.postWork(url.Values{"title": {"Members Only"}, "restricted": {"1"}})
	draft := author.postWork(url.Values{"title": {"Secret Draft"}, "action": {"draft"}})
	hidden := author.postWork(url.Values{"title": {"Hidden Away"}})
	r.hide(hidden)
	last := author.postWork(url.Values{"title": {"Last Light"}})

	chaptersOf := func(work string) []string {
		return chapterPathRe.FindAllString(author.get(work).body, -1)
	}
	longChapters := chaptersOf(long) // the author sees the draft chapter too
	slices.Sort(longChapters)
	longChapters = slices.Compact(longChapters)
	if len(longChapters) != 3 {
		t.Fatalf("chapters of the long work: %v", longChapters)
	}

	guest := r.browser()
	files, paths := guest.sitemap(2)
	var want []string
	want = append(want, long, short, last)
	want = append(want, longChapters[:2]...)
	for _, w := range []string{short, last} {
		cs := slices.Compact(chaptersOf(w))
		if len(cs) == 0 {
			// A one-chapter work links no chapter page; find its chapter in the sitemap.
			for _, p := range paths {
				if strings.HasPrefix(p, w+"/chapters/") {
					cs = append(cs, p)
				}
			}
		}
		if len(cs) != 1 {
			t.Fatalf("chapters of %s: %v", w, cs)
		}
		want = append(want, cs[0])
	}
	slices.Sort(want)
	got := slices.Clone(paths)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("sitemap lists\n%v\nwant\n%v", got, want)
	}
	for _, p := range paths {
		for _, bad := range []string{restricted, draft, hidden, longChapters[2]} {
			if p == bad || strings.HasPrefix(p, bad+"/") {
				t.Errorf("sitemap lists %s", p)
			}
		}
	}
	// Three public works in files of two: works-1 and works-2.
	if !slices.Contains(files, "/sitemaps/works-1.xml") || !slices.Contains(files, "/sitemaps/works-2.xml") || slices.Contains(files, "/sitemaps/works-3.xml") {
		t.Fatalf("sitemap files %v", files)
	}
	guest.fetch("/sitemaps/works-3.xml", nil).want(t, 404)
	guest.fetch("/sitemaps/works-0.xml", nil).want(t, 404)
	guest.fetch("/sitemaps/chapters-999.xml", nil).want(t, 404)
	guest.fetch("/sitemaps/nothing-1.xml", nil).want(t, 404)
	guest.fetch("/sitemaps/works-01.xml", nil).want(t, 404)

	// Hidden by a moderator: gone from the sitemap at once, chapters too.
	r.hide(long)
	_, paths = guest.sitemap(2)
	for _, p := range paths {
		if p == long || strings.HasPrefix(p, long+"/") {
			t.Fatalf("a hidden work's %s is still listed", p)
		}
	}
	if len(paths) != 4 {
		t.Fatalf("after hiding: %v", paths)
	}
}

func TestSitemapDefaultSplit(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("keeper")
	for _, title := range []string{"One", "Two", "Three"} {
		author.postWork(url.Values{"title": {title}})
	}
	files, paths := r.browser().sitemap(50_000)
	if !slices.Equal(files, []string{"/sitemaps/works-1.xml", "/sitemaps/chapters-1.xml"}) || len(paths) != 6 {
		t.Fatalf("files %v, %d URLs", files, len(paths))
	}
}
