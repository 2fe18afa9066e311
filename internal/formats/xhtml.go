package formats

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"quire/internal/text"
)

// The archive stores sanitized HTML; EPUB needs XHTML that an XML parser
// accepts and that the EPUB content model allows. writer re-serializes the
// parsed HTML itself: void elements self-closed, attributes quoted,
// characters that XML forbids dropped, obsolete elements mapped to their
// modern forms, block elements where only phrasing is allowed turned into
// spans, and remote images turned into their alt text with a link (an
// EPUB must not load remote resources) unless the book carries them (see
// ImageFetcher). The same output is valid HTML, so
// the single-file download uses it too.
type writer struct {
	b      strings.Builder
	xhtml  bool        // write xml:lang beside lang
	base   *url.URL    // resolves relative links (the work's URL)
	images *bookImages // remote images the book carries (nil: none)
	book   *book       // resolves links inside the book (nil: none do)
	file   string      // the EPUB file being written ("" in one HTML file)
	ids    map[string]bool
}

// phrasing elements hold only phrasing content; a block inside one becomes
// a span.
var phrasingOnly = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"pre": true, "em": true, "i": true, "strong": true, "b": true, "u": true, "s": true,
	"sub": true, "sup": true, "small": true, "q": true, "cite": true, "abbr": true,
	"code": true, "kbd": true, "samp": true, "var": true, "span": true, "summary": true,
	"ruby": true, "rt": true, "rp": true, "dt": true,
}

// blockElems are the flow-only elements the sanitizer lets through.
var blockElems = map[string]bool{
	"p": true, "div": true, "blockquote": true, "pre": true, "hr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "ol": true, "li": true, "dl": true, "dt": true, "dd": true,
	"details": true, "summary": true, "figure": true, "figcaption": true,
	"table": true, "caption": true, "colgroup": true, "col": true, "thead": true,
	"tbody": true, "tfoot": true, "tr": true, "th": true, "td": true,
}

// keep are the elements written as they are (after renames).
var keep = map[string]bool{
	"p": true, "br": true, "em": true, "i": true, "strong": true, "b": true, "u": true,
	"s": true, "del": true, "ins": true, "sub": true, "sup": true, "small": true,
	"blockquote": true, "q": true, "cite": true, "abbr": true, "code": true, "pre": true,
	"kbd": true, "samp": true, "var": true, "hr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "ol": true, "li": true, "dl": true, "dt": true, "dd": true,
	"details": true, "summary": true, "ruby": true, "rt": true, "rp": true,
	"figure": true, "figcaption": true, "table": true, "caption": true, "colgroup": true,
	"col": true, "thead": true, "tbody": true, "tfoot": true, "tr": true, "th": true,
	"td": true, "span": true, "div": true, "a": true,
}

// renamed maps obsolete elements to a kept one and a class that styles it.
var renamed = map[string][2]string{
	"center":  {"div", "center"},
	"big":     {"span", "big"},
	"strike":  {"s", ""},
	"acronym": {"abbr", ""},
	"tt":      {"code", ""},
	"font":    {"span", ""},
}

var skipped = map[string]bool{"script": true, "style": true, "iframe": true, "object": true, "template": true, "svg": true, "math": true, "head": true, "title": true}

// ctx is where a node is written.
type ctx struct {
	phrasing bool // only phrasing content allowed
	inLink   bool // inside <a>: no nested links or interactive elements
}

// rich writes sanitized HTML as XHTML.
func (w *writer) rich(h string) {
	if strings.TrimSpace(h) == "" {
		return
	}
	body := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(h), body)
	if err != nil {
		w.text(h)
		return
	}
	for _, n := range nodes {
		w.node(n, ctx{})
	}
}

func (w *writer) nodes(parent *html.Node, c ctx) {
	for n := parent.FirstChild; n != nil; n = n.NextSibling {
		w.node(n, c)
	}
}

