package importer

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// AO3's downloads (and Quire's own, which share their shape) have a
// preface — a message saying where the work came from, a dl.tags of tag
// groups, language, series and stats, then the title, byline, summary and
// notes, each field a label paragraph followed by a blockquote — then the
// chapters (a heading, labelled summary and notes, a div.userstuff body,
// labelled end notes) and an afterword with the work's end notes and
// another message. The parser walks the document once in order and keeps
// everything but the archive's own messages.

func parseAO3HTML(data []byte) (*Work, error) {
	doc, err := parseHTMLDoc(data)
	if err != nil {
		return nil, err
	}
	w := parseAO3Tree(bodyOf(doc))
	if w.Title == "" {
		if t := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Title }); t != nil {
			w.Title = textOf(t)
		}
	}
	return w, nil
}

// looksLikeAO3 reports whether a document has an AO3-shaped preface.
func looksLikeAO3(doc *html.Node) bool {
	return find(doc, func(n *html.Node) bool {
		if n.DataAtom == atom.Dl && hasClass(n, "tags") {
			return true
		}
		return (n.DataAtom == atom.P || n.DataAtom == atom.Div) && hasClass(n, "message") && strings.HasPrefix(textOf(n), "Posted originally on")
	}) != nil
}

type ao3Parser struct {
	w         *Work
	pending   string // a label waiting for its blockquote
	afterword bool
	inChapter bool // a chapter heading or body has been seen
}

func parseAO3Tree(root *html.Node) *Work {
	p := &ao3Parser{w: &Work{}}
	p.walk(root, 0)
	return p.w
}

func (p *ao3Parser) chapter() *Chapter {
	if len(p.w.Chapters) == 0 {
		p.w.Chapters = append(p.w.Chapters, Chapter{})
	}
	p.inChapter = true
	return &p.w.Chapters[len(p.w.Chapters)-1]
}

var (
	chromeStart   = regexp.MustCompile(`^(Posted originally on|See the end of the (work|chapter) for|Please drop by)`)
	chapterNumber = regexp.MustCompile(`(?i)^chapter\s+(\d+)\s*(?:[:.–—-]\s*(.*))?$`)
	partOf        = regexp.MustCompile(`(?i)(?:^|,\s*)Part\s+(\d+)\s+of\s+`)
	statPublished = regexp.MustCompile(`Published:\s*(\d{4}-\d{2}-\d{2})`)
	statUpdated   = regexp.MustCompile(`(?:Updated|Completed):\s*(\d{4}-\d{2}-\d{2})`)
	statChapters  = regexp.MustCompile(`Chapters:\s*(\d+)\s*/\s*(\d+|\?)`)
)

// labels are the paragraphs that name the blockquote after them.
var labels = map[string]string{
	"summary": "summary", "notes": "notes", "end notes": "end notes",
	"chapter summary": "chapter summary", "chapter notes": "chapter notes", "chapter end notes": "chapter end notes",
}

func (p *ao3Parser) walk(n *html.Node, depth int) {
	if depth > maxDepth {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		p.element(c, depth+1)
	}
}

func (p *ao3Parser) element(n *html.Node, depth int) {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Head, atom.Nav, atom.Title:
		return
	case atom.Dl:
		if hasClass(n, "tags") || !p.inChapter && p.w.Title == "" {
			p.tags(n)
			return
		}
	case atom.H1:
		if p.w.Title == "" && !p.inChapter {
			p.w.Title = textOf(n)
			return
		}
	case atom.H2:
		t := textOf(n)
		if hasClass(n, "toc-heading") || t == "Preface" || t == "Afterword" {
			if t == "Afterword" {
				p.afterword = true
			}
			return
		}
		if !p.afterword {
			p.w.Chapters = append(p.w.Chapters, Chapter{Title: chapterTitle(t)})
			p.inChapter = true
			p.pending = ""
			return
		}
	case atom.H3:
		if hasClass(n, "landmark") {
			return
		}
	case atom.Blockquote:
		if p.pending != "" {
			p.assign(p.pending, innerHTML(n))
			p.pending = ""
		}
		return
	}
	if hasClass(n, "byline") {
		if !p.inChapter && len(p.w.Byline) == 0 {
			p.byline(n)
		}
		return
	}
	if hasClass(n, "endnote-link") || hasClass(n, "message") {
		return
	}
	if n.DataAtom == atom.P || n.DataAtom == atom.Div && !holdsBlocks(n) {
		t := textOf(n)
		if chromeStart.MatchString(t) {
			return
		}
		if n.DataAtom == atom.P {
			if l, ok := labels[strings.ToLower(strings.TrimSuffix(t, ":"))]; ok {
				p.pending = l
				return
			}
		}
	}
	if attr(n, "id") == "afterword" || hasClass(n, "afterword") {
		p.afterword = true
	}
	if n.DataAtom == atom.Div && hasClass(n, "userstuff") && attr(n, "id") != "chapters" && !p.afterword && !holdsStructure(n) {
		c := p.chapter()
		body := innerHTML(n)
		if c.Body != "" {
			c.Body += "\n" + body
		} else {
			c.Body = body
		}
		p.pending = ""
		return
	}
	p.walk(n, depth)
}

