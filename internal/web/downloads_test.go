package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/web"
)

// response is a raw answer, headers included.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (b *browser) fetch(path string, header map[string]string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.r.srv.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

func (r response) want(t *testing.T, status int) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d\n%.400s", r.status, status, r.body)
	}
	return r
}

func (r response) hasBytes(t *testing.T, want ...string) response {
	t.Helper()
	for _, w := range want {
		if !bytes.Contains(r.body, []byte(w)) {
			t.Fatalf("the answer lacks %q:\n%s", w, r.body)
		}
	}
	return r
}

// epubFiles opens a downloaded EPUB.
func epubFiles(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	if zr.File[0].Name != "mimetype" {
		t.Fatalf("first entry is %s", zr.File[0].Name)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(data)
	}
	return out
}

func workID(path string) string { return strings.TrimPrefix(path, "/works/") }

// hide hides a work as a moderator does.
func (r *rig) hide(path string) {
	r.t.Helper()
	id, _ := strconv.ParseInt(workID(path), 10, 64)
	mod := &archive.User{ID: -1, Name: "test_moderator", Roles: []string{archive.RoleModerator}}
	if _, err := r.site.HideWork(context.Background(), mod, id, "hidden in a test"); err != nil {
		r.t.Fatal(err)
	}
}

func TestDownloads(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("keeper")
	path := author.postWork(url.Values{"title": {"A Quiet Harbor: Ölfarben"}, "summary": {"Two keepers & a <em>light</em>."},
		"chapter_title": {"Arrival"}, "body": {"<p>The first chapter begins here.</p><p><img src=\"https://img.example/x.png\" alt=\"a lighthouse\"></p>"}})
	author.post(path+"/chapters/new", url.Values{"chapter_title": {"Departure"}, "body": {"<p>Second chapter text.</p>"}, "action": {"post"}}).status_(t, 200)
	author.post(path+"/chapters/new", url.Values{"chapter_title": {"Unfinished"}, "body": {"<p>Draft chapter text.</p>"}, "action": {"draft"}}).status_(t, 200)
	id := workID(path)

	guest := r.browser()
	page := guest.get(path).status_(t, 200)
	page.has(t, `href="/downloads/`+id+`/a_quiet_harbor_olfarben.epub"`, `.html" download>HTML</a>`, `href="/works/`+id+`/feed.atom"`)

	epub := guest.fetch("/downloads/"+id+"/anything.epub", nil).want(t, 200)
	if ct := epub.header.Get("Content-Type"); ct != "application/epub+zip" {
		t.Fatalf("Content-Type %q", ct)
	}
	cd := epub.header.Get("Content-Disposition")
	if !strings.HasPrefix(cd, `attachment; filename="A_Quiet_Harbor_Olfarben.epub"`) || !strings.Contains(cd, "filename*=UTF-8''A_Quiet_Harbor_%C3%96lfarben.epub") {
		t.Fatalf("Content-Disposition %q", cd)
	}
	etag := epub.header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	files := epubFiles(t, epub.body)
	opf := files["OEBPS/content.opf"]
	for _, want := range []string{"<dc:title>A Quiet Harbor: Ölfarben</dc:title>", "<dc:creator", ">keeper</dc:creator>", "<dc:subject>Lantern Tales</dc:subject>",
		"<dc:description>Two keepers &amp; a light.</dc:description>", "<dc:publisher>Quire</dc:publisher>", "http://quire.test/works/" + id} {
		if !strings.Contains(opf, want) {
			t.Fatalf("OPF lacks %q:\n%s", want, opf)
		}
	}
	if !strings.Contains(files["OEBPS/chapter-2.xhtml"], "Second chapter text.") || !strings.Contains(files["OEBPS/chapter-1.xhtml"], "[Image: a lighthouse]") {
		t.Fatal("chapters missing from the EPUB")
	}
	// The draft chapter is in no download, not even the author's.
	for _, b := range []*browser{guest, author} {
		e := b.fetch("/downloads/"+id+"/x.epub", nil).want(t, 200)
		if _, ok := epubFiles(t, e.body)["OEBPS/chapter-3.xhtml"]; ok || bytes.Contains(e.body, []byte("Unfinished")) {
			t.Fatal("a draft chapter was downloaded")
		}
		if e.header.Get("ETag") != etag {
			t.Fatal("the same version has two ETags")
		}
	}

	// Revalidation: the same version is 304, without a body.
	guest.fetch("/downloads/"+id+"/x.epub", map[string]string{"If-None-Match": etag}).want(t, 304)
	guest.fetch("/downloads/"+id+"/x.epub", map[string]string{"If-None-Match": `"other", W/` + etag}).want(t, 304)
	guest.fetch("/downloads/"+id+"/x.epub", map[string]string{"If-None-Match": `"stale"`}).want(t, 200)

	html := guest.fetch("/downloads/"+id+"/x.html", nil).want(t, 200)
	if ct := html.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	if html.header.Get("ETag") == etag {
		t.Fatal("EPUB and HTML share an ETag")
	}
	for _, want := range []string{"<!DOCTYPE html>", "A Quiet Harbor", "Chapter 1: Arrival", "Chapter 2: Departure", "Second chapter text.", "Afterword", "<style>"} {
		if !bytes.Contains(html.body, []byte(want)) {
			t.Fatalf("HTML download lacks %q", want)
		}
	}
	if bytes.Contains(html.body, []byte("<script")) || bytes.Contains(html.body, []byte("<img")) || bytes.Contains(html.body, []byte("Draft chapter text")) {
		t.Fatal("HTML download has a script, a remote image or a draft chapter")
	}

	// Any edit is a new version: a new chapter changes the ETag and the file.
	author.post(path+"/chapters/new", url.Values{"chapter_title": {"Return"}, "body": {"<p>Third chapter text.</p>"}, "action": {"post"}}).status_(t, 200)
	fresh := guest.fetch("/downloads/"+id+"/x.epub", map[string]string{"If-None-Match": etag}).want(t, 200)
	if fresh.header.Get("ETag") == etag {
		t.Fatal("a new chapter kept the old ETag")
	}
	if !strings.Contains(epubFiles(t, fresh.body)["OEBPS/chapter-3.xhtml"], "Third chapter text.") {
		t.Fatal("the cached old version was served after an edit")
	}

	// The downloads say which series the work is part of; joining one is
	// a new version.
	series := author.post("/series", url.Values{"title": {"Coastal Cycle"}}).status_(t, 200).url
	author.post(series+"/works", url.Values{"work_id": {id}}).status_(t, 200)
	inSeries := guest.fetch("/downloads/"+id+"/x.epub", map[string]string{"If-None-Match": fresh.header.Get("ETag")}).want(t, 200)
	sf := epubFiles(t, inSeries.body)
	if !strings.Contains(sf["OEBPS/title.xhtml"], `Part 1 of <a href="http://quire.test`+series+`">Coastal Cycle</a>`) ||
		!strings.Contains(sf["OEBPS/content.opf"], `<meta name="calibre:series" content="Coastal Cycle"/>`) {
		t.Fatalf("the EPUB does not name the series:\n%s", sf["OEBPS/title.xhtml"])
	}
	guest.fetch("/downloads/"+id+"/x.html", nil).want(t, 200).hasBytes(t, `<dt class="series">Series:</dt><dd class="series">Part 1 of <a href="http://quire.test`+series+`">Coastal Cycle</a></dd>`)

	guest.fetch("/downloads/"+id+"/x.pdf", nil).want(t, 404)
	guest.fetch("/downloads/"+id+"/epub", nil).want(t, 404)
	guest.fetch("/downloads/999999/x.epub", nil).want(t, 404)
	guest.fetch("/downloads/abc/x.epub", nil).want(t, 404)
}

