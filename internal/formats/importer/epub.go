package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// An EPUB is read through its package document: the spine gives the
// content documents in reading order. A book with an AO3-shaped preface
// (AO3's downloads, and Quire's own) is read as one AO3 document made of
// the spine's bodies; any other book makes one chapter of each content
// document that has text, titled by its first heading.

type opfPackage struct {
	Metadata struct {
		Titles       []string `xml:"title"`
		Creators     []string `xml:"creator"`
		Languages    []string `xml:"language"`
		Descriptions []string `xml:"description"`
		Subjects     []string `xml:"subject"`
		Dates        []string `xml:"date"`
	} `xml:"metadata"`
	Manifest []struct {
		ID         string `xml:"id,attr"`
		Href       string `xml:"href,attr"`
		MediaType  string `xml:"media-type,attr"`
		Properties string `xml:"properties,attr"`
	} `xml:"manifest>item"`
	Spine []struct {
		IDRef  string `xml:"idref,attr"`
		Linear string `xml:"linear,attr"`
	} `xml:"spine>itemref"`
}

type container struct {
	Rootfiles []struct {
		FullPath string `xml:"full-path,attr"`
	} `xml:"rootfiles>rootfile"`
}

// zipBook reads entries of a zip within a total inflation budget.
type zipBook struct {
	files  map[string]*zip.File
	budget int64
}

