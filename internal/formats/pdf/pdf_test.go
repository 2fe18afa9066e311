package pdf_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/formats"
	"quire/internal/formats/pdf"
	"quire/internal/text"
)

func rich(src string) archive.Rich {
	return archive.Rich{Source: src, Format: archive.FormatHTML, HTML: text.Render(src, text.FormatHTML)}
}

func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install qpdf poppler-utils chromium fonts-noto-core fonts-noto-cjk; .ci/run installs them)", tool)
		}
	}
}

// A work in Latin, Japanese, Arabic and Hebrew with emoji prints to a PDF
// that qpdf finds sound, with its fonts embedded as subsets, its text
// extractable, a bookmark per chapter and page numbers.
func TestPrint(t *testing.T) {
	need(t, "qpdf", "pdftotext", "pdffonts")
	browser := pdf.FindBrowser()
	if browser == "" {
		t.Skip("no chromium on PATH (apt-get install chromium; .ci/run installs it)")
	}
	posted := time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)
	w := &archive.Work{ID: 5, Title: "Harbor Lights", Language: "en",
		Creators: []archive.Creator{{Pseud: "lanternkeeper"}},
		Tags:     map[archive.TagType][]string{archive.TypeRating: {archive.RatingGeneral}, archive.TypeFandom: {"Lantern Tales"}},
		Summary:  rich("<p>Two keepers mind a light.</p>"), ChaptersPosted: 3, ChaptersExpected: 3, Words: 60,
		PostedAt: posted, UpdatedAt: posted}
	long := strings.Repeat("<p>The tide came in and went out again, as it always had along the quiet harbor wall.</p>", 40)
	chapters := []*archive.Chapter{
		{ID: 51, Position: 1, Title: "Arrival", Body: rich("<p>The keepers arrived at dusk. Emoji: 🌊🏮</p>" + long)},
		{ID: 52, Position: 2, Title: "港", Body: rich("<p lang=\"ja\">港には静かな夜が訪れた。</p><p dir=\"rtl\" lang=\"ar\">وصلت السفينة إلى المرفأ</p><p dir=\"rtl\" lang=\"he\">הספינה הגיעה לנמל</p>")},
		{ID: 53, Position: 3, Title: "Departure", Body: rich("<p>They left at dawn.</p>")},
	}
	p := pdf.New(pdf.Options{Browser: browser})
	var buf bytes.Buffer
	if err := p.Print(context.Background(), &buf, w, chapters, formats.SiteInfo{Name: "Quire", WorkURL: "http://quire.test/works/5"}, pdf.A4); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "book.pdf")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("qpdf", "--check", file).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	txt, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	// The extractor wraps right-to-left runs in bidi controls.
	got := strings.Map(func(r rune) rune {
		if r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f {
			return -1
		}
		return r
	}, string(txt))
	for _, want := range []string{"Harbor Lights", "Posted originally on", "Two keepers mind a light.", "Chapter 1: Arrival", "港には静かな夜が訪れた",
		"Chapter 3: Departure", "They left at dawn.", "Afterword"} {
		if !strings.Contains(got, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, got)
		}
	}
	// Right-to-left text comes out in reading order, whichever way the
	// extractor joins the words.
	for _, word := range []string{"السفينة", "المرفأ", "הספינה", "לנמל"} {
		if !strings.Contains(got, word) && !strings.Contains(got, reverse(word)) {
			t.Errorf("the PDF's text lacks %q", word)
		}
	}
	// Page numbers: pages are separated by form feeds; the second ends
	// with its number.
	pages := strings.Split(got, "\f")
	if len(pages) < 4 || !strings.HasSuffix(strings.TrimSpace(pages[1]), "2") {
		t.Errorf("%d pages; page 2 ends %q", len(pages), tail(pages))
	}
	fonts, err := exec.Command("pdffonts", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(fonts)), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts:\n%s", fonts)
	}
	// Every font is embedded with a Unicode map (the text can be
	// selected and searched); outline fonts as subsets. Chromium writes
	// colour emoji and CFF-outline CJK glyphs as Type 3 fonts, which hold
	// only the glyphs used.
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name type... emb sub uni object ID
		if len(f) < 6 || f[len(f)-5] != "yes" || f[len(f)-3] != "yes" || !strings.Contains(l, "Type 3") && f[len(f)-4] != "yes" {
			t.Errorf("a font is not embedded as a subset with a Unicode map: %s\n%s", l, fonts)
		}
	}
	// A bookmark per chapter.
	js, err := exec.Command("qpdf", "--json", "--json-key=outlines", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Outlines []struct {
			Title string `json:"title"`
			Kids  []struct {
				Title string `json:"title"`
			} `json:"kids"`
		} `json:"outlines"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, o := range doc.Outlines {
		titles = append(titles, o.Title)
		for _, k := range o.Kids {
			titles = append(titles, k.Title)
		}
	}
	all := strings.Join(titles, "|")
	for _, want := range []string{"Chapter 1: Arrival", "Chapter 2: 港", "Chapter 3: Departure"} {
		if !strings.Contains(all, want) {
			t.Errorf("no bookmark %q in %q", want, all)
		}
	}
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

func tail(pages []string) string {
	if len(pages) < 2 {
		return ""
	}
	s := strings.TrimSpace(pages[1])
	if len(s) > 40 {
		s = s[len(s)-40:]
	}
	return s
}
