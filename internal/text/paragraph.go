package text

import (
	"strings"

	"golang.org/x/net/html"
)

// blockElems are the allowed block-level elements. Content inside them is
// left exactly as written.
var blockElems = setOf(
	"p", "div", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
	"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
	"pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
	"details", "summary", "figure", "figcaption", "center",
)

// voidBlocks never have content or an end tag.
var voidBlocks = setOf("hr", "col")

// inlineElems are allowed phrasing elements: they start a paragraph when
// they appear at top level. Unknown tags (which the sanitizer strips but
// whose text it keeps) are transparent and start nothing on their own.
var inlineElems = setOf(
	"a", "abbr", "acronym", "b", "big", "br", "cite", "code", "del", "em", "i",
	"img", "ins", "kbd", "q", "ruby", "rp", "rt", "s", "samp", "small", "span",
	"strike", "strong", "sub", "sup", "u", "var",
)

// tableInternal elements do not implicitly close an open <p>.
var tableInternal = setOf("caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td")

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// paragraphs adds paragraph structure to top-level content: every run of
// text and inline markup outside a block element is wrapped in <p>; blank
// lines inside such a run start a new paragraph and single newlines become
// <br>. Block elements and everything inside them are copied unchanged, as
// is the content of elements the sanitizer removes wholesale.
//
// It works on the tokenizer's raw bytes and only ever inserts <p>, </p> and
// <br> between tokens, so it cannot change how the rest is parsed in any
// way that matters: the result is sanitized afterwards regardless.
func paragraphs(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s) + len(s)/8 + 16)

	var (
		stack   []string           // open block elements
		open    = map[string]int{} // how many of each name are on stack
		skip    int                // depth inside skip-content elements
		inPara  bool               // a <p> we inserted is open
		newline int                // newlines seen since the last content
		lastBr  bool               // last content was a <br>
		ws      []byte             // top-level whitespace not yet written
	)
	// flushWS writes pending whitespace; markup we insert goes before it so
	// that "a\n\nb" becomes "<p>a</p>\n\n<p>b</p>" rather than "<p>a\n\n</p><p>b</p>".
	flushWS := func() {
		b.Write(ws)
		ws = ws[:0]
	}
	content := func() {
		switch {
		case !inPara:
			flushWS()
			b.WriteString("<p>")
			inPara = true
		case newline >= 2:
			b.WriteString("</p>")
			flushWS()
			b.WriteString("<p>")
		case newline == 1 && !lastBr:
			b.WriteString("<br>")
		}
		flushWS()
		newline = 0
		lastBr = false
	}
	closePara := func() {
		if inPara {
			b.WriteString("</p>")
			inPara = false
		}
		flushWS()
		newline = 0
		lastBr = false
	}
	push := func(name string) {
		stack = append(stack, name)
		open[name]++
	}
	pop := func() {
		open[stack[len(stack)-1]]--
		stack = stack[:len(stack)-1]
	}
	// popTo closes name and everything opened after it. The count check
	// keeps stray end tags from costing a scan of a deep stack each.
	popTo := func(name string) bool {
		if open[name] == 0 {
			return false
		}
		for len(stack) > 0 {
			top := stack[len(stack)-1]
			pop()
			if top == name {
				return true
			}
		}
		return false
	}

	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		if skip > 0 {
			if tt == html.StartTagToken || tt == html.EndTagToken {
				b.Write(raw)
				name, _ := z.TagName()
				if skipContentSet[string(name)] {
					if tt == html.StartTagToken {
						skip++
					} else {
						skip--
					}
				}
				continue
			}
			b.Write(raw)
			continue
		}

		if tt != html.TextToken && len(ws) > 0 && !(tt == html.StartTagToken || tt == html.SelfClosingTagToken) {
			flushWS()
		}
		switch tt {
		case html.TextToken:
			if len(stack) > 0 {
				b.Write(raw)
				continue
			}
			writeText(&b, raw, content, &newline, &ws)

		case html.StartTagToken, html.SelfClosingTagToken:
			nameB, _ := z.TagName()
			name := string(nameB)
			switch {
			case skipContentSet[name]:
				flushWS()
				b.Write(raw)
				if tt == html.StartTagToken {
					skip++
				}
			case blockElems[name]:
				if len(stack) == 0 {
					closePara()
				} else {
					// Implicit end tags, enough to know when we are back
					// at top level.
					top := stack[len(stack)-1]
					switch {
					case top == "p" && !tableInternal[name]:
						pop()
					case name == "li" && top == "li",
						(name == "dt" || name == "dd") && (top == "dt" || top == "dd"):
						pop()
					}
				}
				b.Write(raw)
				if !voidBlocks[name] {
					push(name)
				}
			case inlineElems[name]:
				if len(stack) == 0 {
					content()
					lastBr = name == "br"
				}
				b.Write(raw)
			default:
				flushWS()
				b.Write(raw)
			}

		case html.EndTagToken:
			nameB, _ := z.TagName()
			name := string(nameB)
			if blockElems[name] {
				if len(stack) == 0 {
					continue // stray end tag: drop it
				}
				b.Write(raw)
				if popTo(name) && len(stack) == 0 {
					inPara = false
					newline = 0
					lastBr = false
				}
				continue
			}
			b.Write(raw)

		default: // comments, doctypes
			b.Write(raw)
		}
	}
	// Whatever the tokenizer could not make a token of is still in the
	// buffer; it is harmless to pass it on to the sanitizer.
	if len(stack) == 0 && skip == 0 && inPara {
		b.WriteString("</p>")
	}
	flushWS()
	return b.String()
}

// writeText writes a top-level text token, inserting paragraph structure.
func writeText(b *strings.Builder, raw []byte, content func(), newline *int, ws *[]byte) {
	for len(raw) > 0 {
		// Whitespace run.
		i := 0
		for i < len(raw) && isHTMLSpace(raw[i]) {
			if raw[i] == '\n' {
				*newline++
			}
			i++
		}
		*ws = append(*ws, raw[:i]...)
		raw = raw[i:]
		// Content run.
		j := 0
		for j < len(raw) && !isHTMLSpace(raw[j]) {
			j++
		}
		if j > 0 {
			content()
			b.Write(raw[:j])
			raw = raw[j:]
		}
	}
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}
