// Package text implements creator-text handling for Quire: sanitizing,
// Markdown, word counts.
//
// Everything a creator types (chapter bodies, notes, summaries, comments)
// goes through Render, which converts the chosen source format to HTML and
// then runs one fixed allowlist policy over it as the very last step. The
// policy and the Markdown converter are built once and are safe for
// concurrent use.
package text

import (
	"bytes"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
)

// Source formats accepted by Render.
const (
	FormatHTML     = "html"
	FormatMarkdown = "markdown"
	FormatText     = "text"
)

var markdown = goldmark.New(
	goldmark.WithExtensions(
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
		extension.Strikethrough,
	),
	// Raw HTML is passed through on purpose: the sanitizer runs afterwards.
	goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
)

// Render turns a creator's source into sanitized HTML. format is "html",
// "markdown" or "text" (anything else is treated as "html"). Plain text and
// HTML without block structure get paragraphs: blank-line separated blocks
// become <p>, single newlines inside become <br>. (AO3 does this for HTML
// too: text typed straight into the HTML box with blank lines between
// paragraphs must come out as paragraphs.) Never panics, whatever the input
// (invalid UTF-8 is repaired to U+FFFD first, NUL bytes removed).
func Render(source, format string) (out string) {
	defer func() {
		if recover() != nil {
			// Should be unreachable; fall back to something that is safe by
			// construction rather than crash a request.
			out = "<p>" + html.EscapeString(ValidUTF8(source)) + "</p>"
		}
	}()
	return render(source, format)
}

func render(source, format string) string {
	s := normalizeNewlines(ValidUTF8(source))
	var b string
	switch format {
	case FormatMarkdown:
		var buf bytes.Buffer
		if err := markdown.Convert([]byte(limitMarkdown(s)), &buf); err != nil {
			b = paragraphs(html.EscapeString(s))
		} else {
			b = buf.String()
		}
	case FormatText:
		b = paragraphs(html.EscapeString(s))
	default:
		b = paragraphs(s)
	}
	out := Sanitize(b)
	if strings.Contains(out, "<p></p>") {
		out = strings.ReplaceAll(out, "<p></p>", "")
	}
	return out
}

// Sanitize applies the one allowlist policy to HTML (no paragraph fixing),
// and flattens what nests deeper than MaxNesting.
func Sanitize(h string) string {
	return limitDepth(dropSuspectAttrs(policy.Sanitize(ValidUTF8(h))))
}

// ValidUTF8 repairs invalid UTF-8 (U+FFFD) and removes NUL bytes.
func ValidUTF8(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return s
}

// normalizeNewlines turns CRLF and lone CR into LF.
func normalizeNewlines(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}
