package importer

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"quire/internal/text"
)

// A book's footnotes and cross references are links to ids: "#note-3" in
// the same file, "notes.xhtml#note-3" or "chapter2.xhtml" elsewhere in the
// book. The archive keeps only ids in the user-content namespace (see
// text.UserID), so linkChapters renames every id of chapter N to
// "uc-cN-<id>" — unique across the work, so a full-work page and the HTML
// download can hold every chapter at once — and points each internal link
// at the renamed id: "#uc-cN-<id>", or "#uc-cN" for a link to a whole
// chapter. Once the chapters have ids of their own, the store turns a
// link into another chapter into that chapter's page
// (archive.LinkChapters). A link to a file of the book that did not become
// a chapter (a cover, an image, a page left out) has nowhere to go and
// becomes its text.

// linkChapters rewrites the chapters' bodies in place. files[i] is the
// path inside the book of the document chapter i came from ("" when not
// known); fileChapter maps a document's path to its chapter. With files
// nil (an HTML or AO3 download: one document), only fragment links are
// resolved and other relative links are kept as written.
func linkChapters(chs []Chapter, files []string, fileChapter map[string]int) {
	if len(chs) == 0 {
		return
	}
	type parsed struct {
		root *html.Node
		ids  map[string]bool
	}
	docs := make([]parsed, len(chs))
	global := map[string]int{} // an id → the first chapter that has it
	any := false
	for i := range chs {
		b := chs[i].Body
		if !strings.Contains(b, "id=") && !strings.Contains(b, "name=") && !strings.Contains(b, "href") {
			continue
		}
		root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
		nodes, err := html.ParseFragment(strings.NewReader(b), root)
		if err != nil {
			continue
		}
		for _, n := range nodes {
			root.AppendChild(n)
		}
		p := parsed{root: root, ids: map[string]bool{}}
		walkElements(root, func(n *html.Node) {
			id := anchorName(n)
			if id == "" {
				return
			}
			p.ids[id] = true
			if _, ok := global[id]; !ok {
				global[id] = i
			}
		})
		docs[i] = p
		any = true
	}
	if !any {
		return
	}
	target := func(i int, href string) (string, bool) {
		u, err := url.Parse(strings.TrimSpace(href))
		if err != nil {
			return "", false
		}
		if u.Scheme != "" || u.Host != "" {
			return href, true // off the book: kept
		}
		frag := cleanID(u.Fragment)
		if u.Path == "" {
			if frag == "" {
				return "", false
			}
			if docs[i].ids[frag] {
				return "#uc-c" + strconv.Itoa(i+1) + "-" + frag, true
			}
			if m, ok := global[frag]; ok {
				return "#uc-c" + strconv.Itoa(m+1) + "-" + frag, true
			}
			return "", false
		}
		if files == nil {
			return href, true
		}
		p, err := url.PathUnescape(u.Path)
		if err != nil {
			p = u.Path
		}
		if !strings.HasPrefix(p, "/") && files[i] != "" {
			p = path.Join(path.Dir(files[i]), p)
		}
		p = strings.TrimPrefix(path.Clean(p), "/")
		m, ok := fileChapter[p]
		if !ok {
			// A file that did not become a chapter of its own (AO3's
			// books are read whole); its id may still be in the text.
			if m, ok := global[frag]; ok && frag != "" {
				return "#uc-c" + strconv.Itoa(m+1) + "-" + frag, true
			}
			return "", false
		}
		if frag == "" {
			return "#uc-c" + strconv.Itoa(m+1), true
		}
		if docs[m].ids[frag] {
			return "#uc-c" + strconv.Itoa(m+1) + "-" + frag, true
		}
		return "#uc-c" + strconv.Itoa(m+1), true
	}
	for i := range chs {
		root := docs[i].root
		if root == nil {
			continue
		}
		prefix := "uc-c" + strconv.Itoa(i+1) + "-"
		seen := map[string]bool{}
		var unwrap []*html.Node
		walkElements(root, func(n *html.Node) {
			id := anchorName(n)
			var attrs []html.Attribute
			for _, a := range n.Attr {
				switch {
				case a.Namespace == "" && (a.Key == "id" || a.Key == "name" && n.DataAtom == atom.A):
					continue
				case a.Namespace == "" && a.Key == "href" && n.DataAtom == atom.A:
					t, ok := target(i, a.Val)
					if !ok {
						continue
					}
					a.Val = t
				}
				attrs = append(attrs, a)
			}
			if id != "" && !seen[id] {
				seen[id] = true
				attrs = append(attrs, html.Attribute{Key: "id", Val: prefix + id})
			}
			n.Attr = attrs
			if n.DataAtom == atom.A && attr(n, "href") == "" && attr(n, "id") == "" {
				unwrap = append(unwrap, n)
			}
		})
		for _, n := range unwrap {
			for c := n.FirstChild; c != nil; {
				next := c.NextSibling
				n.RemoveChild(c)
				n.Parent.InsertBefore(c, n)
				c = next
			}
			detach(n)
		}
		chs[i].Body = innerHTML(root)
	}
}

