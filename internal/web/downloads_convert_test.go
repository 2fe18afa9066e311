package web_test

import (
	"bytes"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"quire/internal/formats/kindle"
	"quire/internal/formats/pdf"
	"quire/internal/web"
)

// With a printer and a converter the work page offers PDF and AZW3; the
// PDF is on the reader's paper, made once for readers asking at the same
// time, and revalidated by its ETag.
func TestPDFAndKindleDownloads(t *testing.T) {
	browser, conv := pdf.FindBrowser(), kindle.FindEbookConvert()
	if browser == "" || conv == "" {
		t.Skip("needs chromium and calibre's ebook-convert (apt-get install chromium calibre)")
	}
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("needs pdfinfo (apt-get install poppler-utils)")
	}
	r := newRig(t, web.Options{PDF: pdf.New(pdf.Options{Browser: browser}), Kindle: kindle.New(kindle.Options{EbookConvert: conv})})
	author := r.browser()
	author.signup("printer")
	path := author.postWork(url.Values{"title": {"Printed Harbor"}, "chapter_title": {"Arrival"}, "body": {"<p>The first chapter begins here.</p>"}})
	id := workID(path)
	guest := r.browser()
	guest.get(path).status_(t, 200).has(t, `/downloads/`+id+`/printed_harbor.pdf" download>PDF</a>`, `/downloads/`+id+`/printed_harbor.azw3" download>AZW3 (Kindle)</a>`)

	size := func(b []byte) string {
		file := filepath.Join(t.TempDir(), "x.pdf")
		os.WriteFile(file, b, 0o644)
		out, err := exec.Command("pdfinfo", file).Output()
		if err != nil {
			t.Fatalf("pdfinfo: %v", err)
		}
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, "Page size:") {
				return strings.Join(strings.Fields(l)[2:5], " ")
			}
		}
		return ""
	}
	var wg sync.WaitGroup
	bodies := make([][]byte, 3)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := guest.fetch("/downloads/"+id+"/x.pdf", map[string]string{"Accept-Language": "en-US,en;q=0.8"})
			if resp.status != 200 || resp.header.Get("Content-Type") != "application/pdf" {
				t.Errorf("pdf: %d %s", resp.status, resp.header.Get("Content-Type"))
			}
			bodies[i] = resp.body
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if !bytes.HasPrefix(bodies[0], []byte("%PDF-")) || !bytes.Equal(bodies[0], bodies[1]) || !bytes.Equal(bodies[0], bodies[2]) {
		t.Fatal("readers asking at once got different files")
	}
	if s := size(bodies[0]); s != "612 x 792" {
		t.Errorf("an en-US reader's PDF is %s pt, want Letter", s)
	}
	a4 := guest.fetch("/downloads/"+id+"/x.pdf?paper=a4", map[string]string{"Accept-Language": "en-US"}).want(t, 200)
	if s := size(a4.body); !strings.HasPrefix(s, "59") {
		t.Errorf("?paper=a4 is %s pt", s)
	}
	gb := guest.fetch("/downloads/"+id+"/x.pdf", map[string]string{"Accept-Language": "en-GB"}).want(t, 200)
	if s := size(gb.body); !strings.HasPrefix(s, "59") {
		t.Errorf("an en-GB reader's PDF is %s pt, want A4", s)
	}
	guest.fetch("/downloads/"+id+"/x.pdf", map[string]string{"Accept-Language": "en-GB", "If-None-Match": gb.header.Get("ETag")}).want(t, 304)

	azw := guest.fetch("/downloads/"+id+"/x.azw3", nil).want(t, 200)
	if !bytes.Contains(azw.body[:min(len(azw.body), 100)], []byte("BOOKMOBI")) {
		t.Fatal("the AZW3 is not a Mobipocket book")
	}

	// Without them, nothing is offered and the URLs are not found.
	plain := newRig(t, web.Options{})
	a := plain.browser()
	a.signup("plain")
	p2 := a.postWork(url.Values{"title": {"Plain Harbor"}, "chapter_title": {"One"}, "body": {"<p>Text.</p>"}})
	a.get(p2).status_(t, 200).lacks(t, ".pdf", ".azw3")
	a.fetch("/downloads/"+workID(p2)+"/x.pdf", nil).want(t, 404)
	a.fetch("/downloads/"+workID(p2)+"/x.azw3", nil).want(t, 404)
}

// A printer that fails is a 503 with Retry-After, not a 500, and the
// failure is not cached.
func TestPDFPrinterFailure(t *testing.T) {
	r := newRig(t, web.Options{PDF: pdf.New(pdf.Options{Browser: "/bin/false", Timeout: 5 * time.Second})})
	author := r.browser()
	author.signup("failing")
	path := author.postWork(url.Values{"title": {"Unprintable"}, "chapter_title": {"One"}, "body": {"<p>Text.</p>"}})
	for range 2 {
		resp := author.fetch("/downloads/"+workID(path)+"/x.pdf", nil).want(t, 503)
		if resp.header.Get("Retry-After") == "" || !bytes.Contains(resp.body, []byte("try again")) {
			t.Fatalf("503 without Retry-After or message: %v %s", resp.header, resp.body)
		}
	}
}
