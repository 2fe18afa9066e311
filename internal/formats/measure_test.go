package formats_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/formats"
	"quire/internal/formats/kindle"
	"quire/internal/formats/pdf"
)

// longWork is a generated work of about words words in chapters of
// about 5,000, with a Japanese and an Arabic paragraph in each.
func longWork(words int) (*archive.Work, []*archive.Chapter) {
	rng := rand.New(rand.NewSource(1))
	vocab := strings.Fields("the harbor light keeper tide boat rope lamp wind night morning quiet stone wall sea gull salt door window tea kettle bread letter road hill rain cloud star river bridge field garden old new small long warm cold slow walked said looked turned waited carried opened closed listened remembered")
	n := max(1, words/5000)
	w := &archive.Work{ID: 77, Title: "The Long Harbor", Language: "en", Creators: []archive.Creator{{Pseud: "lanternkeeper"}},
		Tags:    map[archive.TagType][]string{archive.TypeRating: {archive.RatingGeneral}, archive.TypeFandom: {"Lantern Tales"}},
		Summary: rich("<p>A very long work, generated.</p>"), ChaptersPosted: n, ChaptersExpected: n, Words: words,
		PostedAt: posted, UpdatedAt: updated}
	var chs []*archive.Chapter
	for c := 0; c < n; c++ {
		var b strings.Builder
		for written := 0; written < words/n; {
			b.WriteString("<p>")
			k := 40 + rng.Intn(80)
			for i := 0; i < k; i++ {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(vocab[rng.Intn(len(vocab))])
			}
			b.WriteString(".</p>\n")
			written += k
		}
		b.WriteString(`<p lang="ja">港には静かな夜が訪れた。</p><p dir="rtl" lang="ar">وصلت السفينة إلى المرفأ في الليل.</p>`)
		chs = append(chs, chapter(int64(1000+c), c+1, "Part "+strconv.Itoa(c+1), rich(b.String())))
	}
	return w, chs
}

// TestMeasureFormats prints, for a generated work of QUIRE_MEASURE_WORDS
// words (100,000 by default), how long each download format takes, how
// big it is and the peak memory of the process that made it (the test
// process for EPUB and HTML, the browser or calibre for PDF and AZW3),
// and for comparison WeasyPrint's PDF of the same document when it is
// installed and QUIRE_MEASURE_WEASYPRINT=1. It runs only with
// QUIRE_MEASURE=1:
//
//	QUIRE_MEASURE=1 QUIRE_MEASURE_WORDS=500000 go test ./internal/formats -run TestMeasureFormats -v -timeout 30m
func TestMeasureFormats(t *testing.T) {
	if os.Getenv("QUIRE_MEASURE") != "1" {
		t.Skip("set QUIRE_MEASURE=1 to measure the download formats")
	}
	words := 100000
	if v, err := strconv.Atoi(os.Getenv("QUIRE_MEASURE_WORDS")); err == nil && v > 0 {
		words = v
	}
	w, chs := longWork(words)
	site := formats.SiteInfo{Name: "Quire", WorkURL: "http://quire.test/works/77"}
	dir := t.TempDir()
	report := func(name string, start time.Time, size int, peak string) {
		t.Logf("%-22s %7.1f s %9.1f MiB  peak %s", name, time.Since(start).Seconds(), float64(size)/(1<<20), peak)
	}
	selfPeak := func() string {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return fmt.Sprintf("%d MiB (this process, so far)", ru.Maxrss>>10)
	}
	childPeak := func() string {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru)
		return fmt.Sprintf("%d MiB (largest child so far)", ru.Maxrss>>10)
	}
	t.Logf("%d words, %d chapters", words, len(chs))
	var epub, doc bytes.Buffer
	start := time.Now()
	if err := formats.EPUB(&epub, w, chs, site); err != nil {
		t.Fatal(err)
	}
	report("EPUB", start, epub.Len(), selfPeak())
	start = time.Now()
	if err := formats.HTMLDocument(&doc, w, chs, site); err != nil {
		t.Fatal(err)
	}
	report("HTML", start, doc.Len(), selfPeak())
	// calibre first: the children's peak is the largest so far.
	if c := kindle.FindEbookConvert(); c != "" {
		var out bytes.Buffer
		start = time.Now()
		if err := kindle.New(kindle.Options{EbookConvert: c, Timeout: 20 * time.Minute}).AZW3(context.Background(), &out, epub.Bytes()); err != nil {
			t.Fatal(err)
		}
		report("AZW3 (calibre)", start, out.Len(), childPeak())
	}
	if b := pdf.FindBrowser(); b != "" {
		var out bytes.Buffer
		start = time.Now()
		if err := pdf.New(pdf.Options{Browser: b, Timeout: 20 * time.Minute}).Print(context.Background(), &out, w, chs, site, pdf.A4); err != nil {
			t.Fatal(err)
		}
		report("PDF (Chromium)", start, out.Len(), childPeak())
		os.WriteFile(filepath.Join(dir, "chromium.pdf"), out.Bytes(), 0o644)
	}
	if wp, err := exec.LookPath("weasyprint"); err == nil && os.Getenv("QUIRE_MEASURE_WEASYPRINT") == "1" {
		var print bytes.Buffer
		if err := formats.PrintDocument(&print, w, chs, site, "a4"); err != nil {
			t.Fatal(err)
		}
		in, out := filepath.Join(dir, "book.html"), filepath.Join(dir, "weasy.pdf")
		os.WriteFile(in, print.Bytes(), 0o644)
		start = time.Now()
		cmd := exec.Command(wp, in, out)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("weasyprint: %v\n%s", err, msg)
		}
		fi, _ := os.Stat(out)
		report("PDF (WeasyPrint 57)", start, int(fi.Size()), fmt.Sprintf("%d MiB", cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss>>10))
		for _, f := range []string{"chromium.pdf", "weasy.pdf"} {
			p := filepath.Join(dir, f)
			if _, err := os.Stat(p); err != nil {
				continue
			}
			info, _ := exec.Command("pdfinfo", p).Output()
			fonts, _ := exec.Command("pdffonts", p).Output()
			txt, _ := exec.Command("pdftotext", p, "-").Output()
			pages := ""
			for _, l := range strings.Split(string(info), "\n") {
				if strings.HasPrefix(l, "Pages:") {
					pages = strings.TrimSpace(strings.TrimPrefix(l, "Pages:"))
				}
			}
			t.Logf("%s: %s pages, Japanese text extractable: %v, Arabic: %v, fonts:\n%s", f, pages,
				strings.Contains(string(txt), "静かな夜"), strings.Contains(string(txt), "السفينة"), fonts)
		}
	}
}
