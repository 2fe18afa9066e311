package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"quire/internal/web"
)

type upload struct {
	name string
	data []byte
}

func importFixture(t *testing.T, name string) upload {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "formats", "importer", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return upload{name, b}
}

// postImport sends the upload form as a browser does.
func (b *browser) postImport(fields map[string]string, files ...upload) page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("files", f.name)
		if err != nil {
			b.t.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.r.srv.URL+"/works/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	return read(b.t, resp)
}

func TestImportPage(t *testing.T) {
	r := newRig(t, web.Options{})
	guest := r.browser()
	if p := guest.get("/works/import"); !strings.Contains(p.url, "/login") {
		t.Errorf("a guest reached the import page: %s", p.url)
	}
	b := r.browser()
	b.signup("wren")
	b.get("/works/new").status_(t, 200).has(t, `href="/works/import"`)
	b.get("/works/import").status_(t, 200).has(t, `enctype="multipart/form-data"`, `type="file"`, `name="files"`, "multiple",
		`<progress id="import-progress"`, `/static/import.js`, `<label for="i-format">`)
	b.get("/static/import.js").status_(t, 200).has(t, "upload.addEventListener")

	// A dry run reports and writes nothing.
	b.postImport(map[string]string{"format": "auto", "dry_run": "1"}, importFixture(t, "ao3_multi.html")).
		status_(t, 200).has(t, "A dry run: nothing was written.", "1 of 1 file would land", "Would import The Lamplighter&#39;s Ledger")
	b.get("/works").lacks(t, "The Lamplighter")

	// Two good files land and are listed at once; the broken one says why.
	p := b.postImport(map[string]string{"format": "auto", "fandom": "Ferry Tales"},
		importFixture(t, "ao3_multi.html"), upload{"broken.epub", []byte("not a zip")}, importFixture(t, "legacy_prose.txt"))
	p.status_(t, 200).has(t, "2 of 3 files landed", "Imported as <a href=\"/works/", "Not imported: not an EPUB", "broken.epub", "Legacy prose")
	b.get("/works").has(t, "The Lamplighter&#39;s Ledger", "Legacy prose", "Ferry Tales")
	b.get("/users/wren/works").has(t, "The Lamplighter&#39;s Ledger")
	b.get("/tags/Harbor%20Lights/works").has(t, "The Lamplighter&#39;s Ledger")

	// Nothing landing is a 422; so is no file or a format the page does not take.
	b.postImport(map[string]string{"format": "epub"}, upload{"x.epub", []byte("nope")}).status_(t, 422).has(t, "0 of 1 file landed")
	b.postImport(map[string]string{"format": "auto"}).status_(t, 422).has(t, "Choose at least one file")
	b.postImport(map[string]string{"format": "jsonl"}, importFixture(t, "story.md")).status_(t, 422).has(t, "not one this page imports")
	b.postImport(map[string]string{"format": "auto"}, upload{"dump.sql", []byte("CREATE TABLE `fanfiction_stories` (sid int);")}).
		status_(t, 422).has(t, "eFiction")

	// Another site's form can't import into the account.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("files", "x.txt")
	fw.Write([]byte("Some text."))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/works/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin import: %d", resp.StatusCode)
	}
}

func TestImportUploadCap(t *testing.T) {
	r := newRig(t, web.Options{MaxBody: 2048})
	b := r.browser()
	b.signup("ash")
	b.postImport(map[string]string{"format": "auto"}, upload{"big.txt", bytes.Repeat([]byte("word "), 2000)}).
		status_(t, 413).has(t, "larger than this archive accepts in one upload")
	b.get("/works").lacks(t, "Big")
}
