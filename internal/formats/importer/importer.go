// Package importer turns files from elsewhere — AO3 HTML and EPUB
// downloads, other EPUBs (Quire's own included), HTML, Markdown and the
// plain-text shapes old archives and mailing lists kept — into works. Each
// parser reads one file into a Work, an intermediate form close to what the
// file says; Input maps it onto archive.WorkInput with the defaults a
// careful archivist would choose, so imported works go through the same
// validation as posted ones. ImportFile does both and stores the result
// through a Target in one transaction.
package importer

import (
	"errors"
	"fmt"
	"html"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
)

// Formats this package parses (jsonl and efiction live elsewhere).
const (
	FormatAO3HTML  = "ao3-html"
	FormatEPUB     = "epub"
	FormatHTML     = "html"
	FormatMarkdown = "markdown"
	FormatText     = "text"
	// Detect may also name these, for the caller to route.
	FormatJSONL    = "jsonl"
	FormatEFiction = "efiction"
)

// Formats are the formats Parse accepts, in the order help text names them.
var Formats = []string{FormatAO3HTML, FormatEPUB, FormatHTML, FormatMarkdown, FormatText}

// Limits on what one file may make the parsers do.
const (
	// MaxFileBytes is the largest input file.
	MaxFileBytes = 16 << 20
	// maxUnzipped caps what an EPUB may inflate to, all entries together.
	maxUnzipped = 64 << 20
	// maxEntries caps the number of files an EPUB may hold.
	maxEntries = 2000
)

// ErrTooLarge is a file over MaxFileBytes.
var ErrTooLarge = fmt.Errorf("the file is larger than %d MiB, the most one import takes", MaxFileBytes>>20)

// Work is what one file says about one work. Rich fields are HTML, or
// Markdown when Format says so.
type Work struct {
	Title  string
	Byline []string
	// Summary, Notes and EndNotes are rich text in Format.
	Summary  string
	Notes    string
	EndNotes string
	Format   archive.Format

	Rating        string // an archive rating, or "" for unknown
	Warnings      []string
	Categories    []string
	Fandoms       []string
	Relationships []string
	Characters    []string
	Freeforms     []string
	Language      string // BCP 47, or "" for unknown

	ChaptersExpected int // 0 = unknown ("N/?")
	Published        time.Time
	Updated          time.Time // last update or completion; zero = unknown
	Series           []SeriesPart
	Chapters         []Chapter

	// Remarks are things the parser chose to say about the file (tags it
	// dropped, a language it did not know), for the report.
	Remarks []string

	// inWhich holds "Chapter N: in which …" sentences by chapter number,
	// for Parse to give to those chapters.
	inWhich map[int]string
	// complete is a header's "Status: Complete".
	complete bool
}

// SeriesPart is a work's place in a series: "Part N of Title".
type SeriesPart struct {
	Title    string
	Position int
}

// Chapter is one chapter; rich fields in the work's Format.
type Chapter struct {
	Title    string
	Summary  string
	Notes    string
	EndNotes string
	Body     string
}

// Options tune parsing and mapping.
type Options struct {
	// Fandom is the fandom of works whose file names none.
	Fandom string
}

// DefaultFandom is the fandom of a work whose file names none, when the
// importer was given none either.
const DefaultFandom = "Unspecified Fandom"

