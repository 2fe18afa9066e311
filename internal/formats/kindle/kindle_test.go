package kindle_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/formats"
	"quire/internal/formats/kindle"
	"quire/internal/text"
)

// An EPUB of ours becomes an AZW3 that calibre's own reader takes back
// with its title, creators, language and series.
func TestAZW3(t *testing.T) {
	conv := kindle.FindEbookConvert()
	meta, err := exec.LookPath("ebook-meta")
	if conv == "" || err != nil {
		t.Skip("calibre is not installed (apt-get install calibre): the Kindle download is off without it")
	}
	posted := time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)
	body := func(s string) archive.Rich {
		return archive.Rich{Source: s, Format: archive.FormatHTML, HTML: text.Render(s, text.FormatHTML)}
	}
	w := &archive.Work{ID: 5, Title: "Harbor Lights", Language: "ja", Creators: []archive.Creator{{Pseud: "lanternkeeper"}},
		Tags:    map[archive.TagType][]string{archive.TypeRating: {archive.RatingGeneral}, archive.TypeFandom: {"Lantern Tales"}},
		Summary: body("<p>Two keepers mind a light.</p>"), ChaptersPosted: 2, ChaptersExpected: 2, PostedAt: posted, UpdatedAt: posted}
	chapters := []*archive.Chapter{
		{ID: 51, Position: 1, Title: "Arrival", Body: body("<p>The keepers arrived at dusk.</p>")},
		{ID: 52, Position: 2, Title: "港", Body: body("<p>港には静かな夜が訪れた。</p>")},
	}
	var epub bytes.Buffer
	site := formats.SiteInfo{Name: "Quire", WorkURL: "http://quire.test/works/5", Series: []formats.SeriesInfo{{Title: "Coastal Cycle", Position: 2, URL: "http://quire.test/series/1"}}}
	if err := formats.EPUB(&epub, w, chapters, site); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := kindle.New(kindle.Options{EbookConvert: conv}).AZW3(context.Background(), &out, epub.Bytes()); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "book.azw3")
	if err := os.WriteFile(file, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Bytes()[:min(out.Len(), 100)], []byte("BOOKMOBI")) {
		t.Fatalf("not a Mobipocket book: % x", out.Bytes()[:min(out.Len(), 80)])
	}
	cmd := exec.Command(meta, file)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	got, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Harbor Lights", "lanternkeeper", "jpn", "Two keepers mind a light."} {
		if !strings.Contains(string(got), want) {
			t.Errorf("ebook-meta does not say %q of the AZW3:\n%s", want, got)
		}
	}
	// The EPUB's series is calibre's too (AZW3 has no place for one).
	epubFile := filepath.Join(t.TempDir(), "book.epub")
	if err := os.WriteFile(epubFile, epub.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(meta, epubFile)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if got, err = cmd.Output(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "Coastal Cycle #2") {
		t.Errorf("ebook-meta does not read the EPUB's series:\n%s", got)
	}
	// A broken input is an error, not a book.
	if err := kindle.New(kindle.Options{EbookConvert: conv}).AZW3(context.Background(), &out, []byte("not an epub")); err == nil {
		t.Error("a broken EPUB converted")
	}
}