func (w *writer) node(n *html.Node, c ctx) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
	default:
		return
	}
	name := n.Data
	if n.Namespace != "" || skipped[name] {
		return
	}
	class := ""
	if r, ok := renamed[name]; ok {
		name, class = r[0], r[1]
	}
	if name == "img" {
		w.image(n, c)
		return
	}
	if name == "br" {
		w.b.WriteString("<br/>")
		return
	}
	if !keep[name] {
		w.nodes(n, c) // unknown element: keep its content
		return
	}
	attrs := w.attrs(n, name)
	if class != "" {
		attrs = addClass(attrs, class)
	}
	// Where only phrasing is allowed, a block element becomes a span that
	// remembers what it was; a rule has nothing to keep.
	if blockElems[name] && (c.phrasing || (c.inLink && (name == "details" || name == "summary"))) {
		if name == "hr" || name == "col" || name == "colgroup" {
			return
		}
		attrs = addClass(keepGlobal(attrs), name)
		name = "span"
	}
	if name == "a" {
		if c.inLink || attrValue(attrs, "href") == "" {
			w.nodes(n, c)
			return
		}
	}
	// Parents with a fixed content model.
	switch name {
	case "li":
		if p := n.Parent; p == nil || (p.Data != "ul" && p.Data != "ol") {
			name = "div"
			attrs = addClass(attrs, "li")
		}
	case "dt", "dd":
		if p := n.Parent; p == nil || p.Data != "dl" {
			name = "div"
			attrs = addClass(attrs, n.Data)
		}
	case "summary":
		if p := n.Parent; p == nil || p.Data != "details" || firstElement(p) != n {
			name = "div"
			attrs = addClass(attrs, "summary")
		}
	}
	w.open(name, attrs)
	inner := c
	if phrasingOnly[name] {
		inner.phrasing = true
	}
	if name == "a" {
		inner.inLink = true
	}
	switch name {
	case "hr", "col":
		w.b.WriteString("/>")
		return
	case "ul", "ol":
		w.b.WriteByte('>')
		w.listItems(n, inner)
	case "dl":
		w.b.WriteByte('>')
		w.definitions(n, inner)
	case "details":
		w.b.WriteByte('>')
		if f := firstElement(n); f == nil || f.Data != "summary" {
			w.b.WriteString("<summary>Details</summary>")
		}
		w.nodes(n, inner)
	case "colgroup":
		w.b.WriteByte('>')
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			if k.Type == html.ElementNode && k.Data == "col" {
				w.node(k, inner)
			}
		}
	case "table", "thead", "tbody", "tfoot", "tr":
		// The HTML parser already put rows and cells where they belong;
		// stray text here is whitespace or nothing XHTML allows.
		w.b.WriteByte('>')
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			if k.Type == html.ElementNode {
				w.node(k, inner)
			}
		}
	default:
		w.b.WriteByte('>')
		w.nodes(n, inner)
	}
	w.b.WriteString("</" + name + ">")
}

// listItems writes a list's children, wrapping anything that is not an
// item in one.
func (w *writer) listItems(n *html.Node, c ctx) {
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		switch {
		case k.Type == html.ElementNode && k.Data == "li":
			w.node(k, c)
		case k.Type == html.TextNode && strings.TrimSpace(k.Data) == "":
			w.text(k.Data)
		case k.Type == html.TextNode || k.Type == html.ElementNode:
			w.b.WriteString("<li>")
			w.node(k, c)
			w.b.WriteString("</li>")
		}
	}
}

// definitions writes a dl as groups of dt followed by dd, filling in an
// empty term or description where the source skipped one.
func (w *writer) definitions(n *html.Node, c ctx) {
	state := 0 // 0: a group may start; 1: after dt; 2: after dd
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		switch {
		case k.Type == html.ElementNode && k.Data == "dt":
			state = 1
			w.node(k, c)
		case k.Type == html.ElementNode && k.Data == "dd":
			if state == 0 {
				w.b.WriteString("<dt></dt>")
			}
			state = 2
			w.node(k, c)
		case k.Type == html.TextNode && strings.TrimSpace(k.Data) == "":
			w.text(k.Data)
		case k.Type == html.TextNode || k.Type == html.ElementNode:
			if state == 0 {
				w.b.WriteString("<dt></dt>")
			}
			state = 2
			w.b.WriteString("<dd>")
			w.node(k, c)
			w.b.WriteString("</dd>")
		}
	}
	if state == 1 {
		w.b.WriteString("<dd></dd>")
	}
}

