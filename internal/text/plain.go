package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/net/html"
)

// paraBreak elements are separated from their surroundings by a blank line
// in plain text; lineBreak elements by a newline; cellBreak by a space.
var (
	paraBreak = setOf("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
		"ul", "ol", "dl", "table", "hr", "figure", "details", "center")
	lineBreak = setOf("div", "li", "dt", "dd", "tr", "caption", "summary", "figcaption",
		"thead", "tbody", "tfoot", "address", "article", "aside", "section", "header",
		"footer", "nav", "main", "form", "fieldset", "legend", "body", "html")
	cellBreak = setOf("td", "th", "img")
)

// PlainText returns the text content of sanitized HTML (tags stripped,
// entities decoded, block elements separated by a newline/space so words
// don't merge). Whitespace outside <pre> is collapsed as a browser would.
// The content of elements the sanitizer removes wholesale (script, style,
// ...) is ignored, so unsanitized input is tolerated too.
func PlainText(h string) string {
	h = ValidUTF8(h)
	z := html.NewTokenizer(strings.NewReader(h))
	b := make([]byte, 0, len(h))
	skip, pre := 0, 0

	// ensure makes b end with at least n newlines (unless b is empty).
	ensure := func(n int) {
		if len(b) == 0 {
			return
		}
		// Drop trailing spaces first.
		for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
			b = b[:len(b)-1]
		}
		have := 0
		for i := len(b) - 1; i >= 0 && b[i] == '\n'; i-- {
			have++
		}
		for ; have < n; have++ {
			b = append(b, '\n')
		}
	}
	space := func() {
		if len(b) > 0 && b[len(b)-1] != ' ' && b[len(b)-1] != '\n' {
			b = append(b, ' ')
		}
	}

	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := z.Text()
			if pre > 0 {
				b = append(b, t...)
				continue
			}
			for len(t) > 0 {
				r, size := utf8.DecodeRune(t)
				t = t[size:]
				if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
					space()
					continue
				}
				b = utf8.AppendRune(b, r)
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			nameB, _ := z.TagName()
			name := string(nameB)
			if skipContentSet[name] {
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			}
			if skip > 0 {
				continue
			}
			if name == "pre" {
				if tt == html.StartTagToken {
					pre++
				} else if tt == html.EndTagToken && pre > 0 {
					pre--
				}
			}
			switch {
			case name == "br":
				for len(b) > 0 && b[len(b)-1] == ' ' {
					b = b[:len(b)-1]
				}
				b = append(b, '\n')
			case paraBreak[name]:
				ensure(2)
			case lineBreak[name]:
				ensure(1)
			case cellBreak[name]:
				space()
			}
		}
	}
	return strings.TrimSpace(tidyLines(string(b)))
}

// tidyLines trims trailing spaces on each line, removes leading spaces
// produced by collapsing, and allows at most one blank line in a row.
func tidyLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if strings.TrimSpace(l) == "" {
			blank++
			if blank > 1 {
				continue
			}
			l = ""
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// CountChars returns the number of Unicode code points of visible text in
// HTML (for the "≤ 1,250 characters of text" summary limit and similar;
// whitespace runs count as one).
func CountChars(h string) int {
	n := 0
	inSpace := false
	for _, r := range PlainText(h) {
		if unicode.IsSpace(r) {
			if !inSpace {
				n++
			}
			inSpace = true
			continue
		}
		inSpace = false
		n++
	}
	return n
}

// CountWords counts words of HTML's text as AO3 does: Unicode word
// segmentation (UAX #29 via github.com/rivo/uniseg), counting only segments
// that contain a letter or a digit, and counting each CJK character (Han,
// Hiragana, Katakana, Hangul syllables) as one word.
func CountWords(h string) int {
	return countWords(PlainText(h))
}

func countWords(s string) int {
	n := 0
	state := -1
	var w string
	for len(s) > 0 {
		w, s, state = uniseg.FirstWordInString(s, state)
		cjk, other := 0, false
		for _, r := range w {
			switch {
			case isCJK(r):
				cjk++
			case unicode.IsLetter(r) || unicode.IsNumber(r):
				other = true
			}
		}
		n += cjk
		if other {
			n++
		}
	}
	return n
}

func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.Is(unicode.Han, r) ||
		unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) ||
		(r >= 0xAC00 && r <= 0xD7A3) || // Hangul syllables
		r == 0x30FC || // katakana-hiragana prolonged sound mark
		r == 0x3005 // ideographic iteration mark
}