func TestDownloadVisibility(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("keeper")
	draft := author.postWork(url.Values{"title": {"Secret Draft"}, "action": {"draft"}})
	restricted := author.postWork(url.Values{"title": {"Members Only"}, "restricted": {"1"}})
	hidden := author.postWork(url.Values{"title": {"Hidden Away"}})
	r.hide(hidden)
	reader := r.browser()
	reader.signup("reader")
	guest := r.browser()

	for _, ext := range []string{".epub", ".html"} {
		for _, b := range []*browser{guest, reader, author} {
			// Drafts and hidden works: never, for anyone.
			b.fetch("/downloads/"+workID(draft)+"/x"+ext, nil).want(t, 404)
			b.fetch("/downloads/"+workID(hidden)+"/x"+ext, nil).want(t, 404)
		}
		guest.fetch("/downloads/"+workID(restricted)+"/x"+ext, nil).want(t, 404)
		ok := reader.fetch("/downloads/"+workID(restricted)+"/x"+ext, nil).want(t, 200)
		if cc := ok.header.Get("Cache-Control"); !strings.Contains(cc, "private") {
			t.Fatalf("restricted download is cacheable by shared caches: %q", cc)
		}
		// A guest holding a logged-in reader's ETag still gets nothing.
		guest.fetch("/downloads/"+workID(restricted)+"/x"+ext, map[string]string{"If-None-Match": ok.header.Get("ETag")}).want(t, 404)
	}
	author.get(draft).status_(t, 200).lacks(t, "/downloads/")
}