func (z *zipBook) read(name string) ([]byte, error) {
	f := z.files[name]
	if f == nil {
		return nil, fmt.Errorf("the EPUB has no %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("the EPUB's %s: %w", name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, z.budget+1))
	if err != nil {
		return nil, fmt.Errorf("the EPUB's %s: %w", name, err)
	}
	if int64(len(data)) > z.budget {
		return nil, fmt.Errorf("the EPUB unpacks to more than %d MiB", maxUnzipped>>20)
	}
	z.budget -= int64(len(data))
	return data, nil
}

type spineDoc struct {
	href   string
	id     string
	nav    bool
	linear bool // linear="no" marks auxiliary content (notes, answers)
	doc    *html.Node
}

func parseEPUB(data []byte) (*Work, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, errors.New("not an EPUB: the file is not a zip archive")
	}
	if len(zr.File) > maxEntries {
		return nil, fmt.Errorf("not an EPUB: more than %d files inside", maxEntries)
	}
	z := &zipBook{files: map[string]*zip.File{}, budget: maxUnzipped}
	for _, f := range zr.File {
		z.files[f.Name] = f
	}
	opfPath := ""
	if raw, err := z.read("META-INF/container.xml"); err == nil {
		var c container
		if xml.Unmarshal(raw, &c) == nil && len(c.Rootfiles) > 0 {
			opfPath = c.Rootfiles[0].FullPath
		}
	}
	if z.files[opfPath] == nil {
		opfPath = ""
		for _, f := range zr.File {
			if strings.HasSuffix(strings.ToLower(f.Name), ".opf") {
				opfPath = f.Name
				break
			}
		}
	}
	if opfPath == "" {
		return nil, errors.New("not an EPUB: no package document (content.opf)")
	}
	raw, err := z.read(opfPath)
	if err != nil {
		return nil, err
	}
	var pkg opfPackage
	if err := xml.Unmarshal(raw, &pkg); err != nil {
		return nil, fmt.Errorf("not an EPUB: the package document is not valid XML: %v", err)
	}
	dir := path.Dir(opfPath)
	items := map[string]int{}
	for i, it := range pkg.Manifest {
		if _, ok := items[it.ID]; !ok && it.ID != "" {
			items[it.ID] = i
		}
	}
	if len(pkg.Spine) > maxEntries {
		return nil, fmt.Errorf("not an EPUB: more than %d documents in the spine", maxEntries)
	}
	var docs []spineDoc
	for _, ref := range pkg.Spine {
		if i, ok := items[ref.IDRef]; ok {
			it := pkg.Manifest[i]
			href, err := url.PathUnescape(it.Href)
			if err != nil {
				href = it.Href
			}
			name := path.Join(dir, href)
			if i := strings.IndexByte(name, '#'); i >= 0 {
				name = name[:i]
			}
			raw, err := z.read(name)
			if err != nil {
				return nil, err
			}
			doc, err := parseHTMLDoc(raw)
			if err != nil {
				return nil, fmt.Errorf("the EPUB's %s: %w", name, err)
			}
			docs = append(docs, spineDoc{href: name, id: it.ID, nav: strings.Contains(it.Properties, "nav"),
				linear: strings.TrimSpace(ref.Linear) != "no", doc: doc})
		}
	}
	if len(docs) == 0 {
		return nil, errors.New("the EPUB's spine names no content documents")
	}
	var w *Work
	ao3 := false
	for _, d := range docs {
		if looksLikeAO3(d.doc) {
			ao3 = true
			break
		}
	}
	if ao3 {
		joined := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
		for _, d := range docs {
			if d.nav || !d.linear {
				continue
			}
			body := bodyOf(d.doc)
			for c := body.FirstChild; c != nil; {
				next := c.NextSibling
				body.RemoveChild(c)
				joined.AppendChild(c)
				c = next
			}
		}
		w = parseAO3Tree(joined)
		linkChapters(w.Chapters, make([]string, len(w.Chapters)), nil)
	} else {
		// The reading order is the linear documents; a non-linear one
		// (notes, answers) joins the end only when the text links to it.
		linked := map[string]bool{}
		for _, d := range docs {
			if d.linear && !d.nav {
				for _, p := range linkedFiles(d) {
					linked[p] = true
				}
			}
		}
		w = &Work{}
		var files []string
		fileChapter := map[string]int{}
		add := func(d spineDoc) {
			if c, ok := chapterOfDoc(d.doc); ok {
				fileChapter[d.href] = len(w.Chapters)
				files = append(files, d.href)
				w.Chapters = append(w.Chapters, c)
			}
		}
		for _, d := range docs {
			if d.linear && !d.nav && !isFrontMatter(d) {
				add(d)
			}
		}
		for _, d := range docs {
			if !d.linear && !d.nav && linked[d.href] {
				add(d)
			}
		}
		linkChapters(w.Chapters, files, fileChapter)
	}
	// What the package says fills what the pages did not.
	md := pkg.Metadata
	if w.Title == "" && len(md.Titles) > 0 {
		w.Title = strings.Join(strings.Fields(md.Titles[0]), " ")
	}
	if len(w.Byline) == 0 {
		for _, c := range md.Creators {
			if c = strings.TrimSpace(c); c != "" {
				w.Byline = append(w.Byline, c)
			}
		}
	}
	if w.Language == "" && len(md.Languages) > 0 {
		w.Language = mapLanguage(md.Languages[0])
	}
	if w.Summary == "" && len(md.Descriptions) > 0 && !ao3 {
		w.Summary = strings.TrimSpace(md.Descriptions[0])
	}
	if !ao3 {
		// A subject is one tag, commas and all ("Holmes, Sherlock
		// (Fictitious character) -- Fiction").
		// A tag may not hold a comma, so its commas become semicolons,
		// as eFiction's names do.
		for _, s := range md.Subjects {
			if s = subjectComma.Replace(strings.Join(strings.Fields(s), " ")); s != "" {
				w.Freeforms = append(w.Freeforms, s)
			}
		}
		for _, d := range md.Dates {
			if t := parseDate(d); !t.IsZero() {
				w.Published = t
				break
			}
		}
	}
	return w, nil
}

var subjectComma = strings.NewReplacer(",", ";", "，", ";", "、", ";")

// linkedFiles are the documents of the book a document links to, by
// their path inside the book.
func linkedFiles(d spineDoc) []string {
	var out []string
	for _, a := range findAll(d.doc, func(n *html.Node) bool { return n.DataAtom == atom.A }) {
		u, err := url.Parse(strings.TrimSpace(attr(a, "href")))
		if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
			continue
		}
		p, err := url.PathUnescape(u.Path)
		if err != nil {
			p = u.Path
		}
		if !strings.HasPrefix(p, "/") {
			p = path.Join(path.Dir(d.href), p)
		}
		out = append(out, strings.TrimPrefix(path.Clean(p), "/"))
	}
	return out
}

// isFrontMatter spots cover, title and contents pages by name.
func isFrontMatter(d spineDoc) bool {
	name := strings.ToLower(path.Base(d.href) + " " + d.id)
	for _, s := range []string{"cover", "titlepage", "title_page", "title-page", "toc", "contents", "copyright"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// chapterOfDoc makes a chapter of one content document: its first heading
// is the title, the rest the body; false when it has no text.
func chapterOfDoc(doc *html.Node) (Chapter, bool) {
	body := bodyOf(doc)
	for _, n := range findAll(body, func(n *html.Node) bool {
		return n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Nav
	}) {
		detach(n)
	}
	var c Chapter
	if h := find(body, func(n *html.Node) bool {
		return n.DataAtom == atom.H1 || n.DataAtom == atom.H2 || n.DataAtom == atom.H3
	}); h != nil {
		c.Title = chapterTitle(textOf(h))
		detach(h)
	}
	if textOf(body) == "" && find(body, func(n *html.Node) bool { return n.DataAtom == atom.Img }) == nil {
		return c, false
	}
	c.Body = innerHTML(body)
	return c, true
}