// image writes a remote image as its alt text linked to the image, or,
// when the book carries the image, as an image of the book's own file.
func (w *writer) image(n *html.Node, c ctx) {
	alt, src := "", ""
	for _, a := range n.Attr {
		switch a.Key {
		case "alt":
			alt = strings.TrimSpace(a.Val)
		case "src":
			src = w.link(a.Val)
		}
	}
	if w.images != nil && (strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://")) {
		if e := w.images.embedded[src]; e != nil {
			w.open("img", []html.Attribute{{Key: "src", Val: e.href}, {Key: "alt", Val: alt}})
			w.b.WriteString("/>")
			return
		}
		w.images.note(src)
	}
	label := "[Image]"
	if alt != "" {
		label = "[Image: " + alt + "]"
	}
	if src == "" || c.inLink {
		w.text(label)
		return
	}
	w.open("a", []html.Attribute{{Key: "class", Val: "remote-image"}, {Key: "href", Val: src}})
	w.b.WriteByte('>')
	w.text(label)
	w.b.WriteString("</a>")
}

// attrs keeps the attributes EPUB's XHTML allows on the element, with
// values normalised.
func (w *writer) attrs(n *html.Node, name string) []html.Attribute {
	var out []html.Attribute
	var class string
	for _, a := range n.Attr {
		if a.Namespace != "" {
			continue
		}
		v := strings.TrimSpace(a.Val)
		switch a.Key {
		case "dir":
			v = strings.ToLower(v)
			if v == "ltr" || v == "rtl" || v == "auto" {
				out = append(out, html.Attribute{Key: "dir", Val: v})
			}
		case "lang":
			if v != "" {
				out = append(out, html.Attribute{Key: "lang", Val: v})
			}
		case "title":
			out = append(out, html.Attribute{Key: "title", Val: a.Val})
		case "id":
			// A note's anchor; an id twice in one document is kept once.
			if text.UserID.MatchString(v) && !w.ids[v] && w.ids != nil {
				w.ids[v] = true
				out = append(out, html.Attribute{Key: "id", Val: v})
			}
		case "align":
			// Obsolete in HTML5: a class carries it instead.
			switch v = strings.ToLower(v); v {
			case "left", "right", "center", "justify":
				class = "align-" + v
			}
		case "href":
			if name == "a" {
				if u := w.link(a.Val); u != "" {
					out = append(out, html.Attribute{Key: "href", Val: u})
				}
			}
		case "cite":
			if name == "blockquote" || name == "q" {
				if u := w.link(a.Val); u != "" && !strings.HasPrefix(u, "mailto:") {
					out = append(out, html.Attribute{Key: "cite", Val: u})
				}
			}
		case "start":
			if name == "ol" && isInt(v, true) {
				out = append(out, html.Attribute{Key: "start", Val: v})
			}
		case "type":
			if name == "ol" && len(v) == 1 && strings.Contains("1aAiI", v) {
				out = append(out, html.Attribute{Key: "type", Val: v})
			}
		case "reversed":
			if name == "ol" {
				out = append(out, html.Attribute{Key: "reversed", Val: "reversed"})
			}
		case "open":
			if name == "details" {
				out = append(out, html.Attribute{Key: "open", Val: "open"})
			}
		case "span":
			if (name == "col" || name == "colgroup") && isInt(v, false) && v != "0" {
				out = append(out, html.Attribute{Key: "span", Val: v})
			}
		case "colspan", "rowspan":
			if (name == "td" || name == "th") && isInt(v, false) && (v != "0" || a.Key == "rowspan") {
				out = append(out, html.Attribute{Key: a.Key, Val: v})
			}
		case "scope":
			if name == "th" {
				switch v = strings.ToLower(v); v {
				case "row", "col", "rowgroup", "colgroup":
					out = append(out, html.Attribute{Key: "scope", Val: v})
				}
			}
		}
	}
	if class != "" {
		out = addClass(out, class)
	}
	return out
}

