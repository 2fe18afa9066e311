package importer

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"quire/internal/archive"
	"quire/internal/text"
)

// A generic HTML file is one work: the title from <title> or its one <h1>,
// the byline and summary from <meta name="author"> and
// <meta name="description">, the language from <html lang>. Chapters start
// at headings of one level: <h2> when there is a single <h1> (the title),
// else <h1> when there are several, else <h2>; with none, the whole body
// is one chapter. What comes before the first chapter heading becomes the
// work's notes (or a first chapter when longer than notes may be).

func parseHTML(data []byte) (*Work, error) {
	doc, err := parseHTMLDoc(data)
	if err != nil {
		return nil, err
	}
	w := &Work{}
	for _, m := range findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Meta }) {
		switch strings.ToLower(attr(m, "name")) {
		case "author":
			w.Byline = splitList(attr(m, "content"))
		case "description":
			w.Summary = html.EscapeString(strings.TrimSpace(attr(m, "content")))
		}
	}
	if h := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Html }); h != nil {
		w.Language = mapLanguage(attr(h, "lang"))
	}
	if t := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Title }); t != nil {
		w.Title = textOf(t)
	}
	body := bodyOf(doc)
	for _, n := range findAll(body, func(n *html.Node) bool {
		return n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Nav || n.DataAtom == atom.Template
	}) {
		detach(n)
	}
	h1s := findAll(body, func(n *html.Node) bool { return n.DataAtom == atom.H1 })
	h2s := findAll(body, func(n *html.Node) bool { return n.DataAtom == atom.H2 })
	split := atom.Atom(0)
	switch {
	case len(h1s) == 1:
		if w.Title == "" {
			w.Title = textOf(h1s[0])
		}
		detach(h1s[0])
		if len(h2s) > 0 {
			split = atom.H2
		}
	case len(h1s) > 1:
		split = atom.H1
	case len(h2s) > 0:
		split = atom.H2
	}
	s := &htmlSplitter{split: split}
	s.emit(body, 0)
	s.flush()
	w.Chapters = s.chapters
	if s.lead != "" {
		if text.CountChars(text.Render(s.lead, text.FormatHTML)) <= archive.MaxNotesLength {
			w.Notes = s.lead
		} else {
			w.Chapters = append([]Chapter{{Body: s.lead}}, w.Chapters...)
		}
	}
	return w, nil
}

type htmlSplitter struct {
	split    atom.Atom
	chapters []Chapter
	lead     string // content before the first heading
	started  bool
	title    string
	buf      bytes.Buffer
}

func (s *htmlSplitter) flush() {
	body := strings.TrimSpace(s.buf.String())
	s.buf.Reset()
	if !s.started {
		if hasText(body) {
			s.lead = body
		}
		return
	}
	if hasText(body) {
		s.chapters = append(s.chapters, Chapter{Title: s.title, Body: body})
	}
}

func hasText(h string) bool {
	return strings.TrimSpace(text.PlainText(h)) != "" || strings.Contains(h, "<img")
}

func (s *htmlSplitter) emit(n *html.Node, depth int) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if s.split != 0 && c.Type == html.ElementNode && depth < maxDepth {
			if c.DataAtom == s.split {
				s.flush()
				s.started = true
				s.title = chapterTitle(textOf(c))
				continue
			}
			if find(c, func(x *html.Node) bool { return x.DataAtom == s.split }) != nil {
				s.emit(c, depth+1)
				continue
			}
		}
		html.Render(&s.buf, c)
	}
	if depth == 0 && s.split == 0 {
		s.started = true
	}
}
