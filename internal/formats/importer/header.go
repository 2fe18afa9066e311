package importer

import (
	"html"
	"regexp"
	"strconv"
	"strings"

	"quire/internal/archive"
)

// A header is the block of "Key: value" lines old archives and mailing
// lists put above a story (and Markdown files put in front matter): keys in
// any case, a value continued on the following lines (indented or not)
// until the next key or a blank line.

type headerField struct {
	key, label, value string
}

type header []headerField

var headerKey = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9 '’/&.()-]{0,30}?)\s*:\s*(.*)$`)

// headerKeys maps the keys old headers used to what they mean.
var headerKeys = map[string]string{
	"title": "title", "story": "title", "story title": "title", "work title": "title",
	"author": "author", "authors": "author", "by": "author", "writer": "author", "written by": "author", "pseud": "author", "creator": "author", "creators": "author",
	"fandom": "fandom", "fandoms": "fandom", "source": "fandom", "universe": "fandom",
	"category": "category", "categories": "category",
	"rating": "rating", "ratings": "rating", "rated": "rating",
	"pairing": "relationship", "pairings": "relationship", "relationship": "relationship", "relationships": "relationship", "ship": "relationship", "ships": "relationship",
	"character": "character", "characters": "character",
	"warning": "warning", "warnings": "warning", "archive warning": "warning", "archive warnings": "warning", "content warning": "warning", "content warnings": "warning",
	"summary": "summary", "description": "summary", "blurb": "summary",
	"notes": "notes", "note": "notes", "author's note": "notes", "author's notes": "notes", "author’s note": "notes", "author’s notes": "notes", "a/n": "notes", "an": "notes",
	"disclaimer": "disclaimer", "dedication": "labelled", "beta": "labelled", "beta reader": "labelled", "spoilers": "labelled", "inspiration": "labelled",
	"genre": "tags", "genres": "tags", "tags": "tags", "keywords": "tags", "additional tags": "tags", "freeform": "tags", "freeforms": "tags",
	"language": "language", "series": "series",
	"date": "published", "posted": "published", "published": "published", "written": "published", "first published": "published", "date posted": "published",
	"updated": "updated", "last updated": "updated", "completed": "updated",
	"status": "status", "chapters": "chapters",
	// Mailing-list chrome and personal details: read, then left out.
	"feedback": "skip", "archive": "skip", "archiving": "skip", "email": "skip", "e-mail": "skip", "url": "skip", "website": "skip",
	"web": "skip", "homepage": "skip", "word count": "skip", "words": "skip", "wordcount": "skip", "length": "skip", "permission": "skip",
}

// parseHeader reads a header from the first lines; ok only when the first
// non-blank line is a known key. It returns how many lines it used.
func parseHeaderBlock(lines []string) (header, int, bool) {
	var h header
	i := 0
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	if i == len(lines) {
		return nil, 0, false
	}
	m := headerKey.FindStringSubmatch(strings.TrimSpace(lines[i]))
	if m == nil || headerKeys[strings.ToLower(m[1])] == "" {
		return nil, 0, false
	}
	for ; i < len(lines); i++ {
		line := lines[i]
		t := strings.TrimSpace(line)
		if t == "" {
			break
		}
		if m := headerKey.FindStringSubmatch(t); m != nil && !startsWithSpace(line) {
			key := strings.ToLower(m[1])
			if kind := headerKeys[key]; kind != "" || len(strings.Fields(key)) <= 3 {
				h = append(h, headerField{key: kind, label: m[1], value: m[2]})
				continue
			}
		}
		if len(h) == 0 {
			break
		}
		last := &h[len(h)-1]
		if last.value == "" {
			last.value = t
		} else {
			last.value += "\n" + t
		}
	}
	return h, i, true
}

func parseHeader(lines []string) (header, bool) {
	h, _, ok := parseHeaderBlock(lines)
	return h, ok
}

func startsWithSpace(s string) bool {
	return s != "" && (s[0] == ' ' || s[0] == '\t')
}

// flat joins a header value's lines.
func flat(v string) string { return strings.Join(strings.Fields(v), " ") }

