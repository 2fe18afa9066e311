package text

import (
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// skipContent lists elements removed together with everything inside them.
// Void elements (embed, frame, ...) must not be listed: they have no end tag,
// so the sanitizer would swallow the rest of the document after them.
var skipContent = []string{
	"script", "style", "iframe", "svg", "math", "noscript", "xmp", "plaintext",
	"object", "applet", "template", "textarea", "select", "title", "head",
	"frameset", "noembed", "noframes",
}

var skipContentSet = func() map[string]bool {
	m := make(map[string]bool, len(skipContent))
	for _, n := range skipContent {
		m[n] = true
	}
	return m
}()

// UserID is the shape of an id the sanitizer keeps: "uc-" then letters,
// digits, '_', '.' or '-' (a valid XML name too, for EPUB).
var UserID = regexp.MustCompile(`^uc-[A-Za-z0-9_.-]{1,120}$`)

// policy is the single allowlist used for everything creators write.
var policy = newPolicy()

func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()

	p.AllowElements(
		"p", "br", "em", "i", "strong", "b", "u", "s", "strike", "del", "ins",
		"sub", "sup", "small", "big", "blockquote", "q", "cite", "abbr",
		"acronym", "code", "pre", "kbd", "samp", "var", "hr",
		"h1", "h2", "h3", "h4", "h5", "h6",
		"ul", "ol", "li", "dl", "dt", "dd", "details", "summary",
		"ruby", "rt", "rp", "center", "figure", "figcaption",
		"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
		"span", "div",
	)
	// These stay even when all their attributes were removed.
	p.AllowNoAttrs().OnElements(
		"p", "br", "em", "i", "strong", "b", "u", "s", "strike", "del", "ins",
		"sub", "sup", "small", "big", "blockquote", "q", "cite", "abbr",
		"acronym", "code", "pre", "kbd", "samp", "var", "hr",
		"h1", "h2", "h3", "h4", "h5", "h6",
		"ul", "ol", "li", "dl", "dt", "dd", "details", "summary",
		"ruby", "rt", "rp", "center", "figure", "figcaption",
		"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
		"span", "div",
	)

	// Global attributes, value-restricted where the value has a grammar.
	p.AllowAttrs("dir").Matching(regexp.MustCompile(`(?i)^(ltr|rtl|auto)$`)).Globally()
	p.AllowAttrs("lang").Matching(regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)).Globally()
	p.AllowAttrs("title").Globally()
	// Ids only in the user-content namespace (importers give a book's
	// note anchors such ids), so they can never clash with the page's own.
	p.AllowAttrs("id").Matching(UserID).Globally()

	p.AllowAttrs("align").Matching(regexp.MustCompile(`(?i)^(left|right|center|justify)$`)).OnElements(
		"p", "div", "span", "h1", "h2", "h3", "h4", "h5", "h6",
		"table", "caption", "tr", "th", "td", "img")

	// Links: http, https, mailto or relative; rel="nofollow" forced; no target.
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("cite").OnElements("blockquote", "q")
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)

	// Images: absolute http(s) only.
	p.AllowAttrs("src").Matching(regexp.MustCompile(`(?i)^\s*https?://\S+\s*$`)).OnElements("img")
	p.AllowAttrs("alt").OnElements("img")
	dim := regexp.MustCompile(`^[0-9]{1,5}%?$`)
	p.AllowAttrs("width", "height").Matching(dim).OnElements("img")

	// Lists.
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^-?[0-9]{1,9}$`)).OnElements("ol")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^[1aAiI]$`)).OnElements("ol")
	p.AllowAttrs("reversed").Matching(regexp.MustCompile(`(?i)^(reversed)?$`)).OnElements("ol")
	p.AllowAttrs("open").Matching(regexp.MustCompile(`(?i)^(open)?$`)).OnElements("details")

	// Tables.
	num := regexp.MustCompile(`^[0-9]{1,4}$`)
	p.AllowAttrs("span").Matching(num).OnElements("col", "colgroup")
	p.AllowAttrs("colspan", "rowspan").Matching(num).OnElements("td", "th")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`(?i)^(row|col|rowgroup|colgroup)$`)).OnElements("th")

	p.SkipElementsContent(skipContent...)
	return p
}

// dropSuspectAttrs is a tightening pass over already-sanitized HTML: any
// attribute whose (entity-decoded, lower-cased, whitespace-stripped) value
// mentions a javascript:, vbscript: or data: scheme is removed, whatever
// the attribute. URL attributes are already scheme-checked by the policy;
// this also covers free-text attributes such as title and alt, and URLs that
// merely contain such a string in their path. It only ever removes
// attributes, so its output is as safe as its input.
func dropSuspectAttrs(s string) string {
	lower := strings.ToLower(s)
	if !strings.Contains(lower, "script") && !strings.Contains(lower, "data") {
		return s
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			bad := false
			for _, a := range t.Attr {
				if suspectValue(a.Val) {
					bad = true
					break
				}
			}
			if !bad {
				b.Write(z.Raw())
				continue
			}
			kept := t.Attr[:0]
			for _, a := range t.Attr {
				if !suspectValue(a.Val) {
					kept = append(kept, a)
				}
			}
			t.Attr = kept
			b.WriteString(t.String())
		default:
			b.Write(z.Raw())
		}
	}
}

func suspectValue(v string) bool {
	v = strings.ToLower(v)
	if strings.ContainsFunc(v, isSpaceOrControl) {
		v = strings.Map(func(r rune) rune {
			if isSpaceOrControl(r) {
				return -1
			}
			return r
		}, v)
	}
	return strings.Contains(v, "javascript:") || strings.Contains(v, "vbscript:") || strings.Contains(v, "data:")
}

func isSpaceOrControl(r rune) bool {
	return r <= ' ' || r == 0x7f
}