// anchorName is the id an element can be linked to by (its id, or an
// old <a name>), cleaned; "" for none.
func anchorName(n *html.Node) string {
	if id := cleanID(attr(n, "id")); id != "" {
		return id
	}
	if n.DataAtom == atom.A {
		return cleanID(attr(n, "name"))
	}
	return ""
}

// cleanID keeps an id's letters, digits, '_', '.' and '-' (others become
// '-'), so that with its prefix it is an id the sanitizer keeps.
func cleanID(id string) string {
	id = strings.TrimSpace(id)
	if id == "" {
		return ""
	}
	var b strings.Builder
	for _, r := range id {
		if b.Len() >= 100 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	s := b.String()
	if !text.UserID.MatchString("uc-c1-" + s) {
		return ""
	}
	return s
}

// walkElements calls f on every element under root, in document order.
func walkElements(root *html.Node, f func(*html.Node)) {
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				f(c)
				walk(c, depth+1)
			}
		}
	}
	walk(root, 0)
}

// placeImages applies the one rule for images inside a file: the archive
// shows only images on the web (http and https), so an image the file
// carries itself (an EPUB's pictures, an HTML page's local files) becomes
// its description in brackets, "[Image: a lighthouse]" ("[Image]" without
// one), in every format, and the report counts them. A chapter of images
// only is kept with its descriptions; a file whose chapters hold nothing
// but images is refused, since nothing of it would be left.
func placeImages(w *Work) error {
	placed, textless := 0, 0
	for i := range w.Chapters {
		c := &w.Chapters[i]
		if strings.Contains(c.Body, "<img") || strings.Contains(c.Body, "<IMG") {
			root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
			nodes, err := html.ParseFragment(strings.NewReader(c.Body), root)
			if err == nil {
				for _, n := range nodes {
					root.AppendChild(n)
				}
				var local []*html.Node
				walkElements(root, func(n *html.Node) {
					if n.DataAtom == atom.Img && !webImage(attr(n, "src")) {
						local = append(local, n)
					}
				})
				before := strings.TrimSpace(textOf(root))
				for _, n := range local {
					label := "[Image]"
					if alt := strings.Join(strings.Fields(attr(n, "alt")), " "); alt != "" {
						label = "[Image: " + alt + "]"
					}
					n.Parent.InsertBefore(&html.Node{Type: html.TextNode, Data: label}, n)
					detach(n)
				}
				if len(local) > 0 {
					placed += len(local)
					if before == "" && find(root, func(n *html.Node) bool { return n.DataAtom == atom.Img }) == nil {
						textless++
					}
					c.Body = innerHTML(root)
				}
			}
		}
	}
	if placed == 0 {
		return nil
	}
	if textless == len(w.Chapters) {
		return errors.New("the file's pages are images with no text; the archive keeps text and links only to images on the web, so there is nothing to import")
	}
	w.Remarks = append(w.Remarks, fmt.Sprintf("%d image%s inside the file could not be kept (the archive shows only images on the web); each is now its description, [Image: …]", placed, plural(placed)))
	return nil
}

// webImage reports whether an image's source is on the web.
func webImage(src string) bool {
	u, err := url.Parse(strings.TrimSpace(src))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