// apply writes the header onto the work; rich values become HTML
// paragraphs, or stay as written for Markdown.
func (h header) apply(w *Work, f archive.Format) {
	rich := func(v string) string {
		if f == archive.FormatMarkdown {
			return strings.TrimSpace(v)
		}
		return textParagraphsHTML(v)
	}
	addNote := func(s string) {
		if w.Notes != "" {
			w.Notes += "\n"
		}
		w.Notes += s
	}
	for _, fd := range h {
		v := fd.value
		switch fd.key {
		case "title":
			w.Title = flat(v)
		case "author":
			w.Byline = append(w.Byline, splitAnd(flat(v))...)
		case "fandom":
			w.Fandoms = append(w.Fandoms, splitList(flat(v))...)
		case "category":
			for _, x := range splitList(flat(v)) {
				if c := mapCategory(x); c != "" {
					w.Categories = append(w.Categories, c)
				} else {
					w.Fandoms = append(w.Fandoms, x)
				}
			}
		case "rating":
			if r := mapRating(flat(v)); r != "" {
				w.Rating = r
			} else if flat(v) != "" {
				w.Remarks = append(w.Remarks, "did not recognise the rating "+strconv.Quote(shorten(flat(v), 30))+"; the work is Not Rated")
			}
		case "relationship":
			w.Relationships = append(w.Relationships, splitList(flat(v))...)
		case "character":
			w.Characters = append(w.Characters, splitList(flat(v))...)
		case "warning":
			addWarnings(w, splitWarnings(flat(v)))
		case "summary":
			sum, inWhich, warns := proseSummary(flat(v))
			w.Summary = rich(sum)
			w.inWhich = inWhich
			addWarnings(w, warns)
		case "notes":
			addNote(rich(v))
		case "disclaimer":
			addNote(rich("Disclaimer: " + v))
		case "labelled", "":
			addNote(rich(fd.label + ": " + v))
		case "tags":
			w.Freeforms = append(w.Freeforms, splitList(flat(v))...)
		case "language":
			if c := mapLanguage(flat(v)); c != "" {
				w.Language = c
			}
		case "series":
			w.Series = append(w.Series, seriesOfHeader(flat(v)))
		case "published":
			w.Published = parseDate(flat(v))
		case "updated":
			w.Updated = parseDate(flat(v))
		case "status":
			s := strings.ToLower(flat(v))
			w.complete = strings.HasPrefix(s, "complete") || strings.HasPrefix(s, "finished") || s == "done"
		case "chapters":
			if m := chaptersRe.FindStringSubmatch(flat(v)); m != nil {
				total := m[1]
				if m[2] != "" {
					total = m[2]
				}
				if n, err := strconv.Atoi(total); err == nil && n > 0 && n <= archive.MaxChapters {
					w.ChaptersExpected = n
				}
			}
		}
	}
}

var seriesPart = regexp.MustCompile(`(?i)^(.*?)[\s,(:#-]*(?:part|book|no\.?|#)\s*(\d+)\)?\.?$`)

// seriesOfHeader reads "The Long Road, part 2" or "The Long Road (Part 2)".
func seriesOfHeader(v string) SeriesPart {
	if m := seriesPart.FindStringSubmatch(v); m != nil && strings.TrimSpace(m[1]) != "" {
		n, _ := strconv.Atoi(m[2])
		return SeriesPart{Title: strings.TrimSpace(m[1]), Position: n}
	}
	return SeriesPart{Title: v}
}

// splitAnd splits a byline on commas, "&" and "and".
func splitAnd(s string) []string {
	var out []string
	for _, p := range bylineSplitRe.Split(s, -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// textParagraphsHTML turns plain text into escaped paragraphs: blank lines
// separate them, lines inside one are joined.
func textParagraphsHTML(s string) string {
	var b strings.Builder
	for _, p := range blankSplitRe.Split(strings.TrimSpace(s), -1) {
		if p = flat(p); p != "" {
			b.WriteString("<p>" + html.EscapeString(p) + "</p>")
		}
	}
	return b.String()
}