// holdsStructure reports whether a userstuff div is a container of
// chapters (AO3 wraps every chapter in one) rather than a body.
func holdsStructure(n *html.Node) bool {
	return find(n, func(c *html.Node) bool {
		return c != n && (c.DataAtom == atom.H2 && hasClass(c, "heading") || hasClass(c, "meta") || hasClass(c, "chapter") || c.DataAtom == atom.Dl && hasClass(c, "tags") ||
			c.DataAtom == atom.Div && hasClass(c, "userstuff"))
	}) != nil
}

func (p *ao3Parser) assign(label, h string) {
	switch label {
	case "summary":
		if p.inChapter {
			p.chapter().Summary = h
		} else if !p.afterword {
			p.w.Summary = h
		}
	case "notes":
		if p.inChapter {
			p.chapter().Notes = h
		} else if !p.afterword {
			p.w.Notes = h
		}
	case "end notes":
		p.w.EndNotes = h
	case "chapter summary":
		p.chapter().Summary = h
	case "chapter notes":
		p.chapter().Notes = h
	case "chapter end notes":
		if !p.afterword {
			p.chapter().EndNotes = h
		}
	}
}

// chapterTitle reads a heading: "Chapter 2: The Ferry" is "The Ferry",
// "Chapter 2" has no title, and anything else (older downloads) is the
// title itself.
func chapterTitle(h string) string {
	if m := chapterNumber.FindStringSubmatch(h); m != nil {
		return strings.TrimSpace(m[2])
	}
	return h
}

func (p *ao3Parser) byline(n *html.Node) {
	links := findAll(n, func(c *html.Node) bool { return c.DataAtom == atom.A })
	if len(links) > 0 {
		for _, a := range links {
			if t := textOf(a); t != "" {
				p.w.Byline = append(p.w.Byline, t)
			}
		}
		return
	}
	t := textOf(n)
	if len(t) > 3 && strings.EqualFold(t[:3], "by ") {
		t = t[3:]
	}
	p.w.Byline = splitList(t)
}

// tags reads the preface's dl: each dt names a group, its dd holds the tags
// (links on AO3, plain comma-separated text in Quire's downloads).
func (p *ao3Parser) tags(dl *html.Node) {
	w := p.w
	label := ""
	for c := dl.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case isElem(c, atom.Dt):
			label = strings.ToLower(strings.TrimSpace(strings.TrimSuffix(textOf(c), ":")))
		case isElem(c, atom.Dd):
			switch label {
			case "rating", "ratings":
				for _, v := range ddValues(c) {
					if r := mapRating(v); r != "" && w.Rating == "" {
						w.Rating = r
					}
				}
			case "archive warning", "archive warnings", "warning", "warnings":
				for _, v := range ddValues(c) {
					if x := mapWarning(v); x != "" {
						w.Warnings = append(w.Warnings, x)
					} else {
						w.Freeforms = append(w.Freeforms, v)
					}
				}
			case "category", "categories":
				for _, v := range ddValues(c) {
					if x := mapCategory(v); x != "" {
						w.Categories = append(w.Categories, x)
					}
				}
			case "fandom", "fandoms":
				w.Fandoms = append(w.Fandoms, ddValues(c)...)
			case "relationship", "relationships":
				w.Relationships = append(w.Relationships, ddValues(c)...)
			case "character", "characters":
				w.Characters = append(w.Characters, ddValues(c)...)
			case "additional tags", "additional tag", "freeform", "freeforms", "tags":
				w.Freeforms = append(w.Freeforms, ddValues(c)...)
			case "language":
				name := textOf(c)
				// Quire's downloads give the code beside the name.
				if code := mapLanguage(attr(c, "lang")); code != "" {
					w.Language = code
				} else if code := mapLanguage(name); code != "" {
					w.Language = code
				} else if name != "" {
					w.Remarks = append(w.Remarks, "did not recognise the language "+strconv.Quote(shorten(name, 40))+"; the work is marked English")
				}
			case "series":
				w.Series = append(w.Series, seriesParts(c)...)
			case "stats":
				stats(w, textOf(c))
				statTimes(w, c)
			}
		}
	}
}