// keepGlobal drops the attributes only the original element allowed.
func keepGlobal(attrs []html.Attribute) []html.Attribute {
	out := attrs[:0:0]
	for _, a := range attrs {
		switch a.Key {
		case "dir", "lang", "title", "class", "id":
			out = append(out, a)
		}
	}
	return out
}

func addClass(attrs []html.Attribute, class string) []html.Attribute {
	for i, a := range attrs {
		if a.Key == "class" {
			attrs[i].Val = a.Val + " " + class
			return attrs
		}
	}
	return append(attrs, html.Attribute{Key: "class", Val: class})
}

func attrValue(attrs []html.Attribute, key string) string {
	for _, a := range attrs {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func firstElement(n *html.Node) *html.Node {
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		if k.Type == html.ElementNode {
			return k
		}
		if k.Type == html.TextNode && strings.TrimSpace(k.Data) != "" {
			return nil
		}
	}
	return nil
}

func isInt(s string, signed bool) bool {
	if signed && strings.HasPrefix(s, "-") {
		s = s[1:]
	}
	if s == "" || len(s) > 9 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// link resolves a URL against the work's URL and keeps it only when it
// leads off the book (http, https, mailto): relative and fragment links
// would point at files the book does not have.
func (w *writer) link(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	if strings.HasPrefix(raw, "#") {
		if w.book == nil {
			return ""
		}
		return w.local(w.book.inBook(w.xhtml, raw[1:], -1))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if w.base != nil {
		u = w.base.ResolveReference(u)
		// A link to one of the work's chapters stays in the book.
		if w.book != nil && strings.EqualFold(u.Host, w.base.Host) {
			if k := w.book.chapterAt(u.Path); k >= 0 {
				return w.local(w.book.inBook(w.xhtml, u.Fragment, k))
			}
		}
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return ""
		}
	case "mailto":
	default:
		return ""
	}
	return u.String()
}

// local shortens a link into the book to a fragment when it leads into
// the file being written.
func (w *writer) local(to string) string {
	if w.file != "" && strings.HasPrefix(to, w.file+"#") {
		return to[len(w.file):]
	}
	return to
}

// open writes "<name attrs" (the caller closes the tag).
func (w *writer) open(name string, attrs []html.Attribute) {
	w.b.WriteString("<" + name)
	for _, a := range attrs {
		w.attr(a.Key, a.Val)
		if a.Key == "lang" && w.xhtml {
			w.attr("xml:lang", a.Val)
		}
	}
}

func (w *writer) attr(key, val string) {
	w.b.WriteString(" " + key + `="`)
	w.escape(val, true)
	w.b.WriteByte('"')
}

// tag writes a whole element with text content.
func (w *writer) tag(name, class, text string) {
	if class != "" {
		w.b.WriteString("<" + name + ` class="` + class + `">`)
	} else {
		w.b.WriteString("<" + name + ">")
	}
	w.text(text)
	w.b.WriteString("</" + name + ">")
}

func (w *writer) raw(s string) { w.b.WriteString(s) }

func (w *writer) text(s string) { w.escape(s, false) }

// escape writes s as XML character data: markup characters escaped, the
// no-break space numeric (XML has no &nbsp;), and characters XML 1.0
// forbids (controls, U+FFFE, U+FFFF) left out.
func (w *writer) escape(s string, attr bool) {
	for _, r := range s {
		switch {
		case r == '&':
			w.b.WriteString("&amp;")
		case r == '<':
			w.b.WriteString("&lt;")
		case r == '>':
			w.b.WriteString("&gt;")
		case r == '"' && attr:
			w.b.WriteString("&quot;")
		case r == '\u00a0':
			w.b.WriteString("&#160;")
		case (r == '\n' || r == '\t' || r == '\r') && attr:
			w.b.WriteString(" ")
		case r == '\n' || r == '\t':
			w.b.WriteRune(r)
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f, r == 0xfffe, r == 0xffff:
		default:
			w.b.WriteRune(r)
		}
	}
}
