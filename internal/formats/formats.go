// Package formats turns works into the files readers take away — EPUB 3,
// a single-file HTML download — and listings into Atom feeds. Everything
// here is a pure function of its input: the same work gives the same bytes,
// so the web layer can cache by work version and answer If-None-Match.
package formats

import (
	"crypto/sha1"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"quire/internal/archive"
)

// SiteInfo is what a download says about where it came from.
type SiteInfo struct {
	Name    string // the archive's name: publisher, "Posted originally on …"
	WorkURL string // the work's absolute URL
	// Modified marks the version (dcterms:modified, zip timestamps). Zero
	// means the latest of the work's edited, updated and posted dates.
	Modified time.Time
	// Series are the series the work is in, with its part in each.
	Series []SeriesInfo
}

// SeriesInfo is a work's place in one series.
type SeriesInfo struct {
	Title    string
	Position int    // the work's part number
	URL      string // the series' absolute URL ("" for none)
}

// modified is the version time of a download, in whole seconds UTC.
func (s SiteInfo) modified(w *archive.Work, chapters []*archive.Chapter) time.Time {
	t := s.Modified
	if t.IsZero() {
		t = latest(w, chapters)
	}
	if t.IsZero() {
		t = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t.UTC().Truncate(time.Second)
}

// latest is the most recent change to a work or its chapters.
func latest(w *archive.Work, chapters []*archive.Chapter) time.Time {
	t := w.PostedAt
	for _, x := range []time.Time{w.UpdatedAt, w.EditedAt} {
		if x.After(t) {
			t = x
		}
	}
	for _, c := range chapters {
		if c.UpdatedAt.After(t) {
			t = c.UpdatedAt
		}
	}
	return t
}

// WorkUUID is the work's fixed identifier: a name-based (version 5, SHA-1)
// UUID of the site name and the work id, so a re-download has the same
// dc:identifier and e-readers replace the old copy.
func WorkUUID(siteName string, workID int64) string {
	return NameUUID(siteName + "/works/" + strconv.FormatInt(workID, 10))
}

// NameUUID is a version 5 UUID (RFC 9562) in the URL namespace, as a URN.
func NameUUID(name string) string {
	ns := [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte("quire:" + name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// lang is a work's language as a well-formed BCP 47 tag, and its direction.
type lang struct {
	Code string
	RTL  bool
	Name string // the language's name in itself ("日本語"), or the code
}

var rtlScripts = map[string]bool{"Arab": true, "Hebr": true, "Thaa": true, "Syrc": true, "Nkoo": true, "Adlm": true, "Rohg": true, "Mand": true, "Samr": true}

func workLang(code string) lang {
	code = strings.TrimSpace(code)
	if code == "" {
		code = "en"
	}
	t, err := language.Parse(code)
	if err != nil {
		return lang{Code: "und", Name: code}
	}
	s, _ := t.Script()
	l := lang{Code: t.String(), RTL: rtlScripts[s.String()], Name: display.Self.Name(t)}
	if l.Name == "" {
		l.Name = l.Code
	}
	return l
}

// chapterHeading is a chapter's heading: "Chapter 2" or "Chapter 2: Title".
func chapterHeading(n int, c *archive.Chapter) string {
	h := "Chapter " + strconv.Itoa(n)
	if t := strings.TrimSpace(c.Title); t != "" {
		h += ": " + t
	}
	return h
}

func title(w *archive.Work) string {
	if t := strings.TrimSpace(w.Title); t != "" {
		return t
	}
	return "Untitled"
}

func chapterCount(w *archive.Work, posted int) string {
	if w.ChaptersPosted > posted {
		posted = w.ChaptersPosted
	}
	if w.ChaptersExpected == 0 {
		return strconv.Itoa(posted) + "/?"
	}
	return strconv.Itoa(posted) + "/" + strconv.Itoa(w.ChaptersExpected)
}

func formatNum(v int) string {
	s := strconv.Itoa(v)
	if v < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// tagLabel is the preface label for a group of n tags of type t.
func tagLabel(t archive.TagType, n int) string {
	if n < 2 {
		return t.Label()
	}
	switch t {
	case archive.TypeCategory:
		return "Categories"
	case archive.TypeWarning, archive.TypeFandom, archive.TypeRelationship, archive.TypeCharacter:
		return t.Label() + "s"
	}
	return t.Label()
}

// creatorNames are the byline's pseuds.
func creatorNames(w *archive.Work) []string {
	var out []string
	for _, c := range w.Creators {
		if p := strings.TrimSpace(c.Pseud); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