// ddValues are a dd's tags: its links' texts, or its comma-separated text.
func ddValues(dd *html.Node) []string {
	links := findAll(dd, func(c *html.Node) bool { return c.DataAtom == atom.A })
	if len(links) > 0 {
		var out []string
		for _, a := range links {
			if t := textOf(a); t != "" {
				out = append(out, t)
			}
		}
		return out
	}
	return splitList(textOf(dd))
}

// seriesParts reads "Part 2 of <a>Title</a>, Part 1 of <a>Other</a>" (or
// the same as plain text, or a mix) by its text.
func seriesParts(dd *html.Node) []SeriesPart {
	var out []SeriesPart
	t := textOf(dd)
	idx := partOf.FindAllStringSubmatchIndex(t, -1)
	for i, m := range idx {
		end := len(t)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		pos, _ := strconv.Atoi(t[m[2]:m[3]])
		if title := strings.TrimSpace(t[m[1]:end]); title != "" {
			out = append(out, SeriesPart{Title: title, Position: pos})
		}
	}
	return out
}

func stats(w *Work, t string) {
	if m := statPublished.FindStringSubmatch(t); m != nil {
		w.Published = parseDate(m[1])
	}
	if m := statUpdated.FindStringSubmatch(t); m != nil {
		w.Updated = parseDate(m[1])
	}
	if m := statChapters.FindStringSubmatch(t); m != nil && m[2] != "?" {
		if n, err := strconv.Atoi(m[2]); err == nil && n > 0 && n <= 100000 {
			w.ChaptersExpected = n
		}
	}
}

// statTimes reads the <time datetime> elements Quire's downloads put
// around the stats' days, which keep the time of day.
func statTimes(w *Work, dd *html.Node) {
	for _, t := range findAll(dd, func(n *html.Node) bool { return n.DataAtom == atom.Time }) {
		at, err := time.Parse(time.RFC3339, strings.TrimSpace(attr(t, "datetime")))
		if err != nil || at.Year() < 1970 {
			continue
		}
		label := ""
		if p := t.PrevSibling; p != nil && p.Type == html.TextNode {
			label = strings.TrimSpace(p.Data)
		}
		switch {
		case strings.HasSuffix(label, "Published:"):
			if w.Published.IsZero() || sameDay(w.Published, at) {
				w.Published = at.UTC()
			}
		case strings.HasSuffix(label, "Updated:"), strings.HasSuffix(label, "Completed:"):
			if w.Updated.IsZero() || sameDay(w.Updated, at) {
				w.Updated = at.UTC()
			}
		}
	}
}

func sameDay(a, b time.Time) bool {
	return a.UTC().Format("2006-01-02") == b.UTC().Format("2006-01-02")
}

// holdsBlocks reports whether an element contains block content (a
// message is a paragraph or a div of text and links).
func holdsBlocks(n *html.Node) bool {
	return find(n, func(c *html.Node) bool {
		if c == n {
			return false
		}
		switch c.DataAtom {
		case atom.P, atom.Div, atom.Dl, atom.H1, atom.H2, atom.Blockquote:
			return true
		}
		return false
	}) != nil
}