// Parse reads one file in the named format. name is the file's name (the
// title of last resort, and a hint for the format).
func Parse(format, name string, data []byte, opt Options) (*Work, error) {
	if len(data) > MaxFileBytes {
		return nil, ErrTooLarge
	}
	var w *Work
	var err error
	switch format {
	case FormatAO3HTML:
		w, err = parseAO3HTML(data)
	case FormatEPUB:
		w, err = parseEPUB(data)
	case FormatHTML:
		w, err = parseHTML(data)
	case FormatMarkdown:
		w, err = parseMarkdown(data)
	case FormatText:
		w, err = parseText(data)
	default:
		return nil, fmt.Errorf("unknown import format %q (expected one of %s)", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(w.Title) == "" {
		w.Title = titleFromName(name)
	}
	if w.Format == "" {
		w.Format = archive.FormatHTML
	}
	if len(w.Chapters) == 0 {
		return nil, errors.New("found no chapter text in the file")
	}
	if format == FormatHTML || format == FormatAO3HTML {
		linkChapters(w.Chapters, nil, nil)
	}
	if w.Format == archive.FormatHTML {
		if err := placeImages(w); err != nil {
			return nil, err
		}
	}
	if len(w.Chapters) > archive.MaxChapters {
		return nil, fmt.Errorf("the file has %d chapters; a work may have at most %d", len(w.Chapters), archive.MaxChapters)
	}
	// "Chapter one: in which …" describes chapter one: it becomes that
	// chapter's summary (or stays in the work's when there is no such
	// chapter or it has a summary already).
	for n := 1; n <= len(w.Chapters) && len(w.inWhich) > 0; n++ {
		if s, ok := w.inWhich[n]; ok && strings.TrimSpace(w.Chapters[n-1].Summary) == "" {
			w.Chapters[n-1].Summary = richText(w.Format, s)
			delete(w.inWhich, n)
		}
	}
	for n := 1; len(w.inWhich) > 0 && n <= 10000; n++ {
		if s, ok := w.inWhich[n]; ok {
			w.Summary += richText(w.Format, "Chapter "+strconv.Itoa(n)+": "+s)
			delete(w.inWhich, n)
		}
	}
	w.inWhich = nil
	if w.complete && w.ChaptersExpected == 0 {
		w.ChaptersExpected = len(w.Chapters)
	}
	return w, nil
}

// titleFromName makes a title of a file name: "the_long_way-home.txt" is
// "The long way home".
func titleFromName(name string) string {
	base := filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if ext := filepath.Ext(base); ext != "" && len(ext) <= 10 {
		base = strings.TrimSuffix(base, ext)
	}
	base = strings.Join(strings.FieldsFunc(base, func(r rune) bool { return r == '_' || r == '-' || r == ' ' || r == '.' }), " ")
	if base == "" || base == "/" {
		return "Untitled"
	}
	r := []rune(base)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// Input maps the work onto what a creator would have submitted, filling
// what the file does not say with the archive's defaults: rating Not
// Rated, the warning "Creator Chose Not To Use Archive Warnings", the
// fandom from opt or "Unspecified Fandom". Tags the archive can't carry
// (a forbidden character, too long, past the 75-tag limit) are left out
// and named in the work's Remarks. The chapters' dates are the caller's.
func (w *Work) Input(opt Options) archive.WorkInput {
	in := archive.WorkInput{
		Title: w.Title, Summary: w.Summary, Notes: w.Notes, EndNotes: w.EndNotes,
		SummaryFormat: w.Format, NotesFormat: w.Format, EndNotesFormat: w.Format,
		Rating: w.Rating, Language: w.Language, ChaptersExpected: w.ChaptersExpected,
		PostedAt: w.Published,
	}
	if in.Rating == "" {
		in.Rating = archive.RatingNotRated
	}
	for _, x := range w.Warnings {
		if v := vocabulary(archive.Warnings, x); v != "" {
			in.Warnings = appendNew(in.Warnings, v)
		}
	}
	if len(in.Warnings) == 0 {
		in.Warnings = []string{archive.WarningChoseNot}
	}
	for _, x := range w.Categories {
		if v := vocabulary(archive.Categories, x); v != "" {
			in.Categories = appendNew(in.Categories, v)
		}
	}
	free := 0
	keep := func(field string, names []string) []string {
		var out []string
		seen := map[string]bool{}
		for _, n := range names {
			n = strings.Join(strings.Fields(n), " ")
			if n == "" {
				continue
			}
			clean, err := archive.CleanTagName(n)
			if err != nil {
				w.Remarks = append(w.Remarks, fmt.Sprintf("left out the %s tag %q: %v", field, shorten(n, 40), err))
				continue
			}
			k := archive.TagKey(clean)
			if seen[k] {
				continue
			}
			if free >= archive.MaxFreeTags {
				w.Remarks = append(w.Remarks, fmt.Sprintf("left out the %s tag %q: a work carries at most %d fandom, relationship, character and additional tags", field, shorten(n, 40), archive.MaxFreeTags))
				continue
			}
			seen[k] = true
			free++
			out = append(out, clean)
		}
		return out
	}
	in.Fandoms = keep("fandom", w.Fandoms)
	if len(in.Fandoms) == 0 {
		f := strings.TrimSpace(opt.Fandom)
		if f == "" {
			f = DefaultFandom
		}
		in.Fandoms = []string{f}
	}
	in.Relationships = keep("relationship", w.Relationships)
	in.Characters = keep("character", w.Characters)
	in.Freeforms = keep("additional", w.Freeforms)
	for _, c := range w.Chapters {
		in.Chapters = append(in.Chapters, archive.ChapterInput{
			Title: c.Title, Summary: c.Summary, Notes: c.Notes, EndNotes: c.EndNotes, Body: c.Body,
			SummaryFormat: w.Format, NotesFormat: w.Format, EndNotesFormat: w.Format, Format: w.Format,
		})
	}
	return in
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func vocabulary(vocab []string, s string) string {
	s = strings.TrimSpace(s)
	for _, v := range vocab {
		if strings.EqualFold(v, s) {
			return v
		}
	}
	return ""
}

// splitList splits a tag list on commas (and semicolons, which some old
// headers used).
func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '，' || r == '、' }) {
		if p := strings.Join(strings.Fields(part), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// richText is plain text as a rich field in the format.
func richText(f archive.Format, s string) string {
	if f == archive.FormatMarkdown {
		return "\n\n" + s
	}
	return "<p>" + html.EscapeString(s) + "</p>"
}
